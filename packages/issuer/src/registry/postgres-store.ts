/**
 * The PostgreSQL registry storage (the `pg` driver), for several issuer instances on one
 * database. Same interface, same invariants and the same test suite as the SQLite file.
 *
 * - Allocation: one READ COMMITTED transaction that first locks the single `allocation_lock` row
 *   (`SELECT … FOR UPDATE`), so allocations on a schema are serialized across connections and
 *   processes; every later statement of the transaction takes a fresh snapshot and so sees every
 *   allocation committed before the lock was granted. The index is drawn in this process with
 *   `crypto.randomInt` (never the server's `random()`), and `UNIQUE (list_number, list_index)`
 *   guards the result. Serialization failures and deadlocks are retried.
 * - Status changes lock the credential's row (`FOR UPDATE`); reads use one REPEATABLE READ
 *   snapshot.
 * - Durability: every session runs with `synchronous_commit = on`, so a transaction's WAL is
 *   flushed before COMMIT returns, and so before any promise of this store resolves.
 * - Each store keeps its tables in one schema (`?schema=` in the URL or the `schema` option;
 *   default `public`), created on first use; migrations are versioned in `schema_migrations`.
 *
 * @module
 */
import { randomInt } from 'node:crypto'
import type { Pool, PoolClient } from 'pg'
import { CertifyError, isCertifyError } from '@certify-vc/context'
import { checkOptionBag } from '../option-checks.js'
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js'
import { BLOCK_SIZE } from './sqlite-migrations.js'
import {
  batchItemOf,
  batchItemRecorded,
  noMessageEntry,
  publicationStateOf,
  storageError,
  type BatchItemRow,
  type PublicationStateRow,
} from './sqlite-store.js'
import {
  checkRegistryOptions,
  createStatusRegistry,
  type CreateStatusRegistryOptions,
  type StatusRegistry,
} from './status-registry.js'
import type {
  BatchItemRecord,
  CredentialStatusRecord,
  CredentialStatusValue,
  NewCredentialRecord,
  RecipientSummary,
  RegistryStore,
  StatusAction,
  StatusAllocation,
  StatusChangeResult,
  StatusDecider,
  StatusListPublicationInput,
  StatusListPublicationState,
  StatusListSnapshot,
  StatusMessageChangeResult,
  StatusPurpose,
} from './types.js'

/**
 * Options of {@link openPostgresStore}.
 *
 * @example
 * const options: OpenPostgresStoreOptions = { schema: 'certify', poolSize: 4 }
 */
export interface OpenPostgresStoreOptions {
  /**
   * The schema holding the registry's tables (created if missing): lower-case letters, digits
   * and `_`. Default: the URL's `schema` query parameter, else `public`.
   */
  schema?: string
  /** Connections kept by this store. Default 4. */
  poolSize?: number
  /** How long to wait for a connection, in ms. Default 10,000. */
  connectTimeoutMs?: number
}

/**
 * Options of {@link openPostgresRegistry}: those of {@link openPostgresStore} and
 * {@link createStatusRegistry}.
 *
 * @example
 * const options: OpenPostgresRegistryOptions = { schema: 'certify', listLength: 262_144 }
 */
export type OpenPostgresRegistryOptions = OpenPostgresStoreOptions & CreateStatusRegistryOptions

const PROBES = 8
const MAX_ATTEMPTS = 8
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/
/** SQLSTATEs worth retrying: serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(['40001', '40P01'])

interface ListRow {
  list_number: number
  length: number
  allocated: number
}

interface CredentialRow {
  credential_id: string
  program: string
  recipient: string
  issued_at: string
  list_number: number
  list_index: number
  suspension: boolean
  status: CredentialStatusValue
  base_url: string | null
}

interface HistoryRow {
  at: string
  action: StatusAction
  from_status: CredentialStatusValue | null
  to_status: CredentialStatusValue
  reason: string | null
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

function constraintOf(error: unknown): string | undefined {
  const constraint = (error as { constraint?: unknown } | null)?.constraint
  return typeof constraint === 'string' ? constraint : undefined
}

/** Whether `location` is a PostgreSQL connection URL (`postgres://` or `postgresql://`). */
export function isPostgresUrl(location: unknown): location is string {
  return typeof location === 'string' && /^postgres(?:ql)?:\/\//i.test(location)
}

/** Checks the arguments; returns the connection string without `schema`, and the options. */
function checkArguments(
  url: unknown,
  options: unknown,
): { connectionString: string; schema: string; poolSize: number; connectTimeoutMs: number } {
  if (!isPostgresUrl(url)) {
    throw new TypeError('"url" must be a postgres:// or postgresql:// connection URL.')
  }
  checkOptionBag(options, 'options', ['schema', 'poolSize', 'connectTimeoutMs'])
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new TypeError('"url" is not a valid connection URL.')
  }
  const fromUrl = parsed.searchParams.get('schema') ?? undefined
  parsed.searchParams.delete('schema')
  const schema: unknown = options.schema ?? fromUrl ?? 'public'
  if (typeof schema !== 'string' || !SCHEMA.test(schema)) {
    throw new TypeError('"schema" must be lower-case letters, digits and _ (at most 63).')
  }
  const integer = (value: unknown, what: string, fallback: number, max: number): number => {
    if (value === undefined) return fallback
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
      throw new TypeError(`"${what}" must be an integer from 1 to ${max}.`)
    }
    return value
  }
  return {
    connectionString: parsed.href,
    schema,
    poolSize: integer(options.poolSize, 'poolSize', 4, 100),
    connectTimeoutMs: integer(options.connectTimeoutMs, 'connectTimeoutMs', 10_000, 2 ** 31 - 1),
  }
}

/** Quotes an identifier already checked against {@link SCHEMA}. */
function ident(name: string): string {
  return `"${name}"`
}

/** Hides the password of a connection URL in messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.href
  } catch {
    return 'the database'
  }
}

async function migrate(client: PoolClient, schema: string): Promise<void> {
  const latest = POSTGRES_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0)
  await client.query('BEGIN')
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`certify-vc:${schema}`])
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`)
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    integer PRIMARY KEY,
         name       text NOT NULL,
         applied_at text NOT NULL
       )`,
    )
    const { rows } = await client.query<{ current: number }>(
      'SELECT COALESCE(MAX(version), 0)::integer AS current FROM schema_migrations',
    )
    const current = rows[0]?.current ?? 0
    if (current > latest) {
      throw new CertifyError(
        'ERR_REGISTRY_STORAGE',
        `The registry schema ${schema} is at version ${current}; this certify-vc knows up to ${latest}.`,
      )
    }
    for (const migration of POSTGRES_MIGRATIONS) {
      if (migration.version <= current) continue
      await client.query(migration.sql)
      await client.query(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [migration.version, migration.name, new Date().toISOString()],
      )
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
}

/**
 * Opens a PostgreSQL registry at `url` and brings its schema up to date (creating the schema
 * and tables on first use). Several processes may open the same schema at once.
 *
 * @example
 * const store = await openPostgresStore('postgres://certify:secret@db.internal/certify?schema=registry')
 * const registry = createStatusRegistry(store)
 *
 * @throws {TypeError} for a URL that is not `postgres://…`, a bad schema name or bad options.
 * @throws {CertifyError} `ERR_REGISTRY_STORAGE` when the database cannot be reached, the
 *   migrations fail, or the schema is newer than this version knows (`cause` holds the error).
 */
export async function openPostgresStore(
  url: string,
  options: OpenPostgresStoreOptions = {},
): Promise<RegistryStore> {
  const { connectionString, schema, poolSize, connectTimeoutMs } = checkArguments(url, options)
  let PoolClass: typeof Pool
  try {
    PoolClass = (await import('pg')).default.Pool
  } catch (error) {
    throw storageError(error, 'load the pg driver')
  }
  const pool = new PoolClass({
    connectionString,
    max: poolSize,
    connectionTimeoutMillis: connectTimeoutMs,
    options: `-c search_path=${schema} -c synchronous_commit=on`,
  })
  // An idle connection that breaks must not crash the process; the next query reports it.
  pool.on('error', () => undefined)
  try {
    const client = await pool.connect()
    try {
      await migrate(client, schema)
    } finally {
      client.release()
    }
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw storageError(error, `open ${redact(url)} (schema ${schema})`)
  }
  return new PostgresStore(pool, poolSize)
}

/**
 * Opens the PostgreSQL status registry at `url` (see {@link openPostgresStore}).
 *
 * @example
 * const registry = await openPostgresRegistry(process.env.CERTIFY_REGISTRY_URL!)
 *
 * @throws {TypeError} for bad arguments.
 * @throws {CertifyError} `ERR_REGISTRY_STORAGE` as {@link openPostgresStore}.
 */
export async function openPostgresRegistry(
  url: string,
  options: OpenPostgresRegistryOptions = {},
): Promise<StatusRegistry> {
  checkRegistryOptions(options, ['schema', 'poolSize', 'connectTimeoutMs', 'listLength', 'clock'])
  const { schema, poolSize, connectTimeoutMs, ...registryOptions } = options
  const store = await openPostgresStore(url, {
    ...(schema === undefined ? {} : { schema }),
    ...(poolSize === undefined ? {} : { poolSize }),
    ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
  })
  return createStatusRegistry(store, registryOptions)
}

type Isolation = 'write' | 'read'

/**
 * A counting semaphore: at most `size` transactions ask the pool for a connection at once, so
 * the pool's connection timeout measures connecting, never queueing behind busy transactions.
 */
class Slots {
  #free: number
  readonly #waiting: (() => void)[] = []

  constructor(size: number) {
    this.#free = size
  }

  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--
      return
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve))
  }

  release(): void {
    const next = this.#waiting.shift()
    if (next === undefined) this.#free++
    else next()
  }
}

class PostgresStore implements RegistryStore {
  readonly backend = 'postgres'
  readonly #pool: Pool
  readonly #slots: Slots
  #closed = false

  constructor(pool: Pool, size: number) {
    this.#pool = pool
    this.#slots = new Slots(size)
  }

  /**
   * Runs `body` in one transaction on a pooled connection; retries it on a serialization
   * failure or a deadlock. A CertifyError thrown by `body` rolls back and passes through.
   */
  async #transaction<T>(
    doing: string,
    isolation: Isolation,
    body: (client: PoolClient) => Promise<T>,
  ): Promise<T> {
    if (this.#closed) throw new TypeError('The PostgreSQL registry store is closed.')
    await this.#slots.acquire()
    try {
      return await this.#attempts(doing, isolation, body)
    } finally {
      this.#slots.release()
    }
  }

  async #attempts<T>(
    doing: string,
    isolation: Isolation,
    body: (client: PoolClient) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: PoolClient
      try {
        client = await this.#pool.connect()
      } catch (error) {
        throw storageError(error, doing)
      }
      let broken = false
      try {
        await client.query(
          isolation === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN',
        )
        const result = await body(client)
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true
        })
        if (isCertifyError(error)) throw error
        const state = sqlState(error)
        if (state === undefined) broken = true
        if (state !== undefined && RETRYABLE.has(state) && attempt < MAX_ATTEMPTS) continue
        throw storageError(error, doing)
      } finally {
        client.release(broken)
      }
    }
  }

  async #pickFreeIndex(client: PoolClient, list: ListRow): Promise<number> {
    const candidates = Array.from({ length: PROBES }, () => randomInt(list.length))
    const probe = await client.query<{ c: number }>(
      `SELECT t.c FROM unnest($2::integer[]) WITH ORDINALITY AS t (c, o)
       WHERE NOT EXISTS
         (SELECT 1 FROM credentials WHERE list_number = $1 AND list_index = t.c)
       ORDER BY t.o LIMIT 1`,
      [list.list_number, candidates],
    )
    const first = probe.rows[0]
    if (first !== undefined) return first.c

    let k = randomInt(list.length - list.allocated)
    const blocks = await client.query<{ block: number; used: number }>(
      'SELECT block, used FROM status_list_blocks WHERE list_number = $1',
      [list.list_number],
    )
    const used = new Map(blocks.rows.map((r) => [r.block, r.used]))
    for (let start = 0, block = 0; start < list.length; start += BLOCK_SIZE, block++) {
      const size = Math.min(BLOCK_SIZE, list.length - start)
      const free = size - (used.get(block) ?? 0)
      if (k >= free) {
        k -= free
        continue
      }
      const taken = (
        await client.query<{ list_index: number }>(
          `SELECT list_index FROM credentials
           WHERE list_number = $1 AND list_index BETWEEN $2 AND $3 ORDER BY list_index`,
          [list.list_number, start, start + size - 1],
        )
      ).rows.map((r) => r.list_index)
      let t = 0
      for (let index = start; index < start + size; index++) {
        if (taken[t] === index) {
          t++
        } else if (k-- === 0) {
          return index
        }
      }
      break
    }
    throw new CertifyError(
      'ERR_REGISTRY_FULL',
      `Status list ${list.list_number} has no free index although its counters say it has.`,
    )
  }

  allocate(record: NewCredentialRecord): Promise<StatusAllocation> {
    return this.allocateMany([record]).then((allocations) => {
      const [first] = allocations
      if (first === undefined) throw new TypeError('No allocation was made.')
      return first
    })
  }

  allocateMany(records: readonly NewCredentialRecord[]): Promise<StatusAllocation[]> {
    if (records.length === 0) return Promise.resolve([])
    return this.#transaction('allocate status list indices', 'write', async (client) => {
      await client.query('SELECT id FROM allocation_lock WHERE id = 1 FOR UPDATE')
      await this.#refuseRecorded(client, records)
      const baseUrl = records[0]?.statusBaseUrl ?? null
      const oneBaseUrl = records.every((r) => (r.statusBaseUrl ?? null) === baseUrl)
      const list = oneBaseUrl ? await this.#lastList(client, baseUrl) : undefined
      if (list !== undefined && list.length - list.allocated >= records.length) {
        const fast = await this.#allocateInList(client, list, records)
        if (fast !== undefined) return fast
      }
      // Slow path (a list fills up, random probes found too few free indices, or the records
      // name different base URLs): one at a time, each seeing the ones before it.
      const out: StatusAllocation[] = []
      for (const record of records) out.push(await this.#allocateOne(client, record))
      return out
    }).catch((error: unknown) => {
      const cause = (error as { cause?: unknown }).cause
      if (sqlState(cause) === '23505') {
        if (constraintOf(cause) === 'credentials_pkey') {
          throw new CertifyError(
            'ERR_ISSUE_INVALID_INPUT',
            'The registry already holds a credential with one of these ids.',
          )
        }
        if (constraintOf(cause) === 'batch_items_pkey') {
          throw new CertifyError(
            'ERR_BATCH_ROW_RECORDED',
            'One of these batch rows is already recorded.',
          )
        }
      }
      throw error
    })
  }

  /** Refuses the whole call when a credential id or a batch item is already recorded. */
  async #refuseRecorded(
    client: PoolClient,
    records: readonly NewCredentialRecord[],
  ): Promise<void> {
    const ids = records.map((r) => r.credentialId)
    const taken = await client.query<{ credential_id: string }>(
      'SELECT credential_id FROM credentials WHERE credential_id = ANY ($1::text[]) LIMIT 1',
      [ids],
    )
    const id = taken.rows[0]?.credential_id
    if (id !== undefined || new Set(ids).size !== ids.length) {
      throw new CertifyError(
        'ERR_ISSUE_INVALID_INPUT',
        `The registry already holds a credential with id ${id ?? 'given twice'}.`,
      )
    }
    const items = records.flatMap((r) => (r.batchItem === undefined ? [] : [r.batchItem]))
    if (items.length === 0) return
    const recorded = await client.query<{ batch: string; row_key: string }>(
      `SELECT b.batch, b.row_key FROM batch_items b
       JOIN unnest($1::text[], $2::text[]) AS t (batch, row_key)
         ON b.batch = t.batch AND b.row_key = t.row_key
       LIMIT 1`,
      [items.map((i) => i.batch), items.map((i) => i.rowKey)],
    )
    const hit = recorded.rows[0]
    if (hit !== undefined) throw batchItemRecorded(hit.batch, hit.row_key)
    if (new Set(items.map((i) => JSON.stringify([i.batch, i.rowKey]))).size !== items.length) {
      throw new CertifyError('ERR_BATCH_ROW_RECORDED', 'A batch row is given twice.')
    }
  }

  /**
   * All of `records` in `list` with few round trips: random probes for every record in one
   * query, the first free probe of each record (not chosen by an earlier record) is its index,
   * then one statement inserts everything. `undefined` when a record found no free probe.
   */
  async #allocateInList(
    client: PoolClient,
    list: ListRow,
    records: readonly NewCredentialRecord[],
  ): Promise<StatusAllocation[] | undefined> {
    const probes = records.map(() => Array.from({ length: PROBES }, () => randomInt(list.length)))
    const taken = await client.query<{ list_index: number }>(
      'SELECT list_index FROM credentials WHERE list_number = $1 AND list_index = ANY ($2::integer[])',
      [list.list_number, probes.flat()],
    )
    const used = new Set(taken.rows.map((r) => r.list_index))
    const indices: number[] = []
    for (const candidates of probes) {
      const index = candidates.find((c) => !used.has(c))
      if (index === undefined) return undefined
      used.add(index)
      indices.push(index)
    }
    await this.#insert(client, list.list_number, records, indices)
    return indices.map((index) => ({ listNumber: list.list_number, index }))
  }

  /** The newest list created under `baseUrl` (`null`: lists without one). */
  async #lastList(client: PoolClient, baseUrl: string | null): Promise<ListRow | undefined> {
    const last = await client.query<ListRow>(
      `SELECT list_number, length, allocated FROM status_lists
       WHERE base_url IS NOT DISTINCT FROM $1 ORDER BY list_number DESC LIMIT 1`,
      [baseUrl],
    )
    return last.rows[0]
  }

  /** One allocation inside the caller's transaction (creating the next list when needed). */
  async #allocateOne(client: PoolClient, record: NewCredentialRecord): Promise<StatusAllocation> {
    const baseUrl = record.statusBaseUrl ?? null
    let list = await this.#lastList(client, baseUrl)
    if (list === undefined || list.allocated >= list.length) {
      // List numbers are shared by every base URL: a list's URL is told apart by its number.
      const max = await client.query<{ n: number }>(
        'SELECT COALESCE(MAX(list_number), 0)::integer AS n FROM status_lists',
      )
      const listNumber = (max.rows[0]?.n ?? 0) + 1
      if (listNumber > 2 ** 31 - 2) {
        throw new CertifyError('ERR_REGISTRY_FULL', 'No list number is left.')
      }
      await client.query(
        `WITH l AS (INSERT INTO status_lists (list_number, length, allocated, created_at, base_url)
                    VALUES ($1, $2, 0, $3, $4) RETURNING list_number)
         INSERT INTO status_list_purposes (list_number, purpose, created_at)
         SELECT list_number, 'revocation', $3 FROM l`,
        [listNumber, record.listLength, record.issuedAt, baseUrl],
      )
      list = { list_number: listNumber, length: record.listLength, allocated: 0 }
    }
    const index = await this.#pickFreeIndex(client, list)
    await this.#insert(client, list.list_number, [record], [index])
    return { listNumber: list.list_number, index }
  }

  /** Inserts the credentials at `indices` of list `listNumber`, with counters and history. */
  async #insert(
    client: PoolClient,
    listNumber: number,
    records: readonly NewCredentialRecord[],
    indices: readonly number[],
  ): Promise<void> {
    await client.query(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::integer[],
                              $7::boolean[], $8::text[], $9::text[], $10::text[])
           AS t (credential_id, program, recipient, issued_at, list_index, suspension,
                 batch, row_key, payload)),
       c AS (INSERT INTO credentials (credential_id, program, recipient, issued_at,
               list_number, list_index, suspension, status)
             SELECT credential_id, program, recipient, issued_at, $1, list_index, suspension,
                    'active'
             FROM input RETURNING credential_id, issued_at),
       l AS (UPDATE status_lists SET allocated = allocated + $11 WHERE list_number = $1),
       b AS (INSERT INTO status_list_blocks (list_number, block, used)
             SELECT $1, list_index / ${BLOCK_SIZE}, COUNT(*) FROM input
             GROUP BY list_index / ${BLOCK_SIZE}
             ON CONFLICT (list_number, block)
             DO UPDATE SET used = status_list_blocks.used + excluded.used),
       h AS (INSERT INTO status_history
               (credential_id, at, action, from_status, to_status, reason)
             SELECT credential_id, issued_at, 'issue', NULL, 'active', NULL FROM c),
       s AS (INSERT INTO status_list_purposes (list_number, purpose, created_at)
             SELECT $1, 'suspension', MIN(issued_at) FROM input WHERE suspension
             HAVING COUNT(*) > 0
             ON CONFLICT DO NOTHING),
       i AS (INSERT INTO batch_items (batch, row_key, credential_id, payload, recorded_at)
             SELECT i.batch, i.row_key, c.credential_id, i.payload, i.issued_at
             FROM input i JOIN c ON c.credential_id = i.credential_id
             WHERE i.batch IS NOT NULL)
       SELECT 1`,
      [
        listNumber,
        records.map((r) => r.credentialId),
        records.map((r) => r.program),
        records.map((r) => JSON.stringify(r.recipient)),
        records.map((r) => r.issuedAt),
        indices,
        records.map((r) => r.suspension),
        records.map((r) => r.batchItem?.batch ?? null),
        records.map((r) => r.batchItem?.rowKey ?? null),
        records.map((r) => r.batchItem?.payload ?? null),
        records.length,
      ],
    )
    const withMessages = records.filter((r) => r.messages === true)
    if (withMessages.length > 0) {
      await client.query(
        `WITH l AS (INSERT INTO status_message_lists (list_number, created_at)
                    VALUES ($1, $3) ON CONFLICT DO NOTHING)
         INSERT INTO status_messages (credential_id, value, updated_at)
         SELECT credential_id, 0, $3 FROM unnest($2::text[]) AS t (credential_id)`,
        [listNumber, withMessages.map((r) => r.credentialId), withMessages[0]?.issuedAt],
      )
    }
  }

  setMessage(
    credentialId: string,
    value: number,
    at: string,
    reason: string,
  ): Promise<StatusMessageChangeResult | undefined> {
    return this.#transaction('set a status message', 'write', async (client) => {
      const { rows } = await client.query<{ list_number: number; value: number | null }>(
        `SELECT c.list_number, m.value FROM credentials c
         LEFT JOIN status_messages m ON m.credential_id = c.credential_id
         WHERE c.credential_id = $1 FOR UPDATE OF c`,
        [credentialId],
      )
      const row = rows[0]
      if (row === undefined) return undefined
      if (row.value === null) throw noMessageEntry(credentialId)
      const previous = row.value
      if (previous === value) return { credentialId, previous, value, changed: false }
      await client.query(
        `WITH u AS (UPDATE status_messages SET value = $2, updated_at = $3
                    WHERE credential_id = $1),
              r AS (UPDATE status_message_lists SET revision = revision + 1
                    WHERE list_number = $5)
         INSERT INTO status_message_history (credential_id, at, from_value, to_value, reason)
         VALUES ($1, $3, $4, $2, $6)`,
        [credentialId, value, at, previous, row.list_number, reason],
      )
      return { credentialId, previous, value, changed: true }
    })
  }

  changeStatus(
    credentialId: string,
    at: string,
    decide: StatusDecider,
  ): Promise<StatusChangeResult | undefined> {
    return this.#transaction('change a status', 'write', async (client) => {
      const { rows } = await client.query<{ status: CredentialStatusValue; suspension: boolean }>(
        'SELECT status, suspension FROM credentials WHERE credential_id = $1 FOR UPDATE',
        [credentialId],
      )
      const row = rows[0]
      if (row === undefined) return undefined
      const transition = decide({ status: row.status, suspension: row.suspension })
      if (transition === undefined) {
        return { credentialId, previous: row.status, status: row.status, changed: false }
      }
      await client.query(
        `WITH u AS (UPDATE credentials SET status = $2 WHERE credential_id = $1)
         INSERT INTO status_history (credential_id, at, action, from_status, to_status, reason)
         VALUES ($1, $3, $4, $5, $2, $6)`,
        [credentialId, transition.to, at, transition.action, row.status, transition.reason],
      )
      return { credentialId, previous: row.status, status: transition.to, changed: true }
    })
  }

  getCredential(credentialId: string): Promise<CredentialStatusRecord | undefined> {
    return this.#transaction('read a credential', 'read', async (client) => {
      const { rows } = await client.query<CredentialRow>(
        `SELECT c.*, l.base_url FROM credentials c
         JOIN status_lists l ON l.list_number = c.list_number WHERE c.credential_id = $1`,
        [credentialId],
      )
      const row = rows[0]
      if (row === undefined) return undefined
      const history = await client.query<HistoryRow>(
        `SELECT at, action, from_status, to_status, reason FROM status_history
         WHERE credential_id = $1 ORDER BY id`,
        [credentialId],
      )
      const message = await client.query<{ value: number }>(
        'SELECT value FROM status_messages WHERE credential_id = $1',
        [credentialId],
      )
      const messageValue = message.rows[0]?.value
      return {
        credentialId: row.credential_id,
        program: row.program,
        recipient: JSON.parse(row.recipient) as RecipientSummary,
        issuedAt: row.issued_at,
        listNumber: row.list_number,
        index: row.list_index,
        ...(row.base_url === null ? {} : { statusBaseUrl: row.base_url }),
        suspension: row.suspension,
        status: row.status,
        history: history.rows.map((h) => ({
          at: h.at,
          action: h.action,
          from: h.from_status,
          to: h.to_status,
          reason: h.reason,
        })),
        ...(messageValue === undefined ? {} : { message: messageValue }),
      }
    })
  }

  readStatusLists(): Promise<StatusListSnapshot[]> {
    return this.#transaction('read the status lists', 'read', async (client) => {
      const lists = new Map<number, StatusListSnapshot>()
      const rows = await client.query<ListRow & { created_at: string; base_url: string | null }>(
        `SELECT list_number, length, allocated, created_at, base_url FROM status_lists
         ORDER BY list_number`,
      )
      for (const row of rows.rows) {
        lists.set(row.list_number, {
          listNumber: row.list_number,
          ...(row.base_url === null ? {} : { baseUrl: row.base_url }),
          length: row.length,
          purposes: [],
          allocated: row.allocated,
          createdAt: row.created_at,
          revoked: [],
          suspended: [],
        })
      }
      const purposes = await client.query<{ list_number: number; purpose: StatusPurpose }>(
        'SELECT list_number, purpose FROM status_list_purposes ORDER BY list_number, purpose',
      )
      for (const { list_number, purpose } of purposes.rows) {
        lists.get(list_number)?.purposes.push(purpose)
      }
      const flagged = await client.query<{
        list_number: number
        list_index: number
        status: CredentialStatusValue
      }>(
        `SELECT list_number, list_index, status FROM credentials
         WHERE status <> 'active' ORDER BY list_number, list_index`,
      )
      for (const { list_number, list_index, status } of flagged.rows) {
        const list = lists.get(list_number)
        if (list === undefined) continue
        if (status === 'suspended') list.suspended.push(list_index)
        else list.revoked.push(list_index)
      }
      const messageLists = await client.query<{ list_number: number }>(
        'SELECT list_number FROM status_message_lists',
      )
      for (const { list_number } of messageLists.rows) {
        const list = lists.get(list_number)
        if (list === undefined) continue
        list.purposes.push('message')
        list.messages = []
      }
      const values = await client.query<{ list_number: number; list_index: number; value: number }>(
        `SELECT c.list_number, c.list_index, m.value FROM status_messages m
         JOIN credentials c ON c.credential_id = m.credential_id
         WHERE m.value <> 0 ORDER BY c.list_number, c.list_index`,
      )
      for (const { list_number, list_index, value } of values.rows) {
        lists.get(list_number)?.messages?.push({ index: list_index, value })
      }
      for (const list of lists.values()) list.purposes.sort()
      return [...lists.values()]
    })
  }

  getBatchItem(batch: string, rowKey: string): Promise<BatchItemRecord | undefined> {
    return this.#transaction('read a batch item', 'read', async (client) => {
      const { rows } = await client.query<BatchItemRow>(
        `SELECT b.batch, b.row_key, b.credential_id, b.payload, b.recorded_at,
                c.list_number, c.list_index, c.status
         FROM batch_items b JOIN credentials c ON c.credential_id = b.credential_id
         WHERE b.batch = $1 AND b.row_key = $2`,
        [batch, rowKey],
      )
      const row = rows[0]
      return row === undefined ? undefined : batchItemOf(row)
    })
  }

  listBatchItems(batch: string): Promise<BatchItemRecord[]> {
    return this.#transaction('read the batch items', 'read', async (client) => {
      const { rows } = await client.query<BatchItemRow>(
        `SELECT b.batch, b.row_key, b.credential_id, '' AS payload, b.recorded_at,
                c.list_number, c.list_index, c.status
         FROM batch_items b JOIN credentials c ON c.credential_id = b.credential_id
         WHERE b.batch = $1 ORDER BY b.row_key COLLATE "C"`,
        [batch],
      )
      return rows.map(batchItemOf)
    })
  }

  readPublicationStates(): Promise<StatusListPublicationState[]> {
    return this.#transaction('read the publication states', 'read', async (client) => {
      const { rows } = await client.query<PublicationStateRow>(
        `SELECT p.list_number, p.purpose, p.revision, u.revision AS published_revision,
                u.published_at, u.valid_until, u.settings, u.digest
         FROM status_list_purposes p
         LEFT JOIN status_list_publications u
           ON u.list_number = p.list_number AND u.purpose = p.purpose
         UNION ALL
         SELECT list_number, 'message', revision, published_revision, published_at,
                valid_until, settings, digest
         FROM status_message_lists
         ORDER BY 1, 2`,
      )
      return rows.map(publicationStateOf)
    })
  }

  recordPublications(publications: readonly StatusListPublicationInput[]): Promise<void> {
    return this.#transaction('record the publications', 'write', async (client) => {
      for (const p of publications) {
        if (p.purpose === 'message') {
          await client.query(
            `UPDATE status_message_lists SET published_revision = $2, published_at = $3,
               valid_until = $4, settings = $5, digest = $6
             WHERE list_number = $1`,
            [p.listNumber, p.revision, p.publishedAt, p.validUntil, p.settings, p.digest],
          )
          continue
        }
        await client.query(
          `INSERT INTO status_list_publications
             (list_number, purpose, revision, published_at, valid_until, settings, digest)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (list_number, purpose) DO UPDATE SET
             revision = excluded.revision, published_at = excluded.published_at,
             valid_until = excluded.valid_until, settings = excluded.settings,
             digest = excluded.digest`,
          [p.listNumber, p.purpose, p.revision, p.publishedAt, p.validUntil, p.settings, p.digest],
        )
      }
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    try {
      await this.#pool.end()
    } catch (error) {
      throw storageError(error, 'close the connections')
    }
  }
}
