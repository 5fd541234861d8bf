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
