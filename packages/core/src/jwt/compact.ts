/**
 * Reading a compact JWS (RFC 7515 §7.1) that secures a credential or a presentation, before any
 * key is looked up: its size, its three base64url parts, a JSON object header and payload, the
 * algorithm against the allow-list, and the media types (`typ`, `cty`) against what the caller
 * expects. Nothing here trusts the token: it only decides whether it is worth verifying.
 *
 * - VC-JOSE-COSE (VC 2.0): `typ` `vc+jwt` / `vp+jwt` (or with `application/`), `cty` absent or
 *   `vc` / `vp`; the payload is the credential or presentation itself.
 * - VC-JWT (VC 1.1 §6.3.1, Open Badges 3.0 §8.2): `typ` absent or `JWT`, and the credential in
 *   the `vc` claim (the presentation in `vp`).
 *
 * @see https://www.w3.org/TR/vc-jose-cose/#securing-with-jose
 * @see https://www.w3.org/TR/vc-data-model-1.1/#json-web-token
 * @see https://www.imsglobal.org/spec/ob/v3p0#jwt-proof
 * @module
 */
import { isPlainObject, problem, type ErrorCode, type Problem } from '@certify-vc/context'
import { base64url } from 'jose'
import type { MultikeyType } from '@certify-vc/context'

/** The JWS algorithms certify-vc signs and verifies, and the key type of each. */
export const JWS_ALGORITHM_KEY_TYPES = {
  EdDSA: 'Ed25519',
  ES256: 'P-256',
  ES384: 'P-384',
} as const satisfies Record<string, MultikeyType>

/** A JWS algorithm on the allow-list. */
export type JwsAlgorithm = keyof typeof JWS_ALGORITHM_KEY_TYPES

/** Every allowed algorithm. `none`, `HS*` and `RS*`/`PS*` are never among them. */
export const JWS_ALGORITHMS = Object.keys(JWS_ALGORITHM_KEY_TYPES) as readonly JwsAlgorithm[]

/** The algorithm of a key type (ECDSA curves have one hash each, RFC 7518 §3.4). */
export const KEY_TYPE_ALGORITHMS: Readonly<Record<MultikeyType, JwsAlgorithm>> = {
  Ed25519: 'EdDSA',
  'P-256': 'ES256',
  'P-384': 'ES384',
}

/** What a JWT secures. */
export type JwtDocumentKind = 'credential' | 'presentation'

/**
 * The envelope's flavour: `'vc-jose-cose'` (the payload is the document) or `'vc-jwt'` (VC 1.1
 * JWT encoding, the document in the `vc` / `vp` claim).
 */
export type JwtEncoding = 'vc-jose-cose' | 'vc-jwt'

/** A compact JWS whose form and header passed. Its signature is not checked yet. */
export interface DecodedJwt {
  readonly token: string
  readonly header: Readonly<Record<string, unknown>>
  readonly alg: JwsAlgorithm
  readonly encoding: JwtEncoding
  /** The payload, parsed. */
  readonly payload: Readonly<Record<string, unknown>>
  /** The payload's JSON text (for the ingress scan of the document inside). */
  readonly payloadText: string
}

/** Options of {@link decodeJwt}. */
export interface DecodeJwtOptions {
  readonly kind: JwtDocumentKind
  /** Maximum token length in bytes (the token is ASCII). */
  readonly maxBytes: number
  /** Algorithms accepted (a subset of {@link JWS_ALGORITHMS}). Default: all of them. */
  readonly algorithms?: readonly JwsAlgorithm[]
}

/** The result of {@link decodeJwt}. */
export type DecodeJwtResult =
  ({ readonly ok: true } & DecodedJwt) | { readonly ok: false; readonly problem: Problem }

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/
const MEDIA_TYPES: Readonly<Record<JwtDocumentKind, { typ: string; cty: string }>> = {
  credential: { typ: 'vc+jwt', cty: 'vc' },
  presentation: { typ: 'vp+jwt', cty: 'vp' },
}

/** Whether `text` has the form of a compact JWS (three base64url parts). Cheap; no decoding. */
export function looksLikeCompactJws(text: string): boolean {
  return text.length < 64 * 1024 * 1024 && COMPACT_JWS.test(text)
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** A base64url part as JSON text, or `undefined` when it is not canonical base64url UTF-8. */
function partText(part: string): string | undefined {
  try {
    const bytes = base64url.decode(part)
    if (base64url.encode(bytes) !== part) return undefined
    return utf8.decode(bytes)
  } catch {
    return undefined
  }
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return isPlainObject(value) ? value : undefined
  } catch {
    return undefined
  }
}

/** Strips a leading `application/` (RFC 7515 §4.1.9 allows either spelling). */
function mediaType(value: unknown): unknown {
  return typeof value === 'string' && value.toLowerCase().startsWith('application/')
    ? value.slice('application/'.length)
    : value
}

/**
 * Decodes a compact JWS securing a credential or presentation and checks everything that can be
 * checked without a key. Never throws. Problems: `ERR_INPUT_TOO_LARGE`, `ERR_JWT_MALFORMED`,
 * `ERR_JWT_ALG_NOT_ALLOWED`, `ERR_JWT_TYPE_INVALID`, `ERR_JWT_CONTENT_TYPE_INVALID`,
 * `ERR_JWT_HEADER_UNSUPPORTED`, `ERR_JWT_VC_CLAIM_FORBIDDEN`, `ERR_JWT_CLAIMS_INVALID`.
 *
 * @example
 * const r = decodeJwt(token, { kind: 'credential', maxBytes: 512 * 1024 })
 * if (r.ok) console.log(r.alg, r.encoding)
 */
export function decodeJwt(token: string, options: DecodeJwtOptions): DecodeJwtResult {
  const fail = (code: ErrorCode, message: string) => ({
    ok: false as const,
    problem: problem(code, message, ''),
  })
  if (token.length > options.maxBytes) {
    return fail('ERR_INPUT_TOO_LARGE', `The JWT is longer than ${options.maxBytes} bytes.`)
  }
  if (!COMPACT_JWS.test(token)) {
    return fail('ERR_JWT_MALFORMED', 'The text is not a compact JWS (three base64url parts).')
  }
  const [h = '', p = ''] = token.split('.')
  const header = parseObject(partText(h))
  if (header === undefined) {
    return fail('ERR_JWT_MALFORMED', 'The JWS header is not a base64url JSON object.')
  }
  const allowed = options.algorithms ?? JWS_ALGORITHMS
  const alg = header.alg
  if (typeof alg !== 'string' || !(allowed as readonly string[]).includes(alg)) {
    return fail(
      'ERR_JWT_ALG_NOT_ALLOWED',
      `The JWS algorithm ${JSON.stringify(alg)} is not allowed (allowed: ${allowed.join(', ')}).`,
    )
  }
  if (header.crit !== undefined || header.b64 !== undefined || header.zip !== undefined) {
    return fail(
      'ERR_JWT_HEADER_UNSUPPORTED',
      'The JWS header uses "crit", "b64" or "zip", which certify-vc does not process.',
    )
  }
  const { typ: wantTyp, cty: wantCty } = MEDIA_TYPES[options.kind]
  const typ = mediaType(header.typ)
  let encoding: JwtEncoding
  if (typ === wantTyp) encoding = 'vc-jose-cose'
  else if (typeof typ === 'string' && typ.toUpperCase() === 'JWT') encoding = 'vc-jwt'
  else if (typ === undefined) {
    // No typ: the VC-JWT 1.1 encoding when the document sits in its claim, else VC-JOSE-COSE
    // (decided below, once the payload is read).
    encoding = 'vc-jwt'
  } else {
    return fail(
      'ERR_JWT_TYPE_INVALID',
      `The JWS "typ" is ${JSON.stringify(header.typ)}; a ${options.kind} needs "${wantTyp}" (or "JWT" for VC-JWT 1.1).`,
    )
  }
  const cty = mediaType(header.cty)
  if (cty !== undefined && cty !== wantCty) {
    return fail(
      'ERR_JWT_CONTENT_TYPE_INVALID',
      `The JWS "cty" is ${JSON.stringify(header.cty)}; a ${options.kind} needs "${wantCty}".`,
    )
  }
  const payloadText = partText(p)
  const payload = parseObject(payloadText)
  if (payload === undefined || payloadText === undefined) {
    return fail('ERR_JWT_MALFORMED', 'The JWS payload is not a base64url JSON object.')
  }
  const claim = options.kind === 'credential' ? 'vc' : 'vp'
  if (typ === undefined) encoding = isPlainObject(payload[claim]) ? 'vc-jwt' : 'vc-jose-cose'
  if (encoding === 'vc-jose-cose' && ('vc' in payload || 'vp' in payload)) {
    return fail(
      'ERR_JWT_VC_CLAIM_FORBIDDEN',
      `A ${wantTyp} payload is the ${options.kind} itself: it may not carry "vc" or "vp" claims.`,
    )
  }
  if (encoding === 'vc-jwt' && !isPlainObject(payload[claim])) {
    return fail(
      'ERR_JWT_CLAIMS_INVALID',
      `A VC-JWT 1.1 ${options.kind} needs its document in the "${claim}" claim (or "typ": "${wantTyp}").`,
    )
  }
  return {
    ok: true,
    token,
    header,
    alg: alg as JwsAlgorithm,
    encoding,
    payload,
    payloadText,
  }
}
