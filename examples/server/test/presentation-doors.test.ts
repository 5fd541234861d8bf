/**
 * Proof lifetimes and the presentation doors on a real server: a proof past its own `expires`, a
 * proof set listing one proof twice, an unsigned presentation carrying a credential the server
 * refuses on its own, a challenge or domain demanded of an unsigned presentation, the documented
 * maximum of 32 credentials per presentation, and a presentation proof made for several domains,
 * through `POST /credentials/verify`, `POST /presentations/verify` (the VC API) and the page's
 * exchange (`POST /presentations/challenges`, `POST /certify/verify/presentation`).
 *
 * The server trusts a third-party issuer (a did:key) besides its own DID, so that credentials
 * can be signed here with a chosen proof `created` and `expires`.
 */
import { createDocumentLoader } from '@certify-vc/context'
import { createPresentation, createSuite, signDocument, signPresentation } from '@certify-vc/core'
import {
  buildCredential,
  generateIssuerKey,
  issueCredential,
  signCredential,
  type IssuerKey,
} from '@certify-vc/issuer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestServer, type TestServer } from './helpers.js'

type Json = Record<string, unknown>
type Problem = { code: string; path?: string }
type ApiBody = { verified: boolean; errors: Problem[]; warnings: Problem[]; checks: string[] }
type ExchangeBody = {
  verified: boolean
  holderProven: boolean
  holderBinding: { proven: boolean; problem?: Problem }
  credentials: { index: number; verified: boolean; problems: Problem[] }[]
}

const API_DOMAIN = 'employer.example'
const API_CHALLENGE = 'uZG9vcnMtY2hhbGxlbmdlLTEyOA'
const HOUR = 3_600_000

let server: TestServer
/** A third-party issuer the server trusts. */
let trusted: IssuerKey
let learner: IssuerKey
let stranger: IssuerKey

beforeAll(async () => {
  trusted = await generateIssuerKey()
  learner = await generateIssuerKey()
  stranger = await generateIssuerKey()
  server = await startTestServer({ trustedIssuers: [trusted.did] })
})
afterAll(async () => {
  await server?.close()
})

/** The clock, `hours` away (negative: in the past), whole seconds. */
const at = (hours: number) => new Date(Math.floor((Date.now() + hours * HOUR) / 1000) * 1000)
const stamp = (date: Date) => date.toISOString().replace('.000Z', 'Z')

// -- signing ---------------------------------------------------------------------------------

/** An Institute badge about the learner, issued by `issuer` three hours ago. */
function unsignedBadge(issuer: IssuerKey, program: 'AIDA' | 'CAAE' | 'AIMA' = 'CAAE'): Json {
  return buildCredential({
    program,
    recipient: { name: 'Ada Lovelace', did: learner.did },
    issuerDid: issuer.did,
    now: at(-3),
  }) as unknown as Json
}

/** The badge signed by the issuer's signCredential (with a proof `expires`, when given). */
async function badge(issuer: IssuerKey, proof: { expires?: Date } = {}): Promise<Json> {
  return signCredential(unsignedBadge(issuer), {
    key: issuer,
    created: at(-3),
    ...(proof.expires === undefined ? {} : { expires: proof.expires }),
  })
}

/**
 * The badge with a proof created two hours ago that expired an hour ago. The issuer never signs
 * a dead proof (ERR_ISSUE_INVALID_INPUT); another stack, or a key used elsewhere, would: the
 * suite primitives sign it as they do.
 */
async function deadBadge(issuer: IssuerKey): Promise<Json> {
  return signDocument(unsignedBadge(issuer), {
    suite: createSuite('eddsa-rdfc-2022', {
      signer: issuer.signer(),
      date: stamp(at(-2)),
      expires: stamp(at(-1)),
    }),
    documentLoader: createDocumentLoader(),
  })
}

/**
 * A presentation by the learner, signed for `authentication` with the proof members
 * signPresentation does not set: a chosen `created`, an `expires`, and a `domain` naming several
 * domains (Data Integrity allows a string or an array; the jsonld-signatures purpose writes only
 * a string, so an array goes through the suite's proof template, as createSuite writes `expires`).
 */
async function presentation(
  credentials: readonly Json[],
  proof: { challenge: string; domain: string | string[]; created?: Date; expires?: Date },
): Promise<Json> {
  const suite = createSuite('eddsa-rdfc-2022', {
    signer: learner.signer(),
    date: stamp(proof.created ?? at(0)),
    ...(proof.expires === undefined ? {} : { expires: stamp(proof.expires) }),
  })
  if (Array.isArray(proof.domain)) {
    const template = suite.implementation as { proof?: Json }
    template.proof = { ...template.proof, domain: proof.domain }
  }
  return signDocument(
    createPresentation({ holder: learner.did, verifiableCredential: credentials }),
    {
      suite,
      documentLoader: createDocumentLoader(),
      purpose: {
        term: 'authentication',
        challenge: proof.challenge,
        ...(typeof proof.domain === 'string' ? { domain: proof.domain } : {}),
      },
    },
  )
}

/** The same presentation signed the ordinary way (signPresentation, created now). */
function signedPresentation(credentials: readonly Json[], challenge: string, domain: string) {
  return signPresentation(
    createPresentation({ holder: learner.did, verifiableCredential: credentials }),
    { signer: learner.signer(), challenge, domain },
  ) as Promise<Json>
}

// -- the doors -------------------------------------------------------------------------------

async function verifyCredentialAt(verifiableCredential: Json, options?: Json) {
  const res = await postJson(
    server,
    '/credentials/verify',
    { verifiableCredential, ...(options === undefined ? {} : { options }) },
    { token: null },
  )
  return { status: res.status, body: res.body as ApiBody }
}

async function verifyPresentationAt(verifiablePresentation: Json, options?: Json) {
  const res = await postJson(
    server,
    '/presentations/verify',
    { verifiablePresentation, ...(options === undefined ? {} : { options }) },
    { token: null },
  )
  return { status: res.status, body: res.body as ApiBody }
}

async function requestChallenge(): Promise<{ challenge: string; domain: string }> {
  const res = await postJson(server, '/presentations/challenges', {}, { token: null })
  expect(res.status).toBe(201)
  return res.body as { challenge: string; domain: string }
}

async function present(verifiablePresentation: Json, challenge: string) {
  const res = await postJson(
    server,
    '/certify/verify/presentation',
    { verifiablePresentation, challenge },
    { token: null },
  )
  return { status: res.status, body: res.body as ExchangeBody }
}

const codes = (problems: readonly Problem[]) => problems.map((p) => p.code)
const withPaths = (problems: readonly Problem[]) => problems.map((p) => `${p.code} ${p.path}`)

// -- 1. a proof past its own expires --------------------------------------------------------

describe("a proof past its own expires is no longer valid (Data Integrity's proof lifetime)", () => {
  it.each([
    ['the default (vc)', undefined],
    ['institute', 'institute'],
    ['open-badges', 'open-badges'],
  ] as const)(
    "POST /credentials/verify, profile %s: a trusted issuer's CAAE whose proof expired an hour ago → 422 ERR_PROOF_EXPIRED",
    async (_name, profile) => {
      const options = profile === undefined ? undefined : { profile }
      const expired = await deadBadge(trusted)
      expect(Date.parse((expired.proof as { expires: string }).expires)).toBeLessThan(Date.now())
      const r = await verifyCredentialAt(expired, options)
      expect(r.status).toBe(422)
      expect(r.body.verified).toBe(false)
      expect(withPaths(r.body.errors)).toEqual(['ERR_PROOF_EXPIRED /proof/expires'])
      // The same credential with a proof that expires in an hour verifies.
      const alive = await badge(trusted, { expires: at(1) })
      const ok = await verifyCredentialAt(alive, options)
      expect(ok.body.errors).toEqual([])
      expect(ok.status).toBe(200)
    },
  )

  it('POST /presentations/verify: a presentation whose proof expired an hour ago → 422 ERR_PROOF_EXPIRED, its credentials not verified', async () => {
    const vc = await badge(trusted)
    const options = { challenge: API_CHALLENGE, domain: API_DOMAIN }
    const expired = await presentation([vc], {
      ...options,
      created: at(-2),
      expires: at(-1),
    })
    const r = await verifyPresentationAt(expired, options)
    expect(r.status).toBe(422)
    expect(withPaths(r.body.errors)).toEqual(['ERR_PROOF_EXPIRED /proof/expires'])
    expect(r.body.checks).not.toContain('credentials')
    const alive = await presentation([vc], { ...options, created: at(-2), expires: at(1) })
    const ok = await verifyPresentationAt(alive, options)
    expect(ok.body.errors).toEqual([])
    expect(ok.status).toBe(200)
  })

  it('POST /presentations/verify: a credential whose proof expired fails inside a signed presentation as it does alone', async () => {
    const expired = await deadBadge(trusted)
    const options = { challenge: API_CHALLENGE, domain: API_DOMAIN }
    const vp = await signedPresentation([await badge(trusted), expired], API_CHALLENGE, API_DOMAIN)
    const r = await verifyPresentationAt(vp, options)
    expect(r.status).toBe(422)
    expect(withPaths(r.body.errors)).toEqual([
      'ERR_PRESENTATION_CREDENTIAL_INVALID /verifiableCredential/1',
      'ERR_PROOF_EXPIRED /verifiableCredential/1/proof/expires',
    ])
  })

  it('POST /certify/verify/presentation: a holder proof created two hours ago that expired an hour ago → 422, not holder-proven, ERR_PROOF_EXPIRED; the challenge is not used up', async () => {
    const c = await requestChallenge()
    const vc = await badge(trusted)
    const expired = await presentation([vc], {
      challenge: c.challenge,
      domain: c.domain,
      created: at(-2),
      expires: at(-1),
    })
    const r = await present(expired, c.challenge)
    expect(r.status).toBe(422)
    expect(r.body.verified).toBe(false)
    expect(r.body.holderProven).toBe(false)
    expect(r.body.holderBinding.proven).toBe(false)
    expect(r.body.holderBinding.problem?.code).toBe('ERR_PROOF_EXPIRED')
    expect(r.body.credentials).toEqual([])
    // The holder answers the same request again with a live proof.
    const fresh = await present(await signedPresentation([vc], c.challenge, c.domain), c.challenge)
    expect(fresh.status).toBe(200)
    expect(fresh.body.holderProven).toBe(true)
  })

  it('POST /certify/verify/presentation: a credential whose proof expired gets its own verdict (ERR_PROOF_EXPIRED) while the holder is proven', async () => {
    const c = await requestChallenge()
    const expired = await deadBadge(trusted)
    const vp = await signedPresentation([await badge(trusted), expired], c.challenge, c.domain)
    const r = await present(vp, c.challenge)
    expect(r.status).toBe(422)
    expect(r.body.holderProven).toBe(true)
    expect(r.body.credentials.map((k) => k.verified)).toEqual([true, false])
    expect(withPaths(r.body.credentials[1]?.problems ?? [])).toEqual([
      'ERR_PROOF_EXPIRED /proof/expires',
    ])
  })
})

// -- 2 and 3. unsigned presentations at the VC API -------------------------------------------

describe('POST /presentations/verify: an unsigned presentation changes no credential verdict and answers no demand', () => {
  it.each([
    ['self-issued by the holder', 'the default (vc)', () => learner, undefined],
    ['self-issued by the holder', 'institute', () => learner, 'institute'],
    ['self-issued by the holder', 'open-badges', () => learner, 'open-badges'],
    ['from an untrusted third party', 'the default (vc)', () => stranger, undefined],
    ['from an untrusted third party', 'institute', () => stranger, 'institute'],
  ] as const)(
    'a CAAE %s, profile %s → 422 ERR_ISSUER_UNTRUSTED, as /credentials/verify answers for it alone',
    async (_who, _name, issuer, profile) => {
      const caae = await badge(issuer())
      const options = profile === undefined ? undefined : { profile }
      const alone = await verifyCredentialAt(caae, options)
      expect(alone.status).toBe(422)
      expect(withPaths(alone.body.errors)).toEqual(['ERR_ISSUER_UNTRUSTED /issuer'])
      const vp = createPresentation({ holder: learner.did, verifiableCredential: [caae] })
      const r = await verifyPresentationAt(vp, options)
      expect(r.status).toBe(422)
      expect(r.body.verified).toBe(false)
      expect(withPaths(r.body.errors)).toEqual([
        'ERR_PRESENTATION_CREDENTIAL_INVALID /verifiableCredential/0',
        'ERR_ISSUER_UNTRUSTED /verifiableCredential/0/issuer',
      ])
      expect(codes(r.body.warnings)).not.toContain('ERR_PRESENTATION_UNSIGNED')
    },
  )

  it.each([
    ['a challenge', { challenge: API_CHALLENGE }],
    ['a domain', { domain: API_DOMAIN }],
    ['a challenge and a domain', { challenge: API_CHALLENGE, domain: API_DOMAIN }],
  ])(
    'an unsigned presentation sent with %s → 422 ERR_PRESENTATION_UNSIGNED (only a proof answers it)',
    async (_name, options) => {
      const vp: Json = createPresentation({
        holder: learner.did,
        verifiableCredential: [await badge(trusted)],
      })
      const r = await verifyPresentationAt(vp, options)
      expect(r.status).toBe(422)
      expect(r.body.verified).toBe(false)
      expect(withPaths(r.body.errors)).toEqual(['ERR_PRESENTATION_UNSIGNED /proof'])
      expect(r.body.checks).not.toContain('credentials')
      // Asking for nothing, the same unsigned presentation verifies, with its warning.
      const free = await verifyPresentationAt(vp)
      expect(free.status).toBe(200)
      expect(codes(free.body.warnings)).toEqual(['ERR_PRESENTATION_UNSIGNED'])
    },
  )
})

// -- 4. the documented maximum of credentials ------------------------------------------------

describe('POST /presentations/verify: the documented maximum of 32 credentials per presentation', () => {
  it('32 Institute credentials (AIDA, CAAE, AIMA, recipients with a hashed email) verify; 33 → 422 ERR_PRESENTATION_TOO_MANY_CREDENTIALS, not a blank-node code', async () => {
    const programs = ['AIDA', 'CAAE', 'AIMA'] as const
    const credentials: Json[] = []
    for (let i = 0; i < 33; i++) {
      credentials.push(
        (await issueCredential({
          program: programs[i % programs.length] as string,
          key: trusted,
          recipient: { name: 'Ada Lovelace', did: learner.did, email: `ada.${i}@example.com` },
          now: at(-3),
        })) as unknown as Json,
      )
    }
    const options = { challenge: API_CHALLENGE, domain: API_DOMAIN }
    const vp32 = await signedPresentation(credentials.slice(0, 32), API_CHALLENGE, API_DOMAIN)
    const ok = await verifyPresentationAt(vp32, options)
    expect(ok.body.errors).toEqual([])
    expect(ok.status).toBe(200)
    expect(ok.body.checks).toContain('credentials')

    const vp33 = await signedPresentation(credentials, API_CHALLENGE, API_DOMAIN)
    const over = await verifyPresentationAt(vp33, options)
    expect(over.status).toBe(422)
    expect(withPaths(over.body.errors)).toEqual([
      'ERR_PRESENTATION_TOO_MANY_CREDENTIALS /verifiableCredential',
    ])
    expect(over.body.checks).toContain('input')
  }, 60_000)
})

// -- 5. proof sets and domain sets -----------------------------------------------------------

describe('proof sets and domain sets: an identical copy of a proof is counted once and noted; a domain array must name the expected domain', () => {
  it('POST /credentials/verify: a proof set listing the same proof twice → 200, the copy noted (warning ERR_PROOF_DUPLICATE)', async () => {
    const vc = await badge(trusted)
    const doubled = { ...vc, proof: [vc.proof, structuredClone(vc.proof)] }
    const r = await verifyCredentialAt(doubled)
    expect(r.body.errors).toEqual([])
    expect(r.status).toBe(200)
    expect(withPaths(r.body.warnings)).toEqual(['ERR_PROOF_DUPLICATE /proof/1'])
    const altered = {
      ...(structuredClone(vc.proof) as Record<string, unknown>),
      created: '2020-01-01T00:00:00Z',
    }
    expect((await verifyCredentialAt({ ...vc, proof: [vc.proof, altered] })).status).toBe(422)
  })

  it('POST /presentations/verify: a presentation proof set listing the same proof twice → 200, the copy noted (warning ERR_PROOF_DUPLICATE)', async () => {
    const vp = await signedPresentation([await badge(trusted)], API_CHALLENGE, API_DOMAIN)
    const doubled = { ...vp, proof: [vp.proof, structuredClone(vp.proof)] }
    const r = await verifyPresentationAt(doubled, { challenge: API_CHALLENGE, domain: API_DOMAIN })
    expect(r.body.errors).toEqual([])
    expect(r.status).toBe(200)
    expect(withPaths(r.body.warnings)).toContain('ERR_PROOF_DUPLICATE /proof/1')
  })

  it('POST /presentations/verify: a proof for ["jobs.example", the expected domain] → 200; for two other domains → 422 ERR_DOMAIN_MISMATCH', async () => {
    const vc = await badge(trusted)
    const options = { challenge: API_CHALLENGE, domain: API_DOMAIN }
    const both = await presentation([vc], {
      challenge: API_CHALLENGE,
      domain: ['jobs.example', API_DOMAIN],
    })
    const ok = await verifyPresentationAt(both, options)
    expect(ok.body.errors).toEqual([])
    expect(ok.status).toBe(200)
    expect(ok.body.checks).toContain('domain')
    const others = await presentation([vc], {
      challenge: API_CHALLENGE,
      domain: ['jobs.example', 'attacker.example'],
    })
    const r = await verifyPresentationAt(others, options)
    expect(r.status).toBe(422)
    expect(withPaths(r.body.errors)).toEqual(['ERR_DOMAIN_MISMATCH /proof/domain'])
  })

  it("POST /certify/verify/presentation: a holder proof for [the server's domain, another] is holder-proven; one for two other domains is not (ERR_DOMAIN_MISMATCH)", async () => {
    const vc = await badge(trusted)
    const c = await requestChallenge()
    const both = await presentation([vc], {
      challenge: c.challenge,
      domain: [c.domain, 'jobs.example'],
    })
    const ok = await present(both, c.challenge)
    expect(ok.status).toBe(200)
    expect(ok.body.holderProven).toBe(true)
    expect(ok.body.holderBinding.proven).toBe(true)
    const c2 = await requestChallenge()
    const others = await presentation([vc], {
      challenge: c2.challenge,
      domain: ['jobs.example', 'attacker.example'],
    })
    const r = await present(others, c2.challenge)
    expect(r.status).toBe(422)
    expect(r.body.holderProven).toBe(false)
    expect(r.body.holderBinding.problem?.code).toBe('ERR_DOMAIN_MISMATCH')
  })

  it('POST /certify/verify/presentation: a holder proof listed twice → holder-proven once, the challenge used once', async () => {
    const c = await requestChallenge()
    const vp = await signedPresentation([await badge(trusted)], c.challenge, c.domain)
    const doubled = { ...vp, proof: [vp.proof, structuredClone(vp.proof)] }
    const r = await present(doubled, c.challenge)
    expect(r.status).toBe(200)
    expect(r.body.holderProven).toBe(true)
    const again = await present(doubled, c.challenge)
    expect(again.status).toBe(422)
    expect(again.body.holderProven).toBe(false)
  })
})
