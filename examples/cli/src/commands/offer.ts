/**
 * `certify-vc offer`: asks the Institute's server (`POST /certify/offers`, with its write token)
 * for a credential offer for one learner and prints the links to send them: the claim page, the
 * OpenID4VCI offer URI, the Learner Credential Wallet link, and the transaction code (shown once;
 * send it apart from the links).
 *
 * @module
 */
import { isPlainObject } from '@certify-vc/context'
import { createStyle, sanitize } from '../format.js'
import { EXIT, type CliIo } from '../io.js'
import { UsageError, parseCommandArgs, reportError, required } from '../usage.js'

/** The environment variables read for the server and its token. */
export const OFFER_SERVER_ENV = 'CERTIFY_VC_SERVER'
export const OFFER_TOKEN_ENV = 'CERTIFY_VC_SERVER_TOKEN'

/** `certify-vc offer --help`. */
export const OFFER_HELP = `Usage: certify-vc offer --program <code> (--name <name> | --email <email>) [options]

Make a credential offer on the Institute's server: the learner claims the credential into their
own wallet (OpenID4VCI wallets, the Learner Credential Wallet, 'certify-vc wallet receive'),
issued to the key the wallet proves. Nothing is issued or allocated until it is claimed.

Options:
      --server <url>        The server (default: $${OFFER_SERVER_ENV}). https, or http on this machine.
      --token <token>       Its write token (default: $${OFFER_TOKEN_ENV}).
  -p, --program <code>      AIDA, CAAE or AIMA.
      --name <name>         The learner's name (in the credential).
      --email <email>       The learner's email (kept as a salted hash, never the address).
      --tx-code             Protect the offer with a 6-digit transaction code (OpenID4VCI only).
      --expires-in <s>      Seconds the offer stays claimable (60 to 1209600; default 86400).
      --suspension          The credential can be suspended.
      --json                Print the server's answer as JSON.
  -h, --help                Show this help.

Exit status: 0 offer made, 1 refused by the server, 2 usage error.
`

function serverUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`--server ${value} is not a URL.`)
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new UsageError('--server must be https (http only for a server on this machine).')
  }
  return url.href.replace(/\/+$/, '')
}

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
    if (values.name === undefined && values.email === undefined) {
      throw new UsageError('Name the learner: --name and/or --email.')
    }
    const expires = values['expires-in']
    if (expires !== undefined && !/^\d{1,8}$/.test(expires)) {
      throw new UsageError('--expires-in must be a number of seconds.')
    }
    const body = {
      program: required(values.program, '--program').toUpperCase(),
      recipient: {
        ...(values.name === undefined ? {} : { name: values.name }),
        ...(values.email === undefined ? {} : { email: values.email }),
      },
      ...(values['tx-code'] === true ? { txCode: true } : {}),
      ...(expires === undefined ? {} : { expiresInSeconds: Number(expires) }),
      ...(values.suspension === true ? { suspension: true } : {}),
    }
    let response: Response
    try {
      response = await fetch(`${server}/certify/offers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        redirect: 'error',
      })
    } catch (error) {
      io.stderr.write(`offer: could not reach ${server}: ${sanitize(String(error))}\n`)
      return EXIT.failed
    }
    const answer: unknown = await response.json().catch(() => undefined)
    if (response.status !== 201 || !isPlainObject(answer)) {
      const errors = isPlainObject(answer) && Array.isArray(answer.errors) ? answer.errors : []
      io.stderr.write(`offer: the server refused (HTTP ${response.status}):\n`)
      for (const e of errors) {
        if (isPlainObject(e))
          io.stderr.write(`    ${String(e.code)}: ${sanitize(String(e.message))}\n`)
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
