/**
 * The server storage suite on SQLite, plus what is specific to the file: created 0600, versioned
 * migrations that adopt a file written before the schema was versioned.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryChallengeRecords } from '../../src/storage/memory-challenges.js'
import { openSqliteStorage } from '../../src/storage/sqlite-storage.js'
import { describeChallengeRecords, describeServerStorage } from './storage-suite.js'

async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'certify-server-storage-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

describeServerStorage({
  name: 'SQLite',
  async newLocation() {
    const { dir, cleanup } = await tempDir()
    return { location: join(dir, 'server.sqlite'), cleanup }
  },
  open: (location) => Promise.resolve(openSqliteStorage(location)),
})

describeChallengeRecords('memory', () => {
  const records = createMemoryChallengeRecords()
  return Promise.resolve({ records, again: () => Promise.resolve(records) })
})

describe('server.sqlite', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('adopts a file written before the schema was versioned, keeping its records', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    const path = join(dir, 'server.sqlite')
    // The tables as the server created them before migrations.
    const old = new Database(path)
    old.exec(`
      CREATE TABLE issued (credential_id TEXT PRIMARY KEY, verification_method TEXT NOT NULL,
        issued_at TEXT NOT NULL, valid_until TEXT, managed_status INTEGER NOT NULL) STRICT;
      CREATE INDEX issued_by_method ON issued (verification_method);
      CREATE TABLE public_directory (credential_id TEXT PRIMARY KEY REFERENCES issued (credential_id),
        document TEXT NOT NULL, listed_at TEXT NOT NULL) STRICT;
      INSERT INTO issued VALUES ('urn:uuid:old', 'did:web:x#key-1', '2026-11-01T00:00:00Z', NULL, 1);
      INSERT INTO public_directory VALUES ('urn:uuid:old', '{"id":"urn:uuid:old"}', '2026-11-01T00:00:00Z');
      INSERT INTO issued VALUES ('urn:uuid:old-named', 'did:web:x#key-1', '2026-11-02T00:00:00Z', NULL, 1);
      INSERT INTO public_directory VALUES ('urn:uuid:old-named', '{"id":"urn:uuid:old-named","credentialSubject":{"name":"Ada Lovelace","achievement":{"id":"https://example.test/certify/caae"}}}', '2026-11-02T00:00:00Z');
    `)
    old.close()
    const storage = openSqliteStorage(path)
    expect(await storage.credentials.getIssued('urn:uuid:old')).toMatchObject({
      verificationMethod: 'did:web:x#key-1',
      managedStatus: true,
    })
    expect(await storage.credentials.directoryCredential('urn:uuid:old')).toEqual({
      id: 'urn:uuid:old',
    })
    // Listed before the search index existed: indexed by migration 4, found by name.
    expect(
      await storage.credentials.searchDirectory({
        nameKey: 'ada lovelace',
        achievementId: 'https://example.test/certify/caae',
        limit: 10,
      }),
    ).toEqual([
      {
        credentialId: 'urn:uuid:old-named',
        document: {
          id: 'urn:uuid:old-named',
          credentialSubject: {
            name: 'Ada Lovelace',
            achievement: { id: 'https://example.test/certify/caae' },
          },
        },
      },
    ])
    // Issued before the signed credential was kept: not retrievable, not an error.
    expect(await storage.credentials.getCredential('urn:uuid:old')).toBeUndefined()
    await storage.close()
    await storage.close()
    const db = new Database(path, { readonly: true })
    try {
      expect(db.prepare('SELECT version, name FROM server_schema_migrations').all()).toEqual([
        { version: 1, name: 'issued credentials and public directory' },
        { version: 2, name: 'issue claims, stored credentials, challenges, signed status lists' },
        { version: 3, name: 'credential offers, access tokens, OpenID4VCI nonces' },
        { version: 4, name: 'public directory search index' },
        { version: 5, name: 'idempotent offers' },
      ])
    } finally {
      db.close()
    }
  })

  it('creates the file 0600; refuses a newer schema; a closed storage refuses calls', async () => {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    const path = join(dir, 'server.sqlite')
    const storage = openSqliteStorage(path)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    await storage.close()
    await expect(storage.credentials.getIssued('x')).rejects.toThrow(TypeError)
    const db = new Database(path)
    db.prepare("INSERT INTO server_schema_migrations VALUES (99, 'future', 'x')").run()
    db.close()
    expect(() => openSqliteStorage(path)).toThrow(/storage could not open/)
  })
})
