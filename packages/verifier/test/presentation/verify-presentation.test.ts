/**
 * verifyPresentation: the employer flow with real keys and signatures (docs/attacks.md F1–F6), exact codes
 * and checks.
 */
import { CONTEXT_URLS } from '@certify-vc/context'
import {
  PRESENTATION_CHECK_IDS,
  createChallengeStore,
  createOfflineStatusListSource,
  verifyPresentation,
} from '@certify-vc/verifier'
import { base58btc } from 'multiformats/bases/base58'
import { beforeAll, describe, expect, it } from 'vitest'
import { NOW, makeIssuer, type TestIssuer } from '../helpers.js'
import { entry, recordingSource, revocationUrl, signedList } from '../status-fixtures.js'
import {
  CHALLENGE,
  DOMAIN,
  check,
  credentialFor,
  exampleHolder,
  expectFailure,
  outcomes,
  presentationBy,
  resolverWith,
  signRaw,
  vpOptions,
} from './fixtures.js'

let issuer: TestIssuer
let holder: TestIssuer
let other: TestIssuer

beforeAll(async () => {
  issuer = await makeIssuer(1)
  holder = await makeIssuer(31)
  other = await makeIssuer(32)
})

describe('verifyPresentation: a valid presentation', () => {
  it('verifies, proves the holder, and reports every check and credential', async () => {
    const vc = await credentialFor(issuer, holder.did)
    const vp = await presentationBy(holder, [vc])
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
    expect(r.holderProven).toBe(true)
    expect(r.checks.map((c) => c.id)).toEqual([...PRESENTATION_CHECK_IDS])
    expect(Object.values(outcomes(r))).toEqual(PRESENTATION_CHECK_IDS.map(() => 'passed'))
    expect(r.presentation).toEqual({
      format: 'vc2',
      holder: holder.did,
      signed: true,
      challenge: CHALLENGE,
      domain: DOMAIN,
      credentialCount: 1,
    })
    expect(r.credentials).toHaveLength(1)
    expect(r.credentials[0]).toMatchObject({
      index: 0,
      path: '/verifiableCredential/0',
      id: vc.id,
      verified: true,
    })
    expect(r.credentials[0]?.result.credential.program?.code).toBe('AIDA')
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })

  it('verifies a VC 1.1 presentation (Ed25519Signature2020) of a VC 1.1 credential', async () => {
    const vc = await credentialFor(issuer, holder.did, { format: 'vc1.1' })
    const vp = await presentationBy(holder, [vc], { format: 'vc1.1' })
    expect((vp.proof as { type: string }).type).toBe('Ed25519Signature2020')
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
    expect(r.presentation.format).toBe('vc1.1')
  })

  it('verifies several credentials and accepts JSON text and bytes', async () => {
    const vcs = [
      await credentialFor(issuer, holder.did, { patch: (c) => (c.id = 'urn:uuid:aaaa-1') }),
      await credentialFor(issuer, holder.did, { patch: (c) => (c.id = 'urn:uuid:aaaa-2') }),
    ]
    const vp = await presentationBy(holder, vcs)
    const text = JSON.stringify(vp)
    const r1 = await verifyPresentation(text, vpOptions(issuer))
    const r2 = await verifyPresentation(new TextEncoder().encode(text), vpOptions(issuer))
    for (const r of [r1, r2]) {
      expect(r.verified).toBe(true)
      expect(r.credentials.map((c) => c.id)).toEqual(['urn:uuid:aaaa-1', 'urn:uuid:aaaa-2'])
    }
  })
})

describe('verifyPresentation: replay, challenge and domain (F1, F2)', () => {
  it('with a challenge store, the first presentation verifies and a replay fails with ERR_CHALLENGE_REUSED', async () => {
    const store = createChallengeStore()
    const { challenge } = await store.issue({ domain: DOMAIN })
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)], {
      challenge,
    })
    const options = vpOptions(issuer, { challenge, challengeStore: store })
    const first = await verifyPresentation(vp, options)
    expect(first.problems).toEqual([])
    expect(first.verified).toBe(true)
    const replay = await verifyPresentation(vp, options)
    expectFailure(replay, 'challenge', 'ERR_CHALLENGE_REUSED', '/proof/challenge')
    expect(replay.holderProven).toBe(false)
    expect(check(replay, 'proof').outcome).toBe('passed')
    // The credentials are not verified again for a replayed presentation.
    expect(check(replay, 'credentials').outcome).toBe('skipped')
    expect(replay.credentials).toEqual([])
  })

  it('a store without an expected challenge accepts any challenge it issued, once', async () => {
    const store = createChallengeStore()
    const { challenge } = await store.issue()
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)], {
      challenge,
    })
    const options = vpOptions(issuer, { challenge: undefined, challengeStore: store })
    expect((await verifyPresentation(vp, options)).verified).toBe(true)
    expectFailure(await verifyPresentation(vp, options), 'challenge', 'ERR_CHALLENGE_REUSED')
  })

  it('a challenge the store never issued fails with ERR_CHALLENGE_UNKNOWN', async () => {
    const store = createChallengeStore()
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)], {
      challenge: 'uNeverIssuedByThisStore',
    })
    const r = await verifyPresentation(
      vp,
      vpOptions(issuer, { challenge: undefined, challengeStore: store }),
    )
    expectFailure(r, 'challenge', 'ERR_CHALLENGE_UNKNOWN', '/proof/challenge')
  })

  it('a challenge issued for another domain fails with ERR_CHALLENGE_UNKNOWN', async () => {
    const store = createChallengeStore()
    const { challenge } = await store.issue({ domain: 'other.example' })
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)], {
      challenge,
    })
    const r = await verifyPresentation(vp, vpOptions(issuer, { challenge, challengeStore: store }))
    expectFailure(r, 'challenge', 'ERR_CHALLENGE_UNKNOWN')
  })

  it('an expired challenge fails with ERR_CHALLENGE_EXPIRED', async () => {
    let clock = new Date('2026-11-29T12:00:00Z')
    const store = createChallengeStore({ ttlSeconds: 60, now: () => clock })
    const { challenge } = await store.issue({ domain: DOMAIN })
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)], {
      challenge,
    })
    clock = new Date('2026-11-29T12:01:00Z')
    const r = await verifyPresentation(vp, vpOptions(issuer, { challenge, challengeStore: store }))
    expectFailure(r, 'challenge', 'ERR_CHALLENGE_EXPIRED')
  })

  it('another challenge than the expected one fails with ERR_CHALLENGE_MISMATCH', async () => {
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)], {
      challenge: 'uAnotherSessionsChallenge',
    })
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(r, 'challenge', 'ERR_CHALLENGE_MISMATCH', '/proof/challenge')
    expect(check(r, 'proof').outcome).toBe('passed')
  })

  it('a forged presentation does not use up the challenge', async () => {
    const store = createChallengeStore()
    const { challenge } = await store.issue({ domain: DOMAIN })
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)], {
      challenge,
    })
    const forged = structuredClone(vp)
    forged.id = 'urn:uuid:forged'
    const options = vpOptions(issuer, { challenge, challengeStore: store })
    expectFailure(await verifyPresentation(forged, options), 'proof', 'ERR_PROOF_INVALID')
    expect((await verifyPresentation(vp, options)).verified).toBe(true)
  })

  it('a presentation whose challenge was removed fails with ERR_CHALLENGE_MISSING (and its signature breaks)', async () => {
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
    delete (vp.proof as Record<string, unknown>).challenge
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(r, 'challenge', 'ERR_CHALLENGE_MISSING', '/proof/challenge')
    expectFailure(r, 'proof', 'ERR_PROOF_INVALID', '/proof/proofValue')
  })

  it('a presentation for another domain fails with ERR_DOMAIN_MISMATCH', async () => {
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)], {
      domain: 'evil.example',
    })
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(r, 'domain', 'ERR_DOMAIN_MISMATCH', '/proof/domain')
    expect(r.holderProven).toBe(false)
  })

  it('a presentation signed without a domain fails with ERR_DOMAIN_MISSING, unless domain: null', async () => {
    const vp = await signRaw(
      {
        '@context': [CONTEXT_URLS.credentialsV2],
        type: ['VerifiablePresentation'],
        holder: holder.did,
        verifiableCredential: [await credentialFor(issuer, holder.did)],
      },
      holder,
      { term: 'authentication', challenge: CHALLENGE },
    )
    expectFailure(
      await verifyPresentation(vp, vpOptions(issuer)),
      'domain',
      'ERR_DOMAIN_MISSING',
      '/proof/domain',
    )
    const r = await verifyPresentation(vp, vpOptions(issuer, { domain: null }))
    expect(r.verified).toBe(true)
    expect(check(r, 'domain').outcome).toBe('skipped')
  })
})

describe('verifyPresentation: the presentation proof', () => {
  it('a tampered presentation fails with ERR_PROOF_INVALID and its credentials are not verified', async () => {
    const source = recordingSource()
    const vc = await credentialFor(issuer, holder.did, {
      patch: (c) => (c.credentialStatus = entry(revocationUrl(), 5)),
    })
    const vp = await presentationBy(holder, [vc])
    vp.holder = other.did
    const r = await verifyPresentation(vp, vpOptions(issuer, { status: { source, cache: false } }))
    expectFailure(r, 'proof', 'ERR_PROOF_INVALID', '/proof/proofValue')
    expect(check(r, 'credentials').outcome).toBe('skipped')
    expect(source.calls).toEqual([])
    expect(r.holderProven).toBe(false)
  })

  it('a tampered presentation whose subjects match its holder shows subject-binding skipped, never passed', async () => {
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
    vp.id = 'urn:uuid:6f1b3c1e-4a51-4d3e-9a55-0f3a9c0e7b21'
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(r, 'proof', 'ERR_PROOF_INVALID', '/proof/proofValue')
    expect(check(r, 'credentials').outcome).toBe('skipped')
    expect(check(r, 'subject-binding').outcome).toBe('skipped')
    expect(r.verified).toBe(false)
  })

  it('an unsigned presentation fails with ERR_PRESENTATION_UNSIGNED by default', async () => {
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
    delete vp.proof
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(r, 'proof', 'ERR_PRESENTATION_UNSIGNED', '/proof')
    expect(r.presentation.signed).toBe(false)
  })

  /** What a "share this file" caller passes: nothing only a proof could answer. */
  const fileShare = {
    unsignedPresentation: 'allow',
    challenge: undefined,
    domain: null,
    holderBinding: 'if-present',
  } as const

  it("an unsigned presentation is accepted with unsignedPresentation: 'allow', but the holder is not proven (F4)", async () => {
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
    delete vp.proof
    const r = await verifyPresentation(vp, vpOptions(issuer, fileShare))
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
    expect(r.holderProven).toBe(false)
    expect(outcomes(r)).toMatchObject({
      proof: 'skipped',
      'holder-binding': 'skipped',
      challenge: 'skipped',
      domain: 'skipped',
      credentials: 'passed',
      'subject-binding': 'passed',
    })
  })

  it("'allow' still fails an unsigned presentation whose credential is invalid", async () => {
    const vc = await credentialFor(issuer, holder.did)
    ;(vc.credentialSubject as Record<string, unknown>).name = 'Mallory'
    const vp = await presentationBy(holder, [vc])
    delete vp.proof
    const r = await verifyPresentation(vp, vpOptions(issuer, fileShare))
    expectFailure(
      r,
      'credentials',
      'ERR_PRESENTATION_CREDENTIAL_INVALID',
      '/verifiableCredential/0',
    )
    expectFailure(r, 'credentials', 'ERR_PROOF_INVALID', '/verifiableCredential/0/proof/proofValue')
  })

  it.each([
    ['a challenge', { challenge: 'u-expected' }],
    ['a domain', { domain: 'employer.example' }],
    ['holder binding', { holderBinding: 'required' }],
  ] as const)(
    "'allow' never lets an unsigned presentation answer %s: ERR_PRESENTATION_UNSIGNED, credentials not checked",
    async (_name, demand) => {
      const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
      delete vp.proof
      const r = await verifyPresentation(vp, vpOptions(issuer, { ...fileShare, ...demand }))
      expectFailure(r, 'proof', 'ERR_PRESENTATION_UNSIGNED', '/proof')
      expect(check(r, 'credentials').outcome).toBe('skipped')
      expect(r.holderProven).toBe(false)
    },
  )

  it.each([
    ['null', null, '/proof'],
    ['an empty set', [], '/proof'],
  ])(
    "a proof that is %s is malformed (ERR_PROOF_MALFORMED), not 'unsigned', even with 'allow'",
    async (_name, proof, path) => {
      const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
      vp.proof = proof
      const r = await verifyPresentation(vp, vpOptions(issuer, { unsignedPresentation: 'allow' }))
      expectFailure(r, 'proof', 'ERR_PROOF_MALFORMED', path)
      expect(check(r, 'credentials').outcome).toBe('skipped')
    },
  )

  it("a proof that is a string fails (safe mode refuses it as a proof graph), even with 'allow'", async () => {
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
    vp.proof = 'z3abc'
    const r = await verifyPresentation(vp, vpOptions(issuer, { unsignedPresentation: 'allow' }))
    expect(r.verified).toBe(false)
    expect(check(r, 'contexts').outcome).toBe('failed')
    expect(r.presentation.signed).toBe(true)
    expect(check(r, 'credentials').outcome).toBe('skipped')
  })

  it('a presentation proof created in the future fails with ERR_PROOF_CREATED_INVALID (C4)', async () => {
    const vc = await credentialFor(issuer, holder.did)
    const vp = await presentationBy(holder, [vc])
    const r = await verifyPresentation(
      vp,
      vpOptions(issuer, { now: new Date('2026-11-29T11:50:00Z'), maxClockSkewSeconds: 60 }),
    )
    expectFailure(r, 'proof', 'ERR_PROOF_CREATED_INVALID', '/proof/created')
    // Within the clock skew it is accepted.
    const ok = await verifyPresentation(
      vp,
      vpOptions(issuer, { now: new Date('2026-11-29T11:55:00Z'), maxClockSkewSeconds: 300 }),
    )
    expect(ok.verified).toBe(true)
  })

  it('a malleated signature (S + L) fails with ERR_PROOF_SIGNATURE_MALLEABLE, before any library', async () => {
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
    const proof = vp.proof as Record<string, unknown>
    const sig = base58btc.decode(String(proof.proofValue))
    const L = 2n ** 252n + 27742317777372353535851937790883648493n
    let s = 0n
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i] ?? 0)
    s += L
    for (let i = 32; i < 64; i++) {
      sig[i] = Number(s & 0xffn)
      s >>= 8n
    }
    proof.proofValue = base58btc.encode(sig)
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(r, 'proof', 'ERR_PROOF_SIGNATURE_MALLEABLE', '/proof/proofValue')
  })

  it('more proofs than allowed fail with ERR_PROOF_TOO_MANY', async () => {
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
    vp.proof = Array.from({ length: 5 }, () => structuredClone(vp.proof))
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(r, 'proof', 'ERR_PROOF_TOO_MANY', '/proof')
  })

  it('a proof made for assertionMethod fails with ERR_PRESENTATION_PURPOSE', async () => {
    const vp = await signRaw(
      {
        '@context': [CONTEXT_URLS.credentialsV2],
        type: ['VerifiablePresentation'],
        holder: holder.did,
        verifiableCredential: [await credentialFor(issuer, holder.did)],
      },
      holder,
      { term: 'assertionMethod' },
    )
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(r, 'proof', 'ERR_PRESENTATION_PURPOSE', '/proof/proofPurpose')
    expect(check(r, 'credentials').outcome).toBe('skipped')
  })

  it('a key listed only under assertionMethod cannot present: ERR_PRESENTATION_KEY_NOT_AUTHORIZED (F6)', async () => {
    const { holder: h, didDocument } = await exampleHolder('assert-only', ['assertionMethod'], 41)
    const vp = await presentationBy(h, [await credentialFor(issuer, h.did)])
    const r = await verifyPresentation(
      vp,
      vpOptions(issuer, { didResolver: resolverWith([didDocument]) }),
    )
    expectFailure(r, 'proof', 'ERR_PRESENTATION_KEY_NOT_AUTHORIZED', '/proof/verificationMethod')
    expect(r.holderProven).toBe(false)
  })

  it('the same DID with its key under authentication verifies (the resolver path works)', async () => {
    const { holder: h, didDocument } = await exampleHolder('auth', ['authentication'], 42)
    const vp = await presentationBy(h, [await credentialFor(issuer, h.did)])
    const r = await verifyPresentation(
      vp,
      vpOptions(issuer, { didResolver: resolverWith([didDocument]) }),
    )
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
    expect(r.holderProven).toBe(true)
  })

  it('an unresolvable holder key fails with ERR_KEY_UNRESOLVABLE', async () => {
    const { holder: h } = await exampleHolder('nobody', ['authentication'], 43)
    const vp = await presentationBy(h, [await credentialFor(issuer, h.did)])
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(r, 'proof', 'ERR_KEY_UNRESOLVABLE', '/proof/verificationMethod')
  })

  it('a proof with a suite that is not allowed fails with ERR_PROOF_SUITE_NOT_ALLOWED', async () => {
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
    ;(vp.proof as Record<string, unknown>).cryptosuite = 'eddsa-jcs-2022'
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(r, 'proof', 'ERR_PROOF_SUITE_NOT_ALLOWED', '/proof/cryptosuite')
  })
})

describe('verifyPresentation: holder and subject binding (F3)', () => {
  it("a presentation signed by someone else's key for the holder fails with ERR_HOLDER_KEY_MISMATCH", async () => {
    const vp = await signRaw(
      {
        '@context': [CONTEXT_URLS.credentialsV2],
        type: ['VerifiablePresentation'],
        holder: holder.did,
        verifiableCredential: [await credentialFor(issuer, holder.did)],
      },
      other,
    )
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expect(check(r, 'proof').outcome).toBe('passed')
    expectFailure(r, 'holder-binding', 'ERR_HOLDER_KEY_MISMATCH', '/proof/verificationMethod')
    expect(r.holderProven).toBe(false)
  })

  it("presenting another person's credential fails with ERR_HOLDER_SUBJECT_MISMATCH naming it", async () => {
    const mine = await credentialFor(issuer, holder.did, { patch: (c) => (c.id = 'urn:uuid:mine') })
    const theirs = await credentialFor(issuer, other.did, {
      patch: (c) => (c.id = 'urn:uuid:theirs'),
    })
    const vp = await presentationBy(holder, [mine, theirs])
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(
      r,
      'subject-binding',
      'ERR_HOLDER_SUBJECT_MISMATCH',
      '/verifiableCredential/1/credentialSubject/id',
    )
    const c = check(r, 'subject-binding')
    expect(c.problems).toHaveLength(1)
    expect(c.problems[0]?.message).toContain('urn:uuid:theirs')
    // Both credentials are genuine: only the binding fails.
    expect(check(r, 'credentials').outcome).toBe('passed')
    expect(r.credentials.map((x) => x.verified)).toEqual([true, true])
    expect(r.holderProven).toBe(true)
  })

  it('a credential whose subject has no id cannot be bound (ERR_HOLDER_SUBJECT_MISMATCH)', async () => {
    const vc = await credentialFor(issuer, holder.did, {
      patch: (c) => delete (c.credentialSubject as Record<string, unknown>).id,
    })
    const r = await verifyPresentation(await presentationBy(holder, [vc]), vpOptions(issuer))
    expectFailure(
      r,
      'subject-binding',
      'ERR_HOLDER_SUBJECT_MISMATCH',
      '/verifiableCredential/0/credentialSubject/id',
    )
  })

  it("subjectBinding: 'off' skips the check", async () => {
    const vp = await presentationBy(holder, [await credentialFor(issuer, other.did)])
    const r = await verifyPresentation(vp, vpOptions(issuer, { subjectBinding: 'off' }))
    expect(r.verified).toBe(true)
    expect(check(r, 'subject-binding').outcome).toBe('skipped')
  })

  it('a presentation without a holder fails with ERR_HOLDER_MISSING', async () => {
    const vp = await signRaw(
      {
        '@context': [CONTEXT_URLS.credentialsV2],
        type: ['VerifiablePresentation'],
        verifiableCredential: [await credentialFor(issuer, holder.did)],
      },
      holder,
    )
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(r, 'holder-binding', 'ERR_HOLDER_MISSING', '/holder')
    expectFailure(r, 'subject-binding', 'ERR_HOLDER_MISSING', '/holder')
  })
})

describe('verifyPresentation: embedded credentials (F5)', () => {
  it('a revoked credential fails the presentation, with ERR_STATUS_REVOKED visible at its path', async () => {
    const vc = await credentialFor(issuer, holder.did, {
      patch: (c) => (c.credentialStatus = entry(revocationUrl(), 94567)),
    })
    const list = await signedList(issuer, revocationUrl(), { set: [94567] })
    const vp = await presentationBy(holder, [vc])
    const r = await verifyPresentation(
      vp,
      vpOptions(issuer, {
        status: { source: createOfflineStatusListSource([list]), cache: false },
      }),
    )
    expectFailure(
      r,
      'credentials',
      'ERR_PRESENTATION_CREDENTIAL_INVALID',
      '/verifiableCredential/0',
    )
    expectFailure(
      r,
      'credentials',
      'ERR_STATUS_REVOKED',
      '/verifiableCredential/0/credentialStatus',
    )
    expect(r.credentials[0]?.verified).toBe(false)
    expect(r.credentials[0]?.result.problems).toContainEqual(
      expect.objectContaining({ code: 'ERR_STATUS_REVOKED', path: '/credentialStatus' }),
    )
    // The presentation itself is fine: the holder presented a revoked credential.
    expect(r.holderProven).toBe(true)
    expect(check(r, 'proof').outcome).toBe('passed')
  })

  it('the same credential with its bit clear verifies through the status list', async () => {
    const vc = await credentialFor(issuer, holder.did, {
      patch: (c) => (c.credentialStatus = entry(revocationUrl(), 94567)),
    })
    const list = await signedList(issuer, revocationUrl())
    const r = await verifyPresentation(
      await presentationBy(holder, [vc]),
      vpOptions(issuer, {
        status: { source: createOfflineStatusListSource([list]), cache: false },
      }),
    )
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
  })

  it('a tampered credential inside a validly signed presentation fails (the VP proof does not upgrade it)', async () => {
    const vc = await credentialFor(issuer, holder.did)
    ;(vc.credentialSubject as Record<string, unknown>).name = 'Mallory'
    const vp = await presentationBy(holder, [vc])
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expect(check(r, 'proof').outcome).toBe('passed')
    expect(r.holderProven).toBe(true)
    expectFailure(r, 'credentials', 'ERR_PROOF_INVALID', '/verifiableCredential/0/proof/proofValue')
    expect(r.credentials[0]?.verified).toBe(false)
  })

  it('a mixed bag: one valid and one untrusted credential fails, with results per credential', async () => {
    const good = await credentialFor(issuer, holder.did, { patch: (c) => (c.id = 'urn:uuid:good') })
    const foreign = await credentialFor(other, holder.did, {
      patch: (c) => (c.id = 'urn:uuid:foreign'),
    })
    const r = await verifyPresentation(
      await presentationBy(holder, [good, foreign]),
      vpOptions(issuer),
    )
    expect(r.credentials.map((c) => [c.id, c.verified])).toEqual([
      ['urn:uuid:good', true],
      ['urn:uuid:foreign', false],
    ])
    expectFailure(r, 'credentials', 'ERR_ISSUER_UNTRUSTED', '/verifiableCredential/1/issuer')
  })

  it('a credential given as a URL string fails the structure check with ERR_PRESENTATION_INVALID', async () => {
    // Signed with an object first (safe mode cannot sign a string there), then swapped.
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
    vp.verifiableCredential = ['https://example.com/credentials/1']
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expect(outcomes(r)).toMatchObject({ proof: 'skipped', credentials: 'skipped' })
    expectFailure(r, 'structure', 'ERR_PRESENTATION_INVALID', '/verifiableCredential/0')
  })

  it('a presentation with no credential fails unless requireCredentials: false', async () => {
    const vp = await signRaw(
      {
        '@context': [CONTEXT_URLS.credentialsV2],
        type: ['VerifiablePresentation'],
        holder: holder.did,
      },
      holder,
    )
    expectFailure(
      await verifyPresentation(vp, vpOptions(issuer)),
      'structure',
      'ERR_PRESENTATION_INVALID',
      '/verifiableCredential',
    )
    const r = await verifyPresentation(vp, vpOptions(issuer, { requireCredentials: false }))
    expect(r.verified).toBe(true)
    expect(r.holderProven).toBe(true)
    expect(outcomes(r)).toMatchObject({ credentials: 'skipped', 'subject-binding': 'skipped' })
  })
})

describe('verifyPresentation: bad input never throws', () => {
  it.each([
    ['null', null, 'structure', 'ERR_PRESENTATION_INVALID'],
    ['a number', 42, 'structure', 'ERR_PRESENTATION_INVALID'],
    ['an array', [], 'structure', 'ERR_PRESENTATION_INVALID'],
    ['text that is not JSON', '{"@context":', 'input', 'ERR_INPUT_NOT_JSON'],
    ['a forbidden key', '{"__proto__":{}}', 'input', 'ERR_INPUT_FORBIDDEN_KEY'],
    ['a credential, not a presentation', 'credential', 'structure', 'ERR_PRESENTATION_INVALID'],
    ['no @context', { type: ['VerifiablePresentation'] }, 'structure', 'ERR_CONTEXT_ORDER'],
    [
      'an unknown context',
      {
        '@context': [CONTEXT_URLS.credentialsV2, 'https://example.com/ctx'],
        type: ['VerifiablePresentation'],
      },
      'contexts',
      'ERR_CONTEXT_UNKNOWN',
    ],
    [
      'an undefined term',
      {
        '@context': [CONTEXT_URLS.credentialsV2],
        type: ['VerifiablePresentation'],
        madeUp: 'x',
      },
      'contexts',
      'ERR_JSONLD_UNDEFINED_TERM',
    ],
  ])('%s', async (_name, input, id, code) => {
    const value = input === 'credential' ? await credentialFor(issuer, holder.did) : input
    const r = await verifyPresentation(value, vpOptions(issuer))
    expectFailure(r, id, code)
    expect(r.holderProven).toBe(false)
  })

  it('a null or empty-array member of the envelope (unsigned by JSON-LD) fails with ERR_PRESENTATION_INVALID', async () => {
    for (const [key, value, path] of [
      ['termsOfUse', [], '/termsOfUse'],
      ['name', null, '/name'],
    ] as const) {
      const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
      vp[key] = value
      expectFailure(
        await verifyPresentation(vp, vpOptions(issuer)),
        'structure',
        'ERR_PRESENTATION_INVALID',
        path,
      )
    }
  })

  it('does not mutate its input', async () => {
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
    const copy = structuredClone(vp)
    await verifyPresentation(vp, vpOptions(issuer))
    expect(vp).toEqual(copy)
  })
})

describe('verifyPresentation: caller mistakes throw TypeError', () => {
  it.each([
    ['no domain', { domain: undefined }, /domain/],
    ['an empty domain', { domain: '' }, /domain/],
    ['neither challenge nor store', { challenge: undefined }, /challenge/],
    ['an empty challenge', { challenge: '' }, /challenge/],
    ['a bad unsignedPresentation', { unsignedPresentation: 'yes' }, /unsignedPresentation/],
    ['a bad holderBinding', { holderBinding: 'maybe' }, /holderBinding/],
    ['a bad credentialProfile', { credentialProfile: 'jwt' }, /credentialProfile/],
    ['a bad challengeStore', { challengeStore: {} }, /challengeStore/],
    ['a bad credential option', { trustedIssuers: 'did:key:z6Mk' }, /trustedIssuers/],
  ])('%s', async (_name, patch, message) => {
    const options = { ...vpOptions(issuer), ...patch } as never
    await expect(verifyPresentation({}, options)).rejects.toThrow(TypeError)
    await expect(verifyPresentation({}, options)).rejects.toThrow(message)
  })

  it('the time given is used for the credentials', async () => {
    const vc = await credentialFor(issuer, holder.did, {
      patch: (c) => (c.validUntil = '2026-11-30T00:00:00Z'),
    })
    const vp = await presentationBy(holder, [vc])
    expect((await verifyPresentation(vp, vpOptions(issuer, { now: NOW }))).verified).toBe(true)
    const later = await verifyPresentation(
      vp,
      vpOptions(issuer, { now: new Date('2026-12-01T00:00:00Z') }),
    )
    expectFailure(
      later,
      'credentials',
      'ERR_VALIDITY_EXPIRED',
      '/verifiableCredential/0/validUntil',
    )
  })
})

describe('verifyPresentation: the browser entry', () => {
  it('gives the same result as the Node entry', async () => {
    const browser = await import('../../src/index.js')
    const good = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
    const bad = await presentationBy(holder, [await credentialFor(issuer, other.did)])
    for (const vp of [good, bad]) {
      const fromNode = await verifyPresentation(vp, vpOptions(issuer))
      const fromBrowser = await browser.verifyPresentation(vp, vpOptions(issuer))
      expect(fromBrowser).toEqual(fromNode)
    }
    expect((await browser.verifyPresentation(good, vpOptions(issuer))).verified).toBe(true)
  })
})
