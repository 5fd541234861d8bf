/**
 * Helpers shared by the checks.
 *
 * @module
 */
import type { Problem } from '@certify-vc/context'
import type { CheckId, CheckResult } from '../types.js'

/** A check result from its problems: failed when there is any. */
export function checkResult(id: CheckId, problems: readonly Problem[]): CheckResult {
  return { id, outcome: problems.length > 0 ? 'failed' : 'passed', problems }
}

/** A skipped check. */
export function skipped(id: CheckId): CheckResult {
  return { id, outcome: 'skipped', problems: [] }
}

/**
 * True for an absolute IRI: a scheme followed by ':' and no white space (RFC 3987 in spirit;
 * `urn:uuid:…`, `did:key:…`, `https://…`). Relative references are refused.
 */
export function isAbsoluteIri(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= 4096 &&
    /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/.test(value)
  )
}

/** The id of an issuer given as a string or an object with `id`. */
export function issuerIdOf(issuer: unknown): string | undefined {
  if (typeof issuer === 'string') return issuer
  if (typeof issuer === 'object' && issuer !== null && !Array.isArray(issuer)) {
    const id = (issuer as Record<string, unknown>).id
    return typeof id === 'string' ? id : undefined
  }
  return undefined
}
