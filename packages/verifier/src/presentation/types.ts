/**
 * Options and result types of `verifyPresentation`.
 *
 * @module
 */
import type { Problem } from '@certify-vc/context'
import type { ChallengeStore } from '../challenges.js'
import type { CheckOutcome, VerifyCredentialOptions, VerifyCredentialResult } from '../types.js'

/** The checks of a presentation, in the order they appear in every result. */
export const PRESENTATION_CHECK_IDS = [
  'input',
  'structure',
  'contexts',
  'proof',
  'holder-binding',
  'challenge',
  'domain',
  'credentials',
  'subject-binding',
] as const

/** One check of the presentation pipeline. */
export type PresentationCheckId = (typeof PRESENTATION_CHECK_IDS)[number]

/** The outcome of one presentation check. */
export interface PresentationCheckResult {
  readonly id: PresentationCheckId
  readonly outcome: CheckOutcome
  /** Empty unless the check failed. */
  readonly problems: readonly Problem[]
}

/**
 * Options of `verifyPresentation`. The credential options (`profile`, `trustedIssuers`, …)
 * apply to every embedded credential, which is verified by the same pipeline as
 * `verifyCredential`: one credential, one verdict, whatever the door.
 */
export interface VerifyPresentationOptions extends VerifyCredentialOptions {
  /**
   * The challenge this verifier expects (as issued by `createChallengeStore().issue()` or
   * otherwise). Required unless a `challengeStore` is given (then any challenge the store issued
   * is accepted once) or `unsignedPresentation` is `'allow'`. A presentation cannot answer a
   * challenge without a proof: when one is expected, an unsigned presentation never verifies.
   */
  readonly challenge?: string
  /**
   * The domain the presentation must be bound to (this verifier's origin or relying-party id).
   * Required: pass `null` to skip the domain check on purpose (then a presentation made for
   * another site is not told apart).
   */
  readonly domain: string | null
  /**
   * Makes the challenge single-use: it is consumed once the presentation's signature verified;
   * a second use is `ERR_CHALLENGE_REUSED`, an unknown one `ERR_CHALLENGE_UNKNOWN`, an expired
   * one `ERR_CHALLENGE_EXPIRED`. Without a store only equality is checked, and a replay cannot
   * be detected.
   */
  readonly challengeStore?: ChallengeStore
  /**
   * `'reject'` (default): a presentation without a proof fails (`ERR_PRESENTATION_UNSIGNED`).
   * `'allow'`: for "share this file" flows only: an unsigned presentation may verify, but the
   * result says `holderProven: false` and the proof, challenge and domain checks are skipped;
   * and only when nothing asks for what a proof proves: no `challenge`, no `challengeStore`,
   * `domain: null` and `holderBinding: 'if-present'`. It never changes a credential's verdict.
   */
  readonly unsignedPresentation?: 'reject' | 'allow'
  /**
   * `'required'` (default): the presentation must name a `holder` (`ERR_HOLDER_MISSING`) and
   * every proof must be by a key the holder controls (`ERR_HOLDER_KEY_MISMATCH`).
   * `'if-present'`: a presentation without `holder` skips the check (generic VC API use).
   */
  readonly holderBinding?: 'required' | 'if-present'
  /**
   * `'required'` (default): every embedded credential's `credentialSubject.id` must be the holder
   * (`ERR_HOLDER_SUBJECT_MISMATCH`, naming the credential). `'off'`: skipped (generic use, or a
   * subject identified out of band, e.g. by an OB `identityHash`).
   */
  readonly subjectBinding?: 'required' | 'off'
  /**
   * `true` (default): a presentation with no credential fails (`ERR_PRESENTATION_INVALID`).
   * `false`: it may verify (it then proves only control of the holder's key).
   */
  readonly requireCredentials?: boolean
  /**
   * Accept inline (embedded) JSON-LD contexts in the presentation envelope. Default `false`.
   * Embedded credentials never may (`ERR_CONTEXT_INLINE`). Safe mode applies either way.
   */
  readonly allowInlineContexts?: boolean
}

/** One embedded credential's result. Plain JSON. */
export interface PresentedCredentialResult {
  /** Its position in `verifiableCredential` (0 when it is a single object). */
  readonly index: number
  /** JSON Pointer of the credential in the presentation. */
  readonly path: string
  /** The credential's `id`, when it has one. */
  readonly id?: string
  readonly verified: boolean
  /** The full result of the credential, with paths relative to the credential. */
  readonly result: VerifyCredentialResult
}

/** What the verifier could establish about a presentation, for display. */
export interface PresentationSummary {
  readonly id?: string
  readonly format?: 'vc2' | 'vc1.1'
  /** The holder, as the presentation names it. Proven only when `holderProven` is true. */
  readonly holder?: string
  /** The presentation has a proof. */
  readonly signed: boolean
  /** The challenge and domain in its first proof, as signed. */
  readonly challenge?: string
  readonly domain?: string | readonly string[]
  /** How many credentials it embeds. */
  readonly credentialCount: number
}

/** The result of `verifyPresentation`: plain JSON. */
export interface VerifyPresentationResult {
  /**
   * `true` iff no check failed, the envelope, proof (or an allowed unsigned presentation),
   * challenge and domain checks passed, and every embedded credential verified.
   */
  readonly verified: boolean
  /**
   * `true` iff a signed presentation proved that the holder presented it now: the proof verified
   * for `authentication` with a key the named holder controls, and the challenge passed. Always
   * `false` for an unsigned presentation, even one accepted with `unsignedPresentation: 'allow'`.
   */
  readonly holderProven: boolean
  /** Every check, always in {@link PRESENTATION_CHECK_IDS} order. */
  readonly checks: readonly PresentationCheckResult[]
  /**
   * All problems of all checks, flattened. Problems of an embedded credential appear with their
   * path prefixed by the credential's (`/verifiableCredential/1/credentialStatus`).
   */
  readonly problems: readonly Problem[]
  /**
   * What is noted without failing, only when `verified`: the presentation's own (a proof listed
   * twice, `ERR_PROOF_DUPLICATE`), then each credential's, its path prefixed by the credential's.
   */
  readonly warnings: readonly Problem[]
  readonly presentation: PresentationSummary
  /** One entry per embedded credential that was verified (none when an earlier check failed). */
  readonly credentials: readonly PresentedCredentialResult[]
}
