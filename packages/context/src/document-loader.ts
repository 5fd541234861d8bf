/**
 * The offline JSON-LD document loader: exact-URL lookups in the pinned contexts, local `did:key`
 * resolution, and nothing else unless the caller passes a fallback explicitly.
 *
 * @module
 */
import { contexts } from './contexts.js'
import { isDidKey, resolveDidKey } from './did-key.js'
import { CertifyError } from './errors.js'

/** What a document loader returns (the jsonld.js `RemoteDocument` shape). */
export interface RemoteDocument {
  readonly contextUrl: string | null
  readonly documentUrl: string
  readonly document: unknown
}

/** A JSON-LD document loader, as jsonld.js and the Digital Bazaar libraries call it. */
export type DocumentLoader = (url: string) => Promise<RemoteDocument>

/** Options of {@link createDocumentLoader}. */
export interface CreateDocumentLoaderOptions {
  /** Extra documents by exact URL (tests, the Institute's own status lists, did:web documents). */
  readonly documents?: ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>
  /** Resolve `did:key` DIDs and key ids locally. Default `true`. */
  readonly resolveDidKey?: boolean
  /**
   * Called for any URL the static tables do not hold. Without it such URLs fail with
   * `ERR_DOCUMENT_NOT_FOUND`; the network is never used unless this is given.
   */
  readonly fallback?: DocumentLoader
}

/**
 * Creates the static, offline document loader.
 *
 * @example
 * const documentLoader = createDocumentLoader()
 * await documentLoader('https://www.w3.org/ns/credentials/v2') // bundled copy
 * await documentLoader('https://example.com/ctx') // rejects: CertifyError ERR_DOCUMENT_NOT_FOUND
 *
 * @throws {TypeError} for malformed options.
 */
export function createDocumentLoader(options: CreateDocumentLoaderOptions = {}): DocumentLoader {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('"options" must be an object.')
  }
  const { documents, resolveDidKey: didKey = true, fallback } = options
  if (fallback !== undefined && typeof fallback !== 'function') {
    throw new TypeError('"fallback" must be a function.')
  }
  if (documents !== undefined && (typeof documents !== 'object' || documents === null)) {
    throw new TypeError('"documents" must be a Map or an object.')
  }
  const extra: ReadonlyMap<string, unknown> =
    documents === undefined
      ? new Map()
      : documents instanceof Map
        ? documents
        : new Map(Object.entries(documents))

  return async function documentLoader(url: string): Promise<RemoteDocument> {
    if (typeof url !== 'string') {
      throw new CertifyError('ERR_DOCUMENT_NOT_FOUND', 'Document URL must be a string.')
    }
    const pinned = contexts.get(url)
    if (pinned !== undefined) return { contextUrl: null, documentUrl: url, document: pinned }
    if (extra.has(url)) return { contextUrl: null, documentUrl: url, document: extra.get(url) }
    if (didKey && isDidKey(url)) {
      return { contextUrl: null, documentUrl: url, document: resolveDidKey(url) }
    }
    if (fallback !== undefined) return fallback(url)
    throw new CertifyError(
      'ERR_DOCUMENT_NOT_FOUND',
      `Document not available offline: ${url.length > 200 ? url.slice(0, 200) + '…' : url}`,
    )
  }
}
