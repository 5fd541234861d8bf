/**
 * The packages as an app gets them: `pnpm pack` the four packages, install the tarballs into a
 * throwaway project outside the workspace, and issue + verify one credential through the public
 * API only, from ESM `import` and from CommonJS `require` (Node ≥ 20.19 loads ESM via require).
 */
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const work = mkdtempSync(join(tmpdir(), 'certify-vc-pack-'))
const app = join(work, 'app')

// Asynchronous, so the vitest worker stays responsive while the commands run.
const run = promisify(execFile)

const script = (load: string) => `
${load}
const key = await generateIssuerKey()
const credential = await issueCredential({ program: 'AIMA', recipient: { name: 'Grace Hopper' }, key })
const result = await verifyCredential(credential, { trustedIssuers: [key.did] })
const tampered = { ...credential, name: 'Something else' }
const bad = await verifyCredential(tampered, { trustedIssuers: [key.did] })
console.log(JSON.stringify({ verified: result.verified, program: result.credential.program?.code, bad: bad.verified }))
`

beforeAll(async () => {
  await run(
    'pnpm',
    [
      'exec',
      'tsc',
      '-b',
      'packages/context',
      'packages/core',
      'packages/issuer',
      'packages/verifier',
    ],
    {
      cwd: root,
    },
  )
  for (const pkg of ['context', 'core', 'issuer', 'verifier']) {
    await run('pnpm', ['pack', '--pack-destination', work], { cwd: join(root, 'packages', pkg) })
  }
  const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz'))
  const file = (name: string) => {
    const t = tarballs.find((f) => f.startsWith(`certify-vc-${name}-`))
    if (t === undefined) throw new Error(`no tarball for ${name}: ${tarballs.join(', ')}`)
    return `file:${join(work, t)}`
  }
  mkdirSync(app, { recursive: true })
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'throwaway-app',
      private: true,
      dependencies: {
        '@certify-vc/context': file('context'),
        '@certify-vc/core': file('core'),
        '@certify-vc/issuer': file('issuer'),
        '@certify-vc/verifier': file('verifier'),
      },
      overrides: { '@certify-vc/context': file('context'), '@certify-vc/core': file('core') },
    }),
  )
  // --ignore-scripts: better-sqlite3 would compile from source for ~2 minutes; this test issues
  // without a status registry, and the issuer loads better-sqlite3 only when one is opened.
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    maxBuffer: 64 * 1024 * 1024,
  })
  writeFileSync(
    join(app, 'esm.mjs'),
    script(
      "import { generateIssuerKey, issueCredential } from '@certify-vc/issuer'\nimport { verifyCredential } from '@certify-vc/verifier'",
    ),
  )
  writeFileSync(
    join(app, 'cjs.cjs'),
    `(async () => {${script(
      "const { generateIssuerKey, issueCredential } = require('@certify-vc/issuer')\nconst { verifyCredential } = require('@certify-vc/verifier')",
    )}})().catch((e) => { console.error(e); process.exit(1) })`,
  )
}, 600_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('packed packages in a throwaway project', () => {
  it('ship only dist, src and README (no tests)', () => {
    const listing = execFileSync(
      'tar',
      [
        '-tzf',
        join(
          work,
          readdirSync(work).find((f) => f.includes('verifier'))!,
        ),
      ],
      {
        encoding: 'utf8',
      },
    )
    expect(listing).toContain('package/dist/index.js')
    expect(listing).toContain('package/dist/index.d.ts')
    expect(listing).not.toContain('package/test/')
  })

  it('issue and verify through ESM import', () => {
    const out = execFileSync('node', ['esm.mjs'], { cwd: app, encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({ verified: true, program: 'AIMA', bad: false })
  })

  it('issue and verify through CommonJS require (Node 20 require(esm))', () => {
    const out = execFileSync('node', ['cjs.cjs'], { cwd: app, encoding: 'utf8' })
    expect(JSON.parse(out)).toEqual({ verified: true, program: 'AIMA', bad: false })
  })
})
