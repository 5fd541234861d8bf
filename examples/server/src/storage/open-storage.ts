/**
 * Opens the server's storage and the status registry on one backend: PostgreSQL when a
 * `postgres://` URL is configured (`DATABASE_URL`; for several instances), otherwise SQLite
 * files in the data folder (`registry.sqlite`, `server.sqlite`).
 *
 * @module
 */
import { join } from 'node:path'
import { isPostgresUrl, openRegistry, type StatusRegistry } from '@certify-vc/issuer'
import { openPostgresStorage } from './postgres-storage.js'
import { openSqliteStorage } from './sqlite-storage.js'
import type { ServerStorage } from './types.js'

/** The registry and the server's storage, opened together. */
export interface OpenedStorage {
  readonly registry: StatusRegistry
  readonly storage: ServerStorage
}

/**
 * Opens both. With `databaseUrl` (a `postgres://` URL, `?schema=` optional) the registry and the
 * server's tables share that database and schema; the CLI given the same URL as `--registry`
 * works on the same registry. Otherwise SQLite files in `dataDir`.
 *
 * @throws {TypeError} for a `databaseUrl` that is not a postgres:// URL.
 */
export async function openStorage(dataDir: string, databaseUrl?: string): Promise<OpenedStorage> {
  if (databaseUrl !== undefined && !isPostgresUrl(databaseUrl)) {
    throw new TypeError('DATABASE_URL must be a postgres:// or postgresql:// URL.')
  }
  const registry = await openRegistry({ url: databaseUrl ?? join(dataDir, 'registry.sqlite') })
  try {
    const storage =
      databaseUrl === undefined
        ? openSqliteStorage(join(dataDir, 'server.sqlite'))
        : await openPostgresStorage(databaseUrl)
    return { registry, storage }
  } catch (error) {
    await registry.close().catch(() => undefined)
    throw error
  }
}
