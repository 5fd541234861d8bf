import { readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demo, demoSteps } from '../src/commands/demo.js'
import { verify } from '../src/commands/verify.js'
import { makeTempDir, removeTempDir, testIo } from './helpers.js'

describe('certify-vc demo', () => {
  let dir: string
  beforeAll(async () => {
    dir = await makeTempDir()
  })
  afterAll(() => removeTempDir(dir))

  it('issues, verifies and catches tampering, from nothing (exit 0)', async () => {
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
        'certify-vc.config.json',
        'demo-issuer-key.json',
      ].sort(),
    )
    if (process.platform !== 'win32') {
      expect((await stat(join(dir, 'out', 'demo-issuer-key.json'))).mode & 0o777).toBe(0o600)
    }
    const verdicts = out.split('\n').filter((line) => /^(NOT )?VERIFIED:/.test(line))
    expect(verdicts).toHaveLength(4)
    expect(verdicts.slice(0, 3).map((l) => l.split(' ')[1])).toEqual(['AIDA', 'CAAE', 'AIMA'])
    expect(verdicts[3]).toContain('NOT VERIFIED: proof failed — ERR_PROOF_INVALID')
    expect(out).toContain('certify-vc verify out/aida.json --trust did:key:')
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
    expect(config).toEqual({ trustedIssuers: [key.controller] })
  })

  it('leaves files that verify with the written config', async () => {
    const cwd = join(dir, 'out')
    expect(await verify(['aida.json'], testIo({ cwd }))).toBe(0)
    expect(await verify(['aima.json'], testIo({ cwd }))).toBe(0)
    expect(await verify(['aida-tampered.json'], testIo({ cwd }))).toBe(1)
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
