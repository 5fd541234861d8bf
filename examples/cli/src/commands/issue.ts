/**
 * `certify-vc issue --program <AIDA|CAAE|AIMA> --name <name> --key <file> …`: issues one signed
 * Open Badges 3.0 credential and writes its JSON to stdout or a file.
 *
 * @module
 */
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  PROGRAM_CODES,
  isProgramCode,
  type ProgramCode,
  type SignedOpenBadgeCredential,
} from '@certify-vc/context'
import {
  issueCredential,
  issueCredentialJwt,
  type IssueCredentialOptions,
  type IssueSuite,
  type Recipient,
} from '@certify-vc/issuer'
import {
  DEFAULT_REGISTRY,
  DEFAULT_STATUS_BASE_URL,
  loadStatusSettings,
  withRegistry,
} from '../status-config.js'
import { sanitize } from '../format.js'
import { EXIT, type CliIo } from '../io.js'
import { keyPathOption, loadKeyOption } from '../key-option.js'
import { UsageError, describeFileError, parseCommandArgs, reportError, required } from '../usage.js'

/** `certify-vc issue --help`. */
export const ISSUE_HELP = `Usage: certify-vc issue --program <${PROGRAM_CODES.join('|')}> --name <name> --key <file> [options]

Issue a signed Open Badges 3.0 credential for one learner and print its JSON (or write it to
--out). VC 2.0 credentials are signed with eddsa-rdfc-2022, VC 1.1 with Ed25519Signature2020.
The credential is recorded in the status registry and carries a BitstringStatusListEntry, so
it can be revoked later ('certify-vc revoke', then 'certify-vc status publish').

Options:
  -p, --program <code>    ${PROGRAM_CODES.join(', ')} (required).
  -n, --name <name>       The learner's name as shown on the credential.
  -s, --subject <did>     The learner's DID (credentialSubject.id).
  -e, --email <address>   The learner's email; only a salted hash goes into the credential.
                          At least one of --name, --subject and --email is required.
  -k, --key <file>        The issuer key file, from 'certify-vc keygen' (required).
      --format <format>   vc2 (default) or vc1.1.
      --suite <suite>     eddsa-rdfc-2022, Ed25519Signature2020, ecdsa-rdfc-2019 or
                          ecdsa-sd-2023 (a base proof the learner derives selectively
                          disclosed credentials from; needs a P-256 key). Default: by the key,
                          eddsa-rdfc-2022 / Ed25519Signature2020 (Ed25519) or
                          ecdsa-rdfc-2019 (P-256, P-384).
      --jwt <encoding>    Secure the credential as a JWT instead of a Data Integrity proof:
                          vc+jwt (VC-JOSE-COSE) or vc-jwt (VC-JWT 1.1, Open Badges 3.0 §8.2).
                          EdDSA for an Ed25519 key, ES256 / ES384 for P-256 / P-384. The
                          compact JWS is printed (or written to --out) instead of JSON.
  -o, --out <file>        Write the credential here instead of stdout ('-': stdout).
      --registry <file>   Status registry (SQLite) to record the credential in
                          (default: "registry" in the config file, else ./${DEFAULT_REGISTRY}).
      --base-url <url>    Where status lists are hosted (default: "statusBaseUrl" in the
                          config file, else ${DEFAULT_STATUS_BASE_URL}).
      --suspension        Also add a suspension entry (default: the program is listed under
                          "suspension" in the config file).
      --without-status    Issue without credentialStatus (cannot be revoked; not recorded).
  -h, --help              Show this help.

Exit status: 0 issued, 1 issuing failed (key file, recipient, signing), 2 usage error.
`

const FORMATS = ['vc2', 'vc1.1'] as const
const SUITES: readonly IssueSuite[] = [
  'eddsa-rdfc-2022',
  'Ed25519Signature2020',
  'ecdsa-rdfc-2019',
  'ecdsa-sd-2023',
]

function checkSuite(value: string | undefined): IssueSuite | undefined {
  if (value === undefined) return undefined
  const suite = SUITES.find((s) => s === value)
  if (suite === undefined) {
    throw new UsageError(
      `--suite must be one of ${SUITES.join(', ')}, not ${JSON.stringify(value)}.`,
    )
  }
  return suite
}
type Format = (typeof FORMATS)[number]

function checkProgram(value: string): ProgramCode {
  const code = value.trim().toUpperCase()
  if (!isProgramCode(code)) {
    throw new UsageError(
      `Unknown program ${JSON.stringify(value)}; expected one of ${PROGRAM_CODES.join(', ')}.`,
      { code: 'ERR_ISSUE_PROGRAM_UNKNOWN' },
    )
  }
  return code
}

function checkFormat(value: string | undefined): Format {
  if (value === undefined) return 'vc2'
  const format = FORMATS.find((f) => f === value)
  if (format === undefined) {
    throw new UsageError(`--format must be ${FORMATS.join(' or ')}, not ${JSON.stringify(value)}.`)
  }
  return format
}

async function issueWithStatus(
  values: {
    registry?: string | undefined
    'base-url'?: string | undefined
    suspension?: boolean | undefined
  },
  io: CliIo,
  options: Pick<IssueCredentialOptions, 'program' | 'recipient' | 'key' | 'format' | 'suite'>,
  issueWith: (options: IssueCredentialOptions) => Promise<IssuedText>,
): Promise<IssuedText> {
  const settings = await loadStatusSettings(
    { registry: values.registry, baseUrl: values['base-url'] },
    io,
  )
  const suspension =
    values.suspension === true || settings.suspension.includes(options.program as ProgramCode)
  return withRegistry(settings, (registry) =>
    issueWith({ ...options, status: { registry, baseUrl: settings.baseUrl, suspension } }),
  )
}

/** An issued credential and the text to output (its JSON, or the JWT). */
interface IssuedText {
  readonly credential: { readonly id?: string | undefined }
  readonly text: string
}

/** Data Integrity (default) or, with `--jwt`, a JWT (issuer's `issueCredentialJwt`). */
function issuerFor(
  jwt: string | undefined,
  suite: IssueSuite | undefined,
): (options: IssueCredentialOptions) => Promise<IssuedText> {
  if (jwt === undefined) {
    return async (options) => {
      const credential: SignedOpenBadgeCredential = await issueCredential(options)
      return { credential, text: `${JSON.stringify(credential, null, 2)}\n` }
    }
  }
  if (jwt !== 'vc+jwt' && jwt !== 'vc-jwt') {
    throw new UsageError(`--jwt must be vc+jwt or vc-jwt, not ${JSON.stringify(jwt)}.`)
  }
  if (suite !== undefined) throw new UsageError('--suite and --jwt cannot be combined.')
  const encoding = jwt === 'vc-jwt' ? 'vc-jwt' : 'vc-jose-cose'
  return async ({ suite: _suite, ...options }) => {
    const r = await issueCredentialJwt({ ...options, encoding })
    return { credential: r.credential, text: `${r.jwt}\n` }
  }
}

/** Runs `certify-vc issue`; returns the exit code. */
export async function issue(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values } = parseCommandArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        program: { type: 'string', short: 'p' },
        name: { type: 'string', short: 'n' },
        subject: { type: 'string', short: 's' },
        email: { type: 'string', short: 'e' },
        key: { type: 'string', short: 'k' },
        format: { type: 'string' },
        suite: { type: 'string' },
        jwt: { type: 'string' },
        out: { type: 'string', short: 'o' },
        registry: { type: 'string' },
        'base-url': { type: 'string' },
        suspension: { type: 'boolean' },
        'without-status': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help === true) {
      io.stdout.write(ISSUE_HELP)
      return EXIT.ok
    }
    const program = checkProgram(required(values.program, '--program'))
    const resolvedKeyPath = keyPathOption(values.key, io)
    const format = checkFormat(values.format)
    const suite = checkSuite(values.suite)
    const recipient: Recipient = {
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(values.subject === undefined ? {} : { did: values.subject }),
      ...(values.email === undefined ? {} : { email: values.email }),
    }
    if (Object.keys(recipient).length === 0) {
      throw new UsageError('Name the learner with --name, --subject or --email.')
    }
    if (values.out === '') throw new UsageError('--out must not be empty.')

    const outPath =
      values.out === undefined || values.out === '-' ? undefined : resolve(io.cwd, values.out)
    if (outPath === resolvedKeyPath) {
      throw new UsageError('--out names the key file; that would destroy the key.')
    }
    const withoutStatus = values['without-status'] === true
    if (withoutStatus && (values.suspension === true || values.registry !== undefined)) {
      throw new UsageError('--without-status cannot be combined with --registry or --suspension.')
    }
    const key = await loadKeyOption(resolvedKeyPath, values.key ?? '')
    const options = { program, recipient, key, format, ...(suite === undefined ? {} : { suite }) }
    const issueWith = issuerFor(values.jwt, suite)
    let issued: IssuedText
    try {
      issued = withoutStatus
        ? await issueWith(options)
        : await issueWithStatus(values, io, options, issueWith)
    } catch (error) {
      // A suite the key or the format cannot take is a usage error here.
      if (error instanceof TypeError) throw new UsageError(error.message, { cause: error })
      throw error
    }
    const { credential, text: json } = issued
    if (outPath === undefined) {
      io.stdout.write(json)
      return EXIT.ok
    }
    try {
      await writeFile(outPath, json, 'utf8')
    } catch (error) {
      throw new Error(`Cannot write ${outPath}: ${describeFileError(error)}.`, { cause: error })
    }
    const who = recipient.name ?? recipient.did ?? 'the learner'
    io.stderr.write(
      `Issued ${program} (${format}) ${credential.id ?? ''} for ${sanitize(who)} to ${outPath}\n`,
    )
    return EXIT.ok
  } catch (error) {
    return reportError('issue', error, io)
  }
}
