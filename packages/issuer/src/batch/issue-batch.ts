/**
 * Batch issuance from a roster: every row validated first, then credentials issued in chunks
 * (one registry transaction per chunk records each credential's allocation together with its
 * roster row key and what is needed to re-create it), one file per credential written
 * atomically, and a manifest. Idempotent by row key: a re-run (after a crash, say) issues only
 * the rows not yet recorded and re-creates, byte for byte, any recorded credential whose file is
 * missing or damaged, never a second credential for a row.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { mkdir, readFile, readdir, unlink } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  CertifyError,
  formatDateTimeStamp,
  isCertifyError,
  isPlainObject,
  type Catalog,
  type CredentialFormat,
  type DocumentLoader,
  type JsonValue,
  type OpenBadgeCredential,
  type SignedOpenBadgeCredential,
} from '@certify-vc/context'
import { checkOptionBag, hasControlCharacter } from '../option-checks.js'
import { syncDirectory, writeFileAtomic } from '../files.js'
import { buildCredential } from '../issue-credential.js'
import { recipientSummary } from '../recipient.js'
import { checkKey } from '../issuer-key-check.js'
import { signCredential } from '../sign-credential.js'
import type { IssuerKey } from '../keys.js'
import type { StatusRegistry } from '../registry/status-registry.js'
import type { BatchItemRecord } from '../registry/types.js'
import { checkBaseUrl, statusEntries } from '../status-urls.js'
import {
  readRosterFile,
  rosterRowKey,
  rowFromObject,
  type RawRosterRow,
  type RosterProblem,
  type RosterRow,
} from './roster.js'

/**
 * Progress of {@link issueBatch}, reported as it goes.
 *
 * @example
 * const onProgress = (p: BatchProgress) => console.log(`${p.done}/${p.total} at ${p.rate}/s`)
 */
export interface BatchProgress {
  /** `validate` while reading the roster, `issue` while issuing. */
  phase: 'validate' | 'issue'
  /** Rows handled so far (validate: read; issue: issued, re-created or already complete). */
  done: number
  /** Rows to handle (validate: rows read so far). */
  total: number
  /** Credentials newly issued so far. */
  issued: number
  /** Files re-created for rows already recorded. */
  recreated: number
  /** Rows already complete (recorded, file present and matching). */
  unchanged: number
  /** Milliseconds since the phase started. */
  elapsedMs: number
  /** Rows per second in this phase. */
  rate: number
  /** Estimated milliseconds left (`undefined` until there is a rate). */
  etaMs: number | undefined
}

/**
 * Options of {@link issueBatch}.
 *
 * @example
 * const options: IssueBatchOptions = {
 *   roster: './cohort-2026-11.csv',
 *   program: 'CAAE',
 *   key,
 *   registry,
 *   baseUrl: 'https://production-ai.institute/status',
 *   outDir: './out/cohort-2026-11',
 * }
 */
export interface IssueBatchOptions {
  /**
   * A roster file (`.csv` with a header row, or `.jsonl` / `.ndjson`), or the rows themselves
   * (their "line" is their 1-based position). Fields: `key`, `name`, `email`, `did`,
   * `validFrom`, `awardedDate`, `activityStartDate`, `activityEndDate`, `term`, `role`.
   */
  roster: string | Iterable<RosterRow> | AsyncIterable<RosterRow>
  /** `'AIDA'`, `'CAAE'` or `'AIMA'`. */
  program: string
  /** Signs every credential; its DID is the issuer. */
  key: IssuerKey
  /** Where each credential and its roster row key are recorded. */
  registry: StatusRegistry
  /** Base URL of the status lists (as for `issueCredential`'s `status.baseUrl`). */
  baseUrl: string
  /** Folder for one `<uuid>.json` file per credential and `manifest.jsonl` (created). */
  outDir: string
  /**
   * The idempotency scope: row keys are unique per program and batch name. Default
   * `'default'`; name a new batch to issue the same learners again (a later cohort).
   */
  batch?: string
  /** Issue the valid rows and report the bad ones, instead of issuing nothing. Default false. */
  skipInvalid?: boolean
  /** Also give every credential a suspension entry. Default false. */
  suspension?: boolean
  /** `'vc2'` (default) or `'vc1.1'`. */
  format?: CredentialFormat
  /** Credentials per registry transaction. Default 100 (1 to 1,000). */
  chunkSize?: number
  /** Issuing time (validFrom unless the row has one, and the proofs' `created`). Default now. */
  now?: Date
  /** Programs and Institute data. Default `CATALOG`. */
  catalog?: Catalog
  /** JSON-LD document loader. Default: the offline loader of `@certify-vc/context`. */
  documentLoader?: DocumentLoader
  /** Called with the progress (at most every 100 ms, and at the end of each phase). */
  onProgress?: (progress: BatchProgress) => void
}

/**
 * One line of the manifest: a roster row and its credential.
 *
 * @example
 * const entry: BatchManifestEntry = {
 *   line: 2, rowKey: 'student-0042', credentialId: 'urn:uuid:…', file: '….json',
 *   listNumber: 1, statusIndex: 94567, outcome: 'issued',
 * }
 */
export interface BatchManifestEntry {
  /** The roster line. */
  line: number
  rowKey: string
  credentialId: string
  /** The credential file, relative to `outDir`. */
  file: string
  listNumber: number
  statusIndex: number
  /** `issued` now, `recreated` (file written again), or `unchanged` (already complete). */
  outcome: 'issued' | 'recreated' | 'unchanged'
}

/**
 * What {@link issueBatch} did.
 *
 * @example
 * const result = await issueBatch(options)
 * result.issued // 9998
 */
export interface IssueBatchResult {
  /** Rows in the roster (valid and bad). */
  rows: number
  issued: number
  recreated: number
  unchanged: number
  /** Bad rows (only non-empty with `skipInvalid`: otherwise issueBatch rejects). */
  problems: RosterProblem[]
  /** The manifest file (absolute). */
  manifest: string
  /** Milliseconds spent issuing (after validation). */
  issueMs: number
}

/** What the registry keeps with each batch item to re-create its credential identically. */
interface BatchPayload {
  v: 1
  /** The unsigned credential without `credentialStatus`. */
  credential: OpenBadgeCredential
  created: string
  baseUrl: string
  suspension: boolean
}

/** A validated roster row. */
interface Entry {
  line: number
  rowKey: string
  row: RosterRow
}

const OPTIONS = [
  'roster',
  'program',
  'key',
  'registry',
  'baseUrl',
  'outDir',
  'batch',
  'skipInvalid',
  'suspension',
  'format',
  'chunkSize',
  'now',
  'catalog',
  'documentLoader',
  'onProgress',
]
const BATCH_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/
const MAX_KEY_LENGTH = 200
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/
const MANIFEST = 'manifest.jsonl'
const PROGRESS_EVERY_MS = 100

/** A CertifyError `ERR_BATCH_ROSTER_INVALID` that carries every problem. */
export class RosterInvalidError extends CertifyError {
  /** Every bad row, in roster order. */
  readonly problems: readonly RosterProblem[]

  constructor(problems: readonly RosterProblem[]) {
    super(
      'ERR_BATCH_ROSTER_INVALID',
      `The roster has ${problems.length} problem(s); nothing was issued. First: line ${problems[0]?.line ?? 0}, ${problems[0]?.field ?? ''}: ${problems[0]?.reason ?? ''}`,
    )
    this.name = 'RosterInvalidError'
    this.problems = problems
  }
}

/** A roster date or date-time as an XSD dateTimeStamp, or `undefined` when malformed. */
function rosterDate(value: string): string | undefined {
  const text = DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value
  if (!DATE_TIME.test(text)) return undefined
  const date = new Date(text)
  if (Number.isNaN(date.getTime())) return undefined
  // Reject dates like 2026-02-31 that Date silently rolls over.
  if (DATE_ONLY.test(value) && date.toISOString().slice(0, 10) !== value) return undefined
  return text
}

/** Which roster field an issuing error is about (from its message), else `'row'`. */
function fieldOf(message: string): string {
  const match = /"(?:recipient\.)?(name|email|did|validFrom)"/.exec(message)
  return match?.[1] ?? 'row'
}

interface Settings {
  program: string
  key: IssuerKey
  baseUrl: string
  suspension: boolean
  format: CredentialFormat
  now: Date
  catalog?: Catalog
  documentLoader?: DocumentLoader
}

/** Builds the unsigned credential of a row (throws CertifyError for a bad row). */
function buildFor(row: RosterRow, settings: Settings, id?: string): OpenBadgeCredential {
  const credential: Record<string, JsonValue> = {}
  const subject: Record<string, JsonValue> = {}
  if (row.awardedDate !== undefined) credential.awardedDate = row.awardedDate
  for (const field of ['activityStartDate', 'activityEndDate', 'term', 'role'] as const) {
    const value = row[field]
    if (value !== undefined) subject[field] = value
  }
  // A placeholder status of the final shape, so that VC 1.1 gets the status list context.
  credential.credentialStatus = statusEntries(
    settings.baseUrl,
    1,
    0,
    settings.suspension,
  ) as unknown as JsonValue
  const built = buildCredential({
    program: settings.program,
    recipient: {
      ...(row.name === undefined ? {} : { name: row.name }),
      ...(row.did === undefined ? {} : { did: row.did }),
      ...(row.email === undefined ? {} : { email: row.email }),
    },
    issuerDid: settings.key.did,
    format: settings.format,
    now: settings.now,
    ...(row.validFrom === undefined ? {} : { validFrom: new Date(row.validFrom) }),
    ...(id === undefined ? {} : { id }),
    ...(settings.catalog === undefined ? {} : { catalog: settings.catalog }),
    extensions: { credential, subject },
  })
  delete built.credentialStatus
  return built
}

/** Validates one raw row; returns the entry or its problems. */
function validate(raw: RawRosterRow, settings: Settings): Entry | RosterProblem[] {
  if (raw.problems !== undefined) return raw.problems
  const { line } = raw
  const row: RosterRow = { ...raw.row }
  const problems: RosterProblem[] = []
  const bad = (field: string, reason: string, code = 'ERR_BATCH_ROSTER_INVALID') =>
    problems.push({ line, field, code, reason })
  if (row.name === undefined && row.email === undefined && row.did === undefined) {
    bad('row', 'needs a name, an email or a DID.', 'ERR_ISSUE_RECIPIENT_INVALID')
  }
  if (row.key !== undefined) {
    if (row.key.length > MAX_KEY_LENGTH || hasControlCharacter(row.key)) {
      bad('key', `must be 1 to ${MAX_KEY_LENGTH} printable characters.`)
    }
  }
  for (const field of [
    'validFrom',
    'awardedDate',
    'activityStartDate',
    'activityEndDate',
  ] as const) {
    const value = row[field]
    if (value === undefined) continue
    const date = rosterDate(value)
    if (date === undefined) {
      bad(
        field,
        'must be a date (2026-11-29) or a date-time with a time zone.',
        'ERR_STRUCTURE_DATE_INVALID',
      )
    } else {
      row[field] = date
    }
  }
  if (problems.length === 0) {
    try {
      buildFor(row, settings)
    } catch (error) {
      if (!isCertifyError(error)) throw error
      bad(fieldOf(error.message), error.message, error.code)
    }
  }
  if (problems.length > 0) return problems
  return { line, rowKey: rosterRowKey(row), row }
}

async function* rowsOf(roster: IssueBatchOptions['roster']): AsyncGenerator<RawRosterRow> {
  if (typeof roster === 'string') {
    yield* readRosterFile(roster)
    return
  }
  let line = 0
  for await (const row of roster as AsyncIterable<unknown>) {
    line++
    yield rowFromObject(row, line)
  }
}

/** The credential file name of an id (`urn:uuid:<uuid>` → `<uuid>.json`). */
function fileNameOf(credentialId: string): string {
  const name = credentialId.replace(/^urn:uuid:/, '').replace(/[^A-Za-z0-9-]/g, '_')
  return `${name}.json`
}

/** Whether the file holds a signed credential with this id and status index. */
async function fileMatches(path: string, item: BatchItemRecord): Promise<boolean> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return false
  }
  try {
    const json: unknown = JSON.parse(text)
    if (!isPlainObject(json) || json.id !== item.credentialId || !isPlainObject(json.proof)) {
      return false
    }
    const status = json.credentialStatus
    const first: unknown = Array.isArray(status) ? status[0] : status
    return (
      isPlainObject(first) &&
      first.statusListIndex === String(item.index) &&
      typeof first.statusListCredential === 'string' &&
      first.statusListCredential.endsWith(`/revocation/${item.listNumber}`)
    )
  } catch {
    return false
  }
}

function checkOptions(options: IssueBatchOptions): {
  settings: Settings
  outDir: string
  batch: string
  chunkSize: number
} {
  checkOptionBag(options, 'options', OPTIONS)
  const { roster, registry } = options
  if (
    typeof roster !== 'string' &&
    !(
      typeof roster === 'object' &&
      roster !== null &&
      (Symbol.iterator in roster || Symbol.asyncIterator in roster)
    )
  ) {
    throw new TypeError('"roster" must be a file path or an iterable of rows.')
  }
  if (typeof roster === 'string' && roster.length === 0) {
    throw new TypeError('"roster" must be a non-empty path.')
  }
  const r = registry as Partial<Record<keyof StatusRegistry, unknown>> | undefined
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.allocateStatuses !== 'function' ||
    typeof r.listBatchItems !== 'function' ||
    typeof r.getBatchItem !== 'function'
  ) {
    throw new TypeError('"registry" must be a StatusRegistry (see openRegistry).')
  }
  if (typeof options.program !== 'string') throw new TypeError('"program" must be a string.')
  if (typeof options.outDir !== 'string' || options.outDir === '') {
    throw new TypeError('"outDir" must be a non-empty string.')
  }
  const batchName = options.batch ?? 'default'
  if (typeof batchName !== 'string' || !BATCH_NAME.test(batchName)) {
    throw new TypeError('"batch" must be 1 to 64 letters, digits, ".", "_", ":" or "-".')
  }
  for (const flag of ['skipInvalid', 'suspension'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') {
      throw new TypeError(`"${flag}" must be a boolean.`)
    }
  }
  const chunkSize = options.chunkSize ?? 100
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > 1000) {
    throw new TypeError('"chunkSize" must be an integer from 1 to 1000.')
  }
  if (options.format !== undefined && options.format !== 'vc2' && options.format !== 'vc1.1') {
    throw new TypeError('"format" must be "vc2" or "vc1.1".')
  }
  if (options.now !== undefined && !(options.now instanceof Date)) {
    throw new TypeError('"now" must be a Date.')
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new TypeError('"onProgress" must be a function.')
  }
  if (options.documentLoader !== undefined && typeof options.documentLoader !== 'function') {
    throw new TypeError('"documentLoader" must be a function.')
  }
  const now = options.now ?? new Date()
  const settings: Settings = {
    program: options.program.trim().toUpperCase(),
    key: checkKey(options.key),
    baseUrl: checkBaseUrl(options.baseUrl, 'baseUrl'),
    suspension: options.suspension ?? false,
    format: options.format ?? 'vc2',
    // Whole seconds, as the credential dates are written.
    now: new Date(Math.floor(now.getTime() / 1000) * 1000),
    ...(options.catalog === undefined ? {} : { catalog: options.catalog }),
    ...(options.documentLoader === undefined ? {} : { documentLoader: options.documentLoader }),
  }
  return {
    settings,
    outDir: resolve(options.outDir),
    batch: `${settings.program}/${batchName}`,
    chunkSize,
  }
}

/** Reports progress at most every {@link PROGRESS_EVERY_MS} (and always when `force`). */
function progressReporter(onProgress: IssueBatchOptions['onProgress']) {
  let last = 0
  let phaseStart = performance.now()
  return {
    start(): void {
      phaseStart = performance.now()
      last = 0
    },
    report(state: Omit<BatchProgress, 'elapsedMs' | 'rate' | 'etaMs'>, force = false): void {
      if (onProgress === undefined) return
      const now = performance.now()
      if (!force && now - last < PROGRESS_EVERY_MS) return
      last = now
      const elapsedMs = now - phaseStart
      const rate = elapsedMs > 0 ? (state.done * 1000) / elapsedMs : 0
      const etaMs =
        state.phase === 'issue' && rate > 0 ? ((state.total - state.done) / rate) * 1000 : undefined
      onProgress({ ...state, elapsedMs: Math.round(elapsedMs), rate, etaMs })
    },
  }
}

/**
 * Issues one credential per roster row, idempotently (see the module description). Every row is
 * validated before anything is issued; with a bad row nothing is issued (unless `skipInvalid`).
 * Writes `<outDir>/<uuid>.json` per credential (temporary file, fsync, rename; the folder is
 * flushed once per chunk) and `<outDir>/manifest.jsonl` with one line per valid roster row.
 *
 * A row already recorded for this program and batch is not issued again: its file is checked
 * and re-created from the registry (same id, same status index, same bytes) when missing or
 * damaged. Email-only learners get an OB 3.0 `identifier` with a salted `identityHash`.
 *
 * @example
 * const result = await issueBatch({
 *   roster: 'cohort.csv',
 *   program: 'CAAE',
 *   key: await loadIssuerKey('issuer-key.json'),
 *   registry: await openRegistry({ url: 'certify-vc.sqlite' }),
 *   baseUrl: 'https://production-ai.institute/status',
 *   outDir: 'out/cohort',
 * })
 * console.log(`${result.issued} issued, manifest at ${result.manifest}`)
 *
 * @throws {TypeError} for bad options or an unsupported roster file extension.
 * @throws {RosterInvalidError} `ERR_BATCH_ROSTER_INVALID` with every bad row in `problems`
 *   (nothing issued), unless `skipInvalid`.
 * @throws {CertifyError} `ERR_ISSUE_PROGRAM_UNKNOWN`, `ERR_ISSUE_INVALID_INPUT` (bad
 *   `baseUrl`), `ERR_REGISTRY_STORAGE` (registry, or an output file cannot be written),
 *   `ERR_REGISTRY_FULL`, and the signing codes of `signCredential`.
 */
export async function issueBatch(options: IssueBatchOptions): Promise<IssueBatchResult> {
  const { settings, outDir, batch, chunkSize } = checkOptions(options)
  const registry = options.registry
  // The program is checked once, before reading the roster.
  buildCredential({
    program: settings.program,
    recipient: { name: 'check' },
    issuerDid: settings.key.did,
    ...(settings.catalog === undefined ? {} : { catalog: settings.catalog }),
  })
  const progress = progressReporter(options.onProgress)
  const counts = { issued: 0, recreated: 0, unchanged: 0 }

  // 1. Validate every row first.
  const entries: Entry[] = []
  const problems: RosterProblem[] = []
  const keys = new Map<string, number>()
  let rows = 0
  let fatal = false
  for await (const raw of rowsOf(options.roster)) {
    if (raw.fatal === true) fatal = true
    else rows++
    const result = validate(raw, settings)
    if (Array.isArray(result)) {
      problems.push(...result)
    } else {
      const first = keys.get(result.rowKey)
      if (first !== undefined) {
        const what = result.row.key === undefined ? 'learner' : 'key'
        problems.push({
          line: result.line,
          field: result.row.key === undefined ? 'row' : 'key',
          code: 'ERR_BATCH_ROSTER_INVALID',
          reason: `repeats the ${what} of line ${first}.`,
        })
      } else {
        keys.set(result.rowKey, result.line)
        entries.push(result)
      }
    }
    progress.report({ phase: 'validate', done: rows, total: rows, ...counts })
  }
  progress.report({ phase: 'validate', done: rows, total: rows, ...counts }, true)
  if (problems.length > 0 && (options.skipInvalid !== true || fatal)) {
    throw new RosterInvalidError(problems)
  }

  // 2. Issue, chunk by chunk.
  try {
    await mkdir(outDir, { recursive: true })
    for (const name of await readdir(outDir)) {
      if (/^\..+\.json\.([0-9a-f]{12}|[0-9a-f]{16})\.tmp$/.test(name))
        await unlink(join(outDir, name))
    }
  } catch (error) {
    throw fileError(error, outDir)
  }
  const recorded = new Map(
    (await registry.listBatchItems(batch)).map((item) => [item.rowKey, item]),
  )
  const manifest: BatchManifestEntry[] = []
  const signOptions = (created: Date) => ({
    key: settings.key,
    created,
    ...(settings.documentLoader === undefined ? {} : { documentLoader: settings.documentLoader }),
  })
  const started = performance.now()
  progress.start()
  let done = 0
  for (let start = 0; start < entries.length; start += chunkSize) {
    const chunk = entries.slice(start, start + chunkSize)
    const writes: Promise<void>[] = []
    const fresh: { entry: Entry; credential: OpenBadgeCredential }[] = []

    // Rows already recorded: check the file, re-create it when needed.
    for (const entry of chunk) {
      const item = recorded.get(entry.rowKey)
      if (item === undefined) {
        fresh.push({ entry, credential: buildFor(entry.row, settings, `urn:uuid:${randomUUID()}`) })
        continue
      }
      const file = fileNameOf(item.credentialId)
      const path = join(outDir, file)
      let outcome: BatchManifestEntry['outcome'] = 'unchanged'
      if (!(await fileMatches(path, item))) {
        const full = await registry.getBatchItem(batch, entry.rowKey)
        if (full === undefined)
          throw new CertifyError('ERR_REGISTRY_STORAGE', `Batch item ${entry.rowKey} vanished.`)
        const payload = JSON.parse(full.payload) as BatchPayload
        const credential = {
          ...payload.credential,
          credentialStatus: statusEntries(
            payload.baseUrl,
            full.listNumber,
            full.index,
            payload.suspension,
          ),
        }
        const signed = await signCredential(credential, signOptions(new Date(payload.created)))
        writes.push(
          writeFileAtomic(path, `${JSON.stringify(signed, null, 2)}\n`, { syncDirectory: false }),
        )
        outcome = 'recreated'
        counts.recreated++
      } else {
        counts.unchanged++
      }
      manifest.push({
        line: entry.line,
        rowKey: entry.rowKey,
        credentialId: item.credentialId,
        file,
        listNumber: item.listNumber,
        statusIndex: item.index,
        outcome,
      })
    }

    // New rows: allocate and record them all in one transaction, then sign and write.
    if (fresh.length > 0) {
      const created = formatDateTimeStamp(settings.now)
      const slots = await registry.allocateStatuses(
        fresh.map(({ entry, credential }) => ({
          credentialId: credential.id,
          program: settings.program,
          recipient: recipientSummary(credential.credentialSubject),
          suspension: settings.suspension,
          statusBaseUrl: settings.baseUrl,
          issuedAt: settings.now,
          batchItem: {
            batch,
            rowKey: entry.rowKey,
            payload: JSON.stringify({
              v: 1,
              credential,
              created,
              baseUrl: settings.baseUrl,
              suspension: settings.suspension,
            } satisfies BatchPayload),
          },
        })),
      )
      for (const [i, { entry, credential }] of fresh.entries()) {
        const slot = slots[i]
        if (slot === undefined)
          throw new CertifyError('ERR_REGISTRY_STORAGE', 'An allocation is missing.')
        const signed: SignedOpenBadgeCredential = await signCredential(
          {
            ...credential,
            credentialStatus: statusEntries(
              settings.baseUrl,
              slot.listNumber,
              slot.index,
              settings.suspension,
            ),
          },
          signOptions(settings.now),
        )
        const file = fileNameOf(credential.id)
        writes.push(
          writeFileAtomic(join(outDir, file), `${JSON.stringify(signed, null, 2)}\n`, {
            syncDirectory: false,
          }),
        )
        counts.issued++
        manifest.push({
          line: entry.line,
          rowKey: entry.rowKey,
          credentialId: credential.id,
          file,
          listNumber: slot.listNumber,
          statusIndex: slot.index,
          outcome: 'issued',
        })
        progress.report({ phase: 'issue', done: manifest.length, total: entries.length, ...counts })
      }
    }
    try {
      await Promise.all(writes)
    } catch (error) {
      throw fileError(error, outDir)
    }
    await syncDirectory(outDir)
    done += chunk.length
    progress.report({ phase: 'issue', done, total: entries.length, ...counts })
  }
  const issueMs = Math.round(performance.now() - started)
  progress.report({ phase: 'issue', done, total: entries.length, ...counts }, true)

  manifest.sort((a, b) => a.line - b.line)
  const manifestPath = join(outDir, MANIFEST)
  try {
    await writeFileAtomic(
      manifestPath,
      manifest.map((m) => JSON.stringify(m)).join('\n') + (manifest.length > 0 ? '\n' : ''),
      { syncDirectory: false },
    )
    await syncDirectory(outDir)
  } catch (error) {
    throw fileError(error, outDir)
  }
  return { rows, ...counts, problems, manifest: manifestPath, issueMs }
}

function fileError(error: unknown, outDir: string): CertifyError {
  if (isCertifyError(error)) return error
  const code = (error as { code?: unknown }).code
  return new CertifyError(
    'ERR_REGISTRY_STORAGE',
    `Cannot write the credentials to ${outDir}${typeof code === 'string' ? ` (${code})` : ''}.`,
    { cause: error },
  )
}
