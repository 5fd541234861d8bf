/**
 * The server's own storage (`DATA_DIR/server.sqlite`), apart from the issuer's status registry:
 * which key signed each credential (so that did.json keeps a key while its credentials are
 * outstanding) and the credentials their learners chose to list in the public directory.
 *
 * @module
 */
import { closeSync, openSync } from 'node:fs'
import Database from 'better-sqlite3'

/** One issued credential, as the server remembers it. */
export interface IssuedRecord {
  credentialId: string
  verificationMethod: string
  issuedAt: string
  /** ISO date-time or null (no end of validity). */
  validUntil: string | null
  /** Whether the registry manages its status (the server added the status entry). */
  managedStatus: boolean
}

/** The server store. Synchronous SQLite calls, durable when they return. */
export interface ServerStore {
  recordIssued(record: IssuedRecord, directoryDocument?: unknown): void
  getIssued(credentialId: string): IssuedRecord | undefined
  /** The public-directory copy of a credential, or undefined when not listed. */
  directoryCredential(credentialId: string): unknown
  /** Credential ids signed by `verificationMethod`, still valid at `now`. */
  outstandingCredentials(verificationMethod: string, now: Date): string[]
  close(): void
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS issued (
  credential_id TEXT PRIMARY KEY,
  verification_method TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  valid_until TEXT,
  managed_status INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS issued_by_method ON issued (verification_method);
CREATE TABLE IF NOT EXISTS public_directory (
  credential_id TEXT PRIMARY KEY REFERENCES issued (credential_id),
  document TEXT NOT NULL,
  listed_at TEXT NOT NULL
) STRICT;
`

interface IssuedRow {
  credential_id: string
  verification_method: string
  issued_at: string
  valid_until: string | null
  managed_status: number
}

/** Opens (creating if needed) the server's SQLite file. */
export function openServerStore(path: string): ServerStore {
  // Created 0600 first: SQLite gives its journal files the main file's mode.
  closeSync(openSync(path, 'a', 0o600))
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.exec(SCHEMA)
  const insertIssued = db.prepare(
    'INSERT INTO issued (credential_id, verification_method, issued_at, valid_until, managed_status) VALUES (?, ?, ?, ?, ?)',
  )
  const insertDirectory = db.prepare(
    'INSERT INTO public_directory (credential_id, document, listed_at) VALUES (?, ?, ?)',
  )
  const selectIssued = db.prepare<[string], IssuedRow>(
    'SELECT * FROM issued WHERE credential_id = ?',
  )
  const selectDirectory = db
    .prepare<[string], string>('SELECT document FROM public_directory WHERE credential_id = ?')
    .pluck()
  const selectByMethod = db.prepare<[string], IssuedRow>(
    'SELECT * FROM issued WHERE verification_method = ?',
  )
  const record = db.transaction((r: IssuedRecord, document: string | undefined) => {
    insertIssued.run(
      r.credentialId,
      r.verificationMethod,
      r.issuedAt,
      r.validUntil,
      r.managedStatus ? 1 : 0,
    )
    if (document !== undefined) insertDirectory.run(r.credentialId, document, r.issuedAt)
  })
  const stillValid = (row: IssuedRow, now: Date) =>
    row.valid_until === null || Date.parse(row.valid_until) > now.getTime()
  const toRecord = (row: IssuedRow): IssuedRecord => ({
    credentialId: row.credential_id,
    verificationMethod: row.verification_method,
    issuedAt: row.issued_at,
    validUntil: row.valid_until,
    managedStatus: row.managed_status === 1,
  })
  return {
    recordIssued(r, directoryDocument) {
      record(r, directoryDocument === undefined ? undefined : JSON.stringify(directoryDocument))
    },
    getIssued(id) {
      const row = selectIssued.get(id)
      return row === undefined ? undefined : toRecord(row)
    },
    directoryCredential(id) {
      const text = selectDirectory.get(id)
      return text === undefined ? undefined : (JSON.parse(text) as unknown)
    },
    outstandingCredentials(vm, now) {
      return selectByMethod
        .all(vm)
        .filter((row) => stillValid(row, now))
        .map((row) => row.credential_id)
    },
    close() {
      db.close()
    },
  }
}
