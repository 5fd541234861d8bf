/**
 * PostgreSQL test helpers: the test database from `scripts/test-services.sh`, one schema per
 * location (dropped afterwards), and the same fill / inspection helpers as for SQLite.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The test database URL (`source scripts/test-services.sh`), if any. */
export const PG_URL = process.env.CERTIFY_TEST_PG_URL
/** `CERTIFY_REQUIRE_SERVICES=1`: a missing service fails the tests instead of skipping them. */
export const REQUIRE_SERVICES = process.env.CERTIFY_REQUIRE_SERVICES === '1'
/** Why the PostgreSQL tests are skipped (`undefined`: they run). */
export const PG_SKIP_REASON =
  PG_URL === undefined || PG_URL === ''
    ? 'CERTIFY_TEST_PG_URL is not set: run `source scripts/test-services.sh` first'
    : undefined

if (PG_SKIP_REASON !== undefined) {
  if (REQUIRE_SERVICES) {
    throw new Error(`CERTIFY_REQUIRE_SERVICES=1 but ${PG_SKIP_REASON}.`)
  }
  console.warn(`Skipping the PostgreSQL registry tests: ${PG_SKIP_REASON}.`)
}

/** The test database URL; throws when it is not configured. */
export function pgUrl(): string {
  if (PG_URL === undefined || PG_URL === '') throw new Error(PG_SKIP_REASON)
  return PG_URL
}

/** `url` with `?schema=` set. */
export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url)
  parsed.searchParams.set('schema', schema)
  return parsed.href
}

/** The schema a location URL names. */
export function schemaOf(location: string): string {
  const schema = new URL(location).searchParams.get('schema')
  if (schema === null || !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error('no schema')
  return schema
}

/** A fresh schema name for `prefix` (a test file's short name) and a URL selecting it. */
export function newSchemaLocation(prefix: string): { location: string; schema: string } {
  const schema = `t_${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`
  return { location: withSchema(pgUrl(), schema), schema }
}

/** Runs `work` with a client on the test database whose search_path is `schema`. */
export async function withClient<T>(
  schema: string | undefined,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: pgUrl(),
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Drops `schema` and everything in it. */
export function dropSchema(schema: string): Promise<void> {
  return withClient(undefined, async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  })
}

/**
 * Test-only: creates list `listNumber` (with `length` entries) if needed and marks every index
 * except `free` as taken, with consistent counters, in one transaction.
 */
export function fillPostgresList(
  location: string,
  listNumber: number,
  length: number,
  free: readonly number[],
): Promise<void> {
  return withClient(schemaOf(location), async (client) => {
    await client.query('BEGIN')
    await client.query('SET LOCAL synchronous_commit = off')
    const now = new Date().toISOString()
    await client.query(
      `INSERT INTO status_lists (list_number, length, allocated, created_at)
       VALUES ($1, $2, 0, $3) ON CONFLICT DO NOTHING`,
      [listNumber, length, now],
    )
    await client.query(
      `INSERT INTO status_list_purposes (list_number, purpose, created_at)
       VALUES ($1, 'revocation', $2) ON CONFLICT DO NOTHING`,
      [listNumber, now],
    )
    await client.query(
      `INSERT INTO credentials
         (credential_id, program, recipient, issued_at, list_number, list_index, suspension, status)
       SELECT 'urn:fill:' || $1::integer || ':' || i, 'AIDA', '{}', $2, $1::integer, i, false, 'active'
       FROM generate_series(0, $3 - 1) AS i
       WHERE NOT (i = ANY ($4::integer[]))
       ON CONFLICT DO NOTHING`,
      [listNumber, now, length, [...free]],
    )
    await client.query(
      `UPDATE status_lists SET allocated =
         (SELECT COUNT(*) FROM credentials WHERE list_number = $1) WHERE list_number = $1`,
      [listNumber],
    )
    await client.query('DELETE FROM status_list_blocks WHERE list_number = $1', [listNumber])
    await client.query(
      `INSERT INTO status_list_blocks (list_number, block, used)
       SELECT list_number, list_index / 1024, COUNT(*) FROM credentials
       WHERE list_number = $1 GROUP BY list_number, list_index / 1024`,
      [listNumber],
    )
    await client.query('COMMIT')
  })
}

/** What {@link inspectPostgresRegistry} finds (the same fields as for SQLite). */
export interface PostgresInspection {
  credentials: number
  distinctSlots: number
  badListCounters: number
  badBlockCounters: number
  badHistories: number
  slots: Map<string, string>
}

/** Reads the registry schema with plain SQL and checks its invariants. */
export function inspectPostgresRegistry(location: string): Promise<PostgresInspection> {
  return withClient(schemaOf(location), async (client) => {
    const one = async (sql: string): Promise<number> =>
      Number((await client.query<{ n: string }>(sql)).rows[0]?.n)
    const rows = (
      await client.query<{ credential_id: string; list_number: number; list_index: number }>(
        'SELECT credential_id, list_number, list_index FROM credentials',
      )
    ).rows
    return {
      credentials: rows.length,
      distinctSlots: await one(
        'SELECT COUNT(*) AS n FROM (SELECT DISTINCT list_number, list_index FROM credentials) x',
      ),
      badListCounters: await one(
        `SELECT COUNT(*) AS n FROM status_lists l WHERE l.allocated <>
           (SELECT COUNT(*) FROM credentials c WHERE c.list_number = l.list_number)`,
      ),
      badBlockCounters: await one(
        `SELECT COUNT(*) AS n FROM (
           SELECT c.list_number, c.list_index / 1024 AS block, COUNT(*) AS k FROM credentials c
           GROUP BY c.list_number, c.list_index / 1024) x
         LEFT JOIN status_list_blocks b ON b.list_number = x.list_number AND b.block = x.block
         WHERE b.used IS DISTINCT FROM x.k`,
      ),
      badHistories: await one(
        `SELECT COUNT(*) AS n FROM credentials c WHERE c.credential_id NOT LIKE 'urn:fill:%' AND
           (SELECT COUNT(*) FROM status_history h
            WHERE h.credential_id = c.credential_id AND h.action = 'issue') <> 1`,
      ),
      slots: new Map(rows.map((r) => [r.credential_id, `${r.list_number}:${r.list_index}`])),
    }
  })
}
