/**
 * The hardened status list fetcher for Node (server-side verification, where a credential's
 * `statusListCredential` URL would otherwise be an SSRF vector). Node-only.
 *
 * - `https:` only (`allowHttp` for tests), no user info in URLs.
 * - Resolves the host itself and refuses loopback, private (RFC 1918, unique-local), link-local,
 *   CGNAT, multicast, unspecified and reserved IPv4 / IPv6 addresses, including IPv4-mapped,
 *   NAT64 and 6to4 forms — if *any* address of the host is refused, the host is refused.
 * - Connects to exactly the address it checked (the socket's DNS lookup is replaced by the
 *   checked answer), so DNS rebinding between check and connect is impossible; TLS still
 *   verifies the certificate against the host name.
 * - No redirects by default; with `maxRedirects`, same-origin only, each hop checked again.
 * - One deadline over DNS, connect, headers and body; a body size cap enforced while reading;
 *   `identity` encoding only; a JSON media type; no cookies, no auth, no connection reuse.
 *
 * @see docs/attacks.md E1
 * @module
 */
import { lookup as dnsLookup } from 'node:dns/promises'
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import {
  STATUS_LIST_ACCEPT,
  abortReason,
  assertJsonContentType,
  deadline,
  parseJsonBody,
  resolveHttpOptions,
  type HttpStatusListSourceOptions,
} from '../status/fetch-source.js'
import {
  assertAllowedAddress,
  checkStatusListUrl,
  originOf,
  parseDevelopmentOrigins,
} from '../status/network-policy.js'
import type { StatusListSource, StatusListSourceGetOptions } from '../status/source.js'

/** One address a host name resolves to. */
export interface ResolvedAddress {
  readonly address: string
  readonly family: 4 | 6
}

/** Options of {@link createHardenedStatusListSource}. */
export interface HardenedStatusListSourceOptions extends HttpStatusListSourceOptions {
  /**
   * Resolves a host name to all its addresses. Default: the system resolver
   * (`dns.promises.lookup(host, { all: true, verbatim: true })`). Every address returned is
   * checked; the first is connected to.
   */
  readonly lookup?: (hostname: string) => Promise<readonly ResolvedAddress[]>
  /** Extra trusted CA certificates, PEM (a private PKI, or tests). Default: Node's CA store. */
  readonly ca?: string | readonly string[]
  /**
   * Origins on this machine (`http://localhost:8080`; see `parseDevelopmentOrigin`) for which
   * plain http and loopback addresses are allowed: a local Institute in development mode. Only a
   * URL whose origin is exactly one of these gets the exception (its redirects stay on the same
   * origin); every other URL keeps the policy above. Default none.
   */
  readonly developmentOrigins?: readonly string[]
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const MAX_HEADER_BYTES = 16 * 1024

async function systemLookup(hostname: string): Promise<readonly ResolvedAddress[]> {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true })
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }))
}

function withAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error instanceof Error ? error : new Error(String(error)))
      },
    )
  })
}

/** Resolves `hostname` and checks every address; returns the one to connect to. */
async function resolveChecked(
  hostname: string,
  options: Required<HttpStatusListSourceOptions>,
  lookup: (hostname: string) => Promise<readonly ResolvedAddress[]>,
  signal: AbortSignal,
): Promise<ResolvedAddress> {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname
  if (hostname.startsWith('[')) {
    assertAllowedAddress(host, options)
    return { address: host, family: 6 }
  }
  if (/^[0-9.]+$/.test(host)) {
    assertAllowedAddress(host, options)
    return { address: host, family: 4 }
  }
  let answers: readonly ResolvedAddress[]
  try {
    answers = await withAbort(lookup(host), signal)
  } catch (error) {
    if (signal.aborted) throw abortReason(signal)
    throw new Error(`Cannot resolve ${host}: ${error instanceof Error ? error.message : ''}`)
  }
  const first = answers[0]
  if (first === undefined) throw new Error(`${host} has no address.`)
  for (const a of answers) assertAllowedAddress(a.address, options)
  return first
}

type Exchange = { kind: 'redirect'; location: string } | { kind: 'body'; body: Uint8Array }

function exchange(
  url: URL,
  address: ResolvedAddress,
  options: Required<HttpStatusListSourceOptions>,
  ca: string | readonly string[] | undefined,
  signal: AbortSignal,
): Promise<Exchange> {
  // The socket never asks DNS: it gets the address that was just checked.
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all === true) {
      callback(null, [{ address: address.address, family: address.family }])
    } else {
      callback(null, address.address, address.family)
    }
  }
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  const request: RequestOptions & { ca?: string | string[] } = {
    protocol: url.protocol,
    hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname + url.search,
    method: 'GET',
    headers: {
      accept: STATUS_LIST_ACCEPT,
      'accept-encoding': 'identity',
      'user-agent': 'certify-vc-verifier',
    },
    agent: false,
    lookup: pinned,
    maxHeaderSize: MAX_HEADER_BYTES,
    ...(ca === undefined ? {} : { ca: typeof ca === 'string' ? ca : [...ca] }),
  }
  return new Promise<Exchange>((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(request)
    const stop = (error: Error) => {
      req.destroy()
      reject(error)
    }
    const onAbort = () => stop(abortReason(signal))
    if (signal.aborted) {
      onAbort()
      return
    }
    signal.addEventListener('abort', onAbort, { once: true })
    req.on('close', () => signal.removeEventListener('abort', onAbort))
    req.on('error', (error) => reject(signal.aborted ? abortReason(signal) : error))
    req.on('response', (res: IncomingMessage) => {
      res.on('error', (error) => reject(signal.aborted ? abortReason(signal) : error))
      res.on('aborted', () => reject(new Error('The status list response was cut short.')))
      const status = res.statusCode ?? 0
      if (REDIRECT_STATUSES.has(status)) {
        const location = res.headers.location
        res.resume()
        req.destroy()
        if (location === undefined) reject(new Error(`HTTP ${status} without a Location header.`))
        else resolve({ kind: 'redirect', location })
        return
      }
      if (status !== 200) {
        stop(new Error(`The status list server answered HTTP ${status}.`))
        return
      }
      try {
        assertJsonContentType(res.headers['content-type'])
        const encoding = (res.headers['content-encoding'] ?? 'identity').toLowerCase()
        if (encoding !== 'identity') {
          throw new Error(`Unexpected content encoding ${JSON.stringify(encoding)}.`)
        }
        const declared = res.headers['content-length']
        if (declared !== undefined && Number(declared) > options.maxBytes) {
          throw new Error(`The status list response is larger than ${options.maxBytes} bytes.`)
        }
      } catch (error) {
        stop(error as Error)
        return
      }
      const chunks: Buffer[] = []
      let total = 0
      res.on('data', (chunk: Buffer) => {
        total += chunk.length
        if (total > options.maxBytes) {
          stop(new Error(`The status list response is larger than ${options.maxBytes} bytes.`))
          return
        }
        chunks.push(chunk)
      })
      res.on('end', () => {
        if (total <= options.maxBytes && !signal.aborted) {
          resolve({ kind: 'body', body: new Uint8Array(Buffer.concat(chunks)) })
        }
      })
    })
    req.end()
  })
}

/**
 * Creates the hardened status list fetcher, the default source of `verifyCredential` on Node.
 * Node-only: import it from `@certify-vc/verifier` under Node (the `node` export condition).
 *
 * @example
 * import { createHardenedStatusListSource, verifyCredential } from '@certify-vc/verifier'
 * const source = createHardenedStatusListSource({ timeoutMs: 5000, maxBytes: 1 << 20 })
 * await verifyCredential(credential, { trustedIssuers, status: { source } })
 *
 * @throws {TypeError} for malformed options.
 */
export function createHardenedStatusListSource(
  options: HardenedStatusListSourceOptions = {},
): StatusListSource {
  const resolved = resolveHttpOptions(options)
  const lookup = options.lookup ?? systemLookup
  if (typeof lookup !== 'function') throw new TypeError('"lookup" must be a function.')
  const { ca } = options
  if (
    ca !== undefined &&
    typeof ca !== 'string' &&
    !(Array.isArray(ca) && ca.every((c) => typeof c === 'string'))
  ) {
    throw new TypeError('"ca" must be a PEM string or an array of PEM strings.')
  }
  const developmentOrigins = new Set(parseDevelopmentOrigins(options.developmentOrigins ?? []))
  const development = { ...resolved, allowHttp: true, allowLoopback: true }
  return {
    async get(url: string, getOptions: StatusListSourceGetOptions = {}): Promise<unknown> {
      const { signal, release } = deadline(resolved.timeoutMs, getOptions.signal)
      // Exact origin match: scheme, host and port (docs/attacks.md E1).
      const origin = typeof url === 'string' ? originOf(url) : undefined
      const policy = origin !== undefined && developmentOrigins.has(origin) ? development : resolved
      try {
        let current = checkStatusListUrl(url, policy)
        const origin = current.origin
        for (let hop = 0; ; hop++) {
          const address = await resolveChecked(current.hostname, policy, lookup, signal)
          const result = await exchange(current, address, policy, ca, signal)
          if (result.kind === 'body') return parseJsonBody(result.body)
          const next = new URL(result.location, current)
          if (next.origin !== origin) {
            throw new Error(`Refusing a redirect to another origin (${next.origin}).`)
          }
          if (hop >= resolved.maxRedirects) {
            throw new Error(`Refusing more than ${resolved.maxRedirects} redirect(s).`)
          }
          current = checkStatusListUrl(next.href, policy)
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
