/**
 * OpenID4VCI end to end: the Institute makes a CAAE offer with a transaction code; a wallet built
 * on `@openid4vc/openid4vci` (not this project's code) fetches the metadata, redeems the code
 * with the `tx_code`, takes a nonce, proves a did:key and receives the credential, which
 * `certify-vc verify` (the built CLI, status lists fetched from the server) verifies, its
 * subject the holder's DID. Each refusal the specification names: a code redeemed twice, a wrong
 * `tx_code` (`invalid_grant`), a stale nonce (`invalid_nonce`), another audience and a proof
 * signed by another key than the one named (`invalid_proof`). Draft 13 request and response
 * shapes, a JWK holder, the offer by reference, expiry and what an unclaimed offer allocates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Oauth2ClientErrorResponseError } from '@openid4vc/oauth2'
import { postJson, startTestServer, type TestServer } from '../helpers.js'
import {
  buildBinaries,
  libraryClient,
  libraryWallet,
  newHolderKey,
  signProof,
  verifyWithCli,
  type Json,
} from './wallets.js'

let server: TestServer
let did: string

interface OfferAnswer {
  offerId: string
  offerUri: string
  offerByReferenceUri: string
  txCode?: string
  exchangeUrl?: string
  lcwDeepLink?: string
  claimUrl: string
  expiresAt: string
}

async function makeOffer(body: Json): Promise<OfferAnswer> {
  const res = await postJson(server, '/certify/offers', body)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as OfferAnswer
}

async function form(
  path: string,
  params: Record<string, string>,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  })
  return { status: res.status, body: (await res.json()) as Json }
}

async function credentialRequest(
  token: string,
  body: Json,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${server.baseUrl}/oid4vci/credential`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers }
}

async function nonce(): Promise<string> {
  const res = await fetch(`${server.baseUrl}/oid4vci/nonce`, { method: 'POST' })
  return ((await res.json()) as { c_nonce: string }).c_nonce
}

function codeOf(offerUri: string): string {
  const offer = JSON.parse(new URL(offerUri).searchParams.get('credential_offer') ?? '{}') as {
    grants: Record<string, { 'pre-authorized_code': string }>
  }
  return Object.values(offer.grants)[0]?.['pre-authorized_code'] ?? ''
}

beforeAll(async () => {
  await buildBinaries('examples/cli')
  server = await startTestServer({ didMethod: 'key' })
  did = ((await (await fetch(`${server.baseUrl}/certify/server-info`)).json()) as { did: string })
    .did
}, 180_000)

afterAll(async () => {
  await server?.close()
})

describe('OpenID4VCI pre-authorized code flow, with @openid4vc/openid4vci as the wallet', () => {
  it('CAAE with a tx_code: metadata, token, nonce, did:key proof, credential; certify-vc verify passes and the subject is the holder', async () => {
    const offer = await makeOffer({
      program: 'CAAE',
      recipient: { name: 'Ada Lovelace', email: 'ada@example.org' },
      txCode: true,
    })
    expect(offer.txCode).toMatch(/^\d{6}$/)
    expect(offer.exchangeUrl).toBeUndefined()
    expect(offer.offerUri.startsWith('openid-credential-offer://?credential_offer=')).toBe(true)
    const holder = await newHolderKey()
    const claim = await libraryWallet(holder, offer.offerUri, offer.txCode)
    expect(claim.issuerMetadata.originalDraftVersion).toBe('V1')
    expect(
      claim.issuerMetadata.credentialIssuer.credential_configurations_supported.CAAE,
    ).toMatchObject({
      format: 'ldp_vc',
      credential_metadata: { display: [{ name: 'Certified AI Application Engineer (CAAE)' }] },
    })
    const vc = claim.credential
    expect((vc.credentialSubject as Json).id).toBe(holder.did)
    expect(vc.issuer).toMatchObject({ id: did })

    const verified = await verifyWithCli(vc, did, server.baseUrl)
    expect(verified.code, JSON.stringify(verified.result)).toBe(0)
    expect(verified.result).toMatchObject({ verified: true })

    // The registry recorded it; the server's GET /credentials/{id} has it as issued.
    const stored = await fetch(
      `${server.baseUrl}/credentials/${encodeURIComponent(String(vc.id))}`,
      {
        headers: { authorization: `Bearer ${server.token}` },
      },
    )
    expect(await stored.json()).toEqual(vc)

    // Redeeming the code again: invalid_grant, from the library.
    const again = await claim.client
      .retrievePreAuthorizedCodeAccessTokenFromOffer({
        credentialOffer: claim.credentialOffer,
        issuerMetadata: claim.issuerMetadata,
        ...(offer.txCode === undefined ? {} : { txCode: offer.txCode }),
      })
      .catch((e: unknown) => e)
    expect(again).toBeInstanceOf(Oauth2ClientErrorResponseError)
    expect((again as Oauth2ClientErrorResponseError).errorResponse.error).toBe('invalid_grant')

    // The claim page now says the offer was claimed; the exchange is closed.
    const page = await (await fetch(offer.claimUrl)).text()
    expect(page).toContain('This offer has been claimed')
  })

  it('refuses a wrong tx_code (invalid_grant), a missing one (invalid_request); locks after five wrong codes', async () => {
    const offer = await makeOffer({ program: 'CAAE', recipient: { name: 'Grace' }, txCode: true })
    const holder = await newHolderKey()
    const client = libraryClient(holder)
    const credentialOffer = await client.resolveCredentialOffer(offer.offerUri)
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer)
    const wrong = String((Number(offer.txCode) + 1) % 1_000_000).padStart(6, '0')
    const refused = await client
      .retrievePreAuthorizedCodeAccessTokenFromOffer({
        credentialOffer,
        issuerMetadata,
        txCode: wrong,
      })
      .catch((e: unknown) => e)
    expect((refused as Oauth2ClientErrorResponseError).errorResponse).toMatchObject({
      error: 'invalid_grant',
      error_description: 'The transaction code is wrong.',
    })
    const code = codeOf(offer.offerUri)
    const missing = await form('/oid4vci/token', {
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': code,
    })
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
    // The right code still works after one wrong one …
    const claim = await libraryWallet(holder, offer.offerUri, offer.txCode)
    expect((claim.credential.credentialSubject as Json).id).toBe(holder.did)

    // … but five wrong codes lock the offer, the right one included.
    const locked = await makeOffer({
      program: 'AIDA',
      recipient: { name: 'Mallory' },
      txCode: true,
    })
    const lockedCode = codeOf(locked.offerUri)
    for (let i = 0; i < 5; i++) {
      const r = await form('/oid4vci/token', {
        grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
        'pre-authorized_code': lockedCode,
        tx_code: 'nope',
      })
      expect(r.body.error).toBe('invalid_grant')
    }
    const after = await form('/oid4vci/token', {
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': lockedCode,
      tx_code: locked.txCode ?? '',
    })
    expect(after.body).toMatchObject({
      error: 'invalid_grant',
      error_description: 'Too many wrong transaction codes: the offer is locked.',
    })
    const other = await form('/oid4vci/token', {
      grant_type: 'authorization_code',
      code: 'x',
    })
    expect(other.body.error).toBe('unsupported_grant_type')
  })

  it('refuses a stale nonce (invalid_nonce), another audience and a proof by another key than the one named (invalid_proof); the offer stays claimable', async () => {
    const offer = await makeOffer({ program: 'CAAE', recipient: { name: 'Alan' } })
    const holder = await newHolderKey()
    const intruder = await newHolderKey()
    const client = libraryClient(holder)
    const credentialOffer = await client.resolveCredentialOffer(offer.offerUri)
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer)
    const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer,
      issuerMetadata,
    })
    const token = accessTokenResponse.access_token
    const now = Math.floor(Date.now() / 1000)
    const ask = async (jwt: string) => {
      const failed = await client
        .retrieveCredentials({
          issuerMetadata,
          accessToken: token,
          credentialConfigurationId: 'CAAE',
          proofs: { jwt: [jwt] },
        })
        .then(() => undefined)
        .catch((e: { response?: { response: Response } }) => e)
      expect(failed, 'the request should have been refused').toBeDefined()
      const response = (failed as { response: { response: Response } }).response.response
      return { status: response.status, body: (await response.clone().json()) as Json }
    }
    const used = await nonce()
    // A nonce is used once: here by a request for another offer's credential.
    const first = await libraryWallet(
      await newHolderKey(),
      (await makeOffer({ program: 'AIMA', recipient: { name: 'Used' } })).offerUri,
    )
    const stale = first.nonce
    expect(
      await ask(
        await signProof(
          holder,
          { kid: holder.kid },
          { aud: server.baseUrl, iat: now, nonce: stale },
        ),
      ),
    ).toMatchObject({
      status: 400,
      body: { error: 'invalid_nonce' },
    })
    expect(
      await ask(
        await signProof(
          holder,
          { kid: holder.kid },
          { aud: server.baseUrl, iat: now, nonce: 'never-issued' },
        ),
      ),
    ).toMatchObject({
      body: { error: 'invalid_nonce' },
    })
    expect(
      await ask(
        await signProof(
          holder,
          { kid: holder.kid },
          { aud: 'https://other-issuer.example', iat: now, nonce: used },
        ),
      ),
    ).toMatchObject({ status: 400, body: { error: 'invalid_proof' } })
    // The header names the holder's key; the intruder signed.
    expect(
      await ask(
        await signProof(
          intruder,
          { kid: holder.kid },
          { aud: server.baseUrl, iat: now, nonce: used },
        ),
      ),
    ).toMatchObject({ status: 400, body: { error: 'invalid_proof' } })
    // Too old, and from the future.
    expect(
      await ask(
        await signProof(
          holder,
          { kid: holder.kid },
          { aud: server.baseUrl, iat: now - 3600, nonce: used },
        ),
      ),
    ).toMatchObject({ body: { error: 'invalid_proof' } })
    expect(
      await ask(
        await signProof(
          holder,
          { kid: holder.kid },
          { aud: server.baseUrl, iat: now + 3600, nonce: used },
        ),
      ),
    ).toMatchObject({ body: { error: 'invalid_proof' } })
    // Another program's configuration with this token.
    const wrongConfig = await credentialRequest(token, {
      credential_configuration_id: 'AIDA',
      proofs: {
        jwt: [
          await signProof(
            holder,
            { kid: holder.kid },
            { aud: server.baseUrl, iat: now, nonce: used },
          ),
        ],
      },
    })
    expect(wrongConfig.body.error).toBe('unknown_credential_configuration')
    const noToken = await credentialRequest('not-a-token', { credential_configuration_id: 'CAAE' })
    expect(noToken.status).toBe(401)
    expect(noToken.body.error).toBe('invalid_token')
    expect(noToken.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/)

    // None of that used the unused nonce or the offer: the holder now claims it.
    const good = await credentialRequest(token, {
      credential_configuration_id: 'CAAE',
      proofs: {
        jwt: [
          await signProof(
            holder,
            { kid: holder.kid },
            { aud: server.baseUrl, iat: now, nonce: used },
          ),
        ],
      },
    })
    expect(good.status, JSON.stringify(good.body)).toBe(200)
    const vc = ((good.body.credentials as Json[])[0] as Json).credential as Json
    expect((vc.credentialSubject as Json).id).toBe(holder.did)
    // The intruder, with the same token and a fresh nonce, is denied: the offer is bound.
    const denied = await credentialRequest(token, {
      credential_configuration_id: 'CAAE',
      proofs: {
        jwt: [
          await signProof(
            intruder,
            { kid: intruder.kid },
            { aud: server.baseUrl, iat: now, nonce: await nonce() },
          ),
        ],
      },
    })
    expect(denied.body.error).toBe('credential_request_denied')
    // The holder asking again (its answer lost) gets the same credential.
    const replay = await credentialRequest(token, {
      credential_configuration_id: 'CAAE',
      proofs: {
        jwt: [
          await signProof(
            holder,
            { kid: holder.kid },
            { aud: server.baseUrl, iat: now, nonce: await nonce() },
          ),
        ],
      },
    })
    expect(((replay.body.credentials as Json[])[0] as Json).credential).toEqual(vc)
  })

  it('speaks draft 13: format + proof in, credential + c_nonce out; a JWK holder gets the did:key of its key', async () => {
    const offer = await makeOffer({ program: 'AIDA', recipient: { name: 'Draft' } })
    const token = await form('/oid4vci/token', {
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': codeOf(offer.offerUri),
    })
    expect(token.status).toBe(200)
    expect(token.body).toMatchObject({ token_type: 'Bearer', expires_in: 300 })
    const cNonce = token.body.c_nonce as string
    const holder = await newHolderKey()
    const now = Math.floor(Date.now() / 1000)
    const metadata = (await (
      await fetch(`${server.baseUrl}/.well-known/openid-credential-issuer`)
    ).json()) as {
      credential_configurations_supported: Record<string, { credential_definition: Json }>
    }
    const body = (jwt: string) => ({
      format: 'ldp_vc',
      credential_definition:
        metadata.credential_configurations_supported.AIDA?.credential_definition,
      proof: { proof_type: 'jwt', jwt },
    })
    // Draft 13's answer to a bad nonce: invalid_proof with a fresh c_nonce.
    const bad = await credentialRequest(
      String(token.body.access_token),
      body(
        await signProof(
          holder,
          { jwk: holder.publicJwk },
          { aud: server.baseUrl, iat: now, nonce: 'stale' },
        ),
      ),
    )
    expect(bad.body).toMatchObject({ error: 'invalid_proof' })
    expect(typeof bad.body.c_nonce).toBe('string')
    const good = await credentialRequest(
      String(token.body.access_token),
      body(
        await signProof(
          holder,
          { jwk: holder.publicJwk },
          { aud: server.baseUrl, iat: now, nonce: cNonce },
        ),
      ),
    )
    expect(good.status, JSON.stringify(good.body)).toBe(200)
    expect(typeof good.body.c_nonce).toBe('string')
    expect(((good.body.credential as Json).credentialSubject as Json).id).toBe(holder.did)
    // A private JWK or a non-Ed25519 key is refused.
    const priv = await credentialRequest(
      String(token.body.access_token),
      body(
        await signProof(
          holder,
          { jwk: { ...holder.publicJwk, d: 'AAAA' } },
          { aud: server.baseUrl, iat: now, nonce: await nonce() },
        ),
      ),
    )
    expect(priv.body.error).toBe('invalid_proof')
  })

  it('jwt_vc_json: the same credential as a VC-JWT (Open Badges 3.0 §8.2) for the <program>-jwt configuration, in 1.0 and draft 13 shapes; certify-vc verify passes', async () => {
    const metadata = (await (
      await fetch(`${server.baseUrl}/.well-known/openid-credential-issuer`)
    ).json()) as { credential_configurations_supported: Record<string, Json> }
    expect(metadata.credential_configurations_supported['CAAE-jwt']).toMatchObject({
      format: 'jwt_vc_json',
      credential_signing_alg_values_supported: ['EdDSA'],
      credential_definition: { type: ['VerifiableCredential', 'OpenBadgeCredential'] },
    })
    for (const shape of ['1.0', 'draft13'] as const) {
      const offer = await makeOffer({ program: 'CAAE', recipient: { name: `JWT ${shape}` } })
      const token = await form('/oid4vci/token', {
        grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
        'pre-authorized_code': codeOf(offer.offerUri),
      })
      expect(token.status).toBe(200)
      const holder = await newHolderKey()
      const jwt = await signProof(
        holder,
        { kid: holder.kid },
        { aud: server.baseUrl, iat: Math.floor(Date.now() / 1000), nonce: await nonce() },
      )
      const res = await credentialRequest(
        String(token.body.access_token),
        shape === '1.0'
          ? { credential_configuration_id: 'CAAE-jwt', proofs: { jwt: [jwt] } }
          : {
              format: 'jwt_vc_json',
              credential_definition: { type: ['VerifiableCredential', 'OpenBadgeCredential'] },
              proof: { proof_type: 'jwt', jwt },
            },
      )
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      const credential =
        shape === '1.0'
          ? (res.body.credentials as { credential: unknown }[])[0]?.credential
          : res.body.credential
      expect(typeof credential).toBe('string')
      const [header, payload] = String(credential)
        .split('.')
        .slice(0, 2)
        .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Json)
      expect(header).toMatchObject({ alg: 'EdDSA' })
      expect(payload).toMatchObject({ iss: did, sub: holder.did })
      expect(((payload?.vc as Json).credentialSubject as Json).id).toBe(holder.did)
      const verified = await verifyWithCli(String(credential), did, server.baseUrl)
      expect(verified.code, JSON.stringify(verified.result)).toBe(0)
      expect(verified.result).toMatchObject({ verified: true })
    }
  })

  it('serves the offer by reference, the authorization server metadata, and refuses expired and unknown offers', async () => {
    const offer = await makeOffer({
      program: 'AIMA',
      recipient: { email: 'someone@example.org' },
      expiresInSeconds: 60,
    })
    const byRef = new URL(offer.offerByReferenceUri).searchParams.get('credential_offer_uri') ?? ''
    const resolved = (await (await fetch(byRef)).json()) as Json
    expect(resolved).toMatchObject({
      credential_issuer: server.baseUrl,
      credential_configuration_ids: ['AIMA', 'AIMA-jwt'],
    })
    const holder = await newHolderKey()
    const client = libraryClient(holder)
    expect(
      (await client.resolveCredentialOffer(offer.offerByReferenceUri)).credential_configuration_ids,
    ).toEqual(['AIMA', 'AIMA-jwt'])
    const as = (await (
      await fetch(`${server.baseUrl}/.well-known/oauth-authorization-server`)
    ).json()) as Json
    expect(as).toMatchObject({
      issuer: server.baseUrl,
      token_endpoint: `${server.baseUrl}/oid4vci/token`,
      'pre-authorized_grant_anonymous_access_supported': true,
    })
    const unknown = await form('/oid4vci/token', {
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': 'no-such-code',
    })
    expect(unknown.body.error).toBe('invalid_grant')
    expect((await fetch(`${server.baseUrl}/oid4vci/offers/unknown`)).status).toBe(404)
  })

  it('an unclaimed offer allocates nothing; a bad offer request is refused before anything is stored', async () => {
    const { openRegistry } = await import('@certify-vc/issuer')
    const count = async () => {
      const registry = await openRegistry({ url: `${server.dataDir}/registry.sqlite` })
      try {
        return (await registry.readStatusLists()).reduce((n, l) => n + l.allocated, 0)
      } finally {
        await registry.close()
      }
    }
    const start = await count()
    await makeOffer({ program: 'CAAE', recipient: { name: 'Unclaimed' } })
    expect(await count()).toBe(start)
    const refusals: [Json, number, string][] = [
      [{ program: 'XXXX', recipient: { name: 'A' } }, 422, 'ERR_ISSUE_PROGRAM_UNKNOWN'],
      [{ program: 'CAAE', recipient: { did: 'did:key:z6Mk' } }, 400, 'ERR_SERVER_BAD_REQUEST'],
      [{ program: 'CAAE', recipient: {} }, 400, 'ERR_SERVER_BAD_REQUEST'],
      [
        { program: 'CAAE', recipient: { name: 'A' }, expiresInSeconds: 5 },
        400,
        'ERR_SERVER_BAD_REQUEST',
      ],
      [
        { program: 'CAAE', recipient: { name: 'A' }, format: 'vc1.1' },
        400,
        'ERR_SERVER_BAD_REQUEST',
      ],
    ]
    for (const [body, status, code] of refusals) {
      const res = await postJson(server, '/certify/offers', body)
      expect(res.status, JSON.stringify(body)).toBe(status)
      expect(JSON.stringify(res.body)).toContain(code)
    }
    const unauthorised = await postJson(
      server,
      '/certify/offers',
      { program: 'CAAE', recipient: { name: 'A' } },
      { token: null },
    )
    expect(unauthorised.status).toBe(401)
    expect(await count()).toBe(start)
  })
})
