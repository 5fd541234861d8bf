/**
 * The presentation's proofs: well formed, by an allow-listed suite, made for `authentication`,
 * by a key listed under its DID's `authentication` (an assertion-only key cannot present,
 * ATTACKS F6), and every signature verifies over the whole presentation (no any-of).
 *
 * Challenge and domain are compared by the caller (`verify-presentation.ts`) from the signed
 * proof, so that each failure has its own code; the signature is checked here with the proof's own
 * values, which the signature covers.
 *
 * @see https://www.w3.org/TR/vc-data-integrity/#verify-proof
 * @module
 */
import {
  CONTEXT_URLS,
  asArray,
  createDocumentLoader,
  findCertifyError,
  isPlainObject,
  parseDateTimeStamp,
  pointer,
  problem,
  type DocumentLoader,
  type Problem,
} from '@certify-vc/context'
import {
  createSuite,
  ed25519SignatureProblem,
  verifyDocumentProofs,
  type SuiteName,
} from '@certify-vc/core'
import {
  findVerificationMethod,
  hasRelationship,
  type ResolvedVerificationMethod,
} from '../did-resolution.js'
import { checkProofShape, decodeProofSignature, proofPath } from '../checks/proof.js'
import type { DidResolver } from '../types.js'

/** Most proofs looked at on one presentation. */
export const MAX_PRESENTATION_PROOFS = 4

/** A proof that passed the shape checks. */
export interface PresentationProofEntry {
  readonly path: string
  readonly proof: Readonly<Record<string, unknown>>
  readonly suite: SuiteName
  readonly verificationMethod: string
  /** The DID part of the verification method. */
  readonly did: string
  /** The resolved verification method, when it resolved. */
  readonly resolved?: ResolvedVerificationMethod
}

/** The outcome of {@link checkPresentationProofs}. */
export interface PresentationProofOutcome {
  readonly problems: readonly Problem[]
  /** Well-formed proofs (all of them when `problems` is empty). */
  readonly proofs: readonly PresentationProofEntry[]
}

function inspect(
  raw: unknown,
  suites: readonly SuiteName[],
  latestCreated: number,
  maxProofs: number,
): { proofs: Omit<PresentationProofEntry, 'resolved'>[]; problems: Problem[] } {
  const problems: Problem[] = []
  const proofs: Omit<PresentationProofEntry, 'resolved'>[] = []
  const list = asArray(raw)
  const single = !Array.isArray(raw)
  if (list.length === 0) {
    problems.push(
      problem('ERR_PROOF_MALFORMED', 'The presentation has an empty proof set.', pointer('proof')),
    )
    return { proofs, problems }
  }
  const cap = Math.min(maxProofs, MAX_PRESENTATION_PROOFS)
  if (list.length > cap) {
    problems.push(
      problem(
        'ERR_PROOF_TOO_MANY',
        `The presentation has ${list.length} proofs; the limit is ${cap}.`,
        pointer('proof'),
      ),
    )
    return { proofs, problems }
  }
  list.forEach((entry: unknown, index) => {
    const at = (key?: string) => proofPath(single, index, key)
    const shape = checkProofShape(entry, suites, at)
    if (!shape.ok) {
      problems.push(shape.problem)
      return
    }
    const { proof: p, suite, verificationMethod, proofPurpose } = shape
    if (proofPurpose !== 'authentication') {
      problems.push(
        problem(
          'ERR_PRESENTATION_PURPOSE',
          `The proof purpose is "${proofPurpose}"; a presentation must be signed for "authentication".`,
          at('proofPurpose'),
        ),
      )
      return
    }
    if (p.created !== undefined) {
      // ATTACKS C4: a proof dated in the future is refused (its challenge covers freshness).
      const created = parseDateTimeStamp(p.created)
      if (created === undefined || created.getTime() > latestCreated) {
        problems.push(
          problem(
            'ERR_PROOF_CREATED_INVALID',
            created === undefined
              ? 'The proof "created" is not an XML Schema dateTime with a time zone.'
              : `The presentation proof was created in the future (${created.toISOString()}).`,
            at('created'),
          ),
        )
        return
      }
    }
    const signature = decodeProofSignature(p.proofValue, at('proofValue'))
    if (!(signature instanceof Uint8Array)) {
      problems.push(signature)
      return
    }
    // As for credentials: refused before any library, so every environment agrees.
    const malleable = ed25519SignatureProblem(signature)
    if (malleable !== undefined) {
      problems.push(problem('ERR_PROOF_SIGNATURE_MALLEABLE', malleable, at('proofValue')))
      return
    }
    proofs.push({
      path: at(),
      proof: p,
      suite,
      verificationMethod,
      did: verificationMethod.split('#')[0] ?? '',
    })
  })
  return { proofs, problems }
}

/**
 * Runs the presentation `proof` check on a document that has a `proof`. Never throws for data.
 */
export async function checkPresentationProofs(
  document: Record<string, unknown>,
  options: {
    readonly documentLoader: DocumentLoader
    readonly didResolver: DidResolver
    readonly suites: readonly SuiteName[]
    /** The verification time and the clock skew allowed on `created`. */
    readonly now: Date
    readonly maxClockSkewSeconds: number
    /** Proof count and canonicalization bounds (the caller's resolved ingress limits). */
    readonly limits: {
      readonly maxProofs: number
      readonly maxWorkFactor: number
      readonly canonicalizationTimeoutMs: number
    }
  },
): Promise<PresentationProofOutcome> {
  const latest = options.now.getTime() + options.maxClockSkewSeconds * 1000
  const inspected = inspect(document.proof, options.suites, latest, options.limits.maxProofs)
  if (inspected.problems.length > 0) return inspected

  const problems: Problem[] = []
  const proofs: PresentationProofEntry[] = []
  const didDocuments = new Map<string, Record<string, unknown> | undefined>()
  for (const p of inspected.proofs) {
    const at = p.path + '/verificationMethod'
    if (!didDocuments.has(p.did)) {
      let doc: Record<string, unknown> | undefined
      try {
        const r = await options.didResolver.resolve(p.did)
        doc =
          isPlainObject(r.didDocument) && r.didResolutionMetadata.error === undefined
            ? r.didDocument
            : undefined
      } catch {
        doc = undefined
      }
      didDocuments.set(p.did, doc)
    }
    const didDocument = didDocuments.get(p.did)
    if (didDocument === undefined || didDocument.id !== p.did) {
      problems.push(problem('ERR_KEY_UNRESOLVABLE', `Cannot resolve ${JSON.stringify(p.did)}.`, at))
      proofs.push(p)
      continue
    }
    const vm = findVerificationMethod(didDocument, p.verificationMethod)
    if (vm === undefined) {
      problems.push(
        problem(
          'ERR_KEY_UNRESOLVABLE',
          `${p.did} has no usable verification method ${JSON.stringify(p.verificationMethod)}.`,
          at,
        ),
      )
      proofs.push(p)
      continue
    }
    proofs.push({ ...p, resolved: vm })
    if (!hasRelationship(didDocument, 'authentication', p.verificationMethod)) {
      problems.push(
        problem(
          'ERR_PRESENTATION_KEY_NOT_AUTHORIZED',
          `${p.verificationMethod} is not listed under ${p.did}'s authentication, so it cannot sign a presentation.`,
          at,
        ),
      )
    }
  }
  if (proofs.some((p) => p.resolved === undefined)) return { problems, proofs }

  // Signatures, with exactly the keys resolved above and the caller's contexts.
  const documents = new Map<string, unknown>()
  for (const p of proofs) {
    if (p.resolved === undefined) continue
    documents.set(p.did, didDocuments.get(p.did))
    documents.set(p.verificationMethod, { '@context': CONTEXT_URLS.multikeyV1, ...p.resolved })
  }
  const keyLoader = createDocumentLoader({
    documents,
    resolveDidKey: false,
    fallback: options.documentLoader,
  })
  const first = proofs[0]?.proof
  const challenge = typeof first?.challenge === 'string' ? first.challenge : ''
  let outcomes: Awaited<ReturnType<typeof verifyDocumentProofs>>['outcomes']
  try {
    ;({ outcomes } = await verifyDocumentProofs(document, {
      suites: [...new Set(proofs.map((p) => p.suite))].map((name) =>
        createSuite(name, {
          limits: {
            maxWorkFactor: options.limits.maxWorkFactor,
            timeoutMs: options.limits.canonicalizationTimeoutMs,
          },
        }),
      ),
      documentLoader: keyLoader,
      // The signature covers challenge and domain; they are compared with the expected values by
      // the challenge and domain checks, each with its own code.
      purpose: { term: 'authentication', challenge },
    }))
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    problems.push(
      problem(
        findCertifyError(error)?.code ?? 'ERR_PROOF_INVALID',
        `Proof verification failed: ${why}`,
        pointer('proof'),
      ),
    )
    return { problems, proofs }
  }
  const unused = [...outcomes]
  for (const p of proofs) {
    const i = unused.findIndex((o) => o.proof.proofValue === p.proof.proofValue)
    const outcome = i === -1 ? undefined : unused.splice(i, 1)[0]
    if (outcome === undefined) {
      problems.push(problem('ERR_PROOF_INVALID', 'No suite could verify this proof.', p.path))
    } else if (!outcome.signatureValid) {
      // A coded failure (malleable signature, canonicalization limit, proof chain …) keeps its code.
      const coded = findCertifyError(outcome.signatureError)
      const why = (outcome.signatureError?.message ?? 'invalid signature').replace(/\.+$/, '')
      problems.push(
        problem(
          coded?.code ?? 'ERR_PROOF_INVALID',
          `The presentation signature does not verify: ${why}.`,
          p.path + '/proofValue',
        ),
      )
    }
  }
  return { problems, proofs }
}
