/**
 * What the page's verifier may fetch, and only that: the Institute's `did:web` document and its
 * status lists, both from the server's own origin. Any other DID or status list URL is refused
 * without a request, so a dropped file can never make the employer's browser call a host the
 * credential chose (docs/attacks.md E1, E4). The page's CSP (`connect-src`) enforces the same.
 *
 * @module
 */
import {
  createDefaultDidResolver,
  createFetchStatusListSource,
  type DidResolver,
  type StatusListSource,
} from '@certify-vc/verifier'

/** Cap on a DID document response. */
const MAX_DID_DOCUMENT_BYTES = 256 * 1024
const DID_FETCH_TIMEOUT_MS = 10_000
const DID_CACHE_MS = 5 * 60_000
const DID_JSON = /^application\/(?:did\+json|did\+ld\+json|ld\+json|json)$/

/** Where the page's server lives. */
export interface PageOrigin {
  /** The server's public base URL (scheme, host, optional path; no trailing slash). */
  readonly publicBaseUrl: string
}

function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\./.test(h)
}

/**
 * The `did:web` URL of `did` (did:web spec §3.2.1: `:` separates path segments, `%3A` encodes a
 * port), or `undefined` for a malformed DID (IP-literal hosts, empty or dot segments, other
 * percent-encodings are refused).
 */
export function didWebUrl(did: string): URL | undefined {
  if (!did.startsWith('did:web:')) return undefined
  const segments = did.slice('did:web:'.length).split(':')
  const [hostPart, ...path] = segments
  if (hostPart === undefined || hostPart === '') return undefined
  const host = hostPart.replace(/%3A/gi, ':')
  if (!/^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$/.test(host)) return undefined
  if (/^[0-9.]+(?::|$)/.test(host)) return undefined // IPv4 literal
  for (const s of path) {
    if (s === '' || s === '.' || s === '..' || !/^[A-Za-z0-9._~-]+$/.test(s)) return undefined
  }
  const pathname = path.length === 0 ? '/.well-known/did.json' : `/${path.join('/')}/did.json`
  try {
    return new URL(`https://${host}${pathname}`)
  } catch {
    return undefined
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = response.headers.get('content-length')
  if (declared !== null && Number(declared) > maxBytes) {
    throw new Error(`The DID document is larger than ${maxBytes} bytes.`)
  }
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel()
      throw new Error(`The DID document is larger than ${maxBytes} bytes.`)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const c of chunks) {
    bytes.set(c, offset)
    offset += c.byteLength
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
}

/**
 * A DID resolver for the page: `did:key` locally, and `did:web` only for the server's own host,
 * fetched from the server's public base URL (so a test server on `http://localhost:<port>`
 * serves its `did:web:localhost%3A<port>`). Documents are cached for five minutes.
 */
export function createPageDidResolver(
  origin: PageOrigin,
  fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
): DidResolver {
  const base = new URL(origin.publicBaseUrl)
  const didKey = createDefaultDidResolver()
  const cache = new Map<string, { at: number; didDocument: unknown }>()
  const fail = (error: string, message: string) => ({
    didDocument: null,
    didResolutionMetadata: { error, message },
  })
  return {
    async resolve(did: string) {
      if (!did.startsWith('did:web:')) return didKey.resolve(did)
      const url = didWebUrl(did)
      if (url === undefined) return fail('invalidDid', `${did} is not a valid did:web.`)
      if (url.host.toLowerCase() !== base.host.toLowerCase()) {
        return fail(
          'notFound',
          `This page resolves only ${base.host}'s did:web; ${url.host} is not fetched.`,
        )
      }
      const cached = cache.get(did)
      if (cached !== undefined && Date.now() - cached.at < DID_CACHE_MS) {
        return { didDocument: structuredClone(cached.didDocument), didResolutionMetadata: {} }
      }
      const target = new URL(url.pathname, base.origin)
      const controller = new AbortController()
      const timer = setTimeout(() => controller.abort(), DID_FETCH_TIMEOUT_MS)
      try {
        const response = await fetchImpl(target.href, {
          headers: { accept: 'application/did+json, application/did+ld+json, application/json' },
          redirect: 'error',
          credentials: 'omit',
          referrerPolicy: 'no-referrer',
          cache: 'no-store',
          signal: controller.signal,
        })
        if (response.status !== 200) {
          return fail('notFound', `${target.href} answered HTTP ${response.status}.`)
        }
        const media = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? ''
        if (!DID_JSON.test(media.toLowerCase())) {
          return fail('invalidDidDocument', `${target.href} is not JSON (${media}).`)
        }
        const didDocument: unknown = JSON.parse(await readCapped(response, MAX_DID_DOCUMENT_BYTES))
        if (
          typeof didDocument !== 'object' ||
          didDocument === null ||
          (didDocument as { id?: unknown }).id !== did
        ) {
          return fail('invalidDidDocument', `The document at ${target.href} is not ${did}'s.`)
        }
        cache.set(did, { at: Date.now(), didDocument })
        return { didDocument: structuredClone(didDocument), didResolutionMetadata: {} }
      } catch (error) {
        return fail('notFound', error instanceof Error ? error.message : String(error))
      } finally {
        clearTimeout(timer)
      }
    },
  }
}

/**
 * The status list source of the page: the verifier's fetch-based source (https only, no
 * redirects, size cap, timeout), limited to the server's own origin. When the server itself is
 * on plain http or loopback (a test server), that origin is allowed through the source's
 * `allowHttp` / `allowLoopback` switches — and only that origin.
 */
export function createPageStatusSource(
  origin: PageOrigin,
  fetchImpl?: typeof fetch,
): StatusListSource {
  const base = new URL(origin.publicBaseUrl)
  const inner = createFetchStatusListSource({
    allowHttp: base.protocol === 'http:',
    allowLoopback: isLoopbackHost(base.hostname),
    ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }),
  })
  return {
    get(url, options) {
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        return Promise.reject(new Error(`Not a URL: ${url.slice(0, 200)}`))
      }
      if (parsed.origin !== base.origin) {
        return Promise.reject(
          new Error(
            `This page fetches status lists from ${base.origin} only, not ${parsed.origin}.`,
          ),
        )
      }
      return inner.get(url, options)
    },
  }
}
