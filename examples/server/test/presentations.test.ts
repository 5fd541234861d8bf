/**
 * POST /presentations/verify: signed presentations of credentials this server issued, domain and
 * challenge binding, unsigned presentations (accepted, with a warning) and malformed ones.
 */
import { createPresentation, signPresentation } from '@certify-vc/core'
import { generateIssuerKey, type IssuerKey } from '@certify-vc/issuer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestServer, type TestServer } from './helpers.js'

const DOMAIN = 'github.com/w3c/vc-data-model-2.0-test-suite'
const CHALLENGE = 'uZ2VuZXJpYy1jaGFsbGVuZ2UtMTIz'

let server: TestServer
let did: string
let holder: IssuerKey
let credential: Record<string, unknown>

type Body = {
  verified: boolean
  errors: { code: string }[]
  warnings: { code: string }[]
  checks: string[]
}

async function verifyVp(
  verifiablePresentation: unknown,
  options: unknown = { domain: DOMAIN, challenge: CHALLENGE },
) {
  const res = await postJson(
    server,
    '/presentations/verify',
    { verifiablePresentation, options },
    { token: null },
  )
  return { status: res.status, body: res.body as Body }
}

async function signedVp(credentials: unknown[], challenge = CHALLENGE, domain = DOMAIN) {
  return signPresentation(
    createPresentation({
      holder: holder.did,
      verifiableCredential: credentials as Record<string, unknown>[],
    }),
    { signer: holder.signer(), challenge, domain },
  )
}

beforeAll(async () => {
  server = await startTestServer()
  did = ((await (await fetch(`${server.baseUrl}/certify/server-info`)).json()) as { did: string })
    .did
  holder = await generateIssuerKey()
  const res = await postJson(server, '/credentials/issue', {
    credential: {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
      issuer: did,
      credentialSubject: { id: holder.did, name: 'Ada' },
    },
  })
  expect(res.status).toBe(201)
  credential = (res.body as { verifiableCredential: Record<string, unknown> }).verifiableCredential
})
afterAll(async () => {
  await server.close()
})

describe('POST /presentations/verify', () => {
  it('verifies a signed presentation with the right domain and challenge (exactly 200)', async () => {
    const { status, body } = await verifyVp(await signedVp([credential]))
    expect(status).toBe(200)
    expect(body.verified).toBe(true)
    expect(body.errors).toEqual([])
    expect(body.warnings).toEqual([])
    expect(body.checks).toContain('proof')
    expect(body.checks).toContain('credentials')
  })

  it('fails a presentation for another challenge or domain', async () => {
    const vp = await signedVp([credential])
    const wrongChallenge = await verifyVp(vp, { domain: DOMAIN, challenge: 'uYW5vdGhlcg' })
    expect(wrongChallenge.status).toBe(422)
    expect(wrongChallenge.body.errors.map((e) => e.code)).toContain('ERR_CHALLENGE_MISMATCH')
    const wrongDomain = await verifyVp(vp, { domain: 'evil.example', challenge: CHALLENGE })
    expect(wrongDomain.status).toBe(422)
    expect(wrongDomain.body.verified).toBe(false)
  })

  it('fails a tampered presentation and a presentation with a tampered credential', async () => {
    const vp = (await signedVp([credential])) as Record<string, unknown>
    const tampered = await verifyVp({ ...vp, holder: 'did:example:someone-else' })
    expect(tampered.status).toBe(422)
    const badCredential = { ...credential, credentialSubject: { id: holder.did, name: 'Eve' } }
    const inner = await verifyVp(await signedVp([badCredential]))
    expect(inner.status).toBe(422)
    expect(inner.body.errors.map((e) => e.code)).toContain('ERR_PRESENTATION_CREDENTIAL_INVALID')
    expect(inner.body.errors.map((e) => e.code)).toContain('ERR_PROOF_INVALID')
  })

  it('fails when an embedded credential is revoked', async () => {
    const res = await postJson(server, '/credentials/issue', {
      credential: { ...credential, id: undefined, proof: undefined, credentialStatus: undefined },
    })
    const vc = (res.body as { verifiableCredential: Record<string, unknown> }).verifiableCredential
    expect((await verifyVp(await signedVp([vc]))).status).toBe(200)
    await postJson(server, '/credentials/status', { credentialId: vc.id, action: 'revoke' })
    const after = await verifyVp(await signedVp([vc]))
    expect(after.status).toBe(422)
    expect(after.body.errors.map((e) => e.code)).toContain('ERR_STATUS_REVOKED')
  })

  it('accepts an unsigned, well-formed presentation with a warning', async () => {
    const vp = createPresentation({ holder: holder.did, verifiableCredential: [credential] })
    const { status, body } = await verifyVp(vp, {})
    expect(status).toBe(200)
    expect(body.warnings.map((w) => w.code)).toEqual(['ERR_PRESENTATION_UNSIGNED'])
  })

  it.each([
    ['no @context', (vp: Record<string, unknown>) => ({ ...vp, '@context': undefined })],
    [
      'a wrong first context',
      (vp: Record<string, unknown>) => ({
        ...vp,
        '@context': ['https://www.w3.org/ns/credentials/examples/v2'],
      }),
    ],
    ['no type', (vp: Record<string, unknown>) => ({ ...vp, type: undefined })],
    [
      'a credential given as a string',
      (vp: Record<string, unknown>) => ({ ...vp, verifiableCredential: ['eyJhbGciOi'] }),
    ],
    [
      'a holder that is not a URL',
      (vp: Record<string, unknown>) => ({ ...vp, holder: 'not a url' }),
    ],
  ])('answers 422 for an unsigned presentation with %s', async (_name, mutate) => {
    const vp = createPresentation({
      holder: holder.did,
      verifiableCredential: [credential],
    }) as Record<string, unknown>
    const { status, body } = await verifyVp(JSON.parse(JSON.stringify(mutate(vp))), {})
    expect(status).toBe(422)
    expect(body.verified).toBe(false)
    expect(body.errors.length).toBeGreaterThan(0)
  })

  it.each([
    ['a string', { verifiablePresentation: 'x' }],
    ['null', { verifiablePresentation: null }],
    ['nothing', {}],
    ['options.challenge as a number', { verifiablePresentation: {}, options: { challenge: 5 } }],
  ])('answers 400 for %s', async (_name, body) => {
    const res = await postJson(server, '/presentations/verify', body, { token: null })
    expect(res.status).toBe(400)
    expect((res.body as Body).errors.map((e) => e.code)).toEqual(['ERR_SERVER_BAD_REQUEST'])
  })
})
