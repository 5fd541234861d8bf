/**
 * Validity period: `validFrom` / `validUntil` (VC 2.0) or `issuanceDate` / `expirationDate`
 * (VC 1.1) against an injectable `now`, with bounded clock skew.
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#validity-period
 * @module
 */
import { parseDateTimeStamp, pointer, problem, type Problem } from '@certify-vc/context'
import type { CheckResult } from '../types.js'
import { checkResult } from './common.js'
import type { CredentialFormat } from './structure.js'

/** The validity window a credential declares, by format. */
export function validityWindow(
  document: Record<string, unknown>,
  format: CredentialFormat,
): { fromKey: string; untilKey: string; from?: string; until?: string } {
  const [fromKey, untilKey] =
    format === 'vc2' ? ['validFrom', 'validUntil'] : ['issuanceDate', 'expirationDate']
  const from = document[fromKey]
  const until = document[untilKey]
  return {
    fromKey,
    untilKey,
    ...(typeof from === 'string' ? { from } : {}),
    ...(typeof until === 'string' ? { until } : {}),
  }
}

/** Runs the validity check. */
export function checkValidity(
  document: Record<string, unknown>,
  format: CredentialFormat,
  now: Date,
  maxClockSkewSeconds: number,
): CheckResult {
  const out: Problem[] = []
  const skewMs = maxClockSkewSeconds * 1000
  const w = validityWindow(document, format)
  const from = parseDateTimeStamp(w.from)
  const until = parseDateTimeStamp(w.until)
  if (from !== undefined && from.getTime() - skewMs > now.getTime()) {
    out.push(
      problem(
        'ERR_VALIDITY_NOT_YET_VALID',
        `Not valid before ${w.from ?? ''}.`,
        pointer(w.fromKey),
      ),
    )
  }
  if (until !== undefined && until.getTime() + skewMs < now.getTime()) {
    out.push(problem('ERR_VALIDITY_EXPIRED', `Expired at ${w.until ?? ''}.`, pointer(w.untilKey)))
  }
  return checkResult('validity', out)
}
