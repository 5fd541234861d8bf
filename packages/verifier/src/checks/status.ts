/**
 * Status. Status lists arrive in the next issue; until then a credential that carries
 * `credentialStatus` cannot be shown not to be revoked, so it fails closed.
 *
 * @module
 */
import { pointer, problem } from '@certify-vc/context'
import type { CheckResult } from '../types.js'
import { checkResult, skipped } from './common.js'

/** Runs the status check. */
export function checkStatus(document: Record<string, unknown>): CheckResult {
  if (document.credentialStatus === undefined) return skipped('status')
  return checkResult('status', [
    problem(
      'ERR_STATUS_UNSUPPORTED',
      'This verifier cannot check credentialStatus yet, so it does not accept the credential.',
      pointer('credentialStatus'),
    ),
  ])
}
