/**
 * The checks every signing function makes on the issuer key it is given.
 *
 * @module
 */
import {
  CertifyError,
  MULTIKEY_TYPES,
  isDid,
  isPlainObject,
  type MultikeyType,
} from '@certify-vc/context'
import type { Signer } from '@certify-vc/core'
import type { IssuerKey } from './keys.js'

/**
 * Checks that `value` looks like an {@link IssuerKey} (internal: not re-exported).
 *
 * @throws {TypeError} otherwise.
 */
export function checkKey(value: unknown): IssuerKey {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError('"key" must be an IssuerKey (generateIssuerKey, loadIssuerKey …).')
  }
  const key = value as Partial<Record<keyof IssuerKey, unknown>>
  if (typeof key.did !== 'string' || !isDid(key.did)) {
    throw new TypeError('"key.did" must be a DID.')
  }
  if (
    typeof key.verificationMethodId !== 'string' ||
    !key.verificationMethodId.startsWith(`${key.did}#`)
  ) {
    throw new TypeError('"key.verificationMethodId" must be a DID URL of "key.did".')
  }
  if (typeof key.signer !== 'function') throw new TypeError('"key.signer" must be a function.')
  if (key.keyType !== undefined && !(MULTIKEY_TYPES as readonly unknown[]).includes(key.keyType)) {
    throw new TypeError(`"key.keyType" must be one of ${MULTIKEY_TYPES.join(', ')}.`)
  }
  return value as IssuerKey
}

/** The key's type: `keyType`, or Ed25519 for a caller's implementation without one. */
export function keyTypeOf(key: IssuerKey): MultikeyType {
  return key.keyType ?? 'Ed25519'
}

/** The key's signer, checked, with signing failures tagged `ERR_KEY_INVALID`. */
export function signerOf(key: IssuerKey): Signer {
  const keyType = keyTypeOf(key)
  const signer: unknown = key.signer()
  if (
    !isPlainObject(signer) ||
    signer.id !== key.verificationMethodId ||
    signer.algorithm !== keyType ||
    typeof signer.sign !== 'function'
  ) {
    throw new TypeError(
      '"key.signer()" must return { id: key.verificationMethodId, algorithm: key.keyType, sign }.',
    )
  }
  const sign = signer.sign as Signer['sign']
  return {
    id: key.verificationMethodId,
    algorithm: keyType,
    async sign(input) {
      try {
        return await sign.call(signer, input)
      } catch (error) {
        throw new CertifyError('ERR_KEY_INVALID', 'The issuer key failed to sign.', {
          cause: error,
        })
      }
    },
  }
}
