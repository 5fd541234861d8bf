/**
 * The `--key <file>` option of the commands that sign (`issue`, `issue-batch`, `status publish`):
 * where it is missing, or names something that is not an issuer key (a credential, typically),
 * the error says what the file is and how to make a key.
 *
 * @module
 */
import { open } from 'node:fs/promises'
import { resolve } from 'node:path'
import { CertifyError, isPlainObject } from '@certify-vc/context'
import { loadIssuerKey, type IssuerKey } from '@certify-vc/issuer'
import type { CliIo } from './io.js'
import { UsageError } from './usage.js'

/** How to make an issuer key, for messages. */
export const KEYGEN_HINT = 'Make an issuer key with: certify-vc keygen --out issuer-key.json'

/**
 * The absolute path of the `--key` value.
 *
 * @throws {UsageError} when it is missing, saying how to make a key.
 */
export function keyPathOption(value: string | undefined, io: Pick<CliIo, 'cwd'>): string {
  if (value === undefined || value.trim() === '') {
    throw new UsageError(
      `--key is required: the issuer key file that signs. ${KEYGEN_HINT}, then pass --key issuer-key.json.`,
    )
  }
  return resolve(io.cwd, value)
}

/** Up to 1 MiB of the file, or `undefined` when it cannot be read (loadIssuerKey then says why). */
async function peek(path: string): Promise<Uint8Array | undefined> {
  try {
    const handle = await open(path, 'r')
    try {
      const buffer = new Uint8Array(1024 * 1024)
      const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, 0)
      return buffer.subarray(0, bytesRead)
    } finally {
      await handle.close()
    }
  } catch {
    return undefined
  }
}

/** What the JSON in a would-be key file is, when it is plainly not an issuer key. */
function notAKey(json: unknown): string | undefined {
  if (!isPlainObject(json)) return 'not a JSON object'
  if ('credentialSubject' in json || 'verifiableCredential' in json) {
    return 'verifiablePresentation' in json || 'verifiableCredential' in json
      ? 'a presentation'
      : 'a verifiable credential'
  }
  if (!('secretKeyMultibase' in json)) {
    return 'publicKeyMultibase' in json
      ? 'the public part of a key only (no secretKeyMultibase)'
      : 'not a key file (no secretKeyMultibase)'
  }
  return undefined
}

/**
 * Loads the issuer key file at `path` (`shown` as the user typed it). A file that is not a key
 * at all is refused with what it is and how to make a key, before the key file's own checks
 * (mode 0600 among them) would speak of it as a key.
 *
 * @throws {CertifyError} `ERR_KEY_FILE`.
 */
export async function loadKeyOption(path: string, shown: string): Promise<IssuerKey> {
  const bytes = await peek(path)
  if (bytes !== undefined) {
    let what: string | undefined
    try {
      what = notAKey(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)))
    } catch {
      what = 'not JSON'
    } finally {
      bytes.fill(0)
    }
    if (what !== undefined) {
      throw new CertifyError(
        'ERR_KEY_FILE',
        `--key ${shown} is ${what}, not an issuer key file. ${KEYGEN_HINT}, then pass --key issuer-key.json.`,
      )
    }
  }
  return loadIssuerKey(path)
}
