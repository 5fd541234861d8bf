/**
 * Public keys between their Multikey form (what the key step checks) and their JWK form (RFC 7517
 * / RFC 8037: what `jose` verifies with, and what a `JsonWebKey` verification method holds).
 * Only the three key types certify-vc accepts: Ed25519 (`OKP`), P-256 and P-384 (`EC`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-6.2.1
 * @see https://www.rfc-editor.org/rfc/rfc8037#section-2
 * @module
 */
import {
  decodePublicKeyMultibase,
  encodePublicKeyMultibase,
  isPlainObject,
  type MultikeyType,
} from '@certify-vc/context'
import { base64url } from 'jose'
import { ecdsaCompressPoint, ecdsaPointCoordinates } from '../ecdsa.js'

/** A public JWK of one of the accepted key types. */
export type PublicJwk =
  | { readonly kty: 'OKP'; readonly crv: 'Ed25519'; readonly x: string }
  | { readonly kty: 'EC'; readonly crv: 'P-256' | 'P-384'; readonly x: string; readonly y: string }

/**
 * The JWK of a `publicKeyMultibase` (which must already have passed the key check).
 *
 * @throws {CertifyError} `ERR_KEY_INVALID` when the key does not decode.
 */
export function publicJwkOfMultibase(publicKeyMultibase: string): PublicJwk {
  const { type, publicKey } = decodePublicKeyMultibase(publicKeyMultibase)
  if (type === 'Ed25519') return { kty: 'OKP', crv: 'Ed25519', x: base64url.encode(publicKey) }
  const point = ecdsaPointCoordinates(type, publicKey)
  if (point === undefined) throw new TypeError(`Not a ${type} point.`)
  return { kty: 'EC', crv: type, x: base64url.encode(point.x), y: base64url.encode(point.y) }
}

function decode(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined
  try {
    const bytes = base64url.decode(value)
    // Canonical spelling only: re-encoding must give the text back.
    return base64url.encode(bytes) === value ? bytes : undefined
  } catch {
    return undefined
  }
}

/**
 * The `publicKeyMultibase` of a public JWK (a `JsonWebKey` verification method's
 * `publicKeyJwk`), or `undefined` when it is not exactly an Ed25519, P-256 or P-384 public key:
 * a private member (`d`), another `kty` / `crv`, a coordinate of the wrong length, or (x, y)
 * not a point of the curve.
 */
export function multibaseOfPublicJwk(jwk: unknown): string | undefined {
  if (!isPlainObject(jwk) || 'd' in jwk) return undefined
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    const x = decode(jwk.x)
    return x?.length === 32 ? encodePublicKeyMultibase('Ed25519', x) : undefined
  }
  if (jwk.kty === 'EC' && (jwk.crv === 'P-256' || jwk.crv === 'P-384')) {
    const x = decode(jwk.x)
    const y = decode(jwk.y)
    if (x === undefined || y === undefined) return undefined
    const compressed = ecdsaCompressPoint(jwk.crv, x, y)
    return compressed === undefined ? undefined : encodePublicKeyMultibase(jwk.crv, compressed)
  }
  return undefined
}

/** The key type a JWK names, if it is one of the accepted ones. */
export function keyTypeOfJwk(jwk: unknown): MultikeyType | undefined {
  if (!isPlainObject(jwk)) return undefined
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'Ed25519'
  if (jwk.kty === 'EC' && (jwk.crv === 'P-256' || jwk.crv === 'P-384')) return jwk.crv
  return undefined
}
