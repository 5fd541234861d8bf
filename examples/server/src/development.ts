/**
 * Development mode (`CERTIFY_DEV=1`, which the repository's `pnpm start` sets): a local Institute
 * for this machine only, that the verification page, the CLI and the wallet trust out of the box.
 *
 * What it allows is on the verifying side, and only for this server's exact origin: the server
 * announces it (`development: true` in `/certify/server-info`), `certify-vc trust --from <origin>`
 * records the server's DID and that origin in `certify-vc.config.json`, and the CLI and wallet
 * then fetch its did:web document and status lists over plain http and loopback, for exactly that
 * origin (the verifier's `developmentOrigins`; docs/attacks.md E1). Nothing about signing,
 * tokens, rate limits or verification is relaxed on the server.
 *
 * What it refuses, so that it cannot be switched on in production by accident: a public base URL,
 * a listening interface or a database that is not on this machine, and a trusted proxy (a load
 * balancer in front means a deployment). Without it, nothing here applies: the CLI and wallet
 * refuse http and loopback as always.
 *
 * @module
 */
import { parseDevelopmentOrigin } from '@certify-vc/verifier'
import type { ServerConfig } from './config.js'

/** The environment variable that turns development mode on (`1` or `true`). */
export const DEVELOPMENT_ENV = 'CERTIFY_DEV'

/** Interfaces a development server may listen on: loopback only. */
const LOOPBACK_INTERFACES = new Set(['127.0.0.1', '::1', '[::1]', 'localhost'])

/** Database hosts a development server may use: this machine (or a Unix socket). */
const LOCAL_DATABASE_HOSTS = new Set(['', 'localhost', '127.0.0.1', '[::1]'])

/**
 * Checks that `config` describes a server on this machine only, and returns its origin (the
 * origin the CLI and the wallet will allow over http).
 *
 * @throws {TypeError} naming the setting that is not local, and how to run in production.
 */
export function checkDevelopmentConfig(
  config: Pick<ServerConfig, 'publicBaseUrl' | 'host' | 'trustProxy' | 'databaseUrl'>,
): string {
  const production = 'For a deployment, start the server without CERTIFY_DEV.'
  let origin: string
  try {
    origin = parseDevelopmentOrigin(new URL(config.publicBaseUrl).origin)
  } catch {
    throw new TypeError(
      `${DEVELOPMENT_ENV}=1 refuses PUBLIC_BASE_URL ${config.publicBaseUrl}: development mode is for an origin on this machine only (http://localhost:<port>, 127.0.0.1 or [::1]). ${production}`,
    )
  }
  if (!LOOPBACK_INTERFACES.has(config.host)) {
    throw new TypeError(
      `${DEVELOPMENT_ENV}=1 refuses HOST ${config.host}: a development server listens on loopback only (127.0.0.1 or ::1). ${production}`,
    )
  }
  if ((config.trustProxy ?? []).length > 0) {
    throw new TypeError(
      `${DEVELOPMENT_ENV}=1 refuses TRUST_PROXY: a load balancer in front means a deployment. ${production}`,
    )
  }
  if (config.databaseUrl !== undefined) {
    let url: URL
    try {
      url = new URL(config.databaseUrl)
    } catch {
      throw new TypeError(
        `${DEVELOPMENT_ENV}=1 cannot read DATABASE_URL as a URL, so cannot tell that it is on this machine. ${production}`,
      )
    }
    const socketHost = url.searchParams.get('host')
    const local =
      LOCAL_DATABASE_HOSTS.has(url.hostname) &&
      (socketHost === null || socketHost.startsWith('/') || LOCAL_DATABASE_HOSTS.has(socketHost))
    if (!local) {
      throw new TypeError(
        `${DEVELOPMENT_ENV}=1 refuses a DATABASE_URL that is not on this machine (host ${url.hostname || socketHost}). ${production}`,
      )
    }
  }
  return origin
}

/** What the start-up banner of development mode shows. */
export interface DevelopmentBannerInfo {
  readonly origin: string
  readonly publicBaseUrl: string
  readonly did: string
  /** The write token file, or `undefined` when the token comes from CERTIFY_WRITE_TOKEN. */
  readonly tokenFile: string | undefined
}

/**
 * The loud start-up banner of development mode: the page URL, the DID, where the write token is
 * (never the token), the one command that makes the CLI and wallet trust this server, and what
 * development mode allows and refuses.
 */
export function developmentBanner(info: DevelopmentBannerInfo): string {
  const rule = '='.repeat(78)
  const token =
    info.tokenFile === undefined
      ? 'from CERTIFY_WRITE_TOKEN'
      : `${info.tokenFile}   (TOKEN=$(cat ${info.tokenFile}))`
  return [
    rule,
    ` DEVELOPMENT MODE (${DEVELOPMENT_ENV}=1): a local Institute for this machine only`,
    rule,
    ` Verification page  ${info.publicBaseUrl}/certify/verify`,
    ` Issuer DID         ${info.did}`,
    ` Write token        ${token}`,
    ` Trust it (CLI and wallet, once per folder):`,
    `   node examples/cli/dist/main.js trust --from ${info.origin}`,
    ` Allowed: the CLI and wallet fetch this server's did.json and status lists over plain`,
    `   http and loopback for exactly ${info.origin}, once trusted as above; any other`,
    `   origin stays https-only and public-only.`,
    ` Refused in this mode: a PUBLIC_BASE_URL, HOST or DATABASE_URL off this machine, and`,
    `   TRUST_PROXY. For a deployment, start certify-vc-server without ${DEVELOPMENT_ENV}.`,
    rule,
    '',
  ].join('\n')
}
