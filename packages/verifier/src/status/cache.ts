/**
 * The cache of verified, decoded status lists, per URL. Only lists that passed every check
 * (proof, issuer, contexts, validity window, decoding) are stored; a list is served from the
 * cache only while it is fresh (within its `ttl` and before its `validUntil`), and is never
 * served stale. Browser-safe.
 *
 * @module
 */
import type { SuiteName } from '@certify-vc/core'

/** The status list formats the verifier reads. */
export type StatusListKind = 'BitstringStatusList' | 'StatusList2021' | 'RevocationList2020'

/** A status list credential that passed verification, decoded. Treat it as read-only. */
export interface VerifiedStatusList {
  /** The URL it was fetched from, equal to its `id`. */
  readonly url: string
  readonly kind: StatusListKind
  /** The DID that issued and signed it. */
  readonly issuer: string
  /** Its `credentialSubject.statusPurpose` value(s); empty for RevocationList2020. */
  readonly purposes: readonly string[]
  /** The decoded bitstring. */
  readonly bitstring: Uint8Array
  /** `validFrom` / `issuanceDate`, ms since the epoch. */
  readonly validFrom?: number
  /** `validUntil` / `expirationDate`, ms since the epoch. */
  readonly validUntil?: number
  /** `credentialSubject.ttl` in ms, when the list gives one. */
  readonly ttl?: number
  /** The suites of the proofs it was verified with. */
  readonly suites: readonly SuiteName[]
  /** The context URLs it uses. */
  readonly contexts: readonly string[]
  /** The verification methods of its proofs (for a trust list that pins the list signer). */
  readonly verificationMethods: readonly string[]
}

/** One cache entry: the list and when, on the cache's clock, it must be fetched again. */
export interface StatusListCacheEntry {
  readonly list: VerifiedStatusList
  /** Cache-clock time (ms) from which the entry is stale. */
  readonly expiresAt: number
}

/**
 * A cache of verified status lists, shareable across `verifyCredential` calls (pass it as
 * `status.cache`). The verifier serves a list from it while `now() < expiresAt`, the list's
 * validity window holds, and the list was verified under options at least as strict (same
 * suites and contexts allowed); otherwise it fetches and verifies the list again.
 *
 * Share one cache only between calls that use the same `didResolver` and `documentLoader`: a
 * cached list was verified with the ones of the call that stored it.
 */
export interface StatusListCache {
  /** The cache's clock, in ms since the epoch. */
  now(): number
  /** The entry for `url`, fresh or stale. */
  get(url: string): StatusListCacheEntry | undefined
  /** Stores a verified list; its expiry comes from its `ttl` and `validUntil`. */
  set(url: string, list: VerifiedStatusList): void
  delete(url: string): boolean
  clear(): void
  /** Number of entries, fresh or stale. */
  readonly size: number
}

/** Options of {@link createStatusListCache}. */
export interface StatusListCacheOptions {
  /** Maximum number of lists kept (least recently used are dropped first). Default 100. */
  readonly maxLists?: number
  /** Maximum total size of the decoded bitstrings kept, in bytes. Default 64 MiB. */
  readonly maxBytes?: number
  /** Time to live of a list that gives no `ttl`, in ms. Default 300,000 (5 minutes). */
  readonly defaultTtlMs?: number
  /** Upper bound on any list's time to live, in ms. Default 86,400,000 (one day). */
  readonly maxTtlMs?: number
  /** The clock, in ms since the epoch. Default `Date.now`. Inject one in tests. */
  readonly now?: () => number
}

function nonNegativeInteger(value: unknown, name: string, allowZero = true): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new TypeError(`"${name}" must be a ${allowZero ? 'non-negative' : 'positive'} integer.`)
  }
  return value
}

/**
 * Creates an in-memory LRU cache of verified status lists.
 *
 * An entry expires at `min(storedAt + min(ttl ?? defaultTtlMs, maxTtlMs), validUntil)`. Stale
 * entries stay (until evicted) only so that a re-fetched list older than the copy already seen
 * (a replayed list) can be refused; they are never served.
 *
 * @example
 * const cache = createStatusListCache({ maxLists: 20 })
 * const options = { trustedIssuers, status: { cache } }
 * await verifyCredential(a, options) // fetches and verifies the list
 * await verifyCredential(b, options) // same list, within its ttl: no fetch
 *
 * @throws {TypeError} for malformed options.
 */
export function createStatusListCache(options: StatusListCacheOptions = {}): StatusListCache {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('"options" must be an object.')
  }
  const maxLists = nonNegativeInteger(options.maxLists ?? 100, 'maxLists', false)
  const maxBytes = nonNegativeInteger(options.maxBytes ?? 64 * 1024 * 1024, 'maxBytes', false)
  const defaultTtlMs = nonNegativeInteger(options.defaultTtlMs ?? 300_000, 'defaultTtlMs')
  const maxTtlMs = nonNegativeInteger(options.maxTtlMs ?? 86_400_000, 'maxTtlMs')
  const clock = options.now ?? Date.now
  if (typeof clock !== 'function') throw new TypeError('"now" must be a function.')
  const entries = new Map<string, StatusListCacheEntry>()
  let bytes = 0

  const remove = (url: string): boolean => {
    const entry = entries.get(url)
    if (entry === undefined) return false
    bytes -= entry.list.bitstring.byteLength
    return entries.delete(url)
  }

  return {
    now: () => clock(),
    get(url: string): StatusListCacheEntry | undefined {
      const entry = entries.get(url)
      if (entry !== undefined) {
        entries.delete(url) // most recently used goes last
        entries.set(url, entry)
      }
      return entry
    },
    set(url: string, list: VerifiedStatusList): void {
      remove(url)
      const ttl = Math.min(list.ttl ?? defaultTtlMs, maxTtlMs)
      const expiresAt = Math.min(clock() + ttl, list.validUntil ?? Number.POSITIVE_INFINITY)
      if (list.bitstring.byteLength > maxBytes) return
      entries.set(url, { list, expiresAt })
      bytes += list.bitstring.byteLength
      for (const oldest of entries.keys()) {
        if (entries.size <= maxLists && bytes <= maxBytes) break
        remove(oldest)
      }
    },
    delete: remove,
    clear(): void {
      entries.clear()
      bytes = 0
    },
    get size() {
      return entries.size
    },
  }
}

const defaultCaches = new WeakMap<object, WeakMap<object, StatusListCache>>()

/**
 * The default cache of `verifyCredential`: one LRU (default options) per pair of DID resolver
 * and document loader, so lists verified with one resolver are never reused with another.
 * With the default resolver and loader this is a single module-level cache.
 */
export function defaultStatusListCache(
  didResolver: object,
  documentLoader: object,
): StatusListCache {
  let byLoader = defaultCaches.get(didResolver)
  if (byLoader === undefined) {
    byLoader = new WeakMap()
    defaultCaches.set(didResolver, byLoader)
  }
  let cache = byLoader.get(documentLoader)
  if (cache === undefined) {
    cache = createStatusListCache()
    byLoader.set(documentLoader, cache)
  }
  return cache
}
