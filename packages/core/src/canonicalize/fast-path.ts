/**
 * The fast JSON-LD → RDF → RDFC-1.0 path, for documents whose contexts are all named by URL and
 * loaded as deeply frozen objects (the pinned contexts of `@certify-vc/context` are): the
 * document is expanded over contexts processed once (`active-context.ts`, `expand.ts`); RDF
 * conversion and RDFC-1.0 stay jsonld.js's and rdf-canonize's own (the two calls
 * `jsonld.canonize` makes after expansion, `lib/toRdf.js` then rdf-canonize 5.0.0, made
 * directly, without its per-call option set-up).
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
import toRdf from 'jsonld/lib/toRdf.js'
import rdfCanonize from 'rdf-canonize'
import type { DocumentLoader, RemoteDocument } from '@certify-vc/context'
import { nodeCrypto } from '../node-crypto.js'
import { currentGeneration, isDeepFrozen, type Ctx } from './active-context.js'
import { NeedsContext, StepAside } from './step-aside.js'
import { expandElement, type Split, type Walk } from './expand.js'
import { asArray, isObject } from './jsonld-port.js'
import {
  canonizeLimitError,
  rdfCanonizeOptions,
  resolveCanonicalizationLimits,
  type CanonicalizationLimits,
} from './limits.js'

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
  const root = await currentGeneration().root
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
  /**
   * The hash function RDFC-1.0 uses internally (its "implementation-specific parameter", §4.2):
   * `'SHA-256'` (default, RDFC-1.0's own) or `'SHA-384'`, which ecdsa-rdfc-2019 requires for
   * P-384 keys (vc-di-ecdsa §3.1). The blank node labels, and so the canonical N-Quads, depend on
   * it whenever the document has blank nodes: it is not only the final hash that changes.
   */
  readonly messageDigestAlgorithm?: 'SHA-256' | 'SHA-384'
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
 * rdf-canonize's message digest (SHA-256 or SHA-384), with one `crypto.hash` call over the
 * concatenated input instead of a `Hash` object per digest (RDFC-1.0 makes one per blank node,
 * and more). Equal to rdf-canonize's own (`update(msg, 'utf8')` on each piece): every piece it
 * hashes is a whole N-Quads line, term or hash, so no surrogate pair is ever split between two
 * pieces. In browsers (no `node:crypto`) rdf-canonize's own digest is used.
 */
function messageDigestFactory(
  algorithm: 'sha256' | 'sha384',
): (() => { update(msg: string): void; digest(): string }) | undefined {
  const hash = oneShotHash
  if (hash === undefined) return undefined
  return () => {
    let input = ''
    return {
      update(msg: string) {
        input += msg
      },
      digest() {
        return hash(algorithm, input, 'hex')
      },
    }
  }
}
const MESSAGE_DIGESTS = {
  sha256: messageDigestFactory('sha256'),
  sha384: messageDigestFactory('sha384'),
} as const

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
    const digest = options.messageDigestAlgorithm === 'SHA-384' ? 'sha384' : 'sha256'
    const createMessageDigest = MESSAGE_DIGESTS[digest]
    return await rdfCanonize.canonize(dataset, {
      algorithm: 'RDFC-1.0',
      ...(createMessageDigest === undefined
        ? { messageDigestAlgorithm: digest }
        : { createMessageDigest }),
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
