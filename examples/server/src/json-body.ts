/**
 * The server's JSON body parser: strict JSON (no duplicate keys, no `__proto__` /
 * `constructor` / `prototype` keys, bounded nesting), because `JSON.parse` silently keeps the
 * last of two equal keys — a credential whose `id` appears twice must be refused, not read one
 * way here and another way elsewhere (docs/attacks.md B6, B7). The verifier's own input check does
 * the parsing, so a body refused here carries the code the verifier gives the same credential.
 *
 * @module
 */
import type { ErrorCode } from '@certify-vc/context'
import { parseJsonStrictly } from '@certify-vc/verifier'

/** Why a body was refused: the verifier's input code and message. */
export class JsonBodyError extends Error {
  readonly statusCode = 400
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'JsonBodyError'
  }
}

/**
 * Parses a request body: the verifier's input rules, nesting up to `maxDepth` (a body wraps the
 * credentials it carries, which the verifier limits again), `maxBytes` at most.
 *
 * @throws {JsonBodyError} for malformed JSON or any of those.
 */
export function parseStrictJson(
  text: string,
  options: { readonly maxDepth?: number; readonly maxBytes?: number } = {},
): unknown {
  const read = parseJsonStrictly(text, {
    maxDepth: options.maxDepth ?? 64,
    maxBytes: options.maxBytes ?? Number.MAX_SAFE_INTEGER,
    // Per-credential string and array limits are the verifier's, applied to each credential.
    maxArrayLength: Number.MAX_SAFE_INTEGER,
    maxStringLength: Number.MAX_SAFE_INTEGER,
  })
  if (!read.ok) {
    const first = read.problems[0]
    throw new JsonBodyError(
      first?.code ?? 'ERR_INPUT_NOT_JSON',
      `The body is refused: ${first?.message ?? 'not JSON'}`,
    )
  }
  return read.document
}
