/**
 * Ingress limits, applied before any JSON-LD work: byte size, nesting depth, forbidden keys.
 *
 * @module
 */
import { pointer, problem, type Problem } from '@certify-vc/context'
import type { InputLimits } from './types.js'

export const DEFAULT_MAX_BYTES = 512 * 1024
export const DEFAULT_MAX_DEPTH = 32
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Validated limits with defaults applied. @throws {TypeError} */
export function resolveLimits(limits: InputLimits | undefined): Required<InputLimits> {
  const maxBytes = limits?.maxBytes ?? DEFAULT_MAX_BYTES
  const maxDepth = limits?.maxDepth ?? DEFAULT_MAX_DEPTH
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new TypeError('"limits.maxBytes" must be a positive integer.')
  }
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 1 || maxDepth > 1000) {
    throw new TypeError('"limits.maxDepth" must be an integer from 1 to 1000.')
  }
  return { maxBytes, maxDepth }
}

/** The result of reading an input: a fresh JSON copy, or the problems that stopped it. */
export type ReadInputResult =
  | { readonly ok: true; readonly document: unknown }
  | { readonly ok: false; readonly problems: Problem[] }

function walk(value: unknown, path: (string | number)[], maxDepth: number, out: Problem[]): void {
  if (out.length > 0) return
  if (value === null || typeof value !== 'object') return
  if (path.length >= maxDepth) {
    out.push(
      problem('ERR_INPUT_TOO_DEEP', `Nesting deeper than ${maxDepth} levels.`, pointer(...path)),
    )
    return
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, i], maxDepth, out))
    return
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) {
      out.push(
        problem('ERR_INPUT_FORBIDDEN_KEY', `Key "${key}" is not allowed.`, pointer(...path, key)),
      )
      return
    }
    walk((value as Record<string, unknown>)[key], [...path, key], maxDepth, out)
  }
}

/** Bracket nesting depth of JSON text, outside strings; stops counting past `limit`. */
function nestingDepth(text: string, limit: number): number {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return depth
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return depth
}

const utf8 = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Reads a credential given as JSON text, UTF-8 bytes or an already parsed value, applying the
 * limits. Never throws.
 */
export function readInput(input: unknown, limits: Required<InputLimits>): ReadInputResult {
  let text: string
  if (typeof input === 'string') {
    text = input
  } else if (input instanceof Uint8Array) {
    if (input.byteLength > limits.maxBytes) {
      return {
        ok: false,
        problems: [
          problem(
            'ERR_INPUT_TOO_LARGE',
            `Input is ${input.byteLength} bytes; the limit is ${limits.maxBytes}.`,
          ),
        ],
      }
    }
    try {
      text = utf8Decoder.decode(input)
    } catch {
      return { ok: false, problems: [problem('ERR_INPUT_NOT_JSON', 'Input is not valid UTF-8.')] }
    }
  } else {
    try {
      const serialised: unknown = JSON.stringify(input)
      if (typeof serialised !== 'string') {
        return {
          ok: false,
          problems: [problem('ERR_INPUT_NOT_JSON', 'Input is not a JSON value.')],
        }
      }
      text = serialised
    } catch {
      return {
        ok: false,
        problems: [
          problem('ERR_INPUT_NOT_JSON', 'Input cannot be serialised as JSON (cycle or BigInt).'),
        ],
      }
    }
  }
  // Cheap upper bound first (3 bytes per UTF-16 unit), exact count only when needed.
  const bytes = text.length * 3 <= limits.maxBytes ? text.length : utf8.encode(text).byteLength
  if (bytes > limits.maxBytes) {
    return {
      ok: false,
      problems: [
        problem('ERR_INPUT_TOO_LARGE', `Input is ${bytes} bytes; the limit is ${limits.maxBytes}.`),
      ],
    }
  }
  const depth = nestingDepth(text, limits.maxDepth)
  if (depth > limits.maxDepth) {
    return {
      ok: false,
      problems: [problem('ERR_INPUT_TOO_DEEP', `Nesting deeper than ${limits.maxDepth} levels.`)],
    }
  }
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    const why = error instanceof Error ? error.message : 'parse error'
    return { ok: false, problems: [problem('ERR_INPUT_NOT_JSON', `Input is not JSON: ${why}`)] }
  }
  const problems: Problem[] = []
  walk(document, [], limits.maxDepth, problems)
  return problems.length > 0 ? { ok: false, problems } : { ok: true, document }
}
