/**
 * One entry point for both backends: a `postgres://` URL opens PostgreSQL, anything else is a
 * SQLite file path.
 *
 * @module
 */
import { checkOptionBag } from '../option-checks.js'
import {
  isPostgresUrl,
  openPostgresRegistry,
  type OpenPostgresStoreOptions,
} from './postgres-store.js'
import { openSqliteRegistry, type OpenSqliteStoreOptions } from './sqlite-store.js'
import type { CreateStatusRegistryOptions, StatusRegistry } from './status-registry.js'

/**
 * Options of {@link openRegistry}: the location and the options of the backend it selects.
 *
 * @example
 * const options: OpenRegistryOptions = { url: 'postgres://certify@db.internal/certify?schema=registry' }
 */
export type OpenRegistryOptions = CreateStatusRegistryOptions &
  OpenSqliteStoreOptions &
  OpenPostgresStoreOptions & {
    /** A `postgres://` / `postgresql://` connection URL, or a SQLite file path. */
    url: string
  }

/**
 * Opens the status registry at `url`: PostgreSQL for a `postgres://` or `postgresql://` URL
 * (see {@link openPostgresRegistry}), otherwise the SQLite file at that path (see
 * {@link openSqliteRegistry}). Options that belong to the other backend are refused.
 *
 * @example
 * const registry = await openRegistry({ url: process.env.CERTIFY_REGISTRY ?? 'certify-vc.sqlite' })
 *
 * @throws {TypeError} for a missing location or options of the other backend.
 * @throws {CertifyError} `ERR_REGISTRY_STORAGE` when the registry cannot be opened.
 */
export async function openRegistry(options: OpenRegistryOptions): Promise<StatusRegistry> {
  checkOptionBag(options, 'options', [
    'url',
    'listLength',
    'clock',
    'busyTimeoutMs',
    'schema',
    'poolSize',
    'connectTimeoutMs',
  ])
  const { url, ...rest } = options
  if (typeof url !== 'string' || url.length === 0) {
    throw new TypeError('"url" must be a postgres:// URL or a SQLite file path.')
  }
  if (isPostgresUrl(url)) {
    if (rest.busyTimeoutMs !== undefined) {
      throw new TypeError('"busyTimeoutMs" is a SQLite option.')
    }
    const { busyTimeoutMs: _unused, ...postgres } = rest
    return openPostgresRegistry(url, postgres)
  }
  for (const option of ['schema', 'poolSize', 'connectTimeoutMs'] as const) {
    if (rest[option] !== undefined) throw new TypeError(`"${option}" is a PostgreSQL option.`)
  }
  const { schema: _s, poolSize: _p, connectTimeoutMs: _c, ...sqlite } = rest
  return openSqliteRegistry(url, sqlite)
}
