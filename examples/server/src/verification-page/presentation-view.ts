/**
 * A presentation's result as the page shows it: the envelope's checks, then each credential
 * inside with its own verdict; the presentation's verdict is the envelope's, else the worst of its
 * credentials'. Pure and browser-safe.
 *
 * @module
 */
import { type CheckResult, type Problem, type VerifyCredentialResult } from '@certify-vc/verifier'
import { h, type ViewElement } from './view.js'
import {
  MARKS,
  OUTCOME_WORDS,
  TONE_ICONS,
  asVerifyResult,
  checkedAtNode,
  isProblem,
  renderProblem,
  renderResult,
} from './credential-view.js'
import { renderHolderBinding, type HolderBindingView } from './presentation-request-view.js'
import {
  explainCode,
  isAuthentic,
  notGenuine,
  verdictOf,
  type DisplayContext,
  type Verdict,
  type VerdictKind,
} from './verdict.js'

/** Plain-words labels of the presentation checks (`verifyPresentation`). */
export const PRESENTATION_CHECK_LABELS: Readonly<Record<string, string>> = {
  input: 'The file is a readable JSON document',
  structure: 'It has the shape of a verifiable presentation',
  contexts: 'It uses only the pinned vocabularies (JSON-LD contexts)',
  proof: "The holder's signature verifies",
  'holder-binding': 'The signing key belongs to the holder',
  challenge: 'It answers the expected challenge',
  domain: 'It was made for this site',
  credentials: 'Every credential inside was checked',
  'subject-binding': 'Every credential is about the holder',
}

/**
 * The parts of a `verifyPresentation` result the page uses (declared here, structurally, so the
 * page does not depend on the presentation types' module layout).
 */
export interface PresentationResultView {
  readonly verified: boolean
  readonly holderProven: boolean
  readonly checks: readonly {
    readonly id: string
    readonly outcome: CheckResult['outcome']
    readonly problems: readonly Problem[]
  }[]
  readonly problems: readonly Problem[]
  readonly presentation: { readonly holder?: string; readonly signed: boolean }
  readonly credentials: readonly {
    readonly index: number
    readonly verified: boolean
    readonly result: VerifyCredentialResult
  }[]
}

/** Narrows an unknown value to a presentation result, or `undefined`. */
export function asPresentationResult(value: unknown): PresentationResultView | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const r = value as Record<string, unknown>
  if (
    typeof r.verified !== 'boolean' ||
    typeof r.holderProven !== 'boolean' ||
    !Array.isArray(r.checks) ||
    !Array.isArray(r.problems) ||
    !Array.isArray(r.credentials) ||
    typeof r.presentation !== 'object' ||
    r.presentation === null
  ) {
    return undefined
  }
  const checksOk = (r.checks as unknown[]).every((c) => {
    if (typeof c !== 'object' || c === null) return false
    const check = c as Record<string, unknown>
    return (
      typeof check.id === 'string' &&
      (check.outcome === 'passed' || check.outcome === 'failed' || check.outcome === 'skipped') &&
      Array.isArray(check.problems) &&
      (check.problems as unknown[]).every(isProblem)
    )
  })
  const credentialsOk = (r.credentials as unknown[]).every((c) => {
    if (typeof c !== 'object' || c === null) return false
    const entry = c as Record<string, unknown>
    return (
      typeof entry.index === 'number' &&
      typeof entry.verified === 'boolean' &&
      asVerifyResult(entry.result) !== undefined
    )
  })
  if (!checksOk || !credentialsOk) return undefined
  return value as PresentationResultView
}

const SEVERITY: readonly VerdictKind[] = [
  'holder-not-proven',
  'not-genuine',
  'unreadable',
  'untrusted-issuer',
  'revoked',
  'suspended',
  'expired',
  'not-yet-valid',
  'status-unknown',
  'genuine-unlisted-issuer',
  'genuine',
]

/** The verdict of a presentation: the envelope's, else the worst of its credentials'. */
export function presentationVerdictOf(
  result: PresentationResultView,
  context: DisplayContext,
): Verdict {
  const failedCheck = result.checks.find(
    (c) => c.outcome === 'failed' && c.id !== 'credentials' && c.id !== 'subject-binding',
  )
  if (failedCheck !== undefined || (!result.verified && result.credentials.length === 0)) {
    const p = failedCheck?.problems[0] ?? result.problems[0]
    return {
      kind: 'not-genuine',
      tone: 'bad',
      title: 'Not genuine',
      summary: `This presentation does not hold. ${p === undefined ? 'It contains no credential that could be checked.' : explainCode(p.code)}`,
    }
  }
  const verdicts = result.credentials.map((c) => verdictOf(c.result, context))
  const worst = [...verdicts].sort((a, b) => SEVERITY.indexOf(a.kind) - SEVERITY.indexOf(b.kind))[0]
  if (worst === undefined) return notGenuine('It contains no credential.')
  const n = verdicts.length
  if (worst.kind === 'genuine' && result.verified) {
    return {
      ...worst,
      summary:
        n === 1
          ? 'The presentation holds, and its credential is genuine.'
          : `The presentation holds, and all ${n} of its credentials are genuine.`,
    }
  }
  if (worst.kind === 'genuine') {
    // Every credential is genuine, yet the presentation failed (e.g. a subject mismatch).
    const p = result.problems[0]
    return notGenuine(p === undefined ? 'A presentation check failed.' : explainCode(p.code))
  }
  return {
    ...worst,
    summary:
      n === 1
        ? worst.summary
        : `At least one of its ${n} credentials does not stand: ${worst.summary}`,
  }
}

/**
 * The holder's name, as the credentials about them give it: only from a credential whose
 * signature held and whose subject is the presentation's holder (never the presentation's own
 * text), so that the page says "Ada Lovelace" rather than a raw DID.
 */
export function holderNameOf(result: PresentationResultView): string | undefined {
  const holder = result.presentation.holder
  if (holder === undefined) return undefined
  for (const c of result.credentials) {
    const subject = c.result.credential.subject
    if (subject?.id === holder && subject.name !== undefined && isAuthentic(c.result)) {
      return subject.name
    }
  }
  return undefined
}

/** A presentation: its verdict, what the holder's signature proves, its checks, each credential. */
export function renderPresentationResult(
  result: PresentationResultView,
  context: DisplayContext,
  options: {
    source?: string
    /**
     * The answer to a request of this page: the server's holder binding (or why it could not be
     * had). Without it the page says that nothing was requested, so the holder is not proven.
     */
    request?: { readonly binding: HolderBindingView | { readonly error: string } }
    /** When this browser checked it ("Last checked …"). */
    checkedAt?: Date
  } = {},
): ViewElement {
  let verdict = presentationVerdictOf(result, context)
  const binding = options.request?.binding
  if (binding !== undefined && ('error' in binding || !binding.proven)) {
    // For a request, the presentation stands only if the holder is proven; each credential keeps
    // its own verdict below.
    verdict = {
      kind: 'holder-not-proven',
      tone: 'bad',
      title: 'Not proven for your request',
      summary:
        'error' in binding
          ? `The holder could not be checked: ${binding.error}`
          : `This presentation does not prove that its holder answered your request. ${binding.problem === undefined ? '' : explainCode(binding.problem.code)}`,
    }
  }
  const signature = result.presentation.signed
    ? result.holderProven
      ? "The holder's signature proves that they presented it."
      : 'The presentation is signed by its holder, but a file shared with you cannot prove that the holder sent it to you now (this page asked for no challenge). Each credential inside stands or falls on its own.'
    : 'The presentation is not signed: it is only a way of sharing the credentials inside, each of which is checked on its own.'
  // For a request, the presentation's checks are the server's (challenge consumed there);
  // the credentials' checks are this browser's.
  const serverChecks =
    binding !== undefined && !('error' in binding) && binding.checks !== undefined
      ? binding.checks
      : undefined
  const presentationChecks = serverChecks ?? result.checks
  return h(
    'section',
    {
      class: `result presentation tone-${verdict.tone}`,
      'data-verdict': verdict.kind,
      'aria-labelledby': 'verdict-title',
    },
    h(
      'div',
      { class: 'verdict' },
      h(
        'h2',
        { id: 'verdict-title', class: 'verdict-title' },
        h('span', { class: 'verdict-icon', 'aria-hidden': 'true' }, TONE_ICONS[verdict.tone]),
        verdict.title,
      ),
      h('p', { class: 'verdict-summary' }, verdict.summary),
      options.checkedAt === undefined
        ? undefined
        : h(
            'p',
            { class: 'checked-at' },
            'Last checked by this browser: ',
            checkedAtNode(options.checkedAt),
          ),
      options.source === undefined ? undefined : h('p', { class: 'source' }, options.source),
    ),
    renderHolderBinding(binding, holderNameOf(result)),
    binding === undefined ? h('p', { class: 'presentation-note' }, signature) : undefined,
    h(
      'h3',
      { class: 'checks-title' },
      serverChecks === undefined
        ? 'The presentation'
        : 'The presentation, as this site checked it for your request',
    ),
    h(
      'ol',
      { class: 'checks', 'data-checked-by': serverChecks === undefined ? 'browser' : 'server' },
      presentationChecks.map((check) =>
        h(
          'li',
          { class: `check check-${check.outcome}`, 'data-check': check.id },
          h('span', { class: 'mark', 'aria-hidden': 'true' }, MARKS[check.outcome]),
          h('span', { class: 'visually-hidden' }, `${OUTCOME_WORDS[check.outcome]}: `),
          h('span', { class: 'label' }, PRESENTATION_CHECK_LABELS[check.id] ?? check.id),
          check.outcome === 'failed'
            ? h(
                'ul',
                { class: 'problems' },
                // Each credential's own problems are listed in its section below.
                (check.id === 'credentials'
                  ? check.problems.filter((p) => p.code === 'ERR_PRESENTATION_CREDENTIAL_INVALID')
                  : check.problems
                ).map(renderProblem),
              )
            : undefined,
        ),
      ),
    ),
    result.credentials.map((c) =>
      h(
        'div',
        { class: 'presented-credential' },
        h(
          'h3',
          { id: `c${c.index}-heading` },
          `Credential ${c.index + 1} of ${result.credentials.length}`,
        ),
        renderResult(c.result, context, {
          headingLevel: 'h3',
          idPrefix: `c${c.index}-`,
          nested: true,
        }),
      ),
    ),
  )
}
