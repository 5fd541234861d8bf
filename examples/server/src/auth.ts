/**
 * Bearer-token authorization of writes: constant-time comparison of SHA-256 digests (so neither
 * the content nor the length of the token leaks through timing).
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto'

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/** A checker for `Authorization` header values against `token`. */
export function createTokenCheck(token: string): (header: string | undefined) => boolean {
  if (typeof token !== 'string' || token.length < 16) {
    throw new TypeError('The write token must be a string of at least 16 characters.')
  }
  const expected = digest(token)
  return (header) => {
    if (typeof header !== 'string') return false
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(header)
    if (match === null) return false
    return timingSafeEqual(digest(match[1] ?? ''), expected)
  }
}
