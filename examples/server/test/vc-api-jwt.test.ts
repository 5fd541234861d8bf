/**
 * The VC API with JWTs: `options.format` on `/credentials/issue` returns an
 * EnvelopedVerifiableCredential (vc+jwt, or VC-JWT 1.1), which `/credentials/verify` and
 * `/presentations/verify` accept back, with the same verdict as the Data Integrity credential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestServer, type TestServer } from './helpers.js'

let server: TestServer
let did: string

const vc2 = () => ({
  '@context': [
    'https://www.w3.org/ns/credentials/v2',
    'https://www.w3.org/ns/credentials/examples/v2',
  ],
  type: ['VerifiableCredential', 'ExampleDegreeCredential'],
  issuer: did,
  credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', degree: 'BSc' },
})

type Body = Record<string, unknown> & {
  verifiableCredential?: Record<string, unknown>
  errors?: { code: string }[]
  verified?: boolean
}

beforeAll(async () => {
  server = await startTestServer()
  const res = await fetch(`${server.baseUrl}/certify/server-info`)
  did = ((await res.json()) as { did: string }).did
})
afterAll(async () => {
  await server.close()
})

describe('VC API with JWTs', () => {
  for (const format of ['vc+jwt', 'vc-jwt']) {
    it(`issues with options.format "${format}" and verifies the envelope back`, async () => {
      const issued = await postJson(server, '/credentials/issue', {
        credential: vc2(),
        options: { format },
      })
      expect(issued.status).toBe(201)
      const envelope = (issued.body as Body).verifiableCredential as Record<string, unknown>
      expect(envelope.type).toBe('EnvelopedVerifiableCredential')
      expect(String(envelope.id)).toMatch(/^data:application\/vc\+jwt,eyJ/)
      const verified = await postJson(
        server,
        '/credentials/verify',
        { verifiableCredential: envelope },
        { token: null },
      )
      expect((verified.body as Body).errors).toEqual([])
      expect(verified.status).toBe(200)
      const vp = await postJson(
        server,
        '/presentations/verify',
        {
          verifiablePresentation: {
            '@context': ['https://www.w3.org/ns/credentials/v2'],
            type: ['VerifiablePresentation'],
            verifiableCredential: [envelope],
          },
        },
        { token: null },
      )
      expect(vp.status).toBe(200)
      // A changed token fails, in the credential door and inside a presentation alike.
      const token = String(envelope.id).split(',')[1] ?? ''
      const [h, p, s] = token.split('.')
      const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as Record<
        string,
        Record<string, unknown>
      >
      const subject = (format === 'vc-jwt' ? payload.vc : payload) as Record<
        string,
        Record<string, unknown>
      >
      subject.credentialSubject!.degree = 'PhD'
      const bad = {
        ...envelope,
        id: `data:application/vc+jwt,${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`,
      }
      const refused = await postJson(
        server,
        '/credentials/verify',
        { verifiableCredential: bad },
        { token: null },
      )
      expect(refused.status).toBe(422)
      expect(((refused.body as Body).errors ?? []).map((e) => e.code)).toEqual([
        'ERR_PROOF_INVALID',
      ])
    })
  }

  it('refuses an unknown format and a JWT on a suite route', async () => {
    const a = await postJson(server, '/credentials/issue', {
      credential: vc2(),
      options: { format: 'cbor' },
    })
    expect(a.status).toBe(400)
    const b = await postJson(server, '/eddsa-rdfc-2022/credentials/issue', {
      credential: vc2(),
      options: { format: 'vc+jwt' },
    })
    expect(b.status).toBe(400)
  })
})
