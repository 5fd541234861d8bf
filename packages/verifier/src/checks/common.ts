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

/** A skipped check, with the reason when there is one to tell. */
export function skipped(id: CheckId, reason?: string): CheckResult {
  return { id, outcome: 'skipped', problems: [], ...(reason === undefined ? {} : { reason }) }
}

export { isAbsoluteIri } from '@certify-vc/context'

/** The id of an issuer given as a string or an object with `id`. */
export function issuerIdOf(issuer: unknown): string | undefined {
  if (typeof issuer === 'string') return issuer
  if (typeof issuer === 'object' && issuer !== null && !Array.isArray(issuer)) {
    const id = (issuer as Record<string, unknown>).id
    return typeof id === 'string' ? id : undefined
  }
  return undefined
}
