/**
 * The one path from inspected proofs to a verdict on each: every proof's key goes through the
 * key step (`resolveProofKey`: DID → verification method → relationship → key), the caller's
 * rule on who may sign, then every signature is verified with exactly the keys resolved (no
 * any-of: each proof stands alone) and every library failure is mapped to a code the same way.
 * Used by credential proofs, presentation proofs and status-list proofs.
 *
 * @module
 */
import {
  CONTEXT_URLS,
  createDocumentLoader,
  findCertifyError,
  pointer,
  problem,
  type DocumentLoader,
  type ErrorCode,
  type Problem,
} from '@certify-vc/context'
import {
  SUITE_KEY_TYPES,
  createSuite,
  resolveProofKey,
  toJsonLdError,
  verifyDocumentProofs,
  type CanonicalizationPath,
  type DidDocumentCache,
  type DidResolver,
  type ProofRelationship,
  type ResolvedKey,
  type ResolvedVerificationMethod,
  type UnsecuredExpansion,
} from '@certify-vc/core'
import type { InspectedProof } from './inspect-proofs.js'

/** A proof with the key its verification method resolved to. */
export interface KeyedProof extends InspectedProof {
  /** The verification method, when it was found (also when it is not authorized). */
  readonly key?: ResolvedVerificationMethod
}

/** Options of {@link verifyProofSet}. */
export interface VerifyProofSetOptions {
  readonly relationship: ProofRelationship
  readonly didResolver: DidResolver
  readonly documentLoader: DocumentLoader
  readonly limits: { readonly maxWorkFactor: number; readonly canonicalizationTimeoutMs: number }
  /** The JSON-LD → RDF implementation (`'fast'` unless the caller chose the reference). */
  readonly canonicalization?: CanonicalizationPath
  /**
   * Who may sign. `beforeResolving`: a problem when this proof's DID must not even be resolved
   * (its signature is then not checked); `afterResolving`: a problem when the key that was
   * found is not acceptable, reported instead of a missing relationship.
   */
  readonly signer?: {
    beforeResolving?(proof: InspectedProof): Problem | undefined
    afterResolving?(proof: InspectedProof, vm: ResolvedVerificationMethod): Problem | undefined
  }
  /** For authentication proofs: the challenge the signature covers (compared by the caller). */
  readonly challenge?: string
  /** From the contexts check of this same document: canonicalize without expanding again. */
  readonly unsecuredExpansion?: UnsecuredExpansion | undefined
}

/** The outcome of {@link verifyProofSet}. */
export interface ProofSetOutcome {
  /** Key problems: unresolvable, invalid, not authorized, or a signer the caller refuses. */
  readonly keyProblems: readonly Problem[]
  /**
   * Signature problems, or `undefined` when the signatures were not checked because a key could
   * not be resolved (a key that cannot be resolved cannot be used to check a signature).
   */
  readonly signatureProblems: readonly Problem[] | undefined
  /** Every inspected proof, with its key when one was found. */
  readonly proofs: readonly KeyedProof[]
}

/** Where in a proof a problem reported by a library error points. */
const PROOF_ERROR_FIELDS: Partial<Record<ErrorCode, string>> = {
  ERR_PROOF_INVALID: 'proofValue',
  ERR_PROOF_CHAIN_DANGLING: 'previousProof',
  ERR_PROOF_CHAIN_CYCLE: 'previousProof',
  ERR_PROOF_MALFORMED: 'previousProof',
  ERR_PROOF_SIGNATURE_MALLEABLE: 'proofValue',
  ERR_PROOF_BASE_NOT_DERIVED: 'proofValue',
  ERR_KEY_INVALID: 'verificationMethod',
}

/** The `path` a suite gives a malformed-signature error: the proof's `proofValue`. */
const PROOF_VALUE_POINTER = '/proofValue'

/** The problem of a proof whose signature did not verify, from the library's error. */
function signatureProblem(error: Error | undefined, path: string): Problem {
  const coded = findCertifyError(error)
  if (coded !== undefined && coded.code !== 'ERR_DOCUMENT_NOT_FOUND') {
    // A suite's own proof-format errors name the proof member they are about.
    if (coded.code === 'ERR_PROOF_MALFORMED' && coded.path === PROOF_VALUE_POINTER) {
      return problem(coded.code, coded.message, path + coded.path)
    }
    const field = PROOF_ERROR_FIELDS[coded.code]
    return problem(coded.code, coded.message, field === undefined ? path : `${path}/${field}`)
  }
  // A JSON-LD safe-mode failure (a proof term no context defines) keeps its own code.
  const safeMode = (error as { details?: { event?: unknown } } | undefined)?.details?.event
  if (safeMode !== undefined) {
    const e = toJsonLdError(error)
    return problem(e.code, e.message, path)
  }
  const why = (error?.message ?? 'invalid signature').replace(/\.+$/, '')
  return problem(
    'ERR_PROOF_INVALID',
    `The signature does not verify: ${why}.`,
    path + '/proofValue',
  )
}

/**
 * Resolves every proof's key and verifies every signature of `document`. Never throws.
 */
export async function verifyProofSet(
  document: Readonly<Record<string, unknown>>,
  proofs: readonly InspectedProof[],
  options: VerifyProofSetOptions,
): Promise<ProofSetOutcome> {
  const keyProblems: Problem[] = []
  const keyed: KeyedProof[] = []
  const resolved = new Map<string, ResolvedKey>()
  const cache: DidDocumentCache = new Map()
  let unresolved = false
  for (const p of proofs) {
    const at = p.path + '/verificationMethod'
    const refused = options.signer?.beforeResolving?.(p)
    if (refused !== undefined) {
      keyProblems.push(refused)
      keyed.push(p)
      unresolved = true
      continue
    }
    const r = await resolveProofKey(p.verificationMethod, {
      didResolver: options.didResolver,
      relationship: options.relationship,
      path: at,
      cache,
      // The key must be of a type the proof's suite signs with (an Ed25519 key never reaches
      // an ECDSA suite, nor the reverse).
      keyTypes: SUITE_KEY_TYPES[p.suite],
    })
    const key = r.key
    if (key === undefined) {
      if (!r.ok) keyProblems.push(r.problem)
      keyed.push(p)
      unresolved = true
      continue
    }
    const vm = key.verificationMethod
    keyed.push({ ...p, key: vm })
    resolved.set(p.verificationMethod, key)
    const signer = options.signer?.afterResolving?.(p, vm)
    if (signer !== undefined) keyProblems.push(signer)
    else if (!r.ok) keyProblems.push(r.problem)
  }
  if (unresolved) return { keyProblems, signatureProblems: undefined, proofs: keyed }

  // Signatures: verify with exactly the keys resolved above, and the pinned contexts.
  const documents = new Map<string, unknown>()
  for (const [vmId, { did, didDocument, verificationMethod }] of resolved) {
    const { id, type, controller, publicKeyMultibase } = verificationMethod
    documents.set(did, didDocument)
    documents.set(vmId, {
      '@context': CONTEXT_URLS.multikeyV1,
      id,
      type,
      controller,
      publicKeyMultibase,
    })
  }
  const keyLoader = createDocumentLoader({
    documents,
    resolveDidKey: false,
    fallback: options.documentLoader,
  })
  const limits = {
    maxWorkFactor: options.limits.maxWorkFactor,
    timeoutMs: options.limits.canonicalizationTimeoutMs,
  }
  let outcomes: Awaited<ReturnType<typeof verifyDocumentProofs>>['outcomes']
  try {
    ;({ outcomes } = await verifyDocumentProofs(document, {
      suites: [...new Set(proofs.map((p) => p.suite))].map((name) =>
        createSuite(name, {
          limits,
          ...(options.canonicalization === undefined
            ? {}
            : { canonicalization: options.canonicalization }),
        }),
      ),
      documentLoader: keyLoader,
      // The signature covers challenge and domain; their values are the caller's checks.
      purpose:
        options.relationship === 'authentication'
          ? { term: 'authentication', challenge: options.challenge ?? '' }
          : { term: 'assertionMethod' },
      unsecuredExpansion: options.unsecuredExpansion,
    }))
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return {
      keyProblems,
      signatureProblems: [
        problem(
          findCertifyError(error)?.code ?? 'ERR_PROOF_INVALID',
          `Proof verification failed: ${why}`,
          pointer('proof'),
        ),
      ],
      proofs: keyed,
    }
  }
  // Every proof must verify: one outcome per proof, matched by its index.
  const byIndex = new Map(outcomes.map((o) => [o.index, o]))
  const signatureProblems: Problem[] = []
  for (const p of proofs) {
    const outcome = byIndex.get(p.index)
    if (outcome === undefined) {
      signatureProblems.push(
        problem('ERR_PROOF_INVALID', 'No suite could verify this proof.', p.path),
      )
    } else if (!outcome.signatureValid) {
      signatureProblems.push(signatureProblem(outcome.signatureError, p.path))
    }
  }
  return { keyProblems, signatureProblems, proofs: keyed }
}
