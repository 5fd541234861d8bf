/**
 * Credentials secured as JWTs: VC-JOSE-COSE (`typ: vc+jwt`, the credential as the payload) by
 * default, or the VC-JWT 1.1 encoding Open Badges 3.0 §8.2 describes (`typ: JWT`, the credential
 * in the `vc` claim beside `iss`, `jti`, `sub`, `nbf`, `exp`). The JWS is signed with the issuer
 * key's own signer (`EdDSA` for Ed25519, `ES256` for P-256, `ES384` for P-384), and its `kid` is
 * the key's verification method, which verifiers resolve through the issuer's DID.
 *
 * The credential meets the same gate as a Data Integrity one before it is signed (contexts, data
 * model, JSON-LD safe mode): a JWT does not need JSON-LD, but one credential must be the same
 * credential whatever secures it.
 *
 * @see https://www.w3.org/TR/vc-jose-cose/#securing-with-jose
 * @see https://www.imsglobal.org/spec/ob/v3p0#jwt-proof
 * @module
 */
import {
  CertifyError,
  isPlainObject,
  type DocumentLoader,
  type OpenBadgeCredential,
} from '@certify-vc/context'
import { credentialJwtPayload, signJws, type JwtEncoding } from '@certify-vc/core'
import type { IssueCredentialOptions } from './issue-credential.js'
import { issueSigned } from './issue-credential.js'
import { checkKey, signerOf } from './issuer-key-check.js'
import type { IssuerKey } from './keys.js'
import { checkCredentialForSigning, checkSigningOptions } from './sign-credential.js'

/** Options of {@link signCredentialJwt}. */
export interface SignCredentialJwtOptions {
  readonly key: IssuerKey
  /** `'vc-jose-cose'` (default, `vc+jwt`) or `'vc-jwt'` (VC-JWT 1.1, Open Badges 3.0 §8.2). */
  readonly encoding?: JwtEncoding
  /**
   * Sign any VC 2.0 / 1.1 credential of this key's DID (inline contexts allowed), as
   * `signGenericCredential` does; default `false`: an Open Badges credential's gate.
   */
  readonly generic?: boolean
  /** Document loader (offline). Default: the pinned contexts of `@certify-vc/context`. */
  readonly documentLoader?: DocumentLoader
}

/** The options of {@link issueCredentialJwt}: those of `issueCredential` and the encoding. */
export type IssueCredentialJwtOptions = Omit<IssueCredentialOptions, 'suite'> & {
  readonly encoding?: JwtEncoding
}

/** An issued JWT credential: the token, and the credential it secures (for the records). */
export interface IssuedCredentialJwt {
  readonly jwt: string
  readonly credential: OpenBadgeCredential
}

function checkEncoding(value: unknown): JwtEncoding {
  if (value === undefined) return 'vc-jose-cose'
  if (value !== 'vc-jose-cose' && value !== 'vc-jwt') {
    throw new TypeError('"encoding" must be "vc-jose-cose" or "vc-jwt".')
  }
  return value
}

/** Signs a checked credential as a JWT. */
async function signJwt(
  credential: Readonly<Record<string, unknown>>,
  key: IssuerKey,
  encoding: JwtEncoding,
): Promise<string> {
  const header: Record<string, string> =
    encoding === 'vc-jwt'
      ? { kid: key.verificationMethodId, typ: 'JWT' }
      : { kid: key.verificationMethodId, typ: 'vc+jwt', cty: 'vc' }
  return signJws(credentialJwtPayload(credential, encoding), { header, signer: signerOf(key) })
}

/**
 * Signs `credential` (unsigned: no `proof`) as a compact JWS.
 *
 * @example
 * const jwt = await signCredentialJwt(credential, { key })
 * // 'eyJhbGciOiJFZERTQSIsImtpZCI6ImRpZDprZXk6ejZNa…'
 *
 * @throws {TypeError} for bad options. {@link CertifyError} with the gate's codes
 *   (`ERR_STRUCTURE_*`, `ERR_JSONLD_*`, `ERR_CONTEXT_*` …), `ERR_ISSUE_INVALID_INPUT` for a
 *   credential that already has a proof, `ERR_JWT_SIGNING_FAILED`.
 */
export async function signCredentialJwt(
  credential: object,
  options: SignCredentialJwtOptions,
): Promise<string> {
  if (!isPlainObject(credential)) throw new TypeError('"credential" must be an object.')
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  const { key: rawKey, encoding: rawEncoding, generic = false, documentLoader, ...rest } = options
  if (Object.keys(rest).length > 0) {
    throw new TypeError(`Unknown option "${Object.keys(rest)[0] ?? ''}".`)
  }
  const encoding = checkEncoding(rawEncoding)
  const plan = checkSigningOptions({
    key: rawKey,
    ...(documentLoader === undefined ? {} : { documentLoader }),
  })
  if (credential.proof !== undefined) {
    throw new CertifyError(
      'ERR_ISSUE_INVALID_INPUT',
      'The credential already has a proof; a JWT secures an unsigned credential.',
      { path: '/proof' },
    )
  }
  await checkCredentialForSigning(credential, {
    documentLoader: plan.documentLoader,
    inlineContexts: generic === true,
    ...(generic === true ? { issuer: plan.key.did } : {}),
  })
  return signJwt(credential, plan.key, encoding)
}

/**
 * Issues an Open Badges 3.0 credential for an AIDA, CAAE or AIMA learner as a JWT: the same
 * credential, checks and status allocation as `issueCredential`, secured by a JWS instead of a
 * Data Integrity proof.
 *
 * @example
 * const { jwt } = await issueCredentialJwt({ program: 'AIDA', recipient, key })
 *
 * @throws as `issueCredential` does, and `ERR_JWT_SIGNING_FAILED`.
 */
export async function issueCredentialJwt(
  options: IssueCredentialJwtOptions,
): Promise<IssuedCredentialJwt> {
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  const { encoding: rawEncoding, ...issueOptions } = options as IssueCredentialJwtOptions &
    Record<string, unknown>
  if ('suite' in issueOptions) {
    throw new TypeError('"suite" is a Data Integrity option; a JWT has none.')
  }
  const encoding = checkEncoding(rawEncoding)
  const key = checkKey(issueOptions.key)
  return issueSigned(issueOptions, async (credential) => ({
    jwt: await signJwt(credential as unknown as Record<string, unknown>, key, encoding),
    credential,
  }))
}
