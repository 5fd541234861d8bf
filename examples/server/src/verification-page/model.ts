/**
 * From a verifier result to what the page shows: the verdict, the facts, and every check with
 * its plain-words reason. Shared by the browser (files dropped on the page) and the server (the
 * no-JavaScript lookup page), so both give the same verdict for the same result. Pure and
 * browser-safe.
 *
 * Display rules (docs/attacks.md G1, G2, G5, E4): the program comes from the catalog (the verifier's
 * `credential.program`, set only for a trusted issuer and a known achievement id), the issuer's
 * name from the trust list, never from the credential; the only credential-supplied text shown
 * is the holder's name, and only when the signature and key binding held. Everything is text.
 *
 * @module
 */
import {
  CHECK_IDS,
  explainErrorCode,
  type CheckId,
  type CheckResult,
  type ErrorCode,
  type Problem,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import { isErrorCode, type Catalog } from '@certify-vc/context'
import { h, type ViewElement, type ViewNode } from './view.js'

/** The verdicts the page can give. */
export type VerdictKind =
  | 'genuine'
  /**
   * Verified under a profile that accepts any issuer (`?profile=open-badges` or `vc`): signed and
   * unaltered, by an issuer that is not on the trusted list.
   */
  | 'genuine-unlisted-issuer'
  | 'not-genuine'
  | 'untrusted-issuer'
  | 'revoked'
  | 'suspended'
  | 'expired'
  | 'not-yet-valid'
  | 'status-unknown'
  /** A presentation answering a request of this page whose holder binding failed. */
  | 'holder-not-proven'

/** How a verdict is coloured: good (green), bad (red), caution (amber). */
export type VerdictTone = 'good' | 'bad' | 'caution'

/** The verdict of a credential result. */
export interface Verdict {
  readonly kind: VerdictKind
  readonly tone: VerdictTone
  /** One or two words: "Genuine", "Not genuine", "Revoked" … */
  readonly title: string
  /** One sentence for people. */
  readonly summary: string
}

/** What the page needs besides the result. */
export interface DisplayContext {
  /** The catalog the verifier used (institute name for trusted issuers). */
  readonly catalog: Catalog
  /** Display names of trusted issuers by DID; default: the catalog's institute name. */
  readonly issuerNames?: Readonly<Record<string, string>>
  readonly trustedIssuers: readonly string[]
}

/** Plain-words label of each check. */
export const CHECK_LABELS: Readonly<Record<CheckId, string>> = {
  input: 'The file is a readable JSON document',
  structure: 'It has the shape of a verifiable credential (an Open Badge where required)',
  contexts: 'It uses only the pinned vocabularies (JSON-LD contexts)',
  proof: 'The signature verifies: nothing was altered',
  'key-binding': 'The signing key belongs to the issuer',
  validity: 'Today is within its validity dates',
  'related-resources': 'The resources it links to are the ones it was signed with',
  'issuer-trust': 'The issuer is on the trusted-issuer list',
  program: "The achievement is one of the Institute's programs",
  status: 'It has not been revoked or suspended',
}

const INTEGRITY: readonly CheckId[] = ['input', 'structure', 'contexts']
const SIGNATURE: readonly CheckId[] = ['proof', 'key-binding']

function outcome(result: VerifyCredentialResult, id: CheckId): CheckResult['outcome'] | undefined {
  return result.checks.find((c) => c.id === id)?.outcome
}

function hasCode(result: VerifyCredentialResult, code: ErrorCode): boolean {
  return result.problems.some((p) => p.code === code)
}

/** True when the signature and the key binding held: what the credential says is as signed. */
export function isAuthentic(result: VerifyCredentialResult): boolean {
  return SIGNATURE.every((id) => outcome(result, id) === 'passed')
}

function firstExplanation(result: VerifyCredentialResult, ids: readonly CheckId[]): string {
  for (const id of ids) {
    const p = result.checks.find((c) => c.id === id)?.problems[0]
    if (p !== undefined) return explain(p.code)
  }
  const p = result.problems[0]
  return p === undefined ? 'A required check did not pass.' : explain(p.code)
}

function explain(code: string): string {
  return isErrorCode(code) ? explainErrorCode(code) : `Unknown problem code ${code}.`
}

/**
 * The verdict of a verifier result. The most serious finding wins: an unreadable or altered
 * document, then a foreign issuer, then an unknown program, then revocation, suspension, expiry,
 * not-yet-valid, and last an unknown status.
 */
export function verdictOf(result: VerifyCredentialResult, context: DisplayContext): Verdict {
  const institute = context.catalog.institute.name
  if (result.verified) {
    const statusChecked = outcome(result, 'status') === 'passed'
    const listed = issuerDisplayName(result, context)
    if (listed === undefined) {
      // Never name the Institute for an issuer that is not on the list.
      return {
        kind: 'genuine-unlisted-issuer',
        tone: 'caution',
        title: 'Genuine, from an issuer not on the trusted list',
        summary: `Signed by ${result.credential.issuer ?? 'its issuer'} and unaltered${statusChecked ? ', and neither revoked nor suspended' : ''}. That issuer is not one ${institute} lists as trusted: the credential is only as good as its issuer.`,
      }
    }
    return {
      kind: 'genuine',
      tone: 'good',
      title: 'Genuine',
      summary: statusChecked
        ? `Issued by ${listed}, unaltered, and neither revoked nor suspended.`
        : `Issued by ${listed} and unaltered. It carries no revocation status to check.`,
    }
  }
  const failed = (id: CheckId) => outcome(result, id) === 'failed'
  if (INTEGRITY.some(failed) || outcome(result, 'input') !== 'passed') {
    return notGenuine(firstExplanation(result, INTEGRITY))
  }
  // Not on the trust list, whether or not its key could be resolved: a did:web of another host is
  // never fetched by the page (so its key binding fails), and no signature makes it genuine.
  const issuer = result.credential.issuer
  const untrusted =
    failed('issuer-trust') ||
    (issuer !== undefined && !context.trustedIssuers.includes(issuer) && !failed('proof'))
  if (untrusted) {
    return {
      kind: 'untrusted-issuer',
      tone: 'bad',
      title: 'Untrusted issuer',
      summary: `This credential was not issued by ${institute} or another trusted issuer, whatever it says about itself.`,
    }
  }
  if (SIGNATURE.some(failed) || !isAuthentic(result)) {
    return notGenuine(firstExplanation(result, SIGNATURE))
  }
  if (failed('program')) return notGenuine(firstExplanation(result, ['program']))
  if (hasCode(result, 'ERR_STATUS_REVOKED')) {
    return {
      kind: 'revoked',
      tone: 'bad',
      title: 'Revoked',
      summary: 'The issuer has revoked this credential: it no longer stands.',
    }
  }
  if (hasCode(result, 'ERR_STATUS_SUSPENDED')) {
    return {
      kind: 'suspended',
      tone: 'caution',
      title: 'Suspended',
      summary: 'The issuer has suspended this credential for now: it does not stand at present.',
    }
  }
  if (hasCode(result, 'ERR_VALIDITY_EXPIRED')) {
    return {
      kind: 'expired',
      tone: 'caution',
      title: 'Expired',
      summary: 'The credential was issued as shown, but it has expired.',
    }
  }
  if (hasCode(result, 'ERR_VALIDITY_NOT_YET_VALID')) {
    return {
      kind: 'not-yet-valid',
      tone: 'caution',
      title: 'Not yet valid',
      summary: 'The credential was issued as shown, but its validity period has not started.',
    }
  }
  if (failed('status')) {
    return {
      kind: 'status-unknown',
      tone: 'caution',
      title: 'Status unknown',
      summary: `The credential is authentic, but whether it still stands could not be confirmed: ${firstExplanation(result, ['status'])}`,
    }
  }
  return notGenuine(firstExplanation(result, CHECK_IDS))
}

function notGenuine(reason: string): Verdict {
  return {
    kind: 'not-genuine',
    tone: 'bad',
    title: 'Not genuine',
    summary: `This is not a credential as its issuer signed it. ${reason}`,
  }
}

function issuerDisplayName(
  result: VerifyCredentialResult,
  context: DisplayContext,
): string | undefined {
  const did = result.credential.issuer
  if (did === undefined || !context.trustedIssuers.includes(did)) return undefined
  const names = context.issuerNames
  return names !== undefined && Object.hasOwn(names, did)
    ? names[did]
    : context.catalog.institute.name
}

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

const MARKS = { passed: '✓', failed: '✗', skipped: '–' } as const
const OUTCOME_WORDS = { passed: 'Passed', failed: 'Failed', skipped: 'Not checked' } as const

function renderProblem(p: Problem): ViewElement {
  return h(
    'li',
    { class: 'problem' },
    h('span', { class: 'reason' }, explain(p.code)),
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
          h('span', { class: 'reason' }, explain(w.code)),
          ' ',
          h('code', { class: 'code' }, w.code),
          w.message === '' ? undefined : h('span', { class: 'detail' }, w.message),
        ),
      ),
    ),
  ]
}

const TONE_ICONS: Readonly<Record<VerdictTone, string>> = { good: '✓', bad: '✗', caution: '!' }

function isProblem(value: unknown): value is Problem {
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

// -- presentations -------------------------------------------------------------------------------

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
      summary: `This presentation does not hold. ${p === undefined ? 'It contains no credential that could be checked.' : explain(p.code)}`,
    }
  }
  const verdicts = result.credentials.map((c) => verdictOf(c.result, context))
  const worst = [...verdicts].sort((a, b) => SEVERITY.indexOf(a.kind) - SEVERITY.indexOf(b.kind))[0]
  if (worst === undefined) return notGenuine('It contains no credential.')
  const n = verdicts.length
  const count = n === 1 ? 'its credential' : `all ${n} of its credentials`
  if (worst.kind === 'genuine' && result.verified) {
    return { ...worst, summary: `The presentation holds, and ${count} are genuine.` }
  }
  if (worst.kind === 'genuine') {
    // Every credential is genuine, yet the presentation failed (e.g. a subject mismatch).
    const p = result.problems[0]
    return notGenuine(p === undefined ? 'A presentation check failed.' : explain(p.code))
  }
  return {
    ...worst,
    summary:
      n === 1
        ? worst.summary
        : `At least one of its ${n} credentials does not stand: ${worst.summary}`,
  }
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
          : `This presentation does not prove that its holder answered your request. ${binding.problem === undefined ? '' : explain(binding.problem.code)}`,
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
      options.source === undefined ? undefined : h('p', { class: 'source' }, options.source),
    ),
    renderHolderBinding(binding),
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
        h('h3', {}, `Credential ${c.index + 1} of ${result.credentials.length}`),
        renderResult(c.result, context, {
          headingLevel: 'h3',
          idPrefix: `c${c.index}-`,
          nested: true,
        }),
      ),
    ),
  )
}

// -- presentation requests (challenge, domain) and the holder binding --------------------------

/** An employer's request, as `POST /presentations/challenges` answers it. */
export interface PresentationRequestView {
  readonly challenge: string
  readonly domain: string
  readonly expiresAt: string
}

/** Narrows the challenge endpoint's answer, or `undefined`. */
export function asPresentationRequest(value: unknown): PresentationRequestView | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const r = value as Record<string, unknown>
  if (
    typeof r.challenge !== 'string' ||
    !/^[A-Za-z0-9_-]{1,1024}$/.test(r.challenge) ||
    typeof r.domain !== 'string' ||
    !/^[a-z0-9.-]{1,253}(?::[0-9]{1,5})?$/.test(r.domain) ||
    typeof r.expiresAt !== 'string' ||
    Number.isNaN(Date.parse(r.expiresAt))
  ) {
    return undefined
  }
  return { challenge: r.challenge, domain: r.domain, expiresAt: r.expiresAt }
}

/** The learner's command for `request` (`certify-vc wallet present`). */
export function walletCommand(request: PresentationRequestView): string {
  return `certify-vc wallet present --challenge ${request.challenge} --domain ${request.domain} --credential <credential>`
}

/**
 * The open request: challenge and domain (copyable), the learner's command, and what happens to
 * a presentation while it is open. `used` once a presentation answered it.
 */
export function renderPresentationRequest(
  request: PresentationRequestView,
  state: 'open' | 'used',
): ViewElement {
  return h(
    'div',
    { class: `request-card request-${state}`, 'data-request-state': state },
    h(
      'p',
      { class: 'request-status' },
      state === 'open'
        ? `Request open until ${request.expiresAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}. It can be answered once.`
        : 'This request has been answered: its challenge is used up. Any further presentation for it is refused as a replay.',
    ),
    h(
      'dl',
      { class: 'request-values' },
      h('dt', {}, 'Challenge'),
      h('dd', {}, h('code', { id: 'request-challenge' }, request.challenge)),
      h('dt', {}, 'Domain'),
      h('dd', {}, h('code', { id: 'request-domain' }, request.domain)),
    ),
    h('p', {}, 'Send the candidate this command for their certify-vc wallet:'),
    h(
      'pre',
      { class: 'request-command' },
      h('code', { id: 'request-command' }, walletCommand(request)),
    ),
    h(
      'p',
      { class: 'request-actions' },
      h('button', { type: 'button', id: 'request-copy' }, 'Copy the command'),
      ' ',
      h(
        'button',
        { type: 'button', id: 'request-copy-values', class: 'secondary' },
        'Copy challenge and domain',
      ),
    ),
    h(
      'p',
      { class: 'privacy' },
      'While a request is open, a presentation you check here is also sent to this site once, so that the challenge is used up (single use) and the holder is proven; the credentials inside are still checked in this browser.',
    ),
  )
}

/** The holder-binding verdict the server gives for a request (`/certify/verify/presentation`). */
export interface HolderBindingView {
  readonly proven: boolean
  readonly holder?: string
  readonly domain: string
  readonly problem?: Problem
  /** The server's presentation checks (proof, holder binding, challenge, domain, subjects…). */
  readonly checks?: PresentationResultView['checks']
}

/** Narrows the server's `holderBinding`, or `undefined`. */
export function asHolderBinding(value: unknown): HolderBindingView | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const r = value as Record<string, unknown>
  if (typeof r.proven !== 'boolean' || typeof r.domain !== 'string') return undefined
  if (r.holder !== undefined && typeof r.holder !== 'string') return undefined
  if (r.problem !== undefined && !isProblem(r.problem)) return undefined
  if (!r.proven && r.problem === undefined) return undefined
  const checks = r.checks
  const checksOk =
    Array.isArray(checks) &&
    (checks as unknown[]).every((c) => {
      if (typeof c !== 'object' || c === null) return false
      const check = c as Record<string, unknown>
      return (
        typeof check.id === 'string' &&
        (check.outcome === 'passed' || check.outcome === 'failed' || check.outcome === 'skipped') &&
        Array.isArray(check.problems) &&
        (check.problems as unknown[]).every(isProblem)
      )
    })
  return {
    ...(checksOk ? { checks: checks as PresentationResultView['checks'] } : {}),
    proven: r.proven,
    domain: r.domain,
    ...(typeof r.holder === 'string' ? { holder: r.holder } : {}),
    ...(r.problem === undefined ? {} : { problem: r.problem }),
  }
}

/**
 * What the page can say about the holder: proven for this request (✓), not proven with the
 * reason and code (✗), or not requested (no challenge of ours, so not proven).
 */
export function renderHolderBinding(
  binding: HolderBindingView | { readonly error: string } | undefined,
): ViewElement {
  if (binding === undefined) {
    return h(
      'div',
      { class: 'holder holder-not-requested', 'data-holder': 'not-requested' },
      h('p', { class: 'holder-title' }, 'Holder not proven'),
      h(
        'p',
        {},
        'This page did not request this presentation, so it cannot prove who sent it or that it is not a copy. To prove the holder, use “Request a presentation” and have the candidate answer that request.',
      ),
    )
  }
  if ('error' in binding) {
    return h(
      'div',
      { class: 'holder holder-not-proven', 'data-holder': 'error' },
      h(
        'p',
        { class: 'holder-title' },
        h('span', { 'aria-hidden': 'true' }, '✗ '),
        'Holder not proven',
      ),
      h('p', {}, `The server could not check the request: ${binding.error}`),
    )
  }
  if (binding.proven) {
    return h(
      'div',
      { class: 'holder holder-proven', 'data-holder': 'proven' },
      h(
        'p',
        { class: 'holder-title' },
        h('span', { 'aria-hidden': 'true' }, '✓ '),
        'Holder proven for this request',
      ),
      h(
        'p',
        {},
        `${binding.holder ?? 'The holder'} signed this presentation for ${binding.domain}, answering your challenge (now used up), with a key they control, and every credential inside is about them.`,
      ),
    )
  }
  const p = binding.problem
  return h(
    'div',
    {
      class: 'holder holder-not-proven',
      'data-holder': 'not-proven',
      'data-holder-code': p?.code ?? '',
    },
    h(
      'p',
      { class: 'holder-title' },
      h('span', { 'aria-hidden': 'true' }, '✗ '),
      'Holder not proven for this request',
    ),
    p === undefined ? undefined : h('p', {}, explain(p.code)),
    p === undefined ? undefined : h('p', { class: 'code' }, h('code', {}, p.code), ' ', p.message),
  )
}
