/**
 * base58btc multibase decoding for proof values.
 *
 * @module
 */
import { base58btc } from 'multiformats/bases/base58'

let lastText: string | undefined
let lastBytes: Uint8Array | undefined

/**
 * `base58btc.decode(text)` (multibase, `z…`), remembering only the last string decoded: a proof's
 * signature is decoded by the verifier's proof check and again by the suite right after
 * (≈ 15 µs each for 64 bytes). Always returns a fresh copy.
 *
 * @throws {Error} as `base58btc.decode` for anything that is not base58btc multibase.
 */
export function decodeMultibaseBase58btc(text: string): Uint8Array {
  if (text !== lastText || lastBytes === undefined) {
    const bytes = base58btc.decode(text)
    lastText = text
    lastBytes = bytes
  }
  return lastBytes.slice()
}
