/**
 * The server's storage on PostgreSQL (`pg`), for several instances on one database: the same
 * interfaces and test suite as the SQLite file. The tables live in the status registry's schema
 * (`?schema=` of `DATABASE_URL`, default `public`), versioned in `server_schema_migrations`.
 *
 * - Every session runs with `synchronous_commit = on`: a commit's WAL is flushed before it
 *   returns, so before any promise here resolves.
 * - Single-use and exactly-once decisions are single statements on a unique key: an issue claim
 *   is `INSERT … ON CONFLICT DO NOTHING`, a takeover and a challenge use are conditional
 *   `UPDATE … RETURNING`, whichever instance runs them.
 *
 * @module
 */
import pg from 'pg'
import type { StoredChallenge } from '@certify-vc/verifier'
import { directoryEntryOf } from './directory-index.js'
import { DIRECTORY_INDEX_VERSION, latestVersion, POSTGRES_SERVER_MIGRATIONS } from './migrations.js'
import {
  challengeOf,
  claimOf,
  issuedOf,
  offerOf,
  redeemDecision,
  stillValid,
  type ChallengeRow,
  type ClaimRow,
  type IssuedRow,
  type OfferRow,
} from './sqlite-storage.js'
import {
  StorageError,
  type ChallengeRecords,
  type CreateOfferOutcome,
  type CredentialStore,
  type IssueClaim,
  type NewIssueClaim,
  type OfferStore,
  type RedeemOutcome,
  type ServerStorage,
  type StatusListDocuments,
} from './types.js'

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/

/** Options of {@link openPostgresStorage}. */
export interface OpenPostgresStorageOptions {
  /** Connections kept. Default 8. */
  poolSize?: number
  /** How long to wait for a connection, in ms. Default 10,000. */
  connectTimeoutMs?: number
}

/** The connection string without `schema`, and the schema (`?schema=`, default `public`). */
export function parseDatabaseUrl(url: string): { connectionString: string; schema: string } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new TypeError('DATABASE_URL is not a valid postgres:// URL.')
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new TypeError('DATABASE_URL must be a postgres:// or postgresql:// URL.')
  }
  const schema = parsed.searchParams.get('schema') ?? 'public'
  parsed.searchParams.delete('schema')
  if (!SCHEMA.test(schema)) {
    throw new TypeError('The schema in DATABASE_URL must be lower-case letters, digits and _.')
  }
  return { connectionString: parsed.href, schema }
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

async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const latest = latestVersion(POSTGRES_SERVER_MIGRATIONS)
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    // Instances starting together: one migrates, the others wait here and find it done.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `certify-vc-server:${schema}`,
    ])
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`)
    await client.query(
      `CREATE TABLE IF NOT EXISTS server_schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`,
    )
    const { rows } = await client.query<{ v: number }>(
      'SELECT COALESCE(MAX(version), 0)::integer AS v FROM server_schema_migrations',
    )
    const current = rows[0]?.v ?? 0
    if (current > latest) {
      throw new Error(
        `The server tables are at schema version ${current}; this server knows ${latest}.`,
      )
    }
    for (const m of POSTGRES_SERVER_MIGRATIONS) {
      if (m.version <= current) continue
      await client.query(m.sql)
      await client.query('INSERT INTO server_schema_migrations VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ])
    }
    if (current < DIRECTORY_INDEX_VERSION) {
      // Rows listed before the search index existed get their entry now.
      const listed = await client.query<{ credential_id: string; document: string }>(
        'SELECT credential_id, document FROM public_directory WHERE name_key IS NULL',
      )
      for (const row of listed.rows) {
        const entry = directoryEntryOf(JSON.parse(row.document) as unknown)
        await client.query(
          'UPDATE public_directory SET name_key = $1, achievement_id = $2 WHERE credential_id = $3',
          [entry.nameKey, entry.achievementId, row.credential_id],
        )
      }
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}

/**
 * Opens the server's tables at `url` (a `postgres://` URL; `?schema=` picks the schema, default
 * `public`) and brings them up to date. Several instances may open it at once.
 *
 * @throws {TypeError} for a URL that is not `postgres://…` or a bad schema name.
 * @throws {StorageError} when the database cannot be reached or migrated (no password in it).
 */
export async function openPostgresStorage(
  url: string,
  options: OpenPostgresStorageOptions = {},
): Promise<ServerStorage> {
  const { connectionString, schema } = parseDatabaseUrl(url)
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 8,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    options: `-c search_path=${schema} -c synchronous_commit=on`,
  })
  // An idle connection that breaks must not crash the process; the next query reports it.
  pool.on('error', () => undefined)
  try {
    await migrate(pool, schema)
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw new StorageError(`open ${redact(url)} (schema ${schema})`, error)
  }
  return createPostgresStorage(pool)
}

function createPostgresStorage(pool: pg.Pool): ServerStorage {
  let closed = false
  const query = async <R extends pg.QueryResultRow>(
    doing: string,
    text: string,
    values: unknown[] = [],
  ): Promise<R[]> => {
    if (closed) throw new TypeError('The server storage is closed.')
    try {
      return (await pool.query<R>(text, values)).rows
    } catch (error) {
      throw new StorageError(doing, error)
    }
  }
  const transaction = async <T>(
    doing: string,
    body: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> => {
    if (closed) throw new TypeError('The server storage is closed.')
    let client: pg.PoolClient
    try {
      client = await pool.connect()
    } catch (error) {
      throw new StorageError(doing, error)
    }
    let broken = false
    try {
      await client.query('BEGIN')
      const result = await body(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true
      })
      throw new StorageError(doing, error)
    } finally {
      client.release(broken)
    }
  }

  async function claimOnce(
    c: NewIssueClaim,
  ): Promise<{ claimed: boolean; claim: IssueClaim } | undefined> {
    const inserted = await query<ClaimRow>(
      'record an issue request',
      `INSERT INTO issue_requests
           (credential_id, idempotency_key, fingerprint, state, owner, claimed_at, created_at)
         VALUES ($1, $2, $3, 'pending', $4, $5, $5) ON CONFLICT DO NOTHING RETURNING *`,
      [c.credentialId, c.idempotencyKey ?? null, c.fingerprint, c.owner, c.now],
    )
    const mine = inserted[0]
    if (mine !== undefined) return { claimed: true, claim: claimOf(mine) }
    // The one that exists: by idempotency key first, else by credential id.
    const rows = await query<ClaimRow & { by_key: boolean }>(
      'read an issue request',
      `SELECT *, idempotency_key IS NOT DISTINCT FROM $1 AS by_key FROM issue_requests
         WHERE idempotency_key = $1 OR credential_id = $2 ORDER BY by_key DESC LIMIT 1`,
      [c.idempotencyKey ?? null, c.credentialId],
    )
    const row = rows[0]
    return row === undefined ? undefined : { claimed: false, claim: claimOf(row) }
  }

  const credentials: CredentialStore = {
    async claim(c) {
      // A claim released between the insert and the read is retried (a failed attempt gives
      // its key up): at most a few rounds, each a fresh insert.
      for (let attempt = 1; ; attempt++) {
        const outcome = await claimOnce(c)
        if (outcome !== undefined || attempt === 3) {
          if (outcome === undefined) {
            throw new StorageError('record an issue request', new Error('The claim vanished.'))
          }
          return outcome
        }
      }
    },
    async takeOver(id, owner, staleBefore, now) {
      const rows = await query<ClaimRow>(
        'take over an issue request',
        `UPDATE issue_requests SET owner = $1, claimed_at = $2
         WHERE credential_id = $3 AND state = 'pending' AND claimed_at < $4 RETURNING *`,
        [owner, now, id, staleBefore],
      )
      return rows[0] === undefined ? undefined : claimOf(rows[0])
    },
    async reassign(id, owner, newId) {
      const rows = await query(
        'reassign an issue request',
        `UPDATE issue_requests SET credential_id = $1
         WHERE credential_id = $2 AND owner = $3 AND state = 'pending' RETURNING 1`,
        [newId, id, owner],
      )
      return rows.length === 1
    },
    async release(id, owner) {
      await query(
        'release an issue request',
        "DELETE FROM issue_requests WHERE credential_id = $1 AND owner = $2 AND state = 'pending'",
        [id, owner],
      )
    },
    complete(owner, r, document, listed) {
      return transaction('record an issued credential', async (client) => {
        const marked = await client.query(
          `UPDATE issue_requests SET state = 'issued'
           WHERE credential_id = $1 AND owner = $2 AND state = 'pending'`,
          [r.credentialId, owner],
        )
        if (marked.rowCount !== 1) return false
        const text = JSON.stringify(document)
        await client.query(
          `INSERT INTO issued
             (credential_id, verification_method, issued_at, valid_until, managed_status, document)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [r.credentialId, r.verificationMethod, r.issuedAt, r.validUntil, r.managedStatus, text],
        )
        if (listed) {
          const entry = directoryEntryOf(document)
          await client.query(
            `INSERT INTO public_directory (credential_id, document, listed_at, name_key, achievement_id)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (credential_id) DO NOTHING`,
            [r.credentialId, text, r.issuedAt, entry.nameKey, entry.achievementId],
          )
        }
        return true
      })
    },
    async getClaim(id) {
      const rows = await query<ClaimRow>(
        'read an issue request',
        'SELECT * FROM issue_requests WHERE credential_id = $1',
        [id],
      )
      return rows[0] === undefined ? undefined : claimOf(rows[0])
    },
    async abandonStale(before) {
      const rows = await query<ClaimRow>(
        'abandon stale issue requests',
        `UPDATE issue_requests SET state = 'abandoned'
         WHERE state = 'pending' AND claimed_at < $1 RETURNING *`,
        [before],
      )
      return rows.map(claimOf)
    },
    async abandonedToVoid(limit) {
      const rows = await query<ClaimRow>(
        'read abandoned issue requests',
        "SELECT * FROM issue_requests WHERE state = 'abandoned' AND NOT voided LIMIT $1",
        [limit],
      )
      return rows.map(claimOf)
    },
    async markVoided(id) {
      await query(
        'mark an issue request voided',
        'UPDATE issue_requests SET voided = true WHERE credential_id = $1',
        [id],
      )
    },
    async getIssued(id) {
      const rows = await query<IssuedRow>(
        'read an issued credential',
        `SELECT credential_id, verification_method, issued_at, valid_until, managed_status
         FROM issued WHERE credential_id = $1`,
        [id],
      )
      return rows[0] === undefined ? undefined : issuedOf(rows[0])
    },
    async getCredential(id) {
      const rows = await query<{ document: string | null }>(
        'read an issued credential',
        'SELECT document FROM issued WHERE credential_id = $1',
        [id],
      )
      const text = rows[0]?.document
      return typeof text === 'string' ? (JSON.parse(text) as unknown) : undefined
    },
    async directoryCredential(id) {
      const rows = await query<{ document: string }>(
        'read the public directory',
        'SELECT document FROM public_directory WHERE credential_id = $1',
        [id],
      )
      return rows[0] === undefined ? undefined : (JSON.parse(rows[0].document) as unknown)
    },
    setListed(id, listed, at) {
      return transaction('change the public directory', async (client) => {
        const found = await client.query<{ document: string | null }>(
          'SELECT document FROM issued WHERE credential_id = $1',
          [id],
        )
        const text = found.rows[0]?.document
        if (typeof text !== 'string') return false
        if (!listed) {
          await client.query('DELETE FROM public_directory WHERE credential_id = $1', [id])
          return true
        }
        const entry = directoryEntryOf(JSON.parse(text) as unknown)
        await client.query(
          `INSERT INTO public_directory (credential_id, document, listed_at, name_key, achievement_id)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (credential_id) DO NOTHING`,
          [id, text, at.toISOString(), entry.nameKey, entry.achievementId],
        )
        return true
      })
    },
    async searchDirectory(q) {
      const rows = await query<{ credential_id: string; document: string }>(
        'search the public directory',
        `SELECT credential_id, document FROM public_directory
         WHERE achievement_id = $1 AND name_key = $2 ORDER BY listed_at, credential_id LIMIT $3`,
        [q.achievementId, q.nameKey, q.limit],
      )
      return rows.map((row) => ({
        credentialId: row.credential_id,
        document: JSON.parse(row.document) as unknown,
      }))
    },
    async outstandingCredentials(vm, now) {
      const rows = await query<{ credential_id: string; valid_until: string | null }>(
        'read issued credentials',
        'SELECT credential_id, valid_until FROM issued WHERE verification_method = $1',
        [vm],
      )
      return rows.filter((r) => stillValid(r.valid_until, now)).map((r) => r.credential_id)
    },
  }

  const challenges: ChallengeRecords = {
    async insert(r, buckets) {
      await query(
        'store a challenge',
        `INSERT INTO challenges (challenge, domain, expires_at, client_key, network_key)
         VALUES ($1, $2, $3, $4, $5)`,
        [r.challenge, r.domain ?? null, r.expiresAt, buckets.client, buckets.network],
      )
    },
    // One statement decides who uses the challenge: of concurrent callers on any instance, only
    // one matches `used_at IS NULL` (the others wait for its row lock, then see it set).
    async markUsed(challenge, usedAt): Promise<StoredChallenge | undefined> {
      const used = await query<ChallengeRow>(
        'use a challenge',
        'UPDATE challenges SET used_at = $1 WHERE challenge = $2 AND used_at IS NULL RETURNING *',
        [usedAt, challenge],
      )
      if (used[0] !== undefined) return challengeOf(used[0], null)
      const rows = await query<ChallengeRow>(
        'read a challenge',
        'SELECT * FROM challenges WHERE challenge = $1',
        [challenge],
      )
      return rows[0] === undefined ? undefined : challengeOf(rows[0])
    },
    async countOutstanding(now) {
      const rows = await query<{ n: number }>(
        'count challenges',
        'SELECT COUNT(*)::integer AS n FROM challenges WHERE used_at IS NULL AND expires_at > $1',
        [now],
      )
      return rows[0]?.n ?? 0
    },
    async countOutstandingFor(buckets, now) {
      const rows = await query<{ client: number; network: number }>(
        'count challenges',
        `SELECT
           (SELECT COUNT(*)::integer FROM challenges
            WHERE client_key = $1 AND used_at IS NULL AND expires_at > $3) AS client,
           (SELECT COUNT(*)::integer FROM challenges
            WHERE network_key = $2 AND used_at IS NULL AND expires_at > $3) AS network`,
        [buckets.client, buckets.network, now],
      )
      return { client: rows[0]?.client ?? 0, network: rows[0]?.network ?? 0 }
    },
    async deleteExpired(before) {
      await query('forget expired challenges', 'DELETE FROM challenges WHERE expires_at <= $1', [
        before,
      ])
    },
  }

  const statusLists: StatusListDocuments = {
    async get(url) {
      const rows = await query<{
        url: string
        revision: number
        settings: string
        valid_until: string
        document: string
      }>('read a signed status list', 'SELECT * FROM status_list_documents WHERE url = $1', [url])
      const row = rows[0]
      return row === undefined
        ? undefined
        : {
            url: row.url,
            revision: row.revision,
            settings: row.settings,
            validUntil: Number(row.valid_until),
            document: JSON.parse(row.document) as unknown,
          }
    },
    async put(list) {
      await query(
        'store a signed status list',
        `INSERT INTO status_list_documents (url, revision, settings, valid_until, document, signed_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (url) DO UPDATE SET revision = excluded.revision,
           settings = excluded.settings, valid_until = excluded.valid_until,
           document = excluded.document, signed_at = excluded.signed_at
         WHERE excluded.revision >= status_list_documents.revision`,
        [
          list.url,
          list.revision,
          list.settings,
          list.validUntil,
          JSON.stringify(list.document),
          Date.now(),
        ],
      )
    },
  }

  const offers: OfferStore = {
    async create(o): Promise<CreateOfferOutcome> {
      // ON CONFLICT waits for a concurrent insert of the same key to commit, so the SELECT that
      // follows a conflict reads the offer that won.
      const inserted = await query(
        'store an offer',
        `INSERT INTO credential_offers (offer_id, program, request, pre_authorized_code,
           tx_code_hash, created_at, expires_at, idempotency_key, fingerprint)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING 1`,
        [
          o.offerId,
          o.program,
          JSON.stringify(o.request),
          o.preAuthorizedCode,
          o.txCodeHash,
          o.createdAt,
          o.expiresAt,
          o.idempotencyKey ?? null,
          o.fingerprint ?? null,
        ],
      )
      if (inserted.length === 1) return { created: true }
      const rows = await query<OfferRow>(
        'read an offer',
        'SELECT * FROM credential_offers WHERE idempotency_key = $1',
        [o.idempotencyKey],
      )
      if (rows[0] === undefined) {
        throw new StorageError('read an offer', new Error('conflicting offer not found'))
      }
      return { created: false, existing: offerOf(rows[0]) }
    },
    async replaceTxCode(id, hash, now) {
      const rows = await query(
        'replace a transaction code',
        `UPDATE credential_offers SET tx_code_hash = $1
         WHERE offer_id = $2 AND tx_code_hash IS NOT NULL AND code_redeemed_at IS NULL
           AND holder IS NULL AND expires_at > $3
         RETURNING 1`,
        [hash, id, now],
      )
      return rows.length === 1
    },
    async get(id) {
      const rows = await query<OfferRow>(
        'read an offer',
        'SELECT * FROM credential_offers WHERE offer_id = $1',
        [id],
      )
      return rows[0] === undefined ? undefined : offerOf(rows[0])
    },
    redeemCode(input) {
      // The row lock makes concurrent redemptions on any instance queue; the second one reads
      // the code as redeemed.
      return transaction('redeem a pre-authorized code', async (client): Promise<RedeemOutcome> => {
        const { rows } = await client.query<OfferRow>(
          'SELECT * FROM credential_offers WHERE pre_authorized_code = $1 FOR UPDATE',
          [input.preAuthorizedCode],
        )
        if (rows[0] === undefined) return { outcome: 'unknown' }
        const offer = offerOf(rows[0])
        const decision = redeemDecision(
          offer,
          input.txCodeHashOf(offer.offerId),
          input.maxTxCodeFailures,
          input.now,
        )
        if (decision === 'fail') {
          await client.query(
            'UPDATE credential_offers SET tx_code_failures = tx_code_failures + 1 WHERE offer_id = $1',
            [offer.offerId],
          )
          return { outcome: 'tx-code-mismatch' }
        }
        if (decision !== 'redeem') return { outcome: decision }
        await client.query(
          'UPDATE credential_offers SET code_redeemed_at = $1 WHERE offer_id = $2',
          [input.now, offer.offerId],
        )
        await client.query(
          'INSERT INTO offer_access_tokens (token_hash, offer_id, expires_at) VALUES ($1, $2, $3)',
          [input.accessTokenHash, offer.offerId, input.accessTokenExpiresAt],
        )
        return { outcome: 'redeemed', offer: { ...offer, codeRedeemedAt: input.now } }
      })
    },
    async offerForAccessToken(hash, now) {
      const rows = await query<OfferRow>(
        'read an access token',
        `SELECT o.* FROM offer_access_tokens t JOIN credential_offers o ON o.offer_id = t.offer_id
         WHERE t.token_hash = $1 AND t.expires_at > $2`,
        [hash, now],
      )
      return rows[0] === undefined ? undefined : offerOf(rows[0])
    },
    async setExchangeChallenge(id, challenge) {
      const rows = await query(
        'start an exchange',
        `UPDATE credential_offers SET exchange_challenge = $1
         WHERE offer_id = $2 AND holder IS NULL RETURNING 1`,
        [challenge, id],
      )
      return rows.length === 1
    },
    async bindHolder(id, holder, via) {
      const rows = await query(
        'bind an offer to its holder',
        `UPDATE credential_offers SET holder = $2, claimed_via = $3
         WHERE offer_id = $1 AND credential_id IS NULL
           AND (holder IS NULL OR (holder = $2 AND claimed_via = $3))
           AND ($3 = 'oid4vci' OR code_redeemed_at IS NULL)
         RETURNING 1`,
        [id, holder, via],
      )
      return rows.length === 1
    },
    async markClaimed(id, credentialId, now) {
      await query(
        'record a claimed offer',
        `UPDATE credential_offers SET credential_id = $1, claimed_at = $2
         WHERE offer_id = $3 AND holder IS NOT NULL`,
        [credentialId, now, id],
      )
    },
    async putNonce(nonce, expiresAt) {
      await query(
        'store a nonce',
        'INSERT INTO oid4vci_nonces (nonce, expires_at) VALUES ($1, $2)',
        [nonce, expiresAt],
      )
    },
    async useNonce(nonce, now) {
      // One statement: of concurrent uses on any instance, one matches `used_at IS NULL`.
      const rows = await query(
        'use a nonce',
        `UPDATE oid4vci_nonces SET used_at = $1
         WHERE nonce = $2 AND used_at IS NULL AND expires_at > $1 RETURNING 1`,
        [now, nonce],
      )
      return rows.length === 1
    },
    async deleteExpired(before) {
      await query('forget expired nonces', 'DELETE FROM oid4vci_nonces WHERE expires_at < $1', [
        before,
      ])
      await query(
        'forget expired access tokens',
        'DELETE FROM offer_access_tokens WHERE expires_at < $1',
        [before],
      )
    },
  }

  return {
    backend: 'postgres',
    credentials,
    challenges,
    statusLists,
    offers,
    async close() {
      if (closed) return
      closed = true
      await pool.end()
    },
  }
}
