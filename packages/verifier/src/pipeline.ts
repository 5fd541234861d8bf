/**
 * The verification pipeline, once, for every door (the library's `verifyCredential`, each
 * credential of a presentation, the server's VC API, the page, the CLI, the wallet): ingress
 * limits, structure, contexts, proofs and key binding, validity, related resources, issuer
 * trust, program, status, in that order, with one result entry per check. A profile
 * (`profiles.ts`) sets what is required; nothing else differs between doors.
 *
 * A failed proof is fatal: the checks that read signed data are then not run, so nothing a
 * tampered credential says is shown as checked, and no status list is fetched for it.
 *
 * @module
 */
import {
  credentialFormatOf,
  idOf,
  isPlainObject,
  parseDateTimeStamp,
  type Problem,
} from '@certify-vc/context'
import { checkContexts } from './checks/contexts.js'
import { skipped } from './checks/common.js'
import { checkJwtProof } from './checks/jwt-proof.js'
import { checkCredentialProofs } from './checks/proof.js'
import { checkRelatedResources } from './checks/related-resources.js'
import { checkStatus } from './checks/status.js'
import { checkStructure } from './checks/structure.js'
import { checkIssuerTrust, checkProgram } from './checks/trust.js'
import { checkValidity, validityWindow } from './checks/validity.js'
import { isEnvelope } from '@certify-vc/core'
import { readInput } from './ingress.js'
import { readJwtCredential } from './jwt/read-jwt.js'
import type { PipelineOptions } from './options.js'
import { requiredChecks } from './profiles.js'
import { disclosedMembers, summariseCredential } from './summary.js'
import {
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type CredentialSummary,
  type VerifyCredentialResult,
} from './types.js'

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
  statusUntrusted: 'The issuer is not trusted, so its status list is not fetched.',
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
  opts: PipelineOptions,
  reason?: string,
  warnings: readonly Problem[] = [],
): VerifyCredentialResult {
  const ordered = CHECK_IDS.map((id) => withPath(checks.get(id) ?? skipped(id, reason)))
  const problems: Problem[] = ordered.flatMap((c) => c.problems)
  const verified =
    requiredChecks(opts.profile).every((id) => checks.get(id)?.outcome === 'passed') &&
    ordered.every((c) => c.outcome !== 'failed')
  return {
    verified,
    profile: opts.profile.name,
    checks: ordered,
    problems,
    warnings: verified ? warnings : [],
    credential,
  }
}

/**
 * Runs the pipeline on `input` (JSON text, UTF-8 bytes or a parsed value) with options already
 * resolved. Never throws for bad data.
 */
export async function runPipeline(
  input: unknown,
  opts: PipelineOptions,
): Promise<VerifyCredentialResult> {
  const checks = new Map<CheckId, CheckResult>()

  // A JWT (compact JWS text or bytes, or an enveloped credential) is opened first; the
  // credential inside then goes through every check below, as a Data Integrity one does.
  const jwt = readJwtCredential(input, opts)
  if (jwt.kind === 'refused-proof') {
    checks.set('input', { id: 'input', outcome: 'passed', problems: [] })
    checks.set('proof', { id: 'proof', outcome: 'failed', problems: jwt.problems })
    return finish(checks, {}, opts, SKIP_REASONS.proofFailed)
  }
  const read =
    jwt.kind === 'jwt'
      ? { ok: true as const, document: jwt.credential.document }
      : jwt.kind === 'refused-input'
        ? { ok: false as const, problems: [...jwt.problems] }
        : readInput(input, opts.limits, { baked: true })
  if (!read.ok) {
    checks.set('input', { id: 'input', outcome: 'failed', problems: read.problems })
    return finish(checks, {}, opts, SKIP_REASONS.input)
  }
  // An enveloped credential that came as JSON text or bytes (a file, an HTTP body, a baked
  // badge): read, it is opened like one given as a value.
  if (jwt.kind === 'none' && isEnvelope(read.document)) return runPipeline(read.document, opts)
  checks.set('input', { id: 'input', outcome: 'passed', problems: [] })

  const structure = checkStructure(read.document, opts.profile)
  checks.set('structure', structure)
  if (!isPlainObject(read.document)) return finish(checks, {}, opts, SKIP_REASONS.structure)
  const document = read.document
  const summary: CredentialSummary =
    jwt.kind === 'jwt'
      ? {
          ...summariseCredential(document),
          securedBy: {
            type: 'jwt',
            alg: jwt.credential.jwt.alg,
            encoding: jwt.credential.jwt.encoding,
          },
        }
      : summariseCredential(document)

  const { result: contexts, unsecuredExpansion } = await checkContexts(document, opts)
  checks.set('contexts', contexts)

  const format = credentialFormatOf(document)
  const issuerId = idOf(document.issuer)
  let issuerKeys: readonly string[] = []
  let proofNotes: readonly Problem[] = []
  if (structure.outcome === 'passed' && contexts.outcome === 'passed') {
    const window = format === undefined ? undefined : validityWindow(document, format)
    const proofs =
      jwt.kind === 'jwt'
        ? await checkJwtProof(jwt.credential, issuerId, opts)
        : await checkCredentialProofs(
            document,
            {
              issuerId,
              validFrom: parseDateTimeStamp(window?.from),
              unsecuredExpansion,
            },
            opts,
          )
    checks.set('proof', proofs.proof)
    checks.set('key-binding', proofs.keyBinding)
    issuerKeys = proofs.issuerKeys
    proofNotes = proofs.notes
  }
  if (structure.outcome !== 'passed' || format === undefined) {
    return finish(checks, summary, opts, SKIP_REASONS.structure)
  }

  // A failed proof is fatal: checks that read the signed data (key binding, validity, trust,
  // program, status) are then not run, so no check shows as passed on data that may have been
  // altered; the same when the key is not bound to the issuer.
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
    return finish(checks, summary, opts, reason)
  }

  checks.set('validity', checkValidity(document, format, opts.now, opts.maxClockSkewSeconds))
  checks.set('related-resources', await checkRelatedResources(document, opts.relatedResources))
  const trust = checkIssuerTrust(issuerId, issuerKeys, document, opts)
  checks.set('issuer-trust', trust.result)
  const issuerTrusted = trust.result.outcome === 'passed'
  const { result: programResult, program } = checkProgram(document, {
    issuerTrusted,
    entry: trust.entry,
    issuerKeys,
    catalog: opts.catalog,
    profile: opts.profile,
  })
  checks.set('program', programResult)

  // The proofs verified: what a selectively disclosed credential shows is now established.
  const disclosed = disclosedMembers(document)
  let statusSummary: CredentialSummary = disclosed === undefined ? {} : { disclosed }
  const statusAllowed =
    contexts.outcome === 'passed' && trust.result.outcome !== 'failed' && issuerId !== undefined
  if (document.credentialStatus === undefined) {
    checks.set('status', skipped('status', SKIP_REASONS.noStatus))
  } else if (opts.status === false) {
    checks.set('status', skipped('status', SKIP_REASONS.statusOff))
  } else if (!statusAllowed) {
    checks.set('status', skipped('status', SKIP_REASONS.statusUntrusted))
  } else {
    // Only now, with the proof, the key and the issuer settled, may a status list be fetched:
    // unverified input never drives a request.
    const checked = checkStatus(document, {
      ...opts.status,
      issuerId,
      trustEntry: trust.entry,
      now: opts.now,
      maxClockSkewSeconds: opts.maxClockSkewSeconds,
      pipeline: opts,
    })
    const status = checked instanceof Promise ? await checked : checked
    checks.set('status', status.result)
    if (status.entries.length > 0) statusSummary = { ...statusSummary, status: status.entries }
  }

  const withProgram: CredentialSummary =
    program !== undefined && programResult.outcome === 'passed'
      ? {
          ...summary,
          program: { code: program.code, name: program.name, achievementId: program.achievementId },
          ...statusSummary,
        }
      : { ...summary, ...statusSummary }
  const warnings = [...proofNotes, ...(trust.warning === undefined ? [] : [trust.warning])]
  return finish(checks, withProgram, opts, undefined, warnings)
}
