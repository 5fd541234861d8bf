/**
 * `certify-vc offer`: asks the Institute's server (`POST /certify/offers`, with its write token)
 * for credential offers. For one learner (`--name`, `--email`) it prints the links to send them:
 * the claim page, the OpenID4VCI offer URI, the Learner Credential Wallet link, and the
 * transaction code (shown once; send it apart from the links). For a cohort (`--roster`, `--out`)
 * it makes one offer per row and writes them to a manifest (`../offer-batch/`).
 *
 * @module
 */
import { relative, resolve } from 'node:path'
import { PROGRAM_CODES } from '@certify-vc/context'
import { RosterInvalidError } from '@certify-vc/issuer'
import { createStyle, sanitize } from '../format.js'
import { EXIT, type CliIo } from '../io.js'
import {
  OFFER_SERVER_ENV,
  OFFER_TOKEN_ENV,
  postOffer,
  refusalProblems,
  serverUrl,
  type OfferRequestBody,
} from '../offer-client.js'
import { OfferBatchAbortedError, offerBatch } from '../offer-batch/run.js'
import { UsageError, parseCommandArgs, reportError, required } from '../usage.js'
import { checkProgram, progressRenderer, reportProblems } from './issue-batch.js'

const DEFAULT_CONCURRENCY = 4
const MAX_CONCURRENCY = 16

/** `certify-vc offer --help`. */
export const OFFER_HELP = `Usage: certify-vc offer --program <code> (--name <name> | --email <email>) [options]
       certify-vc offer --program <code> --roster <file> --out <dir> [options]

Make credential offers on the Institute's server: the learner claims the credential into their
own wallet (OpenID4VCI wallets, the Learner Credential Wallet, 'certify-vc wallet receive'),
issued to the key the wallet proves. Nothing is issued or allocated until it is claimed.

With --roster, one offer per row of a roster (CSV with a header row, or JSON Lines; the fields
of 'certify-vc issue-batch': key, name, email; did and the date, term and role fields are not
carried by offers and make a row fail). Writes <dir>/manifest.jsonl: per row its line, row key,
name, email, offer id, claim page, OpenID4VCI offer URI (by value and by reference), Learner
Credential Wallet link and VC API exchange (offers without a tx code), expiry. With --tx-code the
codes go to <dir>/tx-codes.jsonl (mode 0600), never to the manifest: send each learner their
code by another channel than their link. Bad or refused rows are reported (line, field, reason)
and the others go on. Re-running is safe: rows in the manifest are not offered again, and a row
whose answer an interruption lost gets the same offer back (each request carries an
Idempotency-Key from the program, --batch and the row key; a lost tx code is replaced).

Options:
      --server <url>        The server (default: $${OFFER_SERVER_ENV}). https, or http on this machine.
      --token <token>       Its write token (default: $${OFFER_TOKEN_ENV}).
  -p, --program <code>      ${PROGRAM_CODES.join(', ')}.
      --name <name>         The learner's name (in the credential).
      --email <email>       The learner's email (kept as a salted hash, never the address).
      --tx-code             Protect each offer with a 6-digit transaction code (OpenID4VCI only).
      --expires-in <s>      Seconds the offer stays claimable (60 to 1209600; default 86400).
      --suspension          The credential can be suspended.
      --json                Print the server's answer as JSON (one learner).
  -r, --roster <file>       Offers for every row of this roster (.csv, .jsonl or .ndjson).
  -o, --out <dir>           With --roster: the folder of the manifest (created).
      --batch <name>        With --roster: row keys are unique per program and batch (default
                            "default"); name a new batch to offer the same learners again.
      --concurrency <n>     With --roster: requests at once (1 to ${MAX_CONCURRENCY}; default ${DEFAULT_CONCURRENCY}).
  -h, --help                Show this help.

Exit status: 0 every offer made (or already made), 1 refused by the server (with --roster: any
row not offered), 2 usage error.
`

/** Runs `certify-vc offer`; returns the exit code. */
export async function offer(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        program: { type: 'string', short: 'p' },
        name: { type: 'string' },
        email: { type: 'string' },
        'tx-code': { type: 'boolean' },
        'expires-in': { type: 'string' },
        suspension: { type: 'boolean' },
        json: { type: 'boolean' },
        roster: { type: 'string', short: 'r' },
        out: { type: 'string', short: 'o' },
        batch: { type: 'string' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help === true) {
      io.stdout.write(OFFER_HELP)
      return EXIT.ok
    }
    if (positionals.length > 0) throw new UsageError('offer takes no positional arguments.')
    const server = serverUrl(required(values.server ?? io.env[OFFER_SERVER_ENV], '--server'))
    const token = required(values.token ?? io.env[OFFER_TOKEN_ENV], '--token')
    const program = checkProgram(required(values.program, '--program'))
    const expires = values['expires-in']
    if (expires !== undefined && !/^\d{1,8}$/.test(expires)) {
      throw new UsageError('--expires-in must be a number of seconds.')
    }
    const common = {
      program,
      txCode: values['tx-code'] === true,
      ...(expires === undefined ? {} : { expiresInSeconds: Number(expires) }),
      suspension: values.suspension === true,
    }
    if (values.roster !== undefined) {
      for (const flag of ['name', 'email', 'json'] as const) {
        if (values[flag] !== undefined) {
          throw new UsageError(`--${flag} is for one learner; with --roster the rows name them.`)
        }
      }
      return await offerRoster(io, {
        ...common,
        server,
        token,
        roster: values.roster,
        out: required(values.out, '--out'),
        batch: values.batch,
        concurrency: values.concurrency,
      })
    }
    for (const flag of ['out', 'batch', 'concurrency'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --roster.`)
    }
    if (values.name === undefined && values.email === undefined) {
      throw new UsageError('Name the learner: --name and/or --email (or a cohort: --roster).')
    }
    const body: OfferRequestBody = {
      program,
      recipient: {
        ...(values.name === undefined ? {} : { name: values.name }),
        ...(values.email === undefined ? {} : { email: values.email }),
      },
      ...(common.txCode ? { txCode: true } : {}),
      ...(common.expiresInSeconds === undefined
        ? {}
        : { expiresInSeconds: common.expiresInSeconds }),
      ...(common.suspension ? { suspension: true } : {}),
    }
    const response = await postOffer(server, token, body)
    if (response.kind === 'unreachable') {
      io.stderr.write(`offer: could not reach ${server}: ${sanitize(response.message)}\n`)
      return EXIT.failed
    }
    const answer = response.body
    if (response.status !== 201 || answer === undefined) {
      io.stderr.write(`offer: the server refused (HTTP ${response.status}):\n`)
      for (const e of refusalProblems(answer)) {
        io.stderr.write(`    ${e.code}: ${sanitize(e.message)}\n`)
      }
      return EXIT.failed
    }
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`)
      return EXIT.ok
    }
    const style = createStyle(io.stdout, io.env)
    const line = (label: string, value: unknown) =>
      typeof value === 'string' ? `${style.bold(label.padEnd(13))} ${sanitize(value)}\n` : ''
    io.stdout.write(
      `${style.green('✓ offer made')} for ${body.program}, claimable once until ${String(answer.expiresAt)}\n` +
        line('claim page', answer.claimUrl) +
        line('OpenID4VCI', answer.offerUri) +
        line('LCW link', answer.lcwDeepLink) +
        line('VC API', answer.exchangeUrl) +
        (typeof answer.txCode === 'string'
          ? `${style.bold('tx code'.padEnd(13))} ${answer.txCode}  (send it apart from the links; shown only now)\n`
          : ''),
    )
    return EXIT.ok
  } catch (error) {
    return reportError('offer', error, io)
  }
}

/** `certify-vc offer --roster`: one offer per row, a manifest, problems per row. */
async function offerRoster(
  io: CliIo,
  options: {
    server: string
    token: string
    program: string
    txCode: boolean
    expiresInSeconds?: number
    suspension: boolean
    roster: string
    out: string
    batch: string | undefined
    concurrency: string | undefined
  },
): Promise<number> {
  const roster = resolve(io.cwd, options.roster)
  if (!/\.(csv|jsonl|ndjson)$/i.test(roster)) {
    throw new UsageError('--roster must be a .csv, .jsonl or .ndjson file.')
  }
  const batch = options.batch ?? 'default'
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(batch)) {
    throw new UsageError('--batch must be 1 to 64 letters, digits, ".", "_", ":" or "-".')
  }
  const concurrency = Number(options.concurrency ?? DEFAULT_CONCURRENCY)
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new UsageError(`--concurrency must be an integer from 1 to ${MAX_CONCURRENCY}.`)
  }
  const outDir = resolve(io.cwd, options.out)
  const shown = (path: string) => sanitize(relative(io.cwd, path) || path)
  const progress = progressRenderer(io, undefined, 'offer')
  const started = performance.now()
  let result
  try {
    result = await offerBatch({
      roster,
      program: options.program,
      outDir,
      server: options.server,
      token: options.token,
      batch,
      txCode: options.txCode,
      ...(options.expiresInSeconds === undefined
        ? {}
        : { expiresInSeconds: options.expiresInSeconds }),
      suspension: options.suspension,
      concurrency,
      onProgress: (p) => progress.update(p),
    })
  } catch (error) {
    progress.finish()
    if (error instanceof RosterInvalidError) {
      reportProblems(
        error.problems,
        io,
        `certify-vc offer: error ERR_BATCH_ROSTER_INVALID: ${shown(roster)} cannot be read; no offer was made:`,
      )
      return EXIT.failed
    }
    if (error instanceof OfferBatchAbortedError) {
      io.stderr.write(`certify-vc offer: error ${error.code}: ${sanitize(error.message)}\n`)
      return EXIT.failed
    }
    throw error
  }
  progress.finish()
  if (result.problems.length > 0) {
    reportProblems(
      result.problems,
      io,
      `certify-vc offer: ${result.problems.length} problem(s); those rows have no offer (fix them and run again):`,
    )
  }
  const seconds = (performance.now() - started) / 1000
  io.stdout.write(
    `${options.program}: ${result.offered} offered, ${result.replayed} recovered from an interrupted run, ` +
      `${result.unchanged} already offered (${result.rows} rows) in ${seconds.toFixed(1)} s\n` +
      `Manifest: ${shown(result.manifest)}\n` +
      (result.txCodes === undefined
        ? ''
        : `Transaction codes: ${shown(result.txCodes)} (mode 0600; send each learner their code apart from their link)\n`),
  )
  return result.problems.length > 0 ? EXIT.failed : EXIT.ok
}
