/**
 * `verifyPresentation`: the presentation's own checks, then every embedded credential through
 * the credential pipeline (`pipeline.ts`) with the same options, so that a credential gets the
 * same verdict inside a presentation as on its own. The presentation's proof is verified first;
 * its credentials only once the presentation itself holds, and a valid presentation never
 * makes up for an invalid credential (docs/attacks.md F5).
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#verifiable-presentations
 * @module
 */
import {
  asArray,
  credentialFormatOf,
  idOf,
  isPlainObject,
  pointer,
  problem,
  type Problem,
} from '@certify-vc/context'
import { readInput } from './ingress.js'
import { BROWSER_DEFAULTS, type VerifierDefaults } from './options.js'
import { runPipeline } from './pipeline.js'
import {
  type BindingProof,
  challengeProblems,
  consumeChallenge,
  domainProblems,
  holderKeyProblems,
  subjectProblems,
} from './presentation/binding.js'
import {
  checkEnvelope,
  checkEnvelopeContexts,
  checkOf,
  embeddedCredentials,
} from './presentation/envelope.js'
import {
  needsProof,
  resolvePresentationOptions,
  type PresentationOptions,
} from './presentation/options.js'
import {
  checkJwtPresentationProof,
  credentialOfEmbedded,
  readJwtPresentation,
} from './presentation/jwt.js'
import { checkPresentationProofs } from './presentation/proof.js'
import {
  PRESENTATION_CHECK_IDS,
  type PresentationCheckId,
  type PresentationCheckResult,
  type PresentationSummary,
  type PresentedCredentialResult,
  type VerifyPresentationOptions,
  type VerifyPresentationResult,
} from './presentation/types.js'

export { MAX_PRESENTATION_CREDENTIALS } from './presentation/envelope.js'

const skip = (id: PresentationCheckId): PresentationCheckResult => ({
  id,
  outcome: 'skipped',
  problems: [],
})

/** A credential's problems with paths re-rooted under `base`. */
function reroot(problems: readonly Problem[], base: string): Problem[] {
  return problems.map((p) => ({ ...p, path: base + (p.path ?? '') }))
}

function summarise(document: Readonly<Record<string, unknown>>): PresentationSummary {
  const holder = idOf(document.holder)
  const proof = asArray(document.proof)[0]
  const format = credentialFormatOf(document)
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
    ...(format === undefined ? {} : { format }),
    ...(holder === undefined ? {} : { holder }),
    // Only an absent `proof` is "unsigned"; `null`, `[]` or a non-object is a malformed proof.
    signed: document.proof !== undefined,
    ...(challenge === undefined ? {} : { challenge }),
    ...(domain === undefined ? {} : { domain }),
    credentialCount: embeddedCredentials(document).length,
  }
}

function finish(
  checks: Map<PresentationCheckId, PresentationCheckResult>,
  presentation: PresentationSummary,
  credentials: PresentedCredentialResult[],
  opts: PresentationOptions,
  proofNotes: readonly Problem[] = [],
): VerifyPresentationResult {
  const ordered = PRESENTATION_CHECK_IDS.map((id) => checks.get(id) ?? skip(id))
  const outcome = (id: PresentationCheckId) => checks.get(id)?.outcome ?? 'skipped'
  const passed = (id: PresentationCheckId) => outcome(id) === 'passed'
  const noneFailed = ordered.every((c) => c.outcome !== 'failed')
  const envelopeOk = passed('input') && passed('structure') && passed('contexts')
  // One rule: a presentation holds if it is signed and its proof, challenge and domain passed,
  // or if it is unsigned and nothing asks for what only a proof proves.
  const holds = presentation.signed
    ? passed('proof') &&
      (passed('challenge') || (opts.challenge === undefined && opts.store === undefined)) &&
      (passed('domain') || opts.domain === null)
    : !needsProof(opts)
  const credentialsOk =
    presentation.credentialCount === 0 ? !opts.requireCredentials : passed('credentials')
  const verified =
    noneFailed && envelopeOk && holds && credentialsOk && credentials.every((c) => c.verified)
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
    warnings: verified
      ? [...proofNotes, ...credentials.flatMap((c) => reroot(c.result.warnings, c.path))]
      : [],
    presentation,
    credentials,
  }
}

/** The presentation's holder binding, challenge and domain checks, from its proofs. */
async function checkBinding(
  checks: Map<PresentationCheckId, PresentationCheckResult>,
  proofs: readonly BindingProof[],
  holder: string | undefined,
  opts: PresentationOptions,
): Promise<void> {
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
    checks.set('holder-binding', checkOf('holder-binding', holderKeyProblems(holder, proofs)))
  }
  // Challenge: equal, then single use (consumed only once the signature verified).
  const mismatch = challengeProblems(proofs, opts.challenge)
  if (mismatch.length > 0) {
    checks.set('challenge', checkOf('challenge', mismatch))
  } else if (opts.store !== undefined) {
    if (checks.get('proof')?.outcome === 'passed') {
      checks.set('challenge', checkOf('challenge', await consumeChallenge(proofs, opts)))
    }
  } else if (opts.challenge !== undefined) {
    checks.set('challenge', checkOf('challenge', []))
  }
  if (opts.domain !== null) {
    checks.set('domain', checkOf('domain', domainProblems(proofs, opts.domain)))
  }
}

/** The presentation checks with the platform's defaults. @internal */
export async function runPresentationVerification(
  input: unknown,
  options: VerifyPresentationOptions,
  defaults: VerifierDefaults,
): Promise<VerifyPresentationResult> {
  const opts = resolvePresentationOptions(options, defaults)
  const checks = new Map<PresentationCheckId, PresentationCheckResult>()
  // A vp+jwt (text, bytes or an enveloped presentation) is opened first; the JWS is its proof.
  const jwt = readJwtPresentation(input, opts.pipeline)
  if (jwt.kind === 'refused-proof') {
    checks.set('input', checkOf('input', []))
    checks.set('proof', checkOf('proof', jwt.problems))
    return finish(checks, { signed: true, credentialCount: 0 }, [], opts)
  }
  const read =
    jwt.kind === 'jwt'
      ? { ok: true as const, document: jwt.document }
      : jwt.kind === 'refused-input'
        ? { ok: false as const, problems: [...jwt.problems] }
        : readInput(input, opts.pipeline.limits, { perCredentialBlankNodes: true })
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
  const summary: PresentationSummary =
    jwt.kind === 'jwt'
      ? {
          ...summarise(document),
          signed: true,
          ...(typeof jwt.jwt.payload.nonce === 'string'
            ? { challenge: jwt.jwt.payload.nonce }
            : {}),
          ...(typeof jwt.jwt.payload.aud === 'string' ? { domain: jwt.jwt.payload.aud } : {}),
        }
      : summarise(document)
  const contexts = await checkEnvelopeContexts(document, opts)
  checks.set('contexts', contexts)
  const envelopeOk = structure.outcome === 'passed' && contexts.outcome === 'passed'
  const holder = idOf(document.holder)

  // 1. The presentation's own proof, first (F5); then what binds it.
  let proofs: readonly BindingProof[] = []
  let proofNotes: readonly Problem[] = []
  if (!summary.signed) {
    if (needsProof(opts)) {
      checks.set(
        'proof',
        checkOf('proof', [
          problem(
            'ERR_PRESENTATION_UNSIGNED',
            opts.allowUnsigned
              ? 'The presentation has no proof, but a challenge, a domain or a holder binding is asked for: only a proof can answer them.'
              : 'The presentation has no proof: nothing shows that the holder presented it.',
            pointer('proof'),
          ),
        ]),
      )
    }
  } else if (envelopeOk && jwt.kind === 'jwt') {
    const outcome = await checkJwtPresentationProof(jwt.jwt, document, opts.pipeline)
    proofs = outcome.proofs
    checks.set('proof', checkOf('proof', outcome.problems))
    if (proofs.length > 0) await checkBinding(checks, proofs, holder, opts)
  } else if (envelopeOk) {
    const outcome = await checkPresentationProofs(document, opts)
    proofs = outcome.proofs
    proofNotes = outcome.notes
    checks.set('proof', checkOf('proof', outcome.problems))
    if (proofs.length > 0) await checkBinding(checks, proofs, holder, opts)
  }

  // 2. Credentials, only once the presentation itself holds: each through the pipeline.
  const presentationHolds =
    envelopeOk &&
    checks.get('proof')?.outcome !== 'failed' &&
    (summary.signed ? checks.get('proof')?.outcome === 'passed' : !needsProof(opts)) &&
    (['holder-binding', 'challenge', 'domain'] as const).every(
      (id) => checks.get(id)?.outcome !== 'failed',
    )
  const credentials: PresentedCredentialResult[] = []
  const list = embeddedCredentials(document)
  if (presentationHolds && list.length > 0) {
    const problems: Problem[] = []
    for (const [index, { value, path }] of list.entries()) {
      const result = await runPipeline(value, opts.pipeline)
      // An enveloped credential's id is its data: URL; the credential's own id says more.
      const id =
        result.credential.id ??
        (isPlainObject(value) && typeof value.id === 'string' ? value.id : undefined)
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

  // 3. Subject binding: every credential is about the holder (F3). Subjects read from a
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
        : subjectProblems(
            list.map((c) => ({ ...c, value: credentialOfEmbedded(c.value, opts.pipeline) })),
            holder,
          )
    if (presentationHolds || problems.length > 0) {
      checks.set('subject-binding', checkOf('subject-binding', problems))
    }
  }

  return finish(checks, summary, credentials, opts, proofNotes)
}

/**
 * Verifies a Verifiable Presentation (VC 2.0 or 1.1) made for this verifier.
 *
 * The checks, in order (each its own entry in `checks`): `input` (ingress limits, each embedded
 * credential with its own blank-node budget), `structure` (the VP envelope, at most
 * {@link MAX_PRESENTATION_CREDENTIALS} credentials), `contexts` (pinned, safe mode), `proof`
 * (an accepted suite, purpose `authentication`, not expired, a key listed under its DID's
 * `authentication`, every signature verifies), `holder-binding` (the holder controls every
 * proof key), `challenge` (equal, and single use with a `challengeStore`), `domain`,
 * `credentials` (each embedded credential through the credential pipeline with the same
 * options and profile, only once the presentation itself holds) and `subject-binding` (each
 * credential is about the holder).
 *
 * An unsigned presentation verifies only with `unsignedPresentation: 'allow'` and when nothing
 * asks for what only a proof proves (no challenge, challenge store, domain or required holder
 * binding); its credentials must then verify exactly as they would on their own.
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
