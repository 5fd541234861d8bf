/**
 * The browser-safe status list fetcher, on `globalThis.fetch`: https only, no redirects (or a
 * few same-origin ones), a timeout, a response size cap enforced while the body streams, JSON
 * content types only, no cookies and no referrer. A browser cannot see the address a host name
 * resolves to, so only IP-literal and `localhost` hosts are checked against the address policy;
 * on Node, use the hardened fetcher of the Node entry, which resolves and pins addresses itself.
 *
 * @module
 */
import { checkStatusListUrl, type NetworkPolicyOptions } from './network-policy.js'
import type { StatusListSource, StatusListSourceGetOptions } from './source.js'

/** Default cap on a status list response body: 2 MiB (a 131,072-entry list is ~22 KB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024
/** Default timeout of one status list fetch, redirects and body included: 10 s. */
export const DEFAULT_FETCH_TIMEOUT_MS = 10_000

/** Options shared by the fetch-based and the Node hardened status list sources. */
export interface HttpStatusListSourceOptions extends NetworkPolicyOptions {
  /** Cap on the response body in bytes, enforced while streaming. Default 2 MiB. */
  readonly maxBytes?: number
  /** Timeout of one `get`, redirects and body included, in ms. Default 10,000. */
  readonly timeoutMs?: number
  /** Same-origin redirects followed (redirects to another origin are always refused). Default 0. */
  readonly maxRedirects?: number
}

/** Options of {@link createFetchStatusListSource}. */
export interface FetchStatusListSourceOptions extends HttpStatusListSourceOptions {
  /** The fetch implementation. Default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch
}

/** The `Accept` header sent for status lists. */
export const STATUS_LIST_ACCEPT =
  'application/vc, application/vc+ld+json, application/ld+json;q=0.9, application/json;q=0.8'

const JSON_MEDIA_TYPE = /^application\/(?:json|ld\+json|vc\+ld\+json|vc|[a-z0-9.!#$&^_-]+\+json)$/

/** Throws unless the `Content-Type` header names a JSON media type. */
export function assertJsonContentType(header: string | null | undefined): void {
  const media = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (!JSON_MEDIA_TYPE.test(media)) {
    throw new Error(
      `Unexpected content type ${JSON.stringify(header ?? null)}; expected a JSON status list credential.`,
    )
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Parses a response body as UTF-8 JSON. @throws {Error} */
export function parseJsonBody(bytes: Uint8Array): unknown {
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    throw new Error('The status list response is not valid UTF-8.')
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new Error('The status list response is not JSON.')
  }
}

/** Validated options with defaults applied. @throws {TypeError} */
export function resolveHttpOptions(
  options: HttpStatusListSourceOptions,
): Required<HttpStatusListSourceOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('"options" must be an object.')
  }
  const {
    allowHttp = false,
    allowLoopback = false,
    allowPrivateNetworks = false,
    maxBytes = DEFAULT_MAX_RESPONSE_BYTES,
    timeoutMs = DEFAULT_FETCH_TIMEOUT_MS,
    maxRedirects = 0,
  } = options
  for (const [name, value] of Object.entries({ allowHttp, allowLoopback, allowPrivateNetworks })) {
    if (typeof value !== 'boolean') throw new TypeError(`"${name}" must be a boolean.`)
  }
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new TypeError('"maxBytes" must be a positive integer.')
  }
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw new TypeError('"timeoutMs" must be a positive integer (milliseconds).')
  }
  if (!Number.isSafeInteger(maxRedirects) || maxRedirects < 0 || maxRedirects > 10) {
    throw new TypeError('"maxRedirects" must be an integer from 0 to 10.')
  }
  return { allowHttp, allowLoopback, allowPrivateNetworks, maxBytes, timeoutMs, maxRedirects }
}

/**
 * An `AbortSignal` that fires after `timeoutMs` or when `parent` fires, and a function that
 * releases the timer.
 */
export function deadline(
  timeoutMs: number,
  parent: AbortSignal | undefined,
): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController()
  const timer = setTimeout(() => {
    controller.abort(new Error(`The status list fetch timed out after ${timeoutMs} ms.`))
  }, timeoutMs)
  const onAbort = () => controller.abort(parent?.reason)
  if (parent?.aborted === true) controller.abort(parent.reason)
  else parent?.addEventListener('abort', onAbort, { once: true })
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer)
      parent?.removeEventListener('abort', onAbort)
    },
  }
}

/** The reason an aborted signal carries, as an `Error`. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason : new Error('The status list fetch was aborted.')
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

async function readCapped(
  response: Response,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Uint8Array> {
  const declared = response.headers.get('content-length')
  if (declared !== null && Number(declared) > maxBytes) {
    void response.body?.cancel().catch(() => undefined)
    throw new Error(`The status list response is larger than ${maxBytes} bytes.`)
  }
  if (response.body === null) return new Uint8Array(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  const onAbort = () => void reader.cancel(signal.reason).catch(() => undefined)
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (signal.aborted) throw abortReason(signal)
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        void reader.cancel().catch(() => undefined)
        throw new Error(`The status list response is larger than ${maxBytes} bytes.`)
      }
      chunks.push(value)
    }
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
  const out = new Uint8Array(total)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.byteLength
  }
  return out
}

/**
 * A status list source on `globalThis.fetch` (browsers, workers, Node). The default source of
 * the browser build of `verifyCredential`.
 *
 * - `https:` only (`allowHttp` for tests); no user info in URLs; IP-literal and `localhost`
 *   hosts are refused unless `allowLoopback` / `allowPrivateNetworks`.
 * - `redirect: 'manual'`: no redirects by default; with `maxRedirects`, only to the same origin
 *   (browsers hide redirect targets, so there every redirect is refused).
 * - A timeout over the whole exchange, a body size cap enforced while streaming, a JSON media
 *   type, `credentials: 'omit'`, `referrerPolicy: 'no-referrer'`, `cache: 'no-store'`.
 *
 * @example
 * const source = createFetchStatusListSource({ timeoutMs: 5000 })
 * await verifyCredential(credential, { trustedIssuers, status: { source } })
 *
 * @throws {TypeError} for malformed options.
 */
export function createFetchStatusListSource(
  options: FetchStatusListSourceOptions = {},
): StatusListSource {
  const resolved = resolveHttpOptions(options)
  const fetchImpl = options.fetch
  if (fetchImpl !== undefined && typeof fetchImpl !== 'function') {
    throw new TypeError('"fetch" must be a function.')
  }
  return {
    async get(url: string, getOptions: StatusListSourceGetOptions = {}): Promise<unknown> {
      const doFetch = fetchImpl ?? globalThis.fetch
      if (typeof doFetch !== 'function') throw new Error('No fetch implementation is available.')
      const { signal, release } = deadline(resolved.timeoutMs, getOptions.signal)
      try {
        let current = checkStatusListUrl(url, resolved)
        const origin = current.origin
        for (let hop = 0; ; hop++) {
          const response = await doFetch(current.href, {
            method: 'GET',
            headers: { accept: STATUS_LIST_ACCEPT },
            redirect: 'manual',
            credentials: 'omit',
            referrerPolicy: 'no-referrer',
            cache: 'no-store',
            signal,
          })
          if (response.type === 'opaqueredirect' || REDIRECT_STATUSES.has(response.status)) {
            void response.body?.cancel().catch(() => undefined)
            const location = response.headers.get('location')
            if (location === null) {
              throw new Error('The status list URL redirects, and redirects are not followed.')
            }
            const next = new URL(location, current)
            if (next.origin !== origin) {
              throw new Error(`Refusing a redirect to another origin (${next.origin}).`)
            }
            if (hop >= resolved.maxRedirects) {
              throw new Error(`Refusing more than ${resolved.maxRedirects} redirect(s).`)
            }
            current = checkStatusListUrl(next.href, resolved)
            continue
          }
          if (response.status !== 200) {
            void response.body?.cancel().catch(() => undefined)
            throw new Error(`The status list server answered HTTP ${response.status}.`)
          }
          assertJsonContentType(response.headers.get('content-type'))
          return parseJsonBody(await readCapped(response, resolved.maxBytes, signal))
        }
      } catch (error) {
        if (signal.aborted) throw abortReason(signal)
        throw error
      } finally {
        release()
      }
    },
  }
}
