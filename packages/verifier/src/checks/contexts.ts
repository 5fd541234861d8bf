/**
 * Contexts: every `@context` anywhere in the document is a pinned URL (no inline contexts, no
 * unknown URLs, never the network), and the document expands in JSON-LD safe mode, so no term
 * or type escapes the signature.
 *
 * @module
 */
import {
  contexts as pinned,
  expandSafely,
  isPlainObject,
  pointer,
  problem,
  toJsonLdError,
  type DocumentLoader,
  type Problem,
} from '@certify-vc/context'
import type { CheckResult } from '../types.js'
import { checkResult } from './common.js'

function scanContexts(
  value: unknown,
  path: (string | number)[],
  allowed: ReadonlySet<string>,
  out: Problem[],
): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => scanContexts(v, [...path, i], allowed, out))
    return
  }
  if (!isPlainObject(value)) return
  for (const [key, child] of Object.entries(value)) {
    if (key === '@context') {
      const entries = Array.isArray(child) ? child : [child]
      entries.forEach((entry, i) => {
        const at = Array.isArray(child) ? pointer(...path, key, i) : pointer(...path, key)
        if (typeof entry === 'string') {
          if (!allowed.has(entry)) {
            out.push(
              problem(
                'ERR_CONTEXT_UNKNOWN',
                `Context ${JSON.stringify(entry.slice(0, 200))} is not a pinned context.`,
                at,
              ),
            )
          }
        } else {
          out.push(
            problem('ERR_CONTEXT_INLINE', 'Inline (embedded) contexts are not accepted.', at),
          )
        }
      })
    } else {
      scanContexts(child, [...path, key], allowed, out)
    }
  }
}

/** Finds the JSON Pointer of the first key named `name`, for a helpful problem path. */
export function findKeyPath(
  value: unknown,
  name: string,
  path: (string | number)[] = [],
): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findKeyPath(value[i], name, [...path, i])
      if (found !== undefined) return found
    }
    return undefined
  }
  if (!isPlainObject(value)) return undefined
  if (Object.hasOwn(value, name)) return pointer(...path, name)
  for (const [key, child] of Object.entries(value)) {
    if (key === '@context') continue
    const found = findKeyPath(child, name, [...path, key])
    if (found !== undefined) return found
  }
  return undefined
}

/** Finds the JSON Pointer of the first string value equal to `wanted`. */
export function findValuePath(
  value: unknown,
  wanted: string,
  path: (string | number)[] = [],
): string | undefined {
  if (value === wanted) return pointer(...path)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findValuePath(value[i], wanted, [...path, i])
      if (found !== undefined) return found
    }
    return undefined
  }
  if (!isPlainObject(value)) return undefined
  for (const [key, child] of Object.entries(value)) {
    if (key === '@context') continue
    const found = findValuePath(child, wanted, [...path, key])
    if (found !== undefined) return found
  }
  return undefined
}

/** Where in `document` a JSON-LD safe-mode event points, as far as it can be told. */
function eventPath(document: unknown, error: unknown): string | undefined {
  const value = (error as { value?: unknown } | undefined)?.value
  if (typeof value === 'string') return findValuePath(document, value)
  const details = (
    error as { details?: { event?: { details?: Record<string, unknown> } } } | undefined
  )?.details?.event?.details
  if (details === undefined) return undefined
  if (typeof details.property === 'string') return findKeyPath(document, details.property)
  for (const key of ['type', 'id', 'value']) {
    const v = details[key]
    if (typeof v === 'string') return findValuePath(document, v)
  }
  return undefined
}

/** Runs the contexts check: pinned URLs only, then safe-mode expansion. */
export async function checkContexts(
  document: Record<string, unknown>,
  options: { documentLoader: DocumentLoader; additionalContexts: readonly string[] },
): Promise<CheckResult> {
  const allowed = new Set([...pinned.keys(), ...options.additionalContexts])
  const out: Problem[] = []
  if (document['@context'] === undefined) {
    out.push(problem('ERR_CONTEXT_ORDER', '"@context" is required.', pointer('@context')))
  }
  scanContexts(document, [], allowed, out)
  if (out.length > 0) return checkResult('contexts', out)
  try {
    await expandSafely(document, options.documentLoader)
  } catch (error) {
    const e = toJsonLdError(error)
    out.push(problem(e.code, e.message, e.path ?? eventPath(document, e.cause)))
  }
  return checkResult('contexts', out)
}
