/**
 * Offers for a cohort: the built `certify-vc offer --roster` against a running server. A 5-row
 * roster gets 5 offers and a complete manifest; offers are claimed by an OpenID4VCI wallet
 * (`@openid4vc/openid4vci`) and by `certify-vc wallet receive` (the Learner Credential Wallet
 * link), and the credentials verify; a re-run makes no new offer (counted in the server's own
 * database). With `--tx-code` the codes are only in `tx-codes.jsonl` (mode 0600); a run whose
 * answer for a row was lost is resumed with the same offer and a new code, the old one refused.
 * Bad rows are reported per row while the others are offered; a refused token stops the run.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers.js'
import {
  REPO,
  buildBinaries,
  libraryWallet,
  newHolderKey,
  verifyWithCli,
  type Json,
} from './wallets.js'

const CLI = join(REPO, 'examples/cli/dist/main.js')
let server: TestServer
let did: string
let dir: string

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    }),
  )
}

const offerCli = (...args: string[]) =>
  cli('offer', '--server', server.baseUrl, '--token', server.token, ...args)

/** The offers the server has stored, read from its own database. */
function storedOffers(): number {
  const db = new Database(join(server.dataDir, 'server.sqlite'), { readonly: true })
  try {
    return db.prepare('SELECT COUNT(*) FROM credential_offers').pluck().get() as number
  } finally {
    db.close()
  }
}

async function jsonLines(path: string): Promise<Json[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Json)
}

beforeAll(async () => {
  await buildBinaries('examples/cli')
  server = await startTestServer({ didMethod: 'key' })
  did = ((await (await fetch(`${server.baseUrl}/certify/server-info`)).json()) as { did: string })
    .did
  dir = await mkdtemp(join(tmpdir(), 'certify-batch-offers-'))
}, 180_000)

afterAll(async () => {
  await server?.close()
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})

const count = storedOffers

describe('certify-vc offer --roster', () => {
  it('a 5-row roster: 5 offers, a complete manifest, claimable and verifying; a re-run makes no new offer', async () => {
    await writeFile(
      join(dir, 'cohort.csv'),
      'key,name,email\n' +
        's-1,"Lovelace, Ada",ada@example.org\n' +
        's-2,Grace Hopper,\n' +
        's-3,,katherine@example.org\n' +
        's-4,Alan Turing,alan@example.org\n' +
        's-5,Edsger Dijkstra,edsger@example.org\n',
    )
    const before = count()
    const run = await offerCli('--program', 'caae', '--roster', 'cohort.csv', '--out', 'offers')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain(
      'CAAE: 5 offered, 0 recovered from an interrupted run, 0 already offered (5 rows)',
    )
    expect(run.stdout).toContain('Manifest: offers/manifest.jsonl')
    expect(run.stderr).toContain('offer: 5/5 (100%)')
    expect(count()).toBe(before + 5)

    const manifest = await jsonLines(join(dir, 'offers/manifest.jsonl'))
    expect(manifest.map((m) => [m.line, m.rowKey, m.name, m.email])).toEqual([
      [2, 's-1', 'Lovelace, Ada', 'ada@example.org'],
      [3, 's-2', 'Grace Hopper', undefined],
      [4, 's-3', undefined, 'katherine@example.org'],
      [5, 's-4', 'Alan Turing', 'alan@example.org'],
      [6, 's-5', 'Edsger Dijkstra', 'edsger@example.org'],
    ])
    for (const m of manifest) {
      expect(m).toMatchObject({
        program: 'CAAE',
        batch: 'default',
        claimUrl: `${server.baseUrl}/certify/claim/${String(m.offerId)}`,
        exchangeUrl: `${server.baseUrl}/certify/exchanges/${String(m.offerId)}`,
        txCodeRequired: false,
        outcome: 'offered',
      })
      expect(m.offerId).toMatch(/^[\w-]{22}$/)
      expect(m.offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer=/)
      expect(m.offerByReferenceUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/)
      expect(m.lcwDeepLink).toMatch(/^https:\/\/lcw\.app\/request\.html\?request=/)
      expect(Date.parse(String(m.expiresAt))).toBeGreaterThan(Date.now())
    }
    expect(new Set(manifest.map((m) => m.offerId)).size).toBe(5)
    await expect(stat(join(dir, 'offers/tx-codes.jsonl'))).rejects.toThrow(/ENOENT/)

    // Row 1 by an OpenID4VCI wallet, row 2 by `certify-vc wallet receive` and its LCW link.
    const holder = await newHolderKey()
    const claim = await libraryWallet(holder, String(manifest[0]?.offerUri))
    expect((claim.credential.credentialSubject as Json).id).toBe(holder.did)
    expect((claim.credential.credentialSubject as Json).name).toBe('Lovelace, Ada')
    const verified = await verifyWithCli(claim.credential, did, server.baseUrl)
    expect(verified.code, JSON.stringify(verified.result)).toBe(0)
    expect((await cli('wallet', 'init', '-w', 'w', '--trust', did)).code).toBe(0)
    const received = await cli(
      'wallet',
      'receive',
      String(manifest[1]?.lcwDeepLink),
      '-w',
      'w',
      '--allow-http',
    )
    expect(received.code, received.stderr + received.stdout).toBe(0)
    expect(received.stdout).toContain('✓ received')

    const again = await offerCli('--program', 'CAAE', '--roster', 'cohort.csv', '--out', 'offers')
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain(
      'CAAE: 0 offered, 0 recovered from an interrupted run, 5 already offered (5 rows)',
    )
    expect(count()).toBe(before + 5)
    const kept = await jsonLines(join(dir, 'offers/manifest.jsonl'))
    expect(kept.map((m) => m.offerId)).toEqual(manifest.map((m) => m.offerId))
    expect(kept.every((m) => m.outcome === 'unchanged')).toBe(true)
  }, 240_000)

  it('--tx-code: codes only in tx-codes.jsonl (0600); a lost answer is recovered with the same offer and a new code', async () => {
    await writeFile(
      join(dir, 'tx.jsonl'),
      '{"key":"t-1","name":"Ada Lovelace"}\n' +
        '{"key":"t-2","name":"Grace Hopper","email":"grace@example.org"}\n' +
        '{"key":"t-3","email":"alan@example.org"}\n',
    )
    const before = count()
    const args = ['--program', 'AIMA', '--roster', 'tx.jsonl', '--out', 'tx', '--tx-code']
    const run = await offerCli(...args, '--batch', 'cohort-2026-11', '--concurrency', '2')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('AIMA: 3 offered')
    expect(run.stdout).toContain('Transaction codes: tx/tx-codes.jsonl (mode 0600')
    expect(count()).toBe(before + 3)
    const manifestText = await readFile(join(dir, 'tx/manifest.jsonl'), 'utf8')
    const codes = await jsonLines(join(dir, 'tx/tx-codes.jsonl'))
    expect((await stat(join(dir, 'tx/tx-codes.jsonl'))).mode & 0o777).toBe(0o600)
    expect(codes.map((c) => [c.rowKey, typeof c.txCode])).toEqual([
      ['t-1', 'string'],
      ['t-2', 'string'],
      ['t-3', 'string'],
    ])
    expect(manifestText).not.toContain('"txCode"')
    for (const c of codes) expect(manifestText).not.toContain(String(c.txCode))
    const manifest = await jsonLines(join(dir, 'tx/manifest.jsonl'))
    for (const m of manifest) {
      expect(m).toMatchObject({ txCodeRequired: true, batch: 'cohort-2026-11' })
      expect(m.lcwDeepLink).toBeUndefined()
    }

    // A crash after the server answered for t-3 but before its line was written.
    const lines = manifestText.split('\n').filter((l) => l !== '')
    await writeFile(join(dir, 'tx/manifest.jsonl'), `${lines.slice(0, 2).join('\n')}\n`)
    const resumed = await offerCli(...args, '--batch', 'cohort-2026-11')
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stdout).toContain(
      'AIMA: 0 offered, 1 recovered from an interrupted run, 2 already offered (3 rows)',
    )
    expect(count()).toBe(before + 3)
    const after = await jsonLines(join(dir, 'tx/manifest.jsonl'))
    expect(after.map((m) => m.offerId)).toEqual(manifest.map((m) => m.offerId))
    expect(after.map((m) => m.outcome)).toEqual(['unchanged', 'unchanged', 'replayed'])
    const newCodes = await jsonLines(join(dir, 'tx/tx-codes.jsonl'))
    expect(newCodes).toHaveLength(3)
    expect(newCodes.slice(0, 2)).toEqual(codes.slice(0, 2))
    const oldCode = String(codes[2]?.txCode)
    const newCode = String(newCodes[2]?.txCode)
    const holder = await newHolderKey()
    if (oldCode !== newCode) {
      await expect(libraryWallet(holder, String(after[2]?.offerUri), oldCode)).rejects.toThrow(
        /invalid_grant/,
      )
    }
    const claim = await libraryWallet(holder, String(after[2]?.offerUri), newCode)
    const verified = await verifyWithCli(claim.credential, did, server.baseUrl)
    expect(verified.code, JSON.stringify(verified.result)).toBe(0)
    expect((claim.credential.credentialSubject as Json).id).toBe(holder.did)
  }, 240_000)

  it('bad rows are reported per row and the others are offered; fixed, a re-run offers only them', async () => {
    const roster = (email: string) =>
      'key,name,email,did\n' +
      'b-1,Ada Lovelace,ada@example.org,\n' +
      `b-2,Grace Hopper,${email},\n` +
      'b-3,,,\n' +
      'b-4,Alan Turing,,did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK\n' +
      'b-1,Someone Else,,\n' +
      'b-6,Edsger Dijkstra,,\n'
    await writeFile(join(dir, 'bad.csv'), roster('not-an-email'))
    const before = count()
    const run = await offerCli('--program', 'AIDA', '--roster', 'bad.csv', '--out', 'bad')
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('AIDA: 2 offered')
    expect(run.stderr).toContain('4 problem(s); those rows have no offer')
    expect(run.stderr).toMatch(
      /line 3, email: .*not an email address.*\(ERR_ISSUE_RECIPIENT_INVALID\)/,
    )
    expect(run.stderr).toMatch(
      /line 4, row: needs a name or an email.*\(ERR_ISSUE_RECIPIENT_INVALID\)/,
    )
    expect(run.stderr).toMatch(/line 5, did: is not taken by offers.*\(ERR_BATCH_ROSTER_INVALID\)/)
    expect(run.stderr).toMatch(
      /line 6, key: repeats the key of line 2\. \(ERR_BATCH_ROSTER_INVALID\)/,
    )
    expect(count()).toBe(before + 2)
    const manifest = await jsonLines(join(dir, 'bad/manifest.jsonl'))
    expect(manifest.map((m) => m.rowKey)).toEqual(['b-1', 'b-6'])

    await writeFile(join(dir, 'bad.csv'), roster('grace@example.org'))
    const fixed = await offerCli('--program', 'AIDA', '--roster', 'bad.csv', '--out', 'bad')
    expect(fixed.code).toBe(1) // rows 4 to 6 are still bad
    expect(fixed.stdout).toContain(
      'AIDA: 1 offered, 0 recovered from an interrupted run, 2 already offered',
    )
    expect(count()).toBe(before + 3)
    expect((await jsonLines(join(dir, 'bad/manifest.jsonl'))).map((m) => m.rowKey)).toEqual([
      'b-1',
      'b-2',
      'b-6',
    ])

    // Another program into the same folder, and a refused token, stop before any offer.
    const other = await offerCli('--program', 'CAAE', '--roster', 'bad.csv', '--out', 'bad')
    expect(other.code).toBe(1)
    expect(other.stderr).toContain('holds offers of AIDA')
    const refused = await cli(
      'offer',
      '--server',
      server.baseUrl,
      '--token',
      'wrong-token-0123456789',
      '--program',
      'AIDA',
      '--roster',
      'bad.csv',
      '--out',
      'refused',
    )
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('ERR_SERVER_UNAUTHORIZED')
    expect(count()).toBe(before + 3)
    // Usage: one learner's flags do not mix with --roster.
    const mixed = await offerCli(
      ...['--program', 'AIDA', '--roster', 'bad.csv', '--out', 'bad', '--name', 'X'],
    )
    expect(mixed.code).toBe(2)
    expect(mixed.stderr).toContain('--name is for one learner')
  }, 240_000)
})
