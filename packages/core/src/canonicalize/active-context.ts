/**
 * Processed active contexts for the fast expansion: each context document, and each scoped
 * context on top of each active context, is processed **once, by jsonld.js itself**
 * (`processContext`), and the processed form is kept, keyed by the identity of the deeply
 * frozen object it came from (jsonld.js otherwise deep-clones the active context for every
 * type-scoped context, on every call). Bounded: a full cache generation hands the document to
 * the reference path and starts a new generation.
 *
 * @module
 */
import jsonld from 'jsonld'
import type { DocumentLoader, RemoteDocument } from '@certify-vc/context'
import {
  containerOf,
  contextValue,
  expandIri,
  isObject,
  type JsActiveContext,
} from './jsonld-port.js'
import { NeedsContext, StepAside } from './step-aside.js'

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
export interface Generation {
  root: Promise<Ctx>
  derived: number
}

/** A processed active context, with the contexts derived from it. Never mutated once built. */
export class Ctx {
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

/** The current cache generation (a new one starts when one is full). */
export function currentGeneration(): Generation {
  return generation
}

const frozenDocuments = new WeakSet<object>()

/**
 * Whether `value` is JSON data that can never change: plain objects and arrays, frozen all the
 * way down, data properties only. Only such context documents are processed once and reused.
 */
export function isDeepFrozen(value: unknown): boolean {
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
