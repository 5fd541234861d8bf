/**
 * `did:key` for Ed25519, P-256 and P-384 Multikeys, resolved locally: no network, no registry.
 *
 * Decoding is strict for every key type: base58btc only, exactly one of the known multicodec
 * headers, exactly the key length of that type (a compressed point, `0x02`/`0x03` first, for the
 * NIST curves), and the canonical spelling (re-encoding the bytes gives the same string back), so
 * one key has one spelling (docs/attacks.md A16). Whether the bytes are a usable curve point is
 * the key step's question (`@certify-vc/core`).
 *
 * @see https://w3c-ccg.github.io/did-key-spec/
 * @see https://www.w3.org/TR/cid-1.0/#Multikey
 * @module
 */
import { base58btc } from 'multiformats/bases/base58'
import { CONTEXT_URLS } from './contexts.js'
import { CertifyError } from './errors.js'

/** The public key types a Multikey `publicKeyMultibase` may hold here. */
export type MultikeyType = 'Ed25519' | 'P-256' | 'P-384'

/** Every {@link MultikeyType}, in documentation order. */
export const MULTIKEY_TYPES: readonly MultikeyType[] = ['Ed25519', 'P-256', 'P-384']

/**
 * The multicodec header (the varint of `ed25519-pub` 0xed, `p256-pub` 0x1200, `p384-pub` 0x1201)
 * and the key length of each type: 32 bytes for Ed25519, a compressed point (one sign byte and
 * the x coordinate) for the NIST curves.
 */
const PUBLIC_KEY_FORMATS: Readonly<
  Record<MultikeyType, { readonly header: readonly [number, number]; readonly bytes: number }>
> = {
  Ed25519: { header: [0xed, 0x01], bytes: 32 },
  'P-256': { header: [0x80, 0x24], bytes: 33 },
  'P-384': { header: [0x81, 0x24], bytes: 49 },
}

/** A public key read from its Multikey encoding. */
export interface DecodedPublicKey {
  readonly type: MultikeyType
  /** The raw key: 32 bytes (Ed25519) or a compressed point of 33 (P-256) or 49 (P-384) bytes. */
  readonly publicKey: Uint8Array
}

/**
 * Keys that passed {@link decodePublicKeyMultibase}, by their (canonical) spelling: the base58
 * decode and canonical re-encode cost more than the rest of a did:key resolution, and a verifier
 * sees the same few issuer keys again and again. Only successes are kept; callers get copies.
 * Bounded: cleared when full.
 */
const decoded = new Map<string, DecodedPublicKey>()
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

function typeOfHeader(bytes: Uint8Array): MultikeyType | undefined {
  return MULTIKEY_TYPES.find((t) => {
    const [a, b] = PUBLIC_KEY_FORMATS[t].header
    return bytes[0] === a && bytes[1] === b
  })
}

/**
 * Decodes a `publicKeyMultibase` (`z6Mk…` Ed25519, `zDna…` P-256, `z82L…` P-384) into its type
 * and raw key bytes, strictly: base58btc only, a known multicodec header, exactly the length of
 * that type, a compressed point (first byte `0x02` or `0x03`) for P-256 and P-384, and the
 * canonical encoding (re-encoding gives the same string back).
 *
 * @throws {CertifyError} `ERR_KEY_INVALID` for anything else (a secret key's header included).
 */
export function decodePublicKeyMultibase(publicKeyMultibase: string): DecodedPublicKey {
  const known = typeof publicKeyMultibase === 'string' ? decoded.get(publicKeyMultibase) : undefined
  if (known !== undefined) return { type: known.type, publicKey: known.publicKey.slice() }
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
  const type = typeOfHeader(bytes)
  if (type === undefined) {
    throw new CertifyError(
      'ERR_KEY_INVALID',
      'publicKeyMultibase is not an Ed25519, P-256 or P-384 public key (unknown multicodec header).',
    )
  }
  const format = PUBLIC_KEY_FORMATS[type]
  if (bytes.length !== 2 + format.bytes) {
    throw new CertifyError(
      'ERR_KEY_INVALID',
      `publicKeyMultibase is not a ${type} public key (${bytes.length - 2} key bytes, not ${format.bytes}).`,
    )
  }
  if (type !== 'Ed25519' && bytes[2] !== 0x02 && bytes[2] !== 0x03) {
    throw new CertifyError(
      'ERR_KEY_INVALID',
      `publicKeyMultibase is not a compressed ${type} point (first byte 0x02 or 0x03).`,
    )
  }
  if (base58btc.encode(bytes) !== publicKeyMultibase) {
    throw new CertifyError('ERR_KEY_INVALID', 'publicKeyMultibase is not canonically encoded.')
  }
  const key: DecodedPublicKey = { type, publicKey: bytes.slice(2) }
  if (decoded.size >= MAX_DECODED) decoded.clear()
  decoded.set(publicKeyMultibase, key)
  return { type, publicKey: key.publicKey.slice() }
}

/**
 * Decodes an Ed25519 `publicKeyMultibase` (`z6Mk…`) into its 32 raw bytes, strictly (see
 * {@link decodePublicKeyMultibase}). Whether the bytes are a usable curve point is
 * `ed25519PublicKeyProblem`'s question.
 *
 * @throws {CertifyError} `ERR_KEY_INVALID` for a wrong multibase, multicodec or length, or a
 *   non-canonical encoding.
 */
export function decodeEd25519PublicKeyMultibase(publicKeyMultibase: string): Uint8Array {
  const { type, publicKey } = decodePublicKeyMultibase(publicKeyMultibase)
  if (type !== 'Ed25519') {
    throw new CertifyError('ERR_KEY_INVALID', 'publicKeyMultibase is not an Ed25519 public key.')
  }
  return publicKey
}

/**
 * Encodes a raw public key of `type` as `publicKeyMultibase`: 32 bytes for Ed25519, a compressed
 * point of 33 (P-256) or 49 (P-384) bytes.
 *
 * @throws {TypeError} for an unknown type or a key of the wrong length or form.
 */
export function encodePublicKeyMultibase(type: MultikeyType, publicKey: Uint8Array): string {
  if (!(MULTIKEY_TYPES as readonly unknown[]).includes(type)) {
    throw new TypeError(`"type" must be one of ${MULTIKEY_TYPES.join(', ')}.`)
  }
  const format = PUBLIC_KEY_FORMATS[type]
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== format.bytes) {
    throw new TypeError(`"publicKey" must be ${format.bytes} bytes for ${type}.`)
  }
  if (type !== 'Ed25519' && publicKey[0] !== 0x02 && publicKey[0] !== 0x03) {
    throw new TypeError(`"publicKey" must be a compressed ${type} point (0x02 or 0x03 first).`)
  }
  const bytes = new Uint8Array(2 + format.bytes)
  bytes.set(format.header)
  bytes.set(publicKey, 2)
  return base58btc.encode(bytes)
}

/** Encodes 32 raw Ed25519 public key bytes as `publicKeyMultibase` (`z6Mk…`). */
export function encodeEd25519PublicKeyMultibase(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new TypeError('"publicKey" must be 32 bytes.')
  }
  return encodePublicKeyMultibase('Ed25519', publicKey)
}

/**
 * The `did:key` of a `publicKeyMultibase` (Ed25519, P-256 or P-384), and its one verification
 * method id.
 *
 * @throws {CertifyError} `ERR_KEY_INVALID` for a key {@link decodePublicKeyMultibase} refuses.
 */
export function didKeyFromPublicKeyMultibase(publicKeyMultibase: string): {
  did: string
  verificationMethodId: string
} {
  decodePublicKeyMultibase(publicKeyMultibase)
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
 *   `ERR_KEY_INVALID` for a key that is not a strict Ed25519, P-256 or P-384 Multikey.
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
  decodePublicKeyMultibase(multibase)
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
