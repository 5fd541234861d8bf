/**
 * The trusted-issuer list for `verify`, from the first of: `--trust` flags, the
 * `CERTIFY_VC_TRUSTED_ISSUERS` environment variable, or a config file (`CERTIFY_VC_CONFIG`, else
 * `certify-vc.config.json` in the working directory). There is no built-in trust: with none of
 * these, every credential fails the issuer-trust check.
 *
 * @module
 */
import { open } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  didKeyFromPublicKeyMultibase,
  isDid,
  isDidKey,
  isPlainObject,
  resolveDidKey,
} from '@certify-vc/context'

export { isDid }
import type { CliIo } from './io.js'
import { UsageError, describeFileError, systemErrorCode } from './usage.js'

/** The environment variable holding comma-separated trusted issuer DIDs. */
export const TRUST_ENV = 'CERTIFY_VC_TRUSTED_ISSUERS'
/** The environment variable naming a config file. */
export const CONFIG_ENV = 'CERTIFY_VC_CONFIG'
/** The config file looked for in the working directory. */
export const CONFIG_FILE = 'certify-vc.config.json'

/** The shape of `certify-vc.config.json`. */
export interface CliConfig {
  /** DIDs of the issuers whose credentials `verify` accepts. */
  trustedIssuers?: string[]
  /** The status registry file (default `./certify-vc.sqlite`). */
  registry?: string
  /** Where status list credentials are hosted (default `https://production-ai.institute/status`). */
  statusBaseUrl?: string
  /** Programs whose credentials carry a suspension entry as well (opt-in, e.g. `["CAAE"]`). */
  suspension?: string[]
  /**
   * Origins of a local Institute in development mode (`http://localhost:8080`), which `verify`
   * and the wallet reach over plain http and loopback; written by `certify-vc trust --from`.
   * Only origins on this machine are accepted (see `network.ts`).
   */
  developmentOrigins?: string[]
}

/** The trusted issuers and where they came from. */
export interface TrustList {
  readonly dids: readonly string[]
  /** For people: `--trust`, `CERTIFY_VC_TRUSTED_ISSUERS`, `config file …`, or `nothing`. */
  readonly source: string
}

const MAX_TRUST_FILE_BYTES = 1024 * 1024

function checkDid(value: unknown, where: string): string {
  if (!isDid(value)) {
    throw new UsageError(`${where}: ${JSON.stringify(value)} is not a DID (did:<method>:<id>).`)
  }
  // A did:key is its public key: one that does not decode to a supported key can never match
  // an issuer, so trusting it would silently trust no one.
  if (isDidKey(value)) {
    try {
      resolveDidKey(value)
    } catch (error) {
      const why = error instanceof Error ? error.message : 'it does not decode'
      throw new UsageError(
        `${where}: ${value} is not a usable did:key (${why}). A did:key holds the issuer's ` +
          `public key, as 'certify-vc keygen' prints it: did:key:z6Mk…`,
      )
    }
  }
  return value
}

/** Reads a small text file; a {@link UsageError} for anything that goes wrong. */
export async function readSmallFile(path: string, what: string): Promise<string> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw new UsageError(`Cannot read ${what} ${path}: ${describeFileError(error)}.`, {
      cause: error,
    })
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw new UsageError(`${what} ${path} is not a regular file.`)
    if (stat.size > MAX_TRUST_FILE_BYTES) throw new UsageError(`${what} ${path} is too large.`)
    return await handle.readFile('utf8')
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`Cannot read ${what} ${path}: ${describeFileError(error)}.`, {
      cause: error,
    })
  } finally {
    await handle.close()
  }
}

/** The DID of a key file's public part (`controller`, else `id`, else the `did:key`). */
function didOfKeyFile(file: Record<string, unknown>, where: string): string {
  const { controller, id, publicKeyMultibase } = file
  let derived: string | undefined
  if (typeof publicKeyMultibase === 'string') {
    try {
      derived = didKeyFromPublicKeyMultibase(publicKeyMultibase).did
    } catch {
      throw new UsageError(`${where}: the key file's publicKeyMultibase is not an Ed25519 key.`)
    }
  }
  const named =
    typeof controller === 'string'
      ? controller
      : typeof id === 'string'
        ? id.split('#')[0]
        : undefined
  if (
    named !== undefined &&
    named.startsWith('did:key:') &&
    derived !== undefined &&
    named !== derived
  ) {
    throw new UsageError(`${where}: the key file names a did:key of another public key.`)
  }
  return checkDid(named ?? derived, where)
}

/** DIDs from the text of a `--trust` file: JSON (array, config, key file) or one DID per line. */
function didsFromText(text: string, where: string): string[] {
  const trimmed = text.trim()
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) {
    const lines = trimmed
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
    if (lines.length === 0) throw new UsageError(`${where} holds no DID.`)
    return lines.map((line) => checkDid(line, where))
  }
  let json: unknown
  try {
    json = JSON.parse(trimmed)
  } catch {
    throw new UsageError(`${where} is not valid JSON.`)
  }
  if (Array.isArray(json)) return json.map((did) => checkDid(did, where))
  if (isPlainObject(json) && 'trustedIssuers' in json) return configDids(json, where)
  if (isPlainObject(json) && (json.type === 'Multikey' || 'publicKeyMultibase' in json)) {
    return [didOfKeyFile(json, where)]
  }
  throw new UsageError(
    `${where} is neither a DID, a JSON array of DIDs, a config file nor an issuer key file.`,
  )
}

function configDids(json: Record<string, unknown>, where: string): string[] {
  const { trustedIssuers } = json
  if (!Array.isArray(trustedIssuers)) {
    throw new UsageError(`${where}: "trustedIssuers" must be an array of DIDs.`)
  }
  return trustedIssuers.map((did) => checkDid(did, where))
}

/**
 * Resolves one `--trust` value: a DID, or a file (relative to `cwd`) holding a DID (one per line),
 * a JSON array of DIDs, a `{ "trustedIssuers": [...] }` config, or an issuer key file (its DID is
 * taken from the public part; the secret is not used).
 *
 * @throws {UsageError} for anything else, or an unreadable file.
 */
export async function resolveTrustValue(value: string, cwd: string): Promise<string[]> {
  if (value.startsWith('did:')) return [checkDid(value, '--trust')]
  const path = resolve(cwd, value)
  try {
    const text = await readSmallFile(path, 'trust file')
    return didsFromText(text, `--trust ${value}`)
  } catch (error) {
    if (error instanceof UsageError && systemErrorCode(error.cause) === 'ENOENT') {
      throw new UsageError(`--trust ${value}: not a DID, and no such file.`)
    }
    throw error
  }
}

/** The config file and its JSON object, or `undefined` when none is named and none is here. */
export async function loadConfigFile(
  io: Pick<CliIo, 'env' | 'cwd'>,
): Promise<{ path: string; json: Record<string, unknown> } | undefined> {
  const named = io.env[CONFIG_ENV]
  const explicit = named !== undefined && named.trim() !== ''
  const path = resolve(io.cwd, explicit ? named : CONFIG_FILE)
  let text: string
  try {
    text = await readSmallFile(path, 'config file')
  } catch (error) {
    if (!explicit && error instanceof UsageError && systemErrorCode(error.cause) === 'ENOENT') {
      return undefined
    }
    throw error
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new UsageError(`Config file ${path} is not valid JSON.`)
  }
  if (!isPlainObject(json)) throw new UsageError(`Config file ${path} must hold a JSON object.`)
  return { path, json }
}

async function fromConfig(io: Pick<CliIo, 'env' | 'cwd'>): Promise<TrustList | undefined> {
  const config = await loadConfigFile(io)
  if (config === undefined || !('trustedIssuers' in config.json)) return undefined
  return {
    dids: configDids(config.json, `Config file ${config.path}`),
    source: `config file ${config.path}`,
  }
}

/**
 * The trusted issuers for `verify`: from `flags` (the `--trust` values) when there are any, else
 * `CERTIFY_VC_TRUSTED_ISSUERS`, else the config file; else an empty list (`source: 'nothing'`).
 *
 * @throws {UsageError} for a value that is not a DID, or a config or trust file that is missing
 *   (when named explicitly), unreadable or malformed.
 */
export async function loadTrust(
  flags: readonly string[],
  io: Pick<CliIo, 'env' | 'cwd'>,
): Promise<TrustList> {
  if (flags.length > 0) {
    const dids: string[] = []
    for (const value of flags) dids.push(...(await resolveTrustValue(value, io.cwd)))
    return { dids: [...new Set(dids)], source: '--trust' }
  }
  const fromEnv = io.env[TRUST_ENV]
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const dids = fromEnv
      .split(',')
      .map((did) => did.trim())
      .filter((did) => did !== '')
      .map((did) => checkDid(did, TRUST_ENV))
    return { dids: [...new Set(dids)], source: TRUST_ENV }
  }
  return (await fromConfig(io)) ?? { dids: [], source: 'nothing' }
}

/**
 * The trust list in a few words, for the heading of a verification: `1 trusted issuer from
 * --trust`, or, when it is empty, that none was given and where one would come from.
 */
export function describeTrust(trust: TrustList): string {
  const n = trust.dids.length
  if (n > 0) return `${n} trusted issuer${n === 1 ? '' : 's'} from ${trust.source}`
  return trust.source === 'nothing'
    ? `no trusted issuer given: no --trust, ${TRUST_ENV} or ${CONFIG_FILE}`
    : `no trusted issuer: ${trust.source} lists none`
}

/** How to configure trust, for the output of a verification that has none. */
export const TRUST_HELP = [
  `No trusted issuers are configured, so no credential can verify. Trust an issuer with one of:`,
  `  --trust <did | file>                      (a DID, a file of DIDs, or an issuer key file; repeatable)`,
  `  ${TRUST_ENV}=did:…,did:…`,
  `  ${CONFIG_FILE} in this directory   { "trustedIssuers": ["did:…"] }`,
  `  ${CONFIG_ENV}=<path to such a file>`,
  `  certify-vc trust --from http://localhost:8080   (the local Institute of pnpm start)`,
].join('\n')
