/**
 * The server's JSON body parser: strict JSON (no duplicate keys, no `__proto__` /
 * `constructor` / `prototype` keys, bounded nesting), because `JSON.parse` silently keeps the
 * last of two equal keys — a credential whose `id` appears twice must be refused, not read one
 * way here and another way elsewhere (docs/attacks.md B6, B7).
 *
 * @module
 */

/** Why a body was refused. */
export class JsonBodyError extends Error {
  readonly statusCode = 400
  constructor(message: string) {
    super(message)
    this.name = 'JsonBodyError'
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * Scans JSON text for duplicate and forbidden keys and nesting beyond `maxDepth`, then parses
 * it.
 *
 * @throws {JsonBodyError} for malformed JSON or any of those.
 */
export function parseStrictJson(text: string, maxDepth = 64): unknown {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new JsonBodyError(`The body is not valid JSON: ${(error as Error).message}`)
  }
  // The text is valid JSON now, so a small scanner suffices.
  const keys: Set<string>[] = []
  const kinds: ('{' | '[')[] = []
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text[i]
    if (c === '"') {
      let j = i + 1
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      const raw = text.slice(i, j + 1)
      i = j + 1
      while (i < n && /\s/.test(text[i] ?? '')) i++
      if (text[i] === ':' && kinds.at(-1) === '{') {
        const key = JSON.parse(raw) as string
        if (FORBIDDEN_KEYS.has(key)) throw new JsonBodyError(`The key "${key}" is not allowed.`)
        const seen = keys.at(-1) as Set<string>
        if (seen.has(key)) throw new JsonBodyError(`Duplicate key "${key.slice(0, 100)}".`)
        seen.add(key)
      }
      continue
    }
    if (c === '{' || c === '[') {
      kinds.push(c)
      keys.push(new Set())
      if (kinds.length > maxDepth) {
        throw new JsonBodyError(`The body nests deeper than ${maxDepth} levels.`)
      }
    } else if (c === '}' || c === ']') {
      kinds.pop()
      keys.pop()
    }
    i++
  }
  return value
}
