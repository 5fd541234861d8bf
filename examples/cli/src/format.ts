/**
 * Human output: colour helpers that honour `NO_COLOR` and non-terminal output, the per-check
 * listing of a verification result, and its one-line verdict.
 *
 * Everything that comes from a credential is passed through {@link sanitize} first, so a
 * credential cannot smuggle terminal escape sequences into the output.
 *
 * @module
 */
import { explainErrorCode, isErrorCode } from '@certify-vc/context'
import type { CheckId, CheckResult, Problem, VerifyCredentialResult } from '@certify-vc/verifier'
import type { CliIo, OutputStream } from './io.js'

/** Text styles; each is the identity function when colour is off. */
export interface Style {
  readonly color: boolean
  readonly green: (text: string) => string
  readonly red: (text: string) => string
  readonly yellow: (text: string) => string
  readonly dim: (text: string) => string
  readonly bold: (text: string) => string
}

const plain = (text: string): string => text
const ansi =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`

/**
 * Whether to colour `stream`: only a terminal, and never when `NO_COLOR` is set to a non-empty
 * value (https://no-color.org) or `TERM` is `dumb`.
 */
export function useColor(stream: OutputStream, env: CliIo['env']): boolean {
  const noColor = env.NO_COLOR
  if (noColor !== undefined && noColor !== '') return false
  if (env.TERM === 'dumb') return false
  return stream.isTTY === true
}

/** The styles for `stream` (see {@link useColor}). */
export function createStyle(stream: OutputStream, env: CliIo['env']): Style {
  if (!useColor(stream, env)) {
    return { color: false, green: plain, red: plain, yellow: plain, dim: plain, bold: plain }
  }
  return {
    color: true,
    green: ansi(32, 39),
    red: ansi(31, 39),
    yellow: ansi(33, 39),
    dim: ansi(2, 22),
    bold: ansi(1, 22),
  }
}

// C0 and C1 controls, DEL, and the bidirectional overrides and isolates (Trojan Source).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/**
 * `text` with control characters and bidi overrides shown as `\u{…}` escapes: safe to print on
 * one terminal line whatever a credential contains.
 */
export function sanitize(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)
}

/** What each check establishes, in a few words. */
export const CHECK_LABELS: Readonly<Record<CheckId, string>> = {
  input: 'input limits (size, nesting, forbidden keys)',
  structure: 'VC and Open Badges 3.0 structure',
  contexts: 'pinned JSON-LD contexts only',
  proof: 'signatures verify',
  'key-binding': 'signing key belongs to the issuer',
  validity: 'validity period',
  'related-resources': 'linked resources match their digests',
  'issuer-trust': 'issuer is on the trusted list',
  program: 'achievement is an Institute program',
  status: 'revocation / suspension status',
}

const SYMBOLS = { passed: '✓', failed: '✗', skipped: '–' } as const
const ID_WIDTH = Math.max(...Object.keys(CHECK_LABELS).map((id) => id.length)) + 2

function explain(code: string): string {
  return isErrorCode(code) ? explainErrorCode(code) : 'Unknown error code.'
}

/** Where a problem points, for people: its JSON Pointer, or the whole input for `''`. */
function where(path: string | undefined): string {
  if (path === undefined) return ''
  return path === '' ? ' (at the whole input)' : ` (at ${sanitize(path)})`
}

/** Per problem: the code and its one-line explanation, then the message and the JSON Pointer. */
function renderProblem(problem: Problem, style: Style): string[] {
  return [
    `      ${style.yellow(problem.code)}: ${explain(problem.code)}`,
    `        ${sanitize(problem.message)}${style.dim(where(problem.path))}`,
  ]
}

function renderCheck(check: CheckResult, style: Style): string[] {
  const color =
    check.outcome === 'passed' ? style.green : check.outcome === 'failed' ? style.red : style.dim
  const line = `  ${color(SYMBOLS[check.outcome])} ${check.id.padEnd(ID_WIDTH)}${CHECK_LABELS[check.id]}`
  return [
    line,
    ...(check.outcome === 'failed' ? check.problems.flatMap((p) => renderProblem(p, style)) : []),
    ...(check.outcome === 'skipped' && check.reason !== undefined
      ? [`      ${style.dim(`skipped: ${sanitize(check.reason)}`)}`]
      : []),
  ]
}

/** A problem with its code's one-line explanation, for `--json`. */
export type ExplainedProblem = Problem & { readonly explanation: string }

/** A check whose problems carry their explanations. */
export type ExplainedCheck = Omit<CheckResult, 'problems'> & {
  readonly problems: readonly ExplainedProblem[]
}

/** The verification result as `--json` prints it: every problem with its explanation. */
export type ExplainedResult = Omit<VerifyCredentialResult, 'checks' | 'problems'> & {
  readonly checks: readonly ExplainedCheck[]
  readonly problems: readonly ExplainedProblem[]
}

/** The verification result with the code's explanation added to every problem (`--json`). */
export function explainResult(result: VerifyCredentialResult): ExplainedResult {
  const add = (p: Problem): ExplainedProblem => ({ ...p, explanation: explain(p.code) })
  return {
    ...result,
    checks: result.checks.map((c) => ({ ...c, problems: c.problems.map(add) })),
    problems: result.problems.map(add),
  }
}

/** One line per check (✓ passed, ✗ failed, – skipped), each failure followed by its problems. */
export function renderChecks(result: VerifyCredentialResult, style: Style): string {
  return result.checks.flatMap((check) => renderCheck(check, style)).join('\n') + '\n'
}

/** The check that decides a negative verdict: the first failed one, else the first not passed. */
export function firstFailingCheck(result: VerifyCredentialResult): CheckResult | undefined {
  return (
    result.checks.find((c) => c.outcome === 'failed') ??
    result.checks.find((c) => c.outcome !== 'passed' && c.id !== 'status')
  )
}

/**
 * The verdict line: `VERIFIED: AIDA — AI Deployment Awareness (AIDA), issued to Ada Lovelace by
 * did:key:…` or `NOT VERIFIED: proof failed — ERR_PROOF_INVALID: …`.
 */
export function renderVerdict(result: VerifyCredentialResult, style: Style): string {
  const { credential } = result
  if (result.verified) {
    const program =
      credential.program === undefined
        ? 'credential'
        : `${credential.program.code} — ${credential.program.name}`
    const subject = credential.subject?.name ?? credential.subject?.id ?? 'an unnamed recipient'
    const issuer = credential.issuer ?? 'an unknown issuer'
    const verdict = `${style.bold(style.green('VERIFIED:'))} ${program}, issued to ${sanitize(subject)} by ${sanitize(issuer)}\n`
    return verdict + disclosure(credential.disclosed, style)
  }
  const check = firstFailingCheck(result)
  let reason = 'verification incomplete'
  if (check !== undefined && check.outcome === 'failed') {
    const [first] = check.problems
    const more = check.problems.length > 1 ? ` (+${check.problems.length - 1} more)` : ''
    reason =
      first === undefined
        ? `${check.id} failed`
        : `${check.id} failed — ${first.code}: ${explain(first.code)}${more}`
  } else if (check !== undefined) {
    reason = `${check.id} could not be checked`
  }
  return `${style.bold(style.red('NOT VERIFIED:'))} ${reason}\n`
}

/**
 * For a selectively disclosed credential (ecdsa-sd-2023): what its holder chose to show; everything
 * else its issuer signed was withheld, and the signature still covers what is shown.
 */
function disclosure(disclosed: readonly string[] | undefined, style: Style): string {
  if (disclosed === undefined) return ''
  return (
    `${style.bold('Selective disclosure:')} the holder shows ${disclosed.length} value${disclosed.length === 1 ? '' : 's'}; the rest is withheld.\n` +
    disclosed.map((pointer) => `  ${sanitize(pointer)}\n`).join('')
  )
}

/** The full human report: the checks, a blank line, the verdict. */
export function renderVerification(result: VerifyCredentialResult, style: Style): string {
  return `${renderChecks(result, style)}\n${renderVerdict(result, style)}`
}
