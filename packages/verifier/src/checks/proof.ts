/**
 * The credential's `proof` and `key-binding` checks.
 *
 * - `proof`: at least one proof; every proof well formed, by a suite the profile accepts, made
 *   for `assertionMethod`, not expired, and its signature verifies over the document (no any-of).
 * - `key-binding`: each proof's verification method resolves, is listed under its controller's
 *   `assertionMethod`, and is the issuer's, except that a profile that accepts co-signers lets
 *   further proofs be made by other `did:key` keys (resolved offline) beside at least one proof
 *   by the issuer.
 *
 * @see https://www.w3.org/TR/vc-data-integrity/#verify-proof
 * @module
 */
import { pointer, problem, type Problem } from '@certify-vc/context'
import type { ResolvedVerificationMethod, UnsecuredExpansion } from '@certify-vc/core'
import { inspectProofs, type InspectedProof } from '../proofs/inspect-proofs.js'
import { verifyProofSet } from '../proofs/verify-proofs.js'
import type { PipelineOptions } from '../options.js'
import type { CheckResult } from '../types.js'
import { checkResult, skipped } from './common.js'

/** The proof and key-binding results, and who signed. */
export interface CredentialProofsOutcome {
  readonly proof: CheckResult
  readonly keyBinding: CheckResult
  /** The verification methods of the issuer's own proofs (for trust pinning). */
  readonly issuerKeys: readonly string[]
  /** Noted without failing (a proof listed twice): the result's warnings when it verifies. */
  readonly notes: readonly Problem[]
}

/** What the proof check needs to know of the credential. */
export interface CredentialFacts {
  readonly issuerId: string | undefined
  readonly validFrom?: Date | undefined
  /** From the contexts check of this same document: canonicalize without expanding again. */
  readonly unsecuredExpansion?: UnsecuredExpansion | undefined
}

function notIssuer(p: InspectedProof, controller: string, issuerId: string | undefined): Problem {
  return problem(
    'ERR_KEY_NOT_ISSUER',
    `The key is controlled by ${controller}, not by the issuer ${String(issuerId)}.`,
    p.path + '/verificationMethod',
  )
}

/** Runs the `proof` and `key-binding` checks of a credential (or a status list credential). */
export async function checkCredentialProofs(
  document: Readonly<Record<string, unknown>>,
  facts: CredentialFacts,
  opts: PipelineOptions,
  what = 'credential',
): Promise<CredentialProofsOutcome> {
  const skew = opts.maxClockSkewSeconds * 1000
  const now = opts.now.getTime()
  // "Created in the future" applies only when the credential already claims to be valid at
  // `now`; verifying as of a time before `validFrom` reports not-yet-valid instead.
  const claimsValidNow = facts.validFrom === undefined || facts.validFrom.getTime() <= now + skew
  const { proofs, problems, notes } = inspectProofs(document, {
    purpose: 'assertionMethod',
    suites: opts.suites,
    maxProofs: opts.limits.maxProofs,
    now: opts.now,
    maxClockSkewSeconds: opts.maxClockSkewSeconds,
    createdNotInFuture: what === 'credential' && claimsValidNow,
    challenge: opts.proofChallenge,
    domain: opts.proofDomain,
    what,
  })
  if (problems.length > 0) {
    return {
      proof: checkResult('proof', problems),
      keyBinding: skipped('key-binding', 'The proofs are malformed or not allowed (see proof).'),
      issuerKeys: [],
      notes,
    }
  }
  const { issuerId } = facts
  const coSigners = opts.profile.coSigners
  const isIssuers = (p: InspectedProof) => p.did === issuerId
  const outcome = await verifyProofSet(document, proofs, {
    relationship: 'assertionMethod',
    didResolver: opts.didResolver,
    documentLoader: opts.documentLoader,
    limits: opts.limits,
    canonicalization: opts.canonicalization,
    unsecuredExpansion: facts.unsecuredExpansion,
    signer: {
      // A co-signer's DID is never fetched (docs/attacks.md E1): only did:key, resolved offline.
      beforeResolving: (p) =>
        isIssuers(p) || p.did.startsWith('did:key:') ? undefined : notIssuer(p, p.did, issuerId),
      afterResolving: (p, vm: ResolvedVerificationMethod) => {
        if (isIssuers(p) && vm.controller === issuerId) return undefined
        if (coSigners && !isIssuers(p) && vm.controller === p.did) return undefined
        return notIssuer(p, vm.controller, issuerId)
      },
    },
  })
  const keyProblems = [...outcome.keyProblems]
  const issuerKeys = outcome.proofs
    .filter((p) => isIssuers(p) && p.key?.controller === issuerId)
    .map((p) => p.verificationMethod)
  if (keyProblems.length === 0 && issuerKeys.length === 0) {
    keyProblems.push(
      problem(
        'ERR_KEY_NOT_ISSUER',
        'No proof is made with a key controlled by the issuer.',
        proofs[0]?.path ?? pointer('proof'),
      ),
    )
  }
  const keyBinding = checkResult('key-binding', keyProblems)
  if (outcome.signatureProblems === undefined) {
    return {
      proof: skipped(
        'proof',
        'A signing key could not be resolved or is unusable (see key-binding).',
      ),
      keyBinding,
      issuerKeys,
      notes,
    }
  }
  return { proof: checkResult('proof', outcome.signatureProblems), keyBinding, issuerKeys, notes }
}
