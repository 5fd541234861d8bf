/**
 * The command line as a user gets it: `pnpm pack` the CLI with the packages it declares (the four
 * libraries and the wallet), install the tarballs into a throwaway project outside the workspace,
 * and run `npx certify-vc` there: help, then keygen → issue → verify → bake → verify the badge →
 * a credential altered inside the badge. Nothing may come from the workspace: a dependency the
 * CLI uses but does not declare fails here.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const work = mkdtempSync(join(tmpdir(), 'certify-vc-pack-cli-'))
const app = join(work, 'app')
const run = promisify(execFile)

const PACKAGES = {
  context: 'packages/context',
  core: 'packages/core',
  issuer: 'packages/issuer',
  verifier: 'packages/verifier',
  'example-wallet': 'examples/wallet',
  'example-cli': 'examples/cli',
} as const

/** `npx certify-vc …` in the throwaway project, with a clean environment; never throws. */
async function npx(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['--no-install', 'certify-vc', ...args], {
      cwd: app,
      env: { PATH: process.env.PATH ?? '', HOME: work, NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    }
  }
}

beforeAll(async () => {
  await run('pnpm', ['exec', 'tsc', '-b', ...Object.values(PACKAGES)], { cwd: root })
  for (const dir of Object.values(PACKAGES)) {
    await run('pnpm', ['pack', '--pack-destination', work], { cwd: join(root, dir) })
  }
  const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz'))
  const file = (name: string) => {
    const t = tarballs.find((f) => f.startsWith(`certify-vc-${name}-0`))
    if (t === undefined) throw new Error(`no tarball for ${name}: ${tarballs.join(', ')}`)
    return `file:${join(work, t)}`
  }
  const local = Object.fromEntries(Object.keys(PACKAGES).map((n) => [`@certify-vc/${n}`, file(n)]))
  mkdirSync(app, { recursive: true })
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'throwaway-app',
      private: true,
      dependencies: { '@certify-vc/example-cli': file('example-cli') },
      // The CLI's @certify-vc/* dependencies are not on a registry: point them at the tarballs.
      overrides: local,
    }),
  )
  // --ignore-scripts: better-sqlite3 would compile from source for ~2 minutes; the commands below
  // issue without a status registry, and the CLI loads better-sqlite3 only to open one.
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    maxBuffer: 64 * 1024 * 1024,
  })
}, 900_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the packed certify-vc CLI in a throwaway project', () => {
  it('declares its real dependencies (every @certify-vc package it uses, no workspace: ranges)', () => {
    const manifest = JSON.parse(
      readFileSync(join(app, 'node_modules/@certify-vc/example-cli/package.json'), 'utf8'),
    ) as { dependencies: Record<string, string>; bin: Record<string, string> }
    expect(Object.keys(manifest.dependencies).sort()).toEqual(
      Object.keys(PACKAGES)
        .filter((n) => n !== 'example-cli')
        .map((n) => `@certify-vc/${n}`)
        .sort(),
    )
    for (const range of Object.values(manifest.dependencies))
      expect(range).not.toMatch(/^workspace:/)
    expect(manifest.bin['certify-vc']).toBe('./bin/certify-vc.js')
  })

  it('npx certify-vc --help', async () => {
    const help = await npx('--help')
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: certify-vc <command> [options]')
    expect(help.stdout).toContain('bake <file> --out <badge.png|badge.svg>')
    expect((await npx('--version')).stdout.trim()).toBe('0.1.0')
  })

  it('keygen → issue → verify → bake → verify badge.png and badge.svg → altered badge', async () => {
    const keygen = await npx('keygen', '--out', 'issuer-key.json')
    expect(keygen.code).toBe(0)
    const did = keygen.stdout.trim()
    expect(did).toMatch(/^did:key:z6Mk/)
    const issued = await npx(
      'issue',
      '--program',
      'AIDA',
      '--name',
      'Ada Lovelace',
      '--key',
      'issuer-key.json',
      '--without-status',
      '--out',
      'aida.json',
    )
    expect(issued.code, issued.stderr).toBe(0)
    const ok = await npx('verify', 'aida.json', '--trust', did)
    expect(ok.code, ok.stdout + ok.stderr).toBe(0)
    expect(ok.stdout).toContain(
      `VERIFIED: AIDA — AI Deployment Awareness (AIDA), issued to Ada Lovelace by ${did}`,
    )

    for (const badge of ['aida.png', 'aida.svg']) {
      const baked = await npx('bake', 'aida.json', '--out', badge)
      expect(baked.code, baked.stderr).toBe(0)
      const verified = await npx('verify', badge, '--trust', did)
      expect(verified.code, verified.stdout).toBe(0)
      expect(verified.stdout).toContain('VERIFIED: AIDA')
    }
    const svg = readFileSync(join(app, 'aida.svg'), 'utf8')
    writeFileSync(join(app, 'altered.svg'), svg.replace('Ada Lovelace', 'Mallory Mallet'))
    const bad = await npx('verify', 'altered.svg', '--trust', did)
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain('NOT VERIFIED: proof failed — ERR_PROOF_INVALID')
  })
})
