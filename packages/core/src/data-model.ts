/**
 * The data-model rules a credential must meet, for the issuer (before it signs) and the
 * verifier (the `structure` check) alike: the VC 2.0 / 1.1 envelope, and the Open Badges 3.0
 * `AchievementCredential`. Rules that JSON-LD safe mode cannot see; safe mode (undefined terms,
 * relative IRIs in the graph) is the contexts check's.
 *
 * Every structure the specifications allow is accepted (an issuer given as a URI or a Profile, a
 * credential without `name`); what a verifier requires beyond that is its profile's business.
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#basic-concepts
 * @see https://www.w3.org/TR/vc-data-model/#basic-concepts
 * @see https://www.imsglobal.org/spec/ob/v3p0/#achievementcredential
 * @module
 */
import {
  CONTEXT_URLS,
  asArray,
  credentialFormatOf,
  dateReadingProblem,
  hasType,
  isAbsoluteIri,
  isPlainObject,
  pointer,
  problem,
  readDateTimeStamp,
  type Problem,
} from '@certify-vc/context'

/**
 * The first `null` value or empty array outside `@context`, as a JSON Pointer. JSON-LD drops
 * both, so such a member is not signed: added to a signed credential it would still verify while
 * JSON readers see it (`"description": null`). `skip` names top-level members that have checks
 * (and codes) of their own.
 */
export function findUnsignedEmptyValue(
  value: unknown,
  skip: ReadonlySet<string> = new Set(),
): { path: string; kind: 'null' | 'empty array' } | undefined {
  // One shared path, pushed and popped (a pointer is built only for the value found).
  return findEmpty(value, [], skip)
}

function findEmpty(
  value: unknown,
  path: (string | number)[],
  skip: ReadonlySet<string>,
): { path: string; kind: 'null' | 'empty array' } | undefined {
  if (value === null) return { path: pointer(...path), kind: 'null' }
  if (Array.isArray(value)) {
    if (value.length === 0 && path.length > 0)
      return { path: pointer(...path), kind: 'empty array' }
    for (let i = 0; i < value.length; i++) {
      path.push(i)
      const found = findEmpty(value[i], path, skip)
      path.pop()
      if (found !== undefined) return found
    }
    return undefined
  }
  if (!isPlainObject(value)) return undefined
  for (const key of Object.keys(value)) {
    if (key === '@context' || (path.length === 0 && skip.has(key))) continue
    path.push(key)
    const found = findEmpty(value[key], path, skip)
    path.pop()
    if (found !== undefined) return found
  }
  return undefined
}

/** The problem for an unsigned empty value, when there is one. */
export function unsignedEmptyValueProblem(
  document: unknown,
  skip: ReadonlySet<string>,
  code: 'ERR_STRUCTURE_INVALID' | 'ERR_PRESENTATION_INVALID',
): Problem | undefined {
  const empty = findUnsignedEmptyValue(document, skip)
  if (empty === undefined) return undefined
  return problem(
    code,
    `A member is ${empty.kind === 'null' ? 'null' : 'an empty array'}: JSON-LD drops it, so it is not signed; leave it out.`,
    empty.path,
  )
}

/** `type` must be a non-empty string or array of strings. */
export function typeProblem(value: unknown, path: string): Problem | undefined {
  const types = asArray(value)
  if (types.length === 0 || !types.every((t) => typeof t === 'string' && t.length > 0)) {
    return problem(
      'ERR_STRUCTURE_INVALID',
      '"type" must be a non-empty string or array of strings.',
      path,
    )
  }
  return undefined
}

/**
 * Reads a date member: the date, `undefined` when absent (a problem when `required`), or a
 * problem when it is not an XSD dateTimeStamp (or uses the hour 24).
 */
function readDate(
  document: Readonly<Record<string, unknown>>,
  key: string,
  required: boolean,
  out: Problem[],
): Date | undefined {
  const value = document[key]
  if (value === undefined) {
    if (required) out.push(problem('ERR_STRUCTURE_INVALID', `"${key}" is required.`, pointer(key)))
    return undefined
  }
  const read = readDateTimeStamp(value)
  if (!read.ok) {
    out.push(
      problem(
        'ERR_STRUCTURE_DATE_INVALID',
        dateReadingProblem(`"${key}"`, read.reason),
        pointer(key),
      ),
    )
    return undefined
  }
  return read.date
}

/** Members that, when present, must be objects with a `type` (VC 2.0 §4.10–4.12, §5). */
const TYPED_MEMBERS = [
  'credentialStatus',
  'termsOfUse',
  'evidence',
  'refreshService',
  'credentialSchema',
] as const

function checkIssuer(issuer: unknown, out: Problem[]): void {
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
  } else if (!isPlainObject(issuer)) {
    out.push(
      problem(
        'ERR_STRUCTURE_INVALID',
        '"issuer" must be an IRI or an object with one as "id".',
        pointer('issuer'),
      ),
    )
  } else if (!isAbsoluteIri(issuer.id)) {
    out.push(
      problem(
        'ERR_STRUCTURE_RELATIVE_IRI',
        '"issuer.id" must be an absolute IRI.',
        pointer('issuer', 'id'),
      ),
    )
  }
}

function checkSubjects(subjects: unknown, out: Problem[]): void {
  const many = Array.isArray(subjects)
  const list = asArray(subjects)
  if (list.length === 0) {
    out.push(
      problem(
        'ERR_STRUCTURE_INVALID',
        '"credentialSubject" is required.',
        pointer('credentialSubject'),
      ),
    )
  }
  list.forEach((s: unknown, i) => {
    const at = many ? pointer('credentialSubject', i) : pointer('credentialSubject')
    if (!isPlainObject(s)) {
      out.push(problem('ERR_STRUCTURE_INVALID', 'A credentialSubject must be an object.', at))
    } else if (Object.keys(s).length === 0) {
      // "each object MUST be the subject of one or more claims" (VC 2.0 §4.8).
      out.push(
        problem('ERR_STRUCTURE_INVALID', 'A credentialSubject must make at least one claim.', at),
      )
    } else if ('id' in s && !isAbsoluteIri(s.id)) {
      out.push(
        problem(
          'ERR_STRUCTURE_RELATIVE_IRI',
          'A credentialSubject "id" must be an absolute IRI.',
          at + '/id',
        ),
      )
    }
  })
}

function checkTypedMembers(
  document: Readonly<Record<string, unknown>>,
  members: readonly string[],
  out: Problem[],
): void {
  for (const key of members) {
    if (!(key in document)) continue
    const value = document[key]
    const many = Array.isArray(value)
    asArray(value).forEach((item: unknown, i) => {
      const at = many ? pointer(key, i) : pointer(key)
      if (!isPlainObject(item) || item.type === undefined) {
        out.push(problem('ERR_STRUCTURE_INVALID', `"${key}" must be objects with a "type".`, at))
      } else if (key === 'credentialSchema' && !isAbsoluteIri(item.id)) {
        out.push(problem('ERR_STRUCTURE_INVALID', '"credentialSchema" needs a URL "id".', at))
      }
    })
  }
}

/** `relatedResource` (VC 2.0 §5.3): objects with a URL `id`, each once, each with a digest. */
function checkRelatedResources(value: unknown, out: Problem[]): void {
  if (value === undefined) return
  const many = Array.isArray(value)
  const seen = new Set<string>()
  asArray(value).forEach((item: unknown, i) => {
    const at = many ? pointer('relatedResource', i) : pointer('relatedResource')
    if (!isPlainObject(item) || !isAbsoluteIri(item.id)) {
      out.push(problem('ERR_STRUCTURE_INVALID', '"relatedResource" entries need a URL "id".', at))
      return
    }
    if (seen.has(item.id)) {
      out.push(problem('ERR_STRUCTURE_INVALID', 'Duplicate "relatedResource" id.', at))
    }
    seen.add(item.id)
    if (item.digestSRI === undefined && item.digestMultibase === undefined) {
      out.push(
        problem(
          'ERR_STRUCTURE_INVALID',
          '"relatedResource" needs digestSRI or digestMultibase.',
          at,
        ),
      )
    }
  })
}

/** Options of {@link checkDocumentBase}. */
export interface DocumentBaseOptions {
  /** The type the document's `type` must include (`VerifiableCredential` …). */
  readonly requiredType: string
  /** The code of a structure problem. */
  readonly code: 'ERR_STRUCTURE_INVALID' | 'ERR_PRESENTATION_INVALID'
  /** Members with checks (and codes) of their own, left out of the empty-value rule. */
  readonly checkedApart: readonly string[]
}

/**
 * What every VC Data Model document (credential or presentation) must be at its top: no unsigned
 * empty member (JSON-LD drops `null` and `[]`, so they would not be signed), a first `@context`
 * that is the VC 2.0 or 1.1 base context, a well-formed `type` that includes the required one, and
 * an absolute IRI as `id`.
 */
export function checkDocumentBase(
  document: Readonly<Record<string, unknown>>,
  options: DocumentBaseOptions,
): Problem[] {
  const out: Problem[] = []
  const empty = unsignedEmptyValueProblem(document, new Set(options.checkedApart), options.code)
  if (empty !== undefined) out.push(empty)
  if (credentialFormatOf(document) === undefined) {
    out.push(
      problem(
        'ERR_CONTEXT_ORDER',
        `The first @context must be ${CONTEXT_URLS.credentialsV2} or ${CONTEXT_URLS.credentialsV1}.`,
        pointer('@context'),
      ),
    )
  }
  const types = typeProblem(document.type, pointer('type'))
  if (types !== undefined) out.push({ ...types, code: options.code })
  if (types === undefined && !hasType(document.type, options.requiredType)) {
    out.push(
      problem(options.code, `"type" must include "${options.requiredType}".`, pointer('type')),
    )
  }
  if ('id' in document && !isAbsoluteIri(document.id)) {
    out.push(problem('ERR_STRUCTURE_RELATIVE_IRI', '"id" must be an absolute IRI.', pointer('id')))
  }
  return out
}

/**
 * The VC 2.0 / 1.1 envelope: a JSON object whose first context is a VC base context, with no
 * unsigned empty member, `type` including `VerifiableCredential`, absolute IRIs for `id`,
 * `issuer` and subject ids, at least one subject making a claim, typed members with a `type`,
 * `relatedResource` entries with a URL and a digest, dates by envelope (VC 1.1 needs
 * `issuanceDate`; VC 1.1 date names are not VC 2.0's) with a time zone and in order, and a
 * `proof`, when there is one, made of objects.
 */
export function checkCredentialEnvelope(document: unknown): Problem[] {
  if (!isPlainObject(document)) {
    return [problem('ERR_STRUCTURE_INVALID', 'A credential must be a JSON object.', '')]
  }
  const out = checkDocumentBase(document, {
    requiredType: 'VerifiableCredential',
    code: 'ERR_STRUCTURE_INVALID',
    checkedApart: ['proof', 'credentialStatus'],
  })
  const format = credentialFormatOf(document)
  checkIssuer(document.issuer, out)
  checkSubjects(document.credentialSubject, out)
  checkTypedMembers(document, TYPED_MEMBERS, out)
  checkRelatedResources(document.relatedResource, out)
  if (format === 'vc2') {
    const from = readDate(document, 'validFrom', false, out)
    const until = readDate(document, 'validUntil', false, out)
    for (const k of ['issuanceDate', 'expirationDate']) {
      // Two sets of date names would let two readers see two validity periods (docs/attacks.md C3).
      if (k in document) {
        out.push(
          problem(
            'ERR_STRUCTURE_INVALID',
            `"${k}" belongs to VC 1.1; use validFrom/validUntil.`,
            pointer(k),
          ),
        )
      }
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
    const from = readDate(document, 'issuanceDate', true, out)
    const until = readDate(document, 'expirationDate', false, out)
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
  // A proof is a graph: an object, or a set of objects (null and [] are the proof check's).
  const proof = document.proof
  if (proof !== undefined && proof !== null && !asArray(proof).every((p) => isPlainObject(p))) {
    out.push(
      problem(
        'ERR_PROOF_MALFORMED',
        '"proof" must be an object or an array of objects.',
        pointer('proof'),
      ),
    )
  }
  return out
}

/** The `@context` URLs of the published Open Badges 3.0 contexts (3.0.0 to 3.0.3). */
const OPEN_BADGES_CONTEXT =
  /^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.\d\.\d)*\.json$/

/**
 * The Open Badges 3.0 `AchievementCredential` (alias `OpenBadgeCredential`), on top of the
 * envelope, with the cardinalities of the OB 3.0 data model (1EdTech openbadges-specification,
 * `ob_v3p0/common_credentials.lines`; summarised with line references in
 * `docs/ob-v3p0-data-model.md`):
 * - the type, an `id`, and an Open Badges 3.0 context second;
 * - on VC 2.0 an issuer that is a URI or a `Profile` (ProfileRef) and an optional `name`; on
 *   VC 1.1 (the legacy `AchievementCredentialv1p1` class) a `Profile` issuer and a `name`;
 * - exactly one `AchievementSubject`, with an `id` or at least one `identifier`, and exactly
 *   one `Achievement` (an `id`, type `Achievement`, a `name`, a `description` and `criteria`);
 * - `validFrom` on VC 2.0 (VC 1.1's `issuanceDate` is the envelope's rule).
 *
 * @see https://www.imsglobal.org/spec/ob/v3p0/#achievementcredential
 */
export function checkOpenBadgeCredential(document: Readonly<Record<string, unknown>>): Problem[] {
  const out: Problem[] = []
  const notOb = (message: string, path: string) =>
    out.push(problem('ERR_STRUCTURE_NOT_OPEN_BADGE', message, path))
  const format = credentialFormatOf(document)
  if (
    !hasType(document.type, 'OpenBadgeCredential') &&
    !hasType(document.type, 'AchievementCredential')
  ) {
    notOb('"type" must include "OpenBadgeCredential".', pointer('type'))
  }
  if (document.id === undefined) notOb('"id" is required.', pointer('id'))
  const second = asArray(document['@context'])[1]
  if (typeof second !== 'string' || !OPEN_BADGES_CONTEXT.test(second)) {
    notOb(
      'The second @context must be an Open Badges 3.0 context (purl.imsglobal.org/spec/ob/v3p0/context-3.0.x.json).',
      pointer('@context', 1),
    )
  }
  // name: 0..1 on VC 2.0, 1 on VC 1.1 (a non-empty string when present).
  if ('name' in document || format === 'vc1.1') {
    if (typeof document.name !== 'string' || document.name === '') {
      notOb(
        format === 'vc1.1'
          ? '"name" is required on a VC 1.1 Open Badge.'
          : '"name", when present, must be a non-empty string.',
        pointer('name'),
      )
    }
  }
  // issuer: ProfileRef (a URI or a Profile) on VC 2.0; a Profile on VC 1.1.
  const issuer = document.issuer
  if (isPlainObject(issuer) && !hasType(issuer.type, 'Profile')) {
    notOb('"issuer.type" must include "Profile".', pointer('issuer', 'type'))
  } else if (typeof issuer === 'string' && format === 'vc1.1') {
    notOb('A VC 1.1 Open Badge needs a Profile object as "issuer".', pointer('issuer'))
  }
  // credentialSubject: exactly one AchievementSubject with one Achievement.
  const subject = document.credentialSubject
  if (!isPlainObject(subject)) {
    notOb(
      '"credentialSubject" must be one AchievementSubject object.',
      pointer('credentialSubject'),
    )
  } else {
    if (!hasType(subject.type, 'AchievementSubject')) {
      notOb(
        '"credentialSubject.type" must include "AchievementSubject".',
        pointer('credentialSubject', 'type'),
      )
    }
    if (subject.id === undefined && asArray(subject.identifier).length === 0) {
      notOb(
        'The AchievementSubject needs an "id" or at least one "identifier".',
        pointer('credentialSubject'),
      )
    }
    const achievement = subject.achievement
    if (!isPlainObject(achievement)) {
      notOb(
        '"credentialSubject.achievement" must be an Achievement object.',
        pointer('credentialSubject', 'achievement'),
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
        notOb('The achievement "type" must include "Achievement".', at('type'))
      }
      for (const key of ['name', 'description'] as const) {
        if (typeof achievement[key] !== 'string' || achievement[key] === '') {
          notOb(`The achievement "${key}" is required.`, at(key))
        }
      }
      if (!isPlainObject(achievement.criteria)) {
        notOb('The achievement "criteria" is required.', at('criteria'))
      }
    }
  }
  if (credentialFormatOf(document) === 'vc2' && document.validFrom === undefined) {
    notOb('"validFrom" is required.', pointer('validFrom'))
  }
  return out
}
