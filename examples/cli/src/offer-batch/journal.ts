/**
 * The files of a batch of offers, in the output folder: `manifest.jsonl` (one line per row
 * offered: its links, no secret) and, with transaction codes, `tx-codes.jsonl` (mode 0600: the
 * codes, to be delivered apart from the links). Both are appended to, and flushed, as each offer
 * is made, so a crash loses at most the offers in flight; the tx code of a row is written
 * before its manifest line. At the end of a run both are rewritten in roster order, one line
 * per row. A truncated or malformed line (a crash during an append) is ignored when read: that
 * row is asked for again, and the server's Idempotency-Key answers with the same offer.
 *
 * @module
 */
import { open, readFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { isPlainObject } from '@certify-vc/context'
import { writeOutputFile } from '../output.js'

export const MANIFEST_FILE = 'manifest.jsonl'
export const TX_CODES_FILE = 'tx-codes.jsonl'

/** One line of `manifest.jsonl`: a roster row and its offer. */
export interface OfferManifestEntry {
  /** The roster line. */
  readonly line: number
  readonly rowKey: string
  readonly name?: string
  readonly email?: string
  readonly program: string
  readonly batch: string
  readonly offerId: string
  /** The learner's claim page (a bearer secret for the learner: whoever has it can claim). */
  readonly claimUrl: string
  /** `openid-credential-offer://…` (by value). */
  readonly offerUri: string
  /** The same offer by reference (shorter, for QR codes). */
  readonly offerByReferenceUri: string
  /** The Learner Credential Wallet link (absent for offers with a transaction code). */
  readonly lcwDeepLink?: string
  /** The VC API exchange (absent likewise). */
  readonly exchangeUrl?: string
  readonly expiresAt: string
  /** Whether claiming needs a transaction code (in `tx-codes.jsonl`, never here). */
  readonly txCodeRequired: boolean
  /** `offered` by this run, `replayed` (made by an earlier, interrupted run), `unchanged`. */
  readonly outcome: 'offered' | 'replayed' | 'unchanged'
}

/** One line of `tx-codes.jsonl`. */
export interface TxCodeEntry {
  readonly line: number
  readonly rowKey: string
  readonly name?: string
  readonly email?: string
  readonly offerId: string
  readonly txCode: string
  readonly expiresAt: string
}

const isManifestEntry = (v: unknown): v is OfferManifestEntry =>
  isPlainObject(v) &&
  typeof v.line === 'number' &&
  typeof v.rowKey === 'string' &&
  typeof v.program === 'string' &&
  typeof v.batch === 'string' &&
  typeof v.offerId === 'string' &&
  typeof v.claimUrl === 'string' &&
  typeof v.offerUri === 'string' &&
  typeof v.expiresAt === 'string' &&
  typeof v.txCodeRequired === 'boolean'

const isTxCodeEntry = (v: unknown): v is TxCodeEntry =>
  isPlainObject(v) &&
  typeof v.rowKey === 'string' &&
  typeof v.offerId === 'string' &&
  typeof v.txCode === 'string'

/** The entries of a JSON Lines file by row key (the last line of a key wins); none if absent. */
async function readEntries<T extends { rowKey: string }>(
  path: string,
  accept: (v: unknown) => v is T,
): Promise<Map<string, T>> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return new Map()
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`, { cause: error })
  }
  const entries = new Map<string, T>()
  for (const line of text.split('\n')) {
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      continue
    }
    if (accept(value)) entries.set(value.rowKey, value)
  }
  return entries
}

/** Appends lines to a file and flushes each, in call order. */
class Appender {
  private handle: Promise<FileHandle> | undefined
  private queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly path: string,
    private readonly mode: number,
  ) {}

  append(value: unknown): Promise<void> {
    const next = this.queue.then(async () => {
      this.handle ??= open(this.path, 'a', this.mode).then(async (h) => {
        await h.chmod(this.mode)
        return h
      })
      const handle = await this.handle
      await handle.appendFile(`${JSON.stringify(value)}\n`)
      await handle.datasync()
    })
    this.queue = next.catch(() => undefined)
    return next
  }

  async close(): Promise<void> {
    await this.queue
    if (this.handle !== undefined) await (await this.handle).close()
    this.handle = undefined
  }
}

/** The journal of one output folder. */
export class OfferJournal {
  readonly manifestPath: string
  readonly txCodesPath: string
  private readonly manifest: Appender
  private readonly txCodes: Appender

  private constructor(
    outDir: string,
    /** What earlier runs recorded, by row key. */
    readonly offered: Map<string, OfferManifestEntry>,
    readonly codes: Map<string, TxCodeEntry>,
  ) {
    this.manifestPath = join(outDir, MANIFEST_FILE)
    this.txCodesPath = join(outDir, TX_CODES_FILE)
    this.manifest = new Appender(this.manifestPath, 0o644)
    this.txCodes = new Appender(this.txCodesPath, 0o600)
  }

  /** Reads what earlier runs in `outDir` recorded. */
  static async open(outDir: string): Promise<OfferJournal> {
    return new OfferJournal(
      outDir,
      await readEntries(join(outDir, MANIFEST_FILE), isManifestEntry),
      await readEntries(join(outDir, TX_CODES_FILE), isTxCodeEntry),
    )
  }

  /** Records an offer: its tx code first (if any), then its manifest line, each flushed. */
  async record(entry: OfferManifestEntry, code?: TxCodeEntry): Promise<void> {
    if (code !== undefined) {
      await this.txCodes.append(code)
      this.codes.set(code.rowKey, code)
    }
    await this.manifest.append(entry)
    this.offered.set(entry.rowKey, entry)
  }

  /**
   * Rewrites both files in roster order, one line per row: every offer recorded in this folder,
   * including rows no longer in the roster (their offers exist). `outcomes` gives this run's
   * outcome per row key; other rows are `unchanged`.
   */
  async finish(outcomes: ReadonlyMap<string, OfferManifestEntry['outcome']>): Promise<void> {
    await this.manifest.close()
    await this.txCodes.close()
    const byLine = <T extends { line: number }>(a: T, b: T) => a.line - b.line
    const manifest = [...this.offered.values()]
      .map((e) => ({ ...e, outcome: outcomes.get(e.rowKey) ?? 'unchanged' }))
      .sort(byLine)
    await writeOutputFile(this.manifestPath, jsonLines(manifest))
    // Only the codes of offers in the manifest (a code whose manifest line a crash lost was
    // replaced when its row was asked for again).
    const codes = [...this.codes.values()].filter(
      (c) => this.offered.get(c.rowKey)?.offerId === c.offerId,
    )
    if (codes.length > 0 || this.codes.size > 0) {
      await writeOutputFile(this.txCodesPath, jsonLines(codes.sort(byLine)), 0o600)
    }
  }
}

function jsonLines(values: readonly unknown[]): string {
  return values.map((v) => `${JSON.stringify(v)}\n`).join('')
}
