/**
 * The test database of `scripts/test-services.sh` for the server's PostgreSQL tests: one schema
 * per test location, dropped afterwards. Without `CERTIFY_TEST_PG_URL` the tests are skipped with
 * a message, and fail instead under `CERTIFY_REQUIRE_SERVICES=1` (as `pnpm run ci` sets it).
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The test database URL, if any. */
export const PG_URL = process.env.CERTIFY_TEST_PG_URL
/** Why the PostgreSQL tests are skipped (`undefined`: they run). */
export const PG_SKIP_REASON =
  PG_URL === undefined || PG_URL === ''
    ? 'CERTIFY_TEST_PG_URL is not set: run `source scripts/test-services.sh` first'
    : undefined

if (PG_SKIP_REASON !== undefined) {
  if (process.env.CERTIFY_REQUIRE_SERVICES === '1') {
    throw new Error(`CERTIFY_REQUIRE_SERVICES=1 but ${PG_SKIP_REASON}.`)
  }
  console.warn(`Skipping the server's PostgreSQL tests: ${PG_SKIP_REASON}.`)
}

/** A URL selecting a fresh schema (`?schema=`), and the schema's name. */
export function newDatabaseUrl(prefix: string): { url: string; schema: string } {
  if (PG_URL === undefined || PG_URL === '') throw new Error(PG_SKIP_REASON)
  const schema = `t_${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`
  const url = new URL(PG_URL)
  url.searchParams.set('schema', schema)
  return { url: url.href, schema }
}

/** Runs `work` with a client whose search_path is `schema` (or the default). */
export async function withClient<T>(
  schema: string | undefined,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: PG_URL,
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
