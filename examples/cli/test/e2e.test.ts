/**
 * End to end: builds the CLI with `tsc -b` and runs the built binary as a child process.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir, removeTempDir } from './helpers.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const bin = join(root, 'examples', 'cli', 'dist', 'main.js')
const demoBin = join(root, 'examples', 'cli', 'dist', 'demo.js')

describe('certify-vc binary (end to end)', () => {
  let dir: string
  beforeAll(async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
    execFileSync(process.execPath, [tsc, '-b', 'examples/cli'], { cwd: root, stdio: 'pipe' })
    dir = await makeTempDir()
  }, 180_000)
  afterAll(() => removeTempDir(dir))

  /** Runs the binary in `dir` with a clean environment (no trust, no colour settings inherited). */
  const run = (args: string[], input?: string) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '' }
    const result = spawnSync(process.execPath, [bin, ...args], {
      cwd: dir,
      env,
      encoding: 'utf8',
      ...(input === undefined ? {} : { input }),
    })
    return { status: result.status, stdout: result.stdout, stderr: result.stderr }
  }

  it('keygen → issue → verify → tamper → verify', async () => {
    const keygen = run(['keygen', '--out', 'issuer-key.json'])
    expect(keygen.status).toBe(0)
    const did = keygen.stdout.trim()
    expect(did).toMatch(/^did:key:z6Mk\w+$/)
    if (process.platform !== 'win32') {
      expect((await stat(join(dir, 'issuer-key.json'))).mode & 0o777).toBe(0o600)
    }

    const issued = run([
      'issue',
      '--program',
      'AIDA',
      '--name',
      'Ada Lovelace',
      '--key',
      'issuer-key.json',
    ])
    expect(issued.status).toBe(0)
    await writeFile(join(dir, 'aida.json'), issued.stdout)
    expect(run(['status', 'publish', '--out', 'lists', '--key', 'issuer-key.json']).status).toBe(0)
    const lists = ['--status-dir', 'lists']

    const ok = run(['verify', 'aida.json', '--trust', did, ...lists])
    expect(ok.status).toBe(0)
    expect(ok.stdout).toContain(
      `VERIFIED: AIDA — AI Deployment Awareness (AIDA), issued to Ada Lovelace by ${did}`,
    )
    expect(run(['verify', '-', '--trust', 'issuer-key.json', ...lists], issued.stdout).status).toBe(
      0,
    )
    expect(run(['verify', 'aida.json', ...lists]).status).toBe(1)

    const json = run(['verify', 'aida.json', '--trust', did, '--json', ...lists])
    expect(json.status).toBe(0)
    expect((JSON.parse(json.stdout) as { verified: boolean }).verified).toBe(true)

    const credential = JSON.parse(await readFile(join(dir, 'aida.json'), 'utf8')) as {
      credentialSubject: { name: string }
    }
    credential.credentialSubject.name = 'Mallory Mallet'
    await writeFile(join(dir, 'aida-tampered.json'), JSON.stringify(credential))
    const bad = run(['verify', 'aida-tampered.json', '--trust', did, ...lists])
    expect(bad.status).toBe(1)
    expect(bad.stdout).toMatch(/^ {2}✗ proof /m)
    expect(bad.stdout).toContain('NOT VERIFIED: proof failed — ERR_PROOF_INVALID')

    expect(run(['verify', 'missing.json', '--trust', did]).status).toBe(2)

    // revoke → republish → the same file no longer verifies
    expect(run(['revoke', 'aida.json', '--reason', 'exam misconduct']).status).toBe(0)
    expect(run(['status', 'publish', '--out', 'lists', '--key', 'issuer-key.json']).status).toBe(0)
    const revoked = run(['verify', 'aida.json', '--trust', did, ...lists])
    expect(revoked.status).toBe(1)
    expect(revoked.stdout).toMatch(/^ {2}✗ status /m)
    expect(revoked.stdout).toContain('ERR_STATUS_REVOKED')
    expect(run(['verify', 'aida.json', '--trust', did, '--status-dir', 'no-such-dir']).status).toBe(
      2,
    )
    expect(run(['--version']).status).toBe(0)
  })

  it('keygen → issue → bake → verify badge.png / badge.svg → altered inside → verify', async () => {
    const did = run(['keygen', '--out', 'bake-key.json']).stdout.trim()
    const args = ['--program', 'CAAE', '--name', 'Ada Lovelace', '--key', 'bake-key.json']
    expect(run(['issue', ...args, '--without-status', '--out', 'caae.json']).status).toBe(0)
    for (const badge of ['caae.png', 'caae.svg']) {
      expect(run(['bake', 'caae.json', '--out', badge]).status).toBe(0)
      const ok = run(['verify', badge, '--trust', did])
      expect(ok.status).toBe(0)
      expect(ok.stdout).toContain('VERIFIED: CAAE')
    }
    // Altered inside the SVG's CDATA (the image stays well-formed): the proof catches it.
    const svg = await readFile(join(dir, 'caae.svg'), 'utf8')
    await writeFile(join(dir, 'caae-altered.svg'), svg.replace('Ada Lovelace', 'Mallory Mallet'))
    const bad = run(['verify', 'caae-altered.svg', '--trust', did])
    expect(bad.status).toBe(1)
    expect(bad.stdout).toContain('NOT VERIFIED: proof failed — ERR_PROOF_INVALID')
  })

  it('the demo entry (pnpm demo) exits 0', () => {
    const result = spawnSync(process.execPath, [demoBin, '--out', join(dir, 'demo')], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('Demo finished')
  })
})
