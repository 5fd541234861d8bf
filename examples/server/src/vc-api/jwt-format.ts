/**
 * The VC API issue option `format` (certify-vc's; the VC API defines no securing option): with
 * `"options": {"format": "vc+jwt"}` the credential is secured as a VC-JOSE-COSE JWT, with
 * `"vc-jwt"` as a VC-JWT 1.1 token (Open Badges 3.0 §8.2), and the answer's
 * `verifiableCredential` is an `EnvelopedVerifiableCredential` holding it (VC 2.0 §4.13), which
 * `POST /credentials/verify` and `POST /presentations/verify` accept back.
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#enveloped-verifiable-credentials
 * @module
 */
import type { DocumentLoader } from '@certify-vc/context'
import { envelopeJwt, type JwtEncoding } from '@certify-vc/core'
import { signCredentialJwt, type IssuerKey } from '@certify-vc/issuer'

/** The `format` values, by the encoding they ask for. */
export const JWT_FORMATS: Readonly<Record<string, JwtEncoding>> = {
  'vc+jwt': 'vc-jose-cose',
  'vc-jwt': 'vc-jwt',
}

/** The encoding `format` asks for: `undefined` for Data Integrity (absent, or `"di"`), `null` when unknown. */
export function jwtFormatOption(value: unknown): JwtEncoding | undefined | null {
  if (value === undefined || value === 'di') return undefined
  return typeof value === 'string' && Object.hasOwn(JWT_FORMATS, value)
    ? (JWT_FORMATS[value] ?? null)
    : null
}

/** Signs `credential` as a JWT and wraps it in an EnvelopedVerifiableCredential. */
export async function signEnveloped(
  credential: Record<string, unknown>,
  key: IssuerKey,
  encoding: JwtEncoding,
  documentLoader: DocumentLoader,
): Promise<Record<string, unknown>> {
  const jwt = await signCredentialJwt(credential, { key, encoding, generic: true, documentLoader })
  return envelopeJwt(jwt)
}
