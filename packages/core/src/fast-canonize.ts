/**
 * The fast JSON-LD → RDF → RDFC-1.0 path, for documents whose contexts are all named by URL and
 * loaded as deeply frozen objects (the pinned contexts of `@certify-vc/context` are).
 *
 * jsonld.js spends most of a credential's expansion re-processing contexts: every node with a
 * type-scoped context (the OB 3.0.3 context has 15) deep-clones the whole active context and
 * defines the scoped terms again, on every call. Here each context document, and each scoped
 * context on top of each active context, is processed **once, by jsonld.js itself**
 * (`processContext`), and the processed form is kept, keyed by the identity of the frozen object
 * it came from. The document is then expanded by a port of jsonld.js 9.0.0's expansion algorithm
 * (`lib/expand.js`), restricted to what credentials use, over those processed contexts, without
 * cloning anything. RDF conversion and RDFC-1.0 stay jsonld.js's and rdf-canonize's own: the two
 * calls `jsonld.canonize` makes after expansion (`lib/toRdf.js`, then rdf-canonize 5.0.0, the
 * version jsonld 9.0.0 uses), made directly, without its per-call option set-up.
 *
 * The fast path never decides an error. Whenever the reference would emit a safe-mode event,
 * throw, or do something this port does not cover (an embedded context, a context document that
 * is not deeply frozen, `@value`, `@graph`, `@nest`, `@reverse`, index/language/id/type maps,
 * `@json`, relative IRIs, non-JSON values …), it steps aside and the caller runs the reference
 * path, which then produces the exact result or error. The caller's document loader is still
 * asked for every context URL, as on the reference path, so it alone decides what a URL means.
 *
 * Pinned to jsonld 9.0.0 (an exact dependency): an upgrade must re-run the differential tests in
 * `test/fast-canonize.test.ts`, which compare both paths byte for byte.
 *
 * @module
 */
import jsonld from 'jsonld'
import toRdf from 'jsonld/lib/toRdf.js'
import rdfCanonize from 'rdf-canonize'
import { nodeCrypto } from './node-crypto.js'
import {
  CertifyError,
  findCertifyError,
  type DocumentLoader,
  type RemoteDocument,
} from '@certify-vc/context'

/** A jsonld.js term definition (read here, never written). */
interface TermDefinition {
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
interface JsActiveContext {
  readonly mappings: ReadonlyMap<string, TermDefinition | null>
  readonly '@vocab'?: string
  readonly '@base'?: string | null
  readonly '@language'?: string
  readonly '@direction'?: string
}

interface ProcessOptions {
  documentLoader: DocumentLoader
  base: null
  safe: true
}

/** The public jsonld.js calls used here, with the options they take. */
interface JsonLdApi {
  processContext(
    activeCtx: JsActiveContext | null,
    localCtx: unknown,
    options: ProcessOptions,
  ): Promise<JsActiveContext>
}
const api = jsonld as unknown as JsonLdApi

/** Thrown inside the expansion when the reference path must take over. */
class StepAside extends Error {}

/** Thrown inside the expansion when an active context is not processed yet. */
class NeedsContext extends Error {
  constructor(readonly pending: Promise<void>) {
    super('context not processed yet')
  }
}

/**
 * Bound on processed active contexts kept per cache generation. Each distinct chain of scoped
 * contexts a document reaches costs one. When a generation is full, the document at hand goes to
 * the reference path and a fresh generation starts, so crafted input can neither grow memory
 * without limit nor switch the fast path off.
 */
let maxDerivedContexts = 512

/** @internal Tests only: sets the per-generation bound and returns the previous one. */
export function setFastPathCacheLimit(limit: number): number {
  const previous = maxDerivedContexts
  maxDerivedContexts = limit
  generation = newGeneration()
  return previous
}

/** Processing scoped contexts never needs to load anything; one that would is left alone. */
function noLoader(url: string): Promise<RemoteDocument> {
  return Promise.reject(new Error(`not loaded on the fast path: ${url}`))
}
const SCOPED_OPTIONS: ProcessOptions = { documentLoader: noLoader, base: null, safe: true }

type Slot = Ctx | 'unsupported' | Promise<void>

/** What expansion looks up about a key in an active context, computed once per context. */
interface TermInfo {
  /** `expandIri(key, { vocab: true })`. */
  readonly iri: string | null
  /** `getContextValue(key, '@context')`: a property-scoped context, or `undefined`. */
  readonly scoped: unknown
  readonly container: readonly string[]
  readonly type: unknown
  readonly language: unknown
  readonly direction: unknown
  readonly reverse: boolean
}

/** Bound on memoised keys per active context (documents may use any number of keys). */
const MAX_TERMS_PER_CONTEXT = 512

/** One cache generation: the initial context and everything derived from it. */
interface Generation {
  root: Promise<Ctx>
  derived: number
}

/** A processed active context, with the contexts derived from it. Never mutated once built. */
class Ctx {
  private readonly derived = new Map<string, Map<unknown, Slot>>()
  private readonly terms = new Map<string, TermInfo>()
  private readonly typeIris = new Map<string, string | null>()

  constructor(
    readonly js: JsActiveContext,
    /** What a type-scoped context reverts to (jsonld.js `previousContext`); `null` if none. */
    readonly revertTo: Ctx | null,
    readonly generation: Generation,
  ) {}

  /** What expansion needs to know about `key` here. */
  term(key: string): TermInfo {
    let info = this.terms.get(key)
    if (info === undefined) {
      const js = this.js
      info = {
        iri: expandIri(js, key, true, false),
        scoped: contextValue(js, key, '@context'),
        container: containerOf(js, key),
        type: contextValue(js, key, '@type'),
        language: contextValue(js, key, '@language'),
        direction: contextValue(js, key, '@direction'),
        reverse: js.mappings.get(key)?.reverse === true,
      }
      if (this.terms.size < MAX_TERMS_PER_CONTEXT) this.terms.set(key, info)
    }
    return info
  }

  /** `expandIri(value, { vocab: true, base: true })`, as for `@type` values. */
  typeIri(value: string): string | null {
    let iri = this.typeIris.get(value)
    if (iri === undefined) {
      iri = expandIri(this.js, value, true, true)
      if (this.typeIris.size < MAX_TERMS_PER_CONTEXT) this.typeIris.set(value, iri)
    }
    return iri
  }

  /**
   * This context with a type-scoped or property-scoped context applied: an object inside a
   * processed, deeply frozen context document, so its identity is a sound cache key.
   */
  derive(kind: 'type' | 'property', local: unknown): Ctx {
    // `null`, URL and `@propagate` scoped contexts are left to the reference (a `null` one has
    // protected-term rules of its own).
    const supported = isObject(local) && !('@propagate' in local)
    return this.derivation(kind, local, supported, () =>
      api.processContext(this.js, local, SCOPED_OPTIONS),
    )
  }

  /** This context with the (deeply frozen) context document loaded from `url` applied. */
  deriveDocument(url: string, document: object): Ctx {
    const documentLoader = (u: string): Promise<RemoteDocument> =>
      u === url ? Promise.resolve({ contextUrl: null, documentUrl: url, document }) : noLoader(u)
    return this.derivation(`url ${url}`, document, true, () =>
      api.processContext(this.js, url, { documentLoader, base: null, safe: true }),
    )
  }

  private derivation(
    kind: string,
    local: unknown,
    supported: boolean,
    process: () => Promise<JsActiveContext>,
  ): Ctx {
    let slots = this.derived.get(kind)
    if (slots === undefined) this.derived.set(kind, (slots = new Map<unknown, Slot>()))
    const slot = slots.get(local)
    if (slot instanceof Ctx) return slot
    if (slot === 'unsupported') throw new StepAside(kind)
    if (slot !== undefined) throw new NeedsContext(slot)
    if (!supported) {
      slots.set(local, 'unsupported')
      throw new StepAside(kind)
    }
    if (this.generation.derived >= maxDerivedContexts) {
      if (generation === this.generation) generation = newGeneration()
      throw new StepAside('context cache full')
    }
    this.generation.derived += 1
    const settled = slots
    const pending = process().then(
      (js) => {
        // Type-scoped contexts revert to the context before the first type-scoped one
        // (jsonld.js keeps an existing previousContext); the others keep this one's.
        const revertTo = kind === 'type' ? (this.revertTo ?? this) : this.revertTo
        settled.set(local, new Ctx(js, revertTo, this.generation))
      },
      // Property-scoped contexts are processed without jsonld.js's internal overrideProtected,
      // so they can only fail more often here (then the reference runs), never differently.
      () => {
        settled.set(local, 'unsupported')
      },
    )
    slots.set(local, pending)
    throw new NeedsContext(pending)
  }
}

function newGeneration(): Generation {
  const created = { derived: 0 } as Generation
  created.root = api
    .processContext(null, null, SCOPED_OPTIONS)
    .then((js) => new Ctx(js, null, created))
  return created
}
let generation = newGeneration()

const frozenDocuments = new WeakSet<object>()

/**
 * Whether `value` is JSON data that can never change: plain objects and arrays, frozen all the
 * way down, data properties only. Only such context documents are processed once and reused.
 */
function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'function'
  if (frozenDocuments.has(value)) return true
  if (!Object.isFrozen(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return false
  for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(value))) {
    if (!('value' in descriptor) || !isDeepFrozen(descriptor.value)) return false
  }
  frozenDocuments.add(value)
  return true
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

function isKeyword(v: string): boolean {
  return v[0] === '@' && KEYWORDS.has(v)
}

/**
 * Verdicts of {@link ABSOLUTE_IRI} for short strings: a credential's IRIs and terms repeat within
 * a document and across documents. Bounded (cleared when full), long strings not kept.
 */
const absoluteIris = new Map<string, boolean>()
const MAX_ABSOLUTE_IRIS = 4096
const MAX_REMEMBERED_IRI_LENGTH = 256

function isAbsoluteIri(v: unknown): v is string {
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
function isObject(v: unknown): v is Record<string, unknown> {
  return Object.prototype.toString.call(v) === '[object Object]'
}

type Expanded = Record<string, unknown>

/** `context.getContextValue`. */
function contextValue(js: JsActiveContext, key: string | null, type: string): unknown {
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

function containerOf(js: JsActiveContext, key: string | null): readonly string[] {
  return (contextValue(js, key, '@container') as readonly string[] | null) ?? []
}

/** `context.expandIri` without a local context (expansion never passes one). */
function expandIri(
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
function addValue(subject: Expanded, property: string, value: unknown, propertyIsArray: boolean) {
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

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v]
}

// --- The expansion (lib/expand.js `api.expand`, `_expandObject`, `_expandValue`) -------------

interface Walk {
  /** The active context after the document's own `@context`, prepared before the walk. */
  readonly top: Ctx
  readonly root: Ctx
}

/**
 * The document's top-level node expanded a second time without one of its keys, at no extra
 * cost: every other key's expanded value is the same (JSON-LD expands each key of a node on its
 * own, in the node's active context, which the omitted key does not change unless it is a
 * keyword or `@type` alias: those are not split).
 */
interface Split {
  readonly omit: string
  /** The node without `omit`, or `undefined` when it could not be split. */
  rval?: Expanded | undefined
}

function expandElement(
  walk: Walk,
  ctx: Ctx,
  activeProperty: string | null,
  element: unknown,
  insideList: boolean,
  typeScopedCtx: Ctx | null,
  split?: Split,
): unknown {
  if (element === null || element === undefined) return null
  if (typeof element === 'string' || typeof element === 'boolean' || typeof element === 'number') {
    if (typeof element === 'number' && !Number.isFinite(element)) throw new StepAside('number')
    if (!insideList && (activeProperty === null || ctx.term(activeProperty).iri === '@graph')) {
      throw new StepAside('free-floating scalar')
    }
    return expandValue(ctx, activeProperty, element)
  }
  if (Array.isArray(element)) {
    let rval: unknown[] = []
    const isList =
      insideList ||
      (activeProperty !== null && ctx.term(activeProperty).container.includes('@list'))
    for (const item of element) {
      if (Array.isArray(item)) throw new StepAside('nested array')
      let e = expandElement(walk, ctx, activeProperty, item, false, typeScopedCtx)
      if (isList && Array.isArray(e)) e = { '@list': e }
      if (e === null) continue
      if (Array.isArray(e)) rval = rval.concat(e)
      else rval.push(e)
    }
    return rval
  }
  if (!isObject(element)) throw new StepAside('not JSON')
  const proto: unknown = Object.getPrototypeOf(element)
  if (proto !== Object.prototype && proto !== null) throw new StepAside('not a plain object')

  const activeTerm = activeProperty === null ? undefined : ctx.term(activeProperty)
  const expandedActiveProperty = activeTerm === undefined ? null : activeTerm.iri
  const propertyScopedCtx = activeTerm?.scoped
  typeScopedCtx = typeScopedCtx ?? (ctx.revertTo !== null ? ctx : null)
  const keys = Object.keys(element).sort()
  // jsonld.js copies the input first (`util.clone`), which turns an own `__proto__` key into a
  // prototype: not something to reproduce.
  if (keys.includes('__proto__')) throw new StepAside('__proto__')
  let mustRevert = true
  if (typeScopedCtx !== null && keys.length <= 2 && !keys.includes('@context')) {
    for (const key of keys) {
      const expandedProperty = typeScopedCtx.term(key).iri
      if (expandedProperty === '@value') {
        mustRevert = false
        ctx = typeScopedCtx
        break
      }
      if (expandedProperty === '@id' && keys.length === 1) {
        mustRevert = false
        break
      }
    }
  }
  if (mustRevert) ctx = ctx.revertTo ?? ctx
  if (propertyScopedCtx !== undefined) ctx = ctx.derive('property', propertyScopedCtx)
  if ('@context' in element) {
    // Only the document's own context list, prepared (and checked against the loader) up front.
    if (ctx !== walk.root || activeProperty !== null) throw new StepAside('embedded @context')
    ctx = walk.top
  }
  typeScopedCtx = ctx

  let typeKey: string | null = null
  for (const key of keys) {
    if (ctx.term(key).iri !== '@type') continue
    typeKey ??= key
    const value = element[key]
    const types: unknown[] = Array.isArray(value)
      ? value.length > 1
        ? [...(value as unknown[])].sort()
        : value
      : [value]
    for (const type of types) {
      if (typeof type !== 'string') throw new StepAside('@type value')
      const scoped = typeScopedCtx.term(type).scoped
      if (scoped !== undefined) ctx = ctx.derive('type', scoped)
    }
  }

  const rval: Expanded = {}
  // Only a non-keyword key (not `@context`, not an alias of `@type`/`@id`) is split off.
  const without =
    split !== undefined &&
    Object.hasOwn(element, split.omit) &&
    split.omit !== '@context' &&
    split.omit !== typeKey &&
    !isKeyword(ctx.term(split.omit).iri ?? '@')
      ? ({} as Expanded)
      : undefined
  expandObject(
    walk,
    ctx,
    expandedActiveProperty,
    element,
    keys,
    rval,
    typeKey,
    typeScopedCtx,
    without === undefined ? undefined : { parent: without, omit: (split as Split).omit },
  )

  finishNode(rval, activeProperty, expandedActiveProperty, ctx, insideList)
  if (split !== undefined && without !== undefined) {
    try {
      finishNode(without, activeProperty, expandedActiveProperty, ctx, insideList)
      split.rval = without
    } catch (error) {
      if (!(error instanceof StepAside)) throw error
    }
  }
  return rval
}

/** The end of jsonld.js `_expandObject`'s caller for a node: `@type` as an array, drop checks. */
function finishNode(
  rval: Expanded,
  activeProperty: string | null,
  expandedActiveProperty: string | null,
  ctx: Ctx,
  insideList: boolean,
): void {
  if ('@type' in rval && !Array.isArray(rval['@type'])) rval['@type'] = [rval['@type']]
  const count = Object.keys(rval).length
  if (
    !insideList &&
    (activeProperty === null ||
      expandedActiveProperty === '@graph' ||
      ctx.term(activeProperty).container.includes('@graph')) &&
    (count === 0 || (count === 1 && '@id' in rval))
  ) {
    throw new StepAside('dropped object')
  }
}

function expandObject(
  walk: Walk,
  ctx: Ctx,
  expandedActiveProperty: string | null,
  element: Record<string, unknown>,
  keys: readonly string[],
  expandedParent: Expanded,
  typeKey: string | null,
  typeScopedCtx: Ctx,
  /** A second parent that gets every key's value but `omit`'s (see {@link Split}). */
  also?: { readonly parent: Expanded; readonly omit: string },
): void {
  const second = (key: string): Expanded | undefined =>
    also !== undefined && key !== also.omit ? also.parent : undefined
  if (typeKey !== null && element[typeKey]) {
    const t = element[typeKey]
    const first = Array.isArray(t) ? (t as unknown[])[0] : t
    if (typeof first === 'string' && ctx.term(first).iri === '@json') {
      throw new StepAside('@json node')
    }
  }
  for (const key of keys) {
    if (key === '@context') continue
    const value = element[key]
    const term = ctx.term(key)
    const expandedProperty = term.iri
    if (
      expandedProperty === null ||
      !(isAbsoluteIri(expandedProperty) || isKeyword(expandedProperty))
    ) {
      throw new StepAside('invalid property')
    }
    if (isKeyword(expandedProperty)) {
      if (expandedActiveProperty === '@reverse') throw new StepAside('@reverse')
      if (expandedProperty in expandedParent && expandedProperty !== '@type') {
        throw new StepAside('colliding keywords')
      }
      if (expandedProperty === '@id') {
        if (typeof value !== 'string') throw new StepAside('@id value')
        const id = expandIri(ctx.js, value, false, true)
        if (id === null || !isAbsoluteIri(id)) throw new StepAside('@id reference')
        addValue(expandedParent, '@id', [id], false)
        const other = second(key)
        if (other !== undefined) addValue(other, '@id', [id], false)
        continue
      }
      if (expandedProperty === '@type') {
        const values = asArray(value)
        if (!values.every((v): v is string => typeof v === 'string')) {
          throw new StepAside('@type value')
        }
        const types = values.map((v) => {
          const t = typeScopedCtx.typeIri(v)
          if (t === null || t === '@json' || !isAbsoluteIri(t)) throw new StepAside('@type')
          return t
        })
        addValue(expandedParent, '@type', types, false)
        const other = second(key)
        if (other !== undefined) addValue(other, '@type', types, false)
        continue
      }
      throw new StepAside(expandedProperty)
    }

    const termCtx = term.scoped === undefined ? ctx : ctx.derive('property', term.scoped)
    const container = term.container
    if (
      container.some((c) => c === '@language' || c === '@index' || c === '@id' || c === '@type') &&
      isObject(value)
    ) {
      throw new StepAside('map container')
    }
    if (term.type === '@json') throw new StepAside('@json')
    let expandedValue = expandElement(walk, termCtx, key, value, false, null)
    if (expandedValue === null) continue
    if (container.includes('@list') && !(isObject(expandedValue) && '@list' in expandedValue)) {
      expandedValue = { '@list': asArray(expandedValue) }
    }
    if (container.includes('@graph') && !container.some((c) => c === '@id' || c === '@index')) {
      const items = asArray(expandedValue)
      for (const v of items) {
        const count = Object.keys(v as object).length
        const o = v as Expanded
        if (count === 0 || '@value' in o || '@list' in o || (count === 1 && '@id' in o)) {
          throw new StepAside('dropped graph item')
        }
      }
      if (items.length === 0) continue
      expandedValue = items.map((v) => ({ '@graph': asArray(v) }))
    }
    if (termCtx.term(key).reverse) throw new StepAside('reverse property')
    addValue(expandedParent, expandedProperty, expandedValue, true)
    const other = second(key)
    if (other !== undefined) addValue(other, expandedProperty, expandedValue, true)
  }
}

function expandValue(ctx: Ctx, activeProperty: string | null, value: string | number | boolean) {
  if (activeProperty === null) throw new StepAside('value without property')
  const term = ctx.term(activeProperty)
  if (term.iri === null || isKeyword(term.iri)) throw new StepAside('keyword value')
  const { type } = term
  if ((type === '@id' || type === '@vocab') && typeof value === 'string') {
    const id = expandIri(ctx.js, value, type === '@vocab', true)
    if (id === null || !isAbsoluteIri(id)) throw new StepAside('relative IRI')
    return { '@id': id }
  }
  const rval: Expanded = {}
  if (typeof type === 'string' && type !== '' && !['@id', '@vocab', '@none'].includes(type)) {
    rval['@type'] = type
  } else if (typeof value === 'string') {
    if (term.language !== null) rval['@language'] = term.language
    if (term.direction !== null) rval['@direction'] = term.direction
  }
  rval['@value'] = value
  return rval
}

// --- Entry points ------------------------------------------------------------------------------

/**
 * Which JSON-LD → RDF implementation to use: `'fast'` (the default) for documents whose contexts
 * are all pinned, falling back to the reference for anything else; `'reference'` for jsonld.js
 * on every document. Both give byte-identical canonical N-Quads and the same errors.
 */
export type CanonicalizationPath = 'fast' | 'reference'

let defaultPath: CanonicalizationPath = 'fast'

/**
 * Sets the process-wide default {@link CanonicalizationPath} (used where no option chooses one,
 * e.g. inside `@certify-vc/issuer` and `@certify-vc/verifier`) and returns the previous one.
 *
 * @example
 * const previous = setCanonicalizationDefault('reference')
 * try { await verifyCredential(vc, options) } finally { setCanonicalizationDefault(previous) }
 *
 * @throws {TypeError} for anything but `'fast'` or `'reference'`.
 */
export function setCanonicalizationDefault(path: CanonicalizationPath): CanonicalizationPath {
  if (path !== 'fast' && path !== 'reference') {
    throw new TypeError('"path" must be "fast" or "reference".')
  }
  const previous = defaultPath
  defaultPath = path
  return previous
}

/** The path an option selects, or the process-wide default. @throws {TypeError} */
export function resolveCanonicalizationPath(option: unknown): CanonicalizationPath {
  if (option === undefined) return defaultPath
  if (option !== 'fast' && option !== 'reference') {
    throw new TypeError('"canonicalization" must be "fast" or "reference".')
  }
  return option
}

/**
 * Bounds on one RDFC-1.0 canonicalization (ATTACKS B1), applied on the fast and the reference
 * path alike.
 */
export interface CanonicalizationLimits {
  /**
   * rdf-canonize `maxWorkFactor`, 0..3: at most n^factor deep iterations, n the number of blank
   * nodes the first pass cannot tell apart. Default 1 (linear), rdf-canonize's own default.
   */
  readonly maxWorkFactor?: number
  /** Time allowed for one canonicalization, in ms (`AbortSignal.timeout`). Default 5,000. */
  readonly timeoutMs?: number
}

/** The defaults of {@link CanonicalizationLimits}. */
export const DEFAULT_CANONICALIZATION_LIMITS: Required<CanonicalizationLimits> = Object.freeze({
  maxWorkFactor: 1,
  timeoutMs: 5000,
})

/** Validated limits with defaults applied. @throws {TypeError} */
export function resolveCanonicalizationLimits(
  limits: CanonicalizationLimits | undefined,
): Required<CanonicalizationLimits> {
  if (limits === undefined) return DEFAULT_CANONICALIZATION_LIMITS
  if (typeof limits !== 'object' || limits === null) {
    throw new TypeError('"limits" must be an object.')
  }
  const {
    maxWorkFactor = DEFAULT_CANONICALIZATION_LIMITS.maxWorkFactor,
    timeoutMs = DEFAULT_CANONICALIZATION_LIMITS.timeoutMs,
  } = limits
  if (!Number.isSafeInteger(maxWorkFactor) || maxWorkFactor < 0 || maxWorkFactor > 3) {
    throw new TypeError('"limits.maxWorkFactor" must be an integer from 0 to 3.')
  }
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw new TypeError('"limits.timeoutMs" must be a positive integer (milliseconds).')
  }
  return { maxWorkFactor, timeoutMs }
}

/**
 * The rdf-canonize options for one canonicalization under `limits`. rdf-canonize polls
 * `signal.aborted` (and reads `reason`) between batches of permutations, where it also yields to
 * the event loop; a deadline read on each poll is the same as `AbortSignal.timeout` there, without
 * a timer per call (`AbortSignal.timeout` costs tens of microseconds, on every canonicalization).
 */
export function rdfCanonizeOptions(limits: Required<CanonicalizationLimits>): {
  maxWorkFactor: number
  signal: AbortSignal
} {
  const signal = new DeadlineSignal(Date.now() + limits.timeoutMs, limits.timeoutMs)
  return { maxWorkFactor: limits.maxWorkFactor, signal: signal as unknown as AbortSignal }
}

/** The part of `AbortSignal` rdf-canonize reads, for a deadline (a class: one shape, no timer). */
class DeadlineSignal {
  constructor(
    private readonly deadline: number,
    private readonly timeoutMs: number,
  ) {}

  get aborted(): boolean {
    return Date.now() > this.deadline
  }

  get reason(): string {
    return `timeout after ${this.timeoutMs} ms`
  }
}

/**
 * `error` (from rdf-canonize, possibly wrapped) as `ERR_JSONLD_CANONIZE_LIMIT` when it reports a
 * breached work factor or an abort; otherwise `undefined`.
 */
export function canonizeLimitError(
  error: unknown,
  limits: Required<CanonicalizationLimits>,
): CertifyError | undefined {
  const ours = findCertifyError(error)
  if (ours !== undefined) return ours.code === 'ERR_JSONLD_CANONIZE_LIMIT' ? ours : undefined
  let current: unknown = error
  for (let i = 0; i < 8 && current instanceof Error; i++) {
    const message = current.message
    if (message.startsWith('Maximum deep iterations exceeded')) {
      return new CertifyError(
        'ERR_JSONLD_CANONIZE_LIMIT',
        `Canonicalization needs more work than allowed (work factor ${limits.maxWorkFactor}).`,
        { cause: error },
      )
    }
    if (
      message.startsWith('Abort signal received') ||
      current.name === 'TimeoutError' ||
      current.name === 'AbortError'
    ) {
      return new CertifyError(
        'ERR_JSONLD_CANONIZE_LIMIT',
        `Canonicalization took longer than ${limits.timeoutMs} ms.`,
        { cause: error },
      )
    }
    current = current.cause
  }
  return undefined
}

/**
 * Counts of documents that took the fast path and that were handed to the reference, and of
 * canonicalizations that used an adopted expansion (see {@link adoptUnsecuredExpansion}).
 */
export const fastPathStats = { fast: 0, reference: 0, reused: 0 }

/**
 * Expands `document` like `jsonld.expand(document, { documentLoader, safe: true, base: null })`,
 * or returns `undefined` when the document is not one the fast path covers (the caller then runs
 * the reference). Never throws for bad input: bad input is always left to the reference.
 */
export async function expandFast(
  document: unknown,
  documentLoader: DocumentLoader,
): Promise<unknown[] | undefined> {
  return (await expandFastSecured(document, documentLoader))?.expanded
}

/**
 * The expansion of a secured document's unsecured form (the document without its `proof`),
 * obtained while expanding the secured one, with the processed contexts it was expanded in.
 * Opaque: only {@link adoptUnsecuredExpansion} reads it.
 */
export interface UnsecuredExpansion {
  readonly [unsecuredBrand]: true
}
declare const unsecuredBrand: unique symbol

interface UnsecuredExpansionData {
  readonly expanded: unknown[]
  /** The active context after the document's `@context`: what the contexts meant. */
  readonly top: Ctx
  /** The document's `@context` value, as expanded (compared by identity). */
  readonly context: unknown
}

/**
 * {@link expandFast}, and the expansion of `document` without its `proof` member as a by-product
 * (`unsecured`, when the document has one and it is a plain property).
 */
export async function expandFastSecured(
  document: unknown,
  documentLoader: DocumentLoader,
): Promise<{ expanded: unknown[]; unsecured?: UnsecuredExpansion } | undefined> {
  const walk = await prepareWalk(document, documentLoader)
  // Each context met for the first time is processed (once) and the walk starts over.
  for (let attempt = 0; walk !== undefined && attempt < 64; attempt++) {
    try {
      const split: Split = { omit: 'proof' }
      const expanded = expandElement(walk, walk.root, null, document, false, null, split)
      fastPathStats.fast += 1
      if (expanded === null) return { expanded: [] }
      if (split.rval === undefined) return { expanded: asArray(expanded) }
      const data: UnsecuredExpansionData = {
        expanded: [split.rval],
        top: walk.top,
        context: (document as Record<string, unknown>)['@context'],
      }
      return { expanded: asArray(expanded), unsecured: data as unknown as UnsecuredExpansion }
    } catch (error) {
      if (!(error instanceof NeedsContext)) break
      await error.pending
    }
  }
  fastPathStats.reference += 1
  return undefined
}

/**
 * Where an unsecured document carries its known expansion (see {@link adoptUnsecuredExpansion}):
 * a non-enumerable symbol property, invisible to JSON-LD processing, copies and serialization,
 * and gone with the document. (A `WeakMap` would do the same, but its ephemeron entries made
 * V8 promote every verification's expansion to the old generation: +20 MB peak RSS streaming.)
 */
const ADOPTED = Symbol('certify-vc unsecured expansion')

/**
 * Lets {@link canonizeFast} use `expansion` for `unsecured` instead of expanding it again.
 *
 * `unsecured` must be a new object holding exactly the members of the secured document that
 * `expansion` came from except `proof` (the same values, unchanged since the expansion): the
 * caller builds it and hands it straight to the suite. `canonizeFast` still asks the caller's
 * loader for every context URL and uses the expansion only if they resolve to the very context
 * objects it was made with; otherwise it expands as usual.
 */
export function adoptUnsecuredExpansion(unsecured: object, expansion: UnsecuredExpansion): void {
  if (Object.hasOwn(unsecured, ADOPTED) || !Object.isExtensible(unsecured)) return
  Object.defineProperty(unsecured, ADOPTED, { value: expansion, enumerable: false })
}

function adoptedExpansion(document: unknown): UnsecuredExpansionData | undefined {
  if (!isObject(document) || !Object.hasOwn(document, ADOPTED)) return undefined
  return (document as Record<symbol, unknown>)[ADOPTED] as UnsecuredExpansionData
}

/**
 * The initial context and the processed context of the document's own `@context` list, when
 * every entry is a URL whose document, as the caller's loader returns it, is deeply frozen (the
 * bundled contexts are). Anything else is left to the reference.
 */
async function prepareWalk(document: unknown, loader: DocumentLoader): Promise<Walk | undefined> {
  if (!isObject(document)) return undefined
  const list = document['@context']
  const urls = typeof list === 'string' ? [list] : list
  if (!Array.isArray(urls) || urls.length === 0) return undefined
  const root = await generation.root
  let ctx = root
  for (const url of urls) {
    if (typeof url !== 'string') return undefined
    // The caller's loader decides what a URL means, as on the reference path.
    let loaded: RemoteDocument
    try {
      loaded = await loader(url)
    } catch {
      return undefined
    }
    const { document: context, contextUrl, documentUrl } = loaded ?? {}
    if (
      !isObject(context) ||
      !isDeepFrozen(context) ||
      (contextUrl !== null && contextUrl !== undefined) ||
      (documentUrl !== url && documentUrl !== undefined)
    ) {
      return undefined
    }
    for (;;) {
      try {
        ctx = ctx.deriveDocument(url, context)
        break
      } catch (error) {
        if (!(error instanceof NeedsContext)) return undefined
        await error.pending
      }
    }
  }
  return { top: ctx, root }
}

/** Options of {@link canonizeFast}: those the reference `jsonld.canonize` call would get. */
export interface FastCanonizeOptions {
  readonly documentLoader: DocumentLoader
  /**
   * Accepted for the suites' sake and, as by `jsonld.canonize` 9.0.0, not used: it always runs
   * RDFC-1.0 (of which URDNA2015 is the older name, with identical output).
   */
  readonly algorithm?: 'RDFC-1.0' | 'URDNA2015'
  readonly rdfDirection?: 'i18n-datatype'
  /** Work and time bounds (default {@link DEFAULT_CANONICALIZATION_LIMITS}). */
  readonly limits?: CanonicalizationLimits
}

/**
 * RDFC-1.0 canonical N-Quads of `document`, exactly as
 * `jsonld.canonize(document, { ...options, format: 'application/n-quads', safe: true, base: null })`,
 * or `undefined` when the document is not one the fast path covers or anything fails (the caller
 * then runs the reference, which gives the exact result or error).
 *
 * One error is decided here: a breached {@link CanonicalizationLimits} bound throws
 * `ERR_JSONLD_CANONIZE_LIMIT` at once (the reference would breach it the same way, after as
 * long again).
 *
 * @throws {CertifyError} `ERR_JSONLD_CANONIZE_LIMIT`.
 */
export async function canonizeFast(
  document: unknown,
  options: FastCanonizeOptions,
): Promise<string | undefined> {
  const limits = resolveCanonicalizationLimits(options.limits)
  const known = adoptedExpansion(document)
  let expanded: unknown[] | undefined
  if (known !== undefined && known.context === (document as Record<string, unknown>)['@context']) {
    // The same context objects through the caller's loader, or no reuse.
    const walk = await prepareWalk(document, options.documentLoader)
    if (walk?.top === known.top) {
      expanded = known.expanded
      fastPathStats.fast += 1
      fastPathStats.reused += 1
    }
  }
  expanded ??= await expandFast(document, options.documentLoader)
  if (expanded === undefined) return undefined
  return canonizeExpanded(expanded, options, limits)
}

/**
 * Any jsonld.js event during RDF conversion hands the document to the reference (which applies
 * safe mode and decides): a superset of what safe mode refuses, so never a different outcome.
 */
const STEP_ASIDE_ON_EVENT = [
  (): never => {
    throw new StepAside('jsonld.js event')
  },
] as const

/** Node's one-shot `crypto.hash`, when there is one. */
const oneShotHash = typeof nodeCrypto?.hash === 'function' ? nodeCrypto.hash : undefined

/**
 * rdf-canonize's SHA-256 message digest, with one `crypto.hash` call over the concatenated
 * input instead of a `Hash` object per digest (RDFC-1.0 makes one per blank node, and more).
 * Equal to rdf-canonize's own (`update(msg, 'utf8')` on each piece): every piece it hashes is a
 * whole N-Quads line, term or hash, so no surrogate pair is ever split between two pieces.
 * In browsers (no `node:crypto`) rdf-canonize's own digest is used.
 */
const createMessageDigest =
  oneShotHash === undefined
    ? undefined
    : (): { update(msg: string): void; digest(): string } => {
        let input = ''
        return {
          update(msg: string) {
            input += msg
          },
          digest() {
            return oneShotHash('sha256', input, 'hex')
          },
        }
      }

/**
 * RDFC-1.0 N-Quads of an expanded document: what `jsonld.canonize` does after expansion
 * (`_toRDF` with `produceGeneralizedRdf: false`, then `rdf-canonize`), called directly.
 */
async function canonizeExpanded(
  expanded: unknown[],
  options: FastCanonizeOptions,
  limits: Required<CanonicalizationLimits>,
): Promise<string | undefined> {
  try {
    const dataset = toRdf.toRDF(expanded, {
      eventHandler: STEP_ASIDE_ON_EVENT,
      ...(options.rdfDirection === undefined ? {} : { rdfDirection: options.rdfDirection }),
      produceGeneralizedRdf: false,
    })
    return await rdfCanonize.canonize(dataset, {
      algorithm: 'RDFC-1.0',
      ...(createMessageDigest === undefined ? {} : { createMessageDigest }),
      ...rdfCanonizeOptions(limits),
    })
  } catch (error) {
    const limit = canonizeLimitError(error, limits)
    if (limit !== undefined) throw limit
    fastPathStats.fast -= 1
    fastPathStats.reference += 1
    return undefined
  }
}
