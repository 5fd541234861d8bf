/**
 * A credential's result as the page shows it: the verdict with its reason and when it was checked
 * (first, so that on a phone the reason is above the fold), the facts (holder, program, issuer,
 * dates, status), the achievement from the catalog (name, type, description, criteria, skills,
 * badge), the issuer card, what was noted, and every check with a title that says what passed
 * or failed, a plain-words help, and one line for the checks an earlier failure left unreached.
 * Also narrows a result that came over the network (the server's lookup answers) back to a
 * verifier result. Pure and browser-safe; every value is text (see verdict.ts for the display
 * rules: docs/attacks.md G1, G2, G5, E4).
 *
 * @module
 */
import { CONTROL_AREAS, type Program } from '@certify-vc/context'
import {
  CHECK_IDS,
  type CheckResult,
  type Problem,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import { h, type ViewElement, type ViewNode } from './view.js'
import {
  CHECK_HELP,
  CHECK_SHORT_NAMES,
  checkTitle,
  explainCode,
  isAuthentic,
  issuerDisplayName,
  outcomeOf,
  verdictOf,
  type DisplayContext,
  type VerdictTone,
} from './verdict.js'

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'UTC',
})

const CHECKED_FORMAT = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'medium',
  timeZone: 'UTC',
})

/** A date for people ("29 November 2026 at 12:00 UTC"), in a `<time>` element. */
export function dateNode(iso: string): ViewNode {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return iso
  return h('time', { datetime: new Date(ms).toISOString() }, `${DATE_FORMAT.format(ms)} UTC`)
}

/** When a check ran, to the second ("7 December 2026 at 20:15:03 UTC"), in a `<time>`. */
export function checkedAtNode(at: Date): ViewNode {
  return h('time', { datetime: at.toISOString() }, `${CHECKED_FORMAT.format(at)} UTC`)
}

function fact(term: string, ...description: ViewNode[]): ViewNode[] {
  return [h('dt', {}, term), h('dd', {}, ...description)]
}

function muted(text: string): ViewElement {
  return h('span', { class: 'muted' }, text)
}

/** The program's name with its code once ("AI Deployment Awareness (AIDA)"). */
export function programLabel(program: { readonly name: string; readonly code: string }): string {
  return program.name.includes(`(${program.code})`)
    ? program.name
    : `${program.name} (${program.code})`
}

/** The catalog's program of a result: only for a trusted issuer and a known achievement. */
function catalogProgram(
  result: VerifyCredentialResult,
  context: DisplayContext,
): Program | undefined {
  const code = result.credential.program?.code
  if (code === undefined || !isAuthentic(result)) return undefined
  if (issuerDisplayName(result, context) === undefined) return undefined
  return context.catalog.programs[code]
}

/** How long a program's credentials stay valid, in words. */
export function validityWords(program: Program): string {
  if (!program.validity.expires) return 'Does not expire.'
  const days = program.validity.days
  const years = days % 365 === 0 ? days / 365 : undefined
  return years === undefined
    ? `Valid for ${days} days from issue, then renewed.`
    : `Valid for ${years} year${years === 1 ? '' : 's'} from issue, then renewed.`
}

/** The program's badge: its image when this server serves one, else a text badge. */
export function badgeNode(program: Program, context: DisplayContext): ViewElement {
  const src = context.badgeImages?.[program.code]
  return src === undefined
    ? h(
        'span',
        { class: `badge badge-text badge-${program.code.toLowerCase()}`, 'aria-hidden': 'true' },
        program.code,
      )
    : h('img', {
        class: 'badge',
        src,
        alt: `The ${program.code} badge`,
        width: '96',
        height: '96',
      })
}

/** The control areas a program aligns to: name and description, from the catalog. */
export function skillsNode(program: Program): ViewElement {
  return h(
    'ul',
    { class: 'skills' },
    program.alignment.map((slug) => {
      const area = CONTROL_AREAS.find((a) => a.slug === slug)
      return h(
        'li',
        {},
        h('span', { class: 'skill-name' }, area?.name ?? slug),
        area === undefined
          ? undefined
          : h('span', { class: 'skill-description' }, area.description),
      )
    }),
  )
}

/**
 * The achievement, from the catalog only (never the credential's own text, docs/attacks.md G2):
 * badge, name, type, description, criteria, skills, validity and the program's page.
 */
function renderAchievement(
  program: Program,
  context: DisplayContext,
  heading: 'h3' | 'h4',
): ViewElement {
  return h(
    'section',
    { class: 'achievement', 'aria-label': 'The achievement' },
    h(
      'div',
      { class: 'achievement-head' },
      badgeNode(program, context),
      h(
        'div',
        {},
        h(heading, { class: 'achievement-name' }, programLabel(program)),
        h(
          'p',
          { class: 'achievement-type' },
          `${program.achievementType} · ${program.fee === 'free' ? 'free program' : 'paid program'}`,
        ),
      ),
    ),
    h('p', { class: 'achievement-description' }, program.description),
    h(
      'dl',
      { class: 'achievement-facts' },
      fact('Criteria', program.criteriaNarrative),
      fact('Skills (aligned control areas)', skillsNode(program)),
      fact('Validity', validityWords(program)),
    ),
    h(
      'p',
      {},
      h(
        'a',
        { href: new URL(program.achievementId).pathname },
        `About the ${program.code} program`,
      ),
    ),
  )
}

/** The issuer as the trust list names it: name, homepage (the catalog's), DID. */
function renderIssuer(result: VerifyCredentialResult, context: DisplayContext): ViewElement {
  const did = result.credential.issuer
  const name = issuerDisplayName(result, context)
  if (name === undefined) {
    return h(
      'section',
      { class: 'issuer-card issuer-untrusted', 'aria-label': 'The issuer' },
      h('p', { class: 'issuer-name' }, 'An issuer this site does not trust'),
      h(
        'p',
        { class: 'muted' },
        'Its name, logo and web address in the file are its own claims and are not shown.',
      ),
      did === undefined ? undefined : h('p', {}, h('code', { class: 'did' }, did)),
    )
  }
  const fromCatalog =
    did !== undefined &&
    !(context.issuerNames !== undefined && Object.hasOwn(context.issuerNames, did))
  const initials = name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 3)
    .toUpperCase()
  return h(
    'section',
    { class: 'issuer-card', 'aria-label': 'The issuer' },
    h('span', { class: 'issuer-logo', 'aria-hidden': 'true' }, initials),
    h(
      'div',
      {},
      h('p', { class: 'issuer-name' }, name),
      h('p', { class: 'muted' }, 'On this site’s list of trusted issuers.'),
      fromCatalog
        ? h(
            'p',
            {},
            h(
              'a',
              { href: context.catalog.institute.url, rel: 'noopener noreferrer' },
              new URL(context.catalog.institute.url).host,
            ),
          )
        : undefined,
      did === undefined ? undefined : h('p', {}, h('code', { class: 'did' }, did)),
    ),
  )
}

/** The status in words: what the issuer's lists say, or why nothing could be said. */
export function statusWords(result: VerifyCredentialResult): ViewNode[] {
  const check = result.checks.find((c) => c.id === 'status')
  const codes = new Set(check?.problems.map((p) => p.code) ?? [])
  const messages = (result.credential.status ?? [])
    .filter((s) => s.value !== 0 && s.message !== undefined && !/^(un)?set$/.test(s.message))
    .map((s) => s.message as string)
  const said =
    messages.length === 0
      ? []
      : [h('span', { class: 'status-message' }, ` The issuer’s note: ${messages.join('; ')}.`)]
  if (check?.outcome === 'passed') {
    return [h('strong', {}, 'Active'), ': neither revoked nor suspended, by the issuer’s lists.']
  }
  if (codes.has('ERR_STATUS_REVOKED')) {
    return [
      h('strong', {}, 'Revoked'),
      ': the issuer has withdrawn this credential for good; it no longer stands.',
      ...said,
    ]
  }
  if (codes.has('ERR_STATUS_SUSPENDED')) {
    return [
      h('strong', {}, 'Suspended'),
      ': the issuer has suspended this credential; it does not stand while suspended and may be reinstated.',
      ...said,
    ]
  }
  if (check?.outcome === 'failed') {
    const first = check.problems[0]
    return [
      h('strong', {}, 'Unknown'),
      `: ${first === undefined ? 'the issuer’s lists could not be read.' : explainCode(first.code)}`,
    ]
  }
  return [muted(check?.reason ?? 'Not checked.')]
}

/** The facts established (or the reason none are shown). */
function renderFacts(result: VerifyCredentialResult, context: DisplayContext): ViewElement {
  if (outcomeOf(result, 'input') !== 'passed') {
    return h(
      'p',
      { class: 'facts-withheld' },
      'Nothing was read from this file, so there are no facts to show.',
    )
  }
  if (!isAuthentic(result)) {
    return h(
      'p',
      { class: 'facts-withheld' },
      'No holder, program or dates are shown: nothing in this file can be trusted.',
    )
  }
  const c = result.credential
  const trusted = issuerDisplayName(result, context) !== undefined
  return h(
    'dl',
    { class: 'facts' },
    fact(
      'Holder',
      c.subject?.name === undefined ? muted('No name in the credential') : c.subject.name,
      ...(c.subject?.id === undefined ? [] : [h('br'), h('code', { class: 'did' }, c.subject.id)]),
    ),
    fact(
      'Program',
      c.program !== undefined
        ? programLabel(c.program)
        : trusted
          ? muted('Not one of the Institute’s programs')
          : muted(
              'Not confirmed: the issuer is not trusted, so its claim to a program is not checked',
            ),
    ),
    fact(
      'Issued by',
      issuerDisplayName(result, context) ?? muted('Not a trusted issuer'),
      ...(c.issuer === undefined ? [] : [h('br'), h('code', { class: 'did' }, c.issuer)]),
    ),
    fact('Issued', c.validFrom === undefined ? '—' : dateNode(c.validFrom)),
    fact('Expires', c.validUntil === undefined ? 'Does not expire' : dateNode(c.validUntil)),
    fact('Status', ...statusWords(result)),
    c.id === undefined ? [] : fact('Credential id', h('code', {}, c.id)),
    c.disclosed === undefined
      ? []
      : fact(
          'Shown by the holder',
          `Selective disclosure: ${c.disclosed.length} value${c.disclosed.length === 1 ? '' : 's'} shown, the rest withheld by the holder; the issuer’s signature covers what is shown.`,
          h('br'),
          h('code', { class: 'disclosed' }, c.disclosed.join(' ')),
        ),
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

function helpNode(check: CheckResult, idPrefix: string): ViewElement {
  return h(
    'details',
    { class: 'check-help' },
    h(
      'summary',
      { id: `${idPrefix}help-${check.id}` },
      'What this means',
      h('span', { class: 'visually-hidden' }, ` (${CHECK_SHORT_NAMES[check.id]})`),
    ),
    h('p', {}, CHECK_HELP[check.id]),
  )
}

function checkRow(check: CheckResult, idPrefix: string, extra?: ViewNode): ViewElement {
  return h(
    'li',
    { class: `check check-${check.outcome}`, 'data-check': check.id },
    h('span', { class: 'mark', 'aria-hidden': 'true' }, MARKS[check.outcome]),
    h('span', { class: 'visually-hidden' }, `${OUTCOME_WORDS[check.outcome]}: `),
    h('span', { class: 'label' }, checkTitle(check)),
    check.outcome === 'failed'
      ? h('ul', { class: 'problems' }, check.problems.map(renderProblem))
      : extra,
    helpNode(check, idPrefix),
  )
}

/**
 * The checks whose failure stops the checks after them (docs/design.md §4: nothing is read from a
 * document that is unreadable, malformed or not as signed, and nothing about an untrusted
 * issuer's program or status is looked up). A failed validity or status stops nothing.
 */
const BLOCKING: ReadonlySet<string> = new Set([
  'input',
  'structure',
  'contexts',
  'proof',
  'key-binding',
  'issuer-trust',
])

/**
 * Every check, in pipeline order, with ✓ / ✗ / – and, when it failed, each reason and pointer.
 * Checks that were not run because an earlier one failed share one line that names them (each
 * still its own `li.check` inside it), instead of one repeated "Not checked" line each.
 */
export function renderChecks(result: VerifyCredentialResult, idPrefix = ''): ViewElement {
  const rows: ViewNode[] = []
  const checks = result.checks
  let i = 0
  while (i < checks.length) {
    const check = checks[i] as CheckResult
    const firstFailure = checks
      .slice(0, i)
      .find((c) => c.outcome === 'failed' && BLOCKING.has(c.id))
    if (check.outcome === 'skipped' && firstFailure !== undefined) {
      const group: CheckResult[] = []
      while (i < checks.length && (checks[i] as CheckResult).outcome === 'skipped') {
        group.push(checks[i] as CheckResult)
        i++
      }
      rows.push(
        h(
          'li',
          { class: 'not-reached' },
          h('span', { class: 'mark', 'aria-hidden': 'true' }, MARKS.skipped),
          h(
            'span',
            { class: 'label' },
            `Not reached, because ${CHECK_SHORT_NAMES[firstFailure.id]} failed: `,
          ),
          h(
            'ul',
            { class: 'not-reached-list' },
            group.map((c, n) =>
              h(
                'li',
                { class: 'check check-skipped', 'data-check': c.id },
                `${CHECK_SHORT_NAMES[c.id]}${n === group.length - 1 ? '.' : ','}`,
              ),
            ),
          ),
        ),
      )
      continue
    }
    const given = check.reason
    rows.push(
      checkRow(
        check,
        idPrefix,
        check.outcome === 'skipped'
          ? h(
              'span',
              { class: 'detail' },
              typeof given === 'string' && given !== ''
                ? `Not checked: ${given}`
                : 'Not applicable here.',
            )
          : undefined,
      ),
    )
    i++
  }
  return h('ol', { class: 'checks' }, rows)
}

/** Options of {@link renderResult}. */
export interface RenderResultOptions {
  readonly headingLevel?: 'h2' | 'h3'
  /** Where the input came from ("Checked in this browser: ada.json …"). */
  readonly source?: string
  /** Prefix of element ids, when several results share a page. */
  readonly idPrefix?: string
  /**
   * A credential inside a presentation (`data-credential-verdict` instead of `data-verdict`),
   * under a heading whose id is `<idPrefix>heading`.
   */
  readonly nested?: boolean
  /** When the check ran ("Last checked …"). */
  readonly checkedAt?: Date
  /** Who checked: "this browser" or "the server". */
  readonly checkedBy?: string
  /**
   * The "Check again" control: a button for the browser (`button`, handled by the script) or a
   * link for the server-rendered pages (`href`).
   */
  readonly checkAgain?: { readonly button: true } | { readonly href: string }
}

/**
 * The whole result: the verdict with its reason and when it was checked, the achievement, the
 * facts, the issuer, what was noted, and the checks.
 */
export function renderResult(
  result: VerifyCredentialResult,
  context: DisplayContext,
  options: RenderResultOptions = {},
): ViewElement {
  const verdict = verdictOf(result, context)
  const heading = options.headingLevel ?? 'h2'
  const sub = heading === 'h2' ? 'h3' : 'h4'
  const idPrefix = options.idPrefix ?? ''
  const titleId = `${idPrefix}verdict-title`
  const program = catalogProgram(result, context)
  const again = options.checkAgain
  return h(
    'section',
    {
      class: `result tone-${verdict.tone}`,
      [options.nested === true ? 'data-credential-verdict' : 'data-verdict']: verdict.kind,
      'data-checked-by':
        options.checkedBy === undefined
          ? undefined
          : options.checkedBy === 'the server'
            ? 'server'
            : 'browser',
      // Inside a presentation, "Credential 1 of 2" names it too: landmarks need unique names.
      'aria-labelledby': options.nested === true ? `${idPrefix}heading ${titleId}` : titleId,
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
      options.checkedAt === undefined
        ? undefined
        : h(
            'p',
            { class: 'checked-at' },
            `Last checked${options.checkedBy === undefined ? '' : ` by ${options.checkedBy}`}: `,
            checkedAtNode(options.checkedAt),
            again === undefined
              ? undefined
              : [
                  ' ',
                  'button' in again
                    ? h('button', { type: 'button', class: 'check-again secondary' }, 'Check again')
                    : h('a', { class: 'check-again', href: again.href }, 'Check again'),
                ],
          ),
      options.source === undefined ? undefined : h('p', { class: 'source' }, options.source),
    ),
    renderFacts(result, context),
    program === undefined ? undefined : renderAchievement(program, context, sub),
    isAuthentic(result) ? renderIssuer(result, context) : undefined,
    renderWarnings(result, sub),
    h(sub, { class: 'checks-title' }, 'Every check'),
    renderChecks(result, idPrefix),
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
      (check.problems as unknown[]).every(isProblem) &&
      (check.reason === undefined || typeof check.reason === 'string')
    )
  })
  if (!checksOk || !(r.problems as unknown[]).every(isProblem)) return undefined
  if (typeof r.credential !== 'object' || r.credential === null) return undefined
  return value as VerifyCredentialResult
}
