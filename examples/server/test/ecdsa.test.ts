/**
 * The W3C ECDSA suites on the VC API (the routes the vc-di-ecdsa test suite calls): issue with
 * the server's P-256 / P-384 keys, ecdsa-sd-2023 base proofs with `options.mandatoryPointers`
 * (an invalid pointer refused with 422), and `POST /credentials/verify` through the one pipeline,
 * with did:web (the keys are methods of the server's DID) and did:key (each key its own DID).
 */
import { createDocumentLoader } from '@certify-vc/context'
import { deriveCredential } from '@certify-vc/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestServer, type TestServer } from './helpers.js'

type Json = Record<string, unknown>

function credential(issuer: string, id: string): Json {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id,
    type: ['VerifiableCredential'],
    issuer,
    credentialSubject: { id: 'did:example:alice', name: 'Alice' },
  }
}

let n = 0
const nextId = () => `urn:uuid:7d3c1e52-0000-4000-8000-${String(++n).padStart(12, '0')}`

for (const didMethod of ['web', 'key'] as const) {
  describe(`ECDSA issue routes (did:${didMethod})`, () => {
    let server: TestServer
    let dids: Record<'P-256' | 'P-384', string>
    beforeAll(async () => {
      server = await startTestServer({ didMethod })
      const info = (await (await fetch(`${server.baseUrl}/certify/server-info`)).json()) as Json
      dids = info.ecdsaDids as Record<'P-256' | 'P-384', string>
    })
    afterAll(() => server.close())

    const verify = async (vc: unknown) =>
      postJson(server, '/credentials/verify', { verifiableCredential: vc })

    for (const [curve, bytes] of [
      ['P-256', 64],
      ['P-384', 96],
    ] as const) {
      it(`ecdsa-rdfc-2019 ${curve}: issued, ${bytes}-byte signature, verifies; tampered fails`, async () => {
        const issued = await postJson(server, `/ecdsa-rdfc-2019/${curve}/credentials/issue`, {
          credential: credential(dids[curve], nextId()),
          options: {},
        })
        expect(issued.status).toBe(201)
        const vc = (issued.body as Json).verifiableCredential as Json
        const proof = vc.proof as Json
        expect(proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'ecdsa-rdfc-2019' })
        expect(String(proof.verificationMethod).startsWith(dids[curve])).toBe(true)
        const ok = await verify(vc)
        expect(ok.status).toBe(200)
        expect((ok.body as Json).verified).toBe(true)
        const bad = await verify({
          ...vc,
          credentialSubject: { id: 'did:example:alice', name: 'Eve' },
        })
        expect(bad.status).toBe(422)
      })
    }

    it('ecdsa-sd-2023: a base proof with the mandatory pointers; the derived credential verifies, the base one does not', async () => {
      const issued = await postJson(server, '/ecdsa-sd-2023/P-256/credentials/issue', {
        credential: credential(dids['P-256'], nextId()),
        options: { mandatoryPointers: ['/issuer'] },
      })
      expect(issued.status).toBe(201)
      const base = (issued.body as Json).verifiableCredential as Json
      expect(String((base.proof as Json).proofValue).startsWith('u2V0A')).toBe(true)
      const refused = await verify(base)
      expect(refused.status).toBe(422)
      expect(JSON.stringify(refused.body)).toContain('ERR_PROOF_BASE_NOT_DERIVED')
      const derived = await deriveCredential(base, {
        selectivePointers: ['/credentialSubject/name'],
        documentLoader: createDocumentLoader(),
      })
      const ok = await verify(derived)
      expect((ok.body as Json).verified).toBe(true)
      expect(ok.status).toBe(200)
    })

    it('ecdsa-sd-2023: an invalid mandatory pointer is refused with 422; a non-array with 400', async () => {
      const invalid = await postJson(server, '/ecdsa-sd-2023/P-256/credentials/issue', {
        credential: credential(dids['P-256'], nextId()),
        options: { mandatoryPointers: ['/credentialSubject/invalidPointer'] },
      })
      expect(invalid.status).toBe(422)
      expect(JSON.stringify(invalid.body)).toContain('ERR_DISCLOSURE_POINTER_INVALID')
      const malformed = await postJson(server, '/ecdsa-sd-2023/P-256/credentials/issue', {
        credential: credential(dids['P-256'], nextId()),
        options: { mandatoryPointers: '/issuer' },
      })
      expect(malformed.status).toBe(400)
      const elsewhere = await postJson(server, '/ecdsa-rdfc-2019/P-256/credentials/issue', {
        credential: credential(dids['P-256'], nextId()),
        options: { mandatoryPointers: ['/issuer'] },
      })
      expect(elsewhere.status).toBe(400)
    })

    it("each ECDSA route signs only as its key's DID", async () => {
      if (didMethod === 'web') return // one DID for every key
      const wrong = await postJson(server, '/ecdsa-rdfc-2019/P-384/credentials/issue', {
        credential: credential(dids['P-256'], nextId()),
      })
      expect(wrong.status).toBe(422)
      expect(JSON.stringify(wrong.body)).toContain('ERR_SERVER_ISSUER_MISMATCH')
    })
  })
}
