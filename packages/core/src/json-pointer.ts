/**
 * JSON Pointers (RFC 6901) as selective disclosure uses them: the issuer's mandatory pointers
 * and the holder's selective pointers name members of the credential. Checked here before a
 * library sees them, so that a pointer that is malformed or names nothing is refused with one
 * code (`ERR_DISCLOSURE_POINTER_INVALID`) on every path.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6901
 * @module
 */
import { CertifyError, isPlainObject } from '@certify-vc/context'

/** The reference tokens of a JSON Pointer, unescaped; `undefined` when it is malformed. */
export function parseJsonPointer(pointer: string): string[] | undefined {
  if (typeof pointer !== 'string') return undefined
  if (pointer === '') return []
  if (!pointer.startsWith('/')) return undefined
  const tokens = pointer.slice(1).split('/')
  // "~" must be followed by 0 or 1 (RFC 6901 §3).
  if (tokens.some((t) => /~(?![01])/.test(t))) return undefined
  return tokens.map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** The value `pointer` names in `document`, or `undefined` when it names nothing. */
export function valueAtPointer(document: unknown, pointer: string): unknown {
  const tokens = parseJsonPointer(pointer)
  if (tokens === undefined) return undefined
  let value: unknown = document
  for (const token of tokens) {
    if (Array.isArray(value)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined
      value = (value as unknown[])[Number(token)]
    } else if (isPlainObject(value) && Object.hasOwn(value, token)) {
      value = value[token]
    } else {
      return undefined
    }
  }
  return value
}

/**
 * Checks selective-disclosure pointers against `document`: each must be a well-formed JSON
 * Pointer naming a member of the document other than `@context` and `proof` (the whole document,
 * `""`, is refused too: "disclose everything" is not a selection).
 *
 * @throws {TypeError} when `pointers` is not an array of strings.
 * @throws {CertifyError} `ERR_DISCLOSURE_POINTER_INVALID` for the first bad pointer (its `path`
 *   is the pointer).
 */
export function checkDisclosurePointers(
  document: Readonly<Record<string, unknown>>,
  pointers: readonly string[],
  what: string,
): void {
  if (!Array.isArray(pointers) || !pointers.every((p) => typeof p === 'string')) {
    throw new TypeError(`"${what}" must be an array of JSON Pointer strings.`)
  }
  for (const pointer of pointers) {
    const tokens = parseJsonPointer(pointer)
    const fail = (why: string) =>
      new CertifyError(
        'ERR_DISCLOSURE_POINTER_INVALID',
        `${what}: ${JSON.stringify(pointer.slice(0, 200))} ${why}.`,
        { path: tokens === undefined || tokens.length === 0 ? '' : pointer },
      )
    if (tokens === undefined) throw fail('is not a JSON Pointer ("/a/b", RFC 6901)')
    if (tokens.length === 0) throw fail('names the whole credential, not a member of it')
    if (tokens[0] === '@context' || tokens[0] === 'proof') throw fail('names @context or proof')
    if (valueAtPointer(document, pointer) === undefined) throw fail('names nothing in it')
  }
}

function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1')
}

/**
 * The JSON Pointers of every value in `document` that is not an object or array (strings,
 * numbers, booleans, null), in document order, leaving out `@context` and `proof`: what a
 * selectively disclosed credential shows.
 *
 * @example
 * leafPointers({ id: 'urn:x', type: ['A', 'B'] }) // ['/id', '/type/0', '/type/1']
 */
export function leafPointers(document: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = []
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value)) {
      ;(value as unknown[]).forEach((v, i) => walk(v, `${at}/${i}`))
    } else if (isPlainObject(value)) {
      for (const [key, v] of Object.entries(value)) walk(v, `${at}/${escapeToken(key)}`)
    } else {
      out.push(at)
    }
  }
  for (const [key, value] of Object.entries(document)) {
    if (key !== '@context' && key !== 'proof') walk(value, `/${escapeToken(key)}`)
  }
  return out
}

/** The pointers of every top-level member but `@context` and `proof`: "disclose everything". */
export function topLevelPointers(document: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(document)
    .filter((key) => key !== '@context' && key !== 'proof')
    .map((key) => `/${escapeToken(key)}`)
}
