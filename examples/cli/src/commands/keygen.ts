/**
 * `certify-vc keygen --out <file> [--type Ed25519|P-256|P-384] [--force]`: generates an issuer
 * key (`did:key`; Ed25519 by default) and saves it as a key file with mode 0600. Prints the DID
 * on stdout, never the secret key.
 *
 * @module
 */
import { lstat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { CertifyError, MULTIKEY_TYPES, type MultikeyType } from '@certify-vc/context'
import { generateIssuerKey, saveIssuerKey } from '@certify-vc/issuer'
import { EXIT, type CliIo } from '../io.js'
import { parseCommandArgs, reportError, required, UsageError } from '../usage.js'

/** `certify-vc keygen --help`. */
export const KEYGEN_HELP = `Usage: certify-vc keygen --out <file> [--type <type>] [--force]

Generate an issuer key whose DID is a did:key, and save it as a JSON key file readable by you
only (mode 0600). Prints the DID on stdout; the secret key is never printed.

Options:
  -o, --out <file>  Where to write the key file (required).
  -t, --type <type> Ed25519 (default: eddsa-rdfc-2022, Ed25519Signature2020), P-256
                    (ecdsa-rdfc-2019, ecdsa-sd-2023) or P-384 (ecdsa-rdfc-2019).
  -f, --force       Replace an existing file (the old key is lost).
  -h, --help        Show this help.

Exit status: 0 written, 1 the file exists or cannot be written, 2 usage error.
`

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  )
}

/** Runs `certify-vc keygen`; returns the exit code. */
export async function keygen(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values } = parseCommandArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        out: { type: 'string', short: 'o' },
        type: { type: 'string', short: 't' },
        force: { type: 'boolean', short: 'f' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help === true) {
      io.stdout.write(KEYGEN_HELP)
      return EXIT.ok
    }
    const type = values.type ?? 'Ed25519'
    if (!(MULTIKEY_TYPES as readonly string[]).includes(type)) {
      throw new UsageError(`--type must be one of ${MULTIKEY_TYPES.join(', ')}.`)
    }
    const out = required(values.out, '--out')
    if (out === '-') throw new UsageError('--out must be a file: the secret key is never printed.')
    const path = resolve(io.cwd, out)
    const force = values.force === true
    if (!force && (await exists(path))) {
      throw new CertifyError(
        'ERR_KEY_FILE',
        `${path} already exists; use --force to replace it (the key in it is then lost).`,
      )
    }
    const key = await generateIssuerKey({ type: type as MultikeyType })
    await saveIssuerKey(path, key, { overwrite: force })
    io.stdout.write(`${key.did}\n`)
    io.stderr.write(
      `Wrote the issuer key to ${path} (mode 0600). Keep it secret; back it up.\n` +
        `Verifiers trust this issuer with: certify-vc verify <file> --trust ${key.did}\n`,
    )
    return EXIT.ok
  } catch (error) {
    return reportError('keygen', error, io)
  }
}
