import { CATALOG, CONTEXT_URLS, ERROR_CODE_LIST, achievementFor } from '@certify-vc/context'
import { createSuite, signDocument } from '@certify-vc/core'
import {
  CHECK_IDS,
  createOfflineStatusListSource,
  verifyCredential,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import { base58btc } from 'multiformats/bases/base58'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  NOW,
  codes,
  loader,
  makeIssuer,
  sign,
  signedCredential,
  unsignedCredential,
  type TestIssuer,
} from './helpers.js'

let issuer: TestIssuer
let other: TestIssuer
const opts = () => ({ trustedIssuers: [issuer.did], now: NOW })

function check(result: VerifyCredentialResult, id: string) {
  const c = result.checks.find((x) => x.id === id)
  if (c === undefined) throw new Error(`no check ${id}`)
  return c
}

function expectFailure(
  result: VerifyCredentialResult,
  checkId: string,
  code: string,
  path?: string,
) {
  expect(result.verified).toBe(false)
  const c = check(result, checkId)
  expect(c.outcome).toBe('failed')
  expect(c.problems).toContainEqual(
    expect.objectContaining(path === undefined ? { code } : { code, path }),
  )
}

beforeAll(async () => {
  issuer = await makeIssuer(1)
  other = await makeIssuer(2)
})

describe('verifyCredential: round trips', () => {
  for (const program of ['AIDA', 'CAAE', 'AIMA'] as const) {
    for (const format of ['vc2', 'vc1.1'] as const) {
      it(`verifies a ${program} credential (${format})`, async () => {
        const vc = await signedCredential(issuer, { program, format })
        const r = await verifyCredential(vc, opts())
        expect(r.problems).toEqual([])
        expect(r.verified).toBe(true)
        expect(r.checks.map((c) => c.id)).toEqual([...CHECK_IDS])
        expect(check(r, 'status').outcome).toBe('skipped')
        expect(r.credential).toMatchObject({
          format,
          issuer: issuer.did,
          subject: { name: 'Ada Lovelace' },
          program: { code: program, achievementId: CATALOG.programs[program].achievementId },
        })
      })
    }
  }

  it('accepts JSON text and UTF-8 bytes as input', async () => {
    const vc = await signedCredential(issuer)
    const text = JSON.stringify(vc)
    expect((await verifyCredential(text, opts())).verified).toBe(true)
    expect((await verifyCredential(new TextEncoder().encode(text), opts())).verified).toBe(true)
  })

  it('returns plain JSON (survives JSON.stringify unchanged)', async () => {
    const vc = await signedCredential(issuer)
    vc.credentialSubject = { ...(vc.credentialSubject as object), name: 'Mallory' }
    const r = await verifyCredential(vc, opts())
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })

  it('does not mutate its input', async () => {
    const vc = await signedCredential(issuer)
    const copy = structuredClone(vc)
    await verifyCredential(vc, opts())
    expect(vc).toEqual(copy)
  })
})

describe('verifyCredential: tampering and forgery', () => {
  it('a tampered claim fails the proof check with ERR_PROOF_INVALID', async () => {
    const vc = await signedCredential(issuer)
    ;(vc.credentialSubject as Record<string, unknown>).name = 'Mallory'
    const r = await verifyCredential(vc, opts())
    expectFailure(r, 'proof', 'ERR_PROOF_INVALID', '/proof/proofValue')
  })

  it('a tampered date fails with ERR_PROOF_INVALID (vc1.1, Ed25519Signature2020)', async () => {
    const vc = await signedCredential(issuer, { format: 'vc1.1' })
    vc.issuanceDate = '2026-10-01T00:00:00Z'
    expectFailure(await verifyCredential(vc, opts()), 'proof', 'ERR_PROOF_INVALID')
  })

  it('an added field the contexts do not define fails with ERR_JSONLD_UNDEFINED_TERM', async () => {
    const vc = await signedCredential(issuer)
    ;(vc.credentialSubject as Record<string, unknown>).grade = 'A+'
    const r = await verifyCredential(vc, opts())
    expectFailure(r, 'contexts', 'ERR_JSONLD_UNDEFINED_TERM', '/credentialSubject/grade')
    expect(check(r, 'proof').outcome).toBe('skipped')
  })

  it('an undefined type fails with ERR_JSONLD_UNDEFINED_TERM', async () => {
    const vc = await signedCredential(issuer)
    vc.type = ['VerifiableCredential', 'OpenBadgeCredential', 'SuperCredential']
    expectFailure(
      await verifyCredential(vc, opts()),
      'contexts',
      'ERR_JSONLD_UNDEFINED_TERM',
      '/type/2',
    )
  })

  it('a swapped verification method (another key) fails key binding with ERR_KEY_NOT_ISSUER', async () => {
    const vc = await signedCredential(issuer)
    ;(vc.proof as Record<string, unknown>).verificationMethod = other.vmId
    const r = await verifyCredential(vc, opts())
    expectFailure(r, 'key-binding', 'ERR_KEY_NOT_ISSUER', '/proof/verificationMethod')
    expectFailure(r, 'proof', 'ERR_PROOF_INVALID')
  })

  it('a credential signed by another key but naming the trusted issuer fails (ERR_KEY_NOT_ISSUER)', async () => {
    const vc = await sign(unsignedCredential(issuer.did), other)
    const r = await verifyCredential(vc, opts())
    expectFailure(r, 'key-binding', 'ERR_KEY_NOT_ISSUER')
    expect(check(r, 'proof').outcome).toBe('passed') // the signature itself is valid
  })

  it('a foreign issuer with a valid signature is ERR_ISSUER_UNTRUSTED, never verified', async () => {
    const vc = await signedCredential(other)
    const r = await verifyCredential(vc, opts())
    expectFailure(r, 'issuer-trust', 'ERR_ISSUER_UNTRUSTED', '/issuer')
    expect(check(r, 'proof').outcome).toBe('passed')
    expect(check(r, 'key-binding').outcome).toBe('passed')
    expect(check(r, 'program').outcome).toBe('skipped')
    expect(r.credential.program).toBeUndefined()
  })

  it('no trusted issuers at all: ERR_ISSUER_UNTRUSTED', async () => {
    const vc = await signedCredential(issuer)
    expectFailure(
      await verifyCredential(vc, { trustedIssuers: [], now: NOW }),
      'issuer-trust',
      'ERR_ISSUER_UNTRUSTED',
    )
  })

  it("a CAAE-looking credential whose achievement id is AIDA's fails with ERR_PROGRAM_MISMATCH", async () => {
    const vc = await signedCredential(issuer, {
      program: 'CAAE',
      patch: (c) => {
        const subject = c.credentialSubject as Record<string, unknown>
        subject.achievement = {
          ...achievementFor(CATALOG.programs.CAAE, CATALOG),
          id: CATALOG.programs.AIDA.achievementId,
        }
      },
    })
    const r = await verifyCredential(vc, opts())
    expectFailure(r, 'program', 'ERR_PROGRAM_MISMATCH', '/credentialSubject/achievement/name')
    expect(check(r, 'proof').outcome).toBe('passed')
    expect(r.credential.program).toBeUndefined()
  })

  it('an achievement outside the catalog fails with ERR_PROGRAM_UNKNOWN', async () => {
    const vc = await signedCredential(issuer, {
      patch: (c) => {
        const subject = c.credentialSubject as Record<string, unknown>
        subject.achievement = {
          ...achievementFor(CATALOG.programs.AIDA, CATALOG),
          id: 'https://production-ai.institute/certify/phd',
        }
      },
    })
    expectFailure(
      await verifyCredential(vc, opts()),
      'program',
      'ERR_PROGRAM_UNKNOWN',
      '/credentialSubject/achievement/id',
    )
  })

  it('a proof made for authentication fails with ERR_PROOF_PURPOSE', async () => {
    const vc = await signDocument(unsignedCredential(issuer.did), {
      suite: createSuite('eddsa-rdfc-2022', { signer: issuer.signer }),
      documentLoader: loader,
      purpose: { term: 'authentication', challenge: 'abc' },
    })
    expectFailure(
      await verifyCredential(vc, opts()),
      'proof',
      'ERR_PROOF_PURPOSE',
      '/proof/proofPurpose',
    )
  })

  it('a proof purpose rewritten to assertionMethod after signing fails with ERR_PROOF_INVALID', async () => {
    const vc = await signDocument(unsignedCredential(issuer.did), {
      // Created before NOW: a proof created later than the verification time is refused first.
      suite: createSuite('eddsa-rdfc-2022', {
        signer: issuer.signer,
        date: '2026-11-01T00:00:00Z',
      }),
      documentLoader: loader,
      purpose: { term: 'authentication', challenge: 'abc' },
    })
    const proof = vc.proof as Record<string, unknown>
    proof.proofPurpose = 'assertionMethod'
    delete proof.challenge
    expectFailure(await verifyCredential(vc, opts()), 'proof', 'ERR_PROOF_INVALID')
  })

  it('every proof must verify: a valid proof plus a broken one fails', async () => {
    const vc = await signedCredential(issuer)
    const good = vc.proof as Record<string, unknown>
    const signature = base58btc.decode(good.proofValue as string)
    signature[10] = (signature[10] ?? 0) ^ 0xff
    const bad = { ...good, proofValue: base58btc.encode(signature) }
    vc.proof = [good, bad]
    expectFailure(await verifyCredential(vc, opts()), 'proof', 'ERR_PROOF_INVALID')
  })

  it('a second proof by an unknown cryptosuite fails with ERR_PROOF_SUITE_NOT_ALLOWED', async () => {
    const vc = await signedCredential(issuer)
    vc.proof = [vc.proof, { ...(vc.proof as object), cryptosuite: 'bbs-2023' }]
    expectFailure(
      await verifyCredential(vc, opts()),
      'proof',
      'ERR_PROOF_SUITE_NOT_ALLOWED',
      '/proof/1/cryptosuite',
    )
  })

  it('a proof type the VC 2.0 context does not define is refused before any crypto', async () => {
    const vc = await signedCredential(issuer)
    vc.proof = [vc.proof, { ...(vc.proof as object), type: 'Ed25519Signature2018' }]
    const r = await verifyCredential(vc, opts())
    expectFailure(r, 'contexts', 'ERR_JSONLD_UNDEFINED_TERM')
    expect(check(r, 'proof').outcome).toBe('skipped')
  })

  it('an unknown cryptosuite fails with ERR_PROOF_SUITE_NOT_ALLOWED', async () => {
    const vc = await signedCredential(issuer)
    ;(vc.proof as Record<string, unknown>).cryptosuite = 'eddsa-jcs-2022'
    expectFailure(
      await verifyCredential(vc, opts()),
      'proof',
      'ERR_PROOF_SUITE_NOT_ALLOWED',
      '/proof/cryptosuite',
    )
  })

  it('a suite the caller did not allow fails with ERR_PROOF_SUITE_NOT_ALLOWED', async () => {
    const vc = await signedCredential(issuer, { format: 'vc1.1' })
    const r = await verifyCredential(vc, { ...opts(), suites: ['eddsa-rdfc-2022'] })
    expectFailure(r, 'proof', 'ERR_PROOF_SUITE_NOT_ALLOWED')
  })

  it('no proof: ERR_PROOF_MISSING; a proof member that holds none (null, []): ERR_PROOF_MALFORMED', async () => {
    const vc = unsignedCredential(issuer.did)
    expectFailure(await verifyCredential(vc, opts()), 'proof', 'ERR_PROOF_MISSING', '/proof')
    expectFailure(
      await verifyCredential({ ...vc, proof: [] }, opts()),
      'proof',
      'ERR_PROOF_MALFORMED',
      '/proof',
    )
    expectFailure(
      await verifyCredential({ ...vc, proof: null }, opts()),
      'proof',
      'ERR_PROOF_MALFORMED',
      '/proof',
    )
  })

  it('malformed proofs: ERR_PROOF_MALFORMED', async () => {
    const vc = await signedCredential(issuer)
    const proof = vc.proof as Record<string, unknown>
    const cases: [Record<string, unknown>, string][] = [
      [{ ...proof, proofValue: 'u' + (proof.proofValue as string).slice(1) }, '/proof/proofValue'],
      [{ ...proof, proofValue: 'z0OIl' }, '/proof/proofValue'],
      [{ ...proof, proofValue: 'z3' }, '/proof/proofValue'],
      [{ ...proof, verificationMethod: { id: issuer.vmId } }, '/proof/verificationMethod'],
      [{ ...proof, proofPurpose: undefined }, '/proof/proofPurpose'],
    ]
    for (const [p, path] of cases) {
      expectFailure(
        await verifyCredential({ ...vc, proof: p }, opts()),
        'proof',
        'ERR_PROOF_MALFORMED',
        path,
      )
    }
    expectFailure(
      await verifyCredential({ ...vc, proof: { ...proof, verificationMethod: 'key-1' } }, opts()),
      'contexts',
      'ERR_STRUCTURE_RELATIVE_IRI',
      '/proof/verificationMethod',
    )
    const { type: _t, ...noType } = proof
    // Without a type, the proof's terms are undefined (they are scoped to the proof type).
    expectFailure(
      await verifyCredential({ ...vc, proof: noType }, opts()),
      'contexts',
      'ERR_JSONLD_UNDEFINED_TERM',
    )
  })

  it('a verification method of another DID that is not a did:key is not even resolved: ERR_KEY_NOT_ISSUER', async () => {
    const vc = await signedCredential(issuer)
    ;(vc.proof as Record<string, unknown>).verificationMethod = 'did:example:123#key-1'
    const asked: string[] = []
    const r = await verifyCredential(vc, {
      ...opts(),
      didResolver: {
        resolve(did) {
          asked.push(did)
          return Promise.resolve({
            didDocument: null,
            didResolutionMetadata: { error: 'notFound' },
          })
        },
      },
    })
    expectFailure(r, 'key-binding', 'ERR_KEY_NOT_ISSUER', '/proof/verificationMethod')
    expect(check(r, 'proof').outcome).toBe('skipped')
    // A credential must not make a verifier fetch DID documents of hosts it names (docs/attacks.md E1).
    expect(asked).toEqual([])
  })

  it("the issuer's own verification method that cannot be resolved fails with ERR_KEY_UNRESOLVABLE", async () => {
    const vc = await signedCredential(issuer)
    const r = await verifyCredential(vc, {
      ...opts(),
      didResolver: {
        resolve: () =>
          Promise.resolve({ didDocument: null, didResolutionMetadata: { error: 'notFound' } }),
      },
    })
    expectFailure(r, 'key-binding', 'ERR_KEY_UNRESOLVABLE')
    expect(check(r, 'proof').outcome).toBe('skipped')
  })

  it('a did:key fragment that is not its key fails with ERR_KEY_UNRESOLVABLE', async () => {
    const vc = await signedCredential(issuer)
    ;(vc.proof as Record<string, unknown>).verificationMethod = `${issuer.did}#key-2`
    expectFailure(await verifyCredential(vc, opts()), 'key-binding', 'ERR_KEY_UNRESOLVABLE')
  })

  it('a key listed only under authentication fails with ERR_KEY_NOT_AUTHORIZED', async () => {
    const vc = await signedCredential(issuer)
    const didResolver = {
      resolve(did: string) {
        const vm = {
          id: issuer.vmId,
          type: 'Multikey',
          controller: issuer.did,
          publicKeyMultibase: issuer.did.slice(8),
        }
        return Promise.resolve({
          didDocument: {
            '@context': [CONTEXT_URLS.didV1, CONTEXT_URLS.multikeyV1],
            id: did,
            verificationMethod: [vm],
            authentication: [vm.id],
            assertionMethod: [],
          },
          didResolutionMetadata: {},
        })
      },
    }
    const r = await verifyCredential(vc, { ...opts(), didResolver })
    expectFailure(r, 'key-binding', 'ERR_KEY_NOT_AUTHORIZED')
  })
})

describe('verifyCredential: contexts', () => {
  it('an unknown context URL fails with ERR_CONTEXT_UNKNOWN (never fetched)', async () => {
    const vc = await signedCredential(issuer)
    ;(vc['@context'] as string[]).push('https://example.com/evil-context.jsonld')
    const r = await verifyCredential(vc, opts())
    expectFailure(r, 'contexts', 'ERR_CONTEXT_UNKNOWN', '/@context/3')
    expect(check(r, 'proof').outcome).toBe('skipped')
  })

  it('an unknown context nested in the proof fails with ERR_CONTEXT_UNKNOWN', async () => {
    const vc = await signedCredential(issuer)
    ;(vc.proof as Record<string, unknown>)['@context'] = 'https://example.com/ctx'
    expectFailure(
      await verifyCredential(vc, opts()),
      'contexts',
      'ERR_CONTEXT_UNKNOWN',
      '/proof/@context',
    )
  })

  it('an inline context fails with ERR_CONTEXT_INLINE', async () => {
    const vc = await signedCredential(issuer)
    ;(vc['@context'] as unknown[]).push({ grade: 'https://example.com/grade' })
    expectFailure(
      await verifyCredential(vc, opts()),
      'contexts',
      'ERR_CONTEXT_INLINE',
      '/@context/3',
    )
  })

  it('a first context that is not the VC base context fails with ERR_CONTEXT_ORDER', async () => {
    const vc = await signedCredential(issuer)
    vc['@context'] = [CONTEXT_URLS.openBadgesV3, CONTEXT_URLS.credentialsV2]
    expectFailure(await verifyCredential(vc, opts()), 'structure', 'ERR_CONTEXT_ORDER', '/@context')
  })
})

describe('verifyCredential: validity period', () => {
  const expiring = (validUntil: string) =>
    signedCredential(issuer, { patch: (c) => void (c.validUntil = validUntil) })

  it('an expired credential fails with ERR_VALIDITY_EXPIRED', async () => {
    const vc = await expiring('2026-11-20T00:00:00Z')
    expectFailure(
      await verifyCredential(vc, opts()),
      'validity',
      'ERR_VALIDITY_EXPIRED',
      '/validUntil',
    )
  })

  it('an expired vc1.1 credential fails with ERR_VALIDITY_EXPIRED at /expirationDate', async () => {
    const vc = await signedCredential(issuer, {
      format: 'vc1.1',
      patch: (c) => void (c.expirationDate = '2026-11-20T00:00:00Z'),
    })
    expectFailure(
      await verifyCredential(vc, opts()),
      'validity',
      'ERR_VALIDITY_EXPIRED',
      '/expirationDate',
    )
  })

  it('a credential not yet valid fails with ERR_VALIDITY_NOT_YET_VALID', async () => {
    const vc = await signedCredential(issuer, {
      patch: (c) => void (c.validFrom = '2027-01-01T00:00:00Z'),
    })
    expectFailure(
      await verifyCredential(vc, opts()),
      'validity',
      'ERR_VALIDITY_NOT_YET_VALID',
      '/validFrom',
    )
  })

  it('clock skew is bounded: 299 s past validUntil passes, 301 s fails (default 300 s)', async () => {
    const vc = await expiring('2026-11-29T12:00:00Z')
    const at = (s: number) => new Date(NOW.getTime() + s * 1000)
    expect(
      (await verifyCredential(vc, { trustedIssuers: [issuer.did], now: at(299) })).verified,
    ).toBe(true)
    expectFailure(
      await verifyCredential(vc, { trustedIssuers: [issuer.did], now: at(301) }),
      'validity',
      'ERR_VALIDITY_EXPIRED',
    )
    expectFailure(
      await verifyCredential(vc, {
        trustedIssuers: [issuer.did],
        now: at(1),
        maxClockSkewSeconds: 0,
      }),
      'validity',
      'ERR_VALIDITY_EXPIRED',
    )
  })
})

describe('verifyCredential: structure and input', () => {
  it('a BitstringStatusListEntry whose list cannot be obtained fails closed with ERR_STATUS_UNKNOWN', async () => {
    const vc = await signedCredential(issuer, {
      patch: (c) =>
        void (c.credentialStatus = {
          id: 'https://production-ai.institute/status/1#5',
          type: 'BitstringStatusListEntry',
          statusPurpose: 'revocation',
          statusListIndex: '5',
          statusListCredential: 'https://production-ai.institute/status/1',
        }),
    })
    const r = await verifyCredential(vc, {
      ...opts(),
      status: { source: createOfflineStatusListSource([]), cache: false },
    })
    expectFailure(r, 'status', 'ERR_STATUS_UNKNOWN', '/credentialStatus/statusListCredential')
    expect(check(r, 'proof').outcome).toBe('passed')
  })

  it('a status type this verifier does not know fails closed with ERR_STATUS_UNSUPPORTED', async () => {
    const vc = await signedCredential(issuer, {
      patch: (c) =>
        void (c.credentialStatus = {
          id: 'https://production-ai.institute/status/1#5',
          type: 'https://example.com/vocab#CustomStatusEntry',
        }),
    })
    const r = await verifyCredential(vc, {
      ...opts(),
      status: { source: createOfflineStatusListSource([]), cache: false },
    })
    expectFailure(r, 'status', 'ERR_STATUS_UNSUPPORTED', '/credentialStatus/type')
    expect(check(r, 'proof').outcome).toBe('passed')
  })

  it.each([
    [
      'missing issuer',
      (c: Record<string, unknown>) => void delete c.issuer,
      'ERR_STRUCTURE_INVALID',
      '/issuer',
    ],
    [
      'relative id',
      (c: Record<string, unknown>) => void (c.id = 'credential-1'),
      'ERR_STRUCTURE_RELATIVE_IRI',
      '/id',
    ],
    [
      'date without time zone',
      (c: Record<string, unknown>) => void (c.validFrom = '2026-11-01T00:00:00'),
      'ERR_STRUCTURE_DATE_INVALID',
      '/validFrom',
    ],
    [
      'impossible date',
      (c: Record<string, unknown>) => void (c.validFrom = '2026-02-30T00:00:00Z'),
      'ERR_STRUCTURE_DATE_INVALID',
      '/validFrom',
    ],
    [
      'validUntil before validFrom',
      (c: Record<string, unknown>) => void (c.validUntil = '2026-10-01T00:00:00Z'),
      'ERR_STRUCTURE_DATE_INVALID',
      '/validUntil',
    ],
    [
      'missing validFrom',
      (c: Record<string, unknown>) => void delete c.validFrom,
      'ERR_STRUCTURE_NOT_OPEN_BADGE',
      '/validFrom',
    ],
    [
      'missing id (OB 3.0: AchievementCredential.id is 1)',
      (c: Record<string, unknown>) => void delete c.id,
      'ERR_STRUCTURE_NOT_OPEN_BADGE',
      '/id',
    ],
    [
      'no Open Badges context second',
      (c: Record<string, unknown>) =>
        void (c['@context'] = [(c['@context'] as string[])[0], (c['@context'] as string[])[2]]),
      'ERR_STRUCTURE_NOT_OPEN_BADGE',
      '/@context/1',
    ],
    [
      'a subject with neither id nor identifier',
      (c: Record<string, unknown>) =>
        void delete (c.credentialSubject as Record<string, unknown>).id,
      'ERR_STRUCTURE_NOT_OPEN_BADGE',
      '/credentialSubject',
    ],
    [
      'no OpenBadgeCredential type',
      (c: Record<string, unknown>) => void (c.type = ['VerifiableCredential']),
      'ERR_STRUCTURE_NOT_OPEN_BADGE',
      '/type',
    ],
    [
      'no VerifiableCredential type',
      (c: Record<string, unknown>) => void (c.type = ['OpenBadgeCredential']),
      'ERR_STRUCTURE_INVALID',
      '/type',
    ],
    [
      'subject array',
      (c: Record<string, unknown>) => void (c.credentialSubject = [c.credentialSubject]),
      'ERR_STRUCTURE_NOT_OPEN_BADGE',
      '/credentialSubject',
    ],
    [
      'issuer as an object that is not a Profile',
      (c: Record<string, unknown>) => void ((c.issuer as { type: string[] }).type = ['Issuer']),
      'ERR_STRUCTURE_NOT_OPEN_BADGE',
      '/issuer/type',
    ],
    [
      'achievement without criteria',
      (c: Record<string, unknown>) =>
        void delete (
          (c.credentialSubject as Record<string, Record<string, unknown>>).achievement as Record<
            string,
            unknown
          >
        ).criteria,
      'ERR_STRUCTURE_NOT_OPEN_BADGE',
      '/credentialSubject/achievement/criteria',
    ],
    [
      'VC 1.1 date on a VC 2.0 credential',
      (c: Record<string, unknown>) => void (c.issuanceDate = '2026-11-01T00:00:00Z'),
      'ERR_STRUCTURE_INVALID',
      '/issuanceDate',
    ],
  ])('%s: %s', async (_name, patch, code, path) => {
    const vc = await signedCredential(issuer)
    patch(vc)
    expectFailure(await verifyCredential(vc, opts()), 'structure', code, path)
  })

  it.each([
    ['not JSON text', '{"a":', 'ERR_INPUT_NOT_JSON'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), 'ERR_INPUT_INVALID_UNICODE'],
    ['too large', 'x'.repeat(600_000), 'ERR_INPUT_TOO_LARGE'],
    ['too deep', '['.repeat(100) + ']'.repeat(100), 'ERR_INPUT_TOO_DEEP'],
    ['__proto__ key', '{"a":{"__proto__":{"polluted":true}}}', 'ERR_INPUT_FORBIDDEN_KEY'],
    ['constructor key', { constructor: 1 }, 'ERR_INPUT_FORBIDDEN_KEY'],
    ['BigInt', { n: 1n }, 'ERR_INPUT_NOT_JSON'],
    ['undefined', undefined, 'ERR_INPUT_NOT_JSON'],
  ])('input %s: %s', async (_name, input, code) => {
    const r = await verifyCredential(input, opts())
    expectFailure(r, 'input', code)
    expect(r.checks.filter((c) => c.id !== 'input').every((c) => c.outcome === 'skipped')).toBe(
      true,
    )
  })

  it('limits are configurable', async () => {
    const vc = await signedCredential(issuer)
    expectFailure(
      await verifyCredential(vc, { ...opts(), limits: { maxBytes: 100 } }),
      'input',
      'ERR_INPUT_TOO_LARGE',
    )
    expectFailure(
      await verifyCredential(vc, { ...opts(), limits: { maxDepth: 3 } }),
      'input',
      'ERR_INPUT_TOO_DEEP',
    )
  })

  it('non-object JSON fails the structure check', async () => {
    for (const input of ['null', '42', '"text"', '[]']) {
      expectFailure(await verifyCredential(input, opts()), 'structure', 'ERR_STRUCTURE_INVALID')
    }
  })

  it('never throws for arbitrary data', async () => {
    const inputs: unknown[] = [
      null,
      0,
      '',
      {},
      [],
      { '@context': 5 },
      { proof: {} },
      { issuer: {} },
      { '@context': [null] },
      { credentialSubject: { achievement: [] } },
    ]
    for (const input of inputs) {
      const r = await verifyCredential(input, opts())
      expect(r.verified).toBe(false)
    }
  })
})

describe('verifyCredential: bad options throw TypeError', () => {
  it.each([
    ['no options', undefined],
    ['no trustedIssuers', {}],
    ['trustedIssuers not strings', { trustedIssuers: [1] }],
    ['bad now', { trustedIssuers: [], now: new Date('x') }],
    ['now not a Date', { trustedIssuers: [], now: '2026-01-01' }],
    ['skew too large', { trustedIssuers: [], maxClockSkewSeconds: 86400 }],
    ['negative skew', { trustedIssuers: [], maxClockSkewSeconds: -1 }],
    ['loader not a function', { trustedIssuers: [], documentLoader: {} }],
    ['resolver without resolve', { trustedIssuers: [], didResolver: {} }],
    ['unknown suite', { trustedIssuers: [], suites: ['Ed25519Signature2018'] }],
    ['bad limits', { trustedIssuers: [], limits: { maxBytes: -1 } }],
    ['status not an object', { trustedIssuers: [], status: true }],
    ['status source without get', { trustedIssuers: [], status: { source: {} } }],
    ['status cache not a cache', { trustedIssuers: [], status: { cache: new Map() } }],
    ['status maxListBytes zero', { trustedIssuers: [], status: { maxListBytes: 0 } }],
    ['status timeoutMs not an integer', { trustedIssuers: [], status: { timeoutMs: 1.5 } }],
  ])('%s', async (_name, options) => {
    await expect(verifyCredential({}, options as never)).rejects.toThrow(TypeError)
  })
})

describe('error codes', () => {
  it('every code the verifier returns is in the closed list', () => {
    expect(ERROR_CODE_LIST).toContain('ERR_PROOF_INVALID')
    expect(new Set(ERROR_CODE_LIST).size).toBe(ERROR_CODE_LIST.length)
  })
  it('problems carry codes from the closed list', async () => {
    const vc = await signedCredential(other)
    const r = await verifyCredential(vc, opts())
    for (const code of codes(r)) expect(ERROR_CODE_LIST).toContain(code)
  })
})

describe('verifyCredential: relative IRIs in @id-typed values', () => {
  it.each([
    [
      'issuer.id',
      (c: Record<string, unknown>) => void ((c.issuer as Record<string, unknown>).id = 'institute'),
      'structure',
    ],
    [
      'achievement image',
      (c: Record<string, unknown>) =>
        void ((
          (c.credentialSubject as Record<string, Record<string, unknown>>).achievement as Record<
            string,
            unknown
          >
        ).image = { id: 'logo.png', type: 'Image' }),
      'contexts',
    ],
  ])('a relative %s fails with ERR_STRUCTURE_RELATIVE_IRI', async (_name, patch, checkId) => {
    const vc = await signedCredential(issuer)
    patch(vc)
    expectFailure(await verifyCredential(vc, opts()), checkId, 'ERR_STRUCTURE_RELATIVE_IRI')
  })
})
