/**
 * `profile: 'vc'`: plain VC 2.0 / 1.1 credentials inside presentations get every check of the
 * credential pipeline except the Open Badges fields and the program: proof, key binding,
 * validity, issuer trust and status (revocation through a signed status list).
 */
import { CONTEXT_URLS } from '@certify-vc/context'
import { CHECK_IDS, createOfflineStatusListSource, verifyPresentation } from '@certify-vc/verifier'
import { beforeAll, describe, expect, it } from 'vitest'
import { NOW, makeIssuer, sign, type TestIssuer } from '../helpers.js'
import { entry, revocationUrl, signedList } from '../status-fixtures.js'
import { check, expectFailure, presentationBy, vpOptions } from './fixtures.js'

let issuer: TestIssuer
let holder: TestIssuer

beforeAll(async () => {
  issuer = await makeIssuer(1)
  holder = await makeIssuer(51)
})

function plain(format: 'vc2' | 'vc1.1', extra: Record<string, unknown> = {}) {
  return {
    '@context':
      format === 'vc2'
        ? [CONTEXT_URLS.credentialsV2]
        : [CONTEXT_URLS.credentialsV1, CONTEXT_URLS.ed25519Signature2020V1],
    id: `urn:uuid:generic-${format}`,
    type: ['VerifiableCredential'],
    issuer: issuer.did,
    ...(format === 'vc1.1' ? { issuanceDate: '2026-11-01T00:00:00Z' } : {}),
    credentialSubject: { id: holder.did },
    ...extra,
  }
}

const generic = (extra: Parameters<typeof vpOptions>[1] = {}) =>
  vpOptions(issuer, { profile: 'vc', ...extra })

describe("profile: 'vc' inside presentations", () => {
  it.each(['vc2', 'vc1.1'] as const)(
    'a plain %s credential verifies, with every credential check but program',
    async (format) => {
      const vc = await sign(plain(format), issuer)
      const r = await verifyPresentation(await presentationBy(holder, [vc]), generic())
      expect(r.problems).toEqual([])
      expect(r.verified).toBe(true)
      const result = r.credentials[0]?.result
      expect(result?.checks.map((c) => c.id)).toEqual([...CHECK_IDS])
      expect(Object.fromEntries(result?.checks.map((c) => [c.id, c.outcome]) ?? [])).toEqual({
        input: 'passed',
        structure: 'passed',
        contexts: 'passed',
        proof: 'passed',
        'key-binding': 'passed',
        validity: 'passed',
        'related-resources': 'skipped',
        'issuer-trust': 'passed',
        program: 'skipped',
        status: 'skipped',
      })
      expect(result?.credential).toMatchObject({
        id: `urn:uuid:generic-${format}`,
        format,
        issuer: issuer.did,
        subject: { id: holder.did },
      })
    },
  )

  it('the same credential fails under the default (institute) profile with ERR_STRUCTURE_NOT_OPEN_BADGE', async () => {
    const vc = await sign(plain('vc2'), issuer)
    const r = await verifyPresentation(await presentationBy(holder, [vc]), vpOptions(issuer))
    expectFailure(r, 'credentials', 'ERR_STRUCTURE_NOT_OPEN_BADGE')
  })

  it('a revoked generic credential fails with ERR_STATUS_REVOKED', async () => {
    const vc = await sign(plain('vc2', { credentialStatus: entry(revocationUrl(), 7) }), issuer)
    const list = await signedList(issuer, revocationUrl(), { set: [7] })
    const r = await verifyPresentation(
      await presentationBy(holder, [vc]),
      generic({ status: { source: createOfflineStatusListSource([list]), cache: false } }),
    )
    expectFailure(
      r,
      'credentials',
      'ERR_STATUS_REVOKED',
      '/verifiableCredential/0/credentialStatus',
    )
  })

  it('a generic credential whose status list cannot be had fails closed (ERR_STATUS_UNKNOWN)', async () => {
    const vc = await sign(plain('vc2', { credentialStatus: entry(revocationUrl(), 7) }), issuer)
    const r = await verifyPresentation(
      await presentationBy(holder, [vc]),
      generic({ status: { source: createOfflineStatusListSource([]), cache: false } }),
    )
    expectFailure(r, 'credentials', 'ERR_STATUS_UNKNOWN')
  })

  it('an expired generic credential fails with ERR_VALIDITY_EXPIRED', async () => {
    const vc = await sign(plain('vc2', { validUntil: '2026-11-02T00:00:00Z' }), issuer)
    const r = await verifyPresentation(await presentationBy(holder, [vc]), generic({ now: NOW }))
    expectFailure(r, 'credentials', 'ERR_VALIDITY_EXPIRED', '/verifiableCredential/0/validUntil')
  })

  it('a generic credential whose proof was created after `now` fails with ERR_PROOF_CREATED_INVALID', async () => {
    const vc = await sign(plain('vc2'), issuer) // created 2026-11-01
    const vp = await presentationBy(holder, [vc]) // created 2026-11-29T11:59
    const r = await verifyPresentation(
      vp,
      generic({ now: new Date('2026-11-29T11:59:30Z'), maxClockSkewSeconds: 0 }),
    )
    expect(r.verified).toBe(true)
    const future = structuredClone(vc)
    ;(future.proof as Record<string, unknown>).created = '2026-12-01T00:00:00Z'
    const r2 = await verifyPresentation(await presentationBy(holder, [future]), generic())
    expectFailure(
      r2,
      'credentials',
      'ERR_PROOF_CREATED_INVALID',
      '/verifiableCredential/0/proof/created',
    )
  })

  it('a generic credential signed by a key its issuer does not control fails with ERR_KEY_NOT_ISSUER', async () => {
    const mallory = await makeIssuer(52)
    const vc = await sign(plain('vc2'), mallory) // issuer says `issuer`, key is Mallory's
    const r = await verifyPresentation(await presentationBy(holder, [vc]), generic())
    expectFailure(r, 'credentials', 'ERR_KEY_NOT_ISSUER')
    // A proof that does not bind to the issuer is fatal: nothing after it shows green (A1).
    const outcomes = Object.fromEntries(
      r.credentials[0]?.result.checks.map((c) => [c.id, c.outcome]) ?? [],
    )
    expect(outcomes).toMatchObject({
      'key-binding': 'failed',
      validity: 'skipped',
      'issuer-trust': 'skipped',
      status: 'skipped',
    })
  })

  it.each([
    ['no issuer', { issuer: undefined }, 'ERR_STRUCTURE_INVALID', '/verifiableCredential/0/issuer'],
    [
      'a relative subject id',
      { credentialSubject: { id: 'alice' } },
      'ERR_STRUCTURE_RELATIVE_IRI',
      '/verifiableCredential/0/credentialSubject/id',
    ],
    [
      'no credentialSubject',
      { credentialSubject: undefined },
      'ERR_STRUCTURE_INVALID',
      '/verifiableCredential/0/credentialSubject',
    ],
    [
      'a credentialStatus without type',
      { credentialStatus: { id: 'https://example.com/status/1#3' } },
      'ERR_STRUCTURE_INVALID',
      '/verifiableCredential/0/credentialStatus',
    ],
    [
      'a null member (JSON-LD drops it unsigned)',
      { name: null },
      'ERR_STRUCTURE_INVALID',
      '/verifiableCredential/0/name',
    ],
    [
      'validUntil before validFrom',
      { validFrom: '2026-11-02T00:00:00Z', validUntil: '2026-11-01T00:00:00Z' },
      'ERR_STRUCTURE_DATE_INVALID',
      '/verifiableCredential/0/validUntil',
    ],
  ])('a generic credential with %s fails the structure check', async (_name, patch, code, path) => {
    const vc = plain('vc2', patch) as Record<string, unknown>
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete vc[k]
    vc.proof = { type: 'DataIntegrityProof' } // never reached: the structure fails first
    // Unsigned ('allow'): safe mode would not sign some of these, and the point is the credential.
    const vp = {
      '@context': [CONTEXT_URLS.credentialsV2],
      type: ['VerifiablePresentation'],
      holder: holder.did,
      verifiableCredential: [vc],
    }
    const r = await verifyPresentation(
      vp,
      generic({
        subjectBinding: 'off',
        holderBinding: 'if-present',
        unsignedPresentation: 'allow',
        challenge: undefined,
        domain: null,
      }),
    )
    expect(check(r, 'proof').outcome).toBe('skipped')
    expect(r.credentials[0]?.result.checks.find((c) => c.id === 'structure')?.outcome).toBe(
      'failed',
    )
    expectFailure(r, 'credentials', code, path)
  })
})
