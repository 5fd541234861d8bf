/**
 * JSON-LD processing in safe mode, with failures turned into certify-vc codes.
 *
 * @module
 */
import jsonld from 'jsonld'
import {
  canonizeFast,
  canonizeLimitError,
  expandFastSecured,
  rdfCanonizeOptions,
  resolveCanonicalizationLimits,
  resolveCanonicalizationPath,
  type CanonicalizationLimits,
  type CanonicalizationPath,
  type UnsecuredExpansion,
} from './canonicalize/index.js'
import {
  CertifyError,
  findCertifyError,
  type DocumentLoader,
  type ErrorCode,
} from '@certify-vc/context'

/** Options of {@link expandSafely} and {@link canonize}. */
export interface CanonicalizationOptions {
  /**
   * `'fast'` or `'reference'` (jsonld.js alone). Default `'fast'`. Both give identical results and
   * errors.
   */
  readonly canonicalization?: CanonicalizationPath
  /** Work and time bounds of {@link canonize} (default: work factor 1, 5 s). */
  readonly limits?: CanonicalizationLimits
}

function pathOf(options: CanonicalizationOptions | undefined): CanonicalizationPath {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError('"options" must be an object.')
  }
  return resolveCanonicalizationPath(options?.canonicalization)
}

interface JsonLdSafeModeEvent {
  code?: string
  message?: string
  details?: Record<string, unknown>
}

/** Safe-mode event codes that mean "a relative or non-IRI value". */
const RELATIVE_EVENTS = new Set([
  'relative @id reference',
  'relative @vocab reference',
  'relative @reverse reference',
  'invalid @id value',
])

function describeEvent(event: JsonLdSafeModeEvent): { code: ErrorCode; message: string } {
  const details = event.details ?? {}
  const what =
    typeof details.property === 'string'
      ? `property "${details.property}"`
      : typeof details.type === 'string'
        ? `type "${details.type}"`
        : typeof details.id === 'string'
          ? `id "${details.id}"`
          : typeof details.value === 'string'
            ? `value "${details.value}"`
            : 'a value'
  if (event.code !== undefined && RELATIVE_EVENTS.has(event.code)) {
    return {
      code: 'ERR_STRUCTURE_RELATIVE_IRI',
      message: `JSON-LD: ${what} is not an absolute IRI (${event.code}).`,
    }
  }
  if (event.code === 'relative @type reference') {
    return {
      code: 'ERR_JSONLD_UNDEFINED_TERM',
      message: `JSON-LD: ${what} is not defined by the contexts (${event.code}).`,
    }
  }
  return {
    code: 'ERR_JSONLD_UNDEFINED_TERM',
    message: `JSON-LD: ${what} is not defined by the contexts and would be dropped from the signature (${event.code ?? 'safe mode'}).`,
  }
}

/**
 * Turns an error from jsonld.js into a {@link CertifyError}: safe-mode violations become
 * `ERR_JSONLD_UNDEFINED_TERM` or `ERR_STRUCTURE_RELATIVE_IRI`, loader failures keep their code,
 * anything else is `ERR_JSONLD_INVALID`.
 */
export function toJsonLdError(error: unknown): CertifyError {
  const ours = findCertifyError(error)
  if (ours !== undefined) return ours
  const e = error as {
    name?: string
    message?: string
    details?: { event?: JsonLdSafeModeEvent; code?: string }
  }
  if (e?.details?.event !== undefined) {
    const { code, message } = describeEvent(e.details.event)
    return new CertifyError(code, message, { cause: error })
  }
  const msg = typeof e?.message === 'string' ? e.message : String(error)
  return new CertifyError('ERR_JSONLD_INVALID', `JSON-LD processing failed: ${msg}`, {
    cause: error,
  })
}

const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:/

/**
 * The first `@id` or `@type` value in an expanded document that is neither an absolute IRI nor
 * a blank node. jsonld.js safe mode flags relative node ids, but not relative values of
 * `@type: @id` terms (`issuer`, `verificationMethod` …), which RDF conversion drops silently.
 */
export function findRelativeIri(expanded: unknown): string | undefined {
  if (Array.isArray(expanded)) {
    for (const item of expanded) {
      const found = findRelativeIri(item)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (typeof expanded !== 'object' || expanded === null) return undefined
  for (const key of Object.keys(expanded)) {
    const value = (expanded as Record<string, unknown>)[key]
    if (key === '@id' || key === '@type') {
      for (const v of Array.isArray(value) ? (value as unknown[]) : [value]) {
        if (typeof v === 'string' && !v.startsWith('_:') && !ABSOLUTE_IRI.test(v)) return v
      }
    } else if (key !== '@value' && key !== '@context') {
      const found = findRelativeIri(value)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/**
 * Expands `document` in JSON-LD safe mode with no base IRI: any term or type the contexts do
 * not define, and any relative IRI, is an error instead of being silently dropped.
 *
 * @throws {CertifyError} see {@link toJsonLdError}; `ERR_STRUCTURE_RELATIVE_IRI` for a relative
 *   IRI value (the error's `cause.value` holds it).
 * @throws {TypeError} for a bad `options.canonicalization`.
 */
export async function expandSafely(
  document: unknown,
  documentLoader: DocumentLoader,
  options?: CanonicalizationOptions,
): Promise<unknown[]> {
  return (await expandSecuredSafely(document, documentLoader, options)).expanded
}

/**
 * {@link expandSafely}, plus, when the fast path expanded the document, the expansion of the
 * document without its `proof` as a by-product: give it to {@link verifyDocumentProofs} (option
 * `unsecuredExpansion`) for this same, unchanged document, and the unsecured document is not
 * expanded a second time for its canonicalization.
 *
 * @throws {CertifyError} as {@link expandSafely}.
 */
export async function expandSecuredSafely(
  document: unknown,
  documentLoader: DocumentLoader,
  options?: CanonicalizationOptions,
): Promise<{ expanded: unknown[]; unsecured?: UnsecuredExpansion }> {
  let expanded: unknown[] | undefined
  let unsecured: UnsecuredExpansion | undefined
  if (pathOf(options) === 'fast') {
    const fast = await expandFastSecured(document, documentLoader)
    expanded = fast?.expanded
    unsecured = fast?.unsecured
  }
  if (expanded === undefined) {
    try {
      expanded = await jsonld.expand(document, { documentLoader, safe: true, base: null })
    } catch (error) {
      throw toJsonLdError(error)
    }
  }
  const relative = findRelativeIri(expanded)
  if (relative !== undefined) {
    throw new CertifyError(
      'ERR_STRUCTURE_RELATIVE_IRI',
      `JSON-LD: value ${JSON.stringify(relative.slice(0, 200))} is not an absolute IRI.`,
      { cause: { value: relative } },
    )
  }
  return unsecured === undefined ? { expanded } : { expanded, unsecured }
}

/**
 * RDFC-1.0 canonical N-Quads of `document`, in safe mode, within `options.limits`.
 *
 * @throws {CertifyError} see {@link toJsonLdError}; `ERR_JSONLD_CANONIZE_LIMIT` when the work
 *   factor or the time limit is exceeded.
 * @throws {TypeError} for a bad `options.canonicalization` or `options.limits`.
 */
export async function canonize(
  document: unknown,
  documentLoader: DocumentLoader,
  options?: CanonicalizationOptions,
): Promise<string> {
  const path = pathOf(options)
  const limits = resolveCanonicalizationLimits(options?.limits)
  if (path === 'fast') {
    const nquads = await canonizeFast(document, { documentLoader, limits })
    if (nquads !== undefined) return nquads
  }
  try {
    return await jsonld.canonize(document, {
      algorithm: 'RDFC-1.0',
      format: 'application/n-quads',
      documentLoader,
      safe: true,
      base: null,
      canonizeOptions: rdfCanonizeOptions(limits),
    })
  } catch (error) {
    throw canonizeLimitError(error, limits) ?? toJsonLdError(error)
  }
}
