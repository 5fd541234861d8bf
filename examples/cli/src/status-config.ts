/**
 * Where the status registry lives and where status lists are published, from flags, else the
 * config file, else defaults.
 *
 * @module
 */
import { resolve } from 'node:path'
import { INSTITUTE_BASE_URL, isProgramCode, type ProgramCode } from '@certify-vc/context'
import { isPostgresUrl, openRegistry, type StatusRegistry } from '@certify-vc/issuer'
import type { CliIo } from './io.js'
import { loadConfigFile } from './trust.js'
import { UsageError } from './usage.js'

/** The default registry file, relative to the working directory. */
export const DEFAULT_REGISTRY = 'certify-vc.sqlite'
/** The default status list base URL. */
export const DEFAULT_STATUS_BASE_URL = `${INSTITUTE_BASE_URL}/status`

/** Resolved status settings. */
export interface StatusSettings {
  /** Absolute path of the SQLite registry, or a `postgres://` URL. */
  readonly registryPath: string
  readonly baseUrl: string
  /** Programs whose credentials also get a suspension entry. */
  readonly suspension: readonly ProgramCode[]
}

/** Status settings from `--registry` / `--base-url`, the config file, and the defaults. */
export async function loadStatusSettings(
  flags: { registry?: string | undefined; baseUrl?: string | undefined },
  io: Pick<CliIo, 'env' | 'cwd'>,
): Promise<StatusSettings> {
  const config = await loadConfigFile(io)
  const json = config?.json ?? {}
  const where = config === undefined ? '' : `Config file ${config.path}: `
  const pick = (key: string): string | undefined => {
    const value = json[key]
    if (value === undefined) return undefined
    if (typeof value !== 'string' || value.trim() === '') {
      throw new UsageError(`${where}"${key}" must be a non-empty string.`)
    }
    return value
  }
  const registry = flags.registry ?? pick('registry') ?? DEFAULT_REGISTRY
  const baseUrl = (flags.baseUrl ?? pick('statusBaseUrl') ?? DEFAULT_STATUS_BASE_URL).replace(
    /\/+$/,
    '',
  )
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw new UsageError(`The status base URL ${JSON.stringify(baseUrl)} is not a URL.`)
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new UsageError(`The status base URL must be https (http only on loopback): ${baseUrl}`)
  }
  const suspensionRaw = json.suspension ?? []
  if (!Array.isArray(suspensionRaw) || !suspensionRaw.every(isProgramCode)) {
    throw new UsageError(
      `${where}"suspension" must be an array of program codes (AIDA, CAAE, AIMA).`,
    )
  }
  // Registry paths in a config file are relative to that file's folder.
  const base =
    flags.registry === undefined && config !== undefined && json.registry !== undefined
      ? resolve(config.path, '..')
      : io.cwd
  const registryPath = isPostgresUrl(registry) ? registry : resolve(base, registry)
  return { registryPath, baseUrl, suspension: suspensionRaw }
}

/** Opens the registry, runs `work`, and always closes it. */
export async function withRegistry<T>(
  settings: StatusSettings,
  work: (registry: StatusRegistry) => Promise<T>,
): Promise<T> {
  // A postgres:// URL selects PostgreSQL; anything else is the SQLite file.
  const registry = await openRegistry({ url: settings.registryPath })
  try {
    return await work(registry)
  } finally {
    await registry.close()
  }
}
