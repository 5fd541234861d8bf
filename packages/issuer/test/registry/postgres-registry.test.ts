/**
 * The shared registry suite on PostgreSQL (CERTIFY_TEST_PG_URL from scripts/test-services.sh),
 * plus what is specific to it: schema per location, versioned migrations, concurrent opening,
 * and the invariants enforced by the database itself.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  openPostgresRegistry,
  openPostgresStore,
  openRegistry,
  type OpenPostgresStoreOptions,
} from '../../src/index.js'
import { POSTGRES_MIGRATIONS } from '../../src/registry/postgres-migrations.js'
import { allocation, describeRegistryBackend, rejectsWithCode } from './registry-suite.js'
import {
  PG_SKIP_REASON,
  dropSchema,
  fillPostgresList,
  newSchemaLocation,
  pgUrl,
  schemaOf,
  withClient,
} from './postgres-helpers.js'

const skip = PG_SKIP_REASON !== undefined

describe.skipIf(skip)('PostgreSQL backend', () => {
  describeRegistryBackend({
    name: 'PostgreSQL',
    newLocation() {
      const { location, schema } = newSchemaLocation('suite')
      return Promise.resolve({ location, cleanup: () => dropSchema(schema) })
    },
    open: (location) => openPostgresStore(location),
    fillList: (location, listNumber, length, free) =>
      fillPostgresList(location, listNumber, length, free),
  })

  describe('PostgreSQL registry schema', () => {
    const cleanups: (() => Promise<void>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })
    function newLocation(): string {
      const { location, schema } = newSchemaLocation('schema')
      cleanups.push(() => dropSchema(schema))
      return location
    }

    it('is created on first use with versioned migrations, in its own schema', async () => {
      const location = newLocation()
      const registry = await openRegistry({ url: location })
      expect(registry.backend).toBe('postgres')
      await registry.allocateStatus(allocation())
      await registry.close()
      const migrations = await withClient(schemaOf(location), async (client) => {
        const { rows } = await client.query<{ version: number; name: string }>(
          'SELECT version, name FROM schema_migrations ORDER BY version',
        )
        return rows
      })
      expect(migrations).toEqual([
        { version: 1, name: 'status registry' },
        { version: 2, name: 'batch items and list revisions' },
        { version: 3, name: 'status list base urls' },
        { version: 4, name: 'status messages' },
      ])
      // Reopening migrates nothing and keeps the data.
      const again = await openPostgresRegistry(location)
      expect((await again.readStatusLists())[0]?.allocated).toBe(1)
      await again.close()
    })

    it('several stores opening a new schema at once migrate it exactly once', async () => {
      const location = newLocation()
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(location)))
      for (const store of stores) await store.close()
      const count = await withClient(schemaOf(location), async (client) => {
        const { rows } = await client.query<{ n: string }>(
          'SELECT COUNT(*) AS n FROM schema_migrations',
        )
        return Number(rows[0]?.n)
      })
      expect(count).toBe(4)
    })

    it('refuses a schema newer than this version', async () => {
      const location = newLocation()
      await (await openPostgresRegistry(location)).close()
      await withClient(schemaOf(location), (client) =>
        client.query(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')",
        ),
      )
      await rejectsWithCode(openPostgresRegistry(location), 'ERR_REGISTRY_STORAGE')
    })

    it('the database itself refuses to delete, move or un-revoke a credential', async () => {
      const location = newLocation()
      const registry = await openPostgresRegistry(location)
      const a = allocation()
      await registry.allocateStatus(a)
      await registry.revoke(a.credentialId, 'misconduct')
      await registry.close()
      await withClient(schemaOf(location), async (client) => {
        for (const sql of [
          `DELETE FROM credentials WHERE credential_id = '${a.credentialId}'`,
          `UPDATE credentials SET list_index = list_index + 1 WHERE credential_id = '${a.credentialId}'`,
          `UPDATE credentials SET status = 'active' WHERE credential_id = '${a.credentialId}'`,
          'DELETE FROM status_history',
          'TRUNCATE credentials CASCADE',
          `INSERT INTO credentials VALUES ('urn:x:1', 'AIDA', '{}', 'x', 1, 131072, false, 'active')`,
        ]) {
          await expect(client.query(sql), sql).rejects.toThrow()
        }
      })
    })

    it('migrates a version-2 schema: its list keeps no URL, new allocations get recorded lists', async () => {
      const location = newLocation()
      const schema = schemaOf(location)
      // A registry as certify-vc wrote it before list URLs were recorded (migrations 1 and 2),
      // holding one credential in list 1.
      await withClient(undefined, (client) => client.query(`CREATE SCHEMA "${schema}"`))
      await withClient(schema, async (client) => {
        await client.query(
          'CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)',
        )
        for (const m of POSTGRES_MIGRATIONS.filter((m) => m.version <= 2)) {
          await client.query(m.sql)
          await client.query('INSERT INTO schema_migrations VALUES ($1, $2, $3)', [
            m.version,
            m.name,
            '2026-11-01T00:00:00Z',
          ])
        }
        await client.query(`
          INSERT INTO status_lists VALUES (1, 131072, 1, '2026-11-01T00:00:00Z');
          INSERT INTO status_list_purposes VALUES (1, 'revocation', '2026-11-01T00:00:00Z', 1);
          INSERT INTO status_list_blocks VALUES (1, 0, 1);
          INSERT INTO credentials VALUES ('urn:uuid:old', 'AIDA', '{}', '2026-11-01T00:00:00Z', 1, 5, false, 'active');
          INSERT INTO status_history (credential_id, at, action, to_status) VALUES ('urn:uuid:old', '2026-11-01T00:00:00Z', 'issue', 'active');
        `)
      })
      const registry = await openPostgresRegistry(location)
      const base = 'https://certify.example.test/status'
      expect((await registry.allocateStatus(allocation({ statusBaseUrl: base }))).listNumber).toBe(
        2,
      )
      expect(
        (await registry.readStatusLists()).map((l) => [l.listNumber, l.baseUrl, l.allocated]),
      ).toEqual([
        [1, undefined, 1],
        [2, base, 1],
      ])
      expect(await registry.getCredentialStatus('urn:uuid:old')).toMatchObject({
        listNumber: 1,
        index: 5,
      })
      await registry.close()
      await withClient(schema, async (client) => {
        const { rows } = await client.query<{ v: number }>(
          'SELECT MAX(version) AS v FROM schema_migrations',
        )
        expect(rows[0]?.v).toBe(4)
        await expect(
          client.query("UPDATE status_lists SET base_url = 'https://x.example'"),
        ).rejects.toThrow(/keeps the URL/)
      })
    })

    it('a connection failure is ERR_REGISTRY_STORAGE, without the password in the message', async () => {
      const url = new URL(pgUrl())
      url.port = '1'
      url.password = 'hunter2-secret'
      const error: unknown = await openPostgresStore(url.href, { connectTimeoutMs: 2000 }).catch(
        (e: unknown) => e,
      )
      expect((error as { code?: unknown }).code).toBe('ERR_REGISTRY_STORAGE')
      expect(String((error as Error).message)).not.toContain('hunter2-secret')
    })

    it('refuses bad arguments with TypeError', async () => {
      const bad = (url: unknown, options?: unknown) =>
        openPostgresStore(url as string, options as OpenPostgresStoreOptions)
      await expect(bad('mysql://x/y')).rejects.toThrow(TypeError)
      await expect(bad(42)).rejects.toThrow(TypeError)
      await expect(bad(pgUrl(), { schema: 'Robert"); DROP' })).rejects.toThrow(TypeError)
      await expect(bad(`${pgUrl()}?schema=a-b`)).rejects.toThrow(TypeError)
      await expect(bad(pgUrl(), { poolSize: 0 })).rejects.toThrow(TypeError)
      await expect(bad(pgUrl(), { size: 1 })).rejects.toThrow(TypeError)
      await expect(openRegistry({ url: pgUrl(), busyTimeoutMs: 5 })).rejects.toThrow(TypeError)
      await expect(openRegistry({ url: 'x.sqlite', schema: 'a' })).rejects.toThrow(TypeError)
    })
  })
})
