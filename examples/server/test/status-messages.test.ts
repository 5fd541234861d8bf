/**
 * Bitstring Status List `message` entries on the server: the status route (the W3C Bitstring
 * Status List suite's door) issues a revocation entry and a message entry (statusSize 2, one
 * message per value: 2^statusSize = 4), `POST /credentials/status` with `action: "message"` sets
 * the value, the list is re-published at `/status/message/<n>`, and `POST /credentials/verify`
 * reports the value's message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestServer, type TestServer } from './helpers.js'

type Json = Record<string, unknown>
let server: TestServer
let did: string
beforeAll(async () => {
  server = await startTestServer()
  did = ((await (await fetch(`${server.baseUrl}/certify/server-info`)).json()) as Json)
    .did as string
})
afterAll(() => server.close())

describe('status message entries', () => {
  it('issue → set a value → the verifier shows its message', async () => {
    const issued = await postJson(server, '/status/credentials/issue', {
      credential: {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
        issuer: did,
        credentialSubject: { id: 'did:example:alice' },
      },
    })
    expect(issued.status).toBe(201)
    const vc = (issued.body as Json).verifiableCredential as Json
    const [, message] = vc.credentialStatus as Json[]
    expect(message).toMatchObject({ statusPurpose: 'message', statusSize: 2 })
    expect(message?.statusMessage).toHaveLength(4)
    const list = await fetch(String(message?.statusListCredential))
    expect(list.status).toBe(200)

    const verifyStatus = async () => {
      const r = await postJson(server, '/credentials/verify', { verifiableCredential: vc })
      const status = ((r.body as Json).certify as Json).credential as Json
      return (status.status as Json[]).find((s) => s.purpose === 'message')
    }
    expect(await verifyStatus()).toMatchObject({ value: 0, message: 'valid' })
    const set = await postJson(server, '/credentials/status', {
      credentialId: vc.id,
      action: 'message',
      value: 2,
      reason: 'renewal overdue',
    })
    expect(set.status).toBe(200)
    expect(set.body).toMatchObject({ previous: 0, value: 2, changed: true, action: 'message' })
    expect(await verifyStatus()).toMatchObject({ value: 2, message: 'renewal overdue' })

    const bad = await postJson(server, '/credentials/status', {
      credentialId: vc.id,
      action: 'message',
      value: 7,
    })
    expect(bad.status).toBe(400)
    const missing = await postJson(server, '/credentials/status', {
      credentialId: vc.id,
      action: 'message',
    })
    expect(missing.status).toBe(400)
  })
})
