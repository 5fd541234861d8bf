/**
 * The VC 1.1 test suite's JWT section (`--jwt <base64 keys> --jwt-aud <aud>`, with
 * `--jwt-no-jws`, `--jwt-presentation` or `--jwt-decode`): the VC 1.1 §6.3.1 JWT encoding of a
 * credential or presentation, and its decoding. The suite hands the generator its own RS256 and
 * ES256K keys and accepts only those algorithms, which certify-vc's verifier never accepts; so
 * these tokens are signed here with Node's crypto (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518
 * §3.3) and the suite's RS256 key. The payload is certify-vc's (`credentialJwtPayload`, VC-JWT
 * 1.1 encoding), plus `aud`.
 *
 * @see https://www.w3.org/TR/vc-data-model-1.1/#json-web-token
 * @module
 */
import { isPlainObject, problem, type Problem } from '@certify-vc/context'
import { credentialJwtPayload } from '@certify-vc/core'
import { createPrivateKey, sign } from 'node:crypto'

/** The JWT flags of the generator. */
export interface Vc11JwtFlags {
  /** base64 of `{ es256kPrivateKeyJwk, rs256PrivateKeyJwk }`. */
  readonly keys: string
  readonly aud: string | undefined
  readonly noJws: boolean
  readonly presentation: boolean
  readonly decode: boolean
}

/** The output (a token, or the decoded credential's JSON), or the problems. */
export type Vc11JwtResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly problems: Problem[] }

const fail = (message: string): Vc11JwtResult => ({
  ok: false,
  problems: [problem('ERR_JWT_MALFORMED', message, '')],
})

function rfc3339(seconds: unknown): string | undefined {
  return typeof seconds === 'number' && Number.isFinite(seconds)
    ? new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
    : undefined
}

/** VC 1.1 §6.3.1 decoding: the `vc` claim, with the registered claims put back as members. */
function decodeJwtCredential(text: string): Vc11JwtResult {
  const [, p] = text.trim().split('.')
  let payload: unknown
  try {
    payload = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(p ?? '', 'base64url')),
    )
  } catch {
    return fail('The input is not a JWT.')
  }
  if (!isPlainObject(payload) || !isPlainObject(payload.vc))
    return fail('The JWT has no "vc" claim.')
  const vc: Record<string, unknown> = structuredClone(payload.vc)
  const exp = rfc3339(payload.exp)
  if (exp !== undefined) vc.expirationDate = exp
  if (typeof payload.iss === 'string') vc.issuer = payload.iss
  const nbf = rfc3339(payload.nbf)
  if (nbf !== undefined) vc.issuanceDate = nbf
  if (typeof payload.sub === 'string' && isPlainObject(vc.credentialSubject)) {
    vc.credentialSubject = { ...vc.credentialSubject, id: payload.sub }
  }
  if (typeof payload.jti === 'string') vc.id = payload.jti
  return { ok: true, text: `${JSON.stringify(vc, null, 2)}\n` }
}

/**
 * Encodes `document` (already checked by the generator, unless `noJws`) as a JWT, or decodes a
 * JWT (`decode`). Never throws for bad input.
 */
export function vc11Jwt(document: unknown, inputText: string, flags: Vc11JwtFlags): Vc11JwtResult {
  if (flags.decode) return decodeJwtCredential(inputText)
  if (!isPlainObject(document)) return fail('The input is not a JSON object.')
  let payload: Record<string, unknown>
  if (flags.presentation) {
    payload = { vp: document }
    if (typeof document.holder === 'string') payload.iss = document.holder
    if (typeof document.id === 'string') payload.jti = document.id
  } else {
    payload = credentialJwtPayload(document, 'vc-jwt')
  }
  if (flags.aud !== undefined) payload.aud = flags.aud
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const body = b64(payload)
  if (flags.noJws) {
    // VC 1.1: "If only the proof attribute is used, the alg header MUST be set to none."
    return {
      ok: true,
      text: `${b64({ alg: 'none', typ: 'JWT' })}.${body}.\n`,
    }
  }
  let keys: { rs256PrivateKeyJwk?: Record<string, unknown> }
  try {
    keys = JSON.parse(Buffer.from(flags.keys, 'base64').toString('utf8')) as typeof keys
  } catch {
    return fail('--jwt is not base64 JSON of the keys.')
  }
  const jwk = keys.rs256PrivateKeyJwk
  if (!isPlainObject(jwk)) return fail('--jwt names no rs256PrivateKeyJwk.')
  let key
  try {
    key = createPrivateKey({ key: jwk as never, format: 'jwk' })
  } catch {
    return fail('rs256PrivateKeyJwk is not an RSA private key.')
  }
  const header = {
    alg: 'RS256',
    typ: 'JWT',
    ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}),
  }
  const input = `${b64(header)}.${body}`
  const jwt = `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`
  return { ok: true, text: `${jwt}\n` }
}
