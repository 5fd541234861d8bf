/**
 * The server storage suite on PostgreSQL (CERTIFY_TEST_PG_URL from scripts/test-services.sh),
 * plus what is specific to it: tables beside the registry's in one schema, migrations run once
 * when several instances start together.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { openRegistry } from '@certify-vc/issuer'
import { openPostgresStorage, parseDatabaseUrl } from '../../src/storage/postgres-storage.js'
import { openStorage } from '../../src/storage/open-storage.js'
import { describeServerStorage } from './storage-suite.js'
import { PG_SKIP_REASON, dropSchema, newDatabaseUrl, withClient } from './postgres-helpers.js'

describe.skipIf(PG_SKIP_REASON !== undefined)('PostgreSQL server storage', () => {
  describeServerStorage({
    name: 'PostgreSQL',
    newLocation() {
      const { url, schema } = newDatabaseUrl('storage')
      return Promise.resolve({ location: url, cleanup: () => dropSchema(schema) })
    },
    open: (location) => openPostgresStorage(location, { poolSize: 4 }),
  })

  describe('schema', () => {
    const cleanups: (() => Promise<void>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    it('shares the registry schema, versions itself apart, migrates once under concurrent opens', async () => {
      const { url, schema } = newDatabaseUrl('schema')
      cleanups.push(() => dropSchema(schema))
      const opened = await Promise.all(Array.from({ length: 4 }, () => openStorage('/unused', url)))
      for (const { registry, storage } of opened) {
        expect(storage.backend).toBe('postgres')
        expect(registry.backend).toBe('postgres')
        await storage.close()
        await registry.close()
      }
      await withClient(schema, async (client) => {
        const server = await client.query('SELECT version FROM server_schema_migrations')
        expect(server.rows.map((r: { version: number }) => r.version)).toEqual([1, 2, 3, 4, 5])
        const registry = await client.query('SELECT MAX(version) AS v FROM schema_migrations')
        expect((registry.rows[0] as { v: number }).v).toBe(4)
      })
      // The CLI given the same URL opens the same registry.
      const cli = await openRegistry({ url })
      expect(await cli.readStatusLists()).toEqual([])
      await cli.close()
    })

    it('refuses a URL that is not postgres:// or a bad schema; hides the password on failure', async () => {
      expect(() => parseDatabaseUrl('mysql://x/y')).toThrow(TypeError)
      expect(() => parseDatabaseUrl('postgres://x/y?schema=Bad-Name')).toThrow(TypeError)
      expect(parseDatabaseUrl('postgres://u@h/db?schema=s1&sslmode=disable')).toEqual({
        connectionString: 'postgres://u@h/db?sslmode=disable',
        schema: 's1',
      })
      const bad = new URL(newDatabaseUrl('x').url)
      bad.port = '1'
      bad.password = 'hunter2-secret'
      const error: unknown = await openPostgresStorage(bad.href, { connectTimeoutMs: 2000 }).catch(
        (e: unknown) => e,
      )
      expect((error as { statusCode?: number }).statusCode).toBe(503)
      expect(String((error as Error).message)).not.toContain('hunter2-secret')
    })
  })
})
