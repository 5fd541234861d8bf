/**
 * The wallet's local store: one folder (mode 0700) holding `wallet.json` (the holder DID and the
 * trusted issuers), `holder-key.json` (the learner's Ed25519 key, mode 0600) and one JSON file per
 * credential under `credentials/`.
 *
 * Why a folder and not SQLite: a learner's wallet holds a handful of signed documents that must
 * stay exactly as issued, be easy to back up, inspect and copy, and are written by one person at
 * a time. Plain files need no native module, and every write is atomic (write a temporary file,
 * then rename). The issuer's registry, with concurrent allocation and transactions, is where
 * SQLite earns its place.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { chmod, mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { CertifyError, isDid, isPlainObject, type JsonObject } from '@certify-vc/context'

/** The wallet configuration file, `wallet.json`. */
export interface WalletConfig {
  readonly type: 'CertifyVcWallet'
  readonly version: 1
  /** The learner's DID (`did:key:z6Mk…`): credentials must be issued to it. */
  readonly holder: string
  /** The issuers whose credentials the wallet accepts (exact DIDs). */
  readonly trustedIssuers: readonly string[]
  /** When the wallet was created (XSD dateTimeStamp). */
  readonly created: string
}

/** One stored credential: the credential exactly as imported, and when. */
export interface StoredCredential {
  /** The wallet's short reference: the first 12 hex digits of SHA-256 of the credential id. */
  readonly localId: string
  /** When it was imported (XSD dateTimeStamp). */
  readonly importedAt: string
  readonly credential: JsonObject
}

export const CONFIG_FILE = 'wallet.json'
export const KEY_FILE = 'holder-key.json'
export const CREDENTIALS_DIR = 'credentials'
const MAX_FILE_BYTES = 1024 * 1024

function corrupt(message: string, cause?: unknown): CertifyError {
  return new CertifyError('ERR_WALLET_CORRUPT', message, cause === undefined ? {} : { cause })
}

/** The short local reference of a credential id. */
export function localIdOf(credentialId: string): string {
  return createHash('sha256').update(credentialId, 'utf8').digest('hex').slice(0, 12)
}

/** Writes `text` to `path` atomically (temporary file in the same folder, fsync, rename). */
export async function writeFileAtomic(path: string, text: string, mode = 0o600): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`
  const handle = await open(temporary, 'wx', mode)
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

async function readJsonFile(path: string): Promise<unknown> {
  const info = await stat(path)
  if (!info.isFile()) throw corrupt(`${path} is not a regular file.`)
  if (info.size > MAX_FILE_BYTES) throw corrupt(`${path} is larger than 1 MiB.`)
  const text = await readFile(path, 'utf8')
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw corrupt(`${path} is not valid JSON.`, error)
  }
}

function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT'
}

/** Parses and checks a `wallet.json`. */
export function parseConfig(json: unknown, where: string): WalletConfig {
  if (!isPlainObject(json) || json.type !== 'CertifyVcWallet' || json.version !== 1) {
    throw corrupt(`${where} is not a certify-vc wallet configuration (version 1).`)
  }
  const { holder, trustedIssuers, created } = json
  if (typeof holder !== 'string' || !isDid(holder))
    throw corrupt(`${where}: "holder" is not a DID.`)
  if (!Array.isArray(trustedIssuers) || !trustedIssuers.every((d) => isDid(d))) {
    throw corrupt(`${where}: "trustedIssuers" must be an array of DIDs.`)
  }
  if (typeof created !== 'string') throw corrupt(`${where}: "created" must be a date-time.`)
  return { type: 'CertifyVcWallet', version: 1, holder, trustedIssuers, created }
}

/** The folder store of one wallet. */
export class FolderStore {
  readonly dir: string

  constructor(dir: string) {
    this.dir = dir
  }

  get configPath(): string {
    return join(this.dir, CONFIG_FILE)
  }

  get keyPath(): string {
    return join(this.dir, KEY_FILE)
  }

  get credentialsDir(): string {
    return join(this.dir, CREDENTIALS_DIR)
  }

  /** Creates the folders (0700); `ERR_WALLET_EXISTS` when a wallet is already here. */
  async create(config: WalletConfig): Promise<void> {
    await mkdir(this.credentialsDir, { recursive: true, mode: 0o700 })
    await chmod(this.dir, 0o700)
    try {
      const handle = await open(this.configPath, 'wx', 0o600)
      try {
        await handle.writeFile(`${JSON.stringify(config, null, 2)}\n`, 'utf8')
        await handle.sync()
      } finally {
        await handle.close()
      }
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EEXIST') {
        throw new CertifyError('ERR_WALLET_EXISTS', `${this.dir} already holds a wallet.`)
      }
      throw error
    }
  }

  /** Reads `wallet.json`; `ERR_WALLET_NOT_FOUND` when there is none. */
  async readConfig(): Promise<WalletConfig> {
    let json: unknown
    try {
      json = await readJsonFile(this.configPath)
    } catch (error) {
      if (isNotFound(error)) {
        throw new CertifyError('ERR_WALLET_NOT_FOUND', `No wallet in ${this.dir}.`)
      }
      throw error
    }
    return parseConfig(json, this.configPath)
  }

  async writeConfig(config: WalletConfig): Promise<void> {
    await writeFileAtomic(this.configPath, `${JSON.stringify(config, null, 2)}\n`)
  }

  /** Stores a credential (replacing one with the same id). */
  async put(entry: StoredCredential): Promise<void> {
    const path = join(this.credentialsDir, `${entry.localId}.json`)
    const { localId: _localId, ...body } = entry
    await writeFileAtomic(path, `${JSON.stringify(body, null, 2)}\n`)
  }

  /** The stored credential with this local id, or `undefined`. */
  async get(localId: string): Promise<StoredCredential | undefined> {
    if (!/^[0-9a-f]{12}$/.test(localId)) return undefined
    const path = join(this.credentialsDir, `${localId}.json`)
    let json: unknown
    try {
      json = await readJsonFile(path)
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
    if (
      !isPlainObject(json) ||
      typeof json.importedAt !== 'string' ||
      !isPlainObject(json.credential) ||
      typeof json.credential.id !== 'string' ||
      localIdOf(json.credential.id) !== localId
    ) {
      throw corrupt(`${path} is not a stored credential of this wallet.`)
    }
    return { localId, importedAt: json.importedAt, credential: json.credential as JsonObject }
  }

  /** Every stored credential, oldest import first. */
  async all(): Promise<StoredCredential[]> {
    const names = (await readdir(this.credentialsDir)).filter((n) => /^[0-9a-f]{12}\.json$/.test(n))
    const entries: StoredCredential[] = []
    for (const name of names) {
      const entry = await this.get(name.slice(0, 12))
      if (entry !== undefined) entries.push(entry)
    }
    return entries.sort(
      (a, b) => a.importedAt.localeCompare(b.importedAt) || a.localId.localeCompare(b.localId),
    )
  }
}
