/**
 * SQLite test helpers: fill a list straight in the file, and check the registry's invariants
 * with plain SQL.
 *
 * @module
 */
import Database from 'better-sqlite3'

/**
 * Test-only: creates list `listNumber` (with `length` entries) if needed and marks every index
 * except `free` as taken, with consistent counters, in one transaction on its own connection.
 */
export function fillSqliteList(
  path: string,
  listNumber: number,
  length: number,
  free: readonly number[],
): void {
  const db = new Database(path, { timeout: 10_000 })
  try {
    db.pragma('synchronous = OFF')
    const keep = new Set(free)
    db.transaction(() => {
      const now = new Date().toISOString()
      db.prepare(
        'INSERT OR IGNORE INTO status_lists (list_number, length, allocated, created_at) VALUES (?, ?, 0, ?)',
      ).run(listNumber, length, now)
      db.prepare(
        "INSERT OR IGNORE INTO status_list_purposes (list_number, purpose, created_at) VALUES (?, 'revocation', ?)",
      ).run(listNumber, now)
      const insert = db.prepare(
        `INSERT OR IGNORE INTO credentials
           (credential_id, program, recipient, issued_at, list_number, list_index, suspension, status)
         VALUES (?, 'AIDA', '{}', ?, ?, ?, 0, 'active')`,
      )
      for (let i = 0; i < length; i++) {
        if (!keep.has(i)) insert.run(`urn:fill:${listNumber}:${i}`, now, listNumber, i)
      }
      db.prepare(
        `UPDATE status_lists SET allocated =
           (SELECT COUNT(*) FROM credentials WHERE list_number = ?) WHERE list_number = ?`,
      ).run(listNumber, listNumber)
      db.prepare('DELETE FROM status_list_blocks WHERE list_number = ?').run(listNumber)
      db.prepare(
        `INSERT INTO status_list_blocks (list_number, block, used)
         SELECT list_number, list_index / 1024, COUNT(*) FROM credentials
         WHERE list_number = ? GROUP BY list_index / 1024`,
      ).run(listNumber)
    }).immediate()
  } finally {
    db.close()
  }
}

/** What {@link inspectSqliteRegistry} finds. */
export interface RegistryInspection {
  integrity: string
  credentials: number
  distinctSlots: number
  /** Lists whose `allocated` counter differs from their credential count. */
  badListCounters: number
  /** Blocks whose `used` counter differs from their credential count. */
  badBlockCounters: number
  /** Credentials without exactly one `issue` history entry. */
  badHistories: number
  slots: Map<string, string>
}

/** Reads the registry file with plain SQL and checks its invariants. */
export function inspectSqliteRegistry(path: string): RegistryInspection {
  const db = new Database(path, { readonly: true, timeout: 10_000 })
  try {
    const one = (sql: string) => db.prepare(sql).pluck().get() as number | string
    const rows = db
      .prepare('SELECT credential_id, list_number, list_index FROM credentials')
      .all() as { credential_id: string; list_number: number; list_index: number }[]
    return {
      integrity: one('PRAGMA integrity_check') as string,
      credentials: rows.length,
      distinctSlots: one(
        'SELECT COUNT(*) FROM (SELECT DISTINCT list_number, list_index FROM credentials)',
      ) as number,
      badListCounters: one(
        `SELECT COUNT(*) FROM status_lists l WHERE l.allocated <>
           (SELECT COUNT(*) FROM credentials c WHERE c.list_number = l.list_number)`,
      ) as number,
      badBlockCounters: one(
        `SELECT COUNT(*) FROM (
           SELECT c.list_number, c.list_index / 1024 AS block, COUNT(*) AS n FROM credentials c
           GROUP BY c.list_number, block) x
         LEFT JOIN status_list_blocks b ON b.list_number = x.list_number AND b.block = x.block
         WHERE b.used IS NOT x.n`,
      ) as number,
      badHistories: one(
        `SELECT COUNT(*) FROM credentials c WHERE c.credential_id NOT LIKE 'urn:fill:%' AND
           (SELECT COUNT(*) FROM status_history h
            WHERE h.credential_id = c.credential_id AND h.action = 'issue') <> 1`,
      ) as number,
      slots: new Map(rows.map((r) => [r.credential_id, `${r.list_number}:${r.list_index}`])),
    }
  } finally {
    db.close()
  }
}
