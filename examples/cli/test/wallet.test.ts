/**
 * `certify-vc wallet …` in-process: init, import (accepted and refused with codes), list, present
 * for an employer's challenge (verified by verifyPresentation), qr (terminal, PNG, SVG, decodable).
 */
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { presentationFromQr, presentationToQr } from '@certify-vc/example-wallet'
import {
  issueCredential,
  openSqliteRegistry,
  publishStatusLists,
  type IssuerKey,
  type StatusRegistry,
} from '@certify-vc/issuer'
import { createChallengeStore, verifyPresentation } from '@certify-vc/verifier'
import { runCli } from '../src/cli.js'
import { WALLET_HELP } from '../src/commands/wallet.js'
import { jsonText, makeTempDir, removeTempDir, savedKey, testIo } from './helpers.js'

const BASE = 'https://production-ai.institute/status'
let dir: string
let key: IssuerKey
let keyPath: string
let registry: StatusRegistry
let holder: string

async function cli(args: string[]) {
  const io = testIo({ cwd: dir })
  const code = await runCli(args, io)
  return { code, out: io.out(), err: io.err() }
}

async function publish(): Promise<void> {
  await publishStatusLists({ registry, key, baseUrl: BASE, outDir: join(dir, 'lists') })
}

async function issueTo(did: string, program: 'AIDA' | 'CAAE' | 'AIMA', file: string) {
  const vc = await issueCredential({
    program,
    key,
    recipient: { name: 'Ada Lovelace', did },
    status: { registry, baseUrl: BASE },
  })
  await writeFile(join(dir, file), jsonText(vc))
  await publish()
  return vc
}

beforeAll(async () => {
  dir = await makeTempDir()
  ;({ key, path: keyPath } = await savedKey(dir))
  registry = await openSqliteRegistry(join(dir, 'registry.sqlite'))
})
afterAll(async () => {
  await registry.close()
  await removeTempDir(dir)
})

describe('certify-vc wallet', () => {
  it('--help and a missing subcommand', async () => {
    expect((await cli(['wallet', '--help'])).out).toBe(WALLET_HELP)
    const none = await cli(['wallet'])
    expect(none.code).toBe(2)
    expect(none.err).toContain('Name a subcommand')
    expect((await cli(['wallet', 'fly'])).code).toBe(2)
  })

  it('init: a did:key holder, key file 0600 and never printed; refuses without trust', async () => {
    const untrusted = await cli(['wallet', 'init', '--wallet-dir', 'nobody'])
    expect(untrusted.code).toBe(2)
    expect(untrusted.err).toContain('No trusted issuers are configured')

    const r = await cli(['wallet', 'init', '--wallet-dir', 'w', '--trust', keyPath])
    expect(r.code).toBe(0)
    holder = /Your DID: (did:key:z6Mk\S+)/.exec(r.out)?.[1] ?? ''
    expect(holder).not.toBe('')
    const keyFile = JSON.parse(await readFile(join(dir, 'w', 'holder-key.json'), 'utf8')) as {
      secretKeyMultibase: string
      controller: string
    }
    expect(keyFile.controller).toBe(holder)
    expect(r.out + r.err).not.toContain(keyFile.secretKeyMultibase)
    expect((await stat(join(dir, 'w', 'holder-key.json'))).mode & 0o777).toBe(0o600)
    expect((await cli(['wallet', 'init', '-w', 'w', '-t', key.did])).code).toBe(1)
  })

  it('import: stores what verifies, refuses the rest with codes (exit 1)', async () => {
    await issueTo(holder, 'AIDA', 'aida.json')
    await issueTo(holder, 'CAAE', 'caae.json')
    const other = await issueTo(
      'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
      'AIMA',
      'other.json',
    )
    const tampered = structuredClone(other) as unknown as Record<string, Record<string, unknown>>
    ;(tampered.credentialSubject as Record<string, unknown>).id = holder
    await writeFile(join(dir, 'tampered.json'), jsonText(tampered))

    const ok = await cli([
      'wallet',
      'import',
      'aida.json',
      'caae.json',
      '-w',
      'w',
      '--status-dir',
      'lists',
    ])
    expect(ok.code).toBe(0)
    expect(ok.out).toMatch(
      /✓ imported aida\.json as [0-9a-f]{12}: AI Deployment Awareness \(AIDA\)/,
    )
    expect(ok.out).toMatch(
      /✓ imported caae\.json as [0-9a-f]{12}: Certified AI Application Engineer/,
    )

    const bad = await cli([
      'wallet',
      'import',
      'other.json',
      'tampered.json',
      '-w',
      'w',
      '--status-dir',
      'lists',
    ])
    expect(bad.code).toBe(1)
    expect(bad.out).toContain('✗ refused other.json:\n    ERR_WALLET_SUBJECT_MISMATCH: ')
    expect(bad.out).toContain('✗ refused tampered.json:\n    ERR_PROOF_INVALID: ')

    const missing = await cli(['wallet', 'import', 'aida.json', '-w', 'elsewhere'])
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('ERR_WALLET_NOT_FOUND')
  })

  it('list: program, issuer, dates and current status (human and JSON)', async () => {
    const human = await cli(['wallet', 'list', '-w', 'w', '--status-dir', 'lists'])
    expect(human.code).toBe(0)
    expect(human.out).toContain(`Holder ${holder} (2 credentials)`)
    expect(human.out).toContain('AI Deployment Awareness (AIDA)  ✓ valid')
    expect(human.out).toContain('Certified AI Application Engineer (CAAE)  ✓ valid')
    expect(human.out).toContain(`issuer  Production AI Institute (${key.did})`)
    expect(human.out).toMatch(/valid {3}from \d{4}-\d{2}-\d{2}T[\d:]+Z, no end date/)

    const caae = JSON.parse(await readFile(join(dir, 'caae.json'), 'utf8')) as { id: string }
    await registry.revoke(caae.id, 'misconduct')
    await publish()
    const json = await cli(['wallet', 'list', '-w', 'w', '--status-dir', 'lists', '--json'])
    const listed = JSON.parse(json.out) as {
      holder: string
      credentials: { program?: { code: string }; standing: string; codes: string[] }[]
    }
    expect(listed.holder).toBe(holder)
    expect(listed.credentials.map((c) => [c.program?.code, c.standing, c.codes])).toEqual([
      ['AIDA', 'valid', []],
      ['CAAE', 'revoked', ['ERR_STATUS_REVOKED']],
    ])
  })

  it('present: a presentation for the employer, which verifies it; bad requests are usage errors', async () => {
    const employer = createChallengeStore()
    const { challenge } = await employer.issue({ domain: 'jobs.example' })
    const r = await cli([
      'wallet',
      'present',
      '-w',
      'w',
      '--challenge',
      challenge,
      '--domain',
      'jobs.example',
      '--credential',
      'AIDA',
      '--out',
      'vp.json',
    ])
    expect(r.code).toBe(0)
    expect(r.err).toContain('Wrote a presentation of 1 credential(s)')
    const vp = JSON.parse(await readFile(join(dir, 'vp.json'), 'utf8')) as unknown
    const lists = await publishStatusLists({ registry, key, baseUrl: BASE })
    const { createOfflineStatusListSource } = await import('@certify-vc/verifier')
    const result = await verifyPresentation(vp, {
      trustedIssuers: [key.did],
      challenge,
      domain: 'jobs.example',
      challengeStore: employer,
      status: {
        source: createOfflineStatusListSource(lists.map((l) => l.credential)),
        cache: false,
      },
    })
    expect(result.problems).toEqual([])
    expect(result.verified).toBe(true)

    const stdout = await cli([
      'wallet',
      'present',
      '-w',
      'w',
      '--challenge',
      'c',
      '--domain',
      'd',
      '--credential',
      'AIDA',
    ])
    expect((JSON.parse(stdout.out) as { proof: { challenge: string } }).proof.challenge).toBe('c')

    const noChallenge = await cli([
      'wallet',
      'present',
      '-w',
      'w',
      '--domain',
      'd',
      '--credential',
      'AIDA',
    ])
    expect(noChallenge.code).toBe(2)
    expect(noChallenge.err).toContain('--challenge is required')
    const nothing = await cli(['wallet', 'present', '-w', 'w', '--challenge', 'c', '--domain', 'd'])
    expect(nothing.code).toBe(2)
    const unknown = await cli([
      'wallet',
      'present',
      '-w',
      'w',
      '--challenge',
      'c',
      '--domain',
      'd',
      '--credential',
      'AIMA',
    ])
    expect(unknown.code).toBe(1)
    expect(unknown.err).toContain('ERR_WALLET_CREDENTIAL_NOT_FOUND')
  })

  it('qr: terminal text, PNG and SVG of the presentation; the payload decodes to it', async () => {
    const r = await cli(['wallet', 'qr', 'vp.json', '--png', 'vp.png', '--svg', 'vp.svg'])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^[█▀▄ ]+\n/)
    expect(r.err).toMatch(/QR version \d+, \d+ characters \(\d+ bytes of CBOR-LD\)/)
    const png = await readFile(join(dir, 'vp.png'))
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(await readFile(join(dir, 'vp.svg'), 'utf8')).toMatch(/^<svg /)
    const vp = JSON.parse(await readFile(join(dir, 'vp.json'), 'utf8')) as Record<string, never>
    const qr = await presentationToQr(vp)
    expect(await presentationFromQr(qr.payload)).toEqual(vp)
    expect((await cli(['wallet', 'qr'])).code).toBe(2)
    await writeFile(join(dir, 'not-json.txt'), 'hello')
    expect((await cli(['wallet', 'qr', 'not-json.txt'])).code).toBe(2)
  })
})
