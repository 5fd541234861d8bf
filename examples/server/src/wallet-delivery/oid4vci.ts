/**
 * OpenID for Verifiable Credential Issuance (1.0, and the draft 13 shapes wallets in the field
 * still send), pre-authorized code flow, as a Fastify plugin:
 *
 * - `GET /.well-known/openid-credential-issuer`: credential issuer metadata, one credential
 *   configuration per program (`AIDA`, `CAAE`, `AIMA`) in `ldp_vc` format (the OB 3.0 credential
 *   with its `eddsa-rdfc-2022` proof) and one in `jwt_vc_json` (`AIDA-jwt` …: the same credential
 *   secured as a VC-JWT, OB 3.0 §8.2), display data from the catalog (1.0 puts it under
 *   `credential_metadata`, draft 13 beside the format; both are given).
 * - `GET /.well-known/oauth-authorization-server`: authorization server metadata (this server is
 *   its own authorization server; only the pre-authorized code grant, anonymous).
 * - `GET /oid4vci/offers/<offer>`: the credential offer object (`credential_offer_uri`).
 * - `POST /oid4vci/token` (form-encoded): the pre-authorized code (once) and its `tx_code` (or
 *   draft 11's `user_pin`) → a bearer access token (5 minutes) and, for draft 13, a `c_nonce`.
 * - `POST /oid4vci/nonce`: a fresh `c_nonce` (single use, 5 minutes).
 * - `POST /oid4vci/credential`: with the access token and a JWT proof of the holder's key (see
 *   `proof.ts`) → the credential issued to the holder's DID. 1.0 requests
 *   (`credential_configuration_id` or `credential_identifier`, `proofs: {jwt: [..]}`) get
 *   `{credentials: [{credential}]}`; draft 13 requests (`format: "ldp_vc"` with
 *   `credential_definition`, `proof: {proof_type: "jwt", jwt}`) get `{credential, c_nonce}`.
 *
 * Errors are the specifications' (`{error, error_description}`): `invalid_request`,
 * `unsupported_grant_type`, `invalid_grant` (unknown, used or expired code, wrong `tx_code`),
 * `invalid_token` (401), `invalid_proof`, `invalid_nonce` (1.0; draft 13 requests get
 * `invalid_proof` with a fresh `c_nonce`, as draft 13 says), `unknown_credential_configuration`,
 * `unknown_credential_identifier`, `invalid_credential_request`, `credential_request_denied`.
 * Every single-use decision (code, nonce, claim) is the shared database's.
 *
 * @module
 */
import { CATALOG, PROGRAM_CODES, isPlainObject } from '@certify-vc/context'
import { buildCredential, signCredentialJwt } from '@certify-vc/issuer'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Services } from '../services.js'
import {
  jwtConfigurationId,
  ACCESS_TOKEN_SECONDS,
  MAX_TX_CODE_FAILURES,
  NONCE_SECONDS,
  OID4VCI_PATHS,
  PRE_AUTHORIZED_GRANT,
  claimOffer,
  credentialOfferOf,
  programDisplay,
  randomToken,
  sha256,
  txCodeHash,
} from './offers.js'
import { PROOF_ALGORITHMS, checkJwtProof } from './proof.js'

/** Options of {@link oid4vciRoutes}. */
export interface Oid4vciOptions {
  readonly services: Services
  readonly leaseSeconds: number
}

/** An OAuth / OpenID4VCI error answer. */
interface SpecError {
  readonly status: number
  readonly error: string
  readonly description: string
  readonly extra?: Record<string, unknown>
}

function fail(reply: FastifyReply, { status, error, description, extra }: SpecError): FastifyReply {
  if (error === 'invalid_token') {
    void reply.header(
      'www-authenticate',
      `Bearer error="invalid_token", error_description="${description.replace(/["\\]/g, '')}"`,
    )
  }
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/json')
    .send({ error, error_description: description, ...extra })
}

const requestError = (description: string): SpecError => ({
  status: 400,
  error: 'invalid_request',
  description,
})

/** The `.well-known` path for `name` under the issuer URL (inserted before any path, RFC 8414). */
export function wellKnownPath(base: string, name: string): string {
  const path = new URL(base).pathname.replace(/\/+$/, '')
  return `/.well-known/${name}${path}`
}

/** The credential formats issued: the OB 3.0 credential with its Data Integrity proof, or as a VC-JWT. */
export type CredentialFormat = 'ldp_vc' | 'jwt_vc_json'

/** The credential issuer metadata. */
export function issuerMetadata(base: string, issuerDid: string): Record<string, unknown> {
  const configurations: Record<string, unknown> = {}
  for (const code of PROGRAM_CODES) {
    const shape = buildCredential({
      program: code,
      recipient: { did: issuerDid },
      issuerDid,
    }) as unknown as Record<string, unknown>
    const d = programDisplay(code)
    const display = [
      {
        name: d.name,
        locale: 'en',
        description: d.description,
        logo: { uri: d.image, alt_text: `${d.name} badge` },
        background_color: '#12355b',
        text_color: '#ffffff',
      },
    ]
    configurations[code] = {
      format: 'ldp_vc',
      scope: code,
      cryptographic_binding_methods_supported: ['did:key', 'jwk'],
      credential_signing_alg_values_supported: ['eddsa-rdfc-2022'],
      proof_types_supported: {
        jwt: { proof_signing_alg_values_supported: [...PROOF_ALGORITHMS] },
      },
      credential_definition: { '@context': shape['@context'], type: shape.type },
      credential_metadata: { display },
      // Draft 13 reads display beside the format.
      display,
    }
    // The same credential secured as a VC-JWT 1.1 token (Open Badges 3.0 §8.2), for wallets that
    // take JWT credentials only.
    configurations[jwtConfigurationId(code)] = {
      format: 'jwt_vc_json',
      scope: jwtConfigurationId(code),
      cryptographic_binding_methods_supported: ['did:key', 'jwk'],
      credential_signing_alg_values_supported: ['EdDSA'],
      proof_types_supported: {
        jwt: { proof_signing_alg_values_supported: [...PROOF_ALGORITHMS] },
      },
      credential_definition: { type: shape.type },
      credential_metadata: { display },
      display,
    }
  }
  return {
    credential_issuer: base,
    credential_endpoint: `${base}${OID4VCI_PATHS.credential}`,
    nonce_endpoint: `${base}${OID4VCI_PATHS.nonce}`,
    display: [
      {
        name: CATALOG.institute.name,
        locale: 'en',
        logo: { uri: CATALOG.institute.image, alt_text: CATALOG.institute.name },
      },
    ],
    credential_configurations_supported: configurations,
  }
}

/** The authorization server metadata (RFC 8414, with the OpenID4VCI members). */
export function authorizationServerMetadata(base: string): Record<string, unknown> {
  return {
    issuer: base,
    token_endpoint: `${base}${OID4VCI_PATHS.token}`,
    grant_types_supported: [PRE_AUTHORIZED_GRANT],
    'pre-authorized_grant_anonymous_access_supported': true,
    token_endpoint_auth_methods_supported: ['none'],
    response_types_supported: [],
  }
}

/** Reads a form body (strictly: each parameter once). */
function parseForm(body: string): Record<string, string> {
  const params = new URLSearchParams(body)
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [key, value] of params) {
    if (Object.hasOwn(out, key)) throw new TypeError(`The parameter "${key}" is repeated.`)
    out[key] = value
  }
  return out
}

/** What a credential request asks, in either version's shape. */
interface CredentialAsk {
  readonly version: '1.0' | 'draft13'
  readonly configurationId?: string
  /** The draft 13 `format`, when given. */
  readonly format?: CredentialFormat
  readonly jwt: unknown
}

/** Reads a credential request of 1.0 or draft 13 shape, or the error to answer. */
function credentialAskOf(body: unknown): CredentialAsk | SpecError {
  const invalidRequest = (description: string): SpecError => ({
    status: 400,
    error: 'invalid_credential_request',
    description,
  })
  if (!isPlainObject(body)) return invalidRequest('The credential request must be a JSON object.')
  const { proof, proofs } = body
  if (proof !== undefined && proofs !== undefined) {
    return invalidRequest('Send "proof" (draft 13) or "proofs" (1.0), not both.')
  }
  if (body.credential_response_encryption !== undefined) {
    return {
      status: 400,
      error: 'invalid_encryption_parameters',
      description: 'Credential response encryption is not supported.',
    }
  }
  const draft13 = proof !== undefined || body.format !== undefined
  let jwt: unknown
  if (proofs !== undefined) {
    if (!isPlainObject(proofs) || Object.keys(proofs).length !== 1 || !Array.isArray(proofs.jwt)) {
      return invalidRequest('"proofs" must be {"jwt": ["<proof JWT>"]}.')
    }
    if (proofs.jwt.length !== 1) {
      return invalidRequest('Exactly one proof: an offer is one credential for one key.')
    }
    jwt = proofs.jwt[0]
  } else if (proof !== undefined) {
    if (!isPlainObject(proof) || proof.proof_type !== 'jwt') {
      return invalidRequest('"proof" must be {"proof_type": "jwt", "jwt": "<proof JWT>"}.')
    }
    jwt = proof.jwt
  } else {
    return {
      status: 400,
      error: 'invalid_proof',
      description: 'The request has no proof of the holder key.',
    }
  }
  const id = body.credential_configuration_id ?? body.credential_identifier
  if (id !== undefined && typeof id !== 'string') {
    return invalidRequest('The credential configuration id must be a string.')
  }
  if (
    draft13 &&
    body.format !== undefined &&
    body.format !== 'ldp_vc' &&
    body.format !== 'jwt_vc_json'
  ) {
    return {
      status: 400,
      error: 'unsupported_credential_format',
      description: 'Only "ldp_vc" and "jwt_vc_json" credentials are issued.',
    }
  }
  return {
    version: draft13 && body.credential_configuration_id === undefined ? 'draft13' : '1.0',
    ...(typeof id === 'string' ? { configurationId: id } : {}),
    ...(body.format === 'ldp_vc' || body.format === 'jwt_vc_json' ? { format: body.format } : {}),
    jwt,
  }
}

/** The access token of `Authorization: Bearer …`, or undefined. */
function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (typeof header !== 'string') return undefined
  const match = /^(?:Bearer|DPoP) ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim())
  return match?.[1]
}

async function freshNonce(services: Services): Promise<string> {
  const nonce = randomToken(16)
  const now = Date.now()
  await services.storage.offers.putNonce(nonce, now + NONCE_SECONDS * 1000)
  // Expired nonces and access tokens are forgotten now and then, by whichever instance.
  if (Math.random() < 0.05) await services.storage.offers.deleteExpired(now - 60_000)
  return nonce
}

/** Registers the OpenID4VCI routes (in their own context: only they parse form bodies). */
export const oid4vciRoutes: FastifyPluginAsync<Oid4vciOptions> = (
  app: FastifyInstance,
  options,
) => {
  const { services, leaseSeconds } = options
  const base = services.config.publicBaseUrl
  const metadata = issuerMetadata(base, services.did)
  const asMetadata = authorizationServerMetadata(base)

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      try {
        done(null, parseForm(body as string))
      } catch (error) {
        done(Object.assign(error as Error, { statusCode: 400 }), undefined)
      }
    },
  )
  // A body that does not parse is an OAuth invalid_request here, not the server's own format.
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      return fail(reply, { ...requestError(error.message), status })
    }
    request.log.error({ err: error }, 'OpenID4VCI request failed')
    return fail(reply, {
      status: status === 503 ? 503 : 500,
      error: 'server_error',
      description:
        status === 503 ? 'The database is unavailable; retry.' : 'The issuer failed; retry later.',
    })
  })

  const json = (reply: FastifyReply, body: unknown) =>
    reply
      .header('access-control-allow-origin', '*')
      .header('cache-control', 'public, max-age=300')
      .type('application/json')
      .send(body)
  app.get(wellKnownPath(base, 'openid-credential-issuer'), async (_request, reply) =>
    json(reply, metadata),
  )
  app.get(wellKnownPath(base, 'oauth-authorization-server'), async (_request, reply) =>
    json(reply, asMetadata),
  )

  app.get<{ Params: { id: string } }>(`${OID4VCI_PATHS.offers}/:id`, async (request, reply) => {
    const offer = await services.storage.offers.get(request.params.id)
    if (offer === undefined || offer.expiresAt <= Date.now() || offer.credentialId !== null) {
      return fail(reply, {
        status: 404,
        error: 'invalid_request',
        description: 'No open credential offer here (unknown, expired or claimed).',
      })
    }
    return reply
      .header('cache-control', 'no-store')
      .type('application/json')
      .send(credentialOfferOf(offer, base))
  })

  app.post(OID4VCI_PATHS.token, async (request, reply) => {
    const params = request.body
    if (!isPlainObject(params)) {
      return fail(reply, requestError('The token request must be form-encoded parameters.'))
    }
    if (params.grant_type !== PRE_AUTHORIZED_GRANT) {
      return fail(reply, {
        status: 400,
        error: typeof params.grant_type === 'string' ? 'unsupported_grant_type' : 'invalid_request',
        description: `Only the pre-authorized code grant (${PRE_AUTHORIZED_GRANT}) is supported.`,
      })
    }
    const code = params['pre-authorized_code']
    if (typeof code !== 'string' || code === '') {
      return fail(reply, requestError('"pre-authorized_code" is missing.'))
    }
    const sent = params.tx_code ?? params.user_pin
    if (sent !== undefined && typeof sent !== 'string') {
      return fail(reply, requestError('"tx_code" must be a string.'))
    }
    const accessToken = randomToken(32)
    const now = Date.now()
    const redeemed = await services.storage.offers.redeemCode({
      preAuthorizedCode: code,
      txCodeHashOf: (offerId) => (sent === undefined ? undefined : txCodeHash(offerId, sent)),
      maxTxCodeFailures: MAX_TX_CODE_FAILURES,
      accessTokenHash: sha256(accessToken),
      accessTokenExpiresAt: now + ACCESS_TOKEN_SECONDS * 1000,
      now,
    })
    switch (redeemed.outcome) {
      case 'redeemed':
        break
      case 'tx-code-missing':
        return fail(reply, requestError('This offer needs its transaction code ("tx_code").'))
      case 'tx-code-unexpected':
        return fail(reply, requestError('This offer has no transaction code; send none.'))
      default:
        return fail(reply, {
          status: 400,
          error: 'invalid_grant',
          description: {
            unknown: 'The pre-authorized code is not known here.',
            used: 'The pre-authorized code was already redeemed.',
            expired: 'The credential offer has expired.',
            'tx-code-mismatch': 'The transaction code is wrong.',
            'tx-code-locked': 'Too many wrong transaction codes: the offer is locked.',
          }[redeemed.outcome],
        })
    }
    reply.log.info(
      { audit: 'offer-code-redeemed', offer: redeemed.offer.offerId.slice(0, 6) },
      'pre-authorized code redeemed',
    )
    return reply
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .send({
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: ACCESS_TOKEN_SECONDS,
        // Draft 13 takes its first nonce from here; 1.0 wallets use the nonce endpoint.
        c_nonce: await freshNonce(services),
        c_nonce_expires_in: NONCE_SECONDS,
      })
  })

  app.post(OID4VCI_PATHS.nonce, async (_request, reply) => {
    return reply
      .header('cache-control', 'no-store')
      .send({ c_nonce: await freshNonce(services), c_nonce_expires_in: NONCE_SECONDS })
  })

  app.post(OID4VCI_PATHS.credential, async (request, reply) => {
    const token = bearerOf(request)
    const offer =
      token === undefined
        ? undefined
        : await services.storage.offers.offerForAccessToken(sha256(token), Date.now())
    if (offer === undefined) {
      return fail(reply, {
        status: 401,
        error: 'invalid_token',
        description:
          token === undefined
            ? 'The request needs the access token (Authorization: Bearer …).'
            : 'The access token is unknown or expired.',
      })
    }
    const ask = credentialAskOf(request.body)
    if ('error' in ask) return fail(reply, ask)
    if (
      ask.configurationId !== undefined &&
      ask.configurationId !== offer.program &&
      ask.configurationId !== jwtConfigurationId(offer.program)
    ) {
      const field = isPlainObject(request.body) && request.body.credential_identifier !== undefined
      return fail(reply, {
        status: 400,
        error: field ? 'unknown_credential_identifier' : 'unknown_credential_configuration',
        description: `This access token is for the ${offer.program} credential only.`,
      })
    }
    const proof = await checkJwtProof(ask.jwt, base)
    const nonceFailure = async (description: string): Promise<FastifyReply> =>
      ask.version === 'draft13'
        ? fail(reply, {
            status: 400,
            error: 'invalid_proof',
            description,
            extra: { c_nonce: await freshNonce(services), c_nonce_expires_in: NONCE_SECONDS },
          })
        : fail(reply, { status: 400, error: 'invalid_nonce', description })
    if ('error' in proof) {
      return proof.error === 'invalid_nonce'
        ? nonceFailure(proof.description)
        : fail(reply, { status: 400, ...proof })
    }
    if (!(await services.storage.offers.useNonce(proof.nonce, Date.now()))) {
      return nonceFailure('The nonce is unknown, used or expired: get a fresh one.')
    }
    const claimed = await claimOffer(services, leaseSeconds, offer, proof.holder, 'oid4vci')
    if (claimed.kind === 'claimed-by-another') {
      return fail(reply, {
        status: 400,
        error: 'credential_request_denied',
        description: 'This offer was claimed with another key.',
      })
    }
    if (claimed.kind === 'failed') {
      request.log.warn({ problems: claimed.problems }, 'claiming an offer failed')
      return fail(reply, {
        status: claimed.status >= 500 || claimed.status === 409 ? 503 : 400,
        error:
          claimed.status >= 500 || claimed.status === 409
            ? 'server_error'
            : 'credential_request_denied',
        description: claimed.problems[0]?.message ?? 'The credential could not be issued.',
        extra: { errors: claimed.problems },
      })
    }
    reply.log.info(
      {
        audit: 'offer-claimed',
        via: 'oid4vci',
        credentialId: claimed.credential.id,
        program: offer.program,
      },
      'credential offer claimed',
    )
    void reply.header('cache-control', 'no-store')
    // The same credential (its id, subject and status entries), secured as a VC-JWT when asked.
    const format: CredentialFormat =
      ask.format ??
      (ask.configurationId === jwtConfigurationId(offer.program) ? 'jwt_vc_json' : 'ldp_vc')
    let credential: Record<string, unknown> | string = claimed.credential
    if (format === 'jwt_vc_json') {
      const { proof: _proof, ...unsigned } = claimed.credential
      credential = await signCredentialJwt(unsigned, {
        key: services.ring.current.key,
        encoding: 'vc-jwt',
        documentLoader: services.documentLoader,
      })
    }
    if (ask.version === 'draft13') {
      return reply.send({
        credential,
        c_nonce: await freshNonce(services),
        c_nonce_expires_in: NONCE_SECONDS,
      })
    }
    return reply.send({ credentials: [{ credential }] })
  })
  return Promise.resolve()
}
