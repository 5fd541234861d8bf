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
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Base for a relative `DATA_DIR`. Default `process.cwd()`. */
  cwd?: string
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const

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
  return {
    host,
    port,
    dataDir,
    publicBaseUrl,
    didMethod,
    writeToken: env.CERTIFY_WRITE_TOKEN ?? '',
    allowUnauthenticatedIssue: flag(
      env.CERTIFY_ALLOW_UNAUTHENTICATED_ISSUE,
      'CERTIFY_ALLOW_UNAUTHENTICATED_ISSUE',
    ),
    trustedIssuers,
    bodyLimit: integer(env.CERTIFY_BODY_LIMIT, 'CERTIFY_BODY_LIMIT', 1_048_576, 64 * 1_048_576),
    logLevel,
    ...(tlsCert !== undefined && tlsKey !== undefined
      ? { tlsFiles: { cert: tlsCert, key: tlsKey } }
      : {}),
  }
}
