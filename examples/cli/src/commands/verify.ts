/**
 * `certify-vc verify <file|-> [--trust <did|file>]... [--json] [--now <date>]`: verifies a
 * credential offline and lists every check. Exit 0 verified, 1 not verified, 2 usage error or
 * unreadable input.
 *
 * @module
 */
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseDateTimeStamp } from '@certify-vc/context'
import { isPng, looksLikeXml } from '@certify-vc/core'
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_IMAGE_BYTES,
  PROFILE_NAMES,
  createDirectoryStatusListSource,
  verifyCredential,
  type ProfileName,
  type StatusListSource,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import { createStyle, explainResult, renderVerification, sanitize, type Style } from '../format.js'
import { readCredentialInput } from '../input.js'
import { EXIT, type CliIo } from '../io.js'
import { developmentNotice, loadNetwork, localInstituteHint } from '../network.js'
import {
  CONFIG_ENV,
  CONFIG_FILE,
  TRUST_ENV,
  TRUST_HELP,
  describeTrust,
  loadTrust,
  type TrustList,
} from '../trust.js'
import { UsageError, parseCommandArgs, reportError } from '../usage.js'

/** `certify-vc verify --help`. */
export const VERIFY_HELP = `Usage: certify-vc verify <file|-> [options]

Verify a credential: input limits, structure, pinned contexts, signatures, key binding,
validity period, issuer trust, program and status. '-' reads the credential from stdin. The file
may also be a baked badge, a PNG or SVG image holding the credential ('certify-vc bake'): the
credential inside is verified exactly as its JSON would be.

Options:
  -t, --trust <did|file>  Trust this issuer: a DID, or a file holding a DID (one per line), a JSON
                          array of DIDs, a ${CONFIG_FILE}, or an issuer key file. Repeatable.
      --json              Print the verifier's result object as JSON, nothing else; each
                          problem carries its code, message, JSON Pointer (path) and the
                          code's one-line explanation.
      --now <date>        Verify as of this time (ISO 8601, e.g. 2027-01-01T00:00:00Z).
      --status-dir <dir>  Read status lists from this folder (offline; lists are matched by
                          their id, whatever the file names) instead of fetching them.
      --profile <name>    What is required beyond a sound credential: institute (default: an
                          Open Badge of an Institute program from a trusted issuer),
                          open-badges (any issuer's Open Badge) or vc (any credential). Under
                          open-badges and vc an untrusted issuer is a warning, except for a
                          credential naming an Institute program.
  -h, --help              Show this help.

Status lists are otherwise fetched from their statusListCredential URLs, and did:web DID
documents from the issuer's host, with a hardened fetcher (https only, no redirects to other
hosts, no private or loopback addresses, timeouts, size caps). A list that cannot be obtained,
or is stale, makes the status unknown: not verified. The one exception is a local Institute in
development mode recorded by 'certify-vc trust --from <origin>': the config file's
"developmentOrigins" allow plain http and loopback for exactly those origins on this machine.

Without --trust, trusted issuers come from ${TRUST_ENV} (comma-separated DIDs), else from
the file named by ${CONFIG_ENV}, else from ./${CONFIG_FILE}:
  { "trustedIssuers": ["did:key:z6Mk…"] }
An issuer not on the list fails, whatever its signature says.

Exit status: 0 verified, 1 not verified, 2 usage error or unreadable input.
`

/**
 * Parses `--now`: an XSD dateTimeStamp (`2027-01-01T00:00:00Z`) or a plain date (`2027-01-01`,
 * read as midnight UTC).
 *
 * @throws {UsageError}
 */
export function parseNow(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? parseDateTimeStamp(`${value}T00:00:00Z`)
    : parseDateTimeStamp(value)
  if (date === undefined) {
    throw new UsageError(
      `--now ${JSON.stringify(value)} is not an ISO 8601 date or date-time with a time zone.`,
    )
  }
  return date
}

/**
 * Parses `--profile`.
 *
 * @throws {UsageError}
 */
export function parseProfile(value: string | undefined): ProfileName | undefined {
  if (value === undefined) return undefined
  if (!(PROFILE_NAMES as readonly string[]).includes(value)) {
    throw new UsageError(
      `--profile must be one of ${PROFILE_NAMES.join(', ')} (got ${JSON.stringify(value)}).`,
    )
  }
  return value as ProfileName
}

/** What to tell the reader about trust after the verdict, if anything. */
export function trustAdvice(result: VerifyCredentialResult, trust: TrustList): string {
  if (trust.dids.length === 0) return `${TRUST_HELP}\n`
  const failed = result.checks.some((c) => c.id === 'issuer-trust' && c.outcome === 'failed')
  const issuer = result.credential.issuer
  if (!failed || issuer === undefined) return ''
  const count = `${trust.dids.length} trusted issuer${trust.dids.length === 1 ? '' : 's'}`
  return (
    `The issuer ${sanitize(issuer)} is not among the ${count} from ${trust.source}.\n` +
    `Only if you know this DID belongs to the Institute, add: --trust ${sanitize(issuer)}\n`
  )
}

/** The human report of one verification: header, checks, verdict and trust advice. */
export function renderReport(
  label: string,
  result: VerifyCredentialResult,
  trust: TrustList,
  style: Style,
): string {
  const header = `${style.bold(`Verifying ${sanitize(label)}`)} ${style.dim(`(${describeTrust(trust)})`)}\n`
  return header + renderVerification(result, style) + trustAdvice(result, trust)
}

/**
 * What to tell the reader when the status lists could not be had and no `--status-dir` was
 * given: typically a machine offline, or lists not yet hosted at their URLs.
 */
export function statusAdvice(
  result: VerifyCredentialResult,
  statusDir: string | undefined,
): string {
  if (statusDir !== undefined) return ''
  const status = result.checks.find((c) => c.id === 'status')
  if (
    status?.outcome !== 'failed' ||
    !status.problems.some((p) => p.code === 'ERR_STATUS_UNKNOWN')
  ) {
    return ''
  }
  return STATUS_HELP
}

/** The hint for a status list that could not be fetched. */
export const STATUS_HELP =
  [
    `The status lists could not be fetched from their URLs (offline, or not hosted there yet?).`,
    `To check status without the network, verify against a folder of the signed lists:`,
    `  certify-vc verify <file> --status-dir <dir>`,
    `The issuer writes that folder with 'certify-vc status publish --out <dir> --key <key file>'.`,
  ].join('\n') + '\n'

/** The offline status source for `--status-dir`, after checking the folder exists. */
export async function statusDirSource(
  dir: string | undefined,
  cwd: string,
): Promise<StatusListSource | undefined> {
  if (dir === undefined) return undefined
  const path = resolve(cwd, dir)
  const info = await stat(path).catch(() => undefined)
  if (info?.isDirectory() !== true) throw new UsageError(`--status-dir ${dir} is not a folder.`)
  return createDirectoryStatusListSource(path)
}

/** `', a baked PNG badge'` or `', a baked SVG badge'` for an image, else `''`. */
function bakedNote(bytes: Uint8Array): string {
  if (isPng(bytes)) return ', a baked PNG badge'
  return looksLikeXml(new TextDecoder().decode(bytes.subarray(0, 64))) ? ', a baked SVG badge' : ''
}

/** How many bytes `verify` and `wallet import` read at most: the larger input limit, plus one. */
export const INPUT_READ_LIMIT = Math.max(DEFAULT_MAX_BYTES, DEFAULT_MAX_IMAGE_BYTES) + 1

/** Runs `certify-vc verify`; returns the exit code. */
export async function verify(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        trust: { type: 'string', short: 't', multiple: true },
        json: { type: 'boolean' },
        now: { type: 'string' },
        'status-dir': { type: 'string' },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help === true) {
      io.stdout.write(VERIFY_HELP)
      return EXIT.ok
    }
    const [source, ...extra] = positionals
    if (source === undefined)
      throw new UsageError('Name the credential file to verify, or - for stdin.')
    if (extra.length > 0)
      throw new UsageError(`Verify one credential at a time (got ${positionals.length}).`)
    const now = values.now === undefined ? undefined : parseNow(values.now)
    const profile = parseProfile(values.profile)
    const trust = await loadTrust(values.trust ?? [], io)
    // One byte over the larger limit (a baked image's) is enough for the verifier to report
    // ERR_INPUT_TOO_LARGE for JSON and images alike.
    const bytes = await readCredentialInput(source, io, INPUT_READ_LIMIT)
    const statusSource = await statusDirSource(values['status-dir'], io.cwd)
    const network = await loadNetwork(io)
    io.stderr.write(developmentNotice(network))
    const result = await verifyCredential(bytes, {
      trustedIssuers: trust.dids,
      didResolver: network.didResolver,
      ...(profile === undefined ? {} : { profile }),
      ...(now === undefined ? {} : { now }),
      status:
        statusSource === undefined
          ? { source: network.statusSource }
          : { source: statusSource, cache: false },
    })
    const hint = localInstituteHint(
      result.credential.issuer,
      result.problems.map((p) => p.code),
      network,
    )
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify(explainResult(result), null, 2)}\n`)
      if (trust.dids.length === 0) io.stderr.write(`${TRUST_HELP}\n`)
      io.stderr.write(statusAdvice(result, values['status-dir']))
      io.stderr.write(hint)
    } else {
      const label = `${source === '-' ? 'stdin' : source}${bakedNote(bytes)}`
      io.stdout.write(renderReport(label, result, trust, createStyle(io.stdout, io.env)) + hint)
      io.stdout.write(statusAdvice(result, values['status-dir']))
    }
    return result.verified ? EXIT.ok : EXIT.failed
  } catch (error) {
    return reportError('verify', error, io)
  }
}
