import { describe, expect, it } from 'vitest'
import { startTestServer, postJson } from './helpers.js'

describe('smoke', () => {
  it('issues and verifies', async () => {
    const server = await startTestServer()
    try {
      const did = (await (await fetch(`${server.baseUrl}/.well-known/did.json`)).json()) as {
        id: string
      }
      const credential = {
        '@context': [
          'https://www.w3.org/ns/credentials/v2',
          'https://www.w3.org/ns/credentials/examples/v2',
        ],
        type: ['VerifiableCredential', 'ExampleCredential'],
        issuer: did.id,
        credentialSubject: { id: 'did:example:123', name: 'Ada' },
      }
      const issued = await postJson(server, '/credentials/issue', { credential })
      console.log(JSON.stringify(issued.body, null, 1))
      expect(issued.status).toBe(201)
      const vc = (issued.body as { verifiableCredential: unknown }).verifiableCredential
      const verified = await postJson(
        server,
        '/credentials/verify',
        { verifiableCredential: vc },
        { token: null },
      )
      console.log(JSON.stringify(verified.body, null, 1))
      expect(verified.status).toBe(200)
    } finally {
      await server.close()
    }
  })
})
