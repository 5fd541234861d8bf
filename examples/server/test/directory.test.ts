/**
 * The public directory and publishing over HTTP (issue 19, issue 16 item 2), against the real
 * server: nothing is public until its learner chooses it (by a holder-signed presentation, or
 * the Institute on their request); search by whole name and program, or by id; the defences
 * against enumeration (short queries refused, results capped, searches rate-limited, identical
 * answers for unlisted and unknown); unlisting takes effect at once.
 */
import { createPresentation, signPresentation, unbakeImage } from '@certify-vc/core'
import { generateIssuerKey, type IssuerKey } from '@certify-vc/issuer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestServer, type TestServer } from './helpers.js'

type Json = Record<string, unknown>

async function get(
  server: TestServer,
  path: string,
): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(`${server.baseUrl}${path}`, { redirect: 'manual' })
  return { status: res.status, body: await res.text(), headers: res.headers }
}

function search(name: string, program: string): string {
  return `/certify/verify?${new URLSearchParams({ name, program }).toString()}`
}

/** The search's answer, without the echo of the query in the form. */
function answerOf(body: string): string {
  const at = body.indexOf('id="directory-results"')
  expect(at, 'the page has a search answer').toBeGreaterThan(0)
  return body.slice(at, body.indexOf('</section>', at))
}

describe('the public directory and publishing', { timeout: 120_000 }, () => {
  let server: TestServer
  let learner: IssuerKey

  async function issue(program: string, name: string, options: Json = {}): Promise<Json> {
    const res = await postJson(server, '/certify/credentials', {
      program,
      recipient: { name, ...(options.did === undefined ? {} : { did: options.did }) },
      ...(options.publicDirectory === undefined
        ? {}
        : { publicDirectory: options.publicDirectory }),
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return (res.body as { verifiableCredential: Json }).verifiableCredential
  }

  /** The learner's own request: a presentation answering a fresh challenge of this server. */
  async function byHolder(vc: Json, listed: boolean, holder = learner) {
    const challenge = await postJson(server, '/presentations/challenges', {}, { token: null })
    expect(challenge.status).toBe(201)
    const { challenge: c, domain } = challenge.body as { challenge: string; domain: string }
    const vp = await signPresentation(
      createPresentation({ holder: holder.did, verifiableCredential: [vc] }),
      { signer: holder.signer(), challenge: c, domain },
    )
    return postJson(
      server,
      '/certify/listing',
      { verifiablePresentation: vp, challenge: c, listed },
      { token: null },
    )
  }

  beforeAll(async () => {
    server = await startTestServer({ searchRateLimit: { perMinute: 100_000, burst: 10_000 } })
    learner = await generateIssuerKey()
  })
  afterAll(async () => {
    await server?.close()
  })

  it('nothing is public until the learner publishes; the holder publishes and unpublishes with a signed presentation', async () => {
    const vc = await issue('CAAE', 'Ada Lovelace', { did: learner.did })
    const id = vc.id as string
    const share = `/certify/credential/${encodeURIComponent(id)}`
    const unknown = `/certify/credential/${encodeURIComponent('urn:uuid:00000000-0000-4000-8000-000000000000')}`
    expect((await get(server, share)).status).toBe(404)
    expect(answerOf((await get(server, search('Ada Lovelace', 'CAAE'))).body)).toContain(
      'data-search="none"',
    )

    const published = await byHolder(vc, true)
    expect(published.status, JSON.stringify(published.body)).toBe(200)
    const url = `${server.baseUrl}/certify/credential/${encodeURIComponent(id).replace(/%3A/gi, ':')}`
    expect(published.body).toEqual({ listed: true, credentials: [{ id, url }] })
    const page = await get(server, share)
    expect(page.status).toBe(200)
    expect(page.body).toContain('data-verdict="genuine"')
    const found = answerOf((await get(server, search('  ADA lovelace ', 'CAAE'))).body)
    expect(found).toContain(`data-credential-id="${id}"`)
    expect(found).toContain('data-entry-verdict="genuine"')
    // The download is the credential as issued.
    const download = await get(server, `${share}?download=json`)
    expect(download.headers.get('content-disposition')).toBe(
      'attachment; filename="credential.json"',
    )
    expect(JSON.parse(download.body)).toEqual(vc)
    // And baked into the program's badge (Open Badges 3.0 §5.3): the same credential, unchanged.
    expect(page.body).toContain('id="share-download-badge"')
    const badge = await fetch(`${server.baseUrl}${share}?download=png`)
    expect(badge.status).toBe(200)
    expect(badge.headers.get('content-type')).toBe('image/png')
    expect(badge.headers.get('content-disposition')).toBe('attachment; filename="badge.png"')
    const baked = unbakeImage(new Uint8Array(await badge.arrayBuffer()))
    expect(baked?.format).toBe('png')
    expect(JSON.parse(baked?.credential ?? 'null')).toEqual(vc)

    // Someone else's key cannot unpublish it (the credential is not about them).
    const stranger = await byHolder(vc, false, await generateIssuerKey())
    expect(stranger.status).toBe(422)
    expect((stranger.body as { errors: { code: string }[] }).errors[0]?.code).toBe(
      'ERR_HOLDER_SUBJECT_MISMATCH',
    )
    expect((await get(server, share)).status).toBe(200)

    const unpublished = await byHolder(vc, false)
    expect(unpublished.status, JSON.stringify(unpublished.body)).toBe(200)
    // At once: the page and the search answer as for a credential that never existed.
    const gone = await get(server, share)
    expect(gone.status).toBe(404)
    expect(gone.body).toBe((await get(server, unknown)).body)
    expect(answerOf((await get(server, search('Ada Lovelace', 'CAAE'))).body)).toBe(
      answerOf((await get(server, search('Nobody Atall', 'CAAE'))).body),
    )
  })

  it('a presentation is single use, and a revoked credential cannot be published by its holder', async () => {
    const vc = await issue('AIDA', 'Alan Turing', { did: learner.did })
    const challenge = await postJson(server, '/presentations/challenges', {}, { token: null })
    const { challenge: c, domain } = challenge.body as { challenge: string; domain: string }
    const vp = await signPresentation(
      createPresentation({ holder: learner.did, verifiableCredential: [vc] }),
      { signer: learner.signer(), challenge: c, domain },
    )
    const body = { verifiablePresentation: vp, challenge: c, listed: true }
    expect((await postJson(server, '/certify/listing', body, { token: null })).status).toBe(200)
    const replay = await postJson(
      server,
      '/certify/listing',
      { ...body, listed: false },
      { token: null },
    )
    expect(replay.status).toBe(422)
    expect((replay.body as { errors: { code: string }[] }).errors[0]?.code).toBe(
      'ERR_CHALLENGE_REUSED',
    )
    const id = encodeURIComponent(vc.id as string)
    expect((await postJson(server, `/certify/credentials/${id}/revoke`, {})).status).toBe(200)
    expect((await byHolder(vc, false)).status).toBe(200) // a revoked one can be taken down
    const refused = await byHolder(vc, true)
    expect(refused.status).toBe(422)
    expect((refused.body as { errors: { code: string }[] }).errors[0]?.code).toBe(
      'ERR_STATUS_REVOKED',
    )
    // Bad bodies.
    for (const bad of [{}, { ...body, listed: 'yes' }, { ...body, extra: 1 }]) {
      expect((await postJson(server, '/certify/listing', bad, { token: null })).status).toBe(400)
    }
  })

  it('the Institute publishes and unpublishes on a learner’s request (bearer token only)', async () => {
    const vc = await issue('AIMA', 'Katherine Johnson')
    const id = encodeURIComponent(vc.id as string)
    const noToken = await postJson(
      server,
      `/certify/credentials/${id}/publish`,
      {},
      { token: null },
    )
    expect(noToken.status).toBe(401)
    expect((await postJson(server, `/certify/credentials/${id}/publish`, {})).status).toBe(200)
    expect(answerOf((await get(server, search('Katherine Johnson', 'AIMA'))).body)).toContain(
      'data-entry-verdict="genuine"',
    )
    // The program is part of the search: another program finds nothing.
    expect(answerOf((await get(server, search('Katherine Johnson', 'CAAE'))).body)).toContain(
      'data-search="none"',
    )
    expect((await postJson(server, `/certify/credentials/${id}/unpublish`, {})).status).toBe(200)
    expect(answerOf((await get(server, search('Katherine Johnson', 'AIMA'))).body)).toContain(
      'data-search="none"',
    )
    const unknown = await postJson(server, '/certify/credentials/urn%3Auuid%3Anope/publish', {})
    expect(unknown.status).toBe(404)
    expect(
      (await postJson(server, `/certify/credentials/${id}/publish`, { reason: 'x' })).status,
    ).toBe(400)
  })

  it('no enumeration: short or partial names and missing programs are refused; results are capped', async () => {
    for (const [name, program] of [
      ['Ada', 'CAAE'],
      ['A d a', 'CAAE'],
      ['....', 'CAAE'],
      ['Ada Lovelace', ''],
      ['Ada Lovelace', 'XYZ'],
      ['x'.repeat(201), 'CAAE'],
    ] as const) {
      const res = await get(server, search(name, program))
      expect(res.status, `${name} / ${program}`).toBe(400)
      expect(answerOf(res.body)).toContain('data-search="refused"')
    }
    for (let i = 0; i < 7; i++) await issue('CAAE', 'John Smith', { publicDirectory: true })
    const many = await get(server, search('John Smith', 'CAAE'))
    expect(many.status).toBe(200)
    const answer = answerOf(many.body)
    expect(answer.match(/data-credential-id=/g)).toHaveLength(5)
    expect(answer).toContain('More match than the 5 shown')
    // A part of the name finds nothing (whole names only).
    expect(answerOf((await get(server, search('John Smit', 'CAAE'))).body)).toContain(
      'data-search="none"',
    )
  })

  it('identical answers for a credential that is not listed and one that does not exist', async () => {
    const hidden = await issue('CAAE', 'Grace Hopper')
    const a = await get(server, search('Grace Hopper', 'CAAE'))
    const b = await get(server, search('Grace Hoppex', 'CAAE'))
    expect(a.status).toBe(b.status)
    expect(a.body.replace('Grace Hopper', 'Q')).toBe(b.body.replace('Grace Hoppex', 'Q'))
    const byId = await get(server, `/certify/verify/${encodeURIComponent(hidden.id as string)}`)
    const none = await get(server, `/certify/verify/${encodeURIComponent('urn:uuid:nope')}`)
    expect([byId.status, byId.body]).toEqual([none.status, none.body])
  })
})

describe('the directory search is rate-limited per client', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({
      searchRateLimit: { perMinute: 1, burst: 3 },
      rateLimit: { perMinute: 1, burst: 2 },
    })
  })
  afterAll(async () => {
    await server?.close()
  })

  it('refused searches count too; beyond the burst: 429 with Retry-After; the checker itself is not limited', async () => {
    expect((await get(server, search('Ada', 'CAAE'))).status).toBe(400)
    expect((await get(server, search('Ada Lovelace', 'CAAE'))).status).toBe(200)
    expect((await get(server, search('Alan Turing', 'AIDA'))).status).toBe(200)
    const limited = await get(server, search('Grace Hopper', 'CAAE'))
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(answerOf(limited.body)).toContain('data-search="rate-limited"')
    expect((await get(server, '/certify/verify')).status).toBe(200)
  })

  it('the shared page, which verifies on the server, has the verify routes’ limit', async () => {
    const path = `/certify/credential/${encodeURIComponent('urn:uuid:nope')}`
    expect((await get(server, path)).status).toBe(404)
    expect((await get(server, path)).status).toBe(404)
    const limited = await get(server, path)
    expect(limited.status).toBe(429)
    expect(JSON.parse(limited.body)).toMatchObject({
      errors: [{ code: 'ERR_SERVER_RATE_LIMITED' }],
    })
  })
})
