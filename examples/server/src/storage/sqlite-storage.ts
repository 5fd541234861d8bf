/**
 * The server's storage in one SQLite file (`DATA_DIR/server.sqlite`, better-sqlite3): the
 * default for a single instance. WAL journal and `synchronous = FULL`, so every commit is on disk
 * before a call returns (a lost claim or challenge use would let a retry issue twice or a
 * presentation be replayed); writes take the write lock first (`BEGIN IMMEDIATE`), so processes
 * sharing the file queue instead of failing mid-transaction.
 *
 * @module
 */
import { closeSync, openSync } from 'node:fs'
import Database from 'better-sqlite3'
import type { StoredChallenge } from '@certify-vc/verifier'
import { directoryEntryOf } from './directory-index.js'
import { DIRECTORY_INDEX_VERSION, latestVersion, SQLITE_SERVER_MIGRATIONS } from './migrations.js'
import {
  StorageError,
  type ChallengeRecords,
  type CredentialStore,
  type IssueClaim,
  type IssuedRecord,
  type CreateOfferOutcome,
  type OfferRecord,
  type OfferStore,
  type RedeemOutcome,
  type ServerStorage,
  type StatusListDocuments,
} from './types.js'

const BUSY_TIMEOUT_MS = 10_000

/** A claim row, as both backends read it. @internal */
export interface ClaimRow {
  credential_id: string
  idempotency_key: string | null
  fingerprint: string
  state: IssueClaim['state']
  owner: string
  claimed_at: number | string
  voided: number | boolean
}

/** @internal */
export function claimOf(row: ClaimRow): IssueClaim {
  return {
    credentialId: row.credential_id,
    idempotencyKey: row.idempotency_key,
    fingerprint: row.fingerprint,
    state: row.state,
    owner: row.owner,
    claimedAt: Number(row.claimed_at),
    voided: row.voided === true || row.voided === 1,
  }
}

/** An issued row, as both backends read it. @internal */
export interface IssuedRow {
  credential_id: string
  verification_method: string
  issued_at: string
  valid_until: string | null
  managed_status: number | boolean
}

/** @internal */
export function issuedOf(row: IssuedRow): IssuedRecord {
  return {
    credentialId: row.credential_id,
    verificationMethod: row.verification_method,
    issuedAt: row.issued_at,
    validUntil: row.valid_until,
    managedStatus: row.managed_status === true || row.managed_status === 1,
  }
}

/** A challenge row, as both backends read it. @internal */
export interface ChallengeRow {
  challenge: string
  domain: string | null
  expires_at: number | string
  used_at: number | string | null
}

/** @internal */
export function challengeOf(row: ChallengeRow, usedAt?: number | string | null): StoredChallenge {
  const used = usedAt === undefined ? row.used_at : usedAt
  return {
    challenge: row.challenge,
    ...(row.domain === null ? {} : { domain: row.domain }),
    expiresAt: Number(row.expires_at),
    ...(used === null ? {} : { usedAt: Number(used) }),
  }
}

/** An offer row, as both backends read it. @internal */
export interface OfferRow {
  offer_id: string
  program: string
  request: string
  pre_authorized_code: string
  tx_code_hash: string | null
  tx_code_failures: number | string
  created_at: number | string
  expires_at: number | string
  code_redeemed_at: number | string | null
  exchange_challenge: string | null
  holder: string | null
  claimed_via: OfferRecord['claimedVia']
  credential_id: string | null
  claimed_at: number | string | null
  idempotency_key: string | null
  fingerprint: string | null
}

const numberOrNull = (value: number | string | null): number | null =>
  value === null ? null : Number(value)

/** @internal */
export function offerOf(row: OfferRow): OfferRecord {
  return {
    offerId: row.offer_id,
    program: row.program,
    request: JSON.parse(row.request) as Record<string, unknown>,
    preAuthorizedCode: row.pre_authorized_code,
    txCodeHash: row.tx_code_hash,
    txCodeFailures: Number(row.tx_code_failures),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    codeRedeemedAt: numberOrNull(row.code_redeemed_at),
    exchangeChallenge: row.exchange_challenge,
    holder: row.holder,
    claimedVia: row.claimed_via,
    credentialId: row.credential_id,
    claimedAt: numberOrNull(row.claimed_at),
    idempotencyKey: row.idempotency_key,
    fingerprint: row.fingerprint,
  }
}

/**
 * What redeeming a pre-authorized code decides from the offer row (both backends run it inside
 * their transaction, with the row locked): `redeem`, `fail` (a wrong transaction code, counted),
 * or a refusal. @internal
 */
export function redeemDecision(
  offer: OfferRecord,
  given: string | undefined,
  maxFailures: number,
  now: number,
): Exclude<RedeemOutcome['outcome'], 'redeemed'> | 'fail' | 'redeem' {
  if (offer.codeRedeemedAt !== null || offer.holder !== null) return 'used'
  if (offer.expiresAt <= now) return 'expired'
  if (offer.txCodeHash === null) return given === undefined ? 'redeem' : 'tx-code-unexpected'
  if (offer.txCodeFailures >= maxFailures) return 'tx-code-locked'
  if (given === undefined) return 'tx-code-missing'
  return given === offer.txCodeHash ? 'redeem' : 'fail'
}

/** Whether the credential's validity has not ended at `now`. @internal */
export function stillValid(validUntil: string | null, now: Date): boolean {
  return validUntil === null || Date.parse(validUntil) > now.getTime()
}

function migrate(db: Database.Database): void {
  const latest = latestVersion(SQLITE_SERVER_MIGRATIONS)
  db.transaction(() => {
    db.exec(
      `CREATE TABLE IF NOT EXISTS server_schema_migrations (
         version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`,
    )
    const current = db
      .prepare('SELECT COALESCE(MAX(version), 0) FROM server_schema_migrations')
      .pluck()
      .get() as number
    if (current > latest) {
      throw new Error(`server.sqlite is at schema version ${current}; this server knows ${latest}.`)
    }
    const record = db.prepare('INSERT INTO server_schema_migrations VALUES (?, ?, ?)')
    for (const m of SQLITE_SERVER_MIGRATIONS) {
      if (m.version <= current) continue
      db.exec(m.sql)
      record.run(m.version, m.name, new Date().toISOString())
    }
    if (current < DIRECTORY_INDEX_VERSION) {
      // Rows listed before the search index existed get their entry now.
      const rows = db
        .prepare('SELECT credential_id, document FROM public_directory WHERE name_key IS NULL')
        .all() as { credential_id: string; document: string }[]
      const update = db.prepare(
        'UPDATE public_directory SET name_key = ?, achievement_id = ? WHERE credential_id = ?',
      )
      for (const row of rows) {
        const entry = directoryEntryOf(JSON.parse(row.document) as unknown)
        update.run(entry.nameKey, entry.achievementId, row.credential_id)
      }
    }
  }).immediate()
}

/**
 * Opens (creating on first use, mode 0600) the server's SQLite file and brings its schema up to
 * date.
 *
 * @throws {StorageError} when the file cannot be opened or migrated.
 */
export function openSqliteStorage(path: string): ServerStorage {
  let db: Database.Database | undefined
  try {
    // Created 0600 first: SQLite gives its journal files the main file's mode.
    closeSync(openSync(path, 'a', 0o600))
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS })
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    migrate(db)
  } catch (error) {
    db?.close()
    throw new StorageError(`open ${path}`, error)
  }
  return createSqliteStorage(db)
}

function createSqliteStorage(db: Database.Database): ServerStorage {
  const run = <T>(doing: string, body: () => T): Promise<T> =>
    Promise.resolve().then(() => {
      if (!db.open) throw new TypeError('The server storage is closed.')
      try {
        return body()
      } catch (error) {
        throw new StorageError(doing, error)
      }
    })
  const write = <T>(doing: string, body: () => T): Promise<T> =>
    run(doing, () => db.transaction(body).immediate())
  const sql = {
    claimInsert: db.prepare(
      `INSERT INTO issue_requests
         (credential_id, idempotency_key, fingerprint, state, owner, claimed_at, created_at)
       VALUES (?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    claimByKey: db.prepare('SELECT * FROM issue_requests WHERE idempotency_key = ?'),
    claimById: db.prepare('SELECT * FROM issue_requests WHERE credential_id = ?'),
    takeOver: db.prepare(
      `UPDATE issue_requests SET owner = ?, claimed_at = ?
       WHERE credential_id = ? AND state = 'pending' AND claimed_at < ? RETURNING *`,
    ),
    reassign: db.prepare(
      `UPDATE issue_requests SET credential_id = ?
       WHERE credential_id = ? AND owner = ? AND state = 'pending'`,
    ),
    release: db.prepare(
      "DELETE FROM issue_requests WHERE credential_id = ? AND owner = ? AND state = 'pending'",
    ),
    markIssued: db.prepare(
      `UPDATE issue_requests SET state = 'issued'
       WHERE credential_id = ? AND owner = ? AND state = 'pending'`,
    ),
    insertIssued: db.prepare(
      `INSERT INTO issued
         (credential_id, verification_method, issued_at, valid_until, managed_status, document)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    insertDirectory: db.prepare(
      `INSERT INTO public_directory (credential_id, document, listed_at, name_key, achievement_id)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (credential_id) DO NOTHING`,
    ),
    deleteDirectory: db.prepare('DELETE FROM public_directory WHERE credential_id = ?'),
    searchDirectory: db.prepare(
      `SELECT credential_id, document FROM public_directory
       WHERE achievement_id = ? AND name_key = ? ORDER BY listed_at, credential_id LIMIT ?`,
    ),
    abandon: db.prepare(
      `UPDATE issue_requests SET state = 'abandoned'
       WHERE state = 'pending' AND claimed_at < ? RETURNING *`,
    ),
    toVoid: db.prepare(
      "SELECT * FROM issue_requests WHERE state = 'abandoned' AND voided = 0 LIMIT ?",
    ),
    markVoided: db.prepare('UPDATE issue_requests SET voided = 1 WHERE credential_id = ?'),
    issued: db.prepare(
      `SELECT credential_id, verification_method, issued_at, valid_until, managed_status
       FROM issued WHERE credential_id = ?`,
    ),
    document: db.prepare('SELECT document FROM issued WHERE credential_id = ?').pluck(),
    directory: db.prepare('SELECT document FROM public_directory WHERE credential_id = ?').pluck(),
    byMethod: db.prepare(
      'SELECT credential_id, valid_until FROM issued WHERE verification_method = ?',
    ),
    challengeInsert: db.prepare(
      `INSERT INTO challenges (challenge, domain, expires_at, client_key, network_key)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    challengeUse: db.prepare(
      'UPDATE challenges SET used_at = ? WHERE challenge = ? AND used_at IS NULL RETURNING *',
    ),
    challenge: db.prepare('SELECT * FROM challenges WHERE challenge = ?'),
    outstanding: db
      .prepare('SELECT COUNT(*) FROM challenges WHERE used_at IS NULL AND expires_at > ?')
      .pluck(),
    outstandingClient: db
      .prepare(
        'SELECT COUNT(*) FROM challenges WHERE client_key = ? AND used_at IS NULL AND expires_at > ?',
      )
      .pluck(),
    outstandingNetwork: db
      .prepare(
        'SELECT COUNT(*) FROM challenges WHERE network_key = ? AND used_at IS NULL AND expires_at > ?',
      )
      .pluck(),
    deleteExpired: db.prepare('DELETE FROM challenges WHERE expires_at <= ?'),
    listGet: db.prepare('SELECT * FROM status_list_documents WHERE url = ?'),
    listPut: db.prepare(
      `INSERT INTO status_list_documents (url, revision, settings, valid_until, document, signed_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (url) DO UPDATE SET revision = excluded.revision,
         settings = excluded.settings, valid_until = excluded.valid_until,
         document = excluded.document, signed_at = excluded.signed_at
       WHERE excluded.revision >= status_list_documents.revision`,
    ),
  }

  const credentials: CredentialStore = {
    claim: (c) =>
      write('record an issue request', () => {
        const inserted =
          sql.claimInsert.run(
            c.credentialId,
            c.idempotencyKey ?? null,
            c.fingerprint,
            c.owner,
            c.now,
            c.now,
          ).changes === 1
        const row = ((c.idempotencyKey === undefined
          ? undefined
          : sql.claimByKey.get(c.idempotencyKey)) ?? sql.claimById.get(c.credentialId)) as
          ClaimRow | undefined
        if (row === undefined) throw new Error('The claim vanished.')
        return { claimed: inserted, claim: claimOf(row) }
      }),
    takeOver: (id, owner, staleBefore, now) =>
      write('take over an issue request', () => {
        const row = sql.takeOver.get(owner, now, id, staleBefore) as ClaimRow | undefined
        return row === undefined ? undefined : claimOf(row)
      }),
    reassign: (id, owner, newId) =>
      write('reassign an issue request', () => sql.reassign.run(newId, id, owner).changes === 1),
    release: (id, owner) =>
      write('release an issue request', () => {
        sql.release.run(id, owner)
      }),
    complete: (owner, r, document, listed) =>
      write('record an issued credential', () => {
        if (sql.markIssued.run(r.credentialId, owner).changes !== 1) return false
        const text = JSON.stringify(document)
        sql.insertIssued.run(
          r.credentialId,
          r.verificationMethod,
          r.issuedAt,
          r.validUntil,
          r.managedStatus ? 1 : 0,
          text,
        )
        if (listed) {
          const entry = directoryEntryOf(document)
          sql.insertDirectory.run(
            r.credentialId,
            text,
            r.issuedAt,
            entry.nameKey,
            entry.achievementId,
          )
        }
        return true
      }),
    getClaim: (id) =>
      run('read an issue request', () => {
        const row = sql.claimById.get(id) as ClaimRow | undefined
        return row === undefined ? undefined : claimOf(row)
      }),
    abandonStale: (before) =>
      write('abandon stale issue requests', () =>
        (sql.abandon.all(before) as ClaimRow[]).map(claimOf),
      ),
    abandonedToVoid: (limit) =>
      run('read abandoned issue requests', () =>
        (sql.toVoid.all(limit) as ClaimRow[]).map(claimOf),
      ),
    markVoided: (id) =>
      write('mark an issue request voided', () => {
        sql.markVoided.run(id)
      }),
    getIssued: (id) =>
      run('read an issued credential', () => {
        const row = sql.issued.get(id) as IssuedRow | undefined
        return row === undefined ? undefined : issuedOf(row)
      }),
    getCredential: (id) =>
      run('read an issued credential', () => {
        const text = sql.document.get(id) as string | null | undefined
        return typeof text === 'string' ? (JSON.parse(text) as unknown) : undefined
      }),
    directoryCredential: (id) =>
      run('read the public directory', () => {
        const text = sql.directory.get(id) as string | undefined
        return text === undefined ? undefined : (JSON.parse(text) as unknown)
      }),
    setListed: (id, listed, at) =>
      write('change the public directory', () => {
        const text = sql.document.get(id) as string | null | undefined
        if (typeof text !== 'string') return false
        if (!listed) {
          sql.deleteDirectory.run(id)
          return true
        }
        const entry = directoryEntryOf(JSON.parse(text) as unknown)
        sql.insertDirectory.run(id, text, at.toISOString(), entry.nameKey, entry.achievementId)
        return true
      }),
    searchDirectory: (q) =>
      run('search the public directory', () =>
        (
          sql.searchDirectory.all(q.achievementId, q.nameKey, q.limit) as {
            credential_id: string
            document: string
          }[]
        ).map((row) => ({
          credentialId: row.credential_id,
          document: JSON.parse(row.document) as unknown,
        })),
      ),
    outstandingCredentials: (vm, now) =>
      run('read issued credentials', () =>
        (sql.byMethod.all(vm) as { credential_id: string; valid_until: string | null }[])
          .filter((row) => stillValid(row.valid_until, now))
          .map((row) => row.credential_id),
      ),
  }

  const challenges: ChallengeRecords = {
    insert: (r, buckets) =>
      write('store a challenge', () => {
        sql.challengeInsert.run(
          r.challenge,
          r.domain ?? null,
          r.expiresAt,
          buckets.client,
          buckets.network,
        )
      }),
    // One statement decides who uses the challenge: of two concurrent callers, only one
    // matches `used_at IS NULL`.
    markUsed: (challenge, usedAt) =>
      write('use a challenge', () => {
        const updated = sql.challengeUse.get(usedAt, challenge) as ChallengeRow | undefined
        if (updated !== undefined) return challengeOf(updated, null)
        const row = sql.challenge.get(challenge) as ChallengeRow | undefined
        return row === undefined ? undefined : challengeOf(row)
      }),
    countOutstanding: (now) => run('count challenges', () => sql.outstanding.get(now) as number),
    countOutstandingFor: (buckets, now) =>
      run('count challenges', () => ({
        client: sql.outstandingClient.get(buckets.client, now) as number,
        network: sql.outstandingNetwork.get(buckets.network, now) as number,
      })),
    deleteExpired: (before) =>
      write('forget expired challenges', () => {
        sql.deleteExpired.run(before)
      }),
  }

  const statusLists: StatusListDocuments = {
    get: (url) =>
      run('read a signed status list', () => {
        const row = sql.listGet.get(url) as
          | {
              url: string
              revision: number
              settings: string
              valid_until: number
              document: string
            }
          | undefined
        return row === undefined
          ? undefined
          : {
              url: row.url,
              revision: row.revision,
              settings: row.settings,
              validUntil: row.valid_until,
              document: JSON.parse(row.document) as unknown,
            }
      }),
    put: (list) =>
      write('store a signed status list', () => {
        sql.listPut.run(
          list.url,
          list.revision,
          list.settings,
          list.validUntil,
          JSON.stringify(list.document),
          Date.now(),
        )
      }),
  }

  const offerSql = {
    insert: db.prepare(
      `INSERT INTO credential_offers (offer_id, program, request, pre_authorized_code,
         tx_code_hash, created_at, expires_at, idempotency_key, fingerprint)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (idempotency_key) DO NOTHING`,
    ),
    byId: db.prepare('SELECT * FROM credential_offers WHERE offer_id = ?'),
    byKey: db.prepare('SELECT * FROM credential_offers WHERE idempotency_key = ?'),
    replaceTxCode: db.prepare(
      `UPDATE credential_offers SET tx_code_hash = ?
       WHERE offer_id = ? AND tx_code_hash IS NOT NULL AND code_redeemed_at IS NULL
         AND holder IS NULL AND expires_at > ?`,
    ),
    byCode: db.prepare('SELECT * FROM credential_offers WHERE pre_authorized_code = ?'),
    failure: db.prepare(
      'UPDATE credential_offers SET tx_code_failures = tx_code_failures + 1 WHERE offer_id = ?',
    ),
    redeem: db.prepare(
      'UPDATE credential_offers SET code_redeemed_at = ? WHERE offer_id = ? AND code_redeemed_at IS NULL',
    ),
    token: db.prepare(
      'INSERT INTO offer_access_tokens (token_hash, offer_id, expires_at) VALUES (?, ?, ?)',
    ),
    byToken: db.prepare(
      `SELECT o.* FROM offer_access_tokens t JOIN credential_offers o ON o.offer_id = t.offer_id
       WHERE t.token_hash = ? AND t.expires_at > ?`,
    ),
    challenge: db.prepare(
      'UPDATE credential_offers SET exchange_challenge = ? WHERE offer_id = ? AND holder IS NULL',
    ),
    bind: db.prepare(
      `UPDATE credential_offers SET holder = ?, claimed_via = ?
       WHERE offer_id = ? AND credential_id IS NULL
         AND (holder IS NULL OR (holder = ? AND claimed_via = ?))
         AND (? = 'oid4vci' OR code_redeemed_at IS NULL)`,
    ),
    claimed: db.prepare(
      'UPDATE credential_offers SET credential_id = ?, claimed_at = ? WHERE offer_id = ? AND holder IS NOT NULL',
    ),
    nonce: db.prepare('INSERT INTO oid4vci_nonces (nonce, expires_at) VALUES (?, ?)'),
    useNonce: db.prepare(
      'UPDATE oid4vci_nonces SET used_at = ? WHERE nonce = ? AND used_at IS NULL AND expires_at > ?',
    ),
    oldNonces: db.prepare('DELETE FROM oid4vci_nonces WHERE expires_at < ?'),
    oldTokens: db.prepare('DELETE FROM offer_access_tokens WHERE expires_at < ?'),
  }

  const offers: OfferStore = {
    create: (o) =>
      write('store an offer', (): CreateOfferOutcome => {
        const inserted = offerSql.insert.run(
          o.offerId,
          o.program,
          JSON.stringify(o.request),
          o.preAuthorizedCode,
          o.txCodeHash,
          o.createdAt,
          o.expiresAt,
          o.idempotencyKey ?? null,
          o.fingerprint ?? null,
        )
        if (inserted.changes === 1) return { created: true }
        const row = offerSql.byKey.get(o.idempotencyKey) as OfferRow | undefined
        if (row === undefined) throw new Error('An offer conflicts but cannot be read.')
        return { created: false, existing: offerOf(row) }
      }),
    replaceTxCode: (id, hash, now) =>
      write(
        'replace a transaction code',
        () => offerSql.replaceTxCode.run(hash, id, now).changes === 1,
      ),
    get: (id) =>
      run('read an offer', () => {
        const row = offerSql.byId.get(id) as OfferRow | undefined
        return row === undefined ? undefined : offerOf(row)
      }),
    redeemCode: (input) =>
      write('redeem a pre-authorized code', (): RedeemOutcome => {
        const row = offerSql.byCode.get(input.preAuthorizedCode) as OfferRow | undefined
        if (row === undefined) return { outcome: 'unknown' }
        const offer = offerOf(row)
        const decision = redeemDecision(
          offer,
          input.txCodeHashOf(offer.offerId),
          input.maxTxCodeFailures,
          input.now,
        )
        if (decision === 'fail') {
          offerSql.failure.run(offer.offerId)
          return { outcome: 'tx-code-mismatch' }
        }
        if (decision !== 'redeem') return { outcome: decision }
        offerSql.redeem.run(input.now, offer.offerId)
        offerSql.token.run(input.accessTokenHash, offer.offerId, input.accessTokenExpiresAt)
        return { outcome: 'redeemed', offer: { ...offer, codeRedeemedAt: input.now } }
      }),
    offerForAccessToken: (hash, now) =>
      run('read an access token', () => {
        const row = offerSql.byToken.get(hash, now) as OfferRow | undefined
        return row === undefined ? undefined : offerOf(row)
      }),
    setExchangeChallenge: (id, challenge) =>
      write('start an exchange', () => offerSql.challenge.run(challenge, id).changes === 1),
    bindHolder: (id, holder, via) =>
      write(
        'bind an offer to its holder',
        () => offerSql.bind.run(holder, via, id, holder, via, via).changes === 1,
      ),
    markClaimed: (id, credentialId, now) =>
      write('record a claimed offer', () => {
        offerSql.claimed.run(credentialId, now, id)
      }),
    putNonce: (nonce, expiresAt) =>
      write('store a nonce', () => {
        offerSql.nonce.run(nonce, expiresAt)
      }),
    useNonce: (nonce, now) =>
      write('use a nonce', () => offerSql.useNonce.run(now, nonce, now).changes === 1),
    deleteExpired: (before) =>
      write('forget expired nonces and tokens', () => {
        offerSql.oldNonces.run(before)
        offerSql.oldTokens.run(before)
      }),
  }

  return {
    backend: 'sqlite',
    credentials,
    challenges,
    statusLists,
    offers,
    close() {
      if (db.open) db.close()
      return Promise.resolve()
    },
  }
}
