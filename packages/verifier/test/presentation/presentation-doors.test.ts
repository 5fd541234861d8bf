/**
 * Proof lifetimes and the presentation doors: a presentation proof past its own `expires`, a
 * challenge or domain demanded of an unsigned presentation, an unsigned presentation carrying a
 * credential the verifier refuses on its own, and proof sets and domain sets (a proof listed
 * twice, a proof made for several domains). The 32-credential limit is tested with credentials
 * from the real issuer in test/presentation-limits.test.ts.
 */
import { createSuite, signDocument } from '@certify-vc/core'
import {
  PROFILE_NAMES,
  createChallengeStore,
  verifyCredential,
  verifyPresentation,
  type ProfileName,
  type VerifyCredentialOptions,
  type VerifyPresentationOptions,
} from '@certify-vc/verifier'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  NOW,
  loader,
  makeIssuer,
  signedCredential,
  unsignedCredential,
  type TestIssuer,
} from '../helpers.js'
import {
  CHALLENGE,
  DOMAIN,
  check,
  credentialFor,
  expectFailure,
  outcomes,
  presentationBy,
  presentationWithProof,
  vpOptions,
} from './fixtures.js'

let issuer: TestIssuer
let holder: TestIssuer
let stranger: TestIssuer

beforeAll(async () => {
  issuer = await makeIssuer(1)
  holder = await makeIssuer(71)
  stranger = await makeIssuer(72)
})

/** NOW − hours, as an XSD dateTimeStamp. */
const hoursAgo = (hours: number) =>
  new Date(NOW.getTime() - hours * 3_600_000).toISOString().replace('.000Z', 'Z')

/** The credential options, the same for `verifyCredential` and every credential of a presentation. */
function credentialOptions(profile: ProfileName = 'institute'): VerifyCredentialOptions {
  return { profile, trustedIssuers: [issuer.did], now: NOW, status: false }
}

/**
 * The options a VC API `POST /presentations/verify` passes: generic bindings, and whatever the
 * caller demands (`challenge`, `domain`).
 */
function vcApiOptions(
  demand: { challenge?: string; domain?: string } = {},
  profile: ProfileName = 'vc',
): VerifyPresentationOptions {
  return {
    ...credentialOptions(profile),
    allowInlineContexts: true,
    domain: demand.domain ?? null,
    ...(demand.challenge === undefined ? {} : { challenge: demand.challenge }),
    unsignedPresentation: 'allow',
    holderBinding: 'if-present',
    subjectBinding: 'off',
    requireCredentials: false,
  }
}

/** A CAAE about the holder, signed by `signer` and naming `signer` as its issuer. */
const caaeBy = (signer: TestIssuer) =>
  signedCredential(signer, {
    program: 'CAAE',
    patch: (c) => ((c.credentialSubject as Record<string, unknown>).id = holder.did),
  })

describe("a presentation proof past its own expires (Data Integrity: the proof's end of life)", () => {
  it('a holder proof created two hours ago that expired an hour ago fails with ERR_PROOF_EXPIRED; nothing behind it is vouched for', async () => {
    const vc = await credentialFor(issuer, holder.did)
    const vp = await presentationWithProof(holder, [vc], {
      created: hoursAgo(2),
      expires: hoursAgo(1),
    })
    expect((vp.proof as Record<string, unknown>).expires).toBe(hoursAgo(1))
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(r, 'proof', 'ERR_PROOF_EXPIRED', '/proof/expires')
    expect(r.holderProven).toBe(false)
    expect(outcomes(r)).toMatchObject({ credentials: 'skipped', 'subject-binding': 'skipped' })
    expect(r.credentials).toEqual([])
  })

  it('within the clock skew it still verifies; the expires member is signed (moving it breaks the signature)', async () => {
    const vc = await credentialFor(issuer, holder.did)
    const vp = await presentationWithProof(holder, [vc], {
      created: hoursAgo(2),
      expires: '2026-11-29T11:58:00Z',
    })
    const within = await verifyPresentation(vp, vpOptions(issuer, { maxClockSkewSeconds: 300 }))
    expect(within.problems).toEqual([])
    expect(within.holderProven).toBe(true)
    expectFailure(
      await verifyPresentation(vp, vpOptions(issuer, { maxClockSkewSeconds: 60 })),
      'proof',
      'ERR_PROOF_EXPIRED',
      '/proof/expires',
    )
    const moved = structuredClone(vp)
    ;(moved.proof as Record<string, unknown>).expires = '2027-01-01T00:00:00Z'
    expectFailure(
      await verifyPresentation(moved, vpOptions(issuer)),
      'proof',
      'ERR_PROOF_INVALID',
      '/proof/proofValue',
    )
  })

  it('an expired presentation proof does not use up the challenge it answers', async () => {
    const store = createChallengeStore()
    const { challenge } = await store.issue({ domain: DOMAIN })
    const vc = await credentialFor(issuer, holder.did)
    const expired = await presentationWithProof(holder, [vc], {
      created: hoursAgo(2),
      expires: hoursAgo(1),
      challenge,
    })
    const options = vpOptions(issuer, { challenge, challengeStore: store })
    expectFailure(await verifyPresentation(expired, options), 'proof', 'ERR_PROOF_EXPIRED')
    const fresh = await presentationBy(holder, [vc], { challenge })
    const r = await verifyPresentation(fresh, options)
    expect(r.problems).toEqual([])
    expect(r.holderProven).toBe(true)
  })

  it("a credential whose own proof expired fails inside a valid presentation with verifyCredential's code", async () => {
    const vc = await credentialFor(issuer, holder.did)
    const c = unsignedCredential(issuer.did)
    ;(c.credentialSubject as Record<string, unknown>).id = holder.did
    const expiredVc = await signDocument(c, {
      suite: createSuite('eddsa-rdfc-2022', {
        signer: issuer.signer,
        date: '2026-11-01T00:00:00Z',
        expires: hoursAgo(1),
      }),
      documentLoader: loader,
    })
    const alone = await verifyCredential(expiredVc, credentialOptions())
    expect(alone.problems.map((p) => p.code)).toEqual(['ERR_PROOF_EXPIRED'])
    const r = await verifyPresentation(
      await presentationBy(holder, [vc, expiredVc]),
      vpOptions(issuer),
    )
    expectFailure(r, 'credentials', 'ERR_PROOF_EXPIRED', '/verifiableCredential/1/proof/expires')
    expect(r.holderProven).toBe(true)
    expect(r.credentials.map((x) => x.verified)).toEqual([true, false])
    expect(r.credentials[1]?.result).toEqual(alone)
  })
})

describe('a challenge or domain demanded of an unsigned presentation (only a proof answers them)', () => {
  it.each([
    ['a challenge', { challenge: CHALLENGE }],
    ['a domain', { domain: DOMAIN }],
    ['a challenge and a domain', { challenge: CHALLENGE, domain: DOMAIN }],
  ])(
    'with the VC API options, demanding %s fails with ERR_PRESENTATION_UNSIGNED, credentials not verified',
    async (_name, demand) => {
      const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
      delete vp.proof
      const r = await verifyPresentation(vp, vcApiOptions(demand))
      expectFailure(r, 'proof', 'ERR_PRESENTATION_UNSIGNED', '/proof')
      expect(r.holderProven).toBe(false)
      expect(check(r, 'credentials').outcome).toBe('skipped')
      // Demanding nothing, the same presentation verifies (a "share this file" presentation).
      const free = await verifyPresentation(vp, vcApiOptions())
      expect(free.problems).toEqual([])
      expect(free.verified).toBe(true)
    },
  )
})

describe('an unsigned presentation changes no credential verdict', () => {
  const cases = PROFILE_NAMES.flatMap((profile) => [
    [profile, 'self-issued by the holder', () => holder] as const,
    [profile, 'issued by an untrusted third party', () => stranger] as const,
  ])

  it.each(cases)(
    'profile %s: a CAAE %s fails inside an unsigned presentation with the code verifyCredential gives it',
    async (profile, _who, signer) => {
      const caae = await caaeBy(signer())
      const alone = await verifyCredential(caae, credentialOptions(profile))
      expect(alone.verified).toBe(false)
      expect(alone.problems).toEqual([
        expect.objectContaining({ code: 'ERR_ISSUER_UNTRUSTED', path: '/issuer' }),
      ])
      const vp = await presentationBy(holder, [caae])
      delete vp.proof
      const r = await verifyPresentation(vp, vcApiOptions({}, profile))
      expect(r.verified).toBe(false)
      expectFailure(
        r,
        'credentials',
        'ERR_PRESENTATION_CREDENTIAL_INVALID',
        '/verifiableCredential/0',
      )
      expectFailure(r, 'credentials', 'ERR_ISSUER_UNTRUSTED', '/verifiableCredential/0/issuer')
      expect(r.credentials[0]?.result).toEqual(alone)
    },
  )

  it("the Institute's own CAAE in the same unsigned presentation verifies (the door is open, the verdict is the credential's)", async () => {
    const vp = await presentationBy(holder, [await caaeBy(issuer)])
    delete vp.proof
    for (const profile of PROFILE_NAMES) {
      const r = await verifyPresentation(vp, vcApiOptions({}, profile))
      expect(r.problems, profile).toEqual([])
      expect(r.verified).toBe(true)
      expect(r.holderProven).toBe(false)
      expect(r.credentials[0]?.result.credential.program?.code).toBe('CAAE')
    }
  })
})

describe('proof sets and domain sets (docs/attacks.md A10, F2)', () => {
  it('a presentation whose proof set lists the same proof twice verifies, the copy counted once and noted (ERR_PROOF_DUPLICATE)', async () => {
    // The same rule as for a credential's proof set (Data Integrity: every proof of a set must
    // verify; an identical copy adds no signer and is reported as a warning, never as a second one).
    const vp = await presentationBy(holder, [await credentialFor(issuer, holder.did)])
    const doubled = { ...vp, proof: [vp.proof, structuredClone(vp.proof)] }
    const r = await verifyPresentation(doubled, vpOptions(issuer))
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
    expect(r.holderProven).toBe(true)
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: 'ERR_PROOF_DUPLICATE', path: '/proof/1' }),
    ])
    // A copy altered in any member is another proof: it must verify on its own, and does not.
    const altered = {
      ...(structuredClone(vp.proof) as Record<string, unknown>),
      created: '2020-01-01T00:00:00Z',
    }
    const other = await verifyPresentation({ ...vp, proof: [vp.proof, altered] }, vpOptions(issuer))
    expect(other.verified).toBe(false)
    expect(other.holderProven).toBe(false)
  })

  it('two distinct proofs by the holder, each with its own signature, verify', async () => {
    const vc = await credentialFor(issuer, holder.did)
    const first = await presentationWithProof(holder, [vc], { created: '2026-11-29T11:58:00Z' })
    const second = await presentationWithProof(holder, [vc], { created: '2026-11-29T11:59:00Z' })
    const both = { ...first, proof: [first.proof, second.proof] }
    const r = await verifyPresentation(both, vpOptions(issuer))
    expect(r.problems).toEqual([])
    expect(r.holderProven).toBe(true)
  })

  it('a proof whose domain is an array naming the expected domain verifies', async () => {
    const vp = await presentationWithProof(holder, [await credentialFor(issuer, holder.did)], {
      created: '2026-11-29T11:59:00Z',
      domain: ['jobs.example', DOMAIN],
    })
    expect((vp.proof as Record<string, unknown>).domain).toEqual(['jobs.example', DOMAIN])
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
    expect(r.holderProven).toBe(true)
    expect(r.presentation.domain).toEqual(['jobs.example', DOMAIN])
  })

  it('a proof whose domain is an array without the expected domain fails with ERR_DOMAIN_MISMATCH', async () => {
    const vp = await presentationWithProof(holder, [await credentialFor(issuer, holder.did)], {
      created: '2026-11-29T11:59:00Z',
      domain: ['jobs.example', 'attacker.example'],
    })
    const r = await verifyPresentation(vp, vpOptions(issuer))
    expectFailure(r, 'domain', 'ERR_DOMAIN_MISMATCH', '/proof/domain')
    expect(r.holderProven).toBe(false)
    expect(check(r, 'credentials').outcome).toBe('skipped')
    // Nor does an array whose member only contains the expected domain.
    const lookalike = await presentationWithProof(
      holder,
      [await credentialFor(issuer, holder.did)],
      {
        created: '2026-11-29T11:59:00Z',
        domain: [`${DOMAIN}.attacker.example`],
      },
    )
    expectFailure(
      await verifyPresentation(lookalike, vpOptions(issuer)),
      'domain',
      'ERR_DOMAIN_MISMATCH',
    )
  })
})
