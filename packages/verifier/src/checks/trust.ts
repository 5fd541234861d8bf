/**
 * Issuer trust and program binding (DESIGN §3): the issuer must be on the caller's list, and the
 * program is decided only by (trusted issuer, achievement id in the catalog). The credential's
 * own identifying text must agree with the catalog entry, or the credential fails closed.
 *
 * @module
 */
import {
  achievementFor,
  findProgramByAchievementId,
  isPlainObject,
  pointer,
  problem,
  type Catalog,
  type Problem,
  type Program,
} from '@certify-vc/context'
import type { CheckResult } from '../types.js'
import { checkResult, skipped } from './common.js'

/** Runs the issuer-trust check. */
export function checkIssuerTrust(
  issuerId: string | undefined,
  trustedIssuers: readonly string[],
): CheckResult {
  if (issuerId !== undefined && trustedIssuers.includes(issuerId))
    return checkResult('issuer-trust', [])
  return checkResult('issuer-trust', [
    problem(
      'ERR_ISSUER_UNTRUSTED',
      `Issuer ${JSON.stringify(issuerId ?? null)} is not a trusted issuer.`,
      pointer('issuer'),
    ),
  ])
}

/** Runs the program check; `skipped` when the issuer is not trusted (no program can be decided). */
export function checkProgram(
  document: Record<string, unknown>,
  issuerTrusted: boolean,
  catalog: Catalog,
): { result: CheckResult; program?: Program } {
  if (!issuerTrusted) {
    return {
      result: skipped('program', 'The issuer is not trusted, so no program can be decided.'),
    }
  }
  const subject = document.credentialSubject
  const achievement = isPlainObject(subject) ? subject.achievement : undefined
  if (!isPlainObject(achievement) || typeof achievement.id !== 'string') {
    return {
      result: checkResult('program', [
        problem(
          'ERR_PROGRAM_UNKNOWN',
          'The credential names no achievement.',
          pointer('credentialSubject', 'achievement'),
        ),
      ]),
    }
  }
  const program = findProgramByAchievementId(achievement.id, catalog)
  if (program === undefined) {
    return {
      result: checkResult('program', [
        problem(
          'ERR_PROGRAM_UNKNOWN',
          `Achievement ${JSON.stringify(achievement.id)} is not in the catalog.`,
          pointer('credentialSubject', 'achievement', 'id'),
        ),
      ]),
    }
  }
  const expected = achievementFor(program, catalog)
  const out: Problem[] = []
  // Pointers are built only for a mismatch.
  const at = (k: string) => () => pointer('credentialSubject', 'achievement', k)
  const compare = (
    actual: unknown,
    wanted: string,
    path: () => string,
    label: string,
    optional: boolean,
  ) => {
    if (optional && actual === undefined) return
    if (actual !== wanted) {
      out.push(
        problem(
          'ERR_PROGRAM_MISMATCH',
          `${label} is ${JSON.stringify(actual)}, but the catalog's ${program.code} says ${JSON.stringify(wanted)}.`,
          path(),
        ),
      )
    }
  }
  compare(achievement.name, expected.name, at('name'), 'The achievement name', false)
  compare(
    achievement.achievementType,
    expected.achievementType,
    at('achievementType'),
    'The achievementType',
    true,
  )
  compare(achievement.humanCode, expected.humanCode, at('humanCode'), 'The humanCode', true)
  compare(achievement.programCode, expected.programCode, at('programCode'), 'The programCode', true)
  compare(document.name, program.name, () => pointer('name'), 'The credential name', true)
  return { result: checkResult('program', out), program }
}
