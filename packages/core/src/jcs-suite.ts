/**
 * eddsa-jcs-2022 (W3C VC Data Integrity EdDSA Cryptosuites §3.3): Ed25519 over the JCS
 * (RFC 8785) serialization of the document and the proof options, as
 * `@digitalbazaar/eddsa-jcs-2022-cryptosuite` implements it, with the same strict key and
 * signature checks as the other suites.
 *
 * Instantiated through `createSuite('eddsa-jcs-2022')`; which verifications accept it is the
 * verifier's profile.
 *
 * Two deliberate differences from the library on verification:
 * - the document's `@context` must equal the proof's `@context` exactly. The specification
 *   only asks that the document's contexts *start with* the proof's, which lets anyone append
 *   contexts (and so change what the terms mean) to a signed document without breaking the
 *   signature;
 * - the library sets `document['@context']` in place; here it gets a copy, because the proofs of
 *   a set share one document object ({@link verifyDocumentProofs}).
 *
 * @see https://www.w3.org/TR/vc-di-eddsa/#eddsa-jcs-2022
 * @module
 */
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import {
  createSignCryptosuite,
  createVerifyCryptosuite,
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite'
import {
  assertCanonicalEd25519Signature,
  assertUsableEd25519Key,
  cachedVerifier,
} from './eddsa-suites.js'
import type { Signer, Suite } from './suites.js'
import { CertifyError } from '@certify-vc/context'

/** Options of {@link createJcsSuite}. */
export interface CreateJcsSuiteOptions {
  /** Required for signing. */
  readonly signer?: Signer
  /** The proof's `created` time (defaults to now when signing). */
  readonly date?: Date | string
}

/** Deep equality of two JSON `@context` values (the same JCS serialization). */
async function sameContext(
  canonize: (input: unknown) => Promise<string>,
  a: unknown,
  b: unknown,
): Promise<boolean> {
  return (await canonize([a ?? null])) === (await canonize([b ?? null]))
}

function verifyCryptosuite(): object {
  const library = createVerifyCryptosuite()
  return {
    name: library.name,
    requiredAlgorithm: library.requiredAlgorithm,
    canonize: (input: unknown) => library.canonize(input),
    async createVerifier(input: { verificationMethod: Record<string, unknown> }) {
      assertUsableEd25519Key(input.verificationMethod)
      const verifier = await cachedVerifier(input.verificationMethod)
      return {
        ...(verifier.id === undefined ? {} : { id: verifier.id }),
        algorithm: verifier.algorithm,
        verify(data: { data: Uint8Array; signature: Uint8Array }) {
          assertCanonicalEd25519Signature(data.signature)
          return verifier.verify(data)
        },
      }
    },
    async createVerifyData(input: {
      cryptosuite: { readonly name: string; canonize(input: unknown): Promise<string> }
      document: Record<string, unknown>
      proof: Record<string, unknown>
      [option: string]: unknown
    }) {
      // verifyDocumentProofs gives every proof without "@context" the document's, as
      // jsonld-signatures does for the other suites; so a proof made without one does not verify.
      const { document, proof } = input
      if (
        !(await sameContext((v) => library.canonize(v), proof['@context'], document['@context']))
      ) {
        throw new CertifyError(
          'ERR_PROOF_INVALID',
          'The document\'s "@context" is not the one the eddsa-jcs-2022 proof signed.',
        )
      }
      return library.createVerifyData({ ...input, document: { ...document } })
    },
  }
}

/** Instantiates eddsa-jcs-2022 (`createSuite('eddsa-jcs-2022')` calls this). */
export function createJcsSuite(options: CreateJcsSuiteOptions = {}): Suite {
  const { signer, date } = options
  const cryptosuite = signer === undefined ? verifyCryptosuite() : createSignCryptosuite()
  return {
    name: 'eddsa-jcs-2022',
    implementation: new DataIntegrityProof({
      ...(signer === undefined ? {} : { signer }),
      ...(date === undefined ? {} : { date }),
      cryptosuite,
    }),
  }
}
