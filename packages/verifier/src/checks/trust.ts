/**
 * Issuer trust and program binding (the Institute's rule: the program is decided only by a
 * trusted issuer and the catalog's achievement id, never by display text): the issuer must be
 * on the caller's list (and sign with a pinned key, when its entry pins keys), and the
 * achievement must be one of the catalog's, whose identifying text the credential must not
 * contradict. What a profile requires of each is in `profiles.ts`.
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
import type { TrustList } from '../options.js'
import type { ProfileRules } from '../profiles.js'
import type { CheckResult, TrustedIssuer } from '../types.js'
import { checkResult, skipped } from './common.js'

/** The catalog program an achievement id names, whoever issued it. */
export function namedProgram(
  document: Readonly<Record<string, unknown>>,
  catalog: Catalog,
): Program | undefined {
  const subject = document.credentialSubject
  const achievement = isPlainObject(subject) ? subject.achievement : undefined
  const id = isPlainObject(achievement) ? achievement.id : undefined
  return typeof id === 'string' ? findProgramByAchievementId(id, catalog) : undefined
}

function unpinned(keys: readonly string[], allowed: readonly string[]): string | undefined {
  return keys.find((k) => !allowed.includes(k))
}

/** The issuer-trust check and, when it does not stop `verified`, a warning. */
export function checkIssuerTrust(
  issuerId: string | undefined,
  issuerKeys: readonly string[],
  document: Readonly<Record<string, unknown>>,
  options: { trust: TrustList; profile: ProfileRules; catalog: Catalog },
): { result: CheckResult; entry?: TrustedIssuer; warning?: Problem } {
  const entry = issuerId === undefined ? undefined : options.trust.get(issuerId)
  if (entry !== undefined) {
    const pins = entry.verificationMethods
    const stray = pins === undefined ? undefined : unpinned(issuerKeys, pins)
    if (stray !== undefined) {
      return {
        result: checkResult('issuer-trust', [
          problem(
            'ERR_ISSUER_KEY_NOT_PINNED',
            `${stray} is not one of the keys the trust list names for ${entry.id}.`,
            pointer('proof'),
          ),
        ]),
        entry,
      }
    }
    return { result: checkResult('issuer-trust', []), entry }
  }
  const untrusted = problem(
    'ERR_ISSUER_UNTRUSTED',
    `Issuer ${JSON.stringify(issuerId ?? null)} is not a trusted issuer.`,
    pointer('issuer'),
  )
  const program = namedProgram(document, options.catalog)
  if (options.profile.requireTrustedIssuer || program !== undefined) {
    // Only a trusted issuer may award one of the catalog's programs, under every profile
    // (a self-issued "CAAE" or a foreign issuer reusing the achievement id).
    if (program !== undefined && !options.profile.requireTrustedIssuer) {
      return {
        result: checkResult('issuer-trust', [
          problem(
            'ERR_ISSUER_UNTRUSTED',
            `The credential names the ${program.code} achievement, which only a trusted issuer awards; ${JSON.stringify(issuerId ?? null)} is not one.`,
            pointer('issuer'),
          ),
        ]),
      }
    }
    return { result: checkResult('issuer-trust', [untrusted]) }
  }
  return {
    result: skipped(
      'issuer-trust',
      `The ${options.profile.name} profile accepts credentials from any issuer; this one is not on the trust list (see warnings).`,
    ),
    warning: untrusted,
  }
}

/**
 * Runs the program check. Under a profile that requires a program the achievement must be the
 * catalog's; under the others, the check runs only for a trusted issuer's catalog achievement.
 */
export function checkProgram(
  document: Readonly<Record<string, unknown>>,
  options: {
    issuerTrusted: boolean
    entry: TrustedIssuer | undefined
    issuerKeys: readonly string[]
    catalog: Catalog
    profile: ProfileRules
  },
): { result: CheckResult; program?: Program } {
  const { catalog, profile } = options
  if (!options.issuerTrusted) {
    return {
      result: skipped('program', 'The issuer is not trusted, so no program can be decided.'),
    }
  }
  const subject = document.credentialSubject
  const achievement = isPlainObject(subject) ? subject.achievement : undefined
  if (!isPlainObject(achievement) || typeof achievement.id !== 'string') {
    if (!profile.requireProgram) {
      return { result: skipped('program', 'The credential names no achievement of a program.') }
    }
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
    if (!profile.requireProgram) {
      return {
        result: skipped('program', "The achievement is not one of the catalog's programs."),
      }
    }
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
  const out: Problem[] = []
  // Key separation: when the trust list pins this program's keys, only those may sign it.
  const pins = options.entry?.programs?.[program.code]
  const stray = pins === undefined ? undefined : unpinned(options.issuerKeys, pins)
  if (stray !== undefined) {
    out.push(
      problem(
        'ERR_ISSUER_KEY_NOT_PINNED',
        `${stray} is not one of the keys the trust list names for ${program.code}.`,
        pointer('proof'),
      ),
    )
  }
  const expected = achievementFor(program, catalog)
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
