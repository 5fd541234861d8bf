/**
 * Plain-JSON types and small helpers shared by the packages.
 *
 * @module
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue
}

/** True when `value` is a non-null, non-array object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Escapes one reference token for a JSON Pointer (RFC 6901). */
function escapeToken(token: string | number): string {
  const s = typeof token === 'string' ? token : String(token)
  return s.includes('~') || s.includes('/') ? s.replaceAll('~', '~0').replaceAll('/', '~1') : s
}

/** Builds a JSON Pointer from path segments: `pointer('proof', 0, 'proofValue')` → `/proof/0/proofValue`. */
export function pointer(...segments: readonly (string | number)[]): string {
  let out = ''
  for (const segment of segments) out += '/' + escapeToken(segment)
  return out
}

/** `value` as an array: arrays unchanged, `undefined` as `[]`, anything else wrapped. */
export function asArray<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return []
  return Array.isArray(value) ? (value as readonly T[]) : [value as T]
}
