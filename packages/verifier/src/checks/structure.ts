/**
 * Structure: the VC 1.1 or 2.0 envelope and the Open Badges 3.0 fields certify-vc relies on,
 * absolute IRIs, and dates with a time zone.
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#basic-concepts
 * @see https://www.imsglobal.org/spec/ob/v3p0/#achievementcredential
 * @module
 */
import {
  CONTEXT_URLS,
  asArray,
  isPlainObject,
  parseDateTimeStamp,
  pointer,
  problem,
  type Problem,
} from '@certify-vc/context'
import type { CheckResult } from '../types.js'
import { checkResult, isAbsoluteIri } from './common.js'

/** The envelope version a credential declares through its first context. */
export type CredentialFormat = 'vc2' | 'vc1.1'

/** The format of `document` from its first `@context`, or `undefined`. */
export function formatOf(document: Record<string, unknown>): CredentialFormat | undefined {
  const first = asArray(document['@context'])[0]
  if (first === CONTEXT_URLS.credentialsV2) return 'vc2'
  if (first === CONTEXT_URLS.credentialsV1) return 'vc1.1'
  return undefined
}

function hasType(value: unknown, type: string): boolean {
  return asArray(value).includes(type)
}

function checkTypes(value: unknown, path: string, out: Problem[]): void {
  const types = asArray(value)
  if (types.length === 0 || !types.every((t) => typeof t === 'string' && t.length > 0)) {
    out.push(
      problem(
        'ERR_STRUCTURE_INVALID',
        '"type" must be a non-empty string or array of strings.',
        path,
      ),
    )
  }
}

function checkDate(
  document: Record<string, unknown>,
  key: string,
  required: boolean,
  out: Problem[],
): Date | undefined {
  const value = document[key]
  if (value === undefined) {
    if (required) {
      out.push(problem('ERR_STRUCTURE_NOT_OPEN_BADGE', `"${key}" is required.`, pointer(key)))
    }
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
  } else if (typeof value === 'string' && /T24:/.test(value)) {
    // XSD allows 24:00:00 for the end of a day, but readers disagree on which day it names
    // (ATTACKS C3): refused in credentials.
    out.push(
      problem(
        'ERR_STRUCTURE_DATE_INVALID',
        `"${key}" uses the hour 24, which readers interpret differently; use 00:00:00 of the next day.`,
        pointer(key),
      ),
    )
    return undefined
  }
  return date
}

/**
 * The first `null` value or empty array outside `@context`, as a JSON Pointer. JSON-LD drops
 * both, so such a member is not signed: added to a signed credential it would still verify while
 * JSON readers see it (`"description": null`). certify-vc never issues either.
 */
export function findUnsignedEmptyValue(
  value: unknown,
  path: (string | number)[] = [],
): { path: string; kind: 'null' | 'empty array' } | undefined {
  // One shared path, pushed and popped (a pointer is built only for the value found).
  return findEmpty(value, [...path])
}

function findEmpty(
  value: unknown,
  path: (string | number)[],
): { path: string; kind: 'null' | 'empty array' } | undefined {
  if (value === null) return { path: pointer(...path), kind: 'null' }
  if (Array.isArray(value)) {
    if (value.length === 0 && path.length > 0)
      return { path: pointer(...path), kind: 'empty array' }
    for (let i = 0; i < value.length; i++) {
      path.push(i)
      const found = findEmpty(value[i], path)
      path.pop()
      if (found !== undefined) return found
    }
    return undefined
  }
  if (!isPlainObject(value)) return undefined
  for (const key of Object.keys(value)) {
    // `proof` and `credentialStatus` have checks (and codes) of their own.
    if (
      key === '@context' ||
      (path.length === 0 && (key === 'proof' || key === 'credentialStatus'))
    )
      continue
    path.push(key)
    const found = findEmpty(value[key], path)
    path.pop()
    if (found !== undefined) return found
  }
  return undefined
}

/** Runs the structure check on a parsed JSON value. */
export function checkStructure(document: unknown): CheckResult {
  const out: Problem[] = []
  if (!isPlainObject(document)) {
    return checkResult('structure', [
      problem('ERR_STRUCTURE_INVALID', 'A credential must be a JSON object.', ''),
    ])
  }
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

  // type
  checkTypes(document.type, pointer('type'), out)
  if (!hasType(document.type, 'VerifiableCredential')) {
    out.push(
      problem(
        'ERR_STRUCTURE_INVALID',
        '"type" must include "VerifiableCredential".',
        pointer('type'),
      ),
    )
  }
  if (
    !hasType(document.type, 'OpenBadgeCredential') &&
    !hasType(document.type, 'AchievementCredential')
  ) {
    out.push(
      problem(
        'ERR_STRUCTURE_NOT_OPEN_BADGE',
        '"type" must include "OpenBadgeCredential".',
        pointer('type'),
      ),
    )
  }

  // id
  if ('id' in document && !isAbsoluteIri(document.id)) {
    out.push(problem('ERR_STRUCTURE_RELATIVE_IRI', '"id" must be an absolute IRI.', pointer('id')))
  }

  // name (OB 3.0 requires it on the credential)
  if (typeof document.name !== 'string' || document.name.length === 0) {
    out.push(problem('ERR_STRUCTURE_NOT_OPEN_BADGE', '"name" is required.', pointer('name')))
  }

  // issuer: an OB Profile object with an absolute IRI id
  const issuer = document.issuer
  if (issuer === undefined || issuer === null) {
    out.push(problem('ERR_STRUCTURE_INVALID', '"issuer" is required.', pointer('issuer')))
  } else if (typeof issuer === 'string') {
    if (!isAbsoluteIri(issuer)) {
      out.push(
        problem(
          'ERR_STRUCTURE_RELATIVE_IRI',
          '"issuer" must be an absolute IRI.',
          pointer('issuer'),
        ),
      )
    }
    out.push(
      problem(
        'ERR_STRUCTURE_NOT_OPEN_BADGE',
        '"issuer" must be an OB 3.0 Profile object.',
        pointer('issuer'),
      ),
    )
  } else if (!isPlainObject(issuer)) {
    out.push(
      problem('ERR_STRUCTURE_INVALID', '"issuer" must be an IRI or an object.', pointer('issuer')),
    )
  } else {
    if (!isAbsoluteIri(issuer.id)) {
      out.push(
        problem(
          'ERR_STRUCTURE_RELATIVE_IRI',
          '"issuer.id" must be an absolute IRI.',
          pointer('issuer', 'id'),
        ),
      )
    }
    if (!hasType(issuer.type, 'Profile')) {
      out.push(
        problem(
          'ERR_STRUCTURE_NOT_OPEN_BADGE',
          '"issuer.type" must include "Profile".',
          pointer('issuer', 'type'),
        ),
      )
    }
  }

  // credentialSubject: one AchievementSubject with an Achievement
  const subject = document.credentialSubject
  if (!isPlainObject(subject)) {
    out.push(
      problem(
        'ERR_STRUCTURE_NOT_OPEN_BADGE',
        '"credentialSubject" must be one AchievementSubject object.',
        pointer('credentialSubject'),
      ),
    )
  } else {
    if ('id' in subject && !isAbsoluteIri(subject.id)) {
      out.push(
        problem(
          'ERR_STRUCTURE_RELATIVE_IRI',
          '"credentialSubject.id" must be an absolute IRI.',
          pointer('credentialSubject', 'id'),
        ),
      )
    }
    if (!hasType(subject.type, 'AchievementSubject')) {
      out.push(
        problem(
          'ERR_STRUCTURE_NOT_OPEN_BADGE',
          '"credentialSubject.type" must include "AchievementSubject".',
          pointer('credentialSubject', 'type'),
        ),
      )
    }
    const achievement = subject.achievement
    if (!isPlainObject(achievement)) {
      out.push(
        problem(
          'ERR_STRUCTURE_NOT_OPEN_BADGE',
          '"credentialSubject.achievement" must be an Achievement object.',
          pointer('credentialSubject', 'achievement'),
        ),
      )
    } else {
      const at = (k: string) => pointer('credentialSubject', 'achievement', k)
      if (!isAbsoluteIri(achievement.id)) {
        out.push(
          problem(
            'ERR_STRUCTURE_RELATIVE_IRI',
            'The achievement "id" must be an absolute IRI.',
            at('id'),
          ),
        )
      }
      if (!hasType(achievement.type, 'Achievement')) {
        out.push(
          problem(
            'ERR_STRUCTURE_NOT_OPEN_BADGE',
            'The achievement "type" must include "Achievement".',
            at('type'),
          ),
        )
      }
      for (const key of ['name', 'description'] as const) {
        if (typeof achievement[key] !== 'string' || achievement[key] === '') {
          out.push(
            problem(
              'ERR_STRUCTURE_NOT_OPEN_BADGE',
              `The achievement "${key}" is required.`,
              at(key),
            ),
          )
        }
      }
      if (!isPlainObject(achievement.criteria)) {
        out.push(
          problem(
            'ERR_STRUCTURE_NOT_OPEN_BADGE',
            'The achievement "criteria" is required.',
            at('criteria'),
          ),
        )
      }
    }
  }

  // dates, by envelope
  if (format === 'vc2') {
    const from = checkDate(document, 'validFrom', true, out)
    const until = checkDate(document, 'validUntil', false, out)
    for (const k of ['issuanceDate', 'expirationDate']) {
      if (k in document)
        out.push(
          problem(
            'ERR_STRUCTURE_INVALID',
            `"${k}" belongs to VC 1.1; use validFrom/validUntil.`,
            pointer(k),
          ),
        )
    }
    if (from !== undefined && until !== undefined && until.getTime() < from.getTime()) {
      out.push(
        problem(
          'ERR_STRUCTURE_DATE_INVALID',
          '"validUntil" is before "validFrom".',
          pointer('validUntil'),
        ),
      )
    }
  } else if (format === 'vc1.1') {
    const from = checkDate(document, 'issuanceDate', true, out)
    const until = checkDate(document, 'expirationDate', false, out)
    if (from !== undefined && until !== undefined && until.getTime() < from.getTime()) {
      out.push(
        problem(
          'ERR_STRUCTURE_DATE_INVALID',
          '"expirationDate" is before "issuanceDate".',
          pointer('expirationDate'),
        ),
      )
    }
  }
  return checkResult('structure', out)
}
