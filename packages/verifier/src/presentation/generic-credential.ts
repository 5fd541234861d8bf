/**
 * Verification of a generic (not Open Badges) VC 1.1 / 2.0 credential embedded in a presentation,
 * for `credentialProfile: 'generic'`: the checks of `verifyCredential` in the same order and with the
 * same functions, except that the structure check asks only for the VC envelope and the program
 * check is skipped. Issuer trust still applies.
 *
 * `verifyCredential` has no generic mode of its own; when it gets one, this file should call it.
 *
 * @module
 */
import {
  CONTEXT_URLS,
  asArray,
  createDocumentLoader,
  isAbsoluteIri,
  isPlainObject,
  parseDateTimeStamp,
  pointer,
  problem,
  type Problem,
} from '@certify-vc/context'
import { DEFAULT_MAX_STATUS_LIST_BYTES, SUITE_NAMES } from '@certify-vc/core'
import { issuerIdOf } from '../checks/common.js'
import { checkContexts } from '../checks/contexts.js'
import { checkProofAndKeyBinding } from '../checks/proof.js'
import { checkStatus } from '../checks/status.js'
import { findUnsignedEmptyValue, formatOf, type CredentialFormat } from '../checks/structure.js'
import { checkIssuerTrust } from '../checks/trust.js'
import { checkValidity, validityWindow } from '../checks/validity.js'
import { createDefaultDidResolver } from '../did-resolution.js'
import { readInput, resolveLimits } from '../ingress.js'
import { defaultStatusListCache } from '../status/cache.js'
import { DEFAULT_FETCH_TIMEOUT_MS } from '../status/fetch-source.js'
import {
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type CredentialSummary,
  type DidResolver,
  type VerifyCredentialOptions,
  type VerifyCredentialResult,
} from '../types.js'
import type { VerifierDefaults } from '../verify-credential.js'

const result = (id: CheckId, problems: readonly Problem[]): CheckResult => ({
  id,
  outcome: problems.length > 0 ? 'failed' : 'passed',
  problems,
})
const skippedCheck = (id: CheckId): CheckResult => ({ id, outcome: 'skipped', problems: [] })

/** Members that, when present, must be objects with a `type` (VC 2.0 §4.10–4.12, §5). */
const TYPED_MEMBERS = [
  'credentialStatus',
  'termsOfUse',
  'evidence',
  'refreshService',
  'credentialSchema',
] as const

function checkDate(
  document: Record<string, unknown>,
  key: string,
  required: boolean,
  out: Problem[],
): Date | undefined {
  const value = document[key]
  if (value === undefined) {
    if (required) out.push(problem('ERR_STRUCTURE_INVALID', `"${key}" is required.`, pointer(key)))
    return undefined
  }
  const date = parseDateTimeStamp(value)
  if (date === undefined) {
    out.push(
      problem(
        'ERR_STRUCTURE_DATE_INVALID',
        `"${key}" must be an XML Schema dateTime with a time zone.`,
        pointer(key),
      ),
    )
  }
  return date
}

/** The VC 1.1 / 2.0 envelope only: no Open Badges requirement. */
export function checkGenericStructure(document: unknown): CheckResult {
  if (!isPlainObject(document)) {
    return result('structure', [
      problem('ERR_STRUCTURE_INVALID', 'A credential must be a JSON object.', ''),
    ])
  }
  const out: Problem[] = []
  const empty = findUnsignedEmptyValue(document)
  if (empty !== undefined) {
    out.push(
      problem(
        'ERR_STRUCTURE_INVALID',
        `A member is ${empty.kind === 'null' ? 'null' : 'an empty array'}: JSON-LD drops it, so it is not signed; leave it out.`,
        empty.path,
      ),
    )
  }
  const format = formatOf(document)
  if (format === undefined) {
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
        'ERR_STRUCTURE_INVALID',
        '"type" must be a non-empty string or array of strings.',
        pointer('type'),
      ),
    )
  } else if (!types.includes('VerifiableCredential')) {
    out.push(
      problem(
        'ERR_STRUCTURE_INVALID',
        '"type" must include "VerifiableCredential".',
        pointer('type'),
      ),
    )
  }
  if ('id' in document && !isAbsoluteIri(document.id)) {
    out.push(problem('ERR_STRUCTURE_RELATIVE_IRI', '"id" must be an absolute IRI.', pointer('id')))
  }
  const issuer = document.issuer
  if (typeof issuer === 'string') {
    if (!isAbsoluteIri(issuer)) {
      out.push(
        problem(
          'ERR_STRUCTURE_RELATIVE_IRI',
          '"issuer" must be an absolute IRI.',
          pointer('issuer'),
        ),
      )
    }
  } else if (isPlainObject(issuer)) {
    if (!isAbsoluteIri(issuer.id)) {
      out.push(
        problem(
          'ERR_STRUCTURE_RELATIVE_IRI',
          '"issuer.id" must be an absolute IRI.',
          pointer('issuer', 'id'),
        ),
      )
    }
  } else {
    out.push(
      problem(
        'ERR_STRUCTURE_INVALID',
        '"issuer" must be an IRI or an object with an "id".',
        pointer('issuer'),
      ),
    )
  }
  const subjects = document.credentialSubject
  const many = Array.isArray(subjects)
  const list = asArray(subjects)
  if (list.length === 0) {
    out.push(
      problem(
        'ERR_STRUCTURE_INVALID',
        '"credentialSubject" is required.',
        pointer('credentialSubject'),
      ),
    )
  }
  list.forEach((s: unknown, i) => {
    const at = many ? pointer('credentialSubject', i) : pointer('credentialSubject')
    if (!isPlainObject(s)) {
      out.push(problem('ERR_STRUCTURE_INVALID', 'A credentialSubject must be an object.', at))
    } else if ('id' in s && !isAbsoluteIri(s.id)) {
      out.push(
        problem(
          'ERR_STRUCTURE_RELATIVE_IRI',
          'A credentialSubject "id" must be an absolute IRI.',
          at + '/id',
        ),
      )
    }
  })
  for (const key of TYPED_MEMBERS) {
    if (!(key in document)) continue
    const value = document[key]
    const isMany = Array.isArray(value)
    asArray(value).forEach((item: unknown, i) => {
      const at = isMany ? pointer(key, i) : pointer(key)
      if (!isPlainObject(item) || item.type === undefined) {
        out.push(problem('ERR_STRUCTURE_INVALID', `"${key}" must be objects with a "type".`, at))
      }
    })
  }
  const [fromKey, untilKey] =
    format === 'vc1.1' ? ['issuanceDate', 'expirationDate'] : ['validFrom', 'validUntil']
  const from = checkDate(document, fromKey, format === 'vc1.1', out)
  const until = checkDate(document, untilKey, false, out)
  if (from !== undefined && until !== undefined && until.getTime() < from.getTime()) {
    out.push(
      problem(
        'ERR_STRUCTURE_DATE_INVALID',
        `"${untilKey}" is before "${fromKey}".`,
        pointer(untilKey),
      ),
    )
  }
  return result('structure', out)
}

let defaultLoader: ReturnType<typeof createDocumentLoader> | undefined
let defaultResolver: DidResolver | undefined

function summarise(document: Record<string, unknown>, format?: CredentialFormat) {
  const subject = asArray(document.credentialSubject)[0]
  const issuer = issuerIdOf(document.issuer)
  const window = format === undefined ? undefined : validityWindow(document, format)
  return {
    ...(typeof document.id === 'string' ? { id: document.id } : {}),
    ...(format === undefined ? {} : { format }),
    ...(issuer === undefined ? {} : { issuer }),
    subject: isPlainObject(subject)
      ? {
          ...(typeof subject.id === 'string' ? { id: subject.id } : {}),
          ...(typeof subject.name === 'string' ? { name: subject.name } : {}),
        }
      : {},
    ...(window?.from === undefined ? {} : { validFrom: window.from }),
    ...(window?.until === undefined ? {} : { validUntil: window.until }),
  }
}

/**
 * Verifies a generic credential. `options` must already have been validated (by a
 * `verifyCredential` call with the same options).
 */
export async function verifyGenericCredential(
  input: unknown,
  options: VerifyCredentialOptions,
  defaults: VerifierDefaults,
): Promise<VerifyCredentialResult> {
  const checks = new Map<CheckId, CheckResult>()
  const finish = (credential: CredentialSummary): VerifyCredentialResult => {
    const ordered = CHECK_IDS.map((id) => checks.get(id) ?? skippedCheck(id))
    const required: CheckId[] = ['input', 'structure', 'contexts', 'proof', 'key-binding']
    required.push('validity', 'issuer-trust')
    const verified =
      required.every((id) => checks.get(id)?.outcome === 'passed') &&
      ordered.every((c) => c.outcome !== 'failed')
    return { verified, checks: ordered, problems: ordered.flatMap((c) => c.problems), credential }
  }
  const documentLoader = options.documentLoader ?? (defaultLoader ??= createDocumentLoader())
  const didResolver = options.didResolver ?? (defaultResolver ??= createDefaultDidResolver())
  const suites = options.suites ?? SUITE_NAMES
  const now = options.now ?? new Date()
  const skew = options.maxClockSkewSeconds ?? 300

  const limits = resolveLimits(options.limits)
  const read = readInput(input, limits)
  if (!read.ok) {
    checks.set('input', result('input', read.problems))
    return finish({})
  }
  checks.set('input', result('input', []))
  const structure = checkGenericStructure(read.document)
  checks.set('structure', structure)
  if (!isPlainObject(read.document)) return finish({})
  const document = read.document
  const format = formatOf(document)
  const summary = summarise(document, format)

  const contexts = await checkContexts(document, {
    documentLoader,
    additionalContexts: options.additionalContexts ?? [],
  })
  checks.set('contexts', contexts)
  const issuerId = issuerIdOf(document.issuer)
  if (structure.outcome === 'passed' && contexts.outcome === 'passed') {
    const window = format === undefined ? undefined : validityWindow(document, format)
    const validFrom = parseDateTimeStamp(window?.from)
    const validUntil = parseDateTimeStamp(window?.until)
    const { proof, keyBinding } = await checkProofAndKeyBinding(document, {
      issuerId,
      documentLoader,
      didResolver,
      suites,
      limits,
      now,
      maxClockSkewSeconds: skew,
      ...(validFrom === undefined ? {} : { validFrom }),
      ...(validUntil === undefined ? {} : { validUntil }),
    })
    checks.set('proof', proof)
    checks.set('key-binding', keyBinding)
  }
  if (structure.outcome !== 'passed' || format === undefined) return finish(summary)
  // A failed or unchecked proof is fatal (ATTACKS A1): nothing else shows green on data that may
  // have been altered, and no status list is fetched for it.
  if (
    checks.get('proof')?.outcome !== 'passed' ||
    checks.get('key-binding')?.outcome !== 'passed'
  ) {
    return finish(summary)
  }
  checks.set('validity', checkValidity(document, format, now, skew))
  checks.set('issuer-trust', checkIssuerTrust(issuerId, options.trustedIssuers))

  const status = options.status
  let statusSummary = {}
  if (
    document.credentialStatus !== undefined &&
    status !== false &&
    issuerId !== undefined &&
    (['contexts', 'proof', 'key-binding', 'issuer-trust'] as const).every(
      (id) => checks.get(id)?.outcome === 'passed',
    )
  ) {
    const outcome = await checkStatus(document, {
      source: status?.source ?? defaults.statusSource(),
      cache:
        status?.cache === false
          ? undefined
          : (status?.cache ?? defaultStatusListCache(didResolver, documentLoader)),
      maxListBytes: status?.maxListBytes ?? DEFAULT_MAX_STATUS_LIST_BYTES,
      timeoutMs: status?.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS,
      issuerId,
      now,
      maxClockSkewSeconds: skew,
      documentLoader,
      additionalContexts: options.additionalContexts ?? [],
      didResolver,
      suites,
    })
    checks.set('status', outcome.result)
    if (outcome.entries.length > 0) statusSummary = { status: outcome.entries }
  }
  return finish({ ...summary, ...statusSummary })
}
