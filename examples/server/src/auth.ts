/**
 * Bearer-token authorization of writes: constant-time comparison of SHA-256 digests (so neither
 * the content nor the length of the token leaks through timing). The scheme name is matched
 * without regard to case (`bearer` works), as HTTP auth schemes are (RFC 9110 §11.1).
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto'

/** A usable write token: 16 or more visible ASCII characters (what a header can carry). */
const TOKEN = /^[\x21-\x7e]{16,}$/

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/**
 * Checks a write token at start, so that a token no request could ever present (with spaces,
 * control characters or other than ASCII) or a short one fails loudly instead of silently.
 *
 * @throws {TypeError} naming the rule (never the token).
 */
export function checkWriteToken(token: unknown, where = 'The write token'): string {
  if (typeof token !== 'string' || !TOKEN.test(token)) {
    const length = typeof token === 'string' ? token.length : 0
    throw new TypeError(
      `${where} must be at least 16 visible ASCII characters, without spaces or control ` +
        `characters (got ${length} characters${length >= 16 ? ' with a character outside that set' : ''}).`,
    )
  }
  return token
}

/** A checker for `Authorization` header values against `token`. */
export function createTokenCheck(token: string): (header: string | undefined) => boolean {
  const expected = digest(checkWriteToken(token))
  return (header) => {
    if (typeof header !== 'string') return false
    const match = /^Bearer ([\x21-\x7e]+)$/i.exec(header)
    if (match === null) return false
    return timingSafeEqual(digest(match[1] ?? ''), expected)
  }
}
