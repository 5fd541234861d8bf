/**
 * The key check of the key step, for every key type: a `publicKeyMultibase` is decoded strictly
 * (`decodePublicKeyMultibase`: base58btc, known multicodec header, exact length, canonical
 * spelling) and its bytes must be a usable key of that type (Ed25519: canonical, on the curve,
 * not of small order; P-256 / P-384: a compressed point on the curve).
 *
 * @module
 */
import { decodePublicKeyMultibase, findCertifyError, type MultikeyType } from '@certify-vc/context'
import { ecdsaPublicKeyProblem } from './ecdsa.js'
import { ed25519PublicKeyProblem } from './ed25519.js'

/** What {@link multikeyProblem} found: the key's type when it decoded, and its problem if any. */
export interface MultikeyVerdict {
  readonly type?: MultikeyType
  readonly problem?: string
}

const MAX_REMEMBERED = 1024
const verdicts = new Map<string, MultikeyVerdict>()

/**
 * The type of a `publicKeyMultibase` and why it is not an acceptable key, if it is not. Verdicts
 * are remembered per string (bounded): the hot path pays one lookup.
 *
 * @example
 * multikeyProblem('zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP') // { type: 'P-256' }
 */
export function multikeyProblem(publicKeyMultibase: string): MultikeyVerdict {
  const known = verdicts.get(publicKeyMultibase)
  if (known !== undefined) return known
  let verdict: MultikeyVerdict
  try {
    const { type, publicKey } = decodePublicKeyMultibase(publicKeyMultibase)
    const problem =
      type === 'Ed25519'
        ? ed25519PublicKeyProblem(publicKey)
        : ecdsaPublicKeyProblem(type, publicKey)
    verdict = problem === undefined ? { type } : { type, problem }
  } catch (error) {
    verdict = { problem: findCertifyError(error)?.message ?? 'The public key cannot be decoded.' }
  }
  if (verdicts.size >= MAX_REMEMBERED) verdicts.clear()
  verdicts.set(publicKeyMultibase, verdict)
  return verdict
}
