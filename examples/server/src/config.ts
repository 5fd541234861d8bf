/**
 * The server's configuration, from environment variables (`loadConfig`) or given directly to
 * `buildServer` (tests).
 *
 * @module
 */
import { isAbsolute, resolve } from 'node:path'

/** How the Institute identifies itself. */
export type DidMethod = 'web' | 'key'

/** Everything `buildServer` needs. */
export interface ServerConfig {
  /** Interface to listen on (used by `main.ts`; `buildServer` does not listen). Default 127.0.0.1. */
  host: string
  /** Port to listen on (0 = any free port). Default 8080. */
  port: number
  /** Registry, keys, the server's own database and the generated write token live here. */
  dataDir: string
  /**
   * The public origin (and optional path) under which the server is reached, without a trailing
   * slash: status list URLs, the did:web DID and the achievement ids derive from it.
   */
  publicBaseUrl: string
  /** `web` (default): `did:web` derived from `publicBaseUrl`. `key`: the current key's did:key. */
  didMethod: DidMethod
  /**
   * The bearer token that authorizes issue and status writes. `undefined` is allowed only in
   * `loadConfig` output before the token file is read; `buildServer` requires it.
   */
  writeToken: string
  /**
   * Let `POST …/credentials/issue` through without a token (W3C suite runs only). Off by
   * default; a loud warning is logged at start.
   */
  allowUnauthenticatedIssue: boolean
  /** TLS certificate and key (PEM contents), for https. */
  tls?: { cert: string; key: string }
  /** Further issuer DIDs the verify endpoints and the page trust (the server's own is always). */
  trustedIssuers: string[]
  /** Request body limit in bytes. Default 1 MiB. */
  bodyLimit: number
  /** Fastify logger: `false` for none, or a pino level. Default `info`. */
  logLevel: false | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'
  /** Where log lines go (tests). Default: standard output. */
  logStream?: { write(line: string): void }
  /**
   * Tests only: let the did:web resolver and status fetcher reach loopback over http (the
   * hardened fetcher's test switches). Never set in production.
   */
  allowLoopbackFetch?: boolean
  /**
   * A `postgres://` URL (`?schema=` optional): the registry and the server's tables live there,
   * shared by every instance. Default: SQLite files in `dataDir` (one instance).
   */
  databaseUrl?: string
  /**
   * Addresses and CIDRs of the reverse proxies / load balancers in front of the server: only
   * requests from them have `X-Forwarded-For` read for the client address. Default none: the
   * header is never trusted.
   */
  trustProxy?: readonly string[]
  /** Connection and request limits; each field defaults as {@link DEFAULT_HTTP_LIMITS}. */
  httpLimits?: Partial<HttpLimits>
  /** Per-client rate limit of the public POST routes; defaults as {@link DEFAULT_RATE_LIMIT}. */
  rateLimit?: Partial<RateLimitSettings>
  /**
   * Per-client rate limit of the public directory's name searches (`GET /certify/verify?name=…`,
   * issue 19: no enumeration); defaults as {@link DEFAULT_SEARCH_RATE_LIMIT}.
   */
  searchRateLimit?: Partial<RateLimitSettings>
  /** Caps on outstanding presentation challenges; defaults as {@link DEFAULT_CHALLENGE_CAPS}. */
  challengeCaps?: Partial<ChallengeCaps>
  /** Idempotent issuing: lease and abandon times; defaults as {@link DEFAULT_ISSUE_TIMING}. */
  issueTiming?: Partial<IssueTiming>
  /**
   * Development mode (`CERTIFY_DEV=1`): a local Institute on this machine only, announced loudly
   * and in `/certify/server-info`, so that `certify-vc trust --from` can record it. `buildServer`
   * refuses it with a public base URL, interface or database off this machine, or a trusted
   * proxy (see `development.ts`). Default off.
   */
  development?: boolean
}

/** Timeouts and caps of the HTTP server. */
export interface HttpLimits {
  /** The whole request (headers and body) must arrive within this (408 otherwise). */
  requestTimeoutMs: number
  /** The request headers must arrive within this. */
  headersTimeoutMs: number
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number
  /** A connection with no traffic at all is closed after this. */
  connectionTimeoutMs: number
  /** Open connections in all; more are refused. */
  maxConnections: number
  /** Open connections per client address (trusted proxies exempt); more are refused. */
  maxConnectionsPerClient: number
  /** Requests served on one keep-alive connection before it is closed (0: no limit). */
  maxRequestsPerSocket: number
}

/** The defaults of {@link HttpLimits}. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  // Longer than common load balancers' idle timeout (60 s), so that they close first.
  keepAliveTimeoutMs: 72_000,
  connectionTimeoutMs: 120_000,
  maxConnections: 1_000,
  maxConnectionsPerClient: 64,
  maxRequestsPerSocket: 1_000,
}

/** A token bucket per client address over the public POST routes. */
export interface RateLimitSettings {
  /** Requests a client may make per minute, sustained (0: no limit). */
  perMinute: number
  /** Requests a client may make at once before the rate applies. */
  burst: number
}

/** The defaults of {@link RateLimitSettings}. */
export const DEFAULT_RATE_LIMIT: RateLimitSettings = { perMinute: 60, burst: 20 }

/**
 * The defaults of the directory search's limit: a name search verifies every result live and is
 * the way someone would try to enumerate the directory, so it is held far tighter than a verify.
 */
export const DEFAULT_SEARCH_RATE_LIMIT: RateLimitSettings = { perMinute: 10, burst: 5 }

/** Caps on unused, unexpired presentation challenges. */
export interface ChallengeCaps {
  /** In all, over every instance. */
  maxOutstanding: number
  /** Of one network (an IPv4 /24, an IPv6 /48). */
  perNetwork: number
  /** Of one client (an IPv4 address, an IPv6 /64). */
  perClient: number
}

/** The defaults of {@link ChallengeCaps}: a network may hold 10% of the cap, a client 2%. */
export const DEFAULT_CHALLENGE_CAPS: ChallengeCaps = {
  maxOutstanding: 1_000,
  perNetwork: 100,
  perClient: 20,
}

/** Idempotent issuing times. */
export interface IssueTiming {
  /** A retry may take over a request whose attempt has not finished after this. */
  leaseSeconds: number
  /** A request nobody finished after this is abandoned and its status index voided. */
  abandonSeconds: number
}

/** The defaults of {@link IssueTiming}. */
export const DEFAULT_ISSUE_TIMING: IssueTiming = { leaseSeconds: 30, abandonSeconds: 900 }

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Base for a relative `DATA_DIR`. Default `process.cwd()`. */
  cwd?: string
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const
const MAX_MS = 3_600_000

function integer(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback
  if (!/^\d+$/.test(value) || Number(value) > max) {
    throw new TypeError(`${name} must be an integer from 0 to ${max}.`)
  }
  return Number(value)
}

function flag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false
  if (value === '1' || value === 'true') return true
  throw new TypeError(`${name} must be 1/true or 0/false.`)
}

/**
 * The configuration from environment variables. The write token comes from
 * `CERTIFY_WRITE_TOKEN`, or, when unset, from `DATA_DIR/write-token` (generated on first start,
 * mode 0600) — see `ensureWriteToken`; here it is `''` when not in the environment. TLS files are
 * read by `main.ts` (`TLS_CERT`, `TLS_KEY` are paths); here they are returned as paths.
 *
 * | variable | default |
 * | --- | --- |
 * | `PORT` | 8080 |
 * | `HOST` | 127.0.0.1 |
 * | `DATA_DIR` | `./data` |
 * | `PUBLIC_BASE_URL` | `http://localhost:<PORT>` |
 * | `CERTIFY_DID_METHOD` | `web` (or `key`) |
 * | `CERTIFY_WRITE_TOKEN` | read or generated in `DATA_DIR/write-token` |
 * | `CERTIFY_ALLOW_UNAUTHENTICATED_ISSUE` | off (`1` for W3C suite runs only) |
 * | `CERTIFY_TRUSTED_ISSUERS` | none besides the server's own DID (comma-separated DIDs) |
 * | `CERTIFY_BODY_LIMIT` | 1048576 |
 * | `LOG_LEVEL` | info (`silent` for none) |
 * | `TLS_CERT`, `TLS_KEY` | none (plain http) |
 * | `DATABASE_URL` | none: SQLite in `DATA_DIR` (a `postgres://` URL for several instances) |
 * | `TRUST_PROXY` | none (comma-separated proxy addresses / CIDRs) |
 * | `CERTIFY_REQUEST_TIMEOUT_MS`, `CERTIFY_HEADERS_TIMEOUT_MS`, `CERTIFY_KEEP_ALIVE_TIMEOUT_MS`, `CERTIFY_CONNECTION_TIMEOUT_MS` | 30000, 10000, 72000, 120000 |
 * | `CERTIFY_MAX_CONNECTIONS`, `CERTIFY_MAX_CONNECTIONS_PER_CLIENT`, `CERTIFY_MAX_REQUESTS_PER_SOCKET` | 1000, 64, 1000 |
 * | `CERTIFY_RATE_LIMIT_PER_MINUTE`, `CERTIFY_RATE_LIMIT_BURST` | 60, 20 |
 * | `CERTIFY_SEARCH_PER_MINUTE`, `CERTIFY_SEARCH_BURST` | 10, 5 |
 * | `CERTIFY_MAX_CHALLENGES`, `CERTIFY_MAX_CHALLENGES_PER_NETWORK`, `CERTIFY_MAX_CHALLENGES_PER_CLIENT` | 1000, 100, 20 |
 * | `CERTIFY_ISSUE_LEASE_SECONDS`, `CERTIFY_ISSUE_ABANDON_SECONDS` | 30, 900 |
 * | `CERTIFY_DEV` | off (`1`: development mode, loopback only; the root `pnpm start` sets it) |
 *
 * @throws {TypeError} for a malformed variable.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  options: LoadConfigOptions = {},
): Omit<ServerConfig, 'tls'> & { tlsFiles?: { cert: string; key: string } } {
  const port = integer(env.PORT, 'PORT', 8080, 65_535)
  const host = env.HOST || '127.0.0.1'
  const cwd = options.cwd ?? process.cwd()
  const dataDirRaw = env.DATA_DIR || 'data'
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw)
  const publicBaseUrl = (env.PUBLIC_BASE_URL || `http://localhost:${port}`).replace(/\/+$/, '')
  const didMethod = env.CERTIFY_DID_METHOD || 'web'
  if (didMethod !== 'web' && didMethod !== 'key') {
    throw new TypeError('CERTIFY_DID_METHOD must be "web" or "key".')
  }
  const logLevelRaw = env.LOG_LEVEL || 'info'
  let logLevel: ServerConfig['logLevel']
  if (logLevelRaw === 'silent') logLevel = false
  else if ((LOG_LEVELS as readonly string[]).includes(logLevelRaw)) {
    logLevel = logLevelRaw as ServerConfig['logLevel']
  } else throw new TypeError(`LOG_LEVEL must be silent or one of ${LOG_LEVELS.join(', ')}.`)
  const trustedIssuers = (env.CERTIFY_TRUSTED_ISSUERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  const tlsCert = env.TLS_CERT || undefined
  const tlsKey = env.TLS_KEY || undefined
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new TypeError('TLS_CERT and TLS_KEY must be set together.')
  }
  const databaseUrl = env.DATABASE_URL || undefined
  if (databaseUrl !== undefined && !/^postgres(?:ql)?:\/\//i.test(databaseUrl)) {
    throw new TypeError('DATABASE_URL must be a postgres:// or postgresql:// URL.')
  }
  const trustProxy = (env.TRUST_PROXY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  const int = (name: string, fallback: number, max: number) =>
    integer(env[name], name, fallback, max)
  const h = DEFAULT_HTTP_LIMITS
  const httpLimits: HttpLimits = {
    requestTimeoutMs: int('CERTIFY_REQUEST_TIMEOUT_MS', h.requestTimeoutMs, MAX_MS),
    headersTimeoutMs: int('CERTIFY_HEADERS_TIMEOUT_MS', h.headersTimeoutMs, MAX_MS),
    keepAliveTimeoutMs: int('CERTIFY_KEEP_ALIVE_TIMEOUT_MS', h.keepAliveTimeoutMs, MAX_MS),
    connectionTimeoutMs: int('CERTIFY_CONNECTION_TIMEOUT_MS', h.connectionTimeoutMs, MAX_MS),
    maxConnections: int('CERTIFY_MAX_CONNECTIONS', h.maxConnections, 1_000_000),
    maxConnectionsPerClient: int(
      'CERTIFY_MAX_CONNECTIONS_PER_CLIENT',
      h.maxConnectionsPerClient,
      1_000_000,
    ),
    maxRequestsPerSocket: int('CERTIFY_MAX_REQUESTS_PER_SOCKET', h.maxRequestsPerSocket, 1_000_000),
  }
  const rateLimit: RateLimitSettings = {
    perMinute: int('CERTIFY_RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMIT.perMinute, 1_000_000),
    burst: int('CERTIFY_RATE_LIMIT_BURST', DEFAULT_RATE_LIMIT.burst, 1_000_000),
  }
  const searchRateLimit: RateLimitSettings = {
    perMinute: int('CERTIFY_SEARCH_PER_MINUTE', DEFAULT_SEARCH_RATE_LIMIT.perMinute, 1_000_000),
    burst: int('CERTIFY_SEARCH_BURST', DEFAULT_SEARCH_RATE_LIMIT.burst, 1_000_000),
  }
  const c = DEFAULT_CHALLENGE_CAPS
  const challengeCaps: ChallengeCaps = {
    maxOutstanding: int('CERTIFY_MAX_CHALLENGES', c.maxOutstanding, 10_000_000),
    perNetwork: int('CERTIFY_MAX_CHALLENGES_PER_NETWORK', c.perNetwork, 10_000_000),
    perClient: int('CERTIFY_MAX_CHALLENGES_PER_CLIENT', c.perClient, 10_000_000),
  }
  const issueTiming: IssueTiming = {
    leaseSeconds: int('CERTIFY_ISSUE_LEASE_SECONDS', DEFAULT_ISSUE_TIMING.leaseSeconds, 86_400),
    abandonSeconds: int(
      'CERTIFY_ISSUE_ABANDON_SECONDS',
      DEFAULT_ISSUE_TIMING.abandonSeconds,
      30 * 86_400,
    ),
  }
  return {
    host,
    port,
    dataDir,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    trustProxy,
    httpLimits,
    rateLimit,
    searchRateLimit,
    challengeCaps,
    issueTiming,
    publicBaseUrl,
    didMethod,
    writeToken: env.CERTIFY_WRITE_TOKEN ?? '',
    allowUnauthenticatedIssue: flag(
      env.CERTIFY_ALLOW_UNAUTHENTICATED_ISSUE,
      'CERTIFY_ALLOW_UNAUTHENTICATED_ISSUE',
    ),
    trustedIssuers,
    development: flag(env.CERTIFY_DEV, 'CERTIFY_DEV'),
    bodyLimit: integer(env.CERTIFY_BODY_LIMIT, 'CERTIFY_BODY_LIMIT', 1_048_576, 64 * 1_048_576),
    logLevel,
    ...(tlsCert !== undefined && tlsKey !== undefined
      ? { tlsFiles: { cert: tlsCert, key: tlsKey } }
      : {}),
  }
}

/** Every limit with its default filled in. */
export interface ResolvedLimits {
  readonly http: HttpLimits
  readonly rateLimit: RateLimitSettings
  readonly searchRateLimit: RateLimitSettings
  readonly challenges: ChallengeCaps
  readonly issue: IssueTiming
}

/**
 * The limits of `config` with the defaults filled in, checked together.
 *
 * @throws {TypeError} for a value out of range or limits that contradict each other.
 */
export function resolveLimits(config: ServerConfig): ResolvedLimits {
  const http: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...config.httpLimits }
  const rateLimit: RateLimitSettings = { ...DEFAULT_RATE_LIMIT, ...config.rateLimit }
  const searchRateLimit: RateLimitSettings = {
    ...DEFAULT_SEARCH_RATE_LIMIT,
    ...config.searchRateLimit,
  }
  const challenges: ChallengeCaps = { ...DEFAULT_CHALLENGE_CAPS, ...config.challengeCaps }
  const issue: IssueTiming = { ...DEFAULT_ISSUE_TIMING, ...config.issueTiming }
  const positive = (value: number, name: string, min = 1) => {
    if (!Number.isSafeInteger(value) || value < min) {
      throw new TypeError(`${name} must be an integer of at least ${min}.`)
    }
  }
  positive(http.requestTimeoutMs, 'The request timeout (CERTIFY_REQUEST_TIMEOUT_MS)')
  positive(http.headersTimeoutMs, 'The headers timeout (CERTIFY_HEADERS_TIMEOUT_MS)')
  positive(http.keepAliveTimeoutMs, 'The keep-alive timeout (CERTIFY_KEEP_ALIVE_TIMEOUT_MS)')
  positive(http.connectionTimeoutMs, 'The connection timeout (CERTIFY_CONNECTION_TIMEOUT_MS)')
  positive(http.maxConnections, 'CERTIFY_MAX_CONNECTIONS')
  positive(http.maxConnectionsPerClient, 'CERTIFY_MAX_CONNECTIONS_PER_CLIENT')
  positive(http.maxRequestsPerSocket, 'CERTIFY_MAX_REQUESTS_PER_SOCKET', 0)
  if (http.headersTimeoutMs > http.requestTimeoutMs) {
    throw new TypeError('The headers timeout cannot be longer than the request timeout.')
  }
  positive(rateLimit.perMinute, 'CERTIFY_RATE_LIMIT_PER_MINUTE', 0)
  positive(rateLimit.burst, 'CERTIFY_RATE_LIMIT_BURST')
  positive(searchRateLimit.perMinute, 'CERTIFY_SEARCH_PER_MINUTE')
  positive(searchRateLimit.burst, 'CERTIFY_SEARCH_BURST')
  positive(challenges.maxOutstanding, 'CERTIFY_MAX_CHALLENGES')
  positive(challenges.perNetwork, 'CERTIFY_MAX_CHALLENGES_PER_NETWORK')
  positive(challenges.perClient, 'CERTIFY_MAX_CHALLENGES_PER_CLIENT')
  if (
    challenges.perClient > challenges.perNetwork ||
    challenges.perNetwork > challenges.maxOutstanding
  ) {
    throw new TypeError(
      'Challenge caps must nest: per client ≤ per network ≤ CERTIFY_MAX_CHALLENGES.',
    )
  }
  positive(issue.leaseSeconds, 'CERTIFY_ISSUE_LEASE_SECONDS')
  positive(issue.abandonSeconds, 'CERTIFY_ISSUE_ABANDON_SECONDS')
  if (issue.abandonSeconds <= issue.leaseSeconds) {
    throw new TypeError(
      'CERTIFY_ISSUE_ABANDON_SECONDS must be longer than CERTIFY_ISSUE_LEASE_SECONDS.',
    )
  }
  return { http, rateLimit, searchRateLimit, challenges, issue }
}
