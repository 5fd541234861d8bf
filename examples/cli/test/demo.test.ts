import { readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demo, demoSteps } from '../src/commands/demo.js'
import { verify } from '../src/commands/verify.js'
import { runCli } from '../src/cli.js'
import { makeTempDir, removeTempDir, testIo } from './helpers.js'

describe('certify-vc demo', () => {
  let dir: string
  beforeAll(async () => {
    dir = await makeTempDir()
  })
  afterAll(() => removeTempDir(dir))

  it('issues, verifies, catches tampering, revokes, suspends and reinstates, from nothing (exit 0)', async () => {
    const io = testIo({ cwd: dir })
    expect(await demo(['--out', 'out'], io)).toBe(0)
    const out = io.out()
    const files = await readdir(join(dir, 'out'))
    expect(files.sort()).toEqual(
      [
        'aida-tampered.json',
        'aida.json',
        'aima.json',
        'caae.json',
        'caae.png',
        'caae.svg',
        'certify-vc.config.json',
        'demo-issuer-key.json',
        'registry.sqlite',
        'status',
      ].sort(),
    )
    expect((await readdir(join(dir, 'out', 'status'))).sort()).toEqual([
      'revocation-1.json',
      'suspension-1.json',
    ])
    if (process.platform !== 'win32') {
      expect((await stat(join(dir, 'out', 'demo-issuer-key.json'))).mode & 0o777).toBe(0o600)
    }
    const verdicts = out.split('\n').filter((line) => /^(NOT )?VERIFIED:/.test(line))
    expect(verdicts).toHaveLength(8)
    expect(verdicts.slice(0, 3).map((l) => l.split(' ')[1])).toEqual(['AIDA', 'CAAE', 'AIMA'])
    expect(verdicts[3]).toContain('NOT VERIFIED: proof failed — ERR_PROOF_INVALID')
    // the same AIDA file, after revocation: ✓ → ✗ revoked
    expect(verdicts[4]).toContain('NOT VERIFIED: status failed — ERR_STATUS_REVOKED')
    expect(verdicts[5]).toContain('NOT VERIFIED: status failed — ERR_STATUS_SUSPENDED')
    expect(verdicts[6]).toMatch(/^VERIFIED: CAAE/)
    // the CAAE credential baked into its PNG badge verifies as its JSON does
    expect(verdicts[7]).toMatch(/^VERIFIED: CAAE/)
    expect(out).toContain('Verifying out/caae.png')
    expect(out).toContain('certify-vc unbake out/caae.svg')
    expect(out).toContain('certify-vc verify out/caae.json --trust did:key:')
    expect(out).toContain('--status-dir out/status')
    expect(out).toContain('Demo finished')
    expect(io.err()).toBe('')

    const key = JSON.parse(await readFile(join(dir, 'out', 'demo-issuer-key.json'), 'utf8')) as {
      controller: string
      secretKeyMultibase: string
    }
    expect(out).not.toContain(key.secretKeyMultibase)
    const config = JSON.parse(
      await readFile(join(dir, 'out', 'certify-vc.config.json'), 'utf8'),
    ) as unknown
    expect(config).toEqual({
      trustedIssuers: [key.controller],
      registry: 'registry.sqlite',
      suspension: ['CAAE'],
    })
  })

  it('leaves files that verify with the written config', async () => {
    const cwd = join(dir, 'out')
    const lists = ['--status-dir', 'status']
    expect(await verify(['caae.json', ...lists], testIo({ cwd }))).toBe(0)
    expect(await verify(['aima.json', ...lists], testIo({ cwd }))).toBe(0)
    const revoked = testIo({ cwd })
    expect(await verify(['aida.json', ...lists], revoked)).toBe(1)
    expect(revoked.out()).toContain('ERR_STATUS_REVOKED')
    expect(await verify(['aida-tampered.json', ...lists], testIo({ cwd }))).toBe(1)
  })

  it('its "Try it yourself" lines work as printed, in order (each exit status as its comment says)', async () => {
    const io = testIo({ cwd: dir })
    expect(await demo(['--out', 'tryit'], io)).toBe(0)
    const lines = io
      .out()
      .split('[13/13] Try it yourself\n')[1]!
      .split('\n')
      .filter((line) => line.startsWith('  certify-vc ') || line.startsWith('  CERTIFY_VC_CONFIG='))
    expect(lines).toHaveLength(11)
    const statuses: number[] = []
    for (const line of lines) {
      // POSIX shell words: 'single' and "double" quotes, a leading VAR=value, a trailing # comment.
      const words = [...line.replace(/\s+#.*$/, '').matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(
        (m) => m[1] ?? m[2] ?? m[3] ?? '',
      )
      const env: Record<string, string> = {}
      while (/^[A-Z_]+=/.test(words[0] ?? '')) {
        const [name, ...value] = words.shift()!.split('=')
        env[name!] = value.join('=')
      }
      expect(words.shift()).toBe('certify-vc')
      statuses.push(await runCli(words, testIo({ cwd: dir, env })))
    }
    // caae, caae.png, unbake, revoked aida, tampered, aima --json, no trust, status show,
    // revoke, publish, aima now revoked.
    expect(statuses).toEqual([0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1])
  })

  it('runs again over its own output', async () => {
    expect(await demo(['-o', join(dir, 'out')], testIo({ cwd: '/' }))).toBe(0)
  })

  it('keeps its steps in one list, ending with the commands to try', () => {
    const titles = demoSteps().map((s) => s.title)
    expect(titles[0]).toBe('Generate an issuer key')
    expect(titles.at(-1)).toBe('Try it yourself')
  })

  it('exits 2 for a usage error', async () => {
    expect(await demo(['--bogus'], testIo({ cwd: dir }))).toBe(2)
    expect(await demo(['extra'], testIo({ cwd: dir }))).toBe(2)
  })
})
