import { existsSync } from 'node:fs'
import { stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { MIN_STATUS_LIST_ENTRIES } from '@certify-vc/core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  openSqliteRegistry,
  openSqliteStore,
  type OpenSqliteRegistryOptions,
  type OpenSqliteStoreOptions,
} from '../../src/index.js'
import { SQLITE_MIGRATIONS } from '../../src/registry/sqlite-migrations.js'
import { posix, tempDir } from '../helpers.js'
import { allocation, describeRegistryBackend, rejectsWithCode } from './registry-suite.js'
import { fillSqliteList, inspectSqliteRegistry } from './sqlite-helpers.js'

describeRegistryBackend({
  name: 'SQLite',
  async newLocation() {
    const { dir, cleanup } = await tempDir()
    return { location: join(dir, 'registry.sqlite'), cleanup }
  },
  open: (location) => openSqliteStore(location),
  fillList: (location, listNumber, length, free) =>
    Promise.resolve(fillSqliteList(location, listNumber, length, free)),
})

describe('SQLite registry file', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  async function newPath(): Promise<string> {
    const { dir, cleanup } = await tempDir()
    cleanups.push(cleanup)
    return join(dir, 'certify-vc.sqlite')
  }

  it('is created on first use: mode 0600, WAL, schema versions 1 to 3', async () => {
    const path = await newPath()
    expect(existsSync(path)).toBe(false)
    const registry = await openSqliteRegistry(path)
    expect(registry.backend).toBe('sqlite')
    await registry.allocateStatus(allocation())
    if (posix) {
      expect((await stat(path)).mode & 0o777).toBe(0o600)
      expect((await stat(`${path}-wal`)).mode & 0o777).toBe(0o600)
    }
    await registry.close()

    const db = new Database(path, { readonly: true })
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
        { version: 1, name: 'status registry' },
        { version: 2, name: 'batch items and list revisions' },
        { version: 3, name: 'status list base urls' },
        { version: 4, name: 'status messages' },
      ])
    } finally {
      db.close()
    }
  })

  it('applies migrations once: reopening keeps the data and the version', async () => {
    const path = await newPath()
    const first = await openSqliteRegistry(path)
    const options = allocation()
    await first.allocateStatus(options)
    await first.close()
    const second = await openSqliteRegistry(path)
    expect((await second.getCredentialStatus(options.credentialId)).status).toBe('active')
    await second.close()
    const inspection = inspectSqliteRegistry(path)
    expect(inspection.credentials).toBe(1)
    const db = new Database(path, { readonly: true })
    try {
      expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(4)
    } finally {
      db.close()
    }
  })

  it('refuses a file with a newer schema, a file that is not SQLite, a missing folder', async () => {
    const path = await newPath()
    await (await openSqliteRegistry(path)).close()
    const db = new Database(path)
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01T00:00:00Z')").run()
    db.close()
    await rejectsWithCode(openSqliteRegistry(path), 'ERR_REGISTRY_STORAGE')

    const notSqlite = await newPath()
    await writeFile(notSqlite, 'this is not a database, just text that is long enough '.repeat(50))
    const error: unknown = await openSqliteRegistry(notSqlite).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_REGISTRY_STORAGE' })
    expect((error as Error).cause).toBeInstanceOf(Error)

    await rejectsWithCode(
      openSqliteRegistry(join(await newPath(), 'missing', 'registry.sqlite')),
      'ERR_REGISTRY_STORAGE',
    )
  })

  it('turns a write lock held too long into ERR_REGISTRY_STORAGE (SQLITE_BUSY), then recovers', async () => {
    const path = await newPath()
    const registry = await openSqliteRegistry(path, { busyTimeoutMs: 50 })
    const blocker = new Database(path)
    blocker.exec('BEGIN IMMEDIATE')
    const error: unknown = await registry.allocateStatus(allocation()).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_REGISTRY_STORAGE' })
    expect((error as Error).message).toMatch(/SQLITE_BUSY/)
    blocker.exec('ROLLBACK')
    blocker.close()
    expect((await registry.allocateStatus(allocation())).listNumber).toBe(1)
    await registry.close()
  })

  it('enforces its invariants in the schema too (triggers, unique slots)', async () => {
    const path = await newPath()
    const registry = await openSqliteRegistry(path)
    const options = allocation()
    const { index } = await registry.allocateStatus(options)
    await registry.revoke(options.credentialId, 'misconduct')
    await registry.close()
    const db = new Database(path)
    try {
      const id = options.credentialId
      expect(() => db.prepare('DELETE FROM credentials').run()).toThrow(/never deleted/)
      expect(() =>
        db
          .prepare('UPDATE credentials SET list_index = list_index + 1 WHERE credential_id = ?')
          .run(id),
      ).toThrow(/never moved or reused/)
      expect(() =>
        db.prepare("UPDATE credentials SET status = 'active' WHERE credential_id = ?").run(id),
      ).toThrow(/final/)
      expect(() => db.prepare('DELETE FROM status_history').run()).toThrow(/append-only/)
      expect(() =>
        db
          .prepare(
            `INSERT INTO credentials VALUES ('urn:x:1', 'AIDA', '{}', 'now', 1, ?, 0, 'active')`,
          )
          .run(index),
      ).toThrow(/UNIQUE/)
      expect(() =>
        db
          .prepare(
            `INSERT INTO credentials VALUES ('urn:x:2', 'AIDA', '{}', 'now', 1, ?, 0, 'active')`,
          )
          .run(MIN_STATUS_LIST_ENTRIES),
      ).toThrow(/beyond the list length/)
    } finally {
      db.close()
    }
  })

  it('migrates a version-2 file: its list keeps no URL, new allocations get recorded lists', async () => {
    const path = await newPath()
    // A registry as certify-vc wrote it before list URLs were recorded (migrations 1 and 2),
    // holding one credential in list 1.
    const old = new Database(path)
    old.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT',
    )
    for (const m of SQLITE_MIGRATIONS.filter((m) => m.version <= 2)) {
      old.exec(m.sql)
      old
        .prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)')
        .run(m.version, m.name, '2026-11-01T00:00:00Z')
    }
    old.exec(`
      INSERT INTO status_lists VALUES (1, ${MIN_STATUS_LIST_ENTRIES}, 1, '2026-11-01T00:00:00Z');
      INSERT INTO status_list_purposes VALUES (1, 'revocation', '2026-11-01T00:00:00Z', 1);
      INSERT INTO status_list_blocks VALUES (1, 0, 1);
      INSERT INTO credentials VALUES ('urn:uuid:old', 'AIDA', '{}', '2026-11-01T00:00:00Z', 1, 5, 0, 'active');
      INSERT INTO status_history (credential_id, at, action, to_status) VALUES ('urn:uuid:old', '2026-11-01T00:00:00Z', 'issue', 'active');
    `)
    old.close()

    const registry = await openSqliteRegistry(path)
    const base = 'https://certify.example.test/status'
    const fresh = await registry.allocateStatus(allocation({ statusBaseUrl: base }))
    expect(fresh.listNumber).toBe(2)
    expect(
      (await registry.readStatusLists()).map((l) => [l.listNumber, l.baseUrl, l.allocated]),
    ).toEqual([
      [1, undefined, 1],
      [2, base, 1],
    ])
    expect(await registry.getCredentialStatus('urn:uuid:old')).toMatchObject({
      listNumber: 1,
      index: 5,
      status: 'active',
    })
    await registry.close()
    const db = new Database(path)
    try {
      expect(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(4)
      // A list's URL, once recorded, is fixed by the schema itself.
      expect(() =>
        db.prepare("UPDATE status_lists SET base_url = 'https://x.example'").run(),
      ).toThrow(/keeps the URL/)
    } finally {
      db.close()
    }
  })

  it('openSqliteStore and openSqliteRegistry refuse bad arguments without creating a file', async () => {
    const path = await newPath()
    const store = (p: unknown, o?: unknown) =>
      openSqliteStore(p as string, o as OpenSqliteStoreOptions)
    const registry = (p: unknown, o?: unknown) =>
      openSqliteRegistry(p as string, o as OpenSqliteRegistryOptions)
    await expect(store(undefined)).rejects.toThrow(TypeError)
    await expect(store('')).rejects.toThrow(TypeError)
    await expect(store(':memory:')).rejects.toThrow(TypeError)
    await expect(store('file:x.sqlite')).rejects.toThrow(TypeError)
    await expect(store(path, { busyTimeoutMs: -1 })).rejects.toThrow(TypeError)
    await expect(store(path, { busyTimeoutMs: '10' })).rejects.toThrow(TypeError)
    await expect(store(path, { timeout: 10 })).rejects.toThrow(TypeError)
    await expect(registry(42)).rejects.toThrow(TypeError)
    await expect(registry(path, { listLength: 1024 })).rejects.toThrow(TypeError)
    await expect(registry(path, { listLength: MIN_STATUS_LIST_ENTRIES + 4 })).rejects.toThrow(
      TypeError,
    )
    await expect(registry(path, { clock: Date.now() })).rejects.toThrow(TypeError)
    await expect(registry(path, { colour: 'blue' })).rejects.toThrow(TypeError)
    await expect(registry(path, null)).rejects.toThrow(TypeError)
    expect(existsSync(path)).toBe(false)
  })
})
