/**
 * Cryptosuite wiring, in one place for issuer and verifier: the suites certify-vc implements,
 * how a proof names its suite, and signing / proof verification through jsonld-signatures.
 * Which suites a verification accepts is the verifier's profile, not this module's.
 *
 * @module
 */
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import jsigs from 'jsonld-signatures'
import {
  resolveCanonicalizationLimits,
  resolveCanonicalizationPath,
  type CanonicalizationLimits,
  type CanonicalizationPath,
  adoptUnsecuredExpansion,
  type UnsecuredExpansion,
} from './canonicalize/index.js'
import { FastEd25519Signature2020, eddsaCryptosuite } from './eddsa-suites.js'
import { ecdsaRdfcCryptosuite, sdSignCryptosuite, sdVerifyCryptosuite } from './ecdsa-suites.js'
import { createJcsSuite } from './jcs-suite.js'
import {
  CertifyError,
  asArray,
  isPlainObject,
  type DocumentLoader,
  type MultikeyType,
} from '@certify-vc/context'

/** The signature suites certify-vc signs and verifies. Anything else fails closed. */
export type SuiteName =
  | 'eddsa-rdfc-2022'
  | 'Ed25519Signature2020'
  | 'eddsa-jcs-2022'
  | 'ecdsa-rdfc-2019'
  | 'ecdsa-sd-2023'

/** Every suite certify-vc implements (each verification profile allows a subset). */
export const SUITE_NAMES: readonly SuiteName[] = [
  'eddsa-rdfc-2022',
  'Ed25519Signature2020',
  'eddsa-jcs-2022',
  'ecdsa-rdfc-2019',
  'ecdsa-sd-2023',
]

/**
 * The key types each suite signs with: the key step refuses any other (`ERR_KEY_INVALID`), so
 * that a key never reaches a suite of another algorithm.
 */
export const SUITE_KEY_TYPES: Readonly<Record<SuiteName, readonly MultikeyType[]>> = {
  'eddsa-rdfc-2022': ['Ed25519'],
  Ed25519Signature2020: ['Ed25519'],
  'eddsa-jcs-2022': ['Ed25519'],
  'ecdsa-rdfc-2019': ['P-256', 'P-384'],
  'ecdsa-sd-2023': ['P-256'],
}

/**
 * Something that signs bytes with a key whose id is a verification method URL: Ed25519, or
 * ECDSA P-256 / P-384 (a raw r‖s signature over the bytes hashed with SHA-256 / SHA-384).
 */
export interface Signer {
  readonly id: string
  readonly algorithm: MultikeyType
  sign(input: { data: Uint8Array }): Promise<Uint8Array>
}

/** The `DataIntegrityProof` cryptosuites among {@link SUITE_NAMES}. */
const CRYPTOSUITES: ReadonlySet<unknown> = new Set([
  'eddsa-rdfc-2022',
  'eddsa-jcs-2022',
  'ecdsa-rdfc-2019',
  'ecdsa-sd-2023',
])

/**
 * The suite a proof object claims, or `undefined` when it names none that certify-vc implements
 * (`DataIntegrityProof` with another `cryptosuite`, `Ed25519Signature2018`, JWT proofs …).
 */
export function suiteOfProof(proof: unknown): SuiteName | undefined {
  if (!isPlainObject(proof)) return undefined
  if (proof.type === 'DataIntegrityProof' && CRYPTOSUITES.has(proof.cryptosuite)) {
    return proof.cryptosuite as SuiteName
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
  /** The proof's `expires` time, when signing (an XSD dateTimeStamp). Default: none. */
  readonly expires?: string
  /**
   * JSON-LD → RDF implementation: `'fast'` or `'reference'` (jsonld.js and the libraries exactly
   * as published). Default `'fast'`. Both sign and verify byte-identically.
   */
  readonly canonicalization?: CanonicalizationPath
  /**
   * Work factor and time limit of each canonicalization, on both paths (default: work factor 1,
   * 5 s). A breach fails with `ERR_JSONLD_CANONIZE_LIMIT`.
   */
  readonly limits?: CanonicalizationLimits
  /**
   * ecdsa-sd-2023 only, when signing: the JSON Pointers of what every derived credential must
   * disclose (default none). Check them against the document first (`checkDisclosurePointers`).
   */
  readonly mandatoryPointers?: readonly string[]
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
 * Instantiates a suite. eddsa-jcs-2022 signs and verifies JCS (RFC 8785) bytes: it has no
 * canonicalization path or limits (no JSON-LD work is done by the suite). ecdsa-sd-2023 signs
 * base proofs (with `mandatoryPointers`) and verifies derived proofs; derive with
 * `deriveCredential`.
 *
 * @throws {TypeError} for an unknown suite name or `canonicalization` value, a signer whose
 *   algorithm the suite does not sign with, or `mandatoryPointers` on another suite.
 */
export function createSuite(name: SuiteName, options: CreateSuiteOptions = {}): Suite {
  const { signer, date, expires, canonicalization, mandatoryPointers } = options
  if (signer !== undefined && Object.hasOwn(SUITE_KEY_TYPES, name)) {
    const types = SUITE_KEY_TYPES[name]
    if (!types.includes(signer.algorithm)) {
      throw new TypeError(
        `${name} signs with ${types.join(' or ')} keys, not ${String(signer.algorithm)}.`,
      )
    }
  }
  if (mandatoryPointers !== undefined && name !== 'ecdsa-sd-2023') {
    throw new TypeError('"mandatoryPointers" applies to ecdsa-sd-2023 only.')
  }
  // Validated here; `undefined` stays undefined so that the default is read at each call.
  const path =
    canonicalization === undefined ? undefined : resolveCanonicalizationPath(canonicalization)
  const limits = resolveCanonicalizationLimits(options.limits)
  const common = {
    ...(signer === undefined ? {} : { signer }),
    ...(date === undefined ? {} : { date }),
  }
  let suite: Suite
  switch (name) {
    case 'eddsa-rdfc-2022':
      suite = {
        name,
        implementation: new DataIntegrityProof({
          ...common,
          cryptosuite: eddsaCryptosuite(path, limits),
        }),
      }
      break
    case 'Ed25519Signature2020':
      suite = { name, implementation: new FastEd25519Signature2020(common, path, limits) }
      break
    case 'eddsa-jcs-2022':
      suite = createJcsSuite(common)
      break
    case 'ecdsa-rdfc-2019':
      suite = {
        name,
        implementation: new DataIntegrityProof({
          ...common,
          cryptosuite: ecdsaRdfcCryptosuite(path, limits),
        }),
      }
      break
    case 'ecdsa-sd-2023':
      suite = {
        name,
        implementation: new DataIntegrityProof({
          ...common,
          cryptosuite:
            signer === undefined
              ? sdVerifyCryptosuite(path, limits)
              : sdSignCryptosuite(mandatoryPointers ?? [], path, limits),
        }),
      }
      break
    default:
      throw new TypeError(
        `Unknown suite ${JSON.stringify(name)}; allowed: ${SUITE_NAMES.join(', ')}.`,
      )
  }
  if (expires !== undefined) {
    // The suites copy `this.proof` into every proof they create.
    ;(suite.implementation as { proof?: Record<string, unknown> }).proof = { expires }
  }
  return suite
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

/** The jsonld-signatures suite methods called directly for proof sets and chains. */
interface SuiteImplementation {
  proof?: Record<string, unknown>
  matchProof(input: {
    proof: Record<string, unknown>
    document: object
    documentLoader: DocumentLoader
  }): Promise<boolean>
  createProof(input: {
    document: object
    purpose: unknown
    proofSet: readonly unknown[]
    documentLoader: DocumentLoader
  }): Promise<Record<string, unknown>>
  verifyProof(input: {
    proof: Record<string, unknown>
    document: object
    purpose: unknown
    proofSet: readonly unknown[]
    documentLoader: DocumentLoader
  }): Promise<{ verified: boolean; verificationMethod?: unknown; error?: Error }>
}

/** The jsonld-signatures `ProofPurpose` methods called directly. */
interface PurposeImplementation {
  match(
    proof: object,
    options: { document: object; documentLoader: DocumentLoader },
  ): Promise<boolean>
  validate(
    proof: object,
    options: {
      document: object
      suite: object
      verificationMethod: unknown
      documentLoader: DocumentLoader
    },
  ): Promise<{ valid: boolean; error?: Error }>
}

/** jsonld-signatures' loader wrapper (serves the security contexts), as `sign`/`verify` use it. */
function extendContextLoader(loader: DocumentLoader): DocumentLoader {
  const api = jsigs as unknown as { extendContextLoader(loader: DocumentLoader): DocumentLoader }
  return api.extendContextLoader(loader)
}

/** Options of {@link signDocument}. */
export interface SignDocumentOptions {
  readonly suite: Suite
  readonly documentLoader: DocumentLoader
  readonly purpose?: ProofPurposeOption
  /**
   * Adds the new proof to the document's existing ones as a proof chain (W3C Data Integrity
   * §4.3): the proof gets this `previousProof` and signs the document *with* the named proofs.
   * Each id must be the `id` of an existing proof.
   */
  readonly previousProof?: string | readonly string[]
  /** The new proof's `id` (needed for a later proof to name it in `previousProof`). */
  readonly proofId?: string
}

/**
 * Adds a proof to a copy of `document` (jsonld-signatures `sign`, JSON-LD safe mode). Without
 * `previousProof` an existing proof set is kept and the new proof, like every proof of a set,
 * signs the document without the other proofs.
 * Errors from the libraries propagate; callers wrap them in their own codes.
 *
 * @throws {TypeError} for a `previousProof` naming no existing proof.
 */
export async function signDocument<T extends object>(
  document: T,
  options: SignDocumentOptions,
): Promise<T & { proof: unknown }> {
  const purpose = purposeOf(options.purpose ?? { term: 'assertionMethod' })
  const { previousProof, proofId } = options
  if (previousProof === undefined && proofId === undefined) {
    return jsigs.sign(structuredClone(document), {
      suite: options.suite.implementation,
      purpose,
      documentLoader: options.documentLoader,
    })
  }
  const copy = structuredClone(document) as T & { proof?: unknown }
  const { proof: existingValue, ...unsecured } = copy
  const existing = asArray(existingValue)
  const wanted = previousProof === undefined ? [] : asArray<string>(previousProof)
  const matching = wanted.map((id) => {
    const found = existing.find((p) => isPlainObject(p) && p.id === id)
    if (found === undefined)
      throw new TypeError(`No existing proof has the id ${JSON.stringify(id)}.`)
    return found
  })
  const implementation = options.suite.implementation as SuiteImplementation
  const saved = implementation.proof
  implementation.proof = {
    ...saved,
    ...(proofId === undefined ? {} : { id: proofId }),
    ...(previousProof === undefined
      ? {}
      : { previousProof: typeof previousProof === 'string' ? previousProof : [...previousProof] }),
  }
  try {
    const input = matching.length === 0 ? unsecured : { ...unsecured, proof: matching }
    const proof = await implementation.createProof({
      document: input,
      purpose,
      proofSet: existing,
      documentLoader: extendContextLoader(options.documentLoader),
    })
    return { ...unsecured, proof: existing.length === 0 ? proof : [...existing, proof] } as T & {
      proof: unknown
    }
  } finally {
    if (saved === undefined) delete implementation.proof
    else implementation.proof = saved
  }
}

/** One proof's outcome from {@link verifyDocumentProofs}. */
export interface ProofOutcome {
  /** The proof's index in the document's proof list (0 for a single proof object). */
  readonly index: number
  /** The proof object as it appears in the document. */
  readonly proof: Readonly<Record<string, unknown>>
  /** The signature verified and the proof purpose (key relationship, challenge…) held. */
  readonly verified: boolean
  /** The signature itself verified over the document with the resolved key. */
  readonly signatureValid: boolean
  /**
   * Why the signature did not verify (library error, or a `CertifyError` with a code:
   * `ERR_PROOF_CHAIN_DANGLING`, `ERR_PROOF_CHAIN_CYCLE`, `ERR_PROOF_MALFORMED`,
   * `ERR_PROOF_SIGNATURE_MALLEABLE`, `ERR_KEY_INVALID`, `ERR_JSONLD_CANONIZE_LIMIT` …).
   */
  readonly signatureError?: Error
  /** Why the proof purpose did not hold, when the signature verified but the purpose failed. */
  readonly purposeError?: Error
}

/**
 * The `previousProof` structure of a proof list: for each proof, the indices of the proofs it
 * names, or the error that makes it unverifiable (a dangling or ambiguous reference, a cycle).
 */
function proofChains(proofs: readonly Record<string, unknown>[]): {
  previous: (number[] | undefined)[]
  errors: (CertifyError | undefined)[]
} {
  const previous: (number[] | undefined)[] = []
  const errors: (CertifyError | undefined)[] = []
  proofs.forEach((proof, index) => {
    const value = proof.previousProof
    if (value === undefined) {
      previous[index] = []
      return
    }
    const ids = typeof value === 'string' ? [value] : value
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
      errors[index] = new CertifyError(
        'ERR_PROOF_MALFORMED',
        '"previousProof" must be a proof id or a non-empty list of proof ids.',
      )
      return
    }
    const indices: number[] = []
    for (const id of ids) {
      const found = proofs.flatMap((p, i) => (p.id === id ? [i] : []))
      if (found.length === 0) {
        errors[index] = new CertifyError(
          'ERR_PROOF_CHAIN_DANGLING',
          `"previousProof" names ${JSON.stringify(id.slice(0, 200))}, which is not a proof of this document.`,
        )
        return
      }
      if (found.length > 1) {
        errors[index] = new CertifyError(
          'ERR_PROOF_MALFORMED',
          `Several proofs have the id ${JSON.stringify(id.slice(0, 200))}.`,
        )
        return
      }
      indices.push(found[0] as number)
    }
    previous[index] = indices
  })
  // A proof on a cycle (itself included) can never have been created as its chain claims.
  const state: (0 | 1 | 2)[] = proofs.map(() => 0)
  const onCycle = new Set<number>()
  const visit = (node: number, stack: number[]): void => {
    state[node] = 1
    stack.push(node)
    for (const next of previous[node] ?? []) {
      if (state[next] === 1) {
        for (const member of stack.slice(stack.indexOf(next))) onCycle.add(member)
      } else if (state[next] === 0) visit(next, stack)
    }
    stack.pop()
    state[node] = 2
  }
  proofs.forEach((_, i) => {
    if (state[i] === 0) visit(i, [])
  })
  for (const i of onCycle) {
    errors[i] ??= new CertifyError(
      'ERR_PROOF_CHAIN_CYCLE',
      'The "previousProof" references of this proof lead back to itself.',
    )
  }
  return { previous, errors }
}

/**
 * Verifies every proof of `document`, as W3C Data Integrity "verify proof sets and chains"
 * (§4.5) says: a proof without `previousProof` is verified over the document without any proof;
 * a proof with `previousProof` over the document carrying exactly the proofs it names. A
 * dangling reference (`ERR_PROOF_CHAIN_DANGLING`), two proofs with one id, or a cycle
 * (`ERR_PROOF_CHAIN_CYCLE`) makes that proof fail.
 *
 * Reports one outcome for every proof a suite matched with the right purpose; proofs no suite
 * matched get no outcome, so callers must compare against the proofs they see (there is no
 * any-of here: each outcome stands alone). `error` is set when the document has no proof.
 *
 * @see https://www.w3.org/TR/vc-data-integrity/#verify-proof-sets-and-chains
 */
export async function verifyDocumentProofs(
  document: object,
  options: {
    suites: readonly Suite[]
    documentLoader: DocumentLoader
    purpose: ProofPurposeOption
    /**
     * From {@link expandSecuredSafely} on this same document, unchanged since: proofs without
     * `previousProof` then canonicalize the unsecured document from it instead of expanding it
     * again (when the loader still resolves its contexts to the same objects).
     */
    unsecuredExpansion?: UnsecuredExpansion | undefined
  },
): Promise<{ outcomes: ProofOutcome[]; error?: Error }> {
  const documentLoader = extendContextLoader(options.documentLoader)
  const purpose = purposeOf(options.purpose) as unknown as PurposeImplementation
  const { proof: proofValue, ...unsecured } = document as Record<string, unknown>
  if (options.unsecuredExpansion !== undefined) {
    adoptUnsecuredExpansion(unsecured, options.unsecuredExpansion)
  }
  const proofs = asArray(proofValue).filter(isPlainObject)
  if (proofs.length === 0) {
    return { outcomes: [], error: new Error('No proofs found in the document.') }
  }
  const context = unsecured['@context']
  // As jsonld-signatures: each proof is verified with the document's context.
  const proofSet = proofs.map((p) => ({ '@context': context, ...p }))
  const { previous, errors } = proofChains(proofs)
  const suites = options.suites.map((s) => s.implementation as SuiteImplementation)

  const outcomes = await Promise.all(
    proofs.map(async (proof, index): Promise<ProofOutcome | undefined> => {
      const withContext = proofSet[index] as Record<string, unknown>
      if (!(await purpose.match(withContext, { document: unsecured, documentLoader }))) {
        return undefined
      }
      let suite: SuiteImplementation | undefined
      for (const s of suites) {
        if (await s.matchProof({ proof: withContext, document: unsecured, documentLoader })) {
          suite = s
          break
        }
      }
      if (suite === undefined) return undefined
      const chainError = errors[index]
      if (chainError !== undefined) {
        return { index, proof, verified: false, signatureValid: false, signatureError: chainError }
      }
      const named = (previous[index] ?? []).map((i) => proofs[i])
      // Proofs of a set share one document object, so the suite canonicalizes it once.
      const input = named.length === 0 ? unsecured : { ...unsecured, proof: named }
      let verificationMethod: unknown
      const deferred = {
        validate(_proof: unknown, { verificationMethod: vm }: { verificationMethod: unknown }) {
          verificationMethod = vm
          return Promise.resolve({ valid: true })
        },
      }
      let result: { verified: boolean; verificationMethod?: unknown; error?: Error }
      try {
        result = await suite.verifyProof({
          proof: withContext,
          document: input,
          purpose: deferred,
          proofSet,
          documentLoader,
        })
      } catch (error) {
        result = {
          verified: false,
          error: error instanceof Error ? error : new Error(String(error)),
        }
      }
      if (!result.verified) {
        return {
          index,
          proof,
          verified: false,
          signatureValid: false,
          signatureError: result.error ?? new Error('Invalid signature.'),
        }
      }
      let purposeResult: { valid: boolean; error?: Error }
      try {
        purposeResult = await purpose.validate(withContext, {
          document: input,
          suite,
          verificationMethod: verificationMethod ?? result.verificationMethod,
          documentLoader,
        })
      } catch (error) {
        purposeResult = {
          valid: false,
          error: error instanceof Error ? error : new Error(String(error)),
        }
      }
      if (!purposeResult.valid) {
        return {
          index,
          proof,
          verified: false,
          signatureValid: true,
          purposeError: purposeResult.error ?? new Error('proof purpose failed'),
        }
      }
      return { index, proof, verified: true, signatureValid: true }
    }),
  )
  return { outcomes: outcomes.filter((o): o is ProofOutcome => o !== undefined) }
}
