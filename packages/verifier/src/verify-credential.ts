/**
 * `verifyCredential`: the whole pipeline (DESIGN §4) with one result entry per check.
 *
 * @module
 */
import {
  CATALOG,
  createDocumentLoader,
  isPlainObject,
  parseDateTimeStamp,
  type Catalog,
  type DocumentLoader,
  type Problem,
} from '@certify-vc/context'
import { DEFAULT_MAX_STATUS_LIST_BYTES, SUITE_NAMES, type SuiteName } from '@certify-vc/core'
import { checkContextsOf } from './checks/contexts.js'
import { issuerIdOf, skipped } from './checks/common.js'
import { checkProofAndKeyBinding } from './checks/proof.js'
import { checkStatus } from './checks/status.js'
import { checkStructure, formatOf } from './checks/structure.js'
import { checkIssuerTrust, checkProgram } from './checks/trust.js'
import { checkValidity, validityWindow } from './checks/validity.js'
import { createDefaultDidResolver } from './did-resolution.js'
import { readInput, resolveLimits } from './ingress.js'
import { defaultStatusListCache, type StatusListCache } from './status/cache.js'
import { DEFAULT_FETCH_TIMEOUT_MS, createFetchStatusListSource } from './status/fetch-source.js'
import type { StatusListSource } from './status/source.js'
import {
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type CredentialSummary,
  type DidResolver,
  type InputLimits,
  type StatusCheckOptions,
  type VerifyCredentialOptions,
  type VerifyCredentialResult,
} from './types.js'

const MAX_CLOCK_SKEW_SECONDS = 3600

interface ResolvedOptions {
  trustedIssuers: readonly string[]
  now: Date
  maxClockSkewSeconds: number
  documentLoader: DocumentLoader
  additionalContexts: readonly string[]
  didResolver: DidResolver
  suites: readonly SuiteName[]
  catalog: Catalog
  limits: Required<InputLimits>
  status: ResolvedStatusOptions | false
}

interface ResolvedStatusOptions {
  source: StatusListSource
  cache: StatusListCache | undefined
  maxListBytes: number
  timeoutMs: number
}

/** What differs between the browser and the Node builds of `verifyCredential`. */
export interface VerifierDefaults {
  /** The status list source used when the caller names none (created once, lazily). */
  readonly statusSource: () => StatusListSource
}

let defaultLoader: DocumentLoader | undefined
let defaultResolver: DidResolver | undefined
let defaultFetchSource: StatusListSource | undefined

/** The browser-safe defaults: status lists through `globalThis.fetch`. */
export const BROWSER_DEFAULTS: VerifierDefaults = {
  statusSource: () => (defaultFetchSource ??= createFetchStatusListSource()),
}

function resolveStatusOptions(
  status: StatusCheckOptions | false | undefined,
  defaults: VerifierDefaults,
  didResolver: DidResolver,
  documentLoader: DocumentLoader,
): ResolvedStatusOptions | false {
  if (status === false) return false
  if (
    status !== undefined &&
    (typeof status !== 'object' || status === null || Array.isArray(status))
  ) {
    throw new TypeError('"status" must be an object or false.')
  }
  const {
    source,
    cache,
    maxListBytes = DEFAULT_MAX_STATUS_LIST_BYTES,
    timeoutMs = DEFAULT_FETCH_TIMEOUT_MS,
  } = status ?? {}
  if (
    source !== undefined &&
    (typeof source !== 'object' || source === null || typeof source.get !== 'function')
  ) {
    throw new TypeError('"status.source" must be an object with a get(url, options) method.')
  }
  if (
    cache !== undefined &&
    cache !== false &&
    (typeof cache !== 'object' ||
      cache === null ||
      typeof cache.get !== 'function' ||
      typeof cache.set !== 'function' ||
      typeof cache.now !== 'function')
  ) {
    throw new TypeError(
      '"status.cache" must be a StatusListCache (see createStatusListCache) or false.',
    )
  }
  if (!Number.isSafeInteger(maxListBytes) || maxListBytes < 1) {
    throw new TypeError('"status.maxListBytes" must be a positive integer.')
  }
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw new TypeError('"status.timeoutMs" must be a positive integer (milliseconds).')
  }
  return {
    source: source ?? defaults.statusSource(),
    cache:
      cache === false ? undefined : (cache ?? defaultStatusListCache(didResolver, documentLoader)),
    maxListBytes,
    timeoutMs,
  }
}

function resolveOptions(
  options: VerifyCredentialOptions,
  defaults: VerifierDefaults,
): ResolvedOptions {
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  const { trustedIssuers, now, maxClockSkewSeconds = 300, documentLoader, didResolver } = options
  if (!Array.isArray(trustedIssuers) || !trustedIssuers.every((d) => typeof d === 'string')) {
    throw new TypeError('"trustedIssuers" must be an array of issuer DIDs (it may be empty).')
  }
  if (now !== undefined && (!(now instanceof Date) || Number.isNaN(now.getTime()))) {
    throw new TypeError('"now" must be a valid Date.')
  }
  if (
    !Number.isFinite(maxClockSkewSeconds) ||
    maxClockSkewSeconds < 0 ||
    maxClockSkewSeconds > MAX_CLOCK_SKEW_SECONDS
  ) {
    throw new TypeError(
      `"maxClockSkewSeconds" must be a number from 0 to ${MAX_CLOCK_SKEW_SECONDS}.`,
    )
  }
  if (documentLoader !== undefined && typeof documentLoader !== 'function') {
    throw new TypeError('"documentLoader" must be a function.')
  }
  if (
    didResolver !== undefined &&
    (typeof didResolver !== 'object' || typeof didResolver?.resolve !== 'function')
  ) {
    throw new TypeError('"didResolver" must be an object with a resolve(did) method.')
  }
  const suites = options.suites ?? SUITE_NAMES
  if (
    !Array.isArray(suites) ||
    !suites.every((s) => (SUITE_NAMES as readonly unknown[]).includes(s))
  ) {
    throw new TypeError(`"suites" must be a subset of ${SUITE_NAMES.join(', ')}.`)
  }
  const additionalContexts = options.additionalContexts ?? []
  if (
    !Array.isArray(additionalContexts) ||
    !additionalContexts.every((c) => typeof c === 'string')
  ) {
    throw new TypeError('"additionalContexts" must be an array of URLs.')
  }
  const catalog = options.catalog ?? CATALOG
  if (!isPlainObject(catalog) || !isPlainObject(catalog.programs)) {
    throw new TypeError('"catalog" must be a Catalog (see createCatalog).')
  }
  const loader = documentLoader ?? (defaultLoader ??= createDocumentLoader())
  const resolver = didResolver ?? (defaultResolver ??= createDefaultDidResolver())
  return {
    trustedIssuers,
    now: now ?? new Date(),
    maxClockSkewSeconds,
    documentLoader: loader,
    additionalContexts,
    didResolver: resolver,
    suites,
    catalog,
    limits: resolveLimits(options.limits),
    status: resolveStatusOptions(options.status, defaults, resolver, loader),
  }
}

/**
 * Checks that must pass for `verified: true`; `status` may also be skipped (no credentialStatus,
 * or the caller passed `status: false`).
 */
const REQUIRED: readonly CheckId[] = CHECK_IDS.filter((id) => id !== 'status')

/** Why a check did not run when an earlier step stopped the pipeline. */
const SKIP_REASONS = {
  input: 'The input was refused before it was read.',
  structure: 'The credential does not have the required structure (see structure).',
  beforeProof: 'The structure or contexts check failed, so the proof was not checked.',
  proofFailed:
    'The proof did not verify, so nothing the credential says can be relied on (see proof).',
  proofUnchecked: 'The proof could not be checked, so nothing the credential says is established.',
  keyNotBound:
    "The signing key is not bound to the issuer, so the issuer's claims are not established (see key-binding).",
  noStatus: 'The credential has no credentialStatus.',
  statusOff: 'The status check was switched off by the caller (status: false).',
} as const

/** Every problem carries a JSON Pointer; `''` (the whole document) when no field is to blame. */
function withPath(check: CheckResult): CheckResult {
  if (check.problems.every((p) => p.path !== undefined)) return check
  return {
    ...check,
    problems: check.problems.map((p) => (p.path === undefined ? { ...p, path: '' } : p)),
  }
}

function finish(
  checks: Map<CheckId, CheckResult>,
  credential: CredentialSummary,
  reason?: string,
): VerifyCredentialResult {
  const ordered = CHECK_IDS.map((id) => withPath(checks.get(id) ?? skipped(id, reason)))
  const problems: Problem[] = ordered.flatMap((c) => c.problems)
  const verified =
    REQUIRED.every((id) => checks.get(id)?.outcome === 'passed') &&
    ordered.every((c) => c.outcome !== 'failed')
  return { verified, checks: ordered, problems, credential }
}

function summarise(document: Record<string, unknown>): CredentialSummary {
  const format = formatOf(document)
  const subject = isPlainObject(document.credentialSubject) ? document.credentialSubject : {}
  const window = format === undefined ? undefined : validityWindow(document, format)
  const issuer = issuerIdOf(document.issuer)
  // Plain assignments, in the order of the properties (on every verification: no spreads).
  const summary: { -readonly [K in keyof CredentialSummary]: CredentialSummary[K] } = {}
  if (typeof document.id === 'string') summary.id = document.id
  if (format !== undefined) summary.format = format
  if (issuer !== undefined) summary.issuer = issuer
  const named: { id?: string; name?: string } = {}
  if (typeof subject.id === 'string') named.id = subject.id
  if (typeof subject.name === 'string') named.name = subject.name
  summary.subject = named
  if (window?.from !== undefined) summary.validFrom = window.from
  if (window?.until !== undefined) summary.validUntil = window.until
  return summary
}

/** Checks that must have passed before any status list is fetched (DESIGN §4, ATTACKS D10). */
const BEFORE_STATUS: readonly CheckId[] = ['contexts', 'proof', 'key-binding', 'issuer-trust']

/**
 * Verifies an Open Badges 3.0 credential issued by certify-vc (or any issuer the caller trusts):
 * ingress limits, structure, pinned contexts in JSON-LD safe mode, every proof, key binding,
 * validity period, issuer trust, program binding, and status.
 *
 * Never throws for bad data: every input yields a result, and `verified` is `true` only when
 * every check that decides genuineness passed. Throws `TypeError` only for bad options.
 *
 * Status lists are fetched only once the proof, key binding and issuer trust passed, through
 * `options.status.source`: by default the fetch-based source in browsers and the hardened
 * fetcher on Node (the package's `node` export condition). A revoked, suspended or unknown
 * status makes `verified` false.
 *
 * @param input - the credential: a parsed JSON value, JSON text, or UTF-8 bytes.
 * @example
 * const result = await verifyCredential(credential, { trustedIssuers: ['did:key:z6Mk…'] })
 * if (!result.verified) for (const p of result.problems) console.log(p.code, p.path, p.message)
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#verification
 */
export async function verifyCredential(
  input: unknown,
  options: VerifyCredentialOptions,
): Promise<VerifyCredentialResult> {
  return runVerification(input, options, BROWSER_DEFAULTS)
}

/** The pipeline, with the platform's defaults. @internal */
export async function runVerification(
  input: unknown,
  options: VerifyCredentialOptions,
  defaults: VerifierDefaults,
): Promise<VerifyCredentialResult> {
  const opts = resolveOptions(options, defaults)
  const checks = new Map<CheckId, CheckResult>()

  const read = readInput(input, opts.limits)
  if (!read.ok) {
    checks.set('input', { id: 'input', outcome: 'failed', problems: read.problems })
    return finish(checks, {}, SKIP_REASONS.input)
  }
  checks.set('input', { id: 'input', outcome: 'passed', problems: [] })

  const structure = checkStructure(read.document)
  checks.set('structure', structure)
  if (!isPlainObject(read.document)) return finish(checks, {}, SKIP_REASONS.structure)
  const document = read.document
  const summary = summarise(document)

  const { result: contexts, unsecuredExpansion } = await checkContextsOf(document, opts)
  checks.set('contexts', contexts)

  const format = formatOf(document)
  const issuerId = issuerIdOf(document.issuer)
  if (structure.outcome === 'passed' && contexts.outcome === 'passed') {
    const window = format === undefined ? undefined : validityWindow(document, format)
    const validFrom = window?.from === undefined ? undefined : parseDateTimeStamp(window.from)
    const validUntil = window?.until === undefined ? undefined : parseDateTimeStamp(window.until)
    const { proof, keyBinding } = await checkProofAndKeyBinding(document, {
      issuerId,
      documentLoader: opts.documentLoader,
      didResolver: opts.didResolver,
      suites: opts.suites,
      limits: opts.limits,
      now: opts.now,
      maxClockSkewSeconds: opts.maxClockSkewSeconds,
      ...(validFrom === undefined ? {} : { validFrom }),
      ...(validUntil === undefined ? {} : { validUntil }),
      unsecuredExpansion,
    })
    checks.set('proof', proof)
    checks.set('key-binding', keyBinding)
  }
  if (structure.outcome !== 'passed' || format === undefined) {
    return finish(checks, summary, SKIP_REASONS.structure)
  }

  // ATTACKS A1: a failed proof is fatal. Checks that read the signed data (key binding, validity,
  // trust, program, status) are then not run, so no check shows as passed on data that may have
  // been altered; the same when the key is not bound to the issuer.
  const proof = checks.get('proof')
  const keyBinding = checks.get('key-binding')
  if (proof?.outcome !== 'passed' || keyBinding?.outcome !== 'passed') {
    const reason =
      proof === undefined
        ? SKIP_REASONS.beforeProof
        : proof.outcome === 'failed'
          ? SKIP_REASONS.proofFailed
          : proof.outcome === 'skipped'
            ? SKIP_REASONS.proofUnchecked
            : SKIP_REASONS.keyNotBound
    if (proof === undefined) checks.set('proof', skipped('proof', reason))
    if (keyBinding === undefined || keyBinding.outcome === 'passed') {
      checks.set('key-binding', skipped('key-binding', reason))
    }
    return finish(checks, summary, reason)
  }

  checks.set('validity', checkValidity(document, format, opts.now, opts.maxClockSkewSeconds))
  const trust = checkIssuerTrust(issuerId, opts.trustedIssuers)
  checks.set('issuer-trust', trust)
  const { result: programResult, program } = checkProgram(
    document,
    trust.outcome === 'passed',
    opts.catalog,
  )
  checks.set('program', programResult)

  let statusSummary: CredentialSummary = {}
  if (
    document.credentialStatus !== undefined &&
    opts.status !== false &&
    issuerId !== undefined &&
    BEFORE_STATUS.every((id) => checks.get(id)?.outcome === 'passed')
  ) {
    const checked = checkStatus(document, {
      ...opts.status,
      issuerId,
      now: opts.now,
      maxClockSkewSeconds: opts.maxClockSkewSeconds,
      documentLoader: opts.documentLoader,
      additionalContexts: opts.additionalContexts,
      didResolver: opts.didResolver,
      suites: opts.suites,
    })
    const status = checked instanceof Promise ? await checked : checked
    checks.set('status', status.result)
    if (status.entries.length > 0) statusSummary = { status: status.entries }
  } else if (document.credentialStatus === undefined) {
    checks.set('status', skipped('status', SKIP_REASONS.noStatus))
  } else if (opts.status === false) {
    checks.set('status', skipped('status', SKIP_REASONS.statusOff))
  } else {
    checks.set(
      'status',
      skipped('status', 'The issuer is not trusted, so its status list is not fetched.'),
    )
  }

  const withProgram: CredentialSummary =
    program !== undefined && programResult.outcome === 'passed'
      ? {
          ...summary,
          program: { code: program.code, name: program.name, achievementId: program.achievementId },
          ...statusSummary,
        }
      : { ...summary, ...statusSummary }
  return finish(checks, withProgram)
}
