/**
 * The employer ↔ wallet flow on a real server: `POST /presentations/challenges` issues
 * single-use challenges, `POST /certify/verify/presentation` consumes them (docs/attacks.md F1–F3):
 * issue, single use (also under concurrency), replay, domain mismatch, unknown challenge, a
 * credential about someone else, an unsigned presentation, a revoked credential, and expiry and
 * the outstanding cap with an injected clock.
 */
import { createPresentation, signPresentation } from '@certify-vc/core'
import { buildCredential, generateIssuerKey, type IssuerKey } from '@certify-vc/issuer'
import { createDefaultDidResolver } from '@certify-vc/verifier'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  presentationDomainsFromEnv,
  presentationExchange,
} from '../src/presentation-exchange/plugin.js'
import { postJson, startTestServer, type TestServer } from './helpers.js'

type Json = Record<string, unknown>

interface Challenge {
  challenge: string
  domain: string
  expiresAt: string
}

interface Answer {
  verified: boolean
  holderProven: boolean
  holderBinding: {
    proven: boolean
    holder?: string
    domain: string
    problem?: { code: string }
    checks: { id: string; outcome: string }[]
  }
  credentials: { index: number; id?: string; verified: boolean; problems: { code: string }[] }[]
  errors?: { code: string }[]
}

let server: TestServer
let did: string
let learner: IssuerKey
let other: IssuerKey
let aida: Json
let othersAida: Json

async function issueFor(holderDid: string, name: string): Promise<Json> {
  const credential = buildCredential({
    program: 'AIDA',
    recipient: { name, did: holderDid },
    issuerDid: did,
  })
  const res = await postJson(server, '/credentials/issue', { credential })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return (res.body as { verifiableCredential: Json }).verifiableCredential
}

async function requestChallenge(
  target: { baseUrl: string } = server,
  body: Json = {},
): Promise<{ status: number; body: Challenge & { errors?: { code: string; message: string }[] } }> {
  const res = await fetch(`${target.baseUrl}/presentations/challenges`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Challenge }
}

async function present(
  vp: unknown,
  extra: Json = {},
  target: { baseUrl: string } = server,
): Promise<{ status: number; body: Answer }> {
  const res = await fetch(`${target.baseUrl}/certify/verify/presentation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifiablePresentation: vp, ...extra }),
  })
  return { status: res.status, body: (await res.json()) as Answer }
}

function signedVp(
  holder: IssuerKey,
  credentials: Json[],
  challenge: string,
  domain: string,
): Promise<Json> {
  return signPresentation(
    createPresentation({ holder: holder.did, verifiableCredential: credentials }),
    { signer: holder.signer(), challenge, domain },
  )
}

beforeAll(async () => {
  server = await startTestServer()
  did = ((await (await fetch(`${server.baseUrl}/certify/server-info`)).json()) as { did: string })
    .did
  learner = await generateIssuerKey()
  other = await generateIssuerKey()
  aida = await issueFor(learner.did, 'Ada')
  othersAida = await issueFor(other.did, 'Grace')
})

afterAll(async () => {
  await server?.close()
})

describe('POST /presentations/challenges', () => {
  it('issues a 128-bit challenge bound to the public host, expiring in 300 s', async () => {
    const before = Date.now()
    const { status, body } = await requestChallenge()
    expect(status).toBe(201)
    expect(body.challenge).toMatch(/^u[A-Za-z0-9_-]{22}$/)
    expect(body.domain).toBe(new URL(server.baseUrl).host)
    const expires = Date.parse(body.expiresAt)
    expect(expires).toBeGreaterThanOrEqual(before + 299_000)
    expect(expires).toBeLessThanOrEqual(Date.now() + 300_000)
    const again = await requestChallenge()
    expect(again.body.challenge).not.toBe(body.challenge)
  })

  it('refuses a domain off the allow-list and unknown members', async () => {
    const off = await requestChallenge(server, { domain: 'evil.example' })
    expect(off.status).toBe(400)
    expect(off.body.errors?.[0]?.code).toBe('ERR_SERVER_BAD_REQUEST')
    const extra = await requestChallenge(server, { challenge: 'mine' })
    expect(extra.status).toBe(400)
  })

  it('reads the allow-list from CERTIFY_PRESENTATION_DOMAINS', () => {
    expect(presentationDomainsFromEnv({})).toEqual([])
    expect(
      presentationDomainsFromEnv({
        CERTIFY_PRESENTATION_DOMAINS: ' jobs.example, hr.example:8443 ',
      }),
    ).toEqual(['jobs.example', 'hr.example:8443'])
    expect(() =>
      presentationDomainsFromEnv({ CERTIFY_PRESENTATION_DOMAINS: 'https://jobs.example' }),
    ).toThrow(TypeError)
  })
})

describe('POST /certify/verify/presentation', () => {
  it('proves the holder for the request, then refuses the same presentation (ERR_CHALLENGE_REUSED)', async () => {
    const { body: c } = await requestChallenge()
    const vp = await signedVp(learner, [aida], c.challenge, c.domain)
    const first = await present(vp, { challenge: c.challenge })
    expect(first.status, JSON.stringify(first.body.holderBinding)).toBe(200)
    expect(first.body.verified).toBe(true)
    expect(first.body.holderProven).toBe(true)
    expect(first.body.holderBinding.proven).toBe(true)
    expect(first.body.holderBinding.holder).toBe(learner.did)
    expect(first.body.holderBinding.domain).toBe(c.domain)
    expect(first.body.holderBinding.problem).toBeUndefined()
    expect(
      Object.fromEntries(first.body.holderBinding.checks.map((k) => [k.id, k.outcome])),
    ).toEqual({
      input: 'passed',
      structure: 'passed',
      contexts: 'passed',
      proof: 'passed',
      'holder-binding': 'passed',
      challenge: 'passed',
      domain: 'passed',
      'subject-binding': 'passed',
    })
    expect(first.body.credentials).toEqual([
      { index: 0, id: aida.id, verified: true, problems: [] },
    ])

    const replay = await present(vp, { challenge: c.challenge })
    expect(replay.status).toBe(422)
    expect(replay.body.holderProven).toBe(false)
    expect(replay.body.holderBinding.proven).toBe(false)
    expect(replay.body.holderBinding.problem?.code).toBe('ERR_CHALLENGE_REUSED')
    // The verifier checks credentials only inside a presentation that holds (docs/attacks.md F5).
    expect(replay.body.credentials).toEqual([])

    // Without naming the expected challenge, the store still refuses the replay.
    const replay2 = await present(vp)
    expect(replay2.body.holderBinding.problem?.code).toBe('ERR_CHALLENGE_REUSED')
  })

  it('accepts exactly one of concurrent submissions of one answer', async () => {
    const { body: c } = await requestChallenge()
    const vp = await signedVp(learner, [aida], c.challenge, c.domain)
    const answers = await Promise.all(Array.from({ length: 5 }, () => present(vp)))
    expect(answers.filter((a) => a.body.holderProven).length).toBe(1)
    const codes = answers
      .filter((a) => !a.body.holderProven)
      .map((a) => a.body.holderBinding.problem?.code)
    expect(codes).toEqual(Array(4).fill('ERR_CHALLENGE_REUSED'))
  })

  it('refuses a presentation made for another domain (ERR_DOMAIN_MISMATCH)', async () => {
    const { body: c } = await requestChallenge()
    const vp = await signedVp(learner, [aida], c.challenge, 'evil.example')
    const res = await present(vp)
    expect(res.status).toBe(422)
    expect(res.body.holderProven).toBe(false)
    expect(res.body.holderBinding.problem?.code).toBe('ERR_DOMAIN_MISMATCH')
    // Asking for the other domain is not allowed either.
    const asked = await present(vp, { domain: 'evil.example' })
    expect(asked.status).toBe(400)
  })

  it('refuses a challenge this server never issued (ERR_CHALLENGE_UNKNOWN)', async () => {
    const domain = new URL(server.baseUrl).host
    const vp = await signedVp(learner, [aida], 'uAAAAAAAAAAAAAAAAAAAAAA', domain)
    const res = await present(vp)
    expect(res.status).toBe(422)
    expect(res.body.holderBinding.problem?.code).toBe('ERR_CHALLENGE_UNKNOWN')
  })

  it('refuses an answer to another request than the one named (ERR_CHALLENGE_MISMATCH)', async () => {
    const { body: mine } = await requestChallenge()
    const { body: theirs } = await requestChallenge()
    const vp = await signedVp(learner, [aida], theirs.challenge, theirs.domain)
    const res = await present(vp, { challenge: mine.challenge })
    expect(res.body.holderBinding.problem?.code).toBe('ERR_CHALLENGE_MISMATCH')
  })

  it("refuses someone else's credential (ERR_HOLDER_SUBJECT_MISMATCH)", async () => {
    const { body: c } = await requestChallenge()
    const vp = await signedVp(learner, [othersAida], c.challenge, c.domain)
    const res = await present(vp)
    expect(res.status).toBe(422)
    expect(res.body.holderBinding.proven).toBe(false)
    expect(res.body.holderBinding.problem?.code).toBe('ERR_HOLDER_SUBJECT_MISMATCH')
    expect(res.body.credentials[0]?.verified).toBe(true)
  })

  it('never proves the holder of an unsigned presentation', async () => {
    const vp = createPresentation({ holder: learner.did, verifiableCredential: [aida] })
    const res = await present(vp)
    expect(res.status).toBe(422)
    expect(res.body.holderProven).toBe(false)
    expect(res.body.holderBinding.problem?.code).toBe('ERR_PRESENTATION_UNSIGNED')
  })

  it('gives a revoked credential its own verdict (ERR_STATUS_REVOKED) while the holder is proven', async () => {
    const revoked = await issueFor(learner.did, 'Ada')
    const status = await postJson(server, '/credentials/status', {
      credentialId: revoked.id,
      action: 'revoke',
    })
    expect(status.status).toBe(200)
    const { body: c } = await requestChallenge()
    const vp = await signedVp(learner, [aida, revoked], c.challenge, c.domain)
    const res = await present(vp)
    expect(res.status).toBe(422)
    expect(res.body.verified).toBe(false)
    expect(res.body.holderBinding.proven).toBe(true)
    expect(res.body.credentials.map((k) => k.verified)).toEqual([true, false])
    expect(res.body.credentials[1]?.problems.map((p) => p.code)).toContain('ERR_STATUS_REVOKED')
  })

  it('answers 400 for a body without a presentation object', async () => {
    const res = await present('not an object')
    expect(res.status).toBe(400)
    expect(res.body.verified).toBe(false)
    expect(res.body.errors?.[0]?.code).toBe('ERR_SERVER_BAD_REQUEST')
  })
})

describe('challenges with an injected clock (standalone plugin on a real port)', () => {
  let app: FastifyInstance
  let baseUrl: string
  // Starts at the wall clock (the presentations are signed now), then moves on by hand.
  const start = Date.now()
  let clock = start

  beforeAll(async () => {
    app = Fastify()
    await app.register(presentationExchange, {
      publicBaseUrl: 'https://verify.example',
      allowedDomains: ['jobs.example'],
      verifierOptions: { trustedIssuers: [did], didResolver: createDefaultDidResolver() },
      ttlSeconds: 60,
      maxOutstanding: 3,
      perClientPerMinute: 5,
      now: () => new Date(clock),
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  })

  afterAll(async () => {
    await app?.close()
  })

  it('binds to a requested allow-listed domain and refuses an expired challenge (ERR_CHALLENGE_EXPIRED)', async () => {
    const { status, body: c } = await requestChallenge({ baseUrl }, { domain: 'jobs.example' })
    expect(status).toBe(201)
    expect(c.domain).toBe('jobs.example')
    expect(c.expiresAt).toBe(new Date(start + 60_000).toISOString())
    const vp = await signedVp(learner, [aida], c.challenge, c.domain)
    clock += 61_000
    const res = await present(vp, { domain: 'jobs.example' }, { baseUrl })
    expect(res.body.holderProven).toBe(false)
    expect(res.body.holderBinding.problem?.code).toBe('ERR_CHALLENGE_EXPIRED')
    // A challenge bound to jobs.example is unknown for the default domain.
    const { body: d } = await requestChallenge({ baseUrl }, { domain: 'jobs.example' })
    const vp2 = await signedVp(learner, [aida], d.challenge, 'verify.example')
    const res2 = await present(vp2, {}, { baseUrl })
    expect(res2.body.holderBinding.problem?.code).toBe('ERR_CHALLENGE_UNKNOWN')
  })

  it('caps outstanding challenges (429 ERR_CHALLENGE_LIMIT) until they expire', async () => {
    clock += 3_600_000
    for (let i = 0; i < 3; i++) expect((await requestChallenge({ baseUrl })).status).toBe(201)
    const over = await requestChallenge({ baseUrl })
    expect(over.status).toBe(429)
    expect(over.body.errors?.[0]?.code).toBe('ERR_CHALLENGE_LIMIT')
    clock += 61_000
    expect((await requestChallenge({ baseUrl })).status).toBe(201)
  })

  it('limits one client to perClientPerMinute challenges a minute (429 ERR_CHALLENGE_LIMIT)', async () => {
    clock += 3_600_000
    // The outstanding cap (3) is reached first unless challenges are used up: use each one.
    for (let i = 0; i < 5; i++) {
      const { status, body } = await requestChallenge({ baseUrl })
      expect(status).toBe(201)
      const vp = await signedVp(learner, [aida], body.challenge, body.domain)
      await present(vp, {}, { baseUrl })
    }
    const over = await requestChallenge({ baseUrl })
    expect(over.status).toBe(429)
    expect(over.body.errors?.[0]?.code).toBe('ERR_CHALLENGE_LIMIT')
    expect(over.body.errors?.[0]?.message).toContain('per client')
    clock += 60_000
    expect((await requestChallenge({ baseUrl })).status).toBe(201)
  })
})
