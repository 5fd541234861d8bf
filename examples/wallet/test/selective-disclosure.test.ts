/**
 * Selective disclosure in the wallet (ecdsa-sd-2023): the Institute signs a CAAE base proof with
 * its P-256 key; the wallet imports and lists it (checked through a full disclosure, status
 * included); the learner presents it revealing only what the program makes mandatory, which
 * withholds the salted email hash; the employer verifies the presentation and sees what was
 * disclosed. A revoked credential is shown revoked.
 */
import { join } from 'node:path'
import {
  generateIssuerKey,
  issueCredential,
  openSqliteRegistry,
  publishStatusLists,
  type IssuerKey,
  type StatusRegistry,
} from '@certify-vc/issuer'
import {
  createChallengeStore,
  createOfflineStatusListSource,
  verifyPresentation,
  type StatusCheckOptions,
} from '@certify-vc/verifier'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { initWallet, type Wallet } from '../src/index.js'
import { STATUS_BASE, removeDir, tempDir } from './helpers.js'

const EMPLOYER = 'hiring.example.com'
let dir: string
let key: IssuerKey
let registry: StatusRegistry
let wallet: Wallet

async function status(): Promise<StatusCheckOptions> {
  const lists = await publishStatusLists({ registry, key, baseUrl: STATUS_BASE })
  return { source: createOfflineStatusListSource(lists.map((l) => l.credential)), cache: false }
}

beforeAll(async () => {
  dir = await tempDir()
  key = await generateIssuerKey({ type: 'P-256' })
  registry = await openSqliteRegistry(join(dir, 'registry.sqlite'))
  wallet = await initWallet(join(dir, 'wallet'), { trustedIssuers: [key.did] })
})
afterAll(async () => {
  await registry.close()
  await removeDir(dir)
})

describe('ecdsa-sd-2023 in the wallet', () => {
  let credentialId: string

  it('imports and lists a CAAE base credential (checked through a full disclosure)', async () => {
    const base = await issueCredential({
      program: 'CAAE',
      key,
      suite: 'ecdsa-sd-2023',
      recipient: { name: 'Ada Lovelace', did: wallet.holder, email: 'ada@example.org' },
      status: { registry, baseUrl: STATUS_BASE, suspension: true },
    })
    credentialId = base.id
    const imported = await wallet.importCredential(base, { status: await status() })
    expect(imported).toMatchObject({ imported: true, problems: [] })
    expect(imported.verification.credential.status).toHaveLength(2)
    const listed = await wallet.list({ status: await status() })
    expect(listed.map((e) => [e.program?.code, e.standing])).toEqual([['CAAE', 'valid']])
  })

  it('presents it revealing only the mandatory members: the email hash is withheld', async () => {
    const challenges = createChallengeStore()
    const { challenge } = await challenges.issue({ domain: EMPLOYER })
    const vp = await wallet.present({
      challenge,
      domain: EMPLOYER,
      credentials: ['CAAE'],
      reveal: [],
    })
    const shown = (vp.verifiableCredential ?? [])[0] as Record<string, Record<string, unknown>>
    expect(shown.credentialSubject?.identifier).toBeUndefined()
    expect(shown.credentialSubject).toMatchObject({ id: wallet.holder, name: 'Ada Lovelace' })
    const result = await verifyPresentation(vp, {
      trustedIssuers: [key.did],
      challenge,
      domain: EMPLOYER,
      challengeStore: challenges,
      status: await status(),
    })
    expect(result.problems).toEqual([])
    expect(result.verified).toBe(true)
    const disclosed = result.credentials[0]?.result.credential.disclosed ?? []
    expect(disclosed).toContain('/credentialSubject/name')
    expect(disclosed.some((p) => p.startsWith('/credentialSubject/identifier'))).toBe(false)
  })

  it('--reveal with a pointer that names nothing is ERR_DISCLOSURE_POINTER_INVALID', async () => {
    await expect(
      wallet.present({
        challenge: 'c',
        domain: EMPLOYER,
        credentials: ['CAAE'],
        reveal: ['/credentialSubject/nothing'],
      }),
    ).rejects.toMatchObject({ code: 'ERR_DISCLOSURE_POINTER_INVALID' })
  })

  it('a revoked selectively disclosable credential is listed as revoked', async () => {
    await registry.revoke(credentialId, 'test')
    const listed = await wallet.list({ status: await status() })
    expect(listed.map((e) => e.standing)).toEqual(['revoked'])
  })
})
