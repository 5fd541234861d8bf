/**
 * The packages as an app gets them: `pnpm pack` the three packages, install the tarballs into a
 * throwaway project outside the workspace, and issue + verify one credential through the public
 * API only, from ESM `import` and from CommonJS `require` (Node ≥ 20.19 loads ESM via require).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const work = mkdtempSync(join(tmpdir(), 'certify-vc-pack-'))
const app = join(work, 'app')

const script = (load: string) => `
${load}
const key = await generateIssuerKey()
const credential = await issueCredential({ program: 'AIMA', recipient: { name: 'Grace Hopper' }, key })
const result = await verifyCredential(credential, { trustedIssuers: [key.did] })
const tampered = { ...credential, name: 'Something else' }
const bad = await verifyCredential(tampered, { trustedIssuers: [key.did] })
console.log(JSON.stringify({ verified: result.verified, program: result.credential.program?.code, bad: bad.verified }))
`

beforeAll(() => {
  execFileSync(
    'pnpm',
    ['exec', 'tsc', '-b', 'packages/context', 'packages/issuer', 'packages/verifier'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
  for (const pkg of ['context', 'issuer', 'verifier']) {
    execFileSync('pnpm', ['pack', '--pack-destination', work], {
      cwd: join(root, 'packages', pkg),
      stdio: 'ignore',
    })
  }
  const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz'))
  const file = (name: string) => {
    const t = tarballs.find((f) => f.startsWith(`certify-vc-${name}-`))
    if (t === undefined) throw new Error(`no tarball for ${name}: ${tarballs.join(', ')}`)
    return `file:${join(work, t)}`
  }
  execFileSync('mkdir', ['-p', app])
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'throwaway-app',
      private: true,
      dependencies: {
        '@certify-vc/context': file('context'),
        '@certify-vc/issuer': file('issuer'),
        '@certify-vc/verifier': file('verifier'),
      },
      overrides: { '@certify-vc/context': file('context') },
    }),
  )
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    stdio: 'inherit',
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
}, 300_000)

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
