/**
 * `verifyCredential`: the whole pipeline (DESIGN §4) with one result entry per check.
 *
 * @module
 */
import {
  CATALOG,
  SUITE_NAMES,
  createDocumentLoader,
  isPlainObject,
  type Catalog,
  type DocumentLoader,
  type Problem,
  type SuiteName,
} from '@certify-vc/context'
import { checkContexts } from './checks/contexts.js'
import { issuerIdOf, skipped } from './checks/common.js'
import { checkProofAndKeyBinding } from './checks/proof.js'
import { checkStatus } from './checks/status.js'
import { checkStructure, formatOf } from './checks/structure.js'
import { checkIssuerTrust, checkProgram } from './checks/trust.js'
import { checkValidity, validityWindow } from './checks/validity.js'
import { createDefaultDidResolver } from './did-resolution.js'
import { readInput, resolveLimits } from './ingress.js'
import {
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type CredentialSummary,
  type DidResolver,
  type InputLimits,
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
}

let defaultLoader: DocumentLoader | undefined
let defaultResolver: DidResolver | undefined

function resolveOptions(options: VerifyCredentialOptions): ResolvedOptions {
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
  return {
    trustedIssuers,
    now: now ?? new Date(),
    maxClockSkewSeconds,
    documentLoader: documentLoader ?? (defaultLoader ??= createDocumentLoader()),
    additionalContexts,
    didResolver: didResolver ?? (defaultResolver ??= createDefaultDidResolver()),
    suites,
    catalog,
    limits: resolveLimits(options.limits),
  }
}

/** Checks that must pass for `verified: true`; `status` may also be skipped (none present). */
const REQUIRED: readonly CheckId[] = CHECK_IDS.filter((id) => id !== 'status')

function finish(
  checks: Map<CheckId, CheckResult>,
  credential: CredentialSummary,
): VerifyCredentialResult {
  const ordered = CHECK_IDS.map((id) => checks.get(id) ?? skipped(id))
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
  return {
    ...(typeof document.id === 'string' ? { id: document.id } : {}),
    ...(format === undefined ? {} : { format }),
    ...(issuer === undefined ? {} : { issuer }),
    subject: {
      ...(typeof subject.id === 'string' ? { id: subject.id } : {}),
      ...(typeof subject.name === 'string' ? { name: subject.name } : {}),
    },
    ...(window?.from === undefined ? {} : { validFrom: window.from }),
    ...(window?.until === undefined ? {} : { validUntil: window.until }),
  }
}

/**
 * Verifies an Open Badges 3.0 credential issued by certify-vc (or any issuer the caller trusts):
 * ingress limits, structure, pinned contexts in JSON-LD safe mode, every proof, key binding,
 * validity period, issuer trust, program binding, and status.
 *
 * Never throws for bad data: every input yields a result, and `verified` is `true` only when
 * every check that decides genuineness passed. Throws `TypeError` only for bad options.
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
  const opts = resolveOptions(options)
  const checks = new Map<CheckId, CheckResult>()

  const read = readInput(input, opts.limits)
  if (!read.ok) {
    checks.set('input', { id: 'input', outcome: 'failed', problems: read.problems })
    return finish(checks, {})
  }
  checks.set('input', { id: 'input', outcome: 'passed', problems: [] })

  const structure = checkStructure(read.document)
  checks.set('structure', structure)
  if (!isPlainObject(read.document)) return finish(checks, {})
  const document = read.document
  const summary = summarise(document)

  const contexts = await checkContexts(document, opts)
  checks.set('contexts', contexts)

  const format = formatOf(document)
  const issuerId = issuerIdOf(document.issuer)
  if (structure.outcome === 'passed' && contexts.outcome === 'passed') {
    const { proof, keyBinding } = await checkProofAndKeyBinding(document, {
      issuerId,
      documentLoader: opts.documentLoader,
      didResolver: opts.didResolver,
      suites: opts.suites,
    })
    checks.set('proof', proof)
    checks.set('key-binding', keyBinding)
  }
  if (structure.outcome !== 'passed' || format === undefined) return finish(checks, summary)

  checks.set('validity', checkValidity(document, format, opts.now, opts.maxClockSkewSeconds))
  const trust = checkIssuerTrust(issuerId, opts.trustedIssuers)
  checks.set('issuer-trust', trust)
  const { result: programResult, program } = checkProgram(
    document,
    trust.outcome === 'passed',
    opts.catalog,
  )
  checks.set('program', programResult)
  checks.set('status', checkStatus(document))

  const withProgram: CredentialSummary =
    program !== undefined && programResult.outcome === 'passed'
      ? {
          ...summary,
          program: { code: program.code, name: program.name, achievementId: program.achievementId },
        }
      : summary
  return finish(checks, withProgram)
}
