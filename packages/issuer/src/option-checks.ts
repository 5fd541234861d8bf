/**
 * Argument checks shared by the issuer's functions (internal: not re-exported by the package).
 * Wrong types are caller mistakes (`TypeError`); well-typed but unusable values are data errors
 * (`CertifyError` with a code).
 *
 * @module
 */
import { CertifyError, isPlainObject, type ErrorCode } from '@certify-vc/context'

export { isAbsoluteIri, isDid } from '@certify-vc/context'

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const CONTROL = /\p{Cc}/u
/** Deepest nesting accepted in extension values (docs/attacks.md B3). */
export const MAX_EXTENSION_DEPTH = 32
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** True when `value` holds an unpaired UTF-16 surrogate (not encodable as UTF-8). */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value)
}

/** True when `value` holds a C0 or C1 control character. */
export function hasControlCharacter(value: string): boolean {
  return CONTROL.test(value)
}

/**
 * Checks that `value` is a plain object whose keys are all in `allowed`.
 *
 * @throws {TypeError} naming `what` otherwise.
 */
export function checkOptionBag(
  value: unknown,
  what: string,
  allowed: readonly string[],
): asserts value is Record<string, unknown> {
  if (!isPlainObject(value)) throw new TypeError(`"${what}" must be an object.`)
  for (const name of Object.keys(value)) {
    if (!allowed.includes(name)) throw new TypeError(`Unknown option "${what}.${name}".`)
  }
}

/**
 * Checks an optional string option's type.
 *
 * @throws {TypeError} when `value` is neither `undefined` nor a string.
 */
export function optionalString(value: unknown, what: string): string | undefined {
  if (value !== undefined && typeof value !== 'string') {
    throw new TypeError(`"${what}" must be a string.`)
  }
  return value
}

/**
 * Checks a date option: a `Date` (type) holding a time that an XSD dateTimeStamp can carry.
 *
 * @throws {TypeError} when `value` is not a `Date`.
 * @throws {CertifyError} `ERR_STRUCTURE_DATE_INVALID` for an invalid date or a year outside
 *   1–9999.
 */
export function checkDate(value: unknown, what: string): Date {
  if (!(value instanceof Date)) throw new TypeError(`"${what}" must be a Date.`)
  const time = value.getTime()
  if (Number.isNaN(time)) {
    throw new CertifyError('ERR_STRUCTURE_DATE_INVALID', `"${what}" is an invalid Date.`)
  }
  const year = value.getUTCFullYear()
  if (year < 1 || year > 9999) {
    throw new CertifyError(
      'ERR_STRUCTURE_DATE_INVALID',
      `"${what}" must fall in the years 1 to 9999 to be written as an XSD dateTimeStamp.`,
    )
  }
  return new Date(time)
}

/** A data error with a JSON Pointer to the offending member. */
export function dataError(code: ErrorCode, message: string, path?: string): CertifyError {
  return new CertifyError(code, message, path === undefined ? undefined : { path })
}

/** Options of {@link checkJson}. */
export interface CheckJsonOptions {
  /** Accept JSON-LD keywords other than `@context` as keys (`@id`, `@type` …). Default `false`. */
  readonly keywords?: boolean
}

/**
 * Checks that `value` is plain JSON (no `undefined`, functions, class instances, non-finite
 * numbers or cycles), without forbidden keys or inline contexts, at most
 * {@link MAX_EXTENSION_DEPTH} deep, and with well-formed strings.
 *
 * @throws {TypeError} for a value that is not JSON.
 * @throws {CertifyError} `ERR_INPUT_FORBIDDEN_KEY`, `ERR_CONTEXT_INLINE`, `ERR_INPUT_TOO_DEEP` or
 *   `ERR_ISSUE_INVALID_INPUT` (JSON-LD keyword, lone surrogate), with `path` set.
 */
export function checkJson(value: unknown, path: string, options: CheckJsonOptions = {}): void {
  walk(value, path, options.keywords === true, 0, new Set())
}

function walk(
  value: unknown,
  path: string,
  keywords: boolean,
  depth: number,
  seen: Set<object>,
): void {
  if (depth > MAX_EXTENSION_DEPTH) {
    throw dataError('ERR_INPUT_TOO_DEEP', `Nested deeper than ${MAX_EXTENSION_DEPTH} levels.`, path)
  }
  if (value === null || typeof value === 'boolean') return
  if (typeof value === 'string') {
    if (hasLoneSurrogate(value)) {
      throw dataError('ERR_ISSUE_INVALID_INPUT', 'A string holds an unpaired surrogate.', path)
    }
    return
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: numbers must be finite.`)
    return
  }
  if (typeof value !== 'object') throw new TypeError(`${path}: a ${typeof value} is not JSON.`)
  if (seen.has(value)) throw new TypeError(`${path}: circular reference.`)
  seen.add(value)
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}/${i}`, keywords, depth + 1, seen))
  } else {
    const proto: unknown = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`${path}: only plain objects are JSON.`)
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
      if (FORBIDDEN_KEYS.has(key)) {
        throw dataError('ERR_INPUT_FORBIDDEN_KEY', `The key "${key}" is never allowed.`, childPath)
      }
      if (key === '@context') {
        throw dataError(
          'ERR_CONTEXT_INLINE',
          'An embedded JSON-LD context is not allowed.',
          childPath,
        )
      }
      if (!keywords && key.startsWith('@')) {
        throw dataError(
          'ERR_ISSUE_INVALID_INPUT',
          `The JSON-LD keyword "${key}" is not allowed here; use the context's terms.`,
          childPath,
        )
      }
      if (hasLoneSurrogate(key)) {
        throw dataError('ERR_ISSUE_INVALID_INPUT', 'A key holds an unpaired surrogate.', childPath)
      }
      walk(child, childPath, keywords, depth + 1, seen)
    }
  }
  seen.delete(value)
}
