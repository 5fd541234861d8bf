/**
 * `POST /certify/offers` with an `Idempotency-Key`, as `POST /certify/credentials` takes one: the
 * same request again is the same offer (200, `Idempotent-Replayed: true`), also when sent
 * concurrently; the key with a different request is 422 `ERR_ISSUE_IDEMPOTENCY_CONFLICT`; a
 * malformed key is 400. A retry of an offer with a transaction code gets a new code and the
 * earlier one stops working (the server keeps only a hash, so it cannot show a code twice): an
 * OpenID4VCI wallet (`@openid4vc/openid4vci`) is refused with the old code and receives the
 * credential with the new one. A claimed offer's retry answers without a code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers.js'
import { libraryWallet, newHolderKey, type Json } from './wallets.js'

let server: TestServer

async function postOffer(
  body: Json,
  key?: string,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${server.baseUrl}/certify/offers`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${server.token}`,
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers }
}

beforeAll(async () => {
  server = await startTestServer({ didMethod: 'key' })
}, 60_000)

afterAll(async () => {
  await server?.close()
})

describe('POST /certify/offers with an Idempotency-Key', () => {
  it('the same request again is the same offer (200, replayed); without a key, a new offer', async () => {
    const body = { program: 'AIDA', recipient: { name: 'Grace Hopper' } }
    const first = await postOffer(body, 'cohort-1/grace')
    expect(first.status).toBe(201)
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    const again = await postOffer(
      { recipient: { name: 'Grace Hopper' }, program: 'AIDA' },
      'cohort-1/grace',
    )
    expect(again.status).toBe(200)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.body).toEqual(first.body)
    const unkeyed = [await postOffer(body), await postOffer(body)]
    expect(unkeyed.map((r) => r.status)).toEqual([201, 201])
    expect(unkeyed[0]?.body.offerId).not.toBe(unkeyed[1]?.body.offerId)
  })

  it('of concurrent requests with one key, one makes the offer and all get it', async () => {
    const body = { program: 'CAAE', recipient: { email: 'ada@example.org' } }
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => postOffer(body, 'cohort-1/ada')),
    )
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1)
    expect(answers.filter((a) => a.status === 200)).toHaveLength(7)
    expect(new Set(answers.map((a) => a.body.offerId)).size).toBe(1)
  })

  it('the key with a different request is 422 ERR_ISSUE_IDEMPOTENCY_CONFLICT; a malformed key 400', async () => {
    expect((await postOffer({ program: 'AIMA', recipient: { name: 'A' } }, 'k-1')).status).toBe(201)
    const conflict = await postOffer({ program: 'AIMA', recipient: { name: 'B' } }, 'k-1')
    expect(conflict.status).toBe(422)
    expect(conflict.body).toMatchObject({ errors: [{ code: 'ERR_ISSUE_IDEMPOTENCY_CONFLICT' }] })
    const bad = await postOffer({ program: 'AIMA', recipient: { name: 'A' } }, 'with space')
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ errors: [{ code: 'ERR_SERVER_BAD_REQUEST' }] })
    // A bad request with a key stores nothing: the key stays free for the corrected request.
    const refused = await postOffer({ program: 'AIMA', recipient: { email: 'nope' } }, 'k-2')
    expect(refused.status).toBe(422)
    expect((await postOffer({ program: 'AIMA', recipient: { name: 'C' } }, 'k-2')).status).toBe(201)
  })

  it('a retry of an offer with a tx code gets a new code; the old one is refused, the new one claims; once claimed, no code', async () => {
    const body = { program: 'CAAE', recipient: { name: 'Ada Lovelace' }, txCode: true }
    const first = await postOffer(body, 'cohort-2/ada')
    const retry = await postOffer(body, 'cohort-2/ada')
    expect(retry.status).toBe(200)
    expect(retry.body.offerId).toBe(first.body.offerId)
    expect(retry.body.txCode).toMatch(/^\d{6}$/)
    const oldCode = String(first.body.txCode)
    const newCode = String(retry.body.txCode)
    const holder = await newHolderKey()
    if (oldCode !== newCode) {
      await expect(libraryWallet(holder, String(first.body.offerUri), oldCode)).rejects.toThrow(
        /invalid_grant/,
      )
    }
    const claim = await libraryWallet(holder, String(retry.body.offerUri), newCode)
    expect((claim.credential.credentialSubject as Json).id).toBe(holder.did)
    const late = await postOffer(body, 'cohort-2/ada')
    expect(late.status).toBe(200)
    expect(late.body.offerId).toBe(first.body.offerId)
    expect(late.body.txCode).toBeUndefined()
  }, 60_000)
})
