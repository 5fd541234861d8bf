/**
 * The W3C vc-jose-cose suite's key files (a verification method with `publicKeyJwk` and
 * `secretKeyJwk`), as Node keys, and the controller document certify-vc's key step resolves them
 * from: the suite's issuers are URLs (`https://example.issuer/vc-jose-cose`), not DIDs.
 *
 * @module
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import type { DidResolver } from '@certify-vc/core'

/** A key file of the suite. */
export interface SuiteKey {
  readonly id: string
  readonly controller: string
  readonly alg: 'EdDSA' | 'ES256' | 'ES384' | 'ES512'
  /** The JWK `kid` (its thumbprint): what the suite's tokens name. */
  readonly kid: string
  readonly publicJwk: Record<string, unknown>
  readonly privateKey: KeyObject | undefined
  readonly publicKey: KeyObject
}

const ALGS: Readonly<Record<string, SuiteKey['alg']>> = {
  Ed25519: 'EdDSA',
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
}
const HASHES = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' } as const

/** Reads a key file's JSON. @throws {TypeError} when it is not one. */
export function readSuiteKey(value: unknown): SuiteKey {
  const v = value as {
    id?: unknown
    controller?: unknown
    publicKeyJwk?: Record<string, unknown>
    secretKeyJwk?: Record<string, unknown>
  }
  const jwk = v.publicKeyJwk
  const alg = ALGS[String(jwk?.crv)]
  if (typeof v.id !== 'string' || typeof v.controller !== 'string' || !jwk || !alg) {
    throw new TypeError('The key file is not a JsonWebKey verification method.')
  }
  const { d: _d, ...publicJwk } = jwk
  void _d
  return {
    id: v.id,
    controller: v.controller,
    alg,
    kid: typeof jwk.kid === 'string' ? jwk.kid : '',
    publicJwk,
    privateKey:
      v.secretKeyJwk === undefined
        ? undefined
        : createPrivateKey({ key: v.secretKeyJwk as never, format: 'jwk' }),
    publicKey: createPublicKey({ key: publicJwk as never, format: 'jwk' }),
  }
}

/** Signs `data` with the key's algorithm (ECDSA: raw r‖s, as JOSE and COSE want). */
export function signWith(key: SuiteKey, data: Uint8Array): Uint8Array {
  if (key.privateKey === undefined) throw new TypeError('The key file has no secret key.')
  return key.alg === 'EdDSA'
    ? sign(null, data, key.privateKey)
    : sign(HASHES[key.alg], data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
}

/** Verifies `signature` over `data` with the key's algorithm. */
export function verifyWith(key: SuiteKey, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return key.alg === 'EdDSA'
      ? verify(null, data, key.publicKey, signature)
      : verify(HASHES[key.alg], data, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, signature)
  } catch {
    return false
  }
}

/**
 * A resolver that knows only the key file's controller: its controller document lists the key
 * (by its own id, and by the JWK thumbprint the suite's tokens use as `kid`) under
 * `assertionMethod` and `authentication`, so certify-vc's key step checks it as any other key.
 */
export function controllerResolver(key: SuiteKey): DidResolver {
  const byThumbprint = `${key.controller}#${key.kid}`
  const methods = [key.id, byThumbprint].map((id) => ({
    id,
    type: 'JsonWebKey',
    controller: key.controller,
    publicKeyJwk: key.publicJwk,
  }))
  const ids = methods.map((m) => m.id)
  const document = {
    id: key.controller,
    verificationMethod: methods,
    assertionMethod: ids,
    authentication: ids,
  }
  return {
    resolve(did: string) {
      return Promise.resolve(
        did === key.controller
          ? { didDocument: structuredClone(document), didResolutionMetadata: {} }
          : { didDocument: null, didResolutionMetadata: { error: 'notFound' } },
      )
    },
  }
}
