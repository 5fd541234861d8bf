/**
 * The document a JWT secures, and its registered claims checked against it: one rule for every
 * door. VC-JOSE-COSE puts the document in the payload (registered claims beside it are optional
 * and, when present, must agree); the VC-JWT 1.1 encoding (Open Badges 3.0 §8.2) puts it in the
 * `vc` / `vp` claim, with `iss`, `jti`, `sub`, `nbf`, `exp` standing for members of it (VC 1.1
 * §6.3.1: a member the claim replaces may be left out and is then taken from the claim; a member
 * that is present must say the same).
 *
 * Registered claims are taken out of the document before it is verified: they are JOSE's, not
 * the data model's (in JSON-LD they would fall through to the issuer-dependent vocabulary).
 *
 * @see https://www.w3.org/TR/vc-jose-cose/#jose-header-parameters-jwt-claims
 * @see https://www.w3.org/TR/vc-data-model-1.1/#jwt-decoding
 * @see https://www.imsglobal.org/spec/ob/v3p0#jwt-payload
 * @module
 */
import {
  credentialFormatOf,
  idOf,
  isPlainObject,
  parseDateTimeStamp,
  problem,
  type ErrorCode,
  type Problem,
} from '@certify-vc/context'
import type { DecodedJwt } from './compact.js'

/** JWT claims (RFC 7519 §4.1, OpenID) that are never members of the document. */
export const REGISTERED_CLAIMS = [
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'nonce',
  'cnf',
] as const

/** The document inside a JWT, with the problems its claims have. */
export interface JwtDocument {
  /** The credential (or presentation) to verify: a fresh object. */
  readonly document: Record<string, unknown>
  /** Claim problems (`ERR_JWT_*`); empty when every claim agrees with the document. */
  readonly problems: readonly Problem[]
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

/** The (single) subject id the `sub` claim stands for, and whether it can be filled in. */
function subjectIds(document: Record<string, unknown>): (string | undefined)[] {
  const subjects = Array.isArray(document.credentialSubject)
    ? (document.credentialSubject as unknown[])
    : [document.credentialSubject]
  return subjects.map((s) => (isPlainObject(s) && typeof s.id === 'string' ? s.id : undefined))
}

/**
 * The credential a JWT secures and the problems of its claims. Never throws.
 *
 * @example
 * const { document, problems } = credentialOfJwt(decoded)
 */
export function credentialOfJwt(decoded: DecodedJwt): JwtDocument {
  const { payload } = decoded
  const legacy = decoded.encoding === 'vc-jwt'
  const document: Record<string, unknown> = structuredClone(
    legacy ? (payload.vc as Record<string, unknown>) : payload,
  )
  if (!legacy) for (const claim of REGISTERED_CLAIMS) delete document[claim]
  const problems: Problem[] = []
  const fail = (code: ErrorCode, message: string) => problems.push(problem(code, message, ''))

  for (const claim of ['iss', 'sub', 'jti'] as const) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'string') {
      fail('ERR_JWT_CLAIMS_INVALID', `The "${claim}" claim must be a string.`)
    }
  }
  for (const claim of ['nbf', 'exp'] as const) {
    if (payload[claim] !== undefined && !isNumericDate(payload[claim])) {
      fail('ERR_JWT_CLAIMS_INVALID', `The "${claim}" claim must be a NumericDate (seconds).`)
    }
  }
  if (problems.length > 0) return { document, problems }
  const iss = payload.iss as string | undefined
  const sub = payload.sub as string | undefined
  const jti = payload.jti as string | undefined
  const nbf = payload.nbf as number | undefined
  const exp = payload.exp as number | undefined

  // iss: the issuer (VC-JWT: required, it binds the signature to an issuer).
  if (legacy && iss === undefined) {
    fail('ERR_JWT_CLAIMS_INVALID', 'A VC-JWT 1.1 credential needs the "iss" claim.')
  } else if (iss !== undefined) {
    if (legacy && document.issuer === undefined) document.issuer = iss
    const issuer = idOf(document.issuer)
    if (issuer !== iss) {
      fail('ERR_JWT_ISS_MISMATCH', `"iss" is ${iss}, the credential's issuer ${String(issuer)}.`)
    }
  }
  // jti: the credential's id.
  if (jti !== undefined) {
    if (legacy && document.id === undefined) document.id = jti
    if (document.id !== jti) {
      fail('ERR_JWT_JTI_MISMATCH', `"jti" is ${jti}, the credential's id ${String(document.id)}.`)
    }
  }
  // sub: the subject's id.
  if (sub !== undefined) {
    const ids = subjectIds(document)
    if (
      legacy &&
      ids.length === 1 &&
      ids[0] === undefined &&
      isPlainObject(document.credentialSubject)
    ) {
      document.credentialSubject = { ...document.credentialSubject, id: sub }
    } else if (!ids.includes(sub)) {
      fail('ERR_JWT_SUB_MISMATCH', `"sub" is ${sub}, not the id of the credential subject.`)
    }
  }
  // nbf / exp: validFrom / validUntil (VC 2.0) or issuanceDate / expirationDate (VC 1.1).
  const v1 = credentialFormatOf(document) === 'vc1.1'
  const dates = [
    { claim: 'nbf', value: nbf, member: v1 ? 'issuanceDate' : 'validFrom' },
    { claim: 'exp', value: exp, member: v1 ? 'expirationDate' : 'validUntil' },
  ] as const
  for (const { claim, value, member } of dates) {
    const code = claim === 'nbf' ? 'ERR_JWT_NBF_MISMATCH' : 'ERR_JWT_EXP_MISMATCH'
    if (value === undefined) {
      // VC 1.1 §6.3.1: "exp MUST represent the expirationDate property" - an expiring credential
      // whose token does not expire would outlive it for a JWT-only reader.
      if (legacy && claim === 'exp' && document[member] !== undefined) {
        fail(code, `The credential has ${member} but the JWT has no "exp" claim.`)
      }
      continue
    }
    if (legacy && document[member] === undefined) {
      document[member] = new Date(value * 1000).toISOString().replace('.000Z', 'Z')
    }
    const date = parseDateTimeStamp(document[member])
    if (date === undefined || seconds(date) !== value) {
      fail(code, `"${claim}" is ${value}, the credential's ${member} ${String(document[member])}.`)
    }
  }
  if (document.proof !== undefined) {
    fail(
      'ERR_JWT_EMBEDDED_PROOF',
      'The credential inside the JWT also carries a "proof"; certify-vc verifies one envelope per document.',
    )
  }
  return { document, problems }
}
