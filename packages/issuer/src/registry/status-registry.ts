/**
 * The status registry: which credentials were issued, where their status bits live, and every
 * change of status (revoke, suspend, unsuspend) with its reason and time. It sits on a
 * {@link RegistryStore} (SQLite by default, see {@link openSqliteRegistry}; PostgreSQL with
 * {@link openPostgresRegistry}); this module checks
 * the arguments and decides which changes are allowed, the store makes them atomic and durable.
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/
 * @module
 */
import { CertifyError, isPlainObject } from '@certify-vc/context'
import { DEFAULT_MAX_STATUS_LIST_BYTES, MIN_STATUS_LIST_ENTRIES } from '@certify-vc/core'
import {
  checkDate,
  checkOptionBag,
  hasControlCharacter,
  hasLoneSurrogate,
  isAbsoluteIri,
  isDid,
  optionalString,
} from '../option-checks.js'
import { checkBaseUrl } from '../status-urls.js'
import { MESSAGE_STATUS_SIZE } from './sqlite-migrations.js'
import type {
  BatchItemInput,
  BatchItemRecord,
  CredentialStatusRecord,
  NewCredentialRecord,
  RecipientSummary,
  RegistryStore,
  StatusAllocation,
  StatusChangeResult,
  StatusDecider,
  StatusListPublicationInput,
  StatusListPublicationState,
  StatusListSnapshot,
  StatusMessageChangeResult,
} from './types.js'

/**
 * Options of {@link StatusRegistry.allocateStatus}.
 *
 * @example
 * const options: AllocateStatusOptions = {
 *   credentialId: 'urn:uuid:0f4c…',
 *   program: 'CAAE',
 *   recipient: { name: 'Ada Lovelace', did: 'did:key:z6Mk…' },
 *   suspension: true,
 * }
 */
export interface AllocateStatusOptions {
  /** The credential's `id`: an absolute IRI, recorded once. */
  credentialId: string
  /** The program code (`AIDA`, `CAAE`, `AIMA`). */
  program: string
  /** Who it was issued to; never a plain email. */
  recipient: RecipientSummary
  /** Whether the credential also carries a suspension entry (so it can be suspended). */
  suspension: boolean
  /**
   * The base URL of the status lists the credential's entries point to (an https URL; http
   * only on localhost). It is recorded with the list the index comes from, and publishing signs
   * that list at `<statusBaseUrl>/<purpose>/<listNumber>` whatever base URL is configured later:
   * a list's URL is never recomputed. Credentials with another base URL get other lists.
   * Without it, the index comes from lists recorded without a URL (published under the base URL
   * given to `publishStatusLists`).
   */
  statusBaseUrl?: string
  /**
   * Whether the credential also carries a status message entry (`statusPurpose: 'message'`,
   * `statusSize` 2): its value (0–3, 0 at issue) is then set with `setStatusMessage`. Default
   * `false`.
   */
  messages?: boolean
  /** When it was issued. Default: the registry's clock. */
  issuedAt?: Date
  /**
   * Also record this roster row, in the same transaction (batch issuance): refused with
   * `ERR_BATCH_ROW_RECORDED` when `(batch, rowKey)` is already recorded.
   */
  batchItem?: BatchItemInput
}

/**
 * The status registry API. Made by {@link openSqliteRegistry} or {@link createStatusRegistry}.
 * Every method that changes something has committed durably when its promise resolves.
 *
 * @example
 * const registry = await openSqliteRegistry('certify-vc.sqlite')
 * try {
 *   await registry.revoke('urn:uuid:0f4c…', 'Exam misconduct')
 * } finally {
 *   await registry.close()
 * }
 */
export interface StatusRegistry {
  /** The storage backend, e.g. `'sqlite'`. */
  readonly backend: string
  /**
   * Records an issued credential and hands out its status list index, in one transaction. The
   * index is uniformly random among the free indices of the current list (herd privacy), never
   * handed out twice and never reused; a full list rolls over to the next list number.
   *
   * @throws {TypeError} for wrong argument types, unknown options, or a closed registry.
   * @throws {CertifyError} `ERR_STRUCTURE_RELATIVE_IRI` (id not an absolute IRI),
   *   `ERR_ISSUE_RECIPIENT_INVALID`, `ERR_ISSUE_INVALID_INPUT` (id already recorded),
   *   `ERR_STRUCTURE_DATE_INVALID`, `ERR_REGISTRY_FULL`, `ERR_REGISTRY_STORAGE`.
   */
  allocateStatus(options: AllocateStatusOptions): Promise<StatusAllocation>
  /**
   * {@link StatusRegistry.allocateStatus} for up to 1,000 credentials in ONE transaction (one
   * durable commit for all: what batch issuance uses). All or nothing: when one is refused,
   * none is recorded.
   *
   * @throws {TypeError} as {@link StatusRegistry.allocateStatus}, or for more than 1,000.
   * @throws {CertifyError} as {@link StatusRegistry.allocateStatus}; `ERR_BATCH_ROW_RECORDED`.
   */
  allocateStatuses(options: readonly AllocateStatusOptions[]): Promise<StatusAllocation[]>
  /**
   * Revokes a credential, for good. Idempotent: revoking a revoked credential changes nothing.
   *
   * @throws {TypeError} for a non-string id or reason, an empty or multi-line reason.
   * @throws {CertifyError} `ERR_REGISTRY_NOT_FOUND`, `ERR_REGISTRY_TRANSITION` (a void
   *   credential was never issued), `ERR_REGISTRY_STORAGE`.
   */
  revoke(credentialId: string, reason: string): Promise<StatusChangeResult>
  /**
   * Suspends a credential issued with suspension. Idempotent.
   *
   * @throws {TypeError} as {@link StatusRegistry.revoke}.
   * @throws {CertifyError} `ERR_REGISTRY_NOT_FOUND`, `ERR_REGISTRY_TRANSITION` (revoked, void,
   *   or issued without suspension), `ERR_REGISTRY_STORAGE`.
   */
  suspend(credentialId: string, reason: string): Promise<StatusChangeResult>
  /**
   * Lifts a suspension (reinstates the credential). Idempotent on an active credential.
   *
   * @throws {TypeError} as {@link StatusRegistry.revoke}.
   * @throws {CertifyError} as {@link StatusRegistry.suspend}.
   */
  unsuspend(credentialId: string, reason: string): Promise<StatusChangeResult>
  /**
   * Marks an allocation whose credential was never issued (signing failed) as `void`: the index
   * stays used, and its revocation bit is set when publishing. Only from `active`; idempotent.
   *
   * @throws {TypeError} as {@link StatusRegistry.revoke}.
   * @throws {CertifyError} `ERR_REGISTRY_NOT_FOUND`, `ERR_REGISTRY_TRANSITION` (suspended or
   *   revoked), `ERR_REGISTRY_STORAGE`.
   */
  voidCredential(credentialId: string, reason: string): Promise<StatusChangeResult>
  /**
   * Sets the status message value (0–3) of a credential issued with a message entry; the value
   * reaches verifiers when the lists are published again, explained by the entry's
   * `statusMessage`. Idempotent. Any value may follow any other (a message is not final).
   *
   * @throws {TypeError} as {@link StatusRegistry.revoke}, or for a value that is not an integer
   *   from 0 to 3.
   * @throws {CertifyError} `ERR_REGISTRY_NOT_FOUND`, `ERR_REGISTRY_TRANSITION` (issued without a
   *   message entry), `ERR_REGISTRY_STORAGE`.
   */
  setStatusMessage(
    credentialId: string,
    value: number,
    reason: string,
  ): Promise<StatusMessageChangeResult>
  /**
   * The credential's record: status, list number and index, and its history.
   *
   * @throws {TypeError} for a non-string or empty id.
   * @throws {CertifyError} `ERR_REGISTRY_NOT_FOUND`, `ERR_REGISTRY_STORAGE`.
   */
  getCredentialStatus(credentialId: string): Promise<CredentialStatusRecord>
  /**
   * Every status list with the indices whose bits are set, from one consistent read.
   *
   * @throws {CertifyError} `ERR_REGISTRY_STORAGE`.
   */
  readStatusLists(): Promise<StatusListSnapshot[]>
  /**
   * The recorded batch item `(batch, rowKey)` with its allocation and payload, or `undefined`.
   *
   * @throws {TypeError} for non-string or empty arguments.
   * @throws {CertifyError} `ERR_REGISTRY_STORAGE`.
   */
  getBatchItem(batch: string, rowKey: string): Promise<BatchItemRecord | undefined>
  /**
   * Every recorded item of `batch`, by row key, without payloads (`payload: ''`).
   *
   * @throws {TypeError} for a non-string or empty batch.
   * @throws {CertifyError} `ERR_REGISTRY_STORAGE`.
   */
  listBatchItems(batch: string): Promise<BatchItemRecord[]>
  /**
   * Every list and purpose with its content revision and its last recorded publication
   * (what {@link publishStatusLists} uses to re-sign only what changed).
   *
   * @throws {CertifyError} `ERR_REGISTRY_STORAGE`.
   */
  readPublicationStates(): Promise<StatusListPublicationState[]>
  /**
   * Records the publications given (replacing earlier ones of the same list and purpose).
   *
   * @throws {TypeError} for malformed records.
   * @throws {CertifyError} `ERR_REGISTRY_STORAGE`.
   */
  recordPublications(publications: readonly StatusListPublicationInput[]): Promise<void>
  /** Closes the storage. Idempotent; other calls afterwards throw `TypeError`. */
  close(): Promise<void>
}

/**
 * Options of {@link createStatusRegistry}.
 *
 * @example
 * const options: CreateStatusRegistryOptions = { listLength: 262_144 }
 */
export interface CreateStatusRegistryOptions {
  /**
   * Entries of each new status list: a multiple of 8, at least 131,072 (the spec's minimum for
   * herd privacy, `MIN_STATUS_LIST_ENTRIES`) and at most 134,217,728. Default 131,072. Existing
   * lists keep the length they were created with.
   */
  listLength?: number
  /** The clock that stamps allocations and status changes. Default `() => new Date()`. */
  clock?: () => Date
}

const CREATE_OPTIONS = ['listLength', 'clock'] as const
const ALLOCATE_OPTIONS = [
  'credentialId',
  'program',
  'recipient',
  'suspension',
  'statusBaseUrl',
  'messages',
  'issuedAt',
  'batchItem',
]
const MAX_BATCH_TEXT = 512
const MAX_ALLOCATIONS_PER_CALL = 1000
const MAX_PAYLOAD_LENGTH = 1_000_000
const RECIPIENT_OPTIONS = ['name', 'did', 'identityHash']
const MAX_LIST_LENGTH = DEFAULT_MAX_STATUS_LIST_BYTES * 8
const MAX_ID_LENGTH = 2048
const MAX_REASON_LENGTH = 1000
const MAX_NAME_LENGTH = 512
const PROGRAM = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/
const IDENTITY_HASH = /^sha256\$[0-9a-f]{64}$/

function checkListLength(value: unknown): number {
  if (value === undefined) return MIN_STATUS_LIST_ENTRIES
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < MIN_STATUS_LIST_ENTRIES ||
    value > MAX_LIST_LENGTH ||
    value % 8 !== 0
  ) {
    throw new TypeError(
      `"listLength" must be a multiple of 8 from ${MIN_STATUS_LIST_ENTRIES} to ${MAX_LIST_LENGTH}.`,
    )
  }
  return value
}

/**
 * Checks the options of {@link createStatusRegistry} and fills in the defaults.
 *
 * @internal
 */
export function checkRegistryOptions(
  options: unknown,
  allowed: readonly string[] = CREATE_OPTIONS,
): { listLength: number; clock: () => Date } {
  checkOptionBag(options, 'options', allowed)
  const listLength = checkListLength(options.listLength)
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw new TypeError('"clock" must be a function returning a Date.')
  }
  return { listLength, clock: (options.clock as (() => Date) | undefined) ?? (() => new Date()) }
}

function checkLookupId(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw new TypeError(
      `"credentialId" must be a non-empty string of at most ${MAX_ID_LENGTH} characters.`,
    )
  }
  return value
}

function checkReason(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError('"reason" must be a string.')
  const reason = value.trim()
  if (
    reason.length === 0 ||
    reason.length > MAX_REASON_LENGTH ||
    hasControlCharacter(reason) ||
    hasLoneSurrogate(reason)
  ) {
    throw new TypeError(
      `"reason" must be one line of 1 to ${MAX_REASON_LENGTH} characters, without control characters.`,
    )
  }
  return reason
}

function checkRecipient(value: unknown): RecipientSummary {
  if (isPlainObject(value) && Object.hasOwn(value, 'email')) {
    throw new TypeError(
      '"recipient.email" is not accepted: the registry never stores a plain email. Pass the ' +
        "credential's identityHash instead.",
    )
  }
  checkOptionBag(value, 'recipient', RECIPIENT_OPTIONS)
  const name = optionalString(value.name, 'recipient.name')
  const did = optionalString(value.did, 'recipient.did')
  const identityHash = optionalString(value.identityHash, 'recipient.identityHash')
  const invalid = (message: string) => new CertifyError('ERR_ISSUE_RECIPIENT_INVALID', message)
  const out: RecipientSummary = {}
  if (name !== undefined) {
    if (
      name.trim().length === 0 ||
      name.length > MAX_NAME_LENGTH ||
      hasControlCharacter(name) ||
      hasLoneSurrogate(name)
    ) {
      throw invalid(`"recipient.name" must be 1 to ${MAX_NAME_LENGTH} printable characters.`)
    }
    out.name = name
  }
  if (did !== undefined) {
    if (!isDid(did)) throw invalid('"recipient.did" is not a DID.')
    out.did = did
  }
  if (identityHash !== undefined) {
    if (!IDENTITY_HASH.test(identityHash)) {
      throw invalid('"recipient.identityHash" must be sha256$ followed by 64 hex digits.')
    }
    out.identityHash = identityHash
  }
  return out
}

function checkBatchText(value: unknown, what: string): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > MAX_BATCH_TEXT ||
    hasControlCharacter(value) ||
    hasLoneSurrogate(value)
  ) {
    throw new TypeError(
      `"${what}" must be 1 to ${MAX_BATCH_TEXT} characters without control characters.`,
    )
  }
  return value
}

function checkBatchItem(value: unknown): BatchItemInput {
  checkOptionBag(value, 'batchItem', ['batch', 'rowKey', 'payload'])
  const payload = value.payload
  if (typeof payload !== 'string' || payload.length > MAX_PAYLOAD_LENGTH) {
    throw new TypeError(
      `"batchItem.payload" must be JSON text of at most ${MAX_PAYLOAD_LENGTH} characters.`,
    )
  }
  try {
    JSON.parse(payload)
  } catch {
    throw new TypeError('"batchItem.payload" must be JSON text.')
  }
  return {
    batch: checkBatchText(value.batch, 'batchItem.batch'),
    rowKey: checkBatchText(value.rowKey, 'batchItem.rowKey'),
    payload,
  }
}

const ISO_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/

function checkPublication(value: unknown, at: number): StatusListPublicationInput {
  const what = `publications[${at}]`
  checkOptionBag(value, what, [
    'listNumber',
    'purpose',
    'revision',
    'publishedAt',
    'validUntil',
    'settings',
    'digest',
  ])
  const { listNumber, purpose, revision, publishedAt, validUntil, settings, digest } = value
  if (typeof listNumber !== 'number' || !Number.isSafeInteger(listNumber) || listNumber < 1) {
    throw new TypeError(`"${what}.listNumber" must be a positive integer.`)
  }
  if (purpose !== 'revocation' && purpose !== 'suspension' && purpose !== 'message') {
    throw new TypeError(`"${what}.purpose" must be revocation, suspension or message.`)
  }
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 1) {
    throw new TypeError(`"${what}.revision" must be a positive integer.`)
  }
  for (const [name, stamp] of [
    ['publishedAt', publishedAt],
    ['validUntil', validUntil],
  ] as const) {
    if (typeof stamp !== 'string' || !ISO_STAMP.test(stamp)) {
      throw new TypeError(`"${what}.${name}" must be an ISO 8601 UTC timestamp.`)
    }
  }
  if (typeof settings !== 'string' || typeof digest !== 'string') {
    throw new TypeError(`"${what}.settings" and "${what}.digest" must be strings.`)
  }
  return {
    listNumber,
    purpose,
    revision,
    publishedAt: publishedAt as string,
    validUntil: validUntil as string,
    settings,
    digest,
  }
}

function transitionError(credentialId: string, message: string): CertifyError {
  return new CertifyError('ERR_REGISTRY_TRANSITION', `${credentialId}: ${message}`)
}

/**
 * Builds the {@link StatusRegistry} API on a storage backend. Use {@link openSqliteRegistry} for
 * the default SQLite file; this is for other backends (and their shared test suite).
 *
 * @example
 * const registry = createStatusRegistry(await openSqliteStore('certify-vc.sqlite'))
 *
 * @throws {TypeError} for a store without the {@link RegistryStore} methods or bad options.
 */
export function createStatusRegistry(
  store: RegistryStore,
  options: CreateStatusRegistryOptions = {},
): StatusRegistry {
  if (
    typeof store !== 'object' ||
    store === null ||
    typeof store.allocate !== 'function' ||
    typeof store.allocateMany !== 'function' ||
    typeof store.changeStatus !== 'function' ||
    typeof store.getCredential !== 'function' ||
    typeof store.readStatusLists !== 'function' ||
    typeof store.getBatchItem !== 'function' ||
    typeof store.listBatchItems !== 'function' ||
    typeof store.readPublicationStates !== 'function' ||
    typeof store.recordPublications !== 'function' ||
    typeof store.close !== 'function'
  ) {
    throw new TypeError('"store" must be a RegistryStore (see openSqliteStore).')
  }
  const { listLength, clock } = checkRegistryOptions(options)
  const backend = typeof store.backend === 'string' ? store.backend : 'custom'
  let closed = false

  const open = (): void => {
    if (closed) throw new TypeError('The status registry is closed.')
  }
  const stamp = (): string => checkDate(clock(), 'clock()').toISOString()

  const checkAllocation = (options: AllocateStatusOptions): NewCredentialRecord => {
    checkOptionBag(options, 'options', ALLOCATE_OPTIONS)
    const { credentialId, program, suspension, issuedAt, messages = false } = options
    if (typeof credentialId !== 'string') throw new TypeError('"credentialId" must be a string.')
    if (!isAbsoluteIri(credentialId)) {
      throw new CertifyError(
        'ERR_STRUCTURE_RELATIVE_IRI',
        '"credentialId" must be an absolute IRI.',
      )
    }
    if (typeof program !== 'string' || !PROGRAM.test(program)) {
      throw new TypeError('"program" must be a program code such as "AIDA".')
    }
    if (typeof suspension !== 'boolean') throw new TypeError('"suspension" must be a boolean.')
    if (typeof messages !== 'boolean') throw new TypeError('"messages" must be a boolean.')
    const recipient = checkRecipient(options.recipient)
    const at = issuedAt === undefined ? stamp() : checkDate(issuedAt, 'issuedAt').toISOString()
    const batchItem =
      options.batchItem === undefined ? undefined : checkBatchItem(options.batchItem)
    const statusBaseUrl =
      options.statusBaseUrl === undefined
        ? undefined
        : checkBaseUrl(options.statusBaseUrl, 'statusBaseUrl')
    return {
      credentialId,
      program,
      recipient,
      suspension,
      ...(statusBaseUrl === undefined ? {} : { statusBaseUrl }),
      ...(messages ? { messages } : {}),
      issuedAt: at,
      listLength,
      ...(batchItem === undefined ? {} : { batchItem }),
    }
  }

  async function change(
    credentialId: unknown,
    reason: unknown,
    decide: (id: string, reason: string) => StatusDecider,
  ): Promise<StatusChangeResult> {
    open()
    const id = checkLookupId(credentialId)
    const why = checkReason(reason)
    const result = await store.changeStatus(id, stamp(), decide(id, why))
    if (result === undefined) {
      throw new CertifyError('ERR_REGISTRY_NOT_FOUND', `No credential ${id} in the registry.`)
    }
    return result
  }

  return {
    backend,

    async allocateStatus(allocateOptions) {
      open()
      return store.allocate(checkAllocation(allocateOptions))
    },

    async allocateStatuses(list) {
      open()
      if (!Array.isArray(list) || list.length > MAX_ALLOCATIONS_PER_CALL) {
        throw new TypeError(`"options" must be an array of at most ${MAX_ALLOCATIONS_PER_CALL}.`)
      }
      const records = (list as unknown[]).map((o) => checkAllocation(o as AllocateStatusOptions))
      return records.length === 0 ? [] : store.allocateMany(records)
    },

    revoke(credentialId, reason) {
      return change(credentialId, reason, (id, why) => ({ status }) => {
        if (status === 'revoked') return undefined
        if (status === 'void') throw transitionError(id, 'a void credential was never issued.')
        return { action: 'revoke', to: 'revoked', reason: why }
      })
    },

    suspend(credentialId, reason) {
      return change(credentialId, reason, (id, why) => ({ status, suspension: enabled }) => {
        if (!enabled) throw transitionError(id, 'it was issued without suspension.')
        if (status === 'suspended') return undefined
        if (status !== 'active') throw transitionError(id, `it is ${status}; that is final.`)
        return { action: 'suspend', to: 'suspended', reason: why }
      })
    },

    unsuspend(credentialId, reason) {
      return change(credentialId, reason, (id, why) => ({ status, suspension: enabled }) => {
        if (!enabled) throw transitionError(id, 'it was issued without suspension.')
        if (status === 'active') return undefined
        if (status !== 'suspended') throw transitionError(id, `it is ${status}; that is final.`)
        return { action: 'unsuspend', to: 'active', reason: why }
      })
    },

    voidCredential(credentialId, reason) {
      return change(credentialId, reason, (id, why) => ({ status }) => {
        if (status === 'void') return undefined
        if (status !== 'active') throw transitionError(id, `it is ${status}, not just allocated.`)
        return { action: 'void', to: 'void', reason: why }
      })
    },

    async setStatusMessage(credentialId, value, reason) {
      open()
      const id = checkLookupId(credentialId)
      const why = checkReason(reason)
      if (!Number.isInteger(value) || value < 0 || value >= 2 ** MESSAGE_STATUS_SIZE) {
        throw new TypeError(
          `"value" must be an integer from 0 to ${2 ** MESSAGE_STATUS_SIZE - 1} (statusSize ${MESSAGE_STATUS_SIZE}).`,
        )
      }
      const result = await store.setMessage(id, value, stamp(), why)
      if (result === undefined) {
        throw new CertifyError('ERR_REGISTRY_NOT_FOUND', `No credential ${id} in the registry.`)
      }
      return result
    },

    async getCredentialStatus(credentialId) {
      open()
      const id = checkLookupId(credentialId)
      const record = await store.getCredential(id)
      if (record === undefined) {
        throw new CertifyError('ERR_REGISTRY_NOT_FOUND', `No credential ${id} in the registry.`)
      }
      return record
    },

    async readStatusLists() {
      open()
      return store.readStatusLists()
    },

    async getBatchItem(batch, rowKey) {
      open()
      return store.getBatchItem(checkBatchText(batch, 'batch'), checkBatchText(rowKey, 'rowKey'))
    },

    async listBatchItems(batch) {
      open()
      return store.listBatchItems(checkBatchText(batch, 'batch'))
    },

    async readPublicationStates() {
      open()
      return store.readPublicationStates()
    },

    async recordPublications(publications) {
      open()
      if (!Array.isArray(publications)) throw new TypeError('"publications" must be an array.')
      const checked = (publications as unknown[]).map(checkPublication)
      if (checked.length > 0) await store.recordPublications(checked)
    },

    async close() {
      if (closed) return
      closed = true
      await store.close()
    },
  }
}
