/**
 * Validity period: `validFrom` / `validUntil` (VC 2.0) or `issuanceDate` / `expirationDate`
 * (VC 1.1) against an injectable `now`, with bounded clock skew.
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#validity-period
 * @module
 */
import {
  asArray,
  isPlainObject,
  parseDateTimeStamp,
  pointer,
  problem,
  type CredentialFormat,
  type Problem,
} from '@certify-vc/context'
import type { CheckResult } from '../types.js'
import { checkResult } from './common.js'

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

/**
 * Runs the validity check: not before `validFrom`, not after `validUntil` (with the skew), and
 * no proof made after the credential's own end of validity (docs/attacks.md C4: signed later with a
 * back-dated validity; the signature holds, the dates do not).
 */
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
  if (until !== undefined) {
    const proofs = document.proof
    asArray(proofs).forEach((p: unknown, i) => {
      const created = isPlainObject(p) ? parseDateTimeStamp(p.created) : undefined
      if (created !== undefined && created.getTime() > until.getTime() + skewMs) {
        out.push(
          problem(
            'ERR_PROOF_CREATED_INVALID',
            `The proof was created (${created.toISOString()}) after the credential expired (${w.until ?? ''}).`,
            Array.isArray(proofs) ? pointer('proof', i, 'created') : pointer('proof', 'created'),
          ),
        )
      }
    })
  }
  return checkResult('validity', out)
}
