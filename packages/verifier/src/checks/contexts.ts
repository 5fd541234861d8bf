/**
 * Contexts: every `@context` anywhere in the document is a pinned URL (no inline contexts, no
 * unknown URLs, never the network), and the document expands in JSON-LD safe mode, so no term
 * or type escapes the signature.
 *
 * @module
 */
import {
  EARLIER_OPEN_BADGES_CONTEXT_URLS,
  asArray,
  contexts as pinned,
  isPlainObject,
  pointer,
  problem,
  type DocumentLoader,
  type Problem,
} from '@certify-vc/context'
import {
  expandSecuredSafely,
  toJsonLdError,
  type CanonicalizationPath,
  type UnsecuredExpansion,
} from '@certify-vc/core'
import type { CheckResult } from '../types.js'
import { checkResult } from './common.js'

/**
 * `path` is shared and restored on return (pointers are built only for problems). With
 * `inline`, a context object is accepted in a document's top-level context list after its
 * first entry (VC 2.0 §4.3), and nowhere else.
 */
function scanContexts(
  value: unknown,
  path: (string | number)[],
  allowed: ReadonlySet<string>,
  inline: boolean,
  out: Problem[],
): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i)
      scanContexts(value[i], path, allowed, inline, out)
      path.pop()
    }
    return
  }
  if (!isPlainObject(value)) return
  for (const key of Object.keys(value)) {
    const child = value[key]
    if (key === '@context') {
      const entries = Array.isArray(child) ? child : [child]
      entries.forEach((entry, i) => {
        if (typeof entry === 'string' && allowed.has(entry)) return
        if (inline && path.length === 0 && i > 0 && isPlainObject(entry)) return
        const at = Array.isArray(child) ? pointer(...path, key, i) : pointer(...path, key)
        if (typeof entry === 'string') {
          out.push(
            problem(
              'ERR_CONTEXT_UNKNOWN',
              `Context ${JSON.stringify(entry.slice(0, 200))} is not a pinned context.`,
              at,
            ),
          )
        } else {
          out.push(
            problem('ERR_CONTEXT_INLINE', 'Inline (embedded) contexts are not accepted.', at),
          )
        }
      })
    } else {
      path.push(key)
      scanContexts(child, path, allowed, inline, out)
      path.pop()
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

/** The VC 2.0 catch-all vocabulary (`@vocab` of the undefined-terms context). */
export const ISSUER_DEPENDENT_VOCAB = 'https://www.w3.org/ns/credentials/issuer-dependent#'

/** The credential types whose every term must have a defined meaning (docs/attacks.md A5). */
const STRICT_TYPES = new Set(['OpenBadgeCredential', 'AchievementCredential'])

/**
 * The first property or type in an expanded document that falls through to the issuer-dependent
 * vocabulary: `{ term, kind }`, the compact name being the IRI's fragment.
 */
export function findIssuerDependentTerm(
  expanded: unknown,
): { term: string; kind: 'property' | 'type' } | undefined {
  if (Array.isArray(expanded)) {
    for (const item of expanded) {
      const found = findIssuerDependentTerm(item)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (!isPlainObject(expanded)) return undefined
  for (const key of Object.keys(expanded)) {
    const value = expanded[key]
    if (key.startsWith(ISSUER_DEPENDENT_VOCAB)) {
      return { term: key.slice(ISSUER_DEPENDENT_VOCAB.length), kind: 'property' }
    }
    if (key === '@type') {
      for (const t of Array.isArray(value) ? (value as unknown[]) : [value]) {
        if (typeof t === 'string' && t.startsWith(ISSUER_DEPENDENT_VOCAB)) {
          return { term: t.slice(ISSUER_DEPENDENT_VOCAB.length), kind: 'type' }
        }
      }
    } else if (key !== '@value') {
      const found = findIssuerDependentTerm(value)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** The pinned context URLs (the pinned set is fixed at load time). */
const pinnedUrls: ReadonlySet<string> = new Set(pinned.keys())
/** The pinned URLs without the earlier Open Badges contexts (the Institute's credentials). */
const currentUrls: ReadonlySet<string> = new Set(
  [...pinned.keys()].filter((url) => !EARLIER_OPEN_BADGES_CONTEXT_URLS.includes(url)),
)

/** The context URLs a check accepts: the pinned ones (as the profile allows) and the caller's. */
export function allowedContextUrls(options: {
  additionalContexts: readonly string[]
  profile: { readonly earlierOpenBadgesContexts: boolean }
}): ReadonlySet<string> {
  const base = options.profile.earlierOpenBadgesContexts ? pinnedUrls : currentUrls
  return options.additionalContexts.length === 0
    ? base
    : new Set([...base, ...options.additionalContexts])
}

/**
 * Runs the contexts check: pinned URLs only, then safe-mode expansion. When it passed on the
 * fast path, also returns the expansion of the document without its proof, so that the proof
 * check does not expand the unsecured document again to canonicalize it.
 */
export async function checkContexts(
  document: Record<string, unknown>,
  options: {
    documentLoader: DocumentLoader
    additionalContexts: readonly string[]
    profile: { readonly inlineContexts: boolean; readonly earlierOpenBadgesContexts: boolean }
    canonicalization?: CanonicalizationPath
  },
): Promise<{ result: CheckResult; unsecuredExpansion?: UnsecuredExpansion }> {
  const allowed = allowedContextUrls(options)
  const out: Problem[] = []
  if (document['@context'] === undefined) {
    out.push(problem('ERR_CONTEXT_ORDER', '"@context" is required.', pointer('@context')))
  }
  scanContexts(document, [], allowed, options.profile.inlineContexts, out)
  if (out.length > 0) return { result: checkResult('contexts', out) }
  let expanded: unknown[]
  let unsecuredExpansion: UnsecuredExpansion | undefined
  try {
    ;({ expanded, unsecured: unsecuredExpansion } = await expandSecuredSafely(
      document,
      options.documentLoader,
      options.canonicalization === undefined ? {} : { canonicalization: options.canonicalization },
    ))
  } catch (error) {
    const e = toJsonLdError(error)
    out.push(problem(e.code, e.message, e.path ?? eventPath(document, e.cause)))
    return { result: checkResult('contexts', out) }
  }
  // A5: with a catch-all @vocab in play (the pinned contexts have none; an additional context
  // may), a typo or shadow field is signed but has no defined meaning. Refused for our types.
  const types = asArray(document.type)
  if (types.some((t) => typeof t === 'string' && STRICT_TYPES.has(t))) {
    const found = findIssuerDependentTerm(expanded)
    if (found !== undefined) {
      out.push(
        problem(
          'ERR_JSONLD_ISSUER_DEPENDENT_TERM',
          `The ${found.kind} ${JSON.stringify(found.term.slice(0, 100))} is not defined by the credential's vocabularies; it only falls through to the issuer-dependent catch-all.`,
          (found.kind === 'property'
            ? findKeyPath(document, found.term)
            : findValuePath(document, found.term)) ?? '',
        ),
      )
    }
  }
  const result = checkResult('contexts', out)
  // The expansion goes on only with a passed check (and only the fast path makes one).
  return out.length > 0 || unsecuredExpansion === undefined
    ? { result }
    : { result, unsecuredExpansion }
}
