/**
 * `did:web` resolution (https://w3c-ccg.github.io/did-method-web/) through `did-resolver`, over a
 * caller-supplied fetcher: on Node the hardened fetcher (`createHardenedDidResolver`), in
 * browsers a fetch-based source. Browser-safe.
 *
 * Strict by design (docs/attacks.md E1, E2): host names only (no IP literals), an optional port encoded
 * as `%3A`, no empty or dot path segments, https only (plain http only when the fetcher's policy
 * allows it, for tests), no redirects (the fetcher's), and the document's `id` must equal the DID.
 *
 * @module
 */
import { isPlainObject } from '@certify-vc/context'
import { Resolver, type DIDResolutionResult } from 'did-resolver'
import { createDefaultDidResolver } from '@certify-vc/core'
import { parseDevelopmentOrigins } from './status/network-policy.js'
import type { StatusListSource } from './status/source.js'
import type { DidResolver } from './types.js'

/** Something that GETs a URL and resolves with its parsed JSON (a status list source fits). */
export type DidDocumentFetcher = Pick<StatusListSource, 'get'>

/** Options of {@link createDidWebResolver}. */
export interface DidWebResolverOptions {
  /** GETs the DID document URL and returns its JSON; must refuse redirects and private hosts. */
  readonly fetcher: DidDocumentFetcher
  /**
   * Build `http://` document URLs instead of `https://` (tests against a loopback server only;
   * the fetcher must allow http too). Default `false`.
   */
  readonly insecureHttp?: boolean
  /**
   * Origins (`http://localhost:8080`) whose did:web documents are fetched over plain http: a
   * local Institute in development mode. Only a DID whose document URL has exactly such an
   * origin, once its scheme is http, gets an http URL; the fetcher must allow that origin too.
   * Default none.
   */
  readonly httpOrigins?: readonly string[]
  /** Timeout of one resolution in ms. Default 10,000. */
  readonly timeoutMs?: number
  /** How long a resolved document is reused, in ms (0 = no cache). Default 300,000. */
  readonly cacheTtlMs?: number
  /** Injectable clock for the cache (tests). Default `Date.now`. */
  readonly now?: () => number
}

const MAX_DID_LENGTH = 2048
const MAX_CACHE_ENTRIES = 256
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const SEGMENT = /^(?:[A-Za-z0-9._~!$&'()*+,;=@-]|%[0-9A-Fa-f]{2})+$/

/**
 * The https URL of a `did:web` DID's document, or an error message when the DID is not a
 * well-formed did:web (IP literals, encoded characters in the host other than the port's `%3A`,
 * empty or dot segments, fragments, queries …).
 *
 * @example
 * didWebDocumentUrl('did:web:example.com%3A8443:users:alice')
 * // { url: 'https://example.com:8443/users/alice/did.json' }
 */
export function didWebDocumentUrl(
  did: string,
  options: { insecureHttp?: boolean } = {},
): { url: string } | { error: string } {
  if (typeof did !== 'string' || did.length > MAX_DID_LENGTH) return { error: 'Not a DID.' }
  if (!did.startsWith('did:web:')) return { error: 'Not a did:web DID.' }
  const parts = did.slice('did:web:'.length).split(':')
  const [hostPart, ...path] = parts
  if (hostPart === undefined || hostPart === '') return { error: 'did:web without a host.' }
  const portMatch = /^(.*)%3[aA](\d{1,5})$/.exec(hostPart)
  const host = portMatch ? (portMatch[1] ?? '') : hostPart
  const port = portMatch ? Number(portMatch[2]) : undefined
  if (port !== undefined && (port < 1 || port > 65_535 || portMatch?.[2]?.startsWith('0'))) {
    return { error: 'did:web with an invalid port.' }
  }
  if (host !== host.toLowerCase()) return { error: 'did:web host names must be lower case.' }
  const labels = host.split('.')
  if (host.length > 253 || !labels.every((l) => LABEL.test(l))) {
    return { error: 'did:web host is not a DNS name (IP literals and encodings are refused).' }
  }
  if (/^[0-9]+$/.test(labels.at(-1) ?? '')) {
    return { error: 'did:web host is an IP address: a DNS name is required.' }
  }
  const segments: string[] = []
  for (const raw of path) {
    if (!SEGMENT.test(raw)) return { error: 'did:web has an empty or malformed path segment.' }
    let decoded: string
    try {
      decoded = decodeURIComponent(raw)
    } catch {
      return { error: 'did:web has a malformed percent-encoding.' }
    }
    if (
      decoded === '.' ||
      decoded === '..' ||
      /[/\\?#]/.test(decoded) ||
      [...decoded].some((c) => c.charCodeAt(0) < 0x20)
    ) {
      return { error: 'did:web has a dot segment or a reserved character in its path.' }
    }
    segments.push(encodeURIComponent(decoded))
  }
  const scheme = options.insecureHttp === true ? 'http' : 'https'
  const authority = port === undefined ? host : `${host}:${port}`
  const suffix = segments.length === 0 ? '.well-known/did.json' : `${segments.join('/')}/did.json`
  return { url: `${scheme}://${authority}/${suffix}` }
}

function failure(error: string, message: string): DIDResolutionResult {
  return {
    didResolutionMetadata: { error, message },
    didDocument: null,
    didDocumentMetadata: {},
  }
}

/**
 * A {@link DidResolver} for `did:key` (locally) and `did:web` (through `fetcher`), with a small
 * TTL cache of successful did:web resolutions.
 *
 * @example
 * const didResolver = createDidWebResolver({ fetcher: createFetchStatusListSource() })
 * await verifyCredential(credential, { trustedIssuers: ['did:web:production-ai.institute'], didResolver })
 *
 * @throws {TypeError} for malformed options.
 */
export function createDidWebResolver(options: DidWebResolverOptions): DidResolver {
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  const { fetcher, insecureHttp = false, timeoutMs = 10_000, cacheTtlMs = 300_000 } = options
  const now = options.now ?? Date.now
  if (typeof fetcher !== 'object' || fetcher === null || typeof fetcher.get !== 'function') {
    throw new TypeError('"fetcher" must be an object with a get(url, options) method.')
  }
  if (typeof insecureHttp !== 'boolean') throw new TypeError('"insecureHttp" must be a boolean.')
  const httpOrigins = new Set(
    parseDevelopmentOrigins(options.httpOrigins ?? []).filter((o) => o.startsWith('http:')),
  )
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw new TypeError('"timeoutMs" must be a positive integer (milliseconds).')
  }
  if (!Number.isSafeInteger(cacheTtlMs) || cacheTtlMs < 0) {
    throw new TypeError('"cacheTtlMs" must be a non-negative integer (milliseconds).')
  }
  if (typeof now !== 'function') throw new TypeError('"now" must be a function.')
  const cache = new Map<string, { at: number; result: DIDResolutionResult }>()
  const keyResolver = createDefaultDidResolver()

  async function web(did: string): Promise<DIDResolutionResult> {
    const hit = cache.get(did)
    if (hit !== undefined && now() - hit.at < cacheTtlMs) return structuredClone(hit.result)
    let target = didWebDocumentUrl(did, { insecureHttp })
    if ('error' in target) return failure('invalidDid', target.error)
    const plain = target.url.replace(/^https:/, 'http:')
    if (!insecureHttp && httpOrigins.has(new URL(plain).origin)) target = { url: plain }
    const controller = new AbortController()
    const timer = setTimeout(
      () => controller.abort(new Error('did:web resolution timed out.')),
      timeoutMs,
    )
    let document: unknown
    try {
      document = await fetcher.get(target.url, { signal: controller.signal })
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error)
      return failure('notFound', `Cannot fetch ${target.url}: ${why}`)
    } finally {
      clearTimeout(timer)
    }
    if (!isPlainObject(document)) return failure('invalidDidDocument', 'Not a JSON object.')
    if (document.id !== did) {
      return failure('invalidDidDocument', 'The DID document\'s "id" is not the DID resolved.')
    }
    const result: DIDResolutionResult = {
      didResolutionMetadata: { contentType: 'application/did+ld+json' },
      didDocument: structuredClone(document) as DIDResolutionResult['didDocument'],
      didDocumentMetadata: {},
    }
    if (cacheTtlMs > 0) {
      if (cache.size >= MAX_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string)
      cache.set(did, { at: now(), result: structuredClone(result) })
    }
    return result
  }

  const resolver = new Resolver(
    {
      web: (did) => web(did),
      key: async (did) => {
        const r = await keyResolver.resolve(did)
        return {
          didResolutionMetadata: r.didResolutionMetadata,
          didDocument: r.didDocument as DIDResolutionResult['didDocument'],
          didDocumentMetadata: {},
        }
      },
    },
    { cache: false },
  )
  return {
    async resolve(did: string) {
      if (typeof did !== 'string') {
        return { didDocument: null, didResolutionMetadata: { error: 'invalidDid' } }
      }
      const r = await resolver.resolve(did)
      return { didDocument: r.didDocument, didResolutionMetadata: r.didResolutionMetadata }
    },
  }
}
