/**
 * `verifyPresentation`'s options, checked once: the presentation's own, and the credential
 * options through the credential pipeline's resolver (the same checks and defaults as
 * `verifyCredential`). Bad options throw `TypeError`.
 *
 * @module
 */
import { isPlainObject } from '@certify-vc/context'
import { resolvePipelineOptions, type PipelineOptions, type VerifierDefaults } from '../options.js'
import type { ChallengeStore } from '../challenges.js'
import type { VerifyPresentationOptions } from './types.js'

const MAX_CHALLENGE_LENGTH = 1024

/** The presentation options, resolved. */
export interface PresentationOptions {
  readonly challenge: string | undefined
  readonly domain: string | null
  readonly store: ChallengeStore | undefined
  readonly allowUnsigned: boolean
  readonly holderRequired: boolean
  readonly subjectBinding: boolean
  readonly requireCredentials: boolean
  readonly allowInlineContexts: boolean
  /** The pipeline options every embedded credential is verified with (and the envelope's). */
  readonly pipeline: PipelineOptions
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], dflt: T): T {
  if (value === undefined) return dflt
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new TypeError(`"${name}" must be ${allowed.map((a) => JSON.stringify(a)).join(' or ')}.`)
  }
  return value as T
}

/**
 * Checks `options` and completes them with their defaults.
 *
 * @throws {TypeError} naming the option that is wrong.
 */
export function resolvePresentationOptions(
  options: VerifyPresentationOptions,
  defaults: VerifierDefaults,
): PresentationOptions {
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  const {
    challenge,
    domain,
    challengeStore,
    unsignedPresentation,
    holderBinding,
    subjectBinding,
    requireCredentials = true,
    allowInlineContexts = false,
    ...credentialOptions
  } = options
  if ('credentialProfile' in credentialOptions) {
    throw new TypeError(
      '"credentialProfile" is gone: pass "profile" (institute, open-badges or vc); embedded credentials are verified with it.',
    )
  }
  const allowUnsigned =
    oneOf('unsignedPresentation', unsignedPresentation, ['reject', 'allow'], 'reject') === 'allow'
  if (
    challenge !== undefined &&
    (typeof challenge !== 'string' ||
      challenge.length === 0 ||
      challenge.length > MAX_CHALLENGE_LENGTH)
  ) {
    throw new TypeError(
      `"challenge" must be a non-empty string of at most ${MAX_CHALLENGE_LENGTH}.`,
    )
  }
  if (
    challengeStore !== undefined &&
    (typeof challengeStore !== 'object' ||
      challengeStore === null ||
      typeof challengeStore.consume !== 'function')
  ) {
    throw new TypeError('"challengeStore" must be a ChallengeStore (see createChallengeStore).')
  }
  if (challenge === undefined && challengeStore === undefined && !allowUnsigned) {
    throw new TypeError(
      'Give the expected "challenge", a "challengeStore", or both: a presentation without a checked challenge can be replayed.',
    )
  }
  if (domain === undefined) {
    throw new TypeError(
      '"domain" is required: the domain presentations must be bound to, or null to skip that check on purpose.',
    )
  }
  if (domain !== null && (typeof domain !== 'string' || domain.length === 0)) {
    throw new TypeError('"domain" must be a non-empty string or null.')
  }
  if (typeof requireCredentials !== 'boolean') {
    throw new TypeError('"requireCredentials" must be a boolean.')
  }
  if (typeof allowInlineContexts !== 'boolean') {
    throw new TypeError('"allowInlineContexts" must be a boolean.')
  }
  return {
    challenge,
    domain,
    store: challengeStore,
    allowUnsigned,
    holderRequired:
      oneOf('holderBinding', holderBinding, ['required', 'if-present'], 'required') === 'required',
    subjectBinding:
      oneOf('subjectBinding', subjectBinding, ['required', 'off'], 'required') === 'required',
    requireCredentials,
    allowInlineContexts,
    pipeline: resolvePipelineOptions(credentialOptions, defaults),
  }
}

/**
 * True when the caller asks for something only a presentation proof can give: a challenge, a
 * domain, or a holder bound to the presentation. Then an unsigned presentation never verifies.
 */
export function needsProof(opts: PresentationOptions): boolean {
  return (
    !opts.allowUnsigned ||
    opts.challenge !== undefined ||
    opts.store !== undefined ||
    opts.domain !== null ||
    opts.holderRequired
  )
}
