/**
 * Selective disclosure with ecdsa-sd-2023, the holder's side: from a credential carrying the
 * issuer's base proof, derive a credential that reveals the issuer's mandatory statements and
 * the members the holder selects, with a disclosure proof a verifier checks. The issuer's side
 * is `createSuite('ecdsa-sd-2023', { signer, mandatoryPointers })`; the verifier's is
 * `createSuite('ecdsa-sd-2023')` (derived proofs only).
 *
 * @see https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-sd-2023
 * @module
 */
import jsigs from 'jsonld-signatures'
import { CertifyError, asArray, isPlainObject, type DocumentLoader } from '@certify-vc/context'
import { sdDeriveSuite, sdProofKind } from './ecdsa-suites.js'
import { checkDisclosurePointers } from './json-pointer.js'

/** Options of {@link deriveCredential}. */
export interface DeriveCredentialOptions {
  /**
   * JSON Pointers of the members to reveal besides the issuer's mandatory ones (each must name a
   * member of the credential). Empty: only the mandatory members.
   */
  readonly selectivePointers: readonly string[]
  /** Document loader (offline): the credential's contexts and its issuer's key. */
  readonly documentLoader: DocumentLoader
}

/**
 * Whether `credential` carries exactly one proof, an ecdsa-sd-2023 base proof (what an issuer
 * hands the holder, to derive from).
 */
export function hasSdBaseProof(credential: unknown): boolean {
  if (!isPlainObject(credential)) return false
  const proofs = asArray(credential.proof)
  const [proof] = proofs
  return (
    proofs.length === 1 &&
    isPlainObject(proof) &&
    proof.type === 'DataIntegrityProof' &&
    proof.cryptosuite === 'ecdsa-sd-2023' &&
    sdProofKind(proof.proofValue) === 'base'
  )
}

/**
 * Derives a selectively disclosed credential from one with an ecdsa-sd-2023 base proof: the
 * result holds the issuer's mandatory members, the members `selectivePointers` name (with the
 * `id` and `type` of every object on their way), and a derived proof. The input is not changed.
 *
 * The base proof is not verified here: a derived proof made from an altered credential does not
 * verify, so the holder checks the result with the verifier.
 *
 * @example
 * const shown = await deriveCredential(held, {
 *   selectivePointers: ['/credentialSubject/name'],
 *   documentLoader,
 * })
 *
 * @throws {TypeError} for bad options or a credential without exactly one ecdsa-sd-2023 base
 *   proof.
 * @throws {CertifyError} `ERR_DISCLOSURE_POINTER_INVALID` for a pointer that is malformed or names
 *   nothing; `ERR_PROOF_INVALID` when the library cannot derive (a malformed base proof).
 */
export async function deriveCredential(
  credential: Readonly<Record<string, unknown>>,
  options: DeriveCredentialOptions,
): Promise<Record<string, unknown>> {
  if (!isPlainObject(credential)) throw new TypeError('"credential" must be an object.')
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  const { selectivePointers, documentLoader } = options
  if (typeof documentLoader !== 'function') {
    throw new TypeError('"documentLoader" must be a function.')
  }
  if (!hasSdBaseProof(credential)) {
    throw new TypeError('The credential must carry exactly one ecdsa-sd-2023 base proof.')
  }
  checkDisclosurePointers(credential, selectivePointers, 'selectivePointers')
  const api = jsigs as unknown as { extendContextLoader(loader: DocumentLoader): DocumentLoader }
  try {
    return await jsigs.derive(structuredClone(credential), {
      suite: sdDeriveSuite(selectivePointers),
      purpose: new jsigs.purposes.AssertionProofPurpose(),
      documentLoader: api.extendContextLoader(documentLoader),
    })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new CertifyError('ERR_PROOF_INVALID', `Cannot derive a disclosure proof: ${message}`, {
      cause: error,
    })
  }
}
