/**
 * Issuing through the server: program credentials from the catalog (`POST /certify/credentials`),
 * their status routes, `GET /credentials/{id}`, idempotency (`Idempotency-Key`, explicit ids,
 * concurrent requests), and what happens to a request whose attempt died: taken over by a retry,
 * or abandoned and its status index voided.
 */
import { randomUUID } from 'node:crypto'
import { decodeStatusList, getStatus } from '@certify-vc/core'
import type { StatusRegistry } from '@certify-vc/issuer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fingerprintOf } from '../src/issuing/idempotent-issue.js'
import { INTERRUPTED_REASON } from '../src/issuing/interrupted-issues.js'
import { openStorage } from '../src/storage/open-storage.js'
import type { ServerStorage } from '../src/storage/types.js'
import { postJson, startTestServer, type TestServer } from './helpers.js'

type Json = Record<string, unknown>
type Body = Json & { verifiableCredential?: Json; errors?: { code: string; message: string }[] }

const LEARNER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'

let server: TestServer
let did: string
let registry: StatusRegistry
let storage: ServerStorage

async function issueProgram(
  body: unknown,
  headers: Record<string, string> = {},
  target: TestServer = server,
): Promise<{ status: number; body: Body; headers: Headers }> {
  const res = await fetch(`${target.baseUrl}/certify/credentials`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${target.token}`,
      ...headers,
    },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Body, headers: res.headers }
}

async function getCredential(id: string, token: string | null = server.token): Promise<Response> {
  return fetch(`${server.baseUrl}/credentials/${encodeURIComponent(id)}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  })
}

async function verify(vc: unknown): Promise<{ status: number; body: Body }> {
  const res = await postJson(
    server,
    '/credentials/verify',
    { verifiableCredential: vc },
    { token: null },
  )
  return { status: res.status, body: res.body as Body }
}

const codes = (body: Body) => (body.errors ?? []).map((e) => e.code)

beforeAll(async () => {
  // Short lease and abandon times, so that interrupted issues are resolved within the test.
  server = await startTestServer({ issueTiming: { leaseSeconds: 1, abandonSeconds: 3 } })
  did = ((await (await fetch(`${server.baseUrl}/certify/server-info`)).json()) as { did: string })
    .did
  // A second connection to the same files: what a crashed instance left behind is written here.
  ;({ registry, storage } = await openStorage(server.dataDir))
})

afterAll(async () => {
  await registry?.close()
  await storage?.close()
  await server?.close()
})

describe('POST /certify/credentials', () => {
  it('issues a catalog credential with status entries under /status, retrievable and verifiable', async () => {
    const res = await issueProgram({ program: 'CAAE', recipient: { name: 'Ada', did: LEARNER } })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const vc = res.body.verifiableCredential as Json
    expect(vc.issuer).toMatchObject({ id: did })
    expect((vc.credentialSubject as Json).id).toBe(LEARNER)
    const entry = vc.credentialStatus as { statusListCredential: string; statusListIndex: string }
    expect(entry.statusListCredential).toMatch(
      new RegExp(`^${server.baseUrl}/status/revocation/\\d+$`),
    )
    const record = await registry.getCredentialStatus(vc.id as string)
    expect(record).toMatchObject({
      program: 'CAAE',
      status: 'active',
      index: Number(entry.statusListIndex),
      statusBaseUrl: `${server.baseUrl}/status`,
    })
    expect((await verify(vc)).status).toBe(200)
    const back = await getCredential(vc.id as string)
    expect(back.status).toBe(200)
    expect(await back.json()).toEqual(vc)
    // Reading back is for the issuer: the token is needed.
    expect((await getCredential(vc.id as string, null)).status).toBe(401)
    expect((await getCredential('urn:uuid:00000000-0000-4000-8000-00000000dead')).status).toBe(404)
  })

  it('offers suspension, VC 1.1 and the public directory on request', async () => {
    const res = await issueProgram({
      program: 'AIMA',
      recipient: { email: 'grace@example.org' },
      format: 'vc1.1',
      suspension: true,
      publicDirectory: true,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const vc = res.body.verifiableCredential as Json
    expect(vc.issuanceDate).toBeDefined()
    expect(vc.credentialStatus).toHaveLength(2)
    expect(JSON.stringify(vc)).not.toContain('grace@example.org')
    const page = await fetch(
      `${server.baseUrl}/certify/verify/${encodeURIComponent(vc.id as string)}`,
    )
    expect(page.status).toBe(200)
  })

  it.each([
    [
      'an unknown program',
      { program: 'XYZ', recipient: { name: 'A' } },
      422,
      'ERR_ISSUE_PROGRAM_UNKNOWN',
    ],
    ['no recipient data', { program: 'AIDA', recipient: {} }, 422, 'ERR_ISSUE_RECIPIENT_INVALID'],
    [
      'an unknown member',
      { program: 'AIDA', recipient: { name: 'A' }, grade: 'A+' },
      400,
      'ERR_SERVER_BAD_REQUEST',
    ],
    [
      'a recipient phone',
      { program: 'AIDA', recipient: { phone: '1' } },
      400,
      'ERR_SERVER_BAD_REQUEST',
    ],
    [
      'a bad format',
      { program: 'AIDA', recipient: { name: 'A' }, format: 'jwt' },
      400,
      'ERR_SERVER_BAD_REQUEST',
    ],
    [
      'a date without zone',
      { program: 'AIDA', recipient: { name: 'A' }, validFrom: '2026-01-01' },
      400,
      'ERR_SERVER_BAD_REQUEST',
    ],
  ])('refuses %s before allocating anything', async (_name, body, status, code) => {
    const before = (await registry.readStatusLists()).reduce((n, l) => n + l.allocated, 0)
    const res = await issueProgram(body)
    expect(res.status).toBe(status)
    expect(codes(res.body)).toEqual([code])
    expect((await registry.readStatusLists()).reduce((n, l) => n + l.allocated, 0)).toBe(before)
  })

  it('revokes, suspends and reinstates through /certify/credentials/{id}/{action}', async () => {
    const vc = (await issueProgram({ program: 'CAAE', recipient: { name: 'B' }, suspension: true }))
      .body.verifiableCredential as Json
    const path = `${server.baseUrl}/certify/credentials/${encodeURIComponent(vc.id as string)}`
    const act = (action: string, body: unknown = { reason: 'test' }, token = server.token) =>
      fetch(`${path}/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      })
    expect((await act('suspend', {}, 'x'.repeat(20))).status).toBe(401)
    const suspended = await act('suspend')
    expect(await suspended.json()).toMatchObject({ status: 'suspended', action: 'suspend' })
    expect(codes((await verify(vc)).body)).toEqual(['ERR_STATUS_SUSPENDED'])
    expect(await (await act('unsuspend', {})).json()).toMatchObject({ status: 'active' })
    expect((await verify(vc)).status).toBe(200)
    expect((await act('revoke')).status).toBe(200)
    const list = (await (
      await fetch((vc.credentialStatus as Json[])[0]?.statusListCredential as string)
    ).json()) as {
      credentialSubject: { encodedList: string }
    }
    const index = Number((vc.credentialStatus as Json[])[0]?.statusListIndex)
    expect(getStatus(decodeStatusList(list.credentialSubject.encodedList), index)).toBe(1)
    expect(codes((await verify(vc)).body)).toEqual(['ERR_STATUS_REVOKED'])
    const refused = await act('unsuspend')
    expect(refused.status).toBe(422)
    expect((await act('destroy')).status).toBe(404)
    expect((await act('revoke', { reason: 3 })).status).toBe(400)
  })
})

describe('idempotent issuing', () => {
  it('a retry with the same Idempotency-Key gets the same credential (200), never a second one', async () => {
    const key = `k-${randomUUID()}`
    const body = { program: 'AIDA', recipient: { name: 'Retry' } }
    const first = await issueProgram(body, { 'idempotency-key': key })
    expect(first.status).toBe(201)
    const again = await issueProgram(body, { 'idempotency-key': key })
    expect(again.status).toBe(200)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.body).toEqual(first.body)
    // The same key for another request is refused; without a key it is a new credential.
    const other = await issueProgram(
      { ...body, recipient: { name: 'Other' } },
      { 'idempotency-key': key },
    )
    expect(other.status).toBe(422)
    expect(codes(other.body)).toEqual(['ERR_ISSUE_IDEMPOTENCY_CONFLICT'])
    const fresh = await issueProgram(body)
    expect(fresh.status).toBe(201)
    expect(fresh.body.verifiableCredential?.id).not.toBe(first.body.verifiableCredential?.id)
    expect((await issueProgram(body, { 'idempotency-key': 'has space' })).status).toBe(400)
  })

  it('of 20 concurrent requests with one key, exactly one issues; the others get it or 409', async () => {
    const key = `k-${randomUUID()}`
    const body = { program: 'AIMA', recipient: { name: 'Concurrent' } }
    const before = (await registry.readStatusLists()).reduce((n, l) => n + l.allocated, 0)
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => issueProgram(body, { 'idempotency-key': key })),
    )
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1)
    for (const a of answers) expect([200, 201, 409]).toContain(a.status)
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(codes(a.body)).toEqual(['ERR_ISSUE_IN_PROGRESS'])
      expect(a.headers.get('retry-after')).toBe('1')
    }
    const ids = new Set(
      answers.filter((a) => a.status < 300).map((a) => a.body.verifiableCredential?.id),
    )
    expect(ids.size).toBe(1)
    expect((await registry.readStatusLists()).reduce((n, l) => n + l.allocated, 0)).toBe(before + 1)
  })

  it('the generic issue route is idempotent by key too, and by explicit id', async () => {
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
      issuer: did,
      credentialSubject: { name: 'Key' },
    }
    const send = (body: unknown, key?: string) =>
      fetch(`${server.baseUrl}/credentials/issue`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${server.token}`,
          ...(key === undefined ? {} : { 'idempotency-key': key }),
        },
        body: JSON.stringify(body),
      })
    const key = `k-${randomUUID()}`
    const a = await send({ credential }, key)
    const b = await send({ credential }, key)
    expect([a.status, b.status]).toEqual([201, 200])
    expect(await b.json()).toEqual(await a.json())
    // The same body on another issue route is another request.
    const elsewhere = await fetch(`${server.baseUrl}/eddsa-rdfc-2022/credentials/issue`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${server.token}`,
        'idempotency-key': key,
      },
      body: JSON.stringify({ credential }),
    })
    expect(elsewhere.status).toBe(422)
  })
})

describe('interrupted issues', () => {
  /** What an instance that died after allocating leaves: a pending claim and an allocation. */
  async function crashedAttempt(route: string, body: unknown, key: string, credentialId: string) {
    const claimedAt = Date.now() - 2_000 // older than the 1 s lease
    await storage.credentials.claim({
      credentialId,
      idempotencyKey: key,
      fingerprint: fingerprintOf(route, body),
      owner: 'the instance that died',
      now: claimedAt,
    })
    return registry.allocateStatus({
      credentialId,
      program: 'AIDA',
      recipient: {},
      suspension: false,
      statusBaseUrl: `${server.baseUrl}/status`,
    })
  }

  it('a retry takes over a program request whose instance died: the old index is voided, one credential delivered', async () => {
    const key = `k-${randomUUID()}`
    const body = { program: 'AIDA', recipient: { name: 'Resumed' } }
    const deadId = `urn:uuid:${randomUUID()}`
    await crashedAttempt('/certify/credentials', body, key, deadId)
    const res = await issueProgram(body, { 'idempotency-key': key })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const vc = res.body.verifiableCredential as Json
    expect(vc.id).not.toBe(deadId)
    const dead = await registry.getCredentialStatus(deadId)
    expect(dead.status).toBe('void')
    expect(dead.history.at(-1)?.reason).toMatch(/interrupted/)
    expect((await registry.getCredentialStatus(vc.id as string)).status).toBe('active')
    expect((await issueProgram(body, { 'idempotency-key': key })).body).toEqual(res.body)
  })

  it('a retry takes over a generic request and reuses the index its dead attempt allocated', async () => {
    const key = `k-${randomUUID()}`
    const id = `urn:uuid:${randomUUID()}`
    const body = {
      credential: {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id,
        type: ['VerifiableCredential'],
        issuer: did,
        credentialSubject: { name: 'Reused' },
      },
    }
    const slot = await crashedAttempt('/credentials/issue', body, key, id)
    const res = await postJson(server, '/credentials/issue', body, {})
    // Without the key the explicit id still names the request: the same claim is taken over.
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const vc = (res.body as Body).verifiableCredential as Json
    expect(vc.id).toBe(id)
    expect((vc.credentialStatus as Json).statusListIndex).toBe(String(slot.index))
    expect((await registry.getCredentialStatus(id)).status).toBe('active')
  })

  it('a request nobody retries is abandoned and its index voided with the reason; a late retry is told', async () => {
    const key = `k-${randomUUID()}`
    const body = { program: 'CAAE', recipient: { name: 'Abandoned' } }
    const deadId = `urn:uuid:${randomUUID()}`
    await crashedAttempt('/certify/credentials', body, key, deadId)
    // The server sweeps every abandonSeconds / 2 (1.5 s) claims older than 3 s.
    const until = Date.now() + 15_000
    while ((await registry.getCredentialStatus(deadId)).status !== 'void' && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const dead = await registry.getCredentialStatus(deadId)
    expect(dead.status).toBe('void')
    expect(dead.history.at(-1)?.reason).toBe(INTERRUPTED_REASON)
    expect(await storage.credentials.getClaim(deadId)).toMatchObject({
      state: 'abandoned',
      voided: true,
    })
    const late = await issueProgram(body, { 'idempotency-key': key })
    expect(late.status).toBe(409)
    expect(codes(late.body)).toEqual(['ERR_ISSUE_INTERRUPTED'])
  })
})
