/**
 * JWT envelopes: the claims a credential's token carries beside (VC-JOSE-COSE) or around (VC-JWT
 * 1.1, Open Badges 3.0 §8.2) the credential, and the `EnvelopedVerifiableCredential` /
 * `EnvelopedVerifiablePresentation` objects (a `data:` URL of the token) that put a token where
 * VC 2.0 expects a JSON object, e.g. in a presentation's `verifiableCredential`.
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#enveloped-verifiable-credentials
 * @see https://www.w3.org/TR/vc-jose-cose/#securing-with-jose
 * @module
 */
import {
  CONTEXT_URLS,
  credentialFormatOf,
  idOf,
  isPlainObject,
  parseDateTimeStamp,
} from '@certify-vc/context'
import type { JwtDocumentKind, JwtEncoding } from './compact.js'

/** The media type of a token in a `data:` URL, by what it secures. */
export const JWT_MEDIA_TYPES: Readonly<Record<JwtDocumentKind, string>> = {
  credential: 'application/vc+jwt',
  presentation: 'application/vp+jwt',
}

const ENVELOPE_TYPES: Readonly<Record<JwtDocumentKind, string>> = {
  credential: 'EnvelopedVerifiableCredential',
  presentation: 'EnvelopedVerifiablePresentation',
}

function seconds(value: unknown): number | undefined {
  const date = parseDateTimeStamp(value)
  return date === undefined ? undefined : Math.floor(date.getTime() / 1000)
}

/**
 * The JWT payload securing `credential`: for `'vc-jose-cose'` the credential with the claims
 * that restate it (`iss`, `jti`, `sub`, `nbf`, `exp`), for `'vc-jwt'` those claims and the
 * credential in `vc` (Open Badges 3.0 §8.2.4). Claims restate members only when present.
 */
export function credentialJwtPayload(
  credential: Readonly<Record<string, unknown>>,
  encoding: JwtEncoding,
): Record<string, unknown> {
  const v1 = credentialFormatOf(credential) === 'vc1.1'
  const subject = credential.credentialSubject
  const claims: Record<string, unknown> = {}
  const iss = idOf(credential.issuer)
  if (iss !== undefined) claims.iss = iss
  if (typeof credential.id === 'string') claims.jti = credential.id
  if (isPlainObject(subject) && typeof subject.id === 'string') claims.sub = subject.id
  const nbf = seconds(v1 ? credential.issuanceDate : credential.validFrom)
  if (nbf !== undefined) claims.nbf = nbf
  const exp = seconds(v1 ? credential.expirationDate : credential.validUntil)
  if (exp !== undefined) claims.exp = exp
  return encoding === 'vc-jwt' ? { ...claims, vc: credential } : { ...credential, ...claims }
}

/** An enveloped credential or presentation holding `token`. */
export function envelopeJwt(
  token: string,
  kind: JwtDocumentKind = 'credential',
): { '@context': string; id: string; type: string } {
  return {
    '@context': CONTEXT_URLS.credentialsV2,
    id: `data:${JWT_MEDIA_TYPES[kind]},${token}`,
    type: ENVELOPE_TYPES[kind],
  }
}

/** What {@link openEnvelope} found. */
export type OpenedEnvelope =
  { readonly ok: true; readonly token: string } | { readonly ok: false; readonly message: string }

/**
 * Whether `value` is an enveloped credential (or presentation): an object whose `type` names
 * `EnvelopedVerifiableCredential` (`EnvelopedVerifiablePresentation`).
 */
export function isEnvelope(value: unknown, kind: JwtDocumentKind = 'credential'): boolean {
  if (!isPlainObject(value)) return false
  const types: unknown[] = Array.isArray(value.type) ? (value.type as unknown[]) : [value.type]
  return types.includes(ENVELOPE_TYPES[kind])
}

/**
 * The token of an enveloped credential (presentation): its `id` must be
 * `data:application/vc+jwt,<token>` (`vp+jwt` for a presentation), with nothing but the VC 2.0
 * context, the id and the type beside it.
 */
export function openEnvelope(value: unknown, kind: JwtDocumentKind = 'credential'): OpenedEnvelope {
  if (!isPlainObject(value) || !isEnvelope(value, kind)) {
    return { ok: false, message: `The value is not an ${ENVELOPE_TYPES[kind]}.` }
  }
  const prefix = `data:${JWT_MEDIA_TYPES[kind]},`
  const id = value.id
  if (typeof id !== 'string' || !id.startsWith(prefix)) {
    return {
      ok: false,
      message: `An ${ENVELOPE_TYPES[kind]}'s id must be a data: URL of ${JWT_MEDIA_TYPES[kind]} ("${prefix}<JWT>").`,
    }
  }
  const context = value['@context']
  const contexts: unknown[] = Array.isArray(context) ? (context as unknown[]) : [context]
  if (contexts[0] !== CONTEXT_URLS.credentialsV2) {
    return { ok: false, message: `An ${ENVELOPE_TYPES[kind]}'s first context must be VC 2.0.` }
  }
  return { ok: true, token: id.slice(prefix.length) }
}
