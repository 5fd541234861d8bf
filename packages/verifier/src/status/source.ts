/**
 * Where status list credentials come from: the {@link StatusListSource} interface and the
 * offline, in-memory source. Browser-safe.
 *
 * @module
 */
import { isPlainObject } from '@certify-vc/context'

/** Options the verifier passes to {@link StatusListSource.get}. */
export interface StatusListSourceGetOptions {
  /** Aborted when the verifier gives up on this list (its `timeoutMs`). */
  readonly signal?: AbortSignal
}

/**
 * Fetches status list credentials by URL. `get` resolves with the parsed JSON of the list
 * credential (not yet verified: the verifier checks it) and rejects when the list cannot be
 * obtained; the verifier then reports `ERR_STATUS_UNKNOWN`. Implementations should honour
 * `signal`; the verifier stops waiting when it aborts either way.
 *
 * @example
 * const source: StatusListSource = {
 *   async get(url, { signal }) {
 *     const response = await fetch(url, { signal })
 *     if (!response.ok) throw new Error(`HTTP ${response.status}`)
 *     return response.json()
 *   },
 * }
 */
export interface StatusListSource {
  get(url: string, options: StatusListSourceGetOptions): Promise<unknown>
}

/**
 * Documents for {@link createOfflineStatusListSource}: a map or object keyed by list URL, or a
 * list of list credentials matched by their `id`.
 */
export type OfflineStatusListDocuments =
  ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>> | readonly unknown[]

/**
 * A source that serves status list credentials from memory, never from the network. Each `get`
 * returns a fresh copy. Browser-safe.
 *
 * @example
 * const source = createOfflineStatusListSource([revocationList, suspensionList]) // by `id`
 * await verifyCredential(credential, { trustedIssuers, status: { source } })
 *
 * @throws {TypeError} when `documents` is not a map, an object or an array, or when two
 *   documents of an array share an `id`.
 */
export function createOfflineStatusListSource(
  documents: OfflineStatusListDocuments,
): StatusListSource {
  const byUrl = new Map<string, unknown>()
  if (Array.isArray(documents)) {
    for (const doc of documents as readonly unknown[]) {
      const id = isPlainObject(doc) ? doc.id : undefined
      if (typeof id !== 'string') continue // not a list credential: it can never match
      if (byUrl.has(id)) {
        throw new TypeError(`Two status list documents have the id ${JSON.stringify(id)}.`)
      }
      byUrl.set(id, doc)
    }
  } else if (documents instanceof Map) {
    for (const [url, doc] of documents as ReadonlyMap<unknown, unknown>) {
      if (typeof url === 'string') byUrl.set(url, doc)
    }
  } else if (isPlainObject(documents)) {
    for (const [url, doc] of Object.entries(documents)) byUrl.set(url, doc)
  } else {
    throw new TypeError('"documents" must be a Map, an object keyed by URL, or an array.')
  }
  return {
    get(url: string): Promise<unknown> {
      if (!byUrl.has(url)) {
        return Promise.reject(new Error(`No offline copy of the status list ${url}.`))
      }
      return Promise.resolve(structuredClone(byUrl.get(url)))
    },
  }
}
