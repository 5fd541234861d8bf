/**
 * The SQLite registry schema, as numbered migrations. Each migration runs once, in the same
 * `BEGIN IMMEDIATE` transaction as the row that records it in `schema_migrations`, so a file is
 * always at one known version. Never edit a released migration: append a new one.
 *
 * @module
 */

/** One schema step. */
export interface SqliteMigration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/** Indices per allocation block (see `status_list_blocks`). Changing it needs a migration. */
export const BLOCK_SIZE = 1024

/**
 * Bits per entry of the registry's "message" lists (Bitstring Status List `statusSize`): four
 * values, 0 to 3. Changing it needs a migration.
 */
export const MESSAGE_STATUS_SIZE = 2

/** Every migration, in order. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'status registry',
    sql: `
      -- One row per list number. The revocation and suspension lists of a number share its
      -- indices; "allocated" counts the indices handed out (the list is full at "length").
      CREATE TABLE status_lists (
        list_number INTEGER PRIMARY KEY CHECK (list_number >= 1),
        length      INTEGER NOT NULL CHECK (length >= 131072 AND length % 8 = 0),
        allocated   INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= length),
        created_at  TEXT    NOT NULL
      ) STRICT;

      -- The purposes published for a list: revocation always, suspension once a credential
      -- with suspension got an index in it.
      CREATE TABLE status_list_purposes (
        list_number INTEGER NOT NULL REFERENCES status_lists (list_number),
        purpose     TEXT    NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
        created_at  TEXT    NOT NULL,
        PRIMARY KEY (list_number, purpose)
      ) STRICT, WITHOUT ROWID;

      -- Indices used per block of ${BLOCK_SIZE}, so picking the k-th free index of a nearly full
      -- list reads ~length/${BLOCK_SIZE} counters and one block instead of the whole list.
      CREATE TABLE status_list_blocks (
        list_number INTEGER NOT NULL REFERENCES status_lists (list_number),
        block       INTEGER NOT NULL CHECK (block >= 0),
        used        INTEGER NOT NULL CHECK (used >= 0 AND used <= ${BLOCK_SIZE}),
        PRIMARY KEY (list_number, block)
      ) STRICT, WITHOUT ROWID;

      -- Every credential recorded as issued, with its index. UNIQUE (list_number, list_index)
      -- is what makes an index impossible to hand out twice.
      CREATE TABLE credentials (
        credential_id TEXT    PRIMARY KEY,
        program       TEXT    NOT NULL,
        recipient     TEXT    NOT NULL CHECK (json_valid(recipient)),
        issued_at     TEXT    NOT NULL,
        list_number   INTEGER NOT NULL REFERENCES status_lists (list_number),
        list_index    INTEGER NOT NULL CHECK (list_index >= 0),
        suspension    INTEGER NOT NULL CHECK (suspension IN (0, 1)),
        status        TEXT    NOT NULL
                              CHECK (status IN ('active', 'suspended', 'revoked', 'void')),
        UNIQUE (list_number, list_index)
      ) STRICT;

      -- Publishing reads only the credentials whose bits are set.
      CREATE INDEX credentials_flagged ON credentials (list_number, list_index)
        WHERE status <> 'active';

      CREATE TABLE status_history (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        credential_id TEXT    NOT NULL REFERENCES credentials (credential_id),
        at            TEXT    NOT NULL,
        action        TEXT    NOT NULL
                              CHECK (action IN ('issue', 'revoke', 'suspend', 'unsuspend', 'void')),
        from_status   TEXT,
        to_status     TEXT    NOT NULL,
        reason        TEXT
      ) STRICT;
      CREATE INDEX status_history_by_credential ON status_history (credential_id, id);

      -- The invariants hold whatever code writes to the file.
      CREATE TRIGGER credentials_index_in_list BEFORE INSERT ON credentials
      WHEN NEW.list_index >= (SELECT length FROM status_lists WHERE list_number = NEW.list_number)
      BEGIN SELECT RAISE(ABORT, 'status list index beyond the list length'); END;

      CREATE TRIGGER credentials_never_deleted BEFORE DELETE ON credentials
      BEGIN SELECT RAISE(ABORT, 'credentials are never deleted: their index must not be reused'); END;

      CREATE TRIGGER credentials_index_fixed BEFORE UPDATE OF list_number, list_index ON credentials
      WHEN NEW.list_number IS NOT OLD.list_number OR NEW.list_index IS NOT OLD.list_index
      BEGIN SELECT RAISE(ABORT, 'a status list index is never moved or reused'); END;

      CREATE TRIGGER credentials_final_status BEFORE UPDATE OF status ON credentials
      WHEN OLD.status IN ('revoked', 'void') AND NEW.status IS NOT OLD.status
      BEGIN SELECT RAISE(ABORT, 'revoked and void are final'); END;

      CREATE TRIGGER status_history_append_only_update BEFORE UPDATE ON status_history
      BEGIN SELECT RAISE(ABORT, 'the status history is append-only'); END;

      CREATE TRIGGER status_history_append_only_delete BEFORE DELETE ON status_history
      BEGIN SELECT RAISE(ABORT, 'the status history is append-only'); END;
    `,
  },
  {
    version: 2,
    name: 'batch items and list revisions',
    sql: `
      -- A list's content revision per purpose, bumped (by the trigger below) whenever a bit of
      -- that list and purpose changes, so publishing re-signs only the lists that changed.
      ALTER TABLE status_list_purposes ADD COLUMN revision INTEGER NOT NULL DEFAULT 1
        CHECK (revision >= 1);

      CREATE TRIGGER credentials_status_revision AFTER UPDATE OF status ON credentials
      WHEN NEW.status IS NOT OLD.status
      BEGIN
        UPDATE status_list_purposes SET revision = revision + 1
        WHERE list_number = NEW.list_number AND (
          (purpose = 'revocation' AND
            (OLD.status IN ('revoked', 'void')) <> (NEW.status IN ('revoked', 'void'))) OR
          (purpose = 'suspension' AND
            (OLD.status = 'suspended') <> (NEW.status = 'suspended')));
      END;

      -- What was last published per list and purpose: the revision signed, until when it is
      -- valid, the settings it was signed with, and the SHA-256 of the file written.
      CREATE TABLE status_list_publications (
        list_number  INTEGER NOT NULL,
        purpose      TEXT    NOT NULL,
        revision     INTEGER NOT NULL CHECK (revision >= 1),
        published_at TEXT    NOT NULL,
        valid_until  TEXT    NOT NULL,
        settings     TEXT    NOT NULL,
        digest       TEXT    NOT NULL,
        PRIMARY KEY (list_number, purpose),
        FOREIGN KEY (list_number, purpose) REFERENCES status_list_purposes (list_number, purpose)
      ) STRICT, WITHOUT ROWID;

      -- Batch issuance: one row per (batch, roster row key), written in the same transaction as
      -- the credential's allocation, so a roster row is issued at most once. "payload" holds the
      -- unsigned credential and signing settings, so a lost output file is re-created identically.
      CREATE TABLE batch_items (
        batch         TEXT NOT NULL,
        row_key       TEXT NOT NULL,
        credential_id TEXT NOT NULL UNIQUE REFERENCES credentials (credential_id),
        payload       TEXT NOT NULL CHECK (json_valid(payload)),
        recorded_at   TEXT NOT NULL,
        PRIMARY KEY (batch, row_key)
      ) STRICT, WITHOUT ROWID;

      CREATE TRIGGER batch_items_fixed BEFORE UPDATE ON batch_items
      BEGIN SELECT RAISE(ABORT, 'batch items are never changed'); END;

      CREATE TRIGGER batch_items_never_deleted BEFORE DELETE ON batch_items
      BEGIN SELECT RAISE(ABORT, 'batch items are never deleted'); END;
    `,
  },
  {
    version: 3,
    name: 'status list base urls',
    sql: `
      -- The base URL a list was created under: its credentials' entries point to
      -- <base_url>/<purpose>/<list_number>, and publishing signs it there, whatever base URL is
      -- configured later. NULL for lists created before this migration (their URL was never
      -- recorded) or by allocations that named none; those are published under the base URL
      -- the publisher is given, as before.
      ALTER TABLE status_lists ADD COLUMN base_url TEXT
        CHECK (base_url IS NULL OR length(base_url) BETWEEN 1 AND 1024);

      -- Allocation takes the newest list of the credential's base URL.
      CREATE INDEX status_lists_by_base_url ON status_lists (base_url, list_number);

      CREATE TRIGGER status_lists_base_url_fixed BEFORE UPDATE OF base_url ON status_lists
      WHEN NEW.base_url IS NOT OLD.base_url
      BEGIN SELECT RAISE(ABORT, 'a status list keeps the URL it was created under'); END;
    `,
  },
  {
    version: 4,
    name: 'status messages',
    sql: `
      -- The "message" purpose (Bitstring Status List, statusSize > 1): a ${MESSAGE_STATUS_SIZE}-bit
      -- status value per credential that carries a message entry, on the list number and index
      -- of its allocation. Kept apart from the revocation and suspension tables, whose purposes
      -- are fixed by their CHECK constraints.
      CREATE TABLE status_message_lists (
        list_number        INTEGER PRIMARY KEY REFERENCES status_lists (list_number),
        revision           INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
        created_at         TEXT    NOT NULL,
        published_revision INTEGER CHECK (published_revision >= 1),
        published_at       TEXT,
        valid_until        TEXT,
        settings           TEXT,
        digest             TEXT
      ) STRICT;

      CREATE TABLE status_messages (
        credential_id TEXT    PRIMARY KEY REFERENCES credentials (credential_id),
        value         INTEGER NOT NULL DEFAULT 0
                              CHECK (value >= 0 AND value < ${2 ** MESSAGE_STATUS_SIZE}),
        updated_at    TEXT    NOT NULL
      ) STRICT;

      CREATE TABLE status_message_history (
        id            INTEGER PRIMARY KEY,
        credential_id TEXT    NOT NULL REFERENCES credentials (credential_id),
        at            TEXT    NOT NULL,
        from_value    INTEGER NOT NULL,
        to_value      INTEGER NOT NULL,
        reason        TEXT    NOT NULL
      ) STRICT;

      CREATE TRIGGER status_messages_never_deleted BEFORE DELETE ON status_messages
      BEGIN SELECT RAISE(ABORT, 'status messages are never deleted'); END;
      CREATE TRIGGER status_message_history_append_only_update
        BEFORE UPDATE ON status_message_history
      BEGIN SELECT RAISE(ABORT, 'status_message_history is append-only'); END;
      CREATE TRIGGER status_message_history_append_only_delete
        BEFORE DELETE ON status_message_history
      BEGIN SELECT RAISE(ABORT, 'status_message_history is append-only'); END;
    `,
  },
]
