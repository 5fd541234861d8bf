/**
 * `verifyPresentation`: DESIGN §4 step 8 with one result entry per check. The presentation's
 * proof is verified first; its credentials are verified only once the presentation itself holds,
 * each with the full credential pipeline, and a valid presentation never makes up for an invalid
 * credential (ATTACKS F5).
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#verifiable-presentations
 * @module
 */
import {
  CONTEXT_URLS,
  asArray,
  contexts as pinned,
  createDocumentLoader,
  isAbsoluteIri,
  isPlainObject,
  pointer,
  problem,
  type DocumentLoader,
  type Problem,
} from '@certify-vc/context'
import { SUITE_NAMES, expandSafely, toJsonLdError } from '@certify-vc/core'
import type { ChallengeState } from './challenges.js'
import { createDefaultDidResolver } from './did-resolution.js'
import { findUnsignedEmptyValue } from './checks/structure.js'
import { readInput, resolveLimits } from './ingress.js'
import { verifyGenericCredential } from './presentation/generic-credential.js'
import { checkPresentationProofs, type PresentationProofEntry } from './presentation/proof.js'
import {
  PRESENTATION_CHECK_IDS,
  type PresentationCheckId,
  type PresentationCheckResult,
  type PresentationSummary,
  type PresentedCredentialResult,
  type VerifyPresentationOptions,
  type VerifyPresentationResult,
} from './presentation/types.js'
import type { DidResolver, VerifyCredentialOptions, VerifyCredentialResult } from './types.js'
import { BROWSER_DEFAULTS, runVerification, type VerifierDefaults } from './verify-credential.js'

/** Most credentials verified in one presentation; more fail the structure check. */
export const MAX_PRESENTATION_CREDENTIALS = 32
const MAX_CHALLENGE_LENGTH = 1024

let defaultLoader: DocumentLoader | undefined
let defaultResolver: DidResolver | undefined

const checkOf = (
  id: PresentationCheckId,
  problems: readonly Problem[],
): PresentationCheckResult => ({
  id,
  outcome: problems.length > 0 ? 'failed' : 'passed',
  problems,
})
const skip = (id: PresentationCheckId): PresentationCheckResult => ({
  id,
  outcome: 'skipped',
  problems: [],
})

interface ResolvedPresentationOptions {
  readonly challenge: string | undefined
  readonly domain: string | null
  readonly store: VerifyPresentationOptions['challengeStore']
  readonly allowUnsigned: boolean
  readonly holderRequired: boolean
  readonly subjectBinding: boolean
  readonly generic: boolean
  readonly requireCredentials: boolean
  readonly allowInlineContexts: boolean
  readonly documentLoader: DocumentLoader
  readonly didResolver: DidResolver
  readonly credentialOptions: VerifyCredentialOptions
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], dflt: T): T {
  if (value === undefined) return dflt
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new TypeError(`"${name}" must be ${allowed.map((a) => JSON.stringify(a)).join(' or ')}.`)
  }
  return value as T
}

function resolvePresentationOptions(
  options: VerifyPresentationOptions,
): ResolvedPresentationOptions {
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  const {
    challenge,
    domain,
    challengeStore,
    unsignedPresentation,
    holderBinding,
    subjectBinding,
    credentialProfile,
    requireCredentials = true,
    allowInlineContexts = false,
    ...credentialOptions
  } = options
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
    generic:
      oneOf(
        'credentialProfile',
        // 'any' was this option's first name (examples/server used it); kept as an alias.
        credentialProfile === ('any' as string) ? 'generic' : credentialProfile,
        ['open-badges', 'generic'],
        'open-badges',
      ) === 'generic',
    requireCredentials,
    allowInlineContexts,
    documentLoader: credentialOptions.documentLoader ?? (defaultLoader ??= createDocumentLoader()),
    didResolver: credentialOptions.didResolver ?? (defaultResolver ??= createDefaultDidResolver()),
    credentialOptions,
  }
}

function holderIdOf(holder: unknown): string | undefined {
  if (typeof holder === 'string') return holder
  if (isPlainObject(holder) && typeof holder.id === 'string') return holder.id
  return undefined
}

/** The embedded credentials with their paths (`verifiableCredential` may be one object). */
function embedded(document: Record<string, unknown>): { value: unknown; path: string }[] {
  const raw = document.verifiableCredential
  if (raw === undefined) return []
  if (!Array.isArray(raw)) return [{ value: raw, path: pointer('verifiableCredential') }]
  return raw.map((value: unknown, i) => ({ value, path: pointer('verifiableCredential', i) }))
}

/** The VP envelope (VC Data Model 2.0 §4.13, 1.1 §4.10). */
function checkEnvelope(
  document: unknown,
  opts: ResolvedPresentationOptions,
): PresentationCheckResult {
  if (!isPlainObject(document)) {
    return checkOf('structure', [
      problem('ERR_PRESENTATION_INVALID', 'A presentation must be a JSON object.', ''),
    ])
  }
  const out: Problem[] = []
  // As for credentials: a null or empty-array member is dropped by JSON-LD, so it is not signed.
  // The embedded credentials get this check from their own pipeline.
  const envelope = { ...document }
  delete envelope.verifiableCredential
  const empty = findUnsignedEmptyValue(envelope)
  if (empty !== undefined) {
    out.push(
      problem(
        'ERR_PRESENTATION_INVALID',
        `A member is ${empty.kind === 'null' ? 'null' : 'an empty array'}: JSON-LD drops it, so it is not signed; leave it out.`,
        empty.path,
      ),
    )
  }
  const first = asArray(document['@context'])[0]
  if (first !== CONTEXT_URLS.credentialsV2 && first !== CONTEXT_URLS.credentialsV1) {
    out.push(
      problem(
        'ERR_CONTEXT_ORDER',
        `The first @context must be ${CONTEXT_URLS.credentialsV2} or ${CONTEXT_URLS.credentialsV1}.`,
        pointer('@context'),
      ),
    )
  }
  const types = asArray(document.type)
  if (types.length === 0 || !types.every((t) => typeof t === 'string' && t.length > 0)) {
    out.push(
      problem(
        'ERR_PRESENTATION_INVALID',
        '"type" must be a non-empty string or array of strings.',
        pointer('type'),
      ),
    )
  } else if (!types.includes('VerifiablePresentation')) {
    out.push(
      problem(
        'ERR_PRESENTATION_INVALID',
        '"type" must include "VerifiablePresentation".',
        pointer('type'),
      ),
    )
  }
  if ('id' in document && !isAbsoluteIri(document.id)) {
    out.push(problem('ERR_STRUCTURE_RELATIVE_IRI', '"id" must be an absolute IRI.', pointer('id')))
  }
  if ('holder' in document) {
    const holder = document.holder
    if (isPlainObject(holder)) {
      if (!isAbsoluteIri(holder.id)) {
        out.push(
          problem(
            'ERR_STRUCTURE_RELATIVE_IRI',
            '"holder.id" must be an absolute IRI.',
            pointer('holder', 'id'),
          ),
        )
      }
    } else if (!isAbsoluteIri(holder)) {
      out.push(
        problem(
          'ERR_STRUCTURE_RELATIVE_IRI',
          '"holder" must be an absolute IRI or an object with one as "id".',
          pointer('holder'),
        ),
      )
    }
  }
  const credentials = embedded(document)
  if (Array.isArray(document.verifiableCredential) && credentials.length === 0) {
    out.push(
      problem(
        'ERR_PRESENTATION_INVALID',
        '"verifiableCredential" must not be an empty array.',
        pointer('verifiableCredential'),
      ),
    )
  }
  if (credentials.length > MAX_PRESENTATION_CREDENTIALS) {
    out.push(
      problem(
        'ERR_PRESENTATION_INVALID',
        `A presentation may embed at most ${MAX_PRESENTATION_CREDENTIALS} credentials.`,
        pointer('verifiableCredential'),
      ),
    )
  } else {
    for (const { value, path } of credentials) {
      if (!isPlainObject(value)) {
        out.push(
          problem(
            'ERR_PRESENTATION_INVALID',
            'An embedded credential must be an object (never a string, number or URL).',
            path,
          ),
        )
      }
    }
  }
  if (opts.requireCredentials && document.verifiableCredential === undefined) {
    out.push(
      problem(
        'ERR_PRESENTATION_INVALID',
        'The presentation carries no credential.',
        pointer('verifiableCredential'),
      ),
    )
  }
  return checkOf('structure', out)
}

/** Contexts of the envelope (embedded credentials are checked with their own pipeline). */
async function checkEnvelopeContexts(
  document: Record<string, unknown>,
  opts: ResolvedPresentationOptions,
): Promise<PresentationCheckResult> {
  const out: Problem[] = []
  const raw = document['@context']
  if (raw === undefined) {
    return checkOf('contexts', [
      problem('ERR_CONTEXT_ORDER', '"@context" is required.', pointer('@context')),
    ])
  }
  const allowed = new Set([...pinned.keys(), ...(opts.credentialOptions.additionalContexts ?? [])])
  const many = Array.isArray(raw)
  asArray(raw).forEach((entry: unknown, i) => {
    const at = many ? pointer('@context', i) : pointer('@context')
    if (typeof entry === 'string') {
      if (!allowed.has(entry)) {
        out.push(
          problem(
            'ERR_CONTEXT_UNKNOWN',
            `Context ${JSON.stringify(entry.slice(0, 200))} is not a pinned context.`,
            at,
          ),
        )
      }
    } else if (!isPlainObject(entry) || !opts.allowInlineContexts) {
      out.push(
        problem(
          isPlainObject(entry) ? 'ERR_CONTEXT_INLINE' : 'ERR_CONTEXT_UNKNOWN',
          isPlainObject(entry)
            ? 'Inline (embedded) contexts are not accepted.'
            : 'A context must be a URL or (when allowed) an object.',
          at,
        ),
      )
    }
  })
  if (out.length > 0) return checkOf('contexts', out)
  // Safe-mode expansion of the envelope alone: every term of the presentation is defined.
  const envelope = { ...document }
  delete envelope.verifiableCredential
  try {
    await expandSafely(envelope, opts.documentLoader)
  } catch (error) {
    const e = toJsonLdError(error)
    out.push(problem(e.code, e.message, e.path))
  }
  return checkOf('contexts', out)
}

function holderBinding(
  holder: string | undefined,
  proofs: readonly PresentationProofEntry[],
): Problem[] {
  const out: Problem[] = []
  for (const p of proofs) {
    const controller = p.resolved?.controller ?? p.did
    if (p.did !== holder || controller !== holder) {
      out.push(
        problem(
          'ERR_HOLDER_KEY_MISMATCH',
          `The presentation is signed by ${p.verificationMethod} (controlled by ${controller}), not by the holder ${String(holder)}.`,
          p.path + '/verificationMethod',
        ),
      )
    }
  }
  return out
}

const CHALLENGE_CODES = {
  unknown: 'ERR_CHALLENGE_UNKNOWN',
  expired: 'ERR_CHALLENGE_EXPIRED',
  used: 'ERR_CHALLENGE_REUSED',
} as const

/** Consumes the challenge; a failing store fails closed (`'unknown'`). */
async function consumeChallenge(
  opts: ResolvedPresentationOptions,
  challenge: string,
): Promise<ChallengeState> {
  if (opts.store === undefined) return 'unknown'
  try {
    const state = await opts.store.consume(
      challenge,
      opts.domain === null ? {} : { domain: opts.domain },
    )
    return state === 'ok' || state === 'expired' || state === 'used' ? state : 'unknown'
  } catch {
    return 'unknown'
  }
}

/** Challenge equality on every proof; the single-use consumption is done by the caller. */
function challengeProblems(
  proofs: readonly PresentationProofEntry[],
  expected: string | undefined,
): Problem[] {
  const out: Problem[] = []
  const seen = new Set<string>()
  for (const p of proofs) {
    const value = p.proof.challenge
    if (typeof value !== 'string' || value.length === 0) {
      out.push(
        problem(
          'ERR_CHALLENGE_MISSING',
          'The presentation proof carries no challenge.',
          p.path + '/challenge',
        ),
      )
    } else if (expected !== undefined && value !== expected) {
      out.push(
        problem(
          'ERR_CHALLENGE_MISMATCH',
          'The presentation answers another challenge than the one expected.',
          p.path + '/challenge',
        ),
      )
    } else {
      seen.add(value)
    }
  }
  if (out.length === 0 && seen.size > 1) {
    out.push(
      problem(
        'ERR_CHALLENGE_MISMATCH',
        'The proofs of the presentation answer different challenges.',
        pointer('proof'),
      ),
    )
  }
  return out
}

function domainProblems(proofs: readonly PresentationProofEntry[], expected: string): Problem[] {
  const out: Problem[] = []
  for (const p of proofs) {
    const value = p.proof.domain
    const at = p.path + '/domain'
    if (value === undefined) {
      out.push(
        problem(
          'ERR_DOMAIN_MISSING',
          `The presentation proof names no domain; expected ${JSON.stringify(expected)}.`,
          at,
        ),
      )
    } else if (!(
      value === expected ||
      (Array.isArray(value) && (value as unknown[]).includes(expected))
    )) {
      out.push(
        problem(
          'ERR_DOMAIN_MISMATCH',
          `The presentation was made for ${JSON.stringify(value).slice(0, 200)}, not ${JSON.stringify(expected)}.`,
          at,
        ),
      )
    }
  }
  return out
}

/** A credential's problems with paths re-rooted under `base`. */
function reroot(problems: readonly Problem[], base: string): Problem[] {
  return problems.map((p) => ({ ...p, path: base + (p.path ?? '') }))
}

function subjectProblems(
  credentials: readonly { value: unknown; path: string }[],
  holder: string,
): Problem[] {
  const out: Problem[] = []
  credentials.forEach(({ value, path }, index) => {
    if (!isPlainObject(value)) return
    const name = typeof value.id === 'string' ? `${index} (${value.id})` : String(index)
    const raw = value.credentialSubject
    const subjects = asArray(raw)
    if (subjects.length === 0) {
      out.push(
        problem(
          'ERR_HOLDER_SUBJECT_MISMATCH',
          `Credential ${name} names no subject, so it cannot be the holder's.`,
          path + '/credentialSubject',
        ),
      )
    }
    subjects.forEach((s: unknown, i) => {
      const at =
        path + (Array.isArray(raw) ? pointer('credentialSubject', i) : pointer('credentialSubject'))
      const id = isPlainObject(s) ? s.id : undefined
      if (id !== holder) {
        out.push(
          problem(
            'ERR_HOLDER_SUBJECT_MISMATCH',
            typeof id === 'string'
              ? `Credential ${name} is about ${id}, not the holder ${holder}.`
              : `Credential ${name} names no subject id, so it cannot be bound to the holder ${holder}.`,
            at + '/id',
          ),
        )
      }
    })
  })
  return out
}

function summarise(document: Record<string, unknown>): PresentationSummary {
  const first = asArray(document['@context'])[0]
  const holder = holderIdOf(document.holder)
  const proof = asArray(document.proof)[0]
  // Only an absent `proof` is "unsigned"; `null`, `[]` or a non-object is a malformed proof.
  const signed = document.proof !== undefined
  const challenge =
    isPlainObject(proof) && typeof proof.challenge === 'string' ? proof.challenge : undefined
  const domain =
    isPlainObject(proof) &&
    (typeof proof.domain === 'string' ||
      (Array.isArray(proof.domain) && proof.domain.every((d) => typeof d === 'string')))
      ? proof.domain
      : undefined
  return {
    ...(typeof document.id === 'string' ? { id: document.id } : {}),
    ...(first === CONTEXT_URLS.credentialsV2
      ? { format: 'vc2' as const }
      : first === CONTEXT_URLS.credentialsV1
        ? { format: 'vc1.1' as const }
        : {}),
    ...(holder === undefined ? {} : { holder }),
    signed,
    ...(challenge === undefined ? {} : { challenge }),
    ...(domain === undefined ? {} : { domain }),
    credentialCount: embedded(document).length,
  }
}

function finish(
  checks: Map<PresentationCheckId, PresentationCheckResult>,
  presentation: PresentationSummary,
  credentials: PresentedCredentialResult[],
  opts: ResolvedPresentationOptions,
): VerifyPresentationResult {
  const ordered = PRESENTATION_CHECK_IDS.map((id) => checks.get(id) ?? skip(id))
  const outcome = (id: PresentationCheckId) => checks.get(id)?.outcome ?? 'skipped'
  const passed = (id: PresentationCheckId) => outcome(id) === 'passed'
  const noneFailed = ordered.every((c) => c.outcome !== 'failed')
  const signedOk =
    passed('proof') &&
    (passed('challenge') ||
      (opts.allowUnsigned && opts.challenge === undefined && opts.store === undefined)) &&
    (passed('domain') || opts.domain === null)
  const envelopeOk = passed('input') && passed('structure') && passed('contexts')
  const credentialsOk =
    presentation.credentialCount === 0 ? !opts.requireCredentials : passed('credentials')
  const verified =
    noneFailed &&
    envelopeOk &&
    (presentation.signed ? signedOk : opts.allowUnsigned) &&
    credentialsOk &&
    credentials.every((c) => c.verified)
  const holderProven =
    presentation.signed &&
    envelopeOk &&
    passed('proof') &&
    passed('holder-binding') &&
    passed('challenge') &&
    outcome('domain') !== 'failed'
  return {
    verified,
    holderProven,
    checks: ordered,
    problems: ordered.flatMap((c) => c.problems),
    presentation,
    credentials,
  }
}

/**
 * Verifies a Verifiable Presentation: ingress limits, the VP envelope, its contexts, its proof
 * (allow-listed suite, `authentication`, a key in the DID's `authentication`), holder binding,
 * challenge (single use with a `challengeStore`), domain, every embedded credential with the full
 * credential pipeline, and that each credential is about the holder.
 *
 * Never throws for bad data. Throws `TypeError` for bad options (no `domain`, neither
 * `challenge` nor `challengeStore`, or a bad credential option). @internal platform defaults.
 */
export async function runPresentationVerification(
  input: unknown,
  options: VerifyPresentationOptions,
  defaults: VerifierDefaults,
): Promise<VerifyPresentationResult> {
  const opts = resolvePresentationOptions(options)
  // The credential options are validated exactly as verifyCredential validates them (it throws
  // TypeError for bad ones and returns at once for this input).
  await runVerification(null, opts.credentialOptions, defaults)

  const checks = new Map<PresentationCheckId, PresentationCheckResult>()
  const limits = resolveLimits(opts.credentialOptions.limits)
  const read = readInput(input, limits)
  if (!read.ok) {
    checks.set('input', checkOf('input', read.problems))
    return finish(checks, { signed: false, credentialCount: 0 }, [], opts)
  }
  checks.set('input', checkOf('input', []))
  const structure = checkEnvelope(read.document, opts)
  checks.set('structure', structure)
  if (!isPlainObject(read.document)) {
    return finish(checks, { signed: false, credentialCount: 0 }, [], opts)
  }
  const document = read.document
  const summary = summarise(document)
  const contexts = await checkEnvelopeContexts(document, opts)
  checks.set('contexts', contexts)
  const envelopeOk = structure.outcome === 'passed' && contexts.outcome === 'passed'
  const holder = holderIdOf(document.holder)

  // 1. The presentation's own proof, first (F5).
  let proofs: readonly PresentationProofEntry[] = []
  if (!summary.signed) {
    if (opts.allowUnsigned) {
      checks.set('proof', skip('proof'))
    } else {
      checks.set(
        'proof',
        checkOf('proof', [
          problem(
            'ERR_PRESENTATION_UNSIGNED',
            'The presentation has no proof: nothing shows that the holder presented it.',
            pointer('proof'),
          ),
        ]),
      )
    }
  } else if (envelopeOk) {
    const outcome = await checkPresentationProofs(document, {
      documentLoader: opts.documentLoader,
      didResolver: opts.didResolver,
      suites: opts.credentialOptions.suites ?? SUITE_NAMES,
      now: opts.credentialOptions.now ?? new Date(),
      maxClockSkewSeconds: opts.credentialOptions.maxClockSkewSeconds ?? 300,
      limits,
    })
    proofs = outcome.proofs
    checks.set('proof', checkOf('proof', outcome.problems))
  }
  const proofPassed = checks.get('proof')?.outcome === 'passed'

  // 2. Holder binding: every proof is by a key the holder controls.
  if (summary.signed && proofs.length > 0) {
    if (holder === undefined) {
      if (opts.holderRequired) {
        checks.set(
          'holder-binding',
          checkOf('holder-binding', [
            problem(
              'ERR_HOLDER_MISSING',
              'The presentation names no holder, so it cannot be bound to the key that signed it.',
              pointer('holder'),
            ),
          ]),
        )
      }
    } else {
      checks.set('holder-binding', checkOf('holder-binding', holderBinding(holder, proofs)))
    }
  }

  // 3. Challenge: equal, then single use (consumed only once the signature verified).
  if (summary.signed && proofs.length > 0) {
    const problems = challengeProblems(proofs, opts.challenge)
    if (problems.length > 0) {
      checks.set('challenge', checkOf('challenge', problems))
    } else if (opts.store !== undefined) {
      if (proofPassed) {
        const at = (proofs[0]?.path ?? '/proof') + '/challenge'
        const state = await consumeChallenge(opts, String(proofs[0]?.proof.challenge))
        checks.set(
          'challenge',
          checkOf(
            'challenge',
            state === 'ok'
              ? []
              : [
                  problem(
                    CHALLENGE_CODES[state],
                    state === 'used'
                      ? 'The challenge was already used: this presentation is a replay.'
                      : state === 'expired'
                        ? 'The challenge has expired.'
                        : 'This verifier did not issue the challenge (or not for this domain).',
                    at,
                  ),
                ],
          ),
        )
      }
    } else if (opts.challenge !== undefined) {
      checks.set('challenge', checkOf('challenge', []))
    }
  }

  // 4. Domain.
  if (summary.signed && proofs.length > 0 && opts.domain !== null) {
    checks.set('domain', checkOf('domain', domainProblems(proofs, opts.domain)))
  }

  // 5. Credentials: only once the presentation itself holds.
  const presentationHolds =
    envelopeOk &&
    (summary.signed ? proofPassed : opts.allowUnsigned) &&
    (['holder-binding', 'challenge', 'domain'] as const).every(
      (id) => checks.get(id)?.outcome !== 'failed',
    )
  const credentials: PresentedCredentialResult[] = []
  const list = embedded(document)
  if (presentationHolds && list.length > 0) {
    const problems: Problem[] = []
    for (const [index, { value, path }] of list.entries()) {
      const result: VerifyCredentialResult = opts.generic
        ? await verifyGenericCredential(value, opts.credentialOptions, defaults)
        : await runVerification(value, opts.credentialOptions, defaults)
      const id = isPlainObject(value) && typeof value.id === 'string' ? value.id : undefined
      credentials.push({
        index,
        path,
        ...(id === undefined ? {} : { id }),
        verified: result.verified,
        result,
      })
      if (!result.verified) {
        const codes = [...new Set(result.problems.map((p) => p.code))].join(', ')
        problems.push(
          problem(
            'ERR_PRESENTATION_CREDENTIAL_INVALID',
            `Credential ${index}${id === undefined ? '' : ` (${id})`} did not verify${codes === '' ? '' : `: ${codes}`}.`,
            path,
          ),
          ...reroot(result.problems, path),
        )
      }
    }
    checks.set('credentials', checkOf('credentials', problems))
  }

  // 6. Subject binding: every credential is about the holder (F3). Subjects read from a
  // presentation that does not hold prove nothing: then a mismatch is still reported, but the
  // check is never shown as passed (it is skipped).
  if (opts.subjectBinding && envelopeOk && list.length > 0) {
    const problems =
      holder === undefined
        ? [
            problem(
              'ERR_HOLDER_MISSING',
              'The presentation names no holder, so its credentials cannot be bound to one.',
              pointer('holder'),
            ),
          ]
        : subjectProblems(list, holder)
    if (presentationHolds || problems.length > 0) {
      checks.set('subject-binding', checkOf('subject-binding', problems))
    }
  }

  return finish(checks, summary, credentials, opts)
}

/**
 * Verifies a Verifiable Presentation (VC 2.0 or 1.1) made for this verifier.
 *
 * The checks, in order (each its own entry in `checks`): `input` (ingress limits), `structure`
 * (the VP envelope), `contexts` (pinned, safe mode), `proof` (allow-listed suite, purpose
 * `authentication`, key listed under its DID's `authentication`, every signature verifies),
 * `holder-binding` (the holder controls every proof key), `challenge` (equal, and single use with
 * a `challengeStore`), `domain`, `credentials` (each embedded credential through the credential
 * pipeline, only once the presentation itself holds) and `subject-binding` (each credential is
 * about the holder).
 *
 * Never throws for bad data: every input yields a result. Throws `TypeError` for bad options.
 *
 * @param input - the presentation: a parsed JSON value, JSON text, or UTF-8 bytes.
 * @example
 * const challenges = createChallengeStore()
 * const { challenge } = await challenges.issue({ domain: 'employer.example' })
 * // … the wallet signs a presentation for { challenge, domain } …
 * const r = await verifyPresentation(vp, {
 *   challenge, domain: 'employer.example', challengeStore: challenges,
 *   trustedIssuers: ['did:web:production-ai.institute'],
 * })
 * if (r.verified && r.holderProven) console.log(r.presentation.holder, r.credentials)
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#verifiable-presentations
 */
export async function verifyPresentation(
  input: unknown,
  options: VerifyPresentationOptions,
): Promise<VerifyPresentationResult> {
  return runPresentationVerification(input, options, BROWSER_DEFAULTS)
}
