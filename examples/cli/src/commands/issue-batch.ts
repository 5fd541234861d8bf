/**
 * `certify-vc issue-batch --roster <file> --program <code> --out <dir> --key <file>`: issues one
 * credential per roster row (CSV or JSON Lines), idempotently, with a progress bar.
 *
 * @module
 */
import { relative, resolve } from 'node:path'
import { PROGRAM_CODES, isProgramCode, type ProgramCode } from '@certify-vc/context'
import {
  RosterInvalidError,
  issueBatch,
  type BatchProgress,
  type RosterProblem,
} from '@certify-vc/issuer'
import { sanitize } from '../format.js'
import { EXIT, type CliIo } from '../io.js'
import { keyPathOption, loadKeyOption } from '../key-option.js'
import {
  DEFAULT_REGISTRY,
  DEFAULT_STATUS_BASE_URL,
  loadStatusSettings,
  withRegistry,
} from '../status-config.js'
import { UsageError, parseCommandArgs, reportError, required } from '../usage.js'

/** `certify-vc issue-batch --help`. */
export const ISSUE_BATCH_HELP = `Usage: certify-vc issue-batch --roster <file> --program <${PROGRAM_CODES.join('|')}> --out <dir> --key <file> [options]

Issue one signed Open Badges 3.0 credential per roster row, each recorded in the status
registry. The roster is CSV with a header row, or JSON Lines (.jsonl / .ndjson), with the
fields: key, name, email, did (at least one of name, email, did), and optionally validFrom,
awardedDate, activityStartDate, activityEndDate (2026-11-29 or a date-time with a zone),
term, role. Emails only go into the credentials as a salted hash.

Every row is checked first; if any is bad, all bad rows are listed (line, field, reason) and
nothing is issued, unless --skip-invalid. Writes <dir>/<uuid>.json per credential and
<dir>/manifest.jsonl (row key, credential id, file, status list and index).

Re-running is safe: rows are keyed by their "key" column (else a hash of email, DID and name)
per program and batch; a row already issued is never issued again, and its file is re-created
(same credential, same bytes) if it is missing. Resume an interrupted run by running it again.

Options:
  -r, --roster <file>     The roster (.csv, .jsonl or .ndjson) (required).
  -p, --program <code>    ${PROGRAM_CODES.join(', ')} (required).
  -o, --out <dir>         Output folder, created if missing (required).
  -k, --key <file>        The issuer key file, from 'certify-vc keygen' (required).
      --batch <name>      Batch name: row keys are unique per program and batch (default
                          "default"). Use a new name to issue the same learners again.
      --skip-invalid      Issue the valid rows and report the bad ones.
      --format <format>   vc2 (default) or vc1.1.
      --registry <file|url>
                          Status registry: a SQLite file, or a postgres:// URL (default:
                          "registry" in the config file, else ./${DEFAULT_REGISTRY}).
      --base-url <url>    Where status lists are hosted (default: "statusBaseUrl" in the
                          config file, else ${DEFAULT_STATUS_BASE_URL}).
      --suspension        Also add a suspension entry (default: the program is listed under
                          "suspension" in the config file).
      --chunk-size <n>    Credentials per registry transaction (default 100).
  -h, --help              Show this help.

Exit status: 0 issued (or nothing left to issue), 1 bad roster rows or issuing failed,
2 usage error.
`

/** Progress lines every this many ms when stderr is not a terminal. */
const QUIET_EVERY_MS = 5000
const BAR_WIDTH = 28

function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '--:--'
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
  return h > 0 ? `${h}:${mmss}` : mmss
}

/**
 * Renders progress to stderr: a bar redrawn in place on a terminal, otherwise a plain line every
 * {@link QUIET_EVERY_MS} (and one at the end).
 */
export function progressRenderer(
  io: Pick<CliIo, 'stderr'>,
  clock: () => number = () => performance.now(),
  label = 'issue-batch',
): { update(p: BatchProgress): void; finish(): void } {
  const tty = io.stderr.isTTY === true
  let lastLine = clock()
  let drawn = false
  let last: BatchProgress | undefined
  const describe = (p: BatchProgress): string => {
    const rate = `${Math.round(p.rate)}/s`
    if (p.phase === 'validate') return `checking roster: ${p.done} rows`
    const percent = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100)
    return `${p.done}/${p.total} (${percent}%) ${rate} ETA ${duration(p.etaMs)}`
  }
  return {
    update(p) {
      last = p
      if (tty) {
        const fraction = p.phase === 'issue' && p.total > 0 ? p.done / p.total : 0
        const filled = Math.round(fraction * BAR_WIDTH)
        const bar =
          p.phase === 'issue' ? `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ` : ''
        io.stderr.write(`\r\u001b[2K${bar}${describe(p)}`)
        drawn = true
        return
      }
      const now = clock()
      if (p.phase === 'issue' && now - lastLine >= QUIET_EVERY_MS) {
        lastLine = now
        io.stderr.write(`${label}: ${describe(p)}\n`)
      }
    },
    finish() {
      if (tty && drawn) io.stderr.write('\n')
      if (!tty && last?.phase === 'issue') io.stderr.write(`${label}: ${describe(last)}\n`)
    },
  }
}

/** Lists roster problems on stderr under `header`, one line each. */
export function reportProblems(
  problems: readonly RosterProblem[],
  io: CliIo,
  header: string,
): void {
  io.stderr.write(`${header}\n`)
  for (const p of problems) {
    io.stderr.write(`  line ${p.line}, ${sanitize(p.field)}: ${sanitize(p.reason)} (${p.code})\n`)
  }
}

/** `--program`: a program code (case-insensitive), else a usage error. */
export function checkProgram(value: string): ProgramCode {
  const code = value.trim().toUpperCase()
  if (!isProgramCode(code)) {
    throw new UsageError(
      `Unknown program ${JSON.stringify(value)}; expected one of ${PROGRAM_CODES.join(', ')}.`,
      { code: 'ERR_ISSUE_PROGRAM_UNKNOWN' },
    )
  }
  return code
}

/** Runs `certify-vc issue-batch`; returns the exit code. */
export async function issueBatchCommand(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values } = parseCommandArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        roster: { type: 'string', short: 'r' },
        program: { type: 'string', short: 'p' },
        out: { type: 'string', short: 'o' },
        key: { type: 'string', short: 'k' },
        batch: { type: 'string' },
        'skip-invalid': { type: 'boolean' },
        format: { type: 'string' },
        registry: { type: 'string' },
        'base-url': { type: 'string' },
        suspension: { type: 'boolean' },
        'chunk-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help === true) {
      io.stdout.write(ISSUE_BATCH_HELP)
      return EXIT.ok
    }
    const roster = resolve(io.cwd, required(values.roster, '--roster'))
    const program = checkProgram(required(values.program, '--program'))
    const outDir = resolve(io.cwd, required(values.out, '--out'))
    const keyPath = keyPathOption(values.key, io)
    const format = values.format ?? 'vc2'
    if (format !== 'vc2' && format !== 'vc1.1') {
      throw new UsageError(`--format must be vc2 or vc1.1, not ${JSON.stringify(format)}.`)
    }
    if (!/\.(csv|jsonl|ndjson)$/i.test(roster)) {
      throw new UsageError('--roster must be a .csv, .jsonl or .ndjson file.')
    }
    let chunkSize: number | undefined
    if (values['chunk-size'] !== undefined) {
      chunkSize = Number(values['chunk-size'])
      if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > 1000) {
        throw new UsageError('--chunk-size must be an integer from 1 to 1000.')
      }
    }
    const batch = values.batch
    if (batch !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(batch)) {
      throw new UsageError('--batch must be 1 to 64 letters, digits, ".", "_", ":" or "-".')
    }
    const settings = await loadStatusSettings(
      { registry: values.registry, baseUrl: values['base-url'] },
      io,
    )
    const suspension = values.suspension === true || settings.suspension.includes(program)
    const key = await loadKeyOption(keyPath, values.key ?? '')
    const progress = progressRenderer(io)
    const started = performance.now()
    let result
    try {
      result = await withRegistry(settings, (registry) =>
        issueBatch({
          roster,
          program,
          key,
          registry,
          baseUrl: settings.baseUrl,
          outDir,
          format,
          suspension,
          skipInvalid: values['skip-invalid'] === true,
          ...(batch === undefined ? {} : { batch }),
          ...(chunkSize === undefined ? {} : { chunkSize }),
          onProgress: (p) => progress.update(p),
        }),
      )
    } catch (error) {
      progress.finish()
      if (error instanceof RosterInvalidError) {
        reportProblems(
          error.problems,
          io,
          `certify-vc issue-batch: error ERR_BATCH_ROSTER_INVALID: ${error.problems.length} problem(s) in ${sanitize(relative(io.cwd, roster) || roster)}; nothing was issued:`,
        )
        return EXIT.failed
      }
      throw error
    }
    progress.finish()
    if (result.problems.length > 0) {
      reportProblems(
        result.problems,
        io,
        `certify-vc issue-batch: skipped ${result.problems.length} problem(s) (--skip-invalid):`,
      )
    }
    const seconds = (performance.now() - started) / 1000
    const rate = result.issueMs > 0 ? Math.round((result.issued * 1000) / result.issueMs) : 0
    io.stdout.write(
      `${program}: ${result.issued} issued, ${result.recreated} re-created, ${result.unchanged} already issued` +
        ` (${result.rows} rows) in ${seconds.toFixed(1)} s` +
        (result.issued > 0 ? `, ${rate} credentials/s` : '') +
        `\nManifest: ${relative(io.cwd, result.manifest) || result.manifest}\n`,
    )
    return EXIT.ok
  } catch (error) {
    return reportError('issue-batch', error, io)
  }
}
