/**
 * Which network destinations a status-list fetcher may contact: the URL rules (https only,
 * no user info) and the address classes (no loopback, private, link-local, CGNAT, multicast,
 * unspecified or reserved IPv4 / IPv6, including IPv4-mapped and NAT64 forms) shared by the
 * browser-safe fetch source and the Node hardened fetcher. Pure code, no I/O.
 *
 * @see https://www.iana.org/assignments/iana-ipv4-special-registry/
 * @see https://www.iana.org/assignments/iana-ipv6-special-registry/
 * @module
 */

/** What a network policy allows beyond public https destinations. All default to `false`. */
export interface NetworkPolicyOptions {
  /** Allow plain `http:` URLs (tests only: status lists must be served over https). */
  readonly allowHttp?: boolean
  /** Allow loopback destinations: `127.0.0.0/8`, `::1`, `localhost` (tests only). */
  readonly allowLoopback?: boolean
  /**
   * Allow private-network destinations: RFC 1918, CGNAT `100.64.0.0/10`, link-local
   * `169.254.0.0/16` / `fe80::/10`, unique-local `fc00::/7` (an intranet deployment). Loopback,
   * unspecified, multicast and reserved addresses are never allowed by this flag.
   */
  readonly allowPrivateNetworks?: boolean
}

/** The only hosts a development origin may name: this machine, by name or loopback address. */
const DEVELOPMENT_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Checks a development origin: an `http:` or `https:` origin (scheme, host, optional port; no
 * path, query, fragment or user info) whose host is `localhost`, `127.0.0.1` or `[::1]`. A local
 * Institute in development mode is reached at such an origin over plain http; verifiers allow
 * http and loopback for exactly the origins they are given, and never for any other host
 * (docs/attacks.md E1: without this, http and loopback are always refused).
 *
 * @returns the origin as `URL.origin` spells it (`http://localhost:8080`).
 * @throws {TypeError} for anything else, naming the rule.
 */
export function parseDevelopmentOrigin(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError('A development origin must be a non-empty string.')
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new TypeError(`Development origin ${JSON.stringify(value)} is not a URL.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Development origin ${JSON.stringify(value)} must be http: or https:.`)
  }
  if (
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== '' ||
    url.pathname !== '/' ||
    value.replace(/\/$/, '') !== url.origin
  ) {
    throw new TypeError(
      `Development origin ${JSON.stringify(value)} must be an origin only (scheme, host, port), like http://localhost:8080.`,
    )
  }
  if (!DEVELOPMENT_HOSTS.has(url.hostname)) {
    throw new TypeError(
      `Development origin ${JSON.stringify(value)} is not on this machine: only localhost, 127.0.0.1 and [::1] may be allowed over http.`,
    )
  }
  return url.origin
}

/**
 * Checks a list of development origins (see {@link parseDevelopmentOrigin}).
 *
 * @throws {TypeError} when `value` is not an array or an entry is not a development origin.
 */
export function parseDevelopmentOrigins(value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw new TypeError('"developmentOrigins" must be an array of origins.')
  }
  return [...new Set(value.map((v) => parseDevelopmentOrigin(v)))]
}

/** The origin of `url`, or `undefined` when it is not a URL. */
export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

/** The class of an IP address, as far as fetching is concerned. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'unspecified'
  | 'multicast'
  | 'reserved'

/** Parses a dotted-quad IPv4 address strictly (no leading zeros, no short forms). */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const bytes: number[] = []
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined
    const n = Number(part)
    if (n > 255) return undefined
    bytes.push(n)
  }
  return bytes
}

/** Parses an IPv6 address (RFC 4291 text forms, with an optional dotted IPv4 tail) to 16 bytes. */
export function parseIpv6(text: string): number[] | undefined {
  if (text.includes('%') || text.length > 45) return undefined // zone ids are refused
  let head = text
  let tail: number[] = []
  const lastColon = text.lastIndexOf(':')
  if (lastColon !== -1 && text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1))
    if (v4 === undefined) return undefined
    tail = v4
    head = text.slice(0, lastColon + 1)
    if (!head.endsWith('::')) head = head.slice(0, -1)
  }
  const halves = head.split('::')
  if (halves.length > 2) return undefined
  const groups = (s: string): number[] | undefined => {
    if (s === '') return []
    const out: number[] = []
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
      out.push(parseInt(g, 16))
    }
    return out
  }
  const left = groups(halves[0] ?? '')
  const right = halves.length === 2 ? groups(halves[1] ?? '') : []
  if (left === undefined || right === undefined) return undefined
  const tailGroups = tail.length === 4 ? 2 : 0
  const total = left.length + right.length + tailGroups
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined
  const words = [...left, ...new Array<number>(8 - total).fill(0), ...right]
  const bytes: number[] = []
  for (const w of words) bytes.push(w >> 8, w & 0xff)
  return [...bytes, ...tail]
}

function classifyIpv4(bytes: readonly number[]): AddressClass {
  const [a = 0, b = 0, c = 0] = bytes
  if (a === 0) return 'unspecified' // 0.0.0.0/8 "this network" (reaches the local host)
  if (a === 10) return 'private'
  if (a === 100 && (b & 0xc0) === 64) return 'cgnat'
  if (a === 127) return 'loopback'
  if (a === 169 && b === 254) return 'link-local'
  if (a === 172 && (b & 0xf0) === 16) return 'private'
  if (a === 192 && b === 168) return 'private'
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return 'reserved' // IETF, TEST-NET-1
  if (a === 192 && b === 88 && c === 99) return 'reserved' // 6to4 relay anycast
  if (a === 198 && (b === 18 || b === 19)) return 'reserved' // benchmarking
  if (a === 198 && b === 51 && c === 100) return 'reserved' // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return 'reserved' // TEST-NET-3
  if (a >= 224 && a <= 239) return 'multicast'
  if (a >= 240) return 'reserved' // 240/4 and the broadcast address
  return 'public'
}

function classifyIpv6(b: readonly number[]): AddressClass {
  const byte = (i: number) => b[i] ?? 0
  const zeroUpTo = (n: number) => b.slice(0, n).every((x) => x === 0)
  const v4 = b.slice(12, 16)
  if (zeroUpTo(16)) return 'unspecified'
  if (zeroUpTo(15) && byte(15) === 1) return 'loopback'
  if (zeroUpTo(10) && byte(10) === 0xff && byte(11) === 0xff) return classifyIpv4(v4) // ::ffff:a.b.c.d
  if (zeroUpTo(12)) return 'reserved' // IPv4-compatible ::a.b.c.d (deprecated)
  // 64:ff9b::/96, the well-known NAT64 prefix: judge the embedded IPv4 address.
  if (byte(0) === 0 && byte(1) === 0x64 && byte(2) === 0xff && byte(3) === 0x9b) {
    if (b.slice(4, 12).every((x) => x === 0)) return classifyIpv4(v4)
    if (byte(4) === 0 && byte(5) === 1) return 'private' // 64:ff9b:1::/48 local-use NAT64
    return 'reserved'
  }
  if (byte(0) === 0x20 && byte(1) === 0x02) return classifyIpv4(b.slice(2, 6)) // 6to4 2002::/16
  if (byte(0) === 0x20 && byte(1) === 0x01 && byte(2) < 0x02) return 'reserved' // 2001::/23 (Teredo…)
  if (byte(0) === 0x20 && byte(1) === 0x01 && byte(2) === 0x0d && byte(3) === 0xb8)
    return 'reserved'
  if (byte(0) === 0x3f && byte(1) === 0xff && byte(2) < 0x10) return 'reserved' // 3fff::/20 docs
  if ((byte(0) & 0xfe) === 0xfc) return 'private' // fc00::/7 unique local
  if (byte(0) === 0xfe && (byte(1) & 0xc0) === 0x80) return 'link-local' // fe80::/10
  if (byte(0) === 0xfe && (byte(1) & 0xc0) === 0xc0) return 'private' // fec0::/10 site local
  if (byte(0) === 0xff) return 'multicast'
  if ((byte(0) & 0xe0) !== 0x20) return 'reserved' // outside global unicast 2000::/3
  return 'public'
}

/**
 * Classifies an IP address given as text (`203.0.113.7`, `::ffff:127.0.0.1`, `[::1]`).
 * Anything that does not parse strictly is `reserved`, so it is refused.
 */
export function classifyAddress(address: string): AddressClass {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address
  const v4 = parseIpv4(text)
  if (v4 !== undefined) return classifyIpv4(v4)
  const v6 = text.includes(':') ? parseIpv6(text) : undefined
  if (v6 !== undefined) return classifyIpv6(v6)
  return 'reserved'
}

/** True for a host name (not an IP literal) that always means this machine. */
function isLocalhostName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '')
  return h === 'localhost' || h.endsWith('.localhost')
}

/** Whether `policy` allows an address of class `cls`. */
export function isAllowedClass(cls: AddressClass, policy: NetworkPolicyOptions): boolean {
  switch (cls) {
    case 'public':
      return true
    case 'loopback':
      return policy.allowLoopback === true
    case 'private':
    case 'link-local':
    case 'cgnat':
      return policy.allowPrivateNetworks === true
    default:
      return false
  }
}

/** Throws an `Error` unless `policy` allows connecting to `address`. */
export function assertAllowedAddress(address: string, policy: NetworkPolicyOptions): void {
  const cls = classifyAddress(address)
  if (!isAllowedClass(cls, policy)) {
    throw new Error(`Refusing to connect to ${address} (${cls} address).`)
  }
}

/** True when `hostname` (as `URL.hostname` gives it) is an IP literal. */
export function isIpLiteral(hostname: string): boolean {
  return hostname.startsWith('[') || parseIpv4(hostname) !== undefined
}

/**
 * Parses and checks a status list URL against `policy`: `https:` (or `http:` when allowed), no
 * user name or password, and, for IP-literal or `localhost` hosts, an allowed address class.
 * Host names are checked again once resolved (Node) — a browser cannot see the address.
 *
 * @throws {Error} with a reason, when the URL is refused.
 */
export function checkStatusListUrl(url: string, policy: NetworkPolicyOptions): URL {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`Not a URL: ${JSON.stringify(url.slice(0, 200))}.`)
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && policy.allowHttp === true)) {
    throw new Error(`Refusing ${parsed.protocol} URL: status lists are fetched over https only.`)
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new Error('Refusing a URL with user name or password.')
  }
  if (isLocalhostName(parsed.hostname)) {
    if (policy.allowLoopback !== true) {
      throw new Error(`Refusing to connect to ${parsed.hostname} (loopback host).`)
    }
  } else if (isIpLiteral(parsed.hostname)) {
    assertAllowedAddress(parsed.hostname, policy)
  }
  return parsed
}
