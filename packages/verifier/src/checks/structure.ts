/**
 * Structure: the VC 2.0 / 1.1 envelope, and under the Open Badges profiles the Open Badges 3.0
 * `AchievementCredential` data model (the rules themselves are `@certify-vc/core`'s, shared
 * with the issuer).
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#basic-concepts
 * @see https://www.imsglobal.org/spec/ob/v3p0/#achievementcredential
 * @module
 */
import { isPlainObject, type Problem } from '@certify-vc/context'
import { checkCredentialEnvelope, checkOpenBadgeCredential } from '@certify-vc/core'
import type { ProfileRules } from '../profiles.js'
import type { CheckResult } from '../types.js'
import { checkResult } from './common.js'

/** Runs the structure check on a parsed JSON value, with the profile's shape. */
export function checkStructure(document: unknown, profile: ProfileRules): CheckResult {
  const problems: Problem[] = checkCredentialEnvelope(document)
  if (profile.shape === 'open-badges' && isPlainObject(document)) {
    // One problem per member: the Open Badges rule is not repeated where the envelope's failed.
    const seen = new Set(problems.map((p) => p.path))
    for (const p of checkOpenBadgeCredential(document)) {
      if (!seen.has(p.path)) problems.push(p)
    }
  }
  return checkResult('structure', problems)
}
