/**
 * The holder's proof of possession in an OpenID4VCI credential request: a JWT proof
 * (`proof_type: "jwt"`, header `typ: openid4vci-proof+jwt`), checked with `jose` for its
 * signature, audience (this credential issuer), freshness (`iat` within the last 5 minutes, not
 * in the future) and nonce (a `c_nonce` from the nonce endpoint, used once, on any instance).
 *
 * Keys: Ed25519 (`EdDSA`, or the fully specified `Ed25519`), named by
 * - `kid`: a `did:key` DID URL (`did:key:z6Mk…#z6Mk…`), the holder being that DID; or
 * - `jwk`: a public OKP/Ed25519 JWK. The holder is then the `did:key` of that very key (not
 *   `did:jwk`): the same key, the DID method the Institute's verifier and the Learner Credential
 *   Wallet resolve offline, so the learner can later present the credential with holder binding.
 *
 * Other key types are refused (`invalid_proof`): the metadata advertises `EdDSA` only.
 *
 * @module
 */
import {
  decodeEd25519PublicKeyMultibase,
  encodeEd25519PublicKeyMultibase,
  isPlainObject,
} from '@certify-vc/context'
import { base64url, decodeProtectedHeader, errors, importJWK, jwtVerify, type JWK } from 'jose'

/** The JWT proof's `typ`. */
export const PROOF_TYP = 'openid4vci-proof+jwt'
/** Accepted JWS algorithms. */
export const PROOF_ALGORITHMS = ['EdDSA', 'Ed25519'] as const
/** A proof older than this is stale. */
export const PROOF_MAX_AGE_SECONDS = 300
/** Clock skew tolerated, both ways. */
export const PROOF_CLOCK_TOLERANCE_SECONDS = 60
const MAX_JWT_LENGTH = 8192

/** Why a proof was refused: the OpenID4VCI error and a description. */
export interface ProofError {
  readonly error: 'invalid_proof' | 'invalid_nonce'
  readonly description: string
}

/** A proof that holds: the holder DID and the nonce it used (not yet consumed). */
export interface CheckedProof {
  readonly holder: string
  readonly nonce: string
}

function invalid(description: string): ProofError {
  return { error: 'invalid_proof', description }
}

/** The holder DID and public JWK named by the header, or why not. */
function holderKey(header: Record<string, unknown>): { did: string; jwk: JWK } | ProofError {
  const { kid, jwk, x5c } = header
  if (x5c !== undefined) return invalid('x5c proofs are not supported; name a did:key or a JWK.')
  if ((kid === undefined) === (jwk === undefined)) {
    return invalid('The proof header must name the key by exactly one of "kid" and "jwk".')
  }
  if (typeof kid === 'string') {
    const match = /^did:key:(z[1-9A-HJ-NP-Za-km-z]+)#(z[1-9A-HJ-NP-Za-km-z]+)$/.exec(kid)
    if (match === null || match[1] !== match[2]) {
      return invalid('"kid" must be a did:key verification method (did:key:z6Mk…#z6Mk…).')
    }
    try {
      const raw = decodeEd25519PublicKeyMultibase(match[1] ?? '')
      return {
        did: `did:key:${match[1] ?? ''}`,
        jwk: { kty: 'OKP', crv: 'Ed25519', x: base64url.encode(raw) },
      }
    } catch {
      return invalid('"kid" names a did:key that is not an Ed25519 key.')
    }
  }
  if (!isPlainObject(jwk)) return invalid('"kid" must be a string, "jwk" an object.')
  if ('d' in jwk) return invalid('The "jwk" holds a private key: never send it.')
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    return invalid('Only Ed25519 keys (kty OKP, crv Ed25519) are accepted.')
  }
  let raw: Uint8Array
  try {
    raw = base64url.decode(jwk.x)
  } catch {
    return invalid('The "jwk" x value is not base64url.')
  }
  if (raw.length !== 32 || base64url.encode(raw) !== jwk.x) {
    return invalid('The "jwk" x value is not a 32-byte Ed25519 key.')
  }
  return {
    did: `did:key:${encodeEd25519PublicKeyMultibase(raw)}`,
    jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x },
  }
}

/**
 * Checks a JWT proof for `audience` at `now` (signature, header, `aud`, `iat`, and that it
 * carries a nonce). The nonce is returned, not consumed: the caller uses it once.
 */
export async function checkJwtProof(
  jwt: unknown,
  audience: string,
  now: Date = new Date(),
): Promise<CheckedProof | ProofError> {
  if (typeof jwt !== 'string' || jwt.length === 0 || jwt.length > MAX_JWT_LENGTH) {
    return invalid('The proof must be a compact JWT.')
  }
  let header: Record<string, unknown>
  try {
    header = decodeProtectedHeader(jwt)
  } catch {
    return invalid('The proof is not a JWT.')
  }
  if (header.typ !== PROOF_TYP) return invalid(`The proof header "typ" must be "${PROOF_TYP}".`)
  if (!(PROOF_ALGORITHMS as readonly unknown[]).includes(header.alg)) {
    return invalid('The proof must be signed with EdDSA (Ed25519).')
  }
  const key = holderKey(header)
  if ('error' in key) return key
  let payload: Record<string, unknown>
  try {
    const publicKey = await importJWK(key.jwk, 'EdDSA')
    ;({ payload } = await jwtVerify(jwt, publicKey, {
      algorithms: [...PROOF_ALGORITHMS],
      typ: PROOF_TYP,
      audience,
      maxTokenAge: PROOF_MAX_AGE_SECONDS,
      clockTolerance: PROOF_CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['iat'],
      currentDate: now,
    }))
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return invalid('The proof signature does not verify with the key its header names.')
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
      return invalid(
        error.claim === 'aud'
          ? `The proof's "aud" must be this credential issuer (${audience}).`
          : error.claim === 'iat'
            ? `The proof's "iat" must be within the last ${PROOF_MAX_AGE_SECONDS} s (and not in the future).`
            : `The proof's "${error.claim}" claim is not acceptable.`,
      )
    }
    if (error instanceof errors.JWTExpired) return invalid('The proof has expired ("exp").')
    return invalid('The proof is not a valid JWT.')
  }
  if (typeof payload.nonce !== 'string' || payload.nonce === '') {
    return { error: 'invalid_nonce', description: 'The proof carries no "nonce" (c_nonce).' }
  }
  return { holder: key.did, nonce: payload.nonce }
}
