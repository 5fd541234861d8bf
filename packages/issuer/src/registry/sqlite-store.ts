/**
 * The default registry storage: one SQLite file (better-sqlite3), created on first use.
 *
 * - WAL journal, so readers never block the writer and a killed process never corrupts the file.
 * - `synchronous = FULL`: each commit is flushed (fsync of the WAL) before the call returns.
 *   `NORMAL` would survive a killed process but may lose the last commits on power loss; a lost
 *   allocation could then be handed out again to a credential that shares the index of one
 *   already delivered, and a lost revocation would silently un-revoke. Measured cost: ~0.4 ms per
 *   commit on this machine kind.
 * - Every write is one `BEGIN IMMEDIATE` transaction: the write lock is taken at the start, so
 *   concurrent issuers (processes or connections) queue on it (`busy_timeout`) instead of failing
 *   mid-transaction; an index is read free and taken under the same lock.
 *
 * @module
 */
import { randomInt } from 'node:crypto'
import { closeSync, openSync } from 'node:fs'
import type Database from 'better-sqlite3'
import { CertifyError, isCertifyError } from '@certify-vc/context'
import { checkOptionBag } from '../option-checks.js'
import { BLOCK_SIZE, SQLITE_MIGRATIONS } from './sqlite-migrations.js'
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
 * Options of {@link openSqliteStore}.
 *
 * @example
 * const options: OpenSqliteStoreOptions = { busyTimeoutMs: 10_000 }
 */
export interface OpenSqliteStoreOptions {
  /**
   * How long a write waits for another process's transaction before failing with
   * `ERR_REGISTRY_STORAGE` (SQLITE_BUSY). Default 10,000 ms.
   */
  busyTimeoutMs?: number
}

/**
 * Options of {@link openSqliteRegistry}: those of {@link openSqliteStore} and
 * {@link createStatusRegistry}.
 *
 * @example
 * const options: OpenSqliteRegistryOptions = { busyTimeoutMs: 10_000, listLength: 262_144 }
 */
export type OpenSqliteRegistryOptions = OpenSqliteStoreOptions & CreateStatusRegistryOptions

/** Random probes before picking the k-th free index (see `SqliteStore#pickFreeIndex`). */
const PROBES = 8
const DEFAULT_BUSY_TIMEOUT_MS = 10_000

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
  suspension: number
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

/** A batch item row joined with its credential (both backends read the same columns). */
export interface BatchItemRow {
  batch: string
  row_key: string
  credential_id: string
  payload: string
  recorded_at: string
  list_number: number
  list_index: number
  status: CredentialStatusValue
}

/** @internal */
export function batchItemOf(row: BatchItemRow): BatchItemRecord {
  return {
    batch: row.batch,
    rowKey: row.row_key,
    credentialId: row.credential_id,
    listNumber: row.list_number,
    index: row.list_index,
    status: row.status,
    recordedAt: row.recorded_at,
    payload: row.payload,
  }
}

/** A list purpose row with its last publication (both backends read the same columns). */
export interface PublicationStateRow {
  list_number: number
  purpose: StatusPurpose
  revision: number
  published_revision: number | null
  published_at: string | null
  valid_until: string | null
  settings: string | null
  digest: string | null
}

/** @internal */
export function publicationStateOf(row: PublicationStateRow): StatusListPublicationState {
  const state: StatusListPublicationState = {
    listNumber: row.list_number,
    purpose: row.purpose,
    revision: row.revision,
  }
  if (row.published_revision !== null) {
    state.published = {
      revision: row.published_revision,
      publishedAt: row.published_at ?? '',
      validUntil: row.valid_until ?? '',
      settings: row.settings ?? '',
      digest: row.digest ?? '',
    }
  }
  return state
}

/** @internal */
export function noMessageEntry(credentialId: string): CertifyError {
  return new CertifyError(
    'ERR_REGISTRY_TRANSITION',
    `${credentialId} carries no status message entry (it was issued without one).`,
  )
}

/** The error for a batch item that is already recorded. @internal */
export function batchItemRecorded(batch: string, rowKey: string): CertifyError {
  return new CertifyError(
    'ERR_BATCH_ROW_RECORDED',
    `Batch ${JSON.stringify(batch)} already holds row key ${JSON.stringify(rowKey)}.`,
  )
}

/** Wraps a backend failure as `ERR_REGISTRY_STORAGE` (CertifyErrors pass through). @internal */
export function storageError(error: unknown, doing: string): CertifyError {
  if (isCertifyError(error)) return error
  const code =
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string'
      ? ` (${(error as { code: string }).code})`
      : ''
  const message = error instanceof Error ? error.message : String(error)
  return new CertifyError(
    'ERR_REGISTRY_STORAGE',
    `The status registry could not ${doing}${code}: ${message}`,
    { cause: error },
  )
}

function migrate(db: Database.Database): void {
  const latest = SQLITE_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0)
  db.transaction(() => {
    db.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    INTEGER PRIMARY KEY,
         name       TEXT NOT NULL,
         applied_at TEXT NOT NULL
       ) STRICT`,
    )
    const current = db
      .prepare('SELECT COALESCE(MAX(version), 0) FROM schema_migrations')
      .pluck()
      .get() as number
    if (current > latest) {
      throw new CertifyError(
        'ERR_REGISTRY_STORAGE',
        `The registry file is at schema version ${current}; this certify-vc knows up to ${latest}.`,
      )
    }
    const record = db.prepare(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    )
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= current) continue
      db.exec(migration.sql)
      record.run(migration.version, migration.name, new Date().toISOString())
    }
  }).immediate()
}

/** Creates the file with mode 0600 if it does not exist (SQLite gives its WAL the same mode). */
function createPrivately(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600))
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error
  }
}

/**
 * Opens (creating on first use) a SQLite registry file and brings its schema up to date.
 * Several processes may open the same file: writes queue on SQLite's write lock.
 *
 * @example
 * const store = await openSqliteStore('./certify-vc.sqlite')
 * const registry = createStatusRegistry(store)
 *
 * @throws {TypeError} for a path that is not a non-empty string, `:memory:`, or bad options.
 * @throws {CertifyError} `ERR_REGISTRY_STORAGE` when the file cannot be created or opened, is
 *   not a SQLite database, has a newer schema, or cannot use WAL (`cause` holds the error).
 */
export async function openSqliteStore(
  path: string,
  options: OpenSqliteStoreOptions = {},
): Promise<RegistryStore> {
  const busyTimeoutMs = checkStoreArguments(path, options)
  // Loaded on first use: importing the package never loads the native module.
  let driver: typeof Database
  try {
    driver = (await import('better-sqlite3')).default
  } catch (error) {
    throw storageError(error, 'load better-sqlite3')
  }
  let db: Database.Database | undefined
  try {
    createPrivately(path)
    db = new driver(path, { timeout: busyTimeoutMs })
    const mode = db.pragma('journal_mode = WAL', { simple: true }) as string
    if (mode.toLowerCase() !== 'wal') {
      throw new CertifyError(
        'ERR_REGISTRY_STORAGE',
        `The registry file cannot use WAL (journal mode is ${mode}).`,
      )
    }
    // After journal_mode: this build defaults WAL connections to NORMAL.
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    migrate(db)
    return new SqliteStore(db)
  } catch (error) {
    db?.close()
    throw storageError(error, `open ${path}`)
  }
}

/** Checks the arguments of {@link openSqliteStore}; returns the busy timeout. */
function checkStoreArguments(path: unknown, options: unknown): number {
  if (typeof path !== 'string' || path.length === 0) {
    throw new TypeError('"path" must be a non-empty string.')
  }
  if (path === ':memory:' || path.startsWith('file:')) {
    throw new TypeError('"path" must be a file path: an in-memory registry would lose everything.')
  }
  checkOptionBag(options, 'options', ['busyTimeoutMs'])
  const busyTimeoutMs: unknown = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS
  if (
    typeof busyTimeoutMs !== 'number' ||
    !Number.isSafeInteger(busyTimeoutMs) ||
    busyTimeoutMs < 0 ||
    busyTimeoutMs > 2 ** 31 - 1
  ) {
    throw new TypeError('"busyTimeoutMs" must be a non-negative integer.')
  }

  return busyTimeoutMs
}

/**
 * Opens the SQLite status registry at `path` (created on first use; the CLI's default is
 * `./certify-vc.sqlite`).
 *
 * @example
 * const registry = await openSqliteRegistry('./certify-vc.sqlite')
 * const { listNumber, index } = await registry.allocateStatus({
 *   credentialId: 'urn:uuid:0f4c…',
 *   program: 'AIDA',
 *   recipient: { name: 'Ada Lovelace' },
 *   suspension: false,
 * })
 * await registry.close()
 *
 * @throws {TypeError} for bad arguments (see {@link openSqliteStore}, {@link createStatusRegistry}).
 * @throws {CertifyError} `ERR_REGISTRY_STORAGE` as {@link openSqliteStore}.
 */
export async function openSqliteRegistry(
  path: string,
  options: OpenSqliteRegistryOptions = {},
): Promise<StatusRegistry> {
  // Checked first, so that a bad option does not leave a new file behind.
  checkRegistryOptions(options, ['busyTimeoutMs', 'listLength', 'clock'])
  const { busyTimeoutMs, ...registryOptions } = options
  const store = await openSqliteStore(path, busyTimeoutMs === undefined ? {} : { busyTimeoutMs })
  return createStatusRegistry(store, registryOptions)
}

class SqliteStore implements RegistryStore {
  readonly backend = 'sqlite'
  readonly #db: Database.Database
  readonly #sql

  constructor(db: Database.Database) {
    this.#db = db
    const prepare = (sql: string) => db.prepare(sql)
    this.#sql = {
      credentialExists: prepare('SELECT 1 FROM credentials WHERE credential_id = ?').pluck(),
      lastList: prepare(
        `SELECT list_number, length, allocated FROM status_lists WHERE base_url IS ?
         ORDER BY list_number DESC LIMIT 1`,
      ),
      maxListNumber: prepare('SELECT COALESCE(MAX(list_number), 0) FROM status_lists').pluck(),
      insertList: prepare(
        `INSERT INTO status_lists (list_number, length, allocated, created_at, base_url)
         VALUES (?, ?, 0, ?, ?)`,
      ),
      insertPurpose: prepare(
        'INSERT OR IGNORE INTO status_list_purposes (list_number, purpose, created_at) VALUES (?, ?, ?)',
      ),
      indexTaken: prepare(
        'SELECT 1 FROM credentials WHERE list_number = ? AND list_index = ?',
      ).pluck(),
      blocks: prepare('SELECT block, used FROM status_list_blocks WHERE list_number = ?'),
      takenInRange: prepare(
        `SELECT list_index FROM credentials
         WHERE list_number = ? AND list_index BETWEEN ? AND ? ORDER BY list_index`,
      ).pluck(),
      insertCredential: prepare(
        `INSERT INTO credentials
           (credential_id, program, recipient, issued_at, list_number, list_index, suspension, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'active')`,
      ),
      countAllocation: prepare(
        'UPDATE status_lists SET allocated = allocated + 1 WHERE list_number = ?',
      ),
      countBlock: prepare(
        `INSERT INTO status_list_blocks (list_number, block, used) VALUES (?, ?, 1)
         ON CONFLICT (list_number, block) DO UPDATE SET used = used + 1`,
      ),
      insertHistory: prepare(
        `INSERT INTO status_history (credential_id, at, action, from_status, to_status, reason)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      credentialState: prepare(
        'SELECT status, suspension FROM credentials WHERE credential_id = ?',
      ),
      updateStatus: prepare('UPDATE credentials SET status = ? WHERE credential_id = ?'),
      credential: prepare(
        `SELECT c.*, l.base_url FROM credentials c
         JOIN status_lists l ON l.list_number = c.list_number WHERE c.credential_id = ?`,
      ),
      history: prepare(
        `SELECT at, action, from_status, to_status, reason FROM status_history
         WHERE credential_id = ? ORDER BY id`,
      ),
      lists: prepare(
        `SELECT list_number, length, allocated, created_at, base_url FROM status_lists
         ORDER BY list_number`,
      ),
      purposes: prepare(
        'SELECT list_number, purpose FROM status_list_purposes ORDER BY list_number, purpose',
      ),
      flagged: prepare(
        `SELECT list_number, list_index, status FROM credentials
         WHERE status <> 'active' ORDER BY list_number, list_index`,
      ),
      batchItemExists: prepare('SELECT 1 FROM batch_items WHERE batch = ? AND row_key = ?').pluck(),
      insertBatchItem: prepare(
        `INSERT INTO batch_items (batch, row_key, credential_id, payload, recorded_at)
         VALUES (?, ?, ?, ?, ?)`,
      ),
      batchItem: prepare(
        `SELECT b.batch, b.row_key, b.credential_id, b.payload, b.recorded_at,
                c.list_number, c.list_index, c.status
         FROM batch_items b JOIN credentials c ON c.credential_id = b.credential_id
         WHERE b.batch = ? AND b.row_key = ?`,
      ),
      batchItems: prepare(
        `SELECT b.batch, b.row_key, b.credential_id, '' AS payload, b.recorded_at,
                c.list_number, c.list_index, c.status
         FROM batch_items b JOIN credentials c ON c.credential_id = b.credential_id
         WHERE b.batch = ? ORDER BY b.row_key`,
      ),
      publicationStates: prepare(
        `SELECT p.list_number, p.purpose, p.revision, u.revision AS published_revision,
                u.published_at, u.valid_until, u.settings, u.digest
         FROM status_list_purposes p
         LEFT JOIN status_list_publications u
           ON u.list_number = p.list_number AND u.purpose = p.purpose
         ORDER BY p.list_number, p.purpose`,
      ),
      insertMessageList: prepare(
        'INSERT OR IGNORE INTO status_message_lists (list_number, created_at) VALUES (?, ?)',
      ),
      insertMessage: prepare(
        'INSERT INTO status_messages (credential_id, value, updated_at) VALUES (?, 0, ?)',
      ),
      message: prepare('SELECT value FROM status_messages WHERE credential_id = ?').pluck(),
      updateMessage: prepare(
        'UPDATE status_messages SET value = ?, updated_at = ? WHERE credential_id = ?',
      ),
      bumpMessageList: prepare(
        'UPDATE status_message_lists SET revision = revision + 1 WHERE list_number = ?',
      ),
      insertMessageHistory: prepare(
        `INSERT INTO status_message_history (credential_id, at, from_value, to_value, reason)
         VALUES (?, ?, ?, ?, ?)`,
      ),
      messageLists: prepare('SELECT list_number FROM status_message_lists').pluck(),
      messageValues: prepare(
        `SELECT c.list_number, c.list_index, m.value FROM status_messages m
         JOIN credentials c ON c.credential_id = m.credential_id
         WHERE m.value <> 0 ORDER BY c.list_number, c.list_index`,
      ),
      messagePublicationStates: prepare(
        `SELECT list_number, 'message' AS purpose, revision, published_revision, published_at,
                valid_until, settings, digest
         FROM status_message_lists ORDER BY list_number`,
      ),
      recordMessagePublication: prepare(
        `UPDATE status_message_lists SET published_revision = ?, published_at = ?,
           valid_until = ?, settings = ?, digest = ?
         WHERE list_number = ?`,
      ),
      recordPublication: prepare(
        `INSERT INTO status_list_publications
           (list_number, purpose, revision, published_at, valid_until, settings, digest)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (list_number, purpose) DO UPDATE SET
           revision = excluded.revision, published_at = excluded.published_at,
           valid_until = excluded.valid_until, settings = excluded.settings,
           digest = excluded.digest`,
      ),
    }
  }

  /**
   * Runs `body` in one transaction (`immediate` takes the write lock first; while another
   * connection holds it, SQLite's busy handler waits up to `busy_timeout`).
   */
  #transaction<T>(doing: string, mode: 'immediate' | 'deferred', body: () => T): Promise<T> {
    return Promise.resolve().then(() => {
      if (!this.#db.open) throw new TypeError('The SQLite registry store is closed.')
      try {
        const transaction = this.#db.transaction(body)
        return mode === 'immediate' ? transaction.immediate() : transaction.deferred()
      } catch (error) {
        throw storageError(error, doing)
      }
    })
  }

  /**
   * An index uniformly at random among the free ones: a few random probes (each success is
   * uniform over the free set: rejection sampling), then the k-th free index for a uniform k,
   * found through the per-block counters. Runs inside the allocation transaction.
   */
  #pickFreeIndex(list: ListRow): number {
    const sql = this.#sql
    for (let i = 0; i < PROBES; i++) {
      const candidate = randomInt(list.length)
      if (sql.indexTaken.get(list.list_number, candidate) === undefined) return candidate
    }
    let k = randomInt(list.length - list.allocated)
    const used = new Map<number, number>()
    for (const row of sql.blocks.all(list.list_number) as { block: number; used: number }[]) {
      used.set(row.block, row.used)
    }
    for (let start = 0, block = 0; start < list.length; start += BLOCK_SIZE, block++) {
      const size = Math.min(BLOCK_SIZE, list.length - start)
      const free = size - (used.get(block) ?? 0)
      if (k >= free) {
        k -= free
        continue
      }
      const taken = sql.takenInRange.all(list.list_number, start, start + size - 1) as number[]
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
    return this.#transaction('allocate a status list index', 'immediate', () =>
      this.#allocateOne(record),
    )
  }

  allocateMany(records: readonly NewCredentialRecord[]): Promise<StatusAllocation[]> {
    return this.#transaction('allocate status list indices', 'immediate', () =>
      records.map((record) => this.#allocateOne(record)),
    )
  }

  /** One allocation, inside the caller's transaction. */
  #allocateOne(record: NewCredentialRecord): StatusAllocation {
    const sql = this.#sql
    if (sql.credentialExists.get(record.credentialId) !== undefined) {
      throw new CertifyError(
        'ERR_ISSUE_INVALID_INPUT',
        `The registry already holds a credential with id ${record.credentialId}.`,
      )
    }
    const item = record.batchItem
    if (item !== undefined && sql.batchItemExists.get(item.batch, item.rowKey) !== undefined) {
      throw batchItemRecorded(item.batch, item.rowKey)
    }
    const baseUrl = record.statusBaseUrl ?? null
    let list = sql.lastList.get(baseUrl) as ListRow | undefined
    if (list === undefined || list.allocated >= list.length) {
      // List numbers are shared by every base URL: a list's URL is told apart by its number.
      const listNumber = (sql.maxListNumber.get() as number) + 1
      if (!Number.isSafeInteger(listNumber + 1)) {
        throw new CertifyError('ERR_REGISTRY_FULL', 'No list number is left.')
      }
      sql.insertList.run(listNumber, record.listLength, record.issuedAt, baseUrl)
      sql.insertPurpose.run(listNumber, 'revocation', record.issuedAt)
      list = { list_number: listNumber, length: record.listLength, allocated: 0 }
    }
    const index = this.#pickFreeIndex(list)
    sql.insertCredential.run(
      record.credentialId,
      record.program,
      JSON.stringify(record.recipient),
      record.issuedAt,
      list.list_number,
      index,
      record.suspension ? 1 : 0,
    )
    sql.countAllocation.run(list.list_number)
    sql.countBlock.run(list.list_number, Math.floor(index / BLOCK_SIZE))
    if (record.suspension) {
      sql.insertPurpose.run(list.list_number, 'suspension', record.issuedAt)
    }
    if (record.messages === true) {
      sql.insertMessageList.run(list.list_number, record.issuedAt)
      sql.insertMessage.run(record.credentialId, record.issuedAt)
    }
    sql.insertHistory.run(record.credentialId, record.issuedAt, 'issue', null, 'active', null)
    if (item !== undefined) {
      sql.insertBatchItem.run(
        item.batch,
        item.rowKey,
        record.credentialId,
        item.payload,
        record.issuedAt,
      )
    }
    return { listNumber: list.list_number, index }
  }

  changeStatus(
    credentialId: string,
    at: string,
    decide: StatusDecider,
  ): Promise<StatusChangeResult | undefined> {
    return this.#transaction('change a status', 'immediate', (): StatusChangeResult | undefined => {
      const sql = this.#sql
      const row = sql.credentialState.get(credentialId) as
        { status: CredentialStatusValue; suspension: number } | undefined
      if (row === undefined) return undefined
      const transition = decide({ status: row.status, suspension: row.suspension === 1 })
      if (transition === undefined) {
        return { credentialId, previous: row.status, status: row.status, changed: false }
      }
      sql.updateStatus.run(transition.to, credentialId)
      sql.insertHistory.run(
        credentialId,
        at,
        transition.action,
        row.status,
        transition.to,
        transition.reason,
      )
      return { credentialId, previous: row.status, status: transition.to, changed: true }
    })
  }

  setMessage(
    credentialId: string,
    value: number,
    at: string,
    reason: string,
  ): Promise<StatusMessageChangeResult | undefined> {
    return this.#transaction('set a status message', 'immediate', () => {
      const sql = this.#sql
      const row = sql.credential.get(credentialId) as CredentialRow | undefined
      if (row === undefined) return undefined
      const previous = sql.message.get(credentialId) as number | undefined
      if (previous === undefined) throw noMessageEntry(credentialId)
      if (previous === value) return { credentialId, previous, value, changed: false }
      sql.updateMessage.run(value, at, credentialId)
      sql.bumpMessageList.run(row.list_number)
      sql.insertMessageHistory.run(credentialId, at, previous, value, reason)
      return { credentialId, previous, value, changed: true }
    })
  }

  getCredential(credentialId: string): Promise<CredentialStatusRecord | undefined> {
    return this.#transaction(
      'read a credential',
      'deferred',
      (): CredentialStatusRecord | undefined => {
        const row = this.#sql.credential.get(credentialId) as CredentialRow | undefined
        if (row === undefined) return undefined
        const history = (this.#sql.history.all(credentialId) as HistoryRow[]).map((h) => ({
          at: h.at,
          action: h.action,
          from: h.from_status,
          to: h.to_status,
          reason: h.reason,
        }))
        const message = this.#sql.message.get(credentialId) as number | undefined
        return {
          credentialId: row.credential_id,
          program: row.program,
          recipient: JSON.parse(row.recipient) as RecipientSummary,
          issuedAt: row.issued_at,
          listNumber: row.list_number,
          index: row.list_index,
          ...(row.base_url === null ? {} : { statusBaseUrl: row.base_url }),
          suspension: row.suspension === 1,
          status: row.status,
          history,
          ...(message === undefined ? {} : { message }),
        }
      },
    )
  }

  readStatusLists(): Promise<StatusListSnapshot[]> {
    return this.#transaction('read the status lists', 'deferred', (): StatusListSnapshot[] => {
      const lists = new Map<number, StatusListSnapshot>()
      const rows = this.#sql.lists.all() as (ListRow & {
        created_at: string
        base_url: string | null
      })[]
      for (const row of rows) {
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
      const purposes = this.#sql.purposes.all() as {
        list_number: number
        purpose: StatusPurpose
      }[]
      for (const { list_number, purpose } of purposes) {
        lists.get(list_number)?.purposes.push(purpose)
      }
      const flagged = this.#sql.flagged.all() as {
        list_number: number
        list_index: number
        status: CredentialStatusValue
      }[]
      for (const { list_number, list_index, status } of flagged) {
        const list = lists.get(list_number)
        if (list === undefined) continue
        if (status === 'suspended') list.suspended.push(list_index)
        else list.revoked.push(list_index)
      }
      for (const listNumber of this.#sql.messageLists.all() as number[]) {
        const list = lists.get(listNumber)
        if (list === undefined) continue
        list.purposes.push('message')
        list.messages = []
      }
      const values = this.#sql.messageValues.all() as {
        list_number: number
        list_index: number
        value: number
      }[]
      for (const { list_number, list_index, value } of values) {
        lists.get(list_number)?.messages?.push({ index: list_index, value })
      }
      // 'message' < 'revocation' < 'suspension': the order the lists are published in.
      for (const list of lists.values()) list.purposes.sort()
      return [...lists.values()]
    })
  }

  getBatchItem(batch: string, rowKey: string): Promise<BatchItemRecord | undefined> {
    return this.#transaction('read a batch item', 'deferred', () => {
      const row = this.#sql.batchItem.get(batch, rowKey) as BatchItemRow | undefined
      return row === undefined ? undefined : batchItemOf(row)
    })
  }

  listBatchItems(batch: string): Promise<BatchItemRecord[]> {
    return this.#transaction('read the batch items', 'deferred', () =>
      (this.#sql.batchItems.all(batch) as BatchItemRow[]).map(batchItemOf),
    )
  }

  readPublicationStates(): Promise<StatusListPublicationState[]> {
    return this.#transaction('read the publication states', 'deferred', () =>
      [
        ...(this.#sql.publicationStates.all() as PublicationStateRow[]),
        ...(this.#sql.messagePublicationStates.all() as PublicationStateRow[]),
      ]
        .map(publicationStateOf)
        .sort((a, b) => a.listNumber - b.listNumber || a.purpose.localeCompare(b.purpose)),
    )
  }

  recordPublications(publications: readonly StatusListPublicationInput[]): Promise<void> {
    return this.#transaction('record the publications', 'immediate', () => {
      for (const p of publications) {
        if (p.purpose === 'message') {
          this.#sql.recordMessagePublication.run(
            p.revision,
            p.publishedAt,
            p.validUntil,
            p.settings,
            p.digest,
            p.listNumber,
          )
          continue
        }
        this.#sql.recordPublication.run(
          p.listNumber,
          p.purpose,
          p.revision,
          p.publishedAt,
          p.validUntil,
          p.settings,
          p.digest,
        )
      }
    })
  }

  close(): Promise<void> {
    if (this.#db.open) {
      try {
        this.#db.close()
      } catch (error) {
        return Promise.reject(storageError(error, 'close the file'))
      }
    }
    return Promise.resolve()
  }
}
