/**
 * Offers for a whole cohort: one `POST /certify/offers` per roster row (the roster read by
 * `@certify-vc/issuer`'s parser, the one `issue-batch` uses), a bounded number at a time, each
 * with an `Idempotency-Key` derived from the program, the batch name and the row key. What was
 * offered is journaled in the output folder (`journal.ts`) as it happens.
 *
 * Safe to run again: a row already in the folder's manifest is not sent again; a row whose
 * answer was lost (a crash, a dropped connection) is sent again with the same key, and the
 * server answers with the offer it already made (for an offer with a transaction code, with a
 * new code replacing the lost one). Transient failures (no connection, 409, 429, 5xx) are
 * retried a few times; every other refusal is reported for its row and the others go on.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import {
  RosterInvalidError,
  readRosterFile,
  rosterRowKey,
  type BatchProgress,
  type RosterProblem,
  type RosterRow,
} from '@certify-vc/issuer'
import { postOffer, refusalProblems, type OfferRequestBody } from '../offer-client.js'
import { OfferJournal, type OfferManifestEntry, type TxCodeEntry } from './journal.js'

/** Options of {@link offerBatch}. */
export interface OfferBatchOptions {
  /** A `.csv`, `.jsonl` or `.ndjson` roster (the fields of `issue-batch`). */
  readonly roster: string
  readonly program: string
  /** The folder of `manifest.jsonl` and `tx-codes.jsonl` (created). */
  readonly outDir: string
  readonly server: string
  readonly token: string
  /** Row keys are unique per program and batch name. */
  readonly batch: string
  /** Ask for a transaction code per offer. */
  readonly txCode: boolean
  readonly expiresInSeconds?: number
  readonly suspension: boolean
  /** Requests in flight at once. */
  readonly concurrency: number
  readonly onProgress?: (progress: BatchProgress) => void
  /** The first wait before a retry, doubled each time (default 500 ms). */
  readonly retryDelayMs?: number
}

/** What {@link offerBatch} did. */
export interface OfferBatchResult {
  /** Rows in the roster (valid and bad). */
  readonly rows: number
  /** Offers made by this run. */
  readonly offered: number
  /** Offers an interrupted earlier run had made, recovered from the server. */
  readonly replayed: number
  /** Rows already in the manifest. */
  readonly unchanged: number
  /** Bad or refused rows, in roster order. */
  readonly problems: readonly RosterProblem[]
  readonly manifest: string
  /** The transaction code file, when it holds codes. */
  readonly txCodes: string | undefined
}

/** Thrown when the server refuses the token: every row would fail alike. */
export class OfferBatchAbortedError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
    this.name = 'OfferBatchAbortedError'
  }
}

/** Roster fields an offer cannot carry: the wallet proves the DID, the server sets the dates. */
const NOT_OFFERED = [
  'did',
  'validFrom',
  'awardedDate',
  'activityStartDate',
  'activityEndDate',
  'term',
  'role',
] as const
const ATTEMPTS = 4
const PROGRESS_EVERY_MS = 100

interface Entry {
  readonly line: number
  readonly rowKey: string
  readonly row: RosterRow
}

/** The Idempotency-Key of a row: visible ASCII, whatever the row key holds. */
export function offerIdempotencyKey(program: string, batch: string, rowKey: string): string {
  const digest = createHash('sha256').update(rowKey, 'utf8').digest('hex').slice(0, 40)
  return `certify-vc-offer/${program}/${batch}/${digest}`
}

function problem(line: number, field: string, code: string, reason: string): RosterProblem {
  return { line, field, code, reason }
}

/** Reads and checks the roster: the rows to offer, and the problems of the others. */
async function readRoster(path: string): Promise<{
  entries: Entry[]
  problems: RosterProblem[]
  rows: number
}> {
  const entries: Entry[] = []
  const problems: RosterProblem[] = []
  const seen = new Map<string, number>()
  let rows = 0
  for await (const raw of readRosterFile(path)) {
    if (raw.fatal === true) throw new RosterInvalidError(raw.problems)
    rows++
    if (raw.problems !== undefined) {
      problems.push(...raw.problems)
      continue
    }
    const { line, row } = raw
    const own: RosterProblem[] = []
    if (row.name === undefined && row.email === undefined) {
      own.push(
        problem(
          line,
          'row',
          'ERR_ISSUE_RECIPIENT_INVALID',
          'needs a name or an email (an offer names its learner).',
        ),
      )
    }
    for (const field of NOT_OFFERED) {
      if (row[field] === undefined) continue
      own.push(
        problem(
          line,
          field,
          'ERR_BATCH_ROSTER_INVALID',
          field === 'did'
            ? 'is not taken by offers: the credential is issued to the DID the learner\'s wallet proves (issue to a known DID with "certify-vc issue-batch").'
            : 'is not carried by offers (the server sets the dates); leave the column empty, or issue with "certify-vc issue-batch".',
        ),
      )
    }
    const rowKey = rosterRowKey(row)
    const first = seen.get(rowKey)
    if (first !== undefined) {
      own.push(
        problem(
          line,
          row.key === undefined ? 'row' : 'key',
          'ERR_BATCH_ROSTER_INVALID',
          `repeats the ${row.key === undefined ? 'learner' : 'key'} of line ${first}.`,
        ),
      )
    } else {
      seen.set(rowKey, line)
    }
    if (own.length > 0) problems.push(...own)
    else entries.push({ line, rowKey, row })
  }
  return { entries, problems, rows }
}

/** Why a row recorded by an earlier run cannot count as offered for this one, if it cannot. */
function recordedMismatch(
  recorded: OfferManifestEntry,
  entry: Entry,
  txCode: boolean,
): string | undefined {
  if (recorded.name !== entry.row.name || recorded.email !== entry.row.email) {
    return 'changed since its offer was made (name or email); to offer it again, use a new --batch name.'
  }
  if (recorded.txCodeRequired !== txCode) {
    return `was offered ${recorded.txCodeRequired ? 'with' : 'without'} a transaction code; to offer it again otherwise, use a new --batch name.`
  }
  return undefined
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The roster field a server problem is about: the last step of its JSON Pointer
 * (`/recipient/email` → `email`), else the recipient member its message names, else `row`.
 */
function fieldOf(path: unknown, message: string): string {
  if (typeof path === 'string' && path !== '') return path.split('/').pop() || 'row'
  return /"recipient\.(name|email)"/.exec(message)?.[1] ?? 'row'
}

/**
 * Makes one offer per roster row (see the module description). Rows that cannot be offered are
 * reported in `problems`; the others go on.
 *
 * @throws {RosterInvalidError} when the roster file itself is unusable (header, syntax).
 * @throws {OfferBatchAbortedError} when the server refuses the token (`ERR_SERVER_UNAUTHORIZED`)
 *   or the output folder holds offers of another program or batch.
 */
export async function offerBatch(options: OfferBatchOptions): Promise<OfferBatchResult> {
  const { entries, problems, rows } = await readRoster(options.roster)
  await mkdir(options.outDir, { recursive: true })
  const journal = await OfferJournal.open(options.outDir)
  const foreign = [...journal.offered.values()].find(
    (e) => e.program !== options.program || e.batch !== options.batch,
  )
  if (foreign !== undefined) {
    throw new OfferBatchAbortedError(
      `${options.outDir} holds offers of ${foreign.program}, batch "${foreign.batch}": use another --out for ${options.program}, batch "${options.batch}".`,
      'ERR_BATCH_ROW_RECORDED',
    )
  }

  const outcomes = new Map<string, OfferManifestEntry['outcome']>()
  const pending: Entry[] = []
  let unchanged = 0
  for (const entry of entries) {
    const recorded = journal.offered.get(entry.rowKey)
    if (recorded === undefined) {
      pending.push(entry)
      continue
    }
    const mismatch = recordedMismatch(recorded, entry, options.txCode)
    if (mismatch !== undefined) {
      problems.push(problem(entry.line, 'row', 'ERR_BATCH_ROW_RECORDED', mismatch))
    } else {
      unchanged++
    }
  }

  const counts = { offered: 0, replayed: 0 }
  const started = performance.now()
  let lastProgress = 0
  let done = 0
  const report = (force = false) => {
    const now = performance.now()
    if (options.onProgress === undefined || (!force && now - lastProgress < PROGRESS_EVERY_MS)) {
      return
    }
    lastProgress = now
    const elapsedMs = now - started
    const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0
    options.onProgress({
      phase: 'issue',
      done,
      total: pending.length,
      issued: counts.offered,
      recreated: counts.replayed,
      unchanged,
      elapsedMs: Math.round(elapsedMs),
      rate,
      etaMs: rate > 0 ? ((pending.length - done) / rate) * 1000 : undefined,
    })
  }

  let aborted: OfferBatchAbortedError | undefined
  const offerRow = async (entry: Entry): Promise<void> => {
    const { line, row } = entry
    const body: OfferRequestBody = {
      program: options.program,
      recipient: {
        ...(row.name === undefined ? {} : { name: row.name }),
        ...(row.email === undefined ? {} : { email: row.email }),
      },
      ...(options.txCode ? { txCode: true } : {}),
      ...(options.expiresInSeconds === undefined
        ? {}
        : { expiresInSeconds: options.expiresInSeconds }),
      ...(options.suspension ? { suspension: true } : {}),
    }
    const key = offerIdempotencyKey(options.program, options.batch, entry.rowKey)
    let delay = options.retryDelayMs ?? 500
    for (let attempt = 1; ; attempt++) {
      const response = await postOffer(options.server, options.token, body, key)
      const transient =
        response.kind === 'unreachable' ||
        response.status === 409 ||
        response.status === 429 ||
        response.status >= 500
      if (transient && attempt < ATTEMPTS && aborted === undefined) {
        const wait =
          response.kind === 'answer' && response.retryAfterSeconds !== undefined
            ? Math.min(response.retryAfterSeconds * 1000, 10_000)
            : delay
        await sleep(wait)
        delay *= 2
        continue
      }
      if (response.kind === 'unreachable') {
        problems.push(
          problem(
            line,
            'row',
            'ERR_OFFER_REQUEST_FAILED',
            `could not reach ${options.server}: ${response.message}`,
          ),
        )
        return
      }
      const answer = response.body
      if (response.status === 401) {
        aborted ??= new OfferBatchAbortedError(
          'The server refused the token; no further offer was asked for.',
          'ERR_SERVER_UNAUTHORIZED',
        )
        return
      }
      if (response.status !== 201 && response.status !== 200) {
        const refused = refusalProblems(answer)
        if (refused.length === 0) {
          refused.push({ code: 'ERR_OFFER_REQUEST_FAILED', message: `HTTP ${response.status}` })
        }
        const paths = Array.isArray(answer?.errors) ? (answer.errors as { path?: unknown }[]) : []
        refused.forEach((p, i) =>
          problems.push(problem(line, fieldOf(paths[i]?.path, p.message), p.code, p.message)),
        )
        return
      }
      const text = (name: string): string | undefined =>
        typeof answer?.[name] === 'string' ? answer[name] : undefined
      const offerId = text('offerId')
      const claimUrl = text('claimUrl')
      const offerUri = text('offerUri')
      const offerByReferenceUri = text('offerByReferenceUri')
      const expiresAt = text('expiresAt')
      if (
        offerId === undefined ||
        claimUrl === undefined ||
        offerUri === undefined ||
        offerByReferenceUri === undefined ||
        expiresAt === undefined
      ) {
        problems.push(
          problem(
            line,
            'row',
            'ERR_OFFER_REQUEST_FAILED',
            'the server answered without the links.',
          ),
        )
        return
      }
      const txCode = text('txCode')
      if (options.txCode && txCode === undefined) {
        problems.push(
          problem(
            line,
            'row',
            'ERR_OFFER_TX_CODE_UNAVAILABLE',
            `offer ${offerId} was made by an earlier run and is claimed or expired; its transaction code cannot be shown again.`,
          ),
        )
        return
      }
      const who = {
        ...(row.name === undefined ? {} : { name: row.name }),
        ...(row.email === undefined ? {} : { email: row.email }),
      }
      const lcwDeepLink = text('lcwDeepLink')
      const exchangeUrl = text('exchangeUrl')
      const outcome = response.replayed ? 'replayed' : 'offered'
      const record: OfferManifestEntry = {
        line,
        rowKey: entry.rowKey,
        ...who,
        program: options.program,
        batch: options.batch,
        offerId,
        claimUrl,
        offerUri,
        offerByReferenceUri,
        ...(lcwDeepLink === undefined ? {} : { lcwDeepLink }),
        ...(exchangeUrl === undefined ? {} : { exchangeUrl }),
        expiresAt,
        txCodeRequired: options.txCode,
        outcome,
      }
      const code: TxCodeEntry | undefined =
        txCode === undefined
          ? undefined
          : { line, rowKey: entry.rowKey, ...who, offerId, txCode, expiresAt }
      await journal.record(record, code)
      outcomes.set(entry.rowKey, outcome)
      if (outcome === 'offered') counts.offered++
      else counts.replayed++
      return
    }
  }

  // A fixed pool of workers taking rows in roster order.
  let next = 0
  const worker = async () => {
    while (aborted === undefined && next < pending.length) {
      const entry = pending[next++] as Entry
      await offerRow(entry)
      done++
      report()
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, pending.length) }, worker))
  } finally {
    report(true)
    await journal.finish(outcomes)
  }
  if (aborted !== undefined) throw aborted
  problems.sort((a, b) => a.line - b.line)
  return {
    rows,
    ...counts,
    unchanged,
    problems,
    manifest: journal.manifestPath,
    txCodes: journal.codes.size > 0 ? journal.txCodesPath : undefined,
  }
}
