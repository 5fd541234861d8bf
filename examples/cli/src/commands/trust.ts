/**
 * `certify-vc trust --from <origin>`: trust the local Institute, a certify-vc server started in
 * development mode on this machine (`pnpm start`). It reads the server's
 * `/certify/server-info`, checks that the server says it is in development mode at exactly that
 * origin, resolves its DID there, and records in the config file (`CERTIFY_VC_CONFIG`, else
 * `./certify-vc.config.json`) the DID under `"trustedIssuers"` and the origin under
 * `"developmentOrigins"`: from then on `verify` and the wallet commands run in that folder trust
 * the server and fetch its did.json and status lists over plain http, for that origin only.
 *
 * A production Institute is trusted by its DID (`--trust did:web:…`), never this way: only
 * origins on this machine are accepted (docs/attacks.md E1).
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { isDid, isPlainObject } from '@certify-vc/context'
import {
  createHardenedDidResolver,
  createHardenedStatusListSource,
  didWebDocumentUrl,
  parseDevelopmentOrigin,
} from '@certify-vc/verifier'
import { sanitize } from '../format.js'
import { EXIT, type CliIo } from '../io.js'
import { DEVELOPMENT_ORIGINS_KEY } from '../network.js'
import { CONFIG_ENV, CONFIG_FILE, loadConfigFile } from '../trust.js'
import { UsageError, parseCommandArgs, reportError, required } from '../usage.js'

/** `certify-vc trust --help`. */
export const TRUST_COMMAND_HELP = `Usage: certify-vc trust --from <origin>

Trust the local Institute: a certify-vc server started in development mode on this machine
(pnpm start, which sets CERTIFY_DEV=1), e.g. --from http://localhost:8080. The server's DID is
read from <origin>/certify/server-info and its DID document resolved there; then the config file
(${CONFIG_ENV}, else ./${CONFIG_FILE}) gets the DID under "trustedIssuers" and the origin
under "developmentOrigins", keeping everything else in it.

From then on, verify and the wallet commands run with that config trust the server and fetch its
did.json and status lists over plain http and loopback, for exactly that origin; every other
origin stays https only and public addresses only.

Only origins on this machine are accepted (localhost, 127.0.0.1, [::1]), and only a server that
says it is in development mode. Trust a production Institute by its DID: --trust did:web:…

Options:
      --from <origin>  The local server's origin (scheme, host, port), e.g. http://localhost:8080.
  -h, --help           Show this help.

Exit status: 0 recorded, 1 the server cannot be reached or is not in development mode, 2 usage
error.
`

const SERVER_INFO_PATH = '/certify/server-info'

/** Writes `text` to `path` atomically: a temporary file beside it, fsync, rename. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}`)
  const handle = await open(temporary, 'wx', 0o644)
  try {
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}

/** The server's DID, after checking what it says about itself. @throws {Error} */
async function localInstituteDid(origin: string): Promise<string> {
  const source = createHardenedStatusListSource({ developmentOrigins: [origin], timeoutMs: 5000 })
  const url = `${origin}${SERVER_INFO_PATH}`
  let info: unknown
  try {
    info = await source.get(url, {})
  } catch (error) {
    throw new Error(
      `Cannot read ${url}: ${(error as Error).message} Is the local Institute running (pnpm start)?`,
    )
  }
  if (!isPlainObject(info) || !isDid(info.did)) {
    throw new Error(`${url} is not a certify-vc server's information (no DID).`)
  }
  if (info.development !== true) {
    throw new Error(
      `The server at ${origin} is not in development mode (CERTIFY_DEV=1), so it is not trusted ` +
        `this way. Trust a production Institute by its DID: --trust ${info.did}`,
    )
  }
  const base =
    typeof info.publicBaseUrl === 'string' && URL.canParse(info.publicBaseUrl)
      ? new URL(info.publicBaseUrl)
      : undefined
  if (base?.origin !== origin) {
    throw new Error(
      `The server at ${origin} says its public base URL is ${String(info.publicBaseUrl)}: ` +
        `run trust --from with that origin.`,
    )
  }
  const did = info.did
  if (did.startsWith('did:web:')) {
    const target = didWebDocumentUrl(did)
    const documentOrigin = 'url' in target ? new URL(target.url).host : undefined
    if (documentOrigin !== new URL(origin).host) {
      throw new Error(`The server's DID ${did} is not served at ${origin}.`)
    }
  } else if (!did.startsWith('did:key:')) {
    throw new Error(`The server's DID ${did} is neither did:web nor did:key.`)
  }
  const resolved = await createHardenedDidResolver({
    developmentOrigins: [origin],
    cacheTtlMs: 0,
  }).resolve(did)
  if (resolved.didDocument === null || resolved.didDocument === undefined) {
    const why = resolved.didResolutionMetadata.message ?? resolved.didResolutionMetadata.error
    throw new Error(`Cannot resolve ${did} at ${origin}: ${String(why)}`)
  }
  return did
}

/** Runs `certify-vc trust`; returns the exit code. */
export async function trust(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values } = parseCommandArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        from: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help === true) {
      io.stdout.write(TRUST_COMMAND_HELP)
      return EXIT.ok
    }
    let origin: string
    try {
      origin = parseDevelopmentOrigin(required(values.from, '--from'))
    } catch (error) {
      if (error instanceof UsageError) throw error
      throw new UsageError(`--from: ${(error as Error).message}`)
    }
    // Read (and check) the config before asking the server anything.
    const existing = await loadConfigFile(io)
    const named = io.env[CONFIG_ENV]
    const path =
      existing?.path ??
      resolve(io.cwd, named !== undefined && named.trim() !== '' ? named : CONFIG_FILE)
    const json: Record<string, unknown> = { ...(existing?.json ?? {}) }
    const list = (key: string): string[] => {
      const value = json[key]
      if (value === undefined) return []
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        throw new UsageError(`Config file ${path}: "${key}" must be an array of strings.`)
      }
      return value
    }
    const trusted = list('trustedIssuers')
    const origins = list(DEVELOPMENT_ORIGINS_KEY)
    const did = await localInstituteDid(origin)
    json.trustedIssuers = [...new Set([...trusted, did])]
    json[DEVELOPMENT_ORIGINS_KEY] = [...new Set([...origins, origin])]
    await writeAtomically(path, `${JSON.stringify(json, null, 2)}\n`)
    io.stdout.write(
      `Trusting the local Institute ${sanitize(did)} (development mode at ${origin}).\n` +
        `Recorded in ${path}: "trustedIssuers" and "developmentOrigins".\n` +
        `verify and the wallet commands using this config now fetch its did.json and status lists\n` +
        `over plain http for exactly ${origin}; every other origin stays https only.\n`,
    )
    return EXIT.ok
  } catch (error) {
    return reportError('trust', error, io)
  }
}
