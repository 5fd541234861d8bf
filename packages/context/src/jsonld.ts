/**
 * JSON-LD processing in safe mode, with failures turned into certify-vc codes.
 *
 * @module
 */
import jsonld from 'jsonld'
import type { DocumentLoader } from './document-loader.js'
import { CertifyError, findCertifyError } from './errors.js'
import type { ErrorCode } from './error-codes.js'

interface JsonLdSafeModeEvent {
  code?: string
  message?: string
  details?: Record<string, unknown>
}

/** Safe-mode event codes that mean "a relative or non-IRI value". */
const RELATIVE_EVENTS = new Set([
  'relative @id reference',
  'relative @type reference',
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
    return { code: 'ERR_STRUCTURE_RELATIVE_IRI', message: `JSON-LD: ${what} is not an absolute IRI (${event.code}).` }
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
  const e = error as { name?: string; message?: string; details?: { event?: JsonLdSafeModeEvent; code?: string } }
  if (e?.details?.event !== undefined) {
    const { code, message } = describeEvent(e.details.event)
    return new CertifyError(code, message, { cause: error })
  }
  const msg = typeof e?.message === 'string' ? e.message : String(error)
  return new CertifyError('ERR_JSONLD_INVALID', `JSON-LD processing failed: ${msg}`, { cause: error })
}

/**
 * Expands `document` in JSON-LD safe mode with no base IRI: any term or type the contexts do
 * not define, and any relative IRI, is an error instead of being silently dropped.
 *
 * @throws {CertifyError} see {@link toJsonLdError}.
 */
export async function expandSafely(document: unknown, documentLoader: DocumentLoader): Promise<unknown[]> {
  try {
    return await jsonld.expand(document, { documentLoader, safe: true, base: null })
  } catch (error) {
    throw toJsonLdError(error)
  }
}

/** RDFC-1.0 canonical N-Quads of `document`, in safe mode. @throws {CertifyError} */
export async function canonize(document: unknown, documentLoader: DocumentLoader): Promise<string> {
  try {
    return await jsonld.canonize(document, {
      algorithm: 'RDFC-1.0',
      format: 'application/n-quads',
      documentLoader,
      safe: true,
      base: null,
    })
  } catch (error) {
    throw toJsonLdError(error)
  }
}
