/**
 * `certify-vc wallet init|import|list|present|qr`: the learner's side. A wallet folder holds the
 * learner's did:key (key file mode 0600, never printed), the trusted issuers, and the credentials
 * that verified when they were imported; `present` signs a presentation for an employer's
 * challenge and domain, `qr` turns one into a QR code.
 *
 * @module
 */
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { isPlainObject, type JsonObject } from '@certify-vc/context'
import type {
  ImportResult,
  Wallet,
  WalletEntry,
  WalletVerifyOptions,
} from '@certify-vc/example-wallet'
import { DEFAULT_MAX_BYTES, createHardenedStatusListSource } from '@certify-vc/verifier'
import { createStyle, sanitize, type Style } from '../format.js'
import { readCredentialInput } from '../input.js'
import { EXIT, type CliIo } from '../io.js'
import { developmentNotice, loadNetwork, localInstituteHint, type CliNetwork } from '../network.js'
import { TRUST_HELP, loadTrust } from '../trust.js'
import { UsageError, parseCommandArgs, reportError, required } from '../usage.js'
import { INPUT_READ_LIMIT, STATUS_HELP, parseNow, statusDirSource } from './verify.js'

/** The wallet library, loaded only when a wallet command runs (it pulls in CBOR-LD and QR code). */
const walletLibrary = () => import('@certify-vc/example-wallet')

/** The environment variable naming the wallet folder. */
export const WALLET_DIR_ENV = 'CERTIFY_VC_WALLET_DIR'
/** The wallet folder used when neither `--wallet-dir` nor the variable is given. */
export const DEFAULT_WALLET_DIR = 'certify-wallet'

/** `certify-vc wallet --help`. */
export const WALLET_HELP = `Usage: certify-vc wallet <subcommand> [options]

The learner's wallet: your own did:key, the credentials issued to it, and presentations for
employers. Nothing is sent anywhere: only the issuers' DID documents and status lists are
fetched, to verify.

Subcommands:
  init [--trust <did|file>]...     Create the wallet: a new did:key for you (its key file has
                                   mode 0600 and is never printed) and the issuers you accept.
  import <file|->...               Verify credentials and store those issued to your DID; a
                                   refused credential is reported with its error codes.
  list [--json]                    Your credentials: program, issuer, dates and current status
                                   (each one is verified again, status included).
  present --challenge <c> --domain <d> --credential <ref> [--credential <ref>]...
          [--reveal <JSON pointer>]... [--out <file>]
                                   Sign a presentation of the chosen credentials for an
                                   employer's request. <ref>: a local id from 'list', a
                                   credential id, or a program code (AIDA, CAAE, AIMA).
  qr <presentation file|-> [--png <file>] [--svg <file>]
                                   Show a presentation as a QR code in the terminal (CBOR-LD,
                                   @digitalbazaar/vpqr) and write it as PNG and/or SVG.
  receive <offer URI | LCW link> [--tx-code <code>]
                                   Claim an issuer's credential offer into the wallet: an
                                   openid-credential-offer:// URI (OpenID4VCI, your key proved
                                   by a JWT) or a Learner Credential Wallet request link (a VC
                                   API exchange, your DID authenticated). Then imported as
                                   'import' does (verified, issued to your DID).

Options:
  -w, --wallet-dir <dir>  The wallet folder (default: $${WALLET_DIR_ENV}, else ./${DEFAULT_WALLET_DIR}).
  -t, --trust <did|file>  init: an issuer to accept (a DID, or a file of DIDs, a config file, or
                          an issuer key file). Repeatable. Without it, the issuers come from
                          CERTIFY_VC_TRUSTED_ISSUERS or certify-vc.config.json.
      --status-dir <dir>  import, list: read status lists from this folder instead of fetching.
                          Otherwise lists and did:web documents are fetched over https (and
                          over http for a local Institute recorded by 'certify-vc trust --from').
      --now <date>        import, list: verify as of this time.
      --format <f>        present: vc2 (default) or vc1.1.
      --reveal <pointer>  present: of a selectively disclosable credential (ecdsa-sd-2023),
                          show this member (e.g. /credentialSubject/name) besides what its
                          issuer made mandatory; everything else is withheld. Repeatable.
                          Without it such credentials are shown whole.
  -o, --out <file>        present: write the presentation here instead of stdout.
      --json              list, receive: print JSON.
      --tx-code <code>    receive: the transaction code the issuer sent apart from the offer.
      --allow-http        receive: a server on this machine (http and loopback allowed for the
                          offer, the issuer and its status lists). Never for a remote server.
  -h, --help              Show this help.

Exit status: 0 done, 1 refused or failed (a credential that does not verify, a missing wallet),
2 usage error.
`

/** The options each subcommand takes (besides --wallet-dir and --help). */
const SUBCOMMAND_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  init: ['trust'],
  import: ['status-dir', 'now'],
  list: ['status-dir', 'now', 'json'],
  present: ['challenge', 'domain', 'credential', 'format', 'out'],
  qr: ['png', 'svg'],
}

/**
 * Refuses an option that the subcommand would ignore, so that nobody believes it took effect
 * (`wallet import --trust X` trusted nothing: the wallet's issuers are set by `init`).
 *
 * @throws {UsageError}
 */
function checkOptions(sub: string, values: Readonly<Record<string, unknown>>): void {
  const allowed = SUBCOMMAND_OPTIONS[sub]
  if (allowed === undefined) return
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || name === 'wallet-dir' || name === 'help') continue
    if (allowed.includes(name)) continue
    if (name === 'trust') {
      throw new UsageError(
        `--trust applies to 'wallet init' only: the issuers a wallet accepts are recorded when it ` +
          `is created (wallet.json), and every import is checked against them.`,
      )
    }
    const users = Object.keys(SUBCOMMAND_OPTIONS).filter((s) =>
      SUBCOMMAND_OPTIONS[s]?.includes(name),
    )
    throw new UsageError(
      `--${name} does not apply to 'wallet ${sub}' (it is for 'wallet ${users.join("' and 'wallet ")}').`,
    )
  }
}

/** What to tell the learner about a refused credential, beyond its codes. */
function refusalAdvice(
  result: ImportResult,
  holder: string,
  statusDir: string | undefined,
): string {
  const lines: string[] = []
  if (result.problems.some((p) => p.code === 'ERR_WALLET_SUBJECT_MISMATCH')) {
    const subject = result.verification.credential.subject?.id
    lines.push(
      subject === undefined
        ? `This credential was issued to a name or an email, not to a DID, so no wallet can hold it as yours.`
        : `This credential is issued to ${sanitize(subject)}, not to you.`,
      `Ask the issuer for a credential issued to your DID: ${holder}`,
      `('certify-vc wallet init' printed it; the issuer uses 'certify-vc issue --subject <your DID>').`,
    )
  }
  if (statusDir === undefined && result.problems.some((p) => p.code === 'ERR_STATUS_UNKNOWN')) {
    lines.push(
      ...STATUS_HELP.trimEnd().replace('verify <file>', 'wallet import <file>').split('\n'),
    )
  }
  return lines.map((line) => `    ${line}\n`).join('')
}

function walletDir(flag: string | undefined, io: CliIo): string {
  const named = flag ?? io.env[WALLET_DIR_ENV]
  return resolve(io.cwd, named === undefined || named.trim() === '' ? DEFAULT_WALLET_DIR : named)
}

function oneLine(entry: WalletEntry, style: Style): string {
  const standing =
    entry.standing === 'valid'
      ? style.green('✓ valid')
      : entry.standing === 'status-unknown'
        ? style.yellow('? status unknown')
        : style.red(`✗ ${entry.standing}`)
  const program = entry.program === undefined ? '(unknown program)' : entry.program.name
  const issuer =
    entry.issuer.name === undefined
      ? `${sanitize(entry.issuer.did)} ${style.yellow('(not established)')}`
      : `${entry.issuer.name} ${style.dim(`(${sanitize(entry.issuer.did)})`)}`
  const until = entry.validUntil === undefined ? 'no end date' : `until ${entry.validUntil}`
  const codes = entry.codes.length === 0 ? '' : `  ${style.dim(entry.codes.join(', '))}`
  return (
    `${style.bold(entry.localId)}  ${program}  ${standing}${codes}\n` +
    `              issuer  ${issuer}\n` +
    `              valid   from ${entry.validFrom ?? '?'}, ${until}\n` +
    `              id      ${sanitize(entry.id)}\n`
  )
}

async function verifyOptions(
  values: { 'status-dir'?: string | undefined; now?: string | undefined },
  io: CliIo,
): Promise<{ options: WalletVerifyOptions; network: CliNetwork }> {
  const source = await statusDirSource(values['status-dir'], io.cwd)
  const network = await loadNetwork(io)
  io.stderr.write(developmentNotice(network))
  const options: WalletVerifyOptions = {
    didResolver: network.didResolver,
    status: source === undefined ? { source: network.statusSource } : { source, cache: false },
    ...(values.now === undefined ? {} : { now: parseNow(values.now) }),
  }
  return { options, network }
}

async function importFiles(
  wallet: Wallet,
  files: readonly string[],
  { options, network }: { options: WalletVerifyOptions; network: CliNetwork },
  statusDir: string | undefined,
  io: CliIo,
  style: Style,
): Promise<number> {
  if (files.length === 0) throw new UsageError('Name the credential files to import (or -).')
  let refused = 0
  for (const file of files) {
    const bytes = await readCredentialInput(file, io, INPUT_READ_LIMIT)
    const result = await wallet.importCredential(bytes, options)
    const label = file === '-' ? 'stdin' : file
    if (result.imported) {
      const program = result.verification.credential.program?.name ?? ''
      const again = result.replaced === true ? ' (replaced the copy already held)' : ''
      io.stdout.write(
        `${style.green('✓ imported')} ${sanitize(label)} as ${result.localId ?? ''}: ${program}${again}\n`,
      )
    } else {
      refused += 1
      io.stdout.write(`${style.red('✗ refused')} ${sanitize(label)}:\n`)
      for (const p of result.problems) {
        io.stdout.write(`    ${p.code}: ${sanitize(p.message)}\n`)
      }
      io.stdout.write(refusalAdvice(result, wallet.holder, statusDir))
      const codes = result.problems.map((p) => p.code)
      io.stdout.write(localInstituteHint(result.verification.credential.issuer, codes, network))
    }
  }
  return refused === 0 ? EXIT.ok : EXIT.failed
}

async function writeQr(
  source: string,
  values: { png?: string | undefined; svg?: string | undefined },
  io: CliIo,
): Promise<number> {
  const bytes = await readCredentialInput(source, io, DEFAULT_MAX_BYTES + 1)
  let presentation: unknown
  try {
    presentation = JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    throw new UsageError(`${source} is not JSON.`)
  }
  if (!isPlainObject(presentation)) throw new UsageError(`${source} is not a JSON object.`)
  const { presentationToQr, qrToPng, qrToSvg, qrToTerminal } = await walletLibrary()
  const qr = await presentationToQr(presentation as JsonObject)
  io.stdout.write(qrToTerminal(qr))
  io.stderr.write(
    `QR version ${qr.version}, ${qr.payload.length} characters (${qr.cborldBytes} bytes of CBOR-LD).\n`,
  )
  if (values.png !== undefined) {
    const path = resolve(io.cwd, values.png)
    await writeFile(path, qrToPng(qr))
    io.stderr.write(`Wrote ${path}\n`)
  }
  if (values.svg !== undefined) {
    const path = resolve(io.cwd, values.svg)
    await writeFile(path, qrToSvg(qr), 'utf8')
    io.stderr.write(`Wrote ${path}\n`)
  }
  return EXIT.ok
}

/** Runs `certify-vc wallet …`; returns the exit code. */
export async function wallet(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'wallet-dir': { type: 'string', short: 'w' },
        trust: { type: 'string', short: 't', multiple: true },
        'status-dir': { type: 'string' },
        now: { type: 'string' },
        challenge: { type: 'string' },
        domain: { type: 'string' },
        credential: { type: 'string', multiple: true },
        reveal: { type: 'string', multiple: true },
        format: { type: 'string' },
        out: { type: 'string', short: 'o' },
        png: { type: 'string' },
        svg: { type: 'string' },
        'tx-code': { type: 'string' },
        'allow-http': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help === true) {
      io.stdout.write(WALLET_HELP)
      return EXIT.ok
    }
    const [sub, ...rest] = positionals
    if (sub !== undefined) checkOptions(sub, values)
    const dir = walletDir(values['wallet-dir'], io)
    const style = createStyle(io.stdout, io.env)
    const { initWallet, openWallet } = await walletLibrary()
    switch (sub) {
      case 'init': {
        if (rest.length > 0) throw new UsageError('wallet init takes no positional arguments.')
        const trust = await loadTrust(values.trust ?? [], io)
        if (trust.dids.length === 0) throw new UsageError(TRUST_HELP)
        const created = await initWallet(dir, { trustedIssuers: trust.dids })
        io.stdout.write(
          `Created a wallet in ${dir}\n` +
            `Your DID: ${created.holder}\n` +
            `Give this DID to the Institute so your credentials are issued to it.\n` +
            `Trusted issuers (${trust.source}): ${trust.dids.join(', ')}\n` +
            `Your key is in ${dir}/holder-key.json (mode 0600). Keep it private; back it up.\n`,
        )
        return EXIT.ok
      }
      case 'import': {
        const opened = await openWallet(dir)
        return await importFiles(
          opened,
          rest,
          await verifyOptions(values, io),
          values['status-dir'],
          io,
          style,
        )
      }
      case 'list': {
        if (rest.length > 0) throw new UsageError('wallet list takes no positional arguments.')
        const opened = await openWallet(dir)
        const entries = await opened.list((await verifyOptions(values, io)).options)
        if (values.json === true) {
          io.stdout.write(
            `${JSON.stringify({ holder: opened.holder, credentials: entries }, null, 2)}\n`,
          )
          return EXIT.ok
        }
        const count = `${entries.length} credential${entries.length === 1 ? '' : 's'}`
        io.stdout.write(`${style.bold('Wallet')} ${dir}\nHolder ${opened.holder} (${count})\n\n`)
        for (const entry of entries) io.stdout.write(`${oneLine(entry, style)}\n`)
        return EXIT.ok
      }
      case 'present': {
        if (rest.length > 0) throw new UsageError('wallet present takes no positional arguments.')
        const credentials = values.credential ?? []
        if (credentials.length === 0) {
          throw new UsageError('Choose the credentials to present with --credential <ref>.')
        }
        const { format } = values
        if (format !== undefined && format !== 'vc2' && format !== 'vc1.1') {
          throw new UsageError('--format must be vc2 or vc1.1.')
        }
        const opened = await openWallet(dir)
        let vp
        try {
          vp = await opened.present({
            challenge: required(values.challenge, '--challenge'),
            domain: required(values.domain, '--domain'),
            credentials,
            ...(format === undefined ? {} : { format }),
            ...(values.reveal === undefined ? {} : { reveal: values.reveal }),
          })
        } catch (error) {
          if (error instanceof TypeError) throw new UsageError(error.message, { cause: error })
          throw error
        }
        const text = `${JSON.stringify(vp, null, 2)}\n`
        if (values.out === undefined) {
          io.stdout.write(text)
        } else {
          const path = resolve(io.cwd, values.out)
          await writeFile(path, text, 'utf8')
          io.stderr.write(
            `Wrote a presentation of ${vp.verifiableCredential?.length ?? 0} credential(s) to ${path}\n`,
          )
        }
        return EXIT.ok
      }
      case 'qr': {
        const [source, ...extra] = rest
        if (source === undefined || extra.length > 0) {
          throw new UsageError('Name one presentation file (from wallet present --out), or -.')
        }
        return await writeQr(source, values, io)
      }
      case 'receive': {
        const [offer, ...extra] = rest
        if (offer === undefined || extra.length > 0) {
          throw new UsageError('Name one offer: an openid-credential-offer:// URI or an LCW link.')
        }
        const opened = await openWallet(dir)
        const allowHttp = values['allow-http'] === true
        const { options: verify } = await verifyOptions(values, io)
        const { receiveOffer } = await walletLibrary()
        const received = await receiveOffer(opened, offer, {
          ...verify,
          ...(values['status-dir'] === undefined && allowHttp
            ? {
                status: {
                  source: createHardenedStatusListSource({ allowHttp: true, allowLoopback: true }),
                  cache: false,
                },
              }
            : {}),
          ...(values['tx-code'] === undefined ? {} : { txCode: values['tx-code'] }),
          allowHttp,
        })
        const result = received.import
        if (values.json === true) {
          io.stdout.write(
            `${JSON.stringify(
              {
                protocol: received.protocol,
                issuer: received.issuer,
                imported: result.imported,
                localId: result.localId,
                credentialId: received.credential.id,
                problems: result.problems,
              },
              null,
              2,
            )}\n`,
          )
        } else if (result.imported) {
          const program = result.verification.credential.program?.name ?? ''
          io.stdout.write(
            `${style.green('✓ received')} ${program} from ${sanitize(received.issuer)} ` +
              `(${received.protocol === 'oid4vci' ? 'OpenID4VCI' : 'VC API exchange'}) as ${result.localId ?? ''}\n`,
          )
        } else {
          io.stdout.write(
            `${style.red('✗ received but refused')} (${received.protocol}); the issuer issued it, ` +
              `the wallet did not keep it:\n`,
          )
          for (const p of result.problems)
            io.stdout.write(`    ${p.code}: ${sanitize(p.message)}\n`)
        }
        return result.imported ? EXIT.ok : EXIT.failed
      }
      case undefined:
        throw new UsageError('Name a subcommand: init, import, list, present, qr or receive.')
      default:
        throw new UsageError(`Unknown wallet subcommand ${JSON.stringify(sub)}.`)
    }
  } catch (error) {
    return reportError('wallet', error, io)
  }
}
