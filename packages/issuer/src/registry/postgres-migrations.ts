/**
 * The PostgreSQL registry schema, as numbered migrations: the same tables, constraints and
 * invariants as the SQLite schema (`sqlite-migrations.ts`), in PostgreSQL's dialect. Each
 * migration runs once, in one transaction with the row that records it in `schema_migrations`,
 * under a transaction-scoped advisory lock, so two processes opening a new schema at the same
 * time never both migrate it. Never edit a released migration: append a new one.
 *
 * Timestamps are kept as ISO 8601 text (exactly what the API returns, as in SQLite).
 *
 * @module
 */
import { BLOCK_SIZE } from './sqlite-migrations.js'

/** One schema step. */
export interface PostgresMigration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/** Every migration, in order. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'status registry',
    sql: `
      -- One row; every allocation locks it (SELECT … FOR UPDATE), so allocations on this schema
      -- are serialized across connections and processes, and each one reads the counters and
      -- taken indices as committed by the previous one (READ COMMITTED takes a new snapshot per
      -- statement). UNIQUE (list_number, list_index) below is the second guard.
      CREATE TABLE allocation_lock (
        id integer PRIMARY KEY CHECK (id = 1)
      );
      INSERT INTO allocation_lock (id) VALUES (1);

      CREATE TABLE status_lists (
        list_number integer PRIMARY KEY CHECK (list_number >= 1),
        length      integer NOT NULL CHECK (length >= 131072 AND length % 8 = 0),
        allocated   integer NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= length),
        created_at  text    NOT NULL
      );

      CREATE TABLE status_list_purposes (
        list_number integer NOT NULL REFERENCES status_lists (list_number),
        purpose     text    NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
        created_at  text    NOT NULL,
        PRIMARY KEY (list_number, purpose)
      );

      CREATE TABLE status_list_blocks (
        list_number integer NOT NULL REFERENCES status_lists (list_number),
        block       integer NOT NULL CHECK (block >= 0),
        used        integer NOT NULL CHECK (used >= 0 AND used <= ${BLOCK_SIZE}),
        PRIMARY KEY (list_number, block)
      );

      CREATE TABLE credentials (
        credential_id text    PRIMARY KEY,
        program       text    NOT NULL,
        recipient     text    NOT NULL CHECK (recipient::jsonb IS NOT NULL),
        issued_at     text    NOT NULL,
        list_number   integer NOT NULL REFERENCES status_lists (list_number),
        list_index    integer NOT NULL CHECK (list_index >= 0),
        suspension    boolean NOT NULL,
        status        text    NOT NULL
                              CHECK (status IN ('active', 'suspended', 'revoked', 'void')),
        CONSTRAINT credentials_slot_unique UNIQUE (list_number, list_index)
      );
      CREATE INDEX credentials_flagged ON credentials (list_number, list_index)
        WHERE status <> 'active';

      CREATE TABLE status_history (
        id            bigserial PRIMARY KEY,
        credential_id text NOT NULL REFERENCES credentials (credential_id),
        at            text NOT NULL,
        action        text NOT NULL
                           CHECK (action IN ('issue', 'revoke', 'suspend', 'unsuspend', 'void')),
        from_status   text,
        to_status     text NOT NULL,
        reason        text
      );
      CREATE INDEX status_history_by_credential ON status_history (credential_id, id);

      -- The invariants hold whatever code writes to the schema.
      CREATE FUNCTION certify_credentials_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'credentials are never deleted: their index must not be reused';
        END IF;
        IF TG_OP = 'INSERT' THEN
          IF NEW.list_index >= (SELECT length FROM status_lists
                                WHERE list_number = NEW.list_number) THEN
            RAISE EXCEPTION 'status list index beyond the list length';
          END IF;
          RETURN NEW;
        END IF;
        IF NEW.list_number IS DISTINCT FROM OLD.list_number
           OR NEW.list_index IS DISTINCT FROM OLD.list_index THEN
          RAISE EXCEPTION 'a status list index is never moved or reused';
        END IF;
        IF OLD.status IN ('revoked', 'void') AND NEW.status IS DISTINCT FROM OLD.status THEN
          RAISE EXCEPTION 'revoked and void are final';
        END IF;
        RETURN NEW;
      END
      $fn$;
      CREATE TRIGGER credentials_guard BEFORE INSERT OR UPDATE OR DELETE ON credentials
        FOR EACH ROW EXECUTE FUNCTION certify_credentials_guard();

      CREATE FUNCTION certify_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
      END
      $fn$;
      CREATE TRIGGER status_history_append_only BEFORE UPDATE OR DELETE ON status_history
        FOR EACH ROW EXECUTE FUNCTION certify_append_only();
      CREATE TRIGGER credentials_never_truncated BEFORE TRUNCATE ON credentials
        FOR EACH STATEMENT EXECUTE FUNCTION certify_append_only();
      CREATE TRIGGER status_history_never_truncated BEFORE TRUNCATE ON status_history
        FOR EACH STATEMENT EXECUTE FUNCTION certify_append_only();
    `,
  },
  {
    version: 2,
    name: 'batch items and list revisions',
    sql: `
      ALTER TABLE status_list_purposes ADD COLUMN revision integer NOT NULL DEFAULT 1
        CHECK (revision >= 1);

      CREATE FUNCTION certify_status_revision() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE status_list_purposes SET revision = revision + 1
        WHERE list_number = NEW.list_number AND (
          (purpose = 'revocation' AND
            (OLD.status IN ('revoked', 'void')) <> (NEW.status IN ('revoked', 'void'))) OR
          (purpose = 'suspension' AND
            (OLD.status = 'suspended') <> (NEW.status = 'suspended')));
        RETURN NULL;
      END
      $fn$;
      CREATE TRIGGER credentials_status_revision AFTER UPDATE OF status ON credentials
        FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status)
        EXECUTE FUNCTION certify_status_revision();

      CREATE TABLE status_list_publications (
        list_number  integer NOT NULL,
        purpose      text    NOT NULL,
        revision     integer NOT NULL CHECK (revision >= 1),
        published_at text    NOT NULL,
        valid_until  text    NOT NULL,
        settings     text    NOT NULL,
        digest       text    NOT NULL,
        PRIMARY KEY (list_number, purpose),
        FOREIGN KEY (list_number, purpose) REFERENCES status_list_purposes (list_number, purpose)
      );

      CREATE TABLE batch_items (
        batch         text NOT NULL,
        row_key       text NOT NULL,
        credential_id text NOT NULL UNIQUE REFERENCES credentials (credential_id),
        payload       text NOT NULL CHECK (payload::jsonb IS NOT NULL),
        recorded_at   text NOT NULL,
        CONSTRAINT batch_items_pkey PRIMARY KEY (batch, row_key)
      );
      CREATE TRIGGER batch_items_fixed BEFORE UPDATE OR DELETE ON batch_items
        FOR EACH ROW EXECUTE FUNCTION certify_append_only();
    `,
  },
  {
    version: 3,
    name: 'status list base urls',
    sql: `
      -- See the SQLite migration 3: the URL a list was created under, never recomputed; NULL
      -- for lists created before it was recorded.
      ALTER TABLE status_lists ADD COLUMN base_url text
        CHECK (base_url IS NULL OR length(base_url) BETWEEN 1 AND 1024);
      CREATE INDEX status_lists_by_base_url ON status_lists (base_url, list_number);

      CREATE FUNCTION certify_base_url_fixed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF NEW.base_url IS DISTINCT FROM OLD.base_url THEN
          RAISE EXCEPTION 'a status list keeps the URL it was created under';
        END IF;
        RETURN NEW;
      END
      $fn$;
      CREATE TRIGGER status_lists_base_url_fixed BEFORE UPDATE ON status_lists
        FOR EACH ROW EXECUTE FUNCTION certify_base_url_fixed();
    `,
  },
  {
    version: 4,
    name: 'status messages',
    sql: `
      CREATE TABLE status_message_lists (
        list_number        integer PRIMARY KEY REFERENCES status_lists (list_number),
        revision           integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
        created_at         text    NOT NULL,
        published_revision integer CHECK (published_revision >= 1),
        published_at       text,
        valid_until        text,
        settings           text,
        digest             text
      );
      CREATE TABLE status_messages (
        credential_id text    PRIMARY KEY REFERENCES credentials (credential_id),
        value         integer NOT NULL DEFAULT 0 CHECK (value >= 0 AND value < 4),
        updated_at    text    NOT NULL
      );
      CREATE TABLE status_message_history (
        id            bigserial PRIMARY KEY,
        credential_id text      NOT NULL REFERENCES credentials (credential_id),
        at            text      NOT NULL,
        from_value    integer   NOT NULL,
        to_value      integer   NOT NULL,
        reason        text      NOT NULL
      );
      CREATE TRIGGER status_messages_never_deleted BEFORE DELETE ON status_messages
        FOR EACH ROW EXECUTE FUNCTION certify_append_only();
      CREATE TRIGGER status_message_history_append_only BEFORE UPDATE OR DELETE
        ON status_message_history FOR EACH ROW EXECUTE FUNCTION certify_append_only();
    `,
  },
]
