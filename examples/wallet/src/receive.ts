/**
 * Receiving a credential from an issuer's offer, in either protocol the Institute's server
 * speaks, into the wallet (verified and checked to be issued to the wallet's DID, as any import):
 *
 * - an OpenID4VCI offer (`openid-credential-offer://?credential_offer=…` or
 *   `…?credential_offer_uri=…`): issuer metadata, authorization server metadata, the token for
 *   the pre-authorized code (with the transaction code when the offer asks one), a nonce, a JWT
 *   proof of the wallet's key (`kid` = its did:key verification method, `EdDSA`, signed by the
 *   wallet key's signer; `jose` encodes and checks it), the 1.0 credential request;
 * - a Learner Credential Wallet request link (`https://lcw.app/request.html?request=…`,
 *   `dccrequest://request?request=…` or `org.dcconsortium://request?request=…`): the VC API
 *   exchange in `protocols.vcapi`, `POST {}`, a DID authentication presentation for the
 *   request's challenge and domain, the credential from the answer.
 *
 * The network: https only, unless `allowHttp` (a local server, tests). Redirects are not
 * followed; answers are capped at 1 MiB.
 *
 * @module
 */
import {
  CertifyError,
  decodeEd25519PublicKeyMultibase,
  isPlainObject,
  type JsonObject,
} from '@certify-vc/context'
import { base64url, compactVerify, importJWK } from 'jose'
import type { ImportResult, Wallet, WalletVerifyOptions } from './wallet.js'

/** Options of {@link receiveOffer}. */
export interface ReceiveOptions extends WalletVerifyOptions {
  /** The transaction code the issuer sent apart from the offer, when the offer asks one. */
  readonly txCode?: string
  /** Allow http URLs (a server on this machine, tests). Default `false`: https only. */
  readonly allowHttp?: boolean
  /** The fetch to use. Default the global one. */
  readonly fetch?: typeof fetch
}

/** What {@link receiveOffer} did. */
export interface ReceiveResult {
  readonly protocol: 'oid4vci' | 'vc-api'
  readonly issuer: string
  readonly credential: JsonObject
  readonly import: ImportResult
}

const MAX_BYTES = 1024 * 1024
const LCW_LINK =
  /^(?:https:\/\/lcw\.app\/request\.html|dccrequest:\/\/request|org\.dcconsortium:\/\/request)\?/

function invalid(message: string): CertifyError {
  return new CertifyError('ERR_WALLET_OFFER_INVALID', message)
}

function failed(message: string, cause?: unknown): CertifyError {
  return new CertifyError(
    'ERR_WALLET_RECEIVE_FAILED',
    message,
    cause === undefined ? {} : { cause },
  )
}

/** An HTTP client that keeps to the rules above. */
function client(options: ReceiveOptions) {
  const doFetch = options.fetch ?? fetch
  function checkUrl(url: string): string {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw failed(`Not a URL: ${url.slice(0, 200)}`)
    }
    if (
      parsed.protocol !== 'https:' &&
      !(options.allowHttp === true && parsed.protocol === 'http:')
    ) {
      throw failed(`Refusing ${parsed.protocol} (https only): ${parsed.origin}`)
    }
    return parsed.href
  }
  async function call(
    url: string,
    init: { method: string; headers?: Record<string, string>; body?: string },
  ): Promise<{ status: number; body: JsonObject }> {
    let response: Response
    try {
      response = await doFetch(checkUrl(url), { ...init, redirect: 'manual' })
    } catch (error) {
      if (error instanceof CertifyError) throw error
      throw failed(`Could not reach ${new URL(url).origin}.`, error)
    }
    const text = await response.text()
    if (text.length > MAX_BYTES)
      throw failed(`The answer from ${new URL(url).origin} is too large.`)
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw failed(`${new URL(url).origin} answered ${response.status} with something not JSON.`)
    }
    if (!isPlainObject(body)) throw failed(`${new URL(url).origin} answered a non-object.`)
    return { status: response.status, body: body as JsonObject }
  }
  const refusal = (what: string, answer: { status: number; body: JsonObject }) => {
    const { error, error_description: description, errors } = answer.body
    const detail =
      typeof error === 'string'
        ? `${error}${typeof description === 'string' ? `: ${description}` : ''}`
        : Array.isArray(errors) && isPlainObject(errors[0])
          ? `${JSON.stringify(errors[0].code)}: ${JSON.stringify(errors[0].message)}`
          : `HTTP ${answer.status}`
    return failed(`${what} was refused (${detail}).`)
  }
  return {
    checkUrl,
    getJson: (url: string) => call(url, { method: 'GET', headers: { accept: 'application/json' } }),
    postJson: (url: string, body: unknown, headers: Record<string, string> = {}) =>
      call(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    postForm: (url: string, params: Record<string, string>) =>
      call(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      }),
    refusal,
  }
}

/** The metadata URL of `name` for an issuer identifier (inserted before its path, RFC 8414). */
function wellKnown(identifier: string, name: string): string {
  const url = new URL(identifier)
  const path = url.pathname.replace(/\/+$/, '')
  return `${url.origin}/.well-known/${name}${path}`
}

/** The JWT proof of the wallet's key for `audience` and `nonce`. */
async function proofJwt(wallet: Wallet, audience: string, nonce: string): Promise<string> {
  const key = await wallet.key()
  const header = { alg: 'EdDSA', typ: 'openid4vci-proof+jwt', kid: key.verificationMethodId }
  const payload = { aud: audience, iat: Math.floor(Date.now() / 1000), nonce }
  const encode = (value: object) => base64url.encode(JSON.stringify(value))
  const input = `${encode(header)}.${encode(payload)}`
  const signature = await key.signer().sign({ data: new TextEncoder().encode(input) })
  const jwt = `${input}.${base64url.encode(signature)}`
  // The signer is the wallet's; jose checks that what it made is a valid EdDSA JWS of that key.
  const publicJwk = {
    kty: 'OKP',
    crv: 'Ed25519',
    x: base64url.encode(decodeEd25519PublicKeyMultibase(key.publicKeyMultibase)),
  }
  await compactVerify(jwt, await importJWK(publicJwk, 'EdDSA'))
  return jwt
}

async function viaOid4vci(
  wallet: Wallet,
  offerText: string,
  options: ReceiveOptions,
): Promise<{ issuer: string; credential: JsonObject }> {
  const http = client(options)
  const query = new URL(
    offerText.replace(/^openid-credential-offer:\/\//, 'https://offer.invalid/'),
  ).searchParams
  let offer: unknown
  const byValue = query.get('credential_offer')
  const byReference = query.get('credential_offer_uri')
  if (byValue !== null) {
    try {
      offer = JSON.parse(byValue)
    } catch {
      throw invalid('The credential_offer parameter is not JSON.')
    }
  } else if (byReference !== null) {
    const answer = await http.getJson(byReference)
    if (answer.status !== 200) throw http.refusal('Fetching the credential offer', answer)
    offer = answer.body
  } else {
    throw invalid('The offer URI has neither credential_offer nor credential_offer_uri.')
  }
  if (!isPlainObject(offer) || typeof offer.credential_issuer !== 'string') {
    throw invalid('The credential offer names no credential_issuer.')
  }
  const issuer = offer.credential_issuer
  const ids = offer.credential_configuration_ids
  const grant = isPlainObject(offer.grants)
    ? offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']
    : undefined
  if (!Array.isArray(ids) || typeof ids[0] !== 'string' || !isPlainObject(grant)) {
    throw invalid('The offer has no credential configuration or no pre-authorized code grant.')
  }
  const code = grant['pre-authorized_code']
  if (typeof code !== 'string') throw invalid('The offer has no pre-authorized code.')
  if (grant.tx_code !== undefined && options.txCode === undefined) {
    throw invalid('This offer needs the transaction code the issuer sent you (--tx-code).')
  }
  const metadata = await http.getJson(wellKnown(issuer, 'openid-credential-issuer'))
  if (metadata.status !== 200 || metadata.body.credential_issuer !== issuer) {
    throw failed(`${issuer} serves no credential issuer metadata for itself.`)
  }
  const servers = metadata.body.authorization_servers
  const authority = Array.isArray(servers) && typeof servers[0] === 'string' ? servers[0] : issuer
  const as = await http.getJson(wellKnown(authority, 'oauth-authorization-server'))
  const tokenEndpoint = as.body.token_endpoint
  if (as.status !== 200 || typeof tokenEndpoint !== 'string') {
    throw failed(`${authority} serves no token endpoint.`)
  }
  const token = await http.postForm(tokenEndpoint, {
    grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
    'pre-authorized_code': code,
    ...(grant.tx_code === undefined || options.txCode === undefined
      ? {}
      : { tx_code: options.txCode }),
  })
  if (token.status !== 200 || typeof token.body.access_token !== 'string') {
    throw http.refusal('Redeeming the offer', token)
  }
  let nonce = token.body.c_nonce
  if (typeof metadata.body.nonce_endpoint === 'string') {
    const answer = await http.postJson(metadata.body.nonce_endpoint, {})
    nonce = answer.body.c_nonce
  }
  if (typeof nonce !== 'string') throw failed('The issuer gave no nonce to prove the key with.')
  const endpoint = metadata.body.credential_endpoint
  if (typeof endpoint !== 'string')
    throw failed('The issuer metadata names no credential endpoint.')
  const answer = await http.postJson(
    endpoint,
    {
      credential_configuration_id: ids[0],
      proofs: { jwt: [await proofJwt(wallet, issuer, nonce)] },
    },
    { authorization: `Bearer ${token.body.access_token}` },
  )
  if (answer.status !== 200) throw http.refusal('The credential request', answer)
  const list = answer.body.credentials
  const first: unknown =
    Array.isArray(list) && isPlainObject(list[0]) ? list[0].credential : answer.body.credential
  if (!isPlainObject(first)) throw failed('The issuer answered no credential (ldp_vc).')
  return { issuer, credential: first as JsonObject }
}

async function viaVcApi(
  wallet: Wallet,
  link: string,
  options: ReceiveOptions,
): Promise<{ issuer: string; credential: JsonObject }> {
  const http = client(options)
  const raw = new URL(
    link.replace(/^[a-z.]+:\/\/request\?/, 'https://lcw.invalid/request?'),
  ).searchParams.get('request')
  let request: unknown
  try {
    request = JSON.parse(raw ?? '')
  } catch {
    throw invalid('The link\'s "request" parameter is not JSON.')
  }
  const protocols = isPlainObject(request) ? request.protocols : undefined
  const exchange = isPlainObject(protocols) ? protocols.vcapi : undefined
  if (typeof exchange !== 'string')
    throw invalid('The link names no VC API exchange (protocols.vcapi).')
  const started = await http.postJson(exchange, {})
  const vpr = started.body.verifiablePresentationRequest
  if (started.status !== 200 || !isPlainObject(vpr))
    throw http.refusal('Starting the exchange', started)
  const queries = [vpr.query].flat()
  const didAuth = queries.some(
    (q) => isPlainObject(q) && (q.type === 'DIDAuthentication' || q.type === 'DIDAuth'),
  )
  if (!didAuth || typeof vpr.challenge !== 'string' || typeof vpr.domain !== 'string') {
    throw failed('The exchange asked for something other than DID authentication.')
  }
  const presentation = await wallet.authenticate({ challenge: vpr.challenge, domain: vpr.domain })
  const interact = isPlainObject(vpr.interact) ? vpr.interact.service : undefined
  const service: unknown =
    Array.isArray(interact) && isPlainObject(interact[0]) ? interact[0].serviceEndpoint : undefined
  const next = typeof service === 'string' ? service : exchange
  const answer = await http.postJson(next, { verifiablePresentation: presentation })
  if (answer.status !== 200) throw http.refusal('The exchange', answer)
  const vp = answer.body.verifiablePresentation
  const vcs = isPlainObject(vp) ? vp.verifiableCredential : undefined
  const credential: unknown = Array.isArray(vcs) ? vcs[0] : vcs
  if (!isPlainObject(credential)) throw failed('The exchange answered no credential.')
  const origin = isPlainObject(request) ? request.credentialRequestOrigin : undefined
  return {
    issuer: typeof origin === 'string' ? origin : new URL(exchange).origin,
    credential: credential as JsonObject,
  }
}

/**
 * Receives the credential of an offer (an `openid-credential-offer://` URI or a Learner
 * Credential Wallet request link) into `wallet`: claimed from the issuer, then imported (verified
 * with the wallet's trusted issuers, status included, and issued to the wallet's DID).
 *
 * @throws {CertifyError} `ERR_WALLET_OFFER_INVALID` for text that is neither, or an offer
 *   missing what it needs (a transaction code); `ERR_WALLET_RECEIVE_FAILED` when the issuer
 *   refuses (its error is in the message) or answers something unusable.
 */
export async function receiveOffer(
  wallet: Wallet,
  text: string,
  options: ReceiveOptions = {},
): Promise<ReceiveResult> {
  if (typeof text !== 'string') throw new TypeError('"text" must be a string.')
  const trimmed = text.trim()
  let received: { issuer: string; credential: JsonObject }
  let protocol: ReceiveResult['protocol']
  if (trimmed.startsWith('openid-credential-offer://')) {
    protocol = 'oid4vci'
    received = await viaOid4vci(wallet, trimmed, options)
  } else if (LCW_LINK.test(trimmed)) {
    protocol = 'vc-api'
    received = await viaVcApi(wallet, trimmed, options)
  } else {
    throw invalid(
      'Not a credential offer: expected openid-credential-offer://… or a Learner Credential Wallet request link.',
    )
  }
  const { txCode: _t, allowHttp: _a, fetch: _f, ...verify } = options
  const imported = await wallet.importCredential(received.credential, verify)
  return { protocol, issuer: received.issuer, credential: received.credential, import: imported }
}
