/**
 * A credential's result as the page shows it: the verdict, the facts (holder, program, issuer,
 * dates), what was noted, and every check with its reason and JSON pointer. Also narrows a result
 * that came over the network (the server's lookup answers) back to a verifier result. Pure and
 * browser-safe; every value is text (see verdict.ts for the display rules).
 *
 * @module
 */
import { CHECK_IDS, type Problem, type VerifyCredentialResult } from '@certify-vc/verifier'
import { h, type ViewElement, type ViewNode } from './view.js'
import {
  CHECK_LABELS,
  explainCode,
  isAuthentic,
  issuerDisplayName,
  verdictOf,
  type DisplayContext,
  type VerdictTone,
} from './verdict.js'

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'UTC',
})

/** A date for people ("29 November 2026 at 12:00 UTC"), in a `<time>` element. */
function dateNode(iso: string): ViewNode {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return iso
  return h('time', { datetime: new Date(ms).toISOString() }, `${DATE_FORMAT.format(ms)} UTC`)
}

function fact(term: string, ...description: ViewNode[]): ViewNode[] {
  return [h('dt', {}, term), h('dd', {}, ...description)]
}

/** The facts established (or the reason none are shown). */
function renderFacts(result: VerifyCredentialResult, context: DisplayContext): ViewElement {
  if (!isAuthentic(result)) {
    return h(
      'p',
      { class: 'facts-withheld' },
      'No holder, program or dates are shown: nothing in this file can be trusted.',
    )
  }
  const c = result.credential
  const issuerName = issuerDisplayName(result, context)
  return h(
    'dl',
    { class: 'facts' },
    fact(
      'Holder',
      c.subject?.name === undefined
        ? h('span', { class: 'muted' }, 'No name in the credential')
        : c.subject.name,
    ),
    fact(
      'Program',
      c.program === undefined
        ? h('span', { class: 'muted' }, 'Not one of the Institute’s programs')
        : c.program.name.includes(`(${c.program.code})`)
          ? c.program.name
          : `${c.program.name} (${c.program.code})`,
    ),
    fact(
      'Issued by',
      issuerName ?? h('span', { class: 'muted' }, 'Not a trusted issuer'),
      ...(c.issuer === undefined ? [] : [h('br'), h('code', { class: 'did' }, c.issuer)]),
    ),
    fact('Issued', c.validFrom === undefined ? '—' : dateNode(c.validFrom)),
    fact('Expires', c.validUntil === undefined ? 'Does not expire' : dateNode(c.validUntil)),
    c.id === undefined ? [] : fact('Credential id', h('code', {}, c.id)),
  )
}

/** The mark of each check outcome. */
export const MARKS = { passed: '✓', failed: '✗', skipped: '–' } as const
/** The outcome in words, for screen readers. */
export const OUTCOME_WORDS = { passed: 'Passed', failed: 'Failed', skipped: 'Not checked' } as const

/** One problem: its reason, code, pointer and detail. */
export function renderProblem(p: Problem): ViewElement {
  return h(
    'li',
    { class: 'problem' },
    h('span', { class: 'reason' }, explainCode(p.code)),
    ' ',
    h('code', { class: 'code' }, p.code),
    p.path === undefined
      ? undefined
      : h('span', { class: 'pointer' }, ' at ', h('code', {}, p.path === '' ? '/' : p.path)),
    p.message === '' ? undefined : h('span', { class: 'detail' }, p.message),
  )
}

function skippedReason(result: VerifyCredentialResult, index: number): string {
  // Newer verifiers say why a check was skipped; older results fall back to a generic reason.
  const given = (result.checks[index] as { reason?: unknown } | undefined)?.reason
  if (typeof given === 'string' && given !== '') return `Not checked: ${given}`
  const earlierFailed = result.checks.slice(0, index).some((c) => c.outcome === 'failed')
  return earlierFailed ? 'Not checked: an earlier check failed.' : 'Not applicable here.'
}

/** Every check, in pipeline order, with ✓ / ✗ / – and, when it failed, each reason and pointer. */
export function renderChecks(result: VerifyCredentialResult): ViewElement {
  return h(
    'ol',
    { class: 'checks' },
    result.checks.map((check, index) =>
      h(
        'li',
        { class: `check check-${check.outcome}`, 'data-check': check.id },
        h('span', { class: 'mark', 'aria-hidden': 'true' }, MARKS[check.outcome]),
        h('span', { class: 'visually-hidden' }, `${OUTCOME_WORDS[check.outcome]}: `),
        h('span', { class: 'label' }, CHECK_LABELS[check.id]),
        check.outcome === 'failed'
          ? h('ul', { class: 'problems' }, check.problems.map(renderProblem))
          : check.outcome === 'skipped'
            ? h('span', { class: 'detail' }, skippedReason(result, index))
            : undefined,
      ),
    ),
  )
}

/** The whole result: verdict (as the live announcement), facts, checks. */
export function renderResult(
  result: VerifyCredentialResult,
  context: DisplayContext,
  options: {
    headingLevel?: 'h2' | 'h3'
    source?: string
    /** Prefix of element ids, when several results share a page. */
    idPrefix?: string
    /** A credential inside a presentation (`data-credential-verdict` instead of `data-verdict`). */
    nested?: boolean
  } = {},
): ViewElement {
  const verdict = verdictOf(result, context)
  const heading = options.headingLevel ?? 'h2'
  const titleId = `${options.idPrefix ?? ''}verdict-title`
  return h(
    'section',
    {
      class: `result tone-${verdict.tone}`,
      [options.nested === true ? 'data-credential-verdict' : 'data-verdict']: verdict.kind,
      'aria-labelledby': titleId,
    },
    h(
      'div',
      { class: 'verdict' },
      h(
        heading,
        { id: titleId, class: 'verdict-title' },
        h('span', { class: 'verdict-icon', 'aria-hidden': 'true' }, TONE_ICONS[verdict.tone]),
        verdict.title,
      ),
      h('p', { class: 'verdict-summary' }, verdict.summary),
      options.source === undefined ? undefined : h('p', { class: 'source' }, options.source),
    ),
    renderFacts(result, context),
    renderWarnings(result, heading === 'h2' ? 'h3' : 'h4'),
    h(heading === 'h2' ? 'h3' : 'h4', { class: 'checks-title' }, 'Every check'),
    renderChecks(result),
  )
}

/** What the verifier noted without failing the credential (e.g. an issuer not on the list). */
function renderWarnings(result: VerifyCredentialResult, heading: 'h3' | 'h4'): ViewNode[] {
  // Results from older verifiers have no `warnings`.
  const warnings = (result as { warnings?: readonly Problem[] }).warnings ?? []
  if (warnings.length === 0) return []
  return [
    h(heading, { class: 'warnings-title' }, 'Worth knowing'),
    h(
      'ul',
      { class: 'warnings' },
      warnings.map((w) =>
        h(
          'li',
          { class: 'warning' },
          h('span', { class: 'reason' }, explainCode(w.code)),
          ' ',
          h('code', { class: 'code' }, w.code),
          w.message === '' ? undefined : h('span', { class: 'detail' }, w.message),
        ),
      ),
    ),
  ]
}

/** The icon of each verdict tone. */
export const TONE_ICONS: Readonly<Record<VerdictTone, string>> = {
  good: '✓',
  bad: '✗',
  caution: '!',
}

/** Narrows an unknown value to a problem (`code`, `message`, optional `path`). */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false
  const p = value as Record<string, unknown>
  return (
    typeof p.code === 'string' &&
    typeof p.message === 'string' &&
    (p.path === undefined || typeof p.path === 'string')
  )
}

/**
 * Narrows an unknown value (e.g. the server's `verify` answer) to a verifier result, or
 * `undefined` when it does not have that shape.
 */
export function asVerifyResult(value: unknown): VerifyCredentialResult | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const r = value as Record<string, unknown>
  if (typeof r.verified !== 'boolean' || !Array.isArray(r.checks) || !Array.isArray(r.problems)) {
    return undefined
  }
  const checksOk = (r.checks as unknown[]).every((c) => {
    if (typeof c !== 'object' || c === null) return false
    const check = c as Record<string, unknown>
    return (
      (CHECK_IDS as readonly unknown[]).includes(check.id) &&
      (check.outcome === 'passed' || check.outcome === 'failed' || check.outcome === 'skipped') &&
      Array.isArray(check.problems) &&
      (check.problems as unknown[]).every(isProblem)
    )
  })
  if (!checksOk || !(r.problems as unknown[]).every(isProblem)) return undefined
  if (typeof r.credential !== 'object' || r.credential === null) return undefined
  return value as VerifyCredentialResult
}
