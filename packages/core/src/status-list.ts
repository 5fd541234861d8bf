/**
 * The Bitstring Status List codec, once for issuer and verifier: a bitstring where index 0 is
 * the most significant bit of the first byte, gzip-compressed and multibase base64url encoded
 * (`u…`, no padding). Decoding is capped so a gzip bomb is refused, never inflated.
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstring-encoding
 * @module
 */
import { Gunzip, gzipSync } from 'fflate'
import { CertifyError } from '@certify-vc/context'

/** The minimum list length the spec requires for herd privacy: 131,072 entries (16 KiB). */
export const MIN_STATUS_LIST_ENTRIES = 131_072

/** Default cap on a decoded list: 16 MiB (134 million single-bit entries). */
export const DEFAULT_MAX_STATUS_LIST_BYTES = 16 * 1024 * 1024

const CHUNK = 1024

function toBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) {
    throw new CertifyError('ERR_STATUS_LIST_INVALID', 'encodedList is not base64url.')
  }
  const padded =
    text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4)
  let binary: string
  try {
    binary = atob(padded)
  } catch (cause) {
    throw new CertifyError('ERR_STATUS_LIST_INVALID', 'encodedList is not base64url.', { cause })
  }
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** A new, all-zero bitstring of `entries` entries of `statusSize` bits. */
export function createBitstring(
  entries: number = MIN_STATUS_LIST_ENTRIES,
  statusSize = 1,
): Uint8Array {
  if (!Number.isSafeInteger(entries) || entries < 1)
    throw new TypeError('"entries" must be a positive integer.')
  if (!Number.isSafeInteger(statusSize) || statusSize < 1 || statusSize > 8) {
    throw new TypeError('"statusSize" must be an integer from 1 to 8.')
  }
  return new Uint8Array(Math.ceil((entries * statusSize) / 8))
}

/**
 * Encodes a bitstring as the spec's `encodedList`: `u` + base64url(gzip(bitstring)).
 * Deterministic (fixed gzip header, no timestamp) so the same list encodes the same way.
 */
export function encodeStatusList(bitstring: Uint8Array): string {
  if (!(bitstring instanceof Uint8Array)) throw new TypeError('"bitstring" must be a Uint8Array.')
  return 'u' + toBase64Url(gzipSync(bitstring, { level: 9, mtime: 0 }))
}

/**
 * Decodes an `encodedList` into its bitstring.
 *
 * @throws {CertifyError} `ERR_STATUS_LIST_INVALID` for anything but `u` + base64url of a gzip
 *   stream; `ERR_STATUS_LIST_TOO_LARGE` once the inflated size passes `maxBytes` (the bomb is
 *   refused while inflating, not after).
 */
export function decodeStatusList(
  encodedList: unknown,
  options: { maxBytes?: number } = {},
): Uint8Array {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_STATUS_LIST_BYTES
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1)
    throw new TypeError('"maxBytes" must be a positive integer.')
  if (typeof encodedList !== 'string' || !encodedList.startsWith('u')) {
    throw new CertifyError(
      'ERR_STATUS_LIST_INVALID',
      'encodedList must be multibase base64url ("u…").',
    )
  }
  // base64 is 4/3 the size; gzip cannot shrink below ~1/1032. Refuse texts that cannot fit.
  if (encodedList.length > Math.ceil((maxBytes * 4) / 3) + 64) {
    throw new CertifyError(
      'ERR_STATUS_LIST_TOO_LARGE',
      'encodedList is larger than the status list cap.',
    )
  }
  const compressed = fromBase64Url(encodedList.slice(1))
  const parts: Uint8Array[] = []
  let total = 0
  let ended = false
  const gunzip = new Gunzip((chunk, final) => {
    total += chunk.length
    if (total > maxBytes) {
      throw new CertifyError(
        'ERR_STATUS_LIST_TOO_LARGE',
        `The status list inflates past ${maxBytes} bytes.`,
      )
    }
    parts.push(chunk)
    if (final) ended = true
  })
  try {
    for (let i = 0; i < compressed.length; i += CHUNK) {
      gunzip.push(compressed.subarray(i, i + CHUNK), i + CHUNK >= compressed.length)
    }
    if (compressed.length === 0) gunzip.push(new Uint8Array(0), true)
  } catch (error) {
    if (error instanceof CertifyError) throw error
    throw new CertifyError('ERR_STATUS_LIST_INVALID', 'encodedList is not a gzip stream.', {
      cause: error,
    })
  }
  if (!ended)
    throw new CertifyError('ERR_STATUS_LIST_INVALID', 'encodedList is a truncated gzip stream.')
  const out = new Uint8Array(total)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

function checkIndex(bitstring: Uint8Array, index: number, statusSize: number): void {
  if (!Number.isSafeInteger(index) || index < 0)
    throw new RangeError('"index" must be a non-negative integer.')
  if (!Number.isSafeInteger(statusSize) || statusSize < 1 || statusSize > 8) {
    throw new RangeError('"statusSize" must be an integer from 1 to 8.')
  }
  if ((index + 1) * statusSize > bitstring.length * 8) {
    throw new RangeError(
      `index ${index} is beyond the list (${Math.floor((bitstring.length * 8) / statusSize)} entries).`,
    )
  }
}

/** The status value at `index` (`statusSize` bits, most significant first). @throws {RangeError} */
export function getStatus(bitstring: Uint8Array, index: number, statusSize = 1): number {
  checkIndex(bitstring, index, statusSize)
  let value = 0
  for (let b = 0; b < statusSize; b++) {
    const bit = index * statusSize + b
    value = (value << 1) | (((bitstring[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1)
  }
  return value
}

/** Sets the status value at `index` in place. @throws {RangeError} */
export function setStatus(
  bitstring: Uint8Array,
  index: number,
  value: number,
  statusSize = 1,
): void {
  checkIndex(bitstring, index, statusSize)
  if (!Number.isSafeInteger(value) || value < 0 || value >= 2 ** statusSize) {
    throw new RangeError(`"value" must fit in ${statusSize} bit(s).`)
  }
  for (let b = 0; b < statusSize; b++) {
    const bit = index * statusSize + b
    const mask = 1 << (7 - (bit & 7))
    const on = (value >> (statusSize - 1 - b)) & 1
    const byte = bitstring[bit >> 3] ?? 0
    bitstring[bit >> 3] = on === 1 ? byte | mask : byte & ~mask
  }
}

/**
 * Parses a `statusListIndex` strictly: base-10 digits only, no sign, no leading zeros (except
 * "0"), a safe integer. Returns `undefined` for anything else ("12abc", "-1", "1e3", " 7", 7).
 */
export function parseStatusListIndex(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(value)) return undefined
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : undefined
}
