/**
 * Proof policy: every proof must be allowed and verify (no any-of), proof sets and chains, strict
 * Ed25519 (malleated signatures, unusable keys), bounded canonicalization, and a failed proof
 * being fatal (docs/attacks.md A1, A9–A11, A15, B1).
 */
import { encodeEd25519PublicKeyMultibase } from '@certify-vc/context'
import { createSuite, signDocument, type SuiteName } from '@certify-vc/core'
import { verifyCredential, type VerifyCredentialResult } from '@certify-vc/verifier'
import { base58btc } from 'multiformats/bases/base58'
import { beforeAll, describe, expect, it } from 'vitest'
import { P, le, malleate } from '../../core/test/ed25519-helpers.js'
import {
  NOW,
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

beforeAll(async () => {
  issuer = await makeIssuer(1)
  other = await makeIssuer(2)
})

function check(result: VerifyCredentialResult, id: string) {
  const c = result.checks.find((x) => x.id === id)
  if (c === undefined) throw new Error(`no check ${id}`)
  return c
}

/** A1: once the proof fails, no check that reads the signed data shows as passed. */
function expectFatal(result: VerifyCredentialResult, reason: RegExp) {
  expect(result.verified).toBe(false)
  for (const id of ['validity', 'issuer-trust', 'program', 'status']) {
    expect(check(result, id)).toMatchObject({ outcome: 'skipped', problems: [] })
    expect(check(result, id).reason).toMatch(reason)
  }
  expect(check(result, 'key-binding').outcome).not.toBe('passed')
}

function suiteOf(format: 'vc2' | 'vc1.1'): SuiteName {
  return format === 'vc2' ? 'eddsa-rdfc-2022' : 'Ed25519Signature2020'
}

async function signWith(
  document: Record<string, unknown>,
  key: TestIssuer,
  format: 'vc2' | 'vc1.1',
  extra: { previousProof?: string; proofId?: string; date?: string } = {},
) {
  return signDocument(document, {
    suite: createSuite(suiteOf(format), {
      signer: key.signer,
      date: extra.date ?? '2026-11-01T00:00:00Z',
    }),
    documentLoader: loader,
    ...(extra.previousProof === undefined ? {} : { previousProof: extra.previousProof }),
    ...(extra.proofId === undefined ? {} : { proofId: extra.proofId }),
  })
}

describe('A15: malleated Ed25519 signatures are refused before any library call', () => {
  for (const format of ['vc2', 'vc1.1'] as const) {
    it(`${format}: S + L on a real signed credential is ERR_PROOF_SIGNATURE_MALLEABLE`, async () => {
      const vc = await signedCredential(issuer, { format })
      expect((await verifyCredential(vc, opts())).verified).toBe(true)
      const proof = vc.proof as Record<string, string>
      const twin = {
        ...vc,
        proof: {
          ...proof,
          proofValue: base58btc.encode(malleate(base58btc.decode(proof.proofValue ?? ''))),
        },
      }
      const r = await verifyCredential(twin, opts())
      expect(check(r, 'proof')).toMatchObject({
        outcome: 'failed',
        problems: [
          expect.objectContaining({
            code: 'ERR_PROOF_SIGNATURE_MALLEABLE',
            path: '/proof/proofValue',
            type: 'CRYPTOGRAPHIC_SECURITY_ERROR',
          }),
        ],
      })
      expectFatal(r, /proof/)
    })
  }
})

describe('A10: every proof must be allowed and verify (no any-of)', () => {
  it('a good proof plus a forged one fails, pointing at the forged one', async () => {
    const vc = await signedCredential(issuer)
    const good = vc.proof as Record<string, string>
    const sig = base58btc.decode(good.proofValue ?? '')
    sig[0] = (sig[0] ?? 0) ^ 1 // R changed: a forgery, still canonical
    const forged = { ...good, proofValue: base58btc.encode(sig) }
    const r = await verifyCredential({ ...vc, proof: [good, forged] }, opts())
    expect(check(r, 'proof').problems).toEqual([
      expect.objectContaining({ code: 'ERR_PROOF_INVALID', path: '/proof/1/proofValue' }),
    ])
    expectFatal(r, /proof did not verify/)
  })

  it('a good proof plus a proof of an unknown suite fails, pointing at the unknown one', async () => {
    const vc = await signedCredential(issuer)
    const good = vc.proof as Record<string, string>
    const unknown = { ...good, cryptosuite: 'bbs-2023' }
    const r = await verifyCredential({ ...vc, proof: [unknown, good] }, opts())
    expect(check(r, 'proof').problems).toEqual([
      expect.objectContaining({
        code: 'ERR_PROOF_SUITE_NOT_ALLOWED',
        path: '/proof/0/cryptosuite',
      }),
    ])
    expectFatal(r, /proof did not verify/)
  })

  it('a good proof plus a valid proof by a key not bound to the issuer fails key binding', async () => {
    const once = await signedCredential(issuer)
    const twice = await signWith(once, other, 'vc2', { date: '2026-11-02T00:00:00Z' })
    const r = await verifyCredential(twice, opts())
    expect(check(r, 'proof').outcome).toBe('passed') // both signatures are genuine
    expect(check(r, 'key-binding')).toMatchObject({
      outcome: 'failed',
      problems: [
        expect.objectContaining({
          code: 'ERR_KEY_NOT_ISSUER',
          path: '/proof/1/verificationMethod',
        }),
      ],
    })
    expectFatal(r, /not bound to the issuer/)
  })

  it('two valid proofs by the issuer (a proof set) verify', async () => {
    const once = await signedCredential(issuer)
    const twice = await signWith(once, issuer, 'vc2', { date: '2026-11-02T00:00:00Z' })
    const r = await verifyCredential(twice, opts())
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
  })

  it('more proofs than limits.maxProofs: ERR_PROOF_TOO_MANY', async () => {
    const vc = await signedCredential(issuer)
    const r = await verifyCredential(
      { ...vc, proof: [vc.proof, vc.proof, vc.proof] },
      { ...opts(), limits: { maxProofs: 2 } },
    )
    expect(check(r, 'proof').problems).toEqual([
      expect.objectContaining({ code: 'ERR_PROOF_TOO_MANY', path: '/proof' }),
    ])
  })
})

describe('A11: proof chains (previousProof)', () => {
  it('a valid chain by the issuer verifies', async () => {
    const first = await signWith(unsignedCredential(issuer.did), issuer, 'vc2', {
      proofId: 'urn:uuid:11111111-1111-4111-8111-111111111111',
    })
    const chained = await signWith(first, issuer, 'vc2', {
      previousProof: 'urn:uuid:11111111-1111-4111-8111-111111111111',
      proofId: 'urn:uuid:22222222-2222-4222-8222-222222222222',
      date: '2026-11-02T00:00:00Z',
    })
    expect((chained.proof as unknown[]).length).toBe(2)
    const r = await verifyCredential(chained, opts())
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
  })

  it('Ed25519Signature2020 cannot chain: its context has no previousProof (ERR_JSONLD_UNDEFINED_TERM)', async () => {
    const first = await signWith(
      unsignedCredential(issuer.did, { format: 'vc1.1' }),
      issuer,
      'vc1.1',
      {
        proofId: 'urn:uuid:11111111-1111-4111-8111-111111111111',
      },
    )
    await expect(
      signWith(first, issuer, 'vc1.1', {
        previousProof: 'urn:uuid:11111111-1111-4111-8111-111111111111',
      }),
    ).rejects.toThrow(/Safe mode/)
    const proof = first.proof as Record<string, unknown>
    const second = {
      ...proof,
      id: 'urn:uuid:22222222-2222-4222-8222-222222222222',
      previousProof: proof.id,
    }
    const r = await verifyCredential({ ...first, proof: [proof, second] }, opts())
    // Safe-mode expansion of the whole document (proofs included) already refuses the term.
    expect(r.problems).toEqual([
      expect.objectContaining({
        code: 'ERR_JSONLD_UNDEFINED_TERM',
        path: '/proof/1/previousProof',
      }),
    ])
    expect(check(r, 'contexts').outcome).toBe('failed')
  })

  it('previousProof naming an absent proof: ERR_PROOF_CHAIN_DANGLING with its pointer', async () => {
    const first = await signWith(unsignedCredential(issuer.did), issuer, 'vc2', {
      proofId: 'urn:uuid:11111111-1111-4111-8111-111111111111',
    })
    const chained = (await signWith(first, issuer, 'vc2', {
      previousProof: 'urn:uuid:11111111-1111-4111-8111-111111111111',
      date: '2026-11-02T00:00:00Z',
    })) as Record<string, unknown> & { proof: unknown[] }
    const r = await verifyCredential({ ...chained, proof: [chained.proof[1]] }, opts())
    expect(check(r, 'proof').problems).toEqual([
      expect.objectContaining({
        code: 'ERR_PROOF_CHAIN_DANGLING',
        path: '/proof/0/previousProof',
      }),
    ])
    expectFatal(r, /proof did not verify/)
  })

  it('a cycle: ERR_PROOF_CHAIN_CYCLE on each proof of it', async () => {
    const first = await signWith(unsignedCredential(issuer.did), issuer, 'vc2', {
      proofId: 'urn:uuid:11111111-1111-4111-8111-111111111111',
    })
    const chained = (await signWith(first, issuer, 'vc2', {
      previousProof: 'urn:uuid:11111111-1111-4111-8111-111111111111',
      proofId: 'urn:uuid:22222222-2222-4222-8222-222222222222',
      date: '2026-11-02T00:00:00Z',
    })) as Record<string, unknown> & { proof: Record<string, unknown>[] }
    const [a, b] = chained.proof
    const cyclic = {
      ...chained,
      proof: [{ ...a, previousProof: 'urn:uuid:22222222-2222-4222-8222-222222222222' }, b],
    }
    const r = await verifyCredential(cyclic, opts())
    expect(check(r, 'proof').problems).toEqual([
      expect.objectContaining({ code: 'ERR_PROOF_CHAIN_CYCLE', path: '/proof/0/previousProof' }),
      expect.objectContaining({ code: 'ERR_PROOF_CHAIN_CYCLE', path: '/proof/1/previousProof' }),
    ])
  })
})

describe('A15/A16: unusable issuer keys are refused at key binding', () => {
  function withKey(raw: Uint8Array) {
    const multibase = encodeEd25519PublicKeyMultibase(raw)
    const did = `did:key:${multibase}`
    const vc = unsignedCredential(did)
    // Any canonical 64-byte signature: the key is refused before it would be checked.
    vc.proof = {
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      created: '2026-11-01T00:00:00Z',
      verificationMethod: `${did}#${multibase}`,
      proofPurpose: 'assertionMethod',
      proofValue: base58btc.encode(new Uint8Array(64).fill(1, 0, 32)),
    }
    return { did, vc }
  }

  it.each([
    ['the identity point (small order)', le(1n), /small-order/],
    ['an order-2 point', le(P - 1n), /small-order/],
    ['y = p (non-canonical)', le(P), /canonical/],
    ['not a curve point', le(2n), /not a point/],
  ])('%s: ERR_KEY_INVALID, the proof not checked', async (_name, raw, message) => {
    const { did, vc } = withKey(raw)
    const r = await verifyCredential(vc, { trustedIssuers: [did], now: NOW })
    expect(check(r, 'key-binding').problems).toEqual([
      expect.objectContaining({
        code: 'ERR_KEY_INVALID',
        path: '/proof/verificationMethod',
        message: expect.stringMatching(message) as unknown,
      }),
    ])
    expect(check(r, 'proof')).toMatchObject({ outcome: 'skipped' })
    expectFatal(r, /could not be checked/)
  })
})

describe('A1: a failed proof is fatal', () => {
  it('a tampered credential shows no check passed after the proof', async () => {
    const vc = await signedCredential(issuer)
    ;(vc.credentialSubject as Record<string, unknown>).name = 'Mallory'
    const r = await verifyCredential(vc, opts())
    expect(check(r, 'proof').problems).toEqual([
      expect.objectContaining({ code: 'ERR_PROOF_INVALID', path: '/proof/proofValue' }),
    ])
    expectFatal(r, /proof did not verify/)
    expect(check(r, 'key-binding')).toMatchObject({ outcome: 'skipped' })
    expect(r.checks.filter((c) => c.outcome === 'passed').map((c) => c.id)).toEqual([
      'input',
      'structure',
      'contexts',
    ])
  })

  it('a credential whose contexts fail is not checked further', async () => {
    const vc = await signedCredential(issuer)
    vc['@context'] = [...(vc['@context'] as string[]), 'https://example.com/evil/v1']
    const r = await verifyCredential(vc, opts())
    expect(check(r, 'contexts').outcome).toBe('failed')
    for (const id of ['proof', 'key-binding', 'validity', 'issuer-trust', 'program', 'status']) {
      expect(check(r, id)).toMatchObject({ outcome: 'skipped' })
      expect(check(r, id).reason).toMatch(/contexts check failed/)
    }
  })

  it('skipped checks on a good credential say why (no status entry)', async () => {
    const r = await verifyCredential(await signedCredential(issuer), opts())
    expect(r.verified).toBe(true)
    expect(check(r, 'status')).toMatchObject({
      outcome: 'skipped',
      reason: 'The credential has no credentialStatus.',
    })
  })
})

describe('B1: canonicalization limits reach the proof check', () => {
  it('a graph needing more canonicalization work than allowed: ERR_JSONLD_CANONIZE_LIMIT', async () => {
    // Two identical alignment entries are blank nodes RDFC-1.0 cannot tell apart at first.
    const vc = await sign(
      (() => {
        const c = unsignedCredential(issuer.did)
        const achievement = (c.credentialSubject as Record<string, Record<string, unknown>>)
          .achievement as Record<string, unknown>
        const alignment = achievement.alignment as unknown[]
        achievement.alignment = [alignment[0], alignment[0]]
        return c
      })(),
      issuer,
    )
    expect((await verifyCredential(vc, opts())).verified).toBe(true)
    const r = await verifyCredential(vc, { ...opts(), limits: { maxWorkFactor: 0 } })
    expect(check(r, 'proof').problems).toEqual([
      expect.objectContaining({ code: 'ERR_JSONLD_CANONIZE_LIMIT', path: '/proof' }),
    ])
    expectFatal(r, /proof did not verify/)
  })
})

describe('C3/C4: dates of the credential and of its proof', () => {
  it('C3: hour 24 in a date is refused (ERR_STRUCTURE_DATE_INVALID)', async () => {
    const vc = await signedCredential(issuer, {
      patch: (c) => void (c.validFrom = '2026-10-31T24:00:00Z'),
    })
    const r = await verifyCredential(vc, opts())
    expect(check(r, 'structure').problems).toEqual([
      expect.objectContaining({ code: 'ERR_STRUCTURE_DATE_INVALID', path: '/validFrom' }),
    ])
  })

  it('C4: a proof created in the future of a credential valid now: ERR_PROOF_CREATED_INVALID', async () => {
    const vc = await signWith(unsignedCredential(issuer.did), issuer, 'vc2', {
      date: '2027-06-01T00:00:00Z',
    })
    const r = await verifyCredential(vc, opts())
    expect(check(r, 'proof').problems).toEqual([
      expect.objectContaining({ code: 'ERR_PROOF_CREATED_INVALID', path: '/proof/created' }),
    ])
    expectFatal(r, /proof did not verify/)
    // Within the clock skew it is fine; verified later, it is fine.
    const soon = await signWith(unsignedCredential(issuer.did), issuer, 'vc2', {
      date: new Date(NOW.getTime() + 60_000).toISOString(),
    })
    expect((await verifyCredential(soon, opts())).verified).toBe(true)
    const later = new Date('2027-07-01T00:00:00Z')
    expect((await verifyCredential(vc, { ...opts(), now: later })).verified).toBe(true)
  })

  it('C4: a proof created after the credential expired, or with a bad date, is refused', async () => {
    const expired = await signWith(
      (() => {
        const c = unsignedCredential(issuer.did)
        c.validUntil = '2026-11-10T00:00:00Z'
        return c
      })(),
      issuer,
      'vc2',
      { date: '2026-11-20T00:00:00Z' },
    )
    const r = await verifyCredential(expired, opts())
    // The signature holds; the dates do not: a validity finding (the proof check passed).
    expect(check(r, 'proof').outcome).toBe('passed')
    expect(check(r, 'validity').problems).toContainEqual(
      expect.objectContaining({
        code: 'ERR_PROOF_CREATED_INVALID',
        path: '/proof/created',
        message: expect.stringMatching(/after the credential expired/) as unknown,
      }),
    )
    expect(r.verified).toBe(false)
    const vc = await signedCredential(issuer)
    ;(vc.proof as Record<string, unknown>).created = '2026-11-01'
    const bad = await verifyCredential(vc, opts())
    expect(check(bad, 'proof').problems).toEqual([
      expect.objectContaining({ code: 'ERR_PROOF_CREATED_INVALID', path: '/proof/created' }),
    ])
  })

  it('C4: verifying as of a time before validFrom reports not yet valid, not a future proof', async () => {
    const vc = await signedCredential(issuer)
    const r = await verifyCredential(vc, { ...opts(), now: new Date('2020-01-01T00:00:00Z') })
    expect(check(r, 'proof').outcome).toBe('passed')
    expect(check(r, 'validity').problems).toEqual([
      expect.objectContaining({ code: 'ERR_VALIDITY_NOT_YET_VALID' }),
    ])
  })
})
