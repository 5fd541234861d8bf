/**
 * The status registry's records and its storage interface. {@link RegistryStore} is what a
 * storage backend implements (SQLite and PostgreSQL); callers use the
 * {@link StatusRegistry} built on top of it, which checks arguments and decides which status
 * changes are allowed.
 *
 * @module
 */

/**
 * The purposes certify-vc publishes Bitstring Status Lists for. `message` lists have entries of
 * `MESSAGE_STATUS_SIZE` (2) bits: a status value 0–3 per credential, each value explained by the
 * entry's `statusMessage` (e.g. a program's "pending renewal").
 */
export type StatusPurpose = 'revocation' | 'suspension' | 'message'

/**
 * The status of a recorded credential.
 * - `active`: issued, neither revoked nor suspended.
 * - `suspended`: suspended until `unsuspend` (only for credentials issued with suspension).
 * - `revoked`: revoked for good.
 * - `void`: the index was allocated but the credential was never issued (signing failed). Final;
 *   its revocation bit is set when publishing, so the index can never verify as valid.
 */
export type CredentialStatusValue = 'active' | 'suspended' | 'revoked' | 'void'

/** What happened to a credential, as written in its history. */
export type StatusAction = 'issue' | 'revoke' | 'suspend' | 'unsuspend' | 'void'

/**
 * What the registry keeps about a learner: never the plain email, only the salted
 * `identityHash` that the credential carries (without its salt).
 *
 * @example
 * const recipient: RecipientSummary = { name: 'Ada Lovelace', identityHash: 'sha256$3b2c…' }
 */
export interface RecipientSummary {
  /** The learner's name as written in the credential. */
  name?: string
  /** The learner's DID (`credentialSubject.id`). */
  did?: string
  /** The credential's `sha256$<hex>` email `identityHash` (the salt is not kept). */
  identityHash?: string
}

/**
 * A status list index handed out by {@link StatusRegistry.allocateStatus}.
 *
 * @example
 * const allocation: StatusAllocation = { listNumber: 1, index: 94567 }
 */
export interface StatusAllocation {
  /** The list number (1, 2 …): the same number for the revocation and suspension lists. */
  listNumber: number
  /** The index in the list, chosen at random among the free ones. */
  index: number
}

/**
 * One change in a credential's history.
 *
 * @example
 * const entry: StatusHistoryEntry = {
 *   at: '2026-11-29T12:00:00.000Z', action: 'revoke', from: 'active', to: 'revoked',
 *   reason: 'Exam misconduct',
 * }
 */
export interface StatusHistoryEntry {
  /** When, as an ISO 8601 UTC timestamp with milliseconds. */
  at: string
  action: StatusAction
  /** The status before (`null` for `issue`). */
  from: CredentialStatusValue | null
  to: CredentialStatusValue
  /** Why (`null` for `issue`). */
  reason: string | null
}

/**
 * Everything the registry holds about one credential.
 *
 * @example
 * const record = await registry.getCredentialStatus('urn:uuid:…')
 * record.status // 'revoked'
 */
export interface CredentialStatusRecord {
  credentialId: string
  program: string
  recipient: RecipientSummary
  /** When it was recorded as issued (ISO 8601 UTC). */
  issuedAt: string
  listNumber: number
  index: number
  /**
   * The base URL its list was recorded under when the index was allocated (its entries point to
   * `<statusBaseUrl>/<purpose>/<listNumber>`); absent for lists recorded without one.
   */
  statusBaseUrl?: string
  /** Whether the credential carries a suspension entry (suspension was enabled for it). */
  suspension: boolean
  status: CredentialStatusValue
  /** Every change, oldest first, starting with `issue`. */
  history: StatusHistoryEntry[]
  /** The current status message value (0–3), when the credential carries a message entry. */
  message?: number
}

/**
 * The outcome of {@link RegistryStore.setMessage}.
 *
 * @example
 * const result = await registry.setStatusMessage(id, 1, 'renewal pending')
 * result // { credentialId: id, previous: 0, value: 1, changed: true }
 */
export interface StatusMessageChangeResult {
  credentialId: string
  /** The value before the call. */
  previous: number
  /** The value now. */
  value: number
  /** `false` when the credential already had that value. */
  changed: boolean
}

/**
 * The outcome of `revoke`, `suspend`, `unsuspend` or `voidCredential`.
 *
 * @example
 * const result = await registry.revoke(id, 'Exam misconduct')
 * result // { credentialId: id, previous: 'active', status: 'revoked', changed: true }
 */
export interface StatusChangeResult {
  credentialId: string
  /** The status before the call. */
  previous: CredentialStatusValue
  /** The status now. */
  status: CredentialStatusValue
  /** `false` when the credential already had that status (the call was idempotent). */
  changed: boolean
}

/**
 * One status list as the registry holds it: what {@link publishStatusLists} turns into signed
 * status list credentials.
 *
 * @example
 * const [list] = await registry.readStatusLists()
 * list // { listNumber: 1, length: 131072, purposes: ['revocation'], revoked: [94567], … }
 */
export interface StatusListSnapshot {
  listNumber: number
  /**
   * The base URL the list was created under: its credentials point to
   * `<baseUrl>/<purpose>/<listNumber>`. Absent for lists created without one (registries written
   * before list URLs were recorded, or allocations that named none).
   */
  baseUrl?: string
  /** Number of entries (bits): at least 131,072. */
  length: number
  /** `revocation` always; `suspension` once a credential with suspension got an index here. */
  purposes: StatusPurpose[]
  /** Indices handed out so far. */
  allocated: number
  /** When the list was created (ISO 8601 UTC). */
  createdAt: string
  /** Indices whose revocation bit is set: revoked and void credentials, ascending. */
  revoked: number[]
  /** Indices whose suspension bit is set: suspended credentials, ascending. */
  suspended: number[]
  /** The `message` list's non-zero status values (index ascending), when the list has one. */
  messages?: { index: number; value: number }[]
}

/** A credential to record, as {@link RegistryStore.allocate} receives it (already checked). */
export interface NewCredentialRecord {
  credentialId: string
  program: string
  recipient: RecipientSummary
  suspension: boolean
  /**
   * The status base URL the credential's entries will point to (checked, no trailing slash).
   * The index is taken from a list created under this same base URL (a new list when there is
   * none with room), so that every list has exactly one URL. `undefined`: lists without one.
   */
  statusBaseUrl?: string
  /** Also record a status message value (0) at the same list number and index. Default false. */
  messages?: boolean
  /** ISO 8601 UTC. */
  issuedAt: string
  /** Length of a list created for this allocation (existing lists keep their own). */
  listLength: number
  /** Also record this batch item, in the same transaction (see {@link BatchItemInput}). */
  batchItem?: BatchItemInput
}

/**
 * A roster row recorded with its credential's allocation: the key that makes batch issuance
 * idempotent. `(batch, rowKey)` is recorded once; a second allocation for it is refused.
 *
 * @example
 * const item: BatchItemInput = { batch: 'CAAE', rowKey: 'student-0042', payload: '{…}' }
 */
export interface BatchItemInput {
  /** The batch scope (by default the program code): row keys are unique within it. */
  batch: string
  /** The roster row's key (its `key` column, or a hash of its identity fields). */
  rowKey: string
  /** JSON text: what is needed to re-create the credential file identically. */
  payload: string
}

/**
 * A recorded batch item with its credential's allocation and status.
 *
 * @example
 * const item = await registry.getBatchItem('CAAE', 'student-0042')
 * item // { batch: 'CAAE', rowKey: 'student-0042', credentialId: 'urn:uuid:…', listNumber: 1, … }
 */
export interface BatchItemRecord {
  batch: string
  rowKey: string
  credentialId: string
  listNumber: number
  index: number
  status: CredentialStatusValue
  /** When the item was recorded (ISO 8601 UTC). */
  recordedAt: string
  /** The JSON text recorded with it. */
  payload: string
}

/**
 * One list and purpose, with its content revision and what was last published of it.
 *
 * @example
 * const [state] = await registry.readPublicationStates()
 * state // { listNumber: 1, purpose: 'revocation', revision: 3, published: { revision: 2, … } }
 */
export interface StatusListPublicationState {
  listNumber: number
  purpose: StatusPurpose
  /** Bumped each time a bit of this list and purpose changes (starts at 1). */
  revision: number
  /** The last publication recorded, if any. */
  published?: StatusListPublication
}

/**
 * What a publication of one list and purpose recorded.
 *
 * @example
 * const publication: StatusListPublication = {
 *   revision: 2, publishedAt: '2026-11-29T12:00:00Z', validUntil: '2026-12-06T12:00:00Z',
 *   settings: 'sha256:…', digest: 'sha256:…',
 * }
 */
export interface StatusListPublication {
  /** The content revision that was signed. */
  revision: number
  /** `validFrom` of the signed list. */
  publishedAt: string
  /** `validUntil` of the signed list. */
  validUntil: string
  /** A fingerprint of the signing settings (key, base URL, validity, ttl). */
  settings: string
  /** SHA-256 of the file written (`sha256:<hex>`). */
  digest: string
}

/** A publication to record, as {@link RegistryStore.recordPublications} receives it. */
export interface StatusListPublicationInput extends StatusListPublication {
  listNumber: number
  purpose: StatusPurpose
}

/** A change of status chosen by {@link StatusDecider}. */
export interface StatusTransition {
  action: Exclude<StatusAction, 'issue'>
  to: CredentialStatusValue
  reason: string
}

/**
 * Runs inside the store's transaction with the credential's current state; returns the change
 * to write, `undefined` for none (idempotent call), or throws (the transaction is rolled back
 * and the error passes through unchanged).
 */
export type StatusDecider = (current: {
  status: CredentialStatusValue
  suspension: boolean
}) => StatusTransition | undefined

/**
 * The storage interface of the status registry. A backend (SQLite, PostgreSQL …) implements
 * these operations; every write is atomic and durable before its promise resolves.
 * Backend failures reject with `CertifyError` `ERR_REGISTRY_STORAGE` (with `cause`).
 *
 * @example
 * const store = await openSqliteStore('certify-vc.sqlite')
 * const registry = createStatusRegistry(store)
 */
export interface RegistryStore {
  /** A short name of the backend, e.g. `'sqlite'`. */
  readonly backend: string
  /**
   * Records the credential and hands out an index in ONE transaction: uniformly at random among
   * the free indices of the newest list created under `record.statusBaseUrl` (the same base URL,
   * or none for both), which rolls over to a new list number when full or absent. An index is
   * never handed out twice, even across processes. With `record.batchItem`, the item is recorded
   * in the same transaction. Rejects with `ERR_ISSUE_INVALID_INPUT` when the credential id is
   * already recorded, and `ERR_BATCH_ROW_RECORDED` when the batch item is.
   */
  allocate(record: NewCredentialRecord): Promise<StatusAllocation>
  /**
   * {@link RegistryStore.allocate} for several credentials in ONE transaction (one commit: what
   * makes batch issuance fast), in order; all or nothing.
   */
  allocateMany(records: readonly NewCredentialRecord[]): Promise<StatusAllocation[]>
  /**
   * Reads the credential's state, asks `decide` and writes the change with a history entry
   * stamped `at`, in one transaction. Resolves to `undefined` for an unknown credential id.
   */
  changeStatus(
    credentialId: string,
    at: string,
    decide: StatusDecider,
  ): Promise<StatusChangeResult | undefined>
  /**
   * Sets the status message value of a credential recorded with `messages`, with a history
   * entry stamped `at`, in one transaction; bumps the message list's revision when the value
   * changes. Resolves to `undefined` for an unknown credential id; rejects with
   * `ERR_REGISTRY_TRANSITION` for a credential without a message entry.
   */
  setMessage(
    credentialId: string,
    value: number,
    at: string,
    reason: string,
  ): Promise<StatusMessageChangeResult | undefined>
  /** The credential with its history, or `undefined`. */
  getCredential(credentialId: string): Promise<CredentialStatusRecord | undefined>
  /** Every list with the indices whose bits are set, from one consistent read. */
  readStatusLists(): Promise<StatusListSnapshot[]>
  /** The batch item `(batch, rowKey)` with its allocation, or `undefined`. */
  getBatchItem(batch: string, rowKey: string): Promise<BatchItemRecord | undefined>
  /** Every item of `batch` (payloads omitted: `''`), by row key. */
  listBatchItems(batch: string): Promise<BatchItemRecord[]>
  /** Every list and purpose with its revision and last publication, from one consistent read. */
  readPublicationStates(): Promise<StatusListPublicationState[]>
  /** Records (replaces) the last publication of each list and purpose given, in one transaction. */
  recordPublications(publications: readonly StatusListPublicationInput[]): Promise<void>
  /** Releases the storage. Idempotent. */
  close(): Promise<void>
}
