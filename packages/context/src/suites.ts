/**
 * Cryptosuite wiring, in one place for issuer and verifier: the allow-listed suites, how a proof
 * names its suite, and signing / proof verification through jsonld-signatures.
 *
 * @module
 */
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020'
import jsigs from 'jsonld-signatures'
import type { DocumentLoader } from './document-loader.js'
import { resolveCanonicalizationPath, type CanonicalizationPath } from './fast-canonize.js'
import { FastEd25519Signature2020, eddsaCryptosuite } from './fast-suites.js'
import { isPlainObject } from './json.js'

/** The signature suites certify-vc signs and verifies. Anything else fails closed. */
export type SuiteName = 'eddsa-rdfc-2022' | 'Ed25519Signature2020'

/** Every allow-listed suite. */
export const SUITE_NAMES: readonly SuiteName[] = ['eddsa-rdfc-2022', 'Ed25519Signature2020']

/** Something that signs bytes with an Ed25519 key whose id is a verification method URL. */
export interface Signer {
  readonly id: string
  readonly algorithm: 'Ed25519'
  sign(input: { data: Uint8Array }): Promise<Uint8Array>
}

/**
 * The suite a proof object claims, or `undefined` when it names none of the allow-listed ones
 * (`DataIntegrityProof` with another `cryptosuite`, `Ed25519Signature2018`, JWT proofs …).
 */
export function suiteOfProof(proof: unknown): SuiteName | undefined {
  if (!isPlainObject(proof)) return undefined
  if (proof.type === 'DataIntegrityProof' && proof.cryptosuite === 'eddsa-rdfc-2022') {
    return 'eddsa-rdfc-2022'
  }
  if (proof.type === 'Ed25519Signature2020' && proof.cryptosuite === undefined) {
    return 'Ed25519Signature2020'
  }
  return undefined
}

/** Options of {@link createSuite}. */
export interface CreateSuiteOptions {
  /** Required for signing. */
  readonly signer?: Signer
  /** The proof's `created` time (defaults to now when signing). */
  readonly date?: Date | string
  /**
   * JSON-LD → RDF implementation: `'fast'` or `'reference'` (jsonld.js and the libraries exactly
   * as published). Default: the process-wide default ({@link setCanonicalizationDefault}), read at
   * each call. Both sign and verify byte-identically.
   */
  readonly canonicalization?: CanonicalizationPath
}

/**
 * An instantiated suite, opaque to callers: pass it to {@link signDocument} or
 * {@link verifyDocumentProofs}.
 */
export interface Suite {
  readonly name: SuiteName
  /** @internal the jsonld-signatures suite object. */
  readonly implementation: object
}

/**
 * Instantiates an allow-listed suite.
 *
 * @throws {TypeError} for an unknown suite name or `canonicalization` value.
 */
export function createSuite(name: SuiteName, options: CreateSuiteOptions = {}): Suite {
  const { signer, date, canonicalization } = options
  // Validated here; `undefined` stays undefined so that the default is read at each call.
  const path =
    canonicalization === undefined ? undefined : resolveCanonicalizationPath(canonicalization)
  const common = {
    ...(signer === undefined ? {} : { signer }),
    ...(date === undefined ? {} : { date }),
  }
  switch (name) {
    case 'eddsa-rdfc-2022':
      return {
        name,
        implementation: new DataIntegrityProof({ ...common, cryptosuite: eddsaCryptosuite(path) }),
      }
    case 'Ed25519Signature2020':
      return {
        name,
        implementation:
          path === 'reference'
            ? new Ed25519Signature2020(common)
            : new FastEd25519Signature2020(common, path),
      }
    default:
      throw new TypeError(
        `Unknown suite ${JSON.stringify(name)}; allowed: ${SUITE_NAMES.join(', ')}.`,
      )
  }
}

/** The proof purpose to sign for or verify against. */
export type ProofPurposeOption =
  | { readonly term: 'assertionMethod' }
  | { readonly term: 'authentication'; readonly challenge: string; readonly domain?: string }

function purposeOf(option: ProofPurposeOption) {
  return option.term === 'assertionMethod'
    ? new jsigs.purposes.AssertionProofPurpose()
    : new jsigs.purposes.AuthenticationProofPurpose({
        challenge: option.challenge,
        ...(option.domain === undefined ? {} : { domain: option.domain }),
      })
}

/**
 * Adds a proof to a copy of `document` (jsonld-signatures `sign`, JSON-LD safe mode).
 * Errors from the libraries propagate; callers wrap them in their own codes.
 */
export async function signDocument<T extends object>(
  document: T,
  options: { suite: Suite; documentLoader: DocumentLoader; purpose?: ProofPurposeOption },
): Promise<T & { proof: unknown }> {
  const purpose = purposeOf(options.purpose ?? { term: 'assertionMethod' })
  return jsigs.sign(structuredClone(document), {
    suite: options.suite.implementation,
    purpose,
    documentLoader: options.documentLoader,
  })
}

/** One proof's outcome from {@link verifyDocumentProofs}. */
export interface ProofOutcome {
  /** The proof object as it appears in the document. */
  readonly proof: Readonly<Record<string, unknown>>
  /** The signature verified and the proof purpose (key relationship, challenge…) held. */
  readonly verified: boolean
  /** The signature itself verified over the document with the resolved key. */
  readonly signatureValid: boolean
  /** Why the signature did not verify (library error), when it did not. */
  readonly signatureError?: Error
  /** Why the proof purpose did not hold, when the signature verified but the purpose failed. */
  readonly purposeError?: Error
}

/**
 * Verifies the proofs of `document` with the given suites and purpose, and reports one outcome
 * for every proof the suites matched. Proofs no suite matched get no outcome: callers must
 * compare against the proofs they see (jsonld-signatures accepts if *any* proof verifies).
 */
export async function verifyDocumentProofs(
  document: object,
  options: {
    suites: readonly Suite[]
    documentLoader: DocumentLoader
    purpose: ProofPurposeOption
  },
): Promise<{ outcomes: ProofOutcome[]; error?: Error }> {
  const result = await jsigs.verify(document, {
    suite: options.suites.map((s) => s.implementation),
    purpose: purposeOf(options.purpose),
    documentLoader: options.documentLoader,
  })
  const outcomes = (result.results ?? []).map((r): ProofOutcome => {
    // jsonld-signatures validates the purpose only after the signature verified.
    const purposeFailed = r.purposeResult !== undefined && !r.purposeResult.valid
    const signatureValid = r.verified || purposeFailed
    return {
      proof: r.proof,
      verified: r.verified,
      signatureValid,
      ...(!signatureValid && r.error !== undefined ? { signatureError: r.error } : {}),
      ...(purposeFailed
        ? { purposeError: r.purposeResult?.error ?? r.error ?? new Error('proof purpose failed') }
        : {}),
    }
  })
  return { outcomes, ...(result.error === undefined ? {} : { error: result.error }) }
}
