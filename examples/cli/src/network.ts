/**
 * What `verify` and the wallet commands may fetch: `did:web` documents and status lists through
 * the verifier's hardened fetcher (https only, public addresses only, DNS pinned, no redirects to
 * other origins, timeouts, size caps; docs/attacks.md E1, E2), and, for a local Institute in
 * development mode only, plain http and loopback for exactly the origins listed under
 * `"developmentOrigins"` in the config file (which `certify-vc trust --from` writes). Without that
 * list, http and loopback are refused as always.
 *
 * @module
 */
import {
  createHardenedDidResolver,
  createHardenedStatusListSource,
  parseDevelopmentOrigins,
  type DidResolver,
  type StatusListSource,
} from '@certify-vc/verifier'
import type { CliIo } from './io.js'
import { loadConfigFile } from './trust.js'
import { UsageError } from './usage.js'

/** The config key listing the development origins. */
export const DEVELOPMENT_ORIGINS_KEY = 'developmentOrigins'

/** The resolver and status source of a command, and the development origins behind them. */
export interface CliNetwork {
  /** Origins allowed over plain http and loopback (empty: none). */
  readonly developmentOrigins: readonly string[]
  /** The config file they come from, when there are any. */
  readonly source?: string
  /** `did:key` locally, `did:web` through the hardened fetcher. */
  readonly didResolver: DidResolver
  /** Status lists through the hardened fetcher, with the development origins. */
  readonly statusSource: StatusListSource
}

/**
 * The development origins of the config file (`CERTIFY_VC_CONFIG`, else `./certify-vc.config.json`),
 * or none.
 *
 * @throws {UsageError} for a malformed list or an origin that is not on this machine.
 */
export async function loadDevelopmentOrigins(
  io: Pick<CliIo, 'env' | 'cwd'>,
): Promise<{ origins: string[]; source?: string }> {
  const config = await loadConfigFile(io)
  const value = config?.json[DEVELOPMENT_ORIGINS_KEY]
  if (config === undefined || value === undefined) return { origins: [] }
  try {
    return { origins: parseDevelopmentOrigins(value), source: config.path }
  } catch (error) {
    throw new UsageError(
      `Config file ${config.path}: "${DEVELOPMENT_ORIGINS_KEY}": ${(error as Error).message}`,
    )
  }
}

/** The network of a command, from the config file's development origins. */
export async function loadNetwork(io: Pick<CliIo, 'env' | 'cwd'>): Promise<CliNetwork> {
  const { origins, source } = await loadDevelopmentOrigins(io)
  return {
    developmentOrigins: origins,
    ...(source === undefined ? {} : { source }),
    didResolver: createHardenedDidResolver({ developmentOrigins: origins }),
    statusSource: createHardenedStatusListSource({ developmentOrigins: origins }),
  }
}

/** The one-line notice printed (on stderr) while development origins are in effect. */
export function developmentNotice(network: CliNetwork): string {
  if (network.developmentOrigins.length === 0) return ''
  return (
    `Development mode: plain http and loopback allowed for exactly ` +
    `${network.developmentOrigins.join(', ')} (from ${network.source ?? 'the config file'}).\n`
  )
}

/**
 * A hint for a credential whose issuer is a `did:web` on this machine that could not be resolved
 * (`ERR_KEY_UNRESOLVABLE`) because its origin is not a recorded development origin: how to trust
 * the local Institute. Empty otherwise.
 */
export function localInstituteHint(
  issuer: string | undefined,
  codes: readonly string[],
  network: CliNetwork,
): string {
  if (issuer === undefined || !codes.includes('ERR_KEY_UNRESOLVABLE')) return ''
  const match = /^did:web:localhost(?:%3[aA](\d{1,5}))?(?::|$)/.exec(issuer)
  if (match === null) return ''
  const origin = `http://localhost${match[1] === undefined ? '' : `:${match[1]}`}`
  if (network.developmentOrigins.includes(origin)) return ''
  return (
    `The issuer ${issuer} is on this machine, and http and loopback are refused unless its origin\n` +
    `is recorded. If it is your local Institute in development mode (pnpm start), run:\n` +
    `  certify-vc trust --from ${origin}\n`
  )
}
