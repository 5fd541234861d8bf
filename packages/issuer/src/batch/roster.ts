/**
 * Roster files for batch issuance: CSV (with a header row) or JSON Lines, one learner per row,
 * read as a stream of raw rows with their line numbers. CSV is parsed by `csv-parse` (RFC 4180
 * quoting, embedded newlines and commas, a UTF-8 BOM): hand-written splitting gets quoted fields
 * wrong, and a roster exported from a spreadsheet has all of them.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { parse } from 'csv-parse'
import { isPlainObject } from '@certify-vc/context'

/** The columns (CSV) or members (JSON Lines) a roster row may have. */
export const ROSTER_FIELDS = [
  'key',
  'name',
  'email',
  'did',
  'validFrom',
  'awardedDate',
  'activityStartDate',
  'activityEndDate',
  'term',
  'role',
] as const

/** A roster field name. */
export type RosterField = (typeof ROSTER_FIELDS)[number]

/**
 * One roster row as written: every value a string (empty values are left out).
 *
 * @example
 * const row: RosterRow = { name: 'Ada Lovelace', email: 'ada@example.org', term: '2026-Q4' }
 */
export type RosterRow = Partial<Record<RosterField, string>>

/**
 * A problem with one roster row (or, with `line` 1 and no row, with the file itself).
 *
 * @example
 * const problem: RosterProblem = {
 *   line: 7, field: 'email', code: 'ERR_ISSUE_RECIPIENT_INVALID',
 *   reason: '"recipient.email" is not an email address.',
 * }
 */
export interface RosterProblem {
  /** The line number in the roster file (1 is the CSV header); for rows given as objects, the
   * position (1-based). */
  line: number
  /** The field at fault, `'row'` for the row as a whole, `'file'` for the file. */
  field: string
  /** A certify-vc error code naming the kind of problem. */
  code: string
  reason: string
}

/** A raw row, or a problem that makes the row unreadable. */
export type RawRosterRow =
  | { line: number; row: RosterRow; problems?: undefined; fatal?: undefined }
  | {
      line: number
      row?: undefined
      problems: RosterProblem[]
      /** The file itself is unusable (header, syntax): no row of it can be issued. */
      fatal?: boolean
    }

const MAX_VALUE_LENGTH = 2048
const MAX_LINE_BYTES = 64 * 1024

function isRosterField(name: string): name is RosterField {
  return (ROSTER_FIELDS as readonly string[]).includes(name)
}

function problem(line: number, field: string, reason: string): RosterProblem {
  return { line, field, code: 'ERR_BATCH_ROSTER_INVALID', reason }
}

/**
 * The key that names a row across runs (what makes batch issuing and batch offers idempotent):
 * its `key` field, else a hash of its identity fields (email normalized as the issuer does, DID,
 * name).
 *
 * @example
 * rosterRowKey({ key: 'student-0042', name: 'Ada' }) // 'student-0042'
 * rosterRowKey({ name: 'Ada Lovelace' })             // 'id:…' (32 hex digits)
 */
export function rosterRowKey(row: RosterRow): string {
  if (row.key !== undefined) return row.key
  const identity = [
    row.email?.trim().normalize('NFC').toLowerCase() ?? '',
    row.did ?? '',
    row.name?.normalize('NFC') ?? '',
  ]
  return `id:${createHash('sha256').update(JSON.stringify(identity), 'utf8').digest('hex').slice(0, 32)}`
}

/** Which parser a roster path needs: `.csv` or `.jsonl` / `.ndjson`. */
export function rosterFormat(path: string): 'csv' | 'jsonl' | undefined {
  const lower = path.toLowerCase()
  if (lower.endsWith('.csv')) return 'csv'
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl'
  return undefined
}

/** Checks one value; returns it trimmed, `undefined` when empty, or a problem. */
function cleanValue(
  value: unknown,
  field: string,
  line: number,
): { value?: string; problem?: RosterProblem } {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'string') {
    return { problem: problem(line, field, 'must be a string.') }
  }
  const trimmed = value.trim()
  if (trimmed === '') return {}
  if (trimmed.length > MAX_VALUE_LENGTH) {
    return { problem: problem(line, field, `is longer than ${MAX_VALUE_LENGTH} characters.`) }
  }
  return { value: trimmed }
}

/** A row object (JSON Lines, or given in memory) turned into a {@link RawRosterRow}. */
export function rowFromObject(value: unknown, line: number): RawRosterRow {
  if (!isPlainObject(value)) {
    return { line, problems: [problem(line, 'row', 'must be a JSON object.')] }
  }
  const row: RosterRow = {}
  const problems: RosterProblem[] = []
  for (const [name, raw] of Object.entries(value)) {
    if (!isRosterField(name)) {
      problems.push(
        problem(line, name, `is not a roster field (expected ${ROSTER_FIELDS.join(', ')}).`),
      )
      continue
    }
    const { value: clean, problem: p } = cleanValue(raw, name, line)
    if (p !== undefined) problems.push(p)
    else if (clean !== undefined) row[name] = clean
  }
  return problems.length > 0 ? { line, problems } : { line, row }
}

/** Reads a CSV roster (header row first); yields its rows with line numbers. */
async function* readCsv(path: string): AsyncGenerator<RawRosterRow> {
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      raw: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n'],
      max_record_size: MAX_LINE_BYTES,
    }),
  )
  let next = 1
  let header: (RosterField | undefined)[] | undefined
  try {
    for await (const entry of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const line = next
      // csv-parse's raw text ends with the record's "\n" (LF files) or only its "\r" (CRLF).
      const breaks = (entry.raw.match(/\n/g)?.length ?? 0) + (entry.raw.endsWith('\r') ? 1 : 0)
      next += Math.max(breaks, 1)
      const cells = entry.record
      if (cells.every((c) => c.trim() === '')) continue
      if (header === undefined) {
        const problems: RosterProblem[] = []
        const seen = new Set<string>()
        header = cells.map((cell) => {
          const name = cell.trim()
          if (!isRosterField(name)) {
            problems.push(
              problem(
                line,
                name || '(empty)',
                `is not a roster column (expected ${ROSTER_FIELDS.join(', ')}).`,
              ),
            )
            return undefined
          }
          if (seen.has(name)) problems.push(problem(line, name, 'is a duplicate column.'))
          seen.add(name)
          return name
        })
        if (!seen.has('name') && !seen.has('email') && !seen.has('did')) {
          problems.push(problem(line, 'file', 'the header needs a name, email or did column.'))
        }
        if (problems.length > 0) {
          yield { line, problems, fatal: true }
          return
        }
        continue
      }
      if (cells.length !== header.length) {
        yield {
          line,
          problems: [
            problem(line, 'row', `has ${cells.length} fields; the header has ${header.length}.`),
          ],
        }
        continue
      }
      const object: Record<string, string> = {}
      header.forEach((name, i) => {
        if (name !== undefined) object[name] = cells[i] ?? ''
      })
      yield rowFromObject(object, line)
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code
    const message = error instanceof Error ? error.message : String(error)
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      yield {
        line: next,
        problems: [problem(next, 'file', `cannot be parsed: ${message}`)],
        fatal: true,
      }
      return
    }
    throw error
  }
  if (header === undefined) {
    yield {
      line: 1,
      problems: [problem(1, 'file', 'is empty: a header row is needed.')],
      fatal: true,
    }
  }
}

/** Reads a JSON Lines roster (one object per line; blank lines are skipped). */
async function* readJsonLines(path: string): AsyncGenerator<RawRosterRow> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity })
  let line = 0
  for await (const text of lines) {
    line++
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim()
    if (trimmed === '') continue
    if (trimmed.length > MAX_LINE_BYTES) {
      yield { line, problems: [problem(line, 'row', `is longer than ${MAX_LINE_BYTES} bytes.`)] }
      continue
    }
    let value: unknown
    try {
      value = JSON.parse(trimmed)
    } catch (error) {
      yield {
        line,
        problems: [problem(line, 'row', `is not JSON: ${(error as Error).message}`)],
      }
      continue
    }
    yield rowFromObject(value, line)
  }
}

/**
 * Reads the roster file at `path` (`.csv`, `.jsonl` or `.ndjson`) as a stream of raw rows.
 * Unreadable rows come as problems; the reading goes on with the next row.
 *
 * @throws {TypeError} for another file extension.
 */
export function readRosterFile(path: string): AsyncGenerator<RawRosterRow> {
  const format = rosterFormat(path)
  if (format === undefined) {
    throw new TypeError('"roster" must be a .csv, .jsonl or .ndjson file.')
  }
  return format === 'csv' ? readCsv(path) : readJsonLines(path)
}
