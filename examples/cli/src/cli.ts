/**
 * The `certify-vc` dispatcher: picks the command, handles `--help` and `--version`, and returns
 * the exit code. `main.ts` is the only place that touches `process`.
 *
 * @module
 */
import { bake, unbake } from './commands/bake.js'
import { demo } from './commands/demo.js'
import { issue } from './commands/issue.js'
import { issueBatchCommand } from './commands/issue-batch.js'
import { keygen } from './commands/keygen.js'
import { offer } from './commands/offer.js'
import { status } from './commands/status.js'
import { revoke, suspend, unsuspend } from './commands/status-change.js'
import { trust } from './commands/trust.js'
import { verify } from './commands/verify.js'
import { wallet } from './commands/wallet.js'
import { EXIT, packageVersion, type CliIo, type Command } from './io.js'
import { UsageError, reportError } from './usage.js'

/** The commands, by name. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  keygen,
  issue,
  'issue-batch': issueBatchCommand,
  verify,
  trust,
  revoke,
  suspend,
  unsuspend,
  status,
  offer,
  demo,
  wallet,
  bake,
  unbake,
}

/** `certify-vc --help`. */
export const MAIN_HELP = `Usage: certify-vc <command> [options]

Issue and verify Production AI Institute credentials (Open Badges 3.0, W3C Verifiable
Credentials) for the AIDA, CAAE and AIMA programs. Nothing is sent anywhere: verifying fetches
only issuers' DID documents and status lists.

Commands:
  keygen --out <file>                      Generate an issuer key (did:key), saved with mode 0600.
  issue --program <code> --name <name> --key <file>
                                           Issue a signed credential, recorded in the status
                                           registry so it can be revoked.
  issue-batch --roster <csv|jsonl> --program <code> --out <dir> --key <file>
                                           Issue one credential per roster row (resumable).
  verify <file|-> [--trust <did|file>]...  Verify a credential (JSON, or a baked PNG or SVG badge)
                                           and list every check.
  trust --from <origin>                    Trust the local Institute (a server in development
                                           mode on this machine, pnpm start).
  revoke <id|file> --reason <text>         Revoke a credential (final).
  suspend <id|file> --reason <text>        Suspend a credential; 'unsuspend' reinstates it.
  status publish --out <dir> --key <file>  Sign and write the status lists for hosting.
  status show <id|file>                    A credential's status and history.
  bake <file> --out <badge.png|badge.svg>  Bake a credential into its program's badge image.
  unbake <badge> [--out <file>]            Take the credential out of a baked badge.
  offer --server <url> --program <code> --name <name>
                                           Make a credential offer on the Institute's server, for
                                           the learner to claim into their own wallet.
  offer --server <url> --program <code> --roster <csv|jsonl> --out <dir>
                                           One offer per roster row, with a manifest of the
                                           links (resumable).
  demo [--out <dir>]                       Issue, verify, tamper, revoke, suspend, reinstate.
  wallet init|import|list|present|qr|receive
                                           The learner's wallet: a did:key, verified credentials,
                                           presentations for employers, QR codes, offers received.

Options:
  -h, --help     Show this help; 'certify-vc <command> --help' for a command.
  -v, --version  Show the version.

Exit status: 0 success / verified, 1 failure / not verified, 2 usage error.
`

/** Runs the command line `argv` (without `node` and the script); returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined
    if (topic !== undefined && Object.hasOwn(COMMANDS, topic)) {
      return runCli([topic, '--help'], io)
    }
    ;(first === undefined ? io.stderr : io.stdout).write(MAIN_HELP)
    return first === undefined ? EXIT.usage : EXIT.ok
  }
  if (first === '-v' || first === '--version') {
    io.stdout.write(`${await packageVersion()}\n`)
    return EXIT.ok
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined
  if (command === undefined) {
    return reportError('', new UsageError(`Unknown command ${JSON.stringify(first)}.`), io)
  }
  return command(rest, io)
}
