/**
 * `did:key` for Ed25519 keys, resolved locally: no network, no registry.
 *
 * @see https://w3c-ccg.github.io/did-key-spec/
 * @module
 */
import { base58btc } from 'multiformats/bases/base58'
import { CONTEXT_URLS } from './contexts.js'
import { CertifyError } from './errors.js'

const ED25519_PUB_HEADER = [0xed, 0x01] as const
const ED25519_PUBLIC_KEY_BYTES = 32

/**
 * Keys that passed {@link decodeEd25519PublicKeyMultibase}, by their (canonical) spelling: the
 * base58 decode and canonical re-encode cost more than the rest of a did:key resolution, and a
 * verifier sees the same few issuer keys again and again. Only successes are kept; callers get
 * copies. Bounded: cleared when full.
 */
const decoded = new Map<string, Uint8Array>()
const MAX_DECODED = 1024

/** A Multikey verification method. */
export interface MultikeyVerificationMethod {
  readonly id: string
  readonly type: 'Multikey'
  readonly controller: string
  readonly publicKeyMultibase: string
}

/** A DID document as certify-vc produces and reads it. */
export interface DidDocument {
  readonly '@context': readonly string[]
  readonly id: string
  readonly verificationMethod: readonly MultikeyVerificationMethod[]
  readonly assertionMethod: readonly string[]
  readonly authentication: readonly string[]
  readonly capabilityInvocation?: readonly string[]
  readonly capabilityDelegation?: readonly string[]
}

/**
 * Decodes an Ed25519 `publicKeyMultibase` (`z6Mk…`) into its 32 raw bytes, strictly: base58btc
 * only, exactly the `0xed 0x01` multicodec header, exactly 32 key bytes, and the encoding must
 * be the canonical one (re-encoding the bytes gives the same string back), so one key has one
 * spelling. Whether the bytes are a usable curve point is `ed25519PublicKeyProblem`'s question.
 *
 * @throws {CertifyError} `ERR_KEY_INVALID` for a wrong multibase, multicodec or length, or a
 *   non-canonical encoding.
 */
export function decodeEd25519PublicKeyMultibase(publicKeyMultibase: string): Uint8Array {
  const known = typeof publicKeyMultibase === 'string' ? decoded.get(publicKeyMultibase) : undefined
  if (known !== undefined) return known.slice()
  if (typeof publicKeyMultibase !== 'string' || !publicKeyMultibase.startsWith('z')) {
    throw new CertifyError('ERR_KEY_INVALID', 'publicKeyMultibase must be base58btc ("z…").')
  }
  let bytes: Uint8Array
  try {
    bytes = base58btc.decode(publicKeyMultibase)
  } catch (cause) {
    throw new CertifyError('ERR_KEY_INVALID', 'publicKeyMultibase is not valid base58btc.', {
      cause,
    })
  }
  if (
    bytes.length !== ED25519_PUB_HEADER.length + ED25519_PUBLIC_KEY_BYTES ||
    bytes[0] !== ED25519_PUB_HEADER[0] ||
    bytes[1] !== ED25519_PUB_HEADER[1]
  ) {
    throw new CertifyError('ERR_KEY_INVALID', 'publicKeyMultibase is not an Ed25519 public key.')
  }
  if (base58btc.encode(bytes) !== publicKeyMultibase) {
    throw new CertifyError('ERR_KEY_INVALID', 'publicKeyMultibase is not canonically encoded.')
  }
  const key = bytes.slice(ED25519_PUB_HEADER.length)
  if (decoded.size >= MAX_DECODED) decoded.clear()
  decoded.set(publicKeyMultibase, key)
  return key.slice()
}

/** Encodes 32 raw Ed25519 public key bytes as `publicKeyMultibase` (`z6Mk…`). */
export function encodeEd25519PublicKeyMultibase(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new TypeError('"publicKey" must be 32 bytes.')
  }
  const bytes = new Uint8Array(ED25519_PUB_HEADER.length + ED25519_PUBLIC_KEY_BYTES)
  bytes.set(ED25519_PUB_HEADER)
  bytes.set(publicKey, ED25519_PUB_HEADER.length)
  return base58btc.encode(bytes)
}

/** The `did:key` of an Ed25519 `publicKeyMultibase`, and its one verification method id. */
export function didKeyFromPublicKeyMultibase(publicKeyMultibase: string): {
  did: string
  verificationMethodId: string
} {
  decodeEd25519PublicKeyMultibase(publicKeyMultibase)
  const did = `did:key:${publicKeyMultibase}`
  return { did, verificationMethodId: `${did}#${publicKeyMultibase}` }
}

/** True for strings that start like a `did:key` DID or DID URL. */
export function isDidKey(value: string): boolean {
  return value.startsWith('did:key:')
}

/**
 * Resolves a `did:key` DID to its DID document, or a `did:key` DID URL (`did:key:z…#z…`) to its
 * verification method, locally.
 *
 * @throws {CertifyError} `ERR_DOCUMENT_NOT_FOUND` for an unknown fragment or a query/path,
 *   `ERR_KEY_INVALID` for a key that is not Ed25519.
 */
export function resolveDidKey(
  didUrl: string,
): DidDocument | (MultikeyVerificationMethod & { '@context': string }) {
  if (typeof didUrl !== 'string' || !isDidKey(didUrl)) {
    throw new CertifyError('ERR_DOCUMENT_NOT_FOUND', `Not a did:key: ${String(didUrl)}`)
  }
  const hash = didUrl.indexOf('#')
  const did = hash === -1 ? didUrl : didUrl.slice(0, hash)
  const fragment = hash === -1 ? undefined : didUrl.slice(hash + 1)
  const multibase = did.slice('did:key:'.length)
  if (!/^z[1-9A-HJ-NP-Za-km-z]+$/.test(multibase)) {
    throw new CertifyError('ERR_DOCUMENT_NOT_FOUND', `Malformed did:key: ${did}`)
  }
  decodeEd25519PublicKeyMultibase(multibase)
  const vm: MultikeyVerificationMethod = {
    id: `${did}#${multibase}`,
    type: 'Multikey',
    controller: did,
    publicKeyMultibase: multibase,
  }
  if (fragment !== undefined) {
    if (fragment !== multibase) {
      throw new CertifyError(
        'ERR_DOCUMENT_NOT_FOUND',
        `did:key has no verification method #${fragment}`,
      )
    }
    return { '@context': CONTEXT_URLS.multikeyV1, ...vm }
  }
  return {
    '@context': [CONTEXT_URLS.didV1, CONTEXT_URLS.multikeyV1],
    id: did,
    verificationMethod: [vm],
    assertionMethod: [vm.id],
    authentication: [vm.id],
    capabilityInvocation: [vm.id],
    capabilityDelegation: [vm.id],
  }
}
