/**
 * The server's schema as numbered migrations, in SQLite's and PostgreSQL's dialects. Each runs
 * once, in one transaction with the row that records it in `server_schema_migrations` (a name of
 * its own: on PostgreSQL these tables share a schema with the status registry, whose
 * `schema_migrations` counts the registry's versions). Never edit a released migration: append.
 *
 * Times are milliseconds since the epoch (integers) except where the record keeps ISO text.
 *
 * @module
 */

/** One schema step. */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/** The SQLite migrations (`DATA_DIR/server.sqlite`). */
export const SQLITE_SERVER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'issued credentials and public directory',
    // What the server created before its schema was versioned: IF NOT EXISTS adopts such files.
    sql: `
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
    `,
  },
  {
    version: 2,
    name: 'issue claims, stored credentials, challenges, signed status lists',
    sql: `
      -- The signed credential as delivered, so that a retry or GET /credentials/{id} on any
      -- instance returns exactly it. NULL for credentials issued before it was kept.
      ALTER TABLE issued ADD COLUMN document TEXT CHECK (document IS NULL OR json_valid(document));

      -- One row per issue request, taken before any status index is allocated. The primary key
      -- and the unique idempotency key make concurrent requests for one credential id or one
      -- Idempotency-Key (on any instance) end up with exactly one claim.
      CREATE TABLE issue_requests (
        credential_id   TEXT    PRIMARY KEY,
        idempotency_key TEXT    UNIQUE,
        fingerprint     TEXT    NOT NULL,
        state           TEXT    NOT NULL CHECK (state IN ('pending', 'issued', 'abandoned')),
        owner           TEXT    NOT NULL,
        claimed_at      INTEGER NOT NULL,
        created_at      INTEGER NOT NULL,
        voided          INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1))
      ) STRICT;
      CREATE INDEX issue_requests_pending ON issue_requests (claimed_at) WHERE state = 'pending';
      CREATE INDEX issue_requests_to_void ON issue_requests (credential_id)
        WHERE state = 'abandoned' AND voided = 0;

      -- Presentation challenges, single use across instances; client and network are the
      -- buckets that share out the cap on outstanding challenges.
      CREATE TABLE challenges (
        challenge   TEXT    PRIMARY KEY,
        domain      TEXT,
        expires_at  INTEGER NOT NULL,
        used_at     INTEGER,
        client_key  TEXT    NOT NULL,
        network_key TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX challenges_by_expiry ON challenges (expires_at);
      CREATE INDEX challenges_open_by_client ON challenges (client_key, expires_at)
        WHERE used_at IS NULL;
      CREATE INDEX challenges_open_by_network ON challenges (network_key, expires_at)
        WHERE used_at IS NULL;

      -- The newest signed list per URL, with the registry revision it shows.
      CREATE TABLE status_list_documents (
        url         TEXT    PRIMARY KEY,
        revision    INTEGER NOT NULL,
        settings    TEXT    NOT NULL,
        valid_until INTEGER NOT NULL,
        document    TEXT    NOT NULL CHECK (json_valid(document)),
        signed_at   INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'credential offers, access tokens, OpenID4VCI nonces',
    sql: `
      -- One row per offer: a program for one learner, claimable once until it expires. The
      -- pre-authorized code is unique; the holder is bound once, when the wallet proves its key.
      CREATE TABLE credential_offers (
        offer_id            TEXT    PRIMARY KEY,
        program             TEXT    NOT NULL,
        request             TEXT    NOT NULL CHECK (json_valid(request)),
        pre_authorized_code TEXT    NOT NULL UNIQUE,
        tx_code_hash        TEXT,
        tx_code_failures    INTEGER NOT NULL DEFAULT 0,
        created_at          INTEGER NOT NULL,
        expires_at          INTEGER NOT NULL,
        code_redeemed_at    INTEGER,
        exchange_challenge  TEXT,
        holder              TEXT,
        claimed_via         TEXT    CHECK (claimed_via IN ('oid4vci', 'vc-api')),
        credential_id       TEXT,
        claimed_at          INTEGER
      ) STRICT;

      -- Access tokens by SHA-256 (a copy of the database gives no usable token).
      CREATE TABLE offer_access_tokens (
        token_hash TEXT    PRIMARY KEY,
        offer_id   TEXT    NOT NULL REFERENCES credential_offers (offer_id),
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX offer_access_tokens_by_expiry ON offer_access_tokens (expires_at);

      CREATE TABLE oid4vci_nonces (
        nonce      TEXT    PRIMARY KEY,
        expires_at INTEGER NOT NULL,
        used_at    INTEGER
      ) STRICT;
      CREATE INDEX oid4vci_nonces_by_expiry ON oid4vci_nonces (expires_at);
      `,
  },
  {
    version: 4,
    name: 'public directory search index',
    // name_key and achievement_id are computed in code (directory-index.ts); rows listed before
    // this version are indexed by the backend right after this migration, in its transaction.
    sql: `
      ALTER TABLE public_directory ADD COLUMN name_key TEXT;
      ALTER TABLE public_directory ADD COLUMN achievement_id TEXT;
      CREATE INDEX public_directory_search ON public_directory (achievement_id, name_key);
    `,
  },
  {
    version: 5,
    name: 'idempotent offers',
    // The Idempotency-Key of POST /certify/offers: unique, so that of concurrent requests with one
    // key (on any instance) exactly one stores an offer; the fingerprint (route and body) tells a
    // retry of the same request from a different request with the same key. Offers made before
    // this version have neither (NULLs never collide).
    sql: `
      ALTER TABLE credential_offers ADD COLUMN idempotency_key TEXT;
      ALTER TABLE credential_offers ADD COLUMN fingerprint TEXT;
      CREATE UNIQUE INDEX credential_offers_by_idempotency_key
        ON credential_offers (idempotency_key);
    `,
  },
]

/** The PostgreSQL migrations (in the status registry's schema, next to its tables). */
export const POSTGRES_SERVER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'issued credentials and public directory',
    sql: `
      CREATE TABLE issued (
        credential_id text PRIMARY KEY,
        verification_method text NOT NULL,
        issued_at text NOT NULL,
        valid_until text,
        managed_status boolean NOT NULL
      );
      CREATE INDEX issued_by_method ON issued (verification_method);
      CREATE TABLE public_directory (
        credential_id text PRIMARY KEY REFERENCES issued (credential_id),
        document text NOT NULL,
        listed_at text NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'issue claims, stored credentials, challenges, signed status lists',
    sql: `
      ALTER TABLE issued ADD COLUMN document text CHECK (document IS NULL OR document::jsonb IS NOT NULL);

      CREATE TABLE issue_requests (
        credential_id   text    PRIMARY KEY,
        idempotency_key text    UNIQUE,
        fingerprint     text    NOT NULL,
        state           text    NOT NULL CHECK (state IN ('pending', 'issued', 'abandoned')),
        owner           text    NOT NULL,
        claimed_at      bigint  NOT NULL,
        created_at      bigint  NOT NULL,
        voided          boolean NOT NULL DEFAULT false
      );
      CREATE INDEX issue_requests_pending ON issue_requests (claimed_at) WHERE state = 'pending';
      CREATE INDEX issue_requests_to_void ON issue_requests (credential_id)
        WHERE state = 'abandoned' AND NOT voided;

      CREATE TABLE challenges (
        challenge   text   PRIMARY KEY,
        domain      text,
        expires_at  bigint NOT NULL,
        used_at     bigint,
        client_key  text   NOT NULL,
        network_key text   NOT NULL
      );
      CREATE INDEX challenges_by_expiry ON challenges (expires_at);
      CREATE INDEX challenges_open_by_client ON challenges (client_key, expires_at)
        WHERE used_at IS NULL;
      CREATE INDEX challenges_open_by_network ON challenges (network_key, expires_at)
        WHERE used_at IS NULL;

      CREATE TABLE status_list_documents (
        url         text    PRIMARY KEY,
        revision    integer NOT NULL,
        settings    text    NOT NULL,
        valid_until bigint  NOT NULL,
        document    text    NOT NULL CHECK (document::jsonb IS NOT NULL),
        signed_at   bigint  NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'credential offers, access tokens, OpenID4VCI nonces',
    sql: `
      CREATE TABLE credential_offers (
        offer_id            text    PRIMARY KEY,
        program             text    NOT NULL,
        request             text    NOT NULL CHECK (request::jsonb IS NOT NULL),
        pre_authorized_code text    NOT NULL UNIQUE,
        tx_code_hash        text,
        tx_code_failures    integer NOT NULL DEFAULT 0,
        created_at          bigint  NOT NULL,
        expires_at          bigint  NOT NULL,
        code_redeemed_at    bigint,
        exchange_challenge  text,
        holder              text,
        claimed_via         text    CHECK (claimed_via IN ('oid4vci', 'vc-api')),
        credential_id       text,
        claimed_at          bigint
      );

      CREATE TABLE offer_access_tokens (
        token_hash text   PRIMARY KEY,
        offer_id   text   NOT NULL REFERENCES credential_offers (offer_id),
        expires_at bigint NOT NULL
      );
      CREATE INDEX offer_access_tokens_by_expiry ON offer_access_tokens (expires_at);

      CREATE TABLE oid4vci_nonces (
        nonce      text   PRIMARY KEY,
        expires_at bigint NOT NULL,
        used_at    bigint
      );
      CREATE INDEX oid4vci_nonces_by_expiry ON oid4vci_nonces (expires_at);
      `,
  },
  {
    version: 4,
    name: 'public directory search index',
    sql: `
      ALTER TABLE public_directory ADD COLUMN name_key text;
      ALTER TABLE public_directory ADD COLUMN achievement_id text;
      CREATE INDEX public_directory_search ON public_directory (achievement_id, name_key);
    `,
  },
  {
    version: 5,
    name: 'idempotent offers',
    sql: `
      ALTER TABLE credential_offers ADD COLUMN idempotency_key text;
      ALTER TABLE credential_offers ADD COLUMN fingerprint text;
      CREATE UNIQUE INDEX credential_offers_by_idempotency_key
        ON credential_offers (idempotency_key);
    `,
  },
]

/** The version that added the directory's search columns (rows before it are indexed then). */
export const DIRECTORY_INDEX_VERSION = 4

/** The newest version of a migration list. */
export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0)
}
