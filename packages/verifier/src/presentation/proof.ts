/**
 * The presentation's `proof` check: every proof well formed, by an accepted suite, made for
 * `authentication`, not expired, by a key listed under its DID's `authentication` (an
 * assertion-only key cannot present), and every signature verifies over the whole presentation
 * (no any-of). The same proof steps as credentials (`proofs/`), with the holder's relationship.
 *
 * Challenge and domain are compared by their own checks (`binding.ts`) from the signed proof, so
 * that each failure has its own code; the signature is checked here with the proof's own values,
 * which the signature covers.
 *
 * @see https://www.w3.org/TR/vc-data-integrity/#verify-proof
 * @module
 */
import type { Problem } from '@certify-vc/context'
import { inspectProofs } from '../proofs/inspect-proofs.js'
import { verifyProofSet, type KeyedProof } from '../proofs/verify-proofs.js'
import type { PresentationOptions } from './options.js'

/** Most proofs looked at on one presentation. */
export const MAX_PRESENTATION_PROOFS = 4

/** The outcome of {@link checkPresentationProofs}. */
export interface PresentationProofOutcome {
  readonly problems: readonly Problem[]
  /** Well-formed proofs, with their keys where they resolved. */
  readonly proofs: readonly KeyedProof[]
  /** What is noted without failing: a proof listed twice (`ERR_PROOF_DUPLICATE`). */
  readonly notes: readonly Problem[]
}

/** Runs the presentation `proof` check on a document that has a `proof`. Never throws. */
export async function checkPresentationProofs(
  document: Readonly<Record<string, unknown>>,
  opts: PresentationOptions,
): Promise<PresentationProofOutcome> {
  const { pipeline } = opts
  const inspected = inspectProofs(document, {
    purpose: 'authentication',
    suites: pipeline.suites,
    maxProofs: Math.min(pipeline.limits.maxProofs, MAX_PRESENTATION_PROOFS),
    now: pipeline.now,
    maxClockSkewSeconds: pipeline.maxClockSkewSeconds,
    // Its challenge covers freshness; a proof dated in the future is still refused.
    createdNotInFuture: true,
    what: 'presentation',
  })
  if (inspected.problems.length > 0) return inspected
  const first = inspected.proofs[0]?.proof
  const outcome = await verifyProofSet(document, inspected.proofs, {
    relationship: 'authentication',
    didResolver: pipeline.didResolver,
    documentLoader: pipeline.documentLoader,
    limits: pipeline.limits,
    canonicalization: pipeline.canonicalization,
    challenge: typeof first?.challenge === 'string' ? first.challenge : '',
  })
  return {
    problems: [...outcome.keyProblems, ...(outcome.signatureProblems ?? [])],
    proofs: outcome.proofs,
    notes: inspected.notes,
  }
}
