/**
 * ECDSA issuer keys (P-256, P-384): key pairs in the `@digitalbazaar/ecdsa-multikey` export
 * format (`publicKeyMultibase` `zDna…` / `z82L…`, `secretKeyMultibase` with the multicodec
 * `p256-priv` 0x1306 / `p384-priv` 0x1307 header), imported strictly, and signing with Node's
 * OpenSSL: a raw r‖s signature (IEEE P1363, as vc-di-ecdsa requires) over the data hashed with the
 * curve's hash, in low-S form. Internal to the package: `keys.ts` wraps it in an `IssuerKey`.
 *
 * @module
 */
import { createECDH, createPrivateKey, sign, type KeyObject } from 'node:crypto'
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey'
import { CertifyError, decodePublicKeyMultibase } from '@certify-vc/context'
import { ecdsaPublicKeyProblem, toLowS, type EcdsaCurve } from '@certify-vc/core'

/** OpenSSL's name and the hash of each curve. */
const CURVES: Readonly<
  Record<EcdsaCurve, { openssl: string; hash: 'sha256' | 'sha384'; bytes: number }>
> = {
  'P-256': { openssl: 'prime256v1', hash: 'sha256', bytes: 32 },
  'P-384': { openssl: 'secp384r1', hash: 'sha384', bytes: 48 },
}

function keyInvalid(message: string, cause?: unknown): CertifyError {
  return new CertifyError('ERR_KEY_INVALID', message, cause === undefined ? undefined : { cause })
}

/** A new key pair of `curve`, as Multikey strings. */
export async function generateEcdsaMultikeys(
  curve: EcdsaCurve,
): Promise<{ publicKeyMultibase: string; secretKeyMultibase: string }> {
  const pair = await EcdsaMultikey.generate({ curve })
  const { secretKeyMultibase } = await pair.export({ publicKey: true, secretKey: true })
  if (typeof secretKeyMultibase !== 'string') throw keyInvalid('The new key has no secret key.')
  return { publicKeyMultibase: pair.publicKeyMultibase, secretKeyMultibase }
}

/**
 * Imports an ECDSA key pair given as Multikey strings, strictly: the public key a compressed
 * point on its curve, the secret key of the same curve (the library checks the headers match),
 * canonically encoded (re-encoding gives the input back: header and length), and deriving that
 * public key. Returns the private key, imported once for signing.
 *
 * @throws {CertifyError} `ERR_KEY_INVALID`.
 */
export async function importEcdsaSecret(
  curve: EcdsaCurve,
  publicKeyMultibase: string,
  secretKeyMultibase: string,
): Promise<KeyObject> {
  const { publicKey } = decodePublicKeyMultibase(publicKeyMultibase)
  const pointProblem = ecdsaPublicKeyProblem(curve, publicKey)
  if (pointProblem !== undefined) throw keyInvalid(pointProblem)
  let d: Uint8Array
  try {
    const pair = await EcdsaMultikey.from({
      type: 'Multikey',
      publicKeyMultibase,
      secretKeyMultibase,
    })
    const exported = await pair.export({ publicKey: false, secretKey: true })
    if (exported.secretKeyMultibase !== secretKeyMultibase) {
      throw keyInvalid(
        `"secretKeyMultibase" is not a canonical ${curve} secret key (multicodec ${curve === 'P-256' ? '0x1306' : '0x1307'}).`,
      )
    }
    const raw = await pair.export({ publicKey: false, secretKey: true, raw: true })
    if (!(raw.secretKey instanceof Uint8Array) || raw.secretKey.length !== CURVES[curve].bytes) {
      throw keyInvalid(`"secretKeyMultibase" must hold ${CURVES[curve].bytes} bytes.`)
    }
    d = raw.secretKey
  } catch (error) {
    if (error instanceof CertifyError) throw error
    // The library's messages never contain key material, but keep ours fixed anyway.
    throw keyInvalid(`"secretKeyMultibase" is not a valid ${curve} secret key.`, error)
  }
  let privateKey: KeyObject
  try {
    const ecdh = createECDH(CURVES[curve].openssl)
    ecdh.setPrivateKey(d)
    const derived = new Uint8Array(ecdh.getPublicKey(null, 'compressed'))
    if (derived.length !== publicKey.length || !derived.every((b, i) => b === publicKey[i])) {
      throw keyInvalid('The secret key does not belong to the public key.')
    }
    const point = ecdh.getPublicKey()
    const size = CURVES[curve].bytes
    // Imported once; signing then reuses the KeyObject.
    privateKey = createPrivateKey({
      key: {
        kty: 'EC',
        crv: curve,
        x: point.subarray(1, 1 + size).toString('base64url'),
        y: point.subarray(1 + size).toString('base64url'),
        d: Buffer.from(d).toString('base64url'),
      },
      format: 'jwk',
    })
  } catch (error) {
    if (error instanceof CertifyError) throw error
    throw keyInvalid(`The secret key could not be imported as a ${curve} key.`, error)
  } finally {
    d.fill(0)
  }
  return privateKey
}

/** Signs `data`: ECDSA with the curve's hash, raw r‖s, low S. */
export function ecdsaSign(curve: EcdsaCurve, privateKey: KeyObject, data: Uint8Array): Uint8Array {
  const signature = sign(CURVES[curve].hash, data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
  return toLowS(curve, new Uint8Array(signature))
}
