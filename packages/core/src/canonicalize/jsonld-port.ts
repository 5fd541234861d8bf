/**
 * Ports of the jsonld.js 9.0.0 helpers the fast expansion needs (`lib/context.js`,
 * `lib/url.js`, `lib/util.js`), and the shapes of the jsonld.js objects it reads. Pinned to
 * jsonld 9.0.0: an upgrade must re-run the differential tests in `test/fast-canonize.test.ts`.
 *
 * @module
 */
import { StepAside } from './step-aside.js'

/** A jsonld.js term definition (read here, never written). */
export interface TermDefinition {
  readonly '@id'?: string | null
  readonly '@type'?: string
  readonly '@container'?: readonly string[]
  readonly '@context'?: unknown
  readonly '@language'?: string | null
  readonly '@direction'?: string | null
  readonly reverse?: boolean
  readonly _prefix?: boolean
}

/** A jsonld.js active context (read here, never written). */
export interface JsActiveContext {
  readonly mappings: ReadonlyMap<string, TermDefinition | null>
  readonly '@vocab'?: string
  readonly '@base'?: string | null
  readonly '@language'?: string
  readonly '@direction'?: string
}

// --- Ports of jsonld.js 9.0.0 helpers (lib/context.js, lib/url.js, lib/util.js) --------------

const REGEX_KEYWORD = /^@[a-zA-Z]+$/
// Sic: `+-.` is a range in jsonld.js's own expression; kept identical.
const ABSOLUTE_IRI = /^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$/
const KEYWORDS = new Set([
  '@base',
  '@container',
  '@context',
  '@default',
  '@direction',
  '@embed',
  '@explicit',
  '@graph',
  '@id',
  '@included',
  '@index',
  '@json',
  '@language',
  '@list',
  '@nest',
  '@none',
  '@omitDefault',
  '@prefix',
  '@preserve',
  '@protected',
  '@requireAll',
  '@reverse',
  '@set',
  '@type',
  '@value',
  '@version',
  '@vocab',
])

export function isKeyword(v: string): boolean {
  return v[0] === '@' && KEYWORDS.has(v)
}

/**
 * Verdicts of {@link ABSOLUTE_IRI} for short strings: a credential's IRIs and terms repeat within
 * a document and across documents. Bounded (cleared when full), long strings not kept.
 */
const absoluteIris = new Map<string, boolean>()
const MAX_ABSOLUTE_IRIS = 4096
const MAX_REMEMBERED_IRI_LENGTH = 256

export function isAbsoluteIri(v: unknown): v is string {
  if (typeof v !== 'string') return false
  if (v.length > MAX_REMEMBERED_IRI_LENGTH) return ABSOLUTE_IRI.test(v)
  let verdict = absoluteIris.get(v)
  if (verdict === undefined) {
    verdict = ABSOLUTE_IRI.test(v)
    if (absoluteIris.size >= MAX_ABSOLUTE_IRIS) absoluteIris.clear()
    absoluteIris.set(v, verdict)
  }
  return verdict
}

/** jsonld.js `types.isObject`: `[object Object]`, which is what `util.clone` copies as such. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return Object.prototype.toString.call(v) === '[object Object]'
}

export type Expanded = Record<string, unknown>

/** `context.getContextValue`. */
export function contextValue(js: JsActiveContext, key: string | null, type: string): unknown {
  if (key === null) return type === '@context' ? undefined : null
  const entry = js.mappings.get(key)
  if (entry !== undefined && entry !== null && Object.hasOwn(entry, type)) {
    return (entry as Record<string, unknown>)[type]
  }
  if ((type === '@language' || type === '@direction') && type in js) {
    return (js as unknown as Record<string, unknown>)[type]
  }
  return type === '@context' ? undefined : null
}

export function containerOf(js: JsActiveContext, key: string | null): readonly string[] {
  return (contextValue(js, key, '@container') as readonly string[] | null) ?? []
}

/** `context.expandIri` without a local context (expansion never passes one). */
export function expandIri(
  js: JsActiveContext,
  value: string,
  vocab: boolean,
  base: boolean,
): string | null {
  if (isKeyword(value)) return value
  if (REGEX_KEYWORD.test(value)) return null
  if (vocab) {
    const mapping = js.mappings.get(value)
    if (mapping === null) return null
    // Term definitions are always objects here (jsonld.js builds them).
    if (mapping !== undefined && '@id' in mapping) return mapping['@id'] ?? null
  }
  const colon = value.indexOf(':')
  if (colon > 0) {
    const prefix = value.slice(0, colon)
    const suffix = value.slice(colon + 1)
    if (prefix === '_' || suffix.startsWith('//')) return value
    const mapping = js.mappings.get(prefix)
    if (mapping?._prefix === true) return `${String(mapping['@id'])}${suffix}`
    if (isAbsoluteIri(value)) return value
  }
  if (vocab && '@vocab' in js) return `${String(js['@vocab'])}${value}`
  // With `base: null`, only a context `@base` changes relative IRIs: resolving it is not ported.
  if (base && '@base' in js && js['@base']) throw new StepAside('@base')
  return value
}

/** `util.addValue` with `allowDuplicate: true` (the only way expansion calls it). */
export function addValue(
  subject: Expanded,
  property: string,
  value: unknown,
  propertyIsArray: boolean,
) {
  if (Array.isArray(value)) {
    if (value.length === 0 && propertyIsArray && !Object.hasOwn(subject, property)) {
      subject[property] = []
    }
    for (const v of value) addValue(subject, property, v, propertyIsArray)
  } else if (Object.hasOwn(subject, property)) {
    if (!Array.isArray(subject[property])) subject[property] = [subject[property]]
    ;(subject[property] as unknown[]).push(value)
  } else {
    subject[property] = propertyIsArray ? [value] : value
  }
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v]
}
