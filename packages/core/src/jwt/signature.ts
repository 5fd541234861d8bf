/**
 * The JWS signature, both ways. Verifying goes through `jose` (`compactVerify`, with the one
 * algorithm the header names and the allow-list already checked) and a key from the key step,
 * never from the token. Signing uses certify-vc's own {@link Signer} (the issuer key's secret
 * never leaves its module): the JWS signing input is signed exactly as RFC 7515 §5.1 says, with
 * `jose`'s base64url, and every token made here is checked by `jose.jwtVerify` in the tests.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-5
 * @module
 */
import { CertifyError, problem, type Problem } from '@certify-vc/context'
import { base64url, compactVerify, importJWK, type CryptoKey } from 'jose'
import type { Signer } from '../suites.js'
import { JWS_ALGORITHM_KEY_TYPES, KEY_TYPE_ALGORITHMS, type JwsAlgorithm } from './compact.js'
import { publicJwkOfMultibase } from './jwk.js'

const MAX_KEYS = 256
/** Imported keys by algorithm and multibase: a key is imported once (docs/design.md §8). */
const imported = new Map<string, Promise<CryptoKey | Uint8Array>>()

function keyFor(alg: JwsAlgorithm, publicKeyMultibase: string): Promise<CryptoKey | Uint8Array> {
  const id = `${alg} ${publicKeyMultibase}`
  let key = imported.get(id)
  if (key === undefined) {
    key = importJWK({ ...publicJwkOfMultibase(publicKeyMultibase), alg }, alg)
    if (imported.size >= MAX_KEYS) imported.clear()
    imported.set(id, key)
    key.catch(() => imported.delete(id))
  }
  return key
}

/**
 * Verifies the signature of a compact JWS with `publicKeyMultibase` (a key that passed the key
 * step, of the type `alg` needs). `undefined` when it verifies, else `ERR_PROOF_INVALID` (the
 * same code as a Data Integrity signature that does not verify). Never throws.
 */
export async function verifyJwsSignature(
  token: string,
  alg: JwsAlgorithm,
  publicKeyMultibase: string,
): Promise<Problem | undefined> {
  try {
    await compactVerify(token, await keyFor(alg, publicKeyMultibase), { algorithms: [alg] })
    return undefined
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(/\.+$/, '') : 'invalid signature'
    return problem('ERR_PROOF_INVALID', `The JWS signature does not verify: ${why}.`, '')
  }
}

/** Options of {@link signJws}. */
export interface SignJwsOptions {
  /** The protected header members besides `alg` (`typ`, `cty`, `kid` …). */
  readonly header: Readonly<Record<string, string>>
  readonly signer: Signer
}

/**
 * Signs `payload` (a JSON object) as a compact JWS with the signer's key: `EdDSA` for Ed25519,
 * `ES256` for P-256, `ES384` for P-384.
 *
 * @throws {CertifyError} `ERR_JWT_SIGNING_FAILED` when the signer fails or returns a signature
 *   of the wrong length.
 */
export async function signJws(
  payload: Readonly<Record<string, unknown>>,
  options: SignJwsOptions,
): Promise<string> {
  const alg = KEY_TYPE_ALGORITHMS[options.signer.algorithm]
  const header = { alg, ...options.header }
  const input =
    base64url.encode(JSON.stringify(header)) + '.' + base64url.encode(JSON.stringify(payload))
  let signature: Uint8Array
  try {
    signature = await options.signer.sign({ data: new TextEncoder().encode(input) })
  } catch (cause) {
    throw new CertifyError('ERR_JWT_SIGNING_FAILED', 'The signer failed to sign the JWT.', {
      cause,
    })
  }
  const expected = JWS_ALGORITHM_KEY_TYPES[alg] === 'P-384' ? 96 : 64
  if (!(signature instanceof Uint8Array) || signature.length !== expected) {
    throw new CertifyError(
      'ERR_JWT_SIGNING_FAILED',
      `The signer returned no ${expected}-byte ${alg} signature.`,
    )
  }
  return input + '.' + base64url.encode(signature)
}
