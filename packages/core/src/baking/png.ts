/**
 * Baking a credential into a PNG and reading it back (Open Badges 3.0 §5.3.1): one uncompressed
 * `iTXt` chunk with the keyword `openbadgecredential` whose text is the credential's JSON or a
 * compact JWS; never more than one such chunk.
 *
 * The chunk walk is written here (it is small) rather than taken from a library: every chunk's
 * length is checked against the bytes left and every CRC is verified, the file must start with
 * `IHDR` and end with `IEND`, and nothing may follow `IEND`. Browser-safe: no Node module.
 *
 * @see https://www.w3.org/TR/png-3/#5Chunk-layout (chunk layout, CRC)
 * @see https://www.w3.org/TR/png-3/#11iTXt (iTXt)
 * @module
 */
import { crc32 } from './crc32.js'
import {
  PNG_CREDENTIAL_KEYWORD,
  credentialText,
  imageError,
  imageTooLarge,
  resolveBakingLimits,
  type BakeOptions,
  type BakingLimits,
  type CodecSide,
} from './limits.js'
import { CertifyError } from '@certify-vc/context'

/** The eight bytes every PNG starts with (PNG §5.2). */
export const PNG_SIGNATURE: Uint8Array = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
])

/** PNG chunk lengths are at most 2^31 − 1 (PNG §5.3). */
const MAX_CHUNK_LENGTH = 0x7fffffff
const KEYWORD_BYTES = new TextEncoder().encode(PNG_CREDENTIAL_KEYWORD)
const utf8Strict = new TextDecoder('utf-8', { fatal: true })
const utf8 = new TextEncoder()

/** True when `bytes` starts with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength < PNG_SIGNATURE.length) return false
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b)
}

/** One chunk of a PNG: its type and where its parts are. */
interface Chunk {
  readonly type: string
  /** Offset of the length field (the chunk spans `start` .. `end`). */
  readonly start: number
  readonly end: number
  readonly data: Uint8Array
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return (
    (((bytes[offset] as number) << 24) |
      ((bytes[offset + 1] as number) << 16) |
      ((bytes[offset + 2] as number) << 8) |
      (bytes[offset + 3] as number)) >>>
    0
  )
}

function isChunkType(bytes: Uint8Array): boolean {
  // Four ASCII letters (PNG §5.4).
  return bytes.every((b) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))
}

/**
 * Every chunk of `png`, checked: signature, lengths within the file, known-good CRCs, `IHDR`
 * first, `IEND` last, nothing after it.
 */
function walkChunks(png: Uint8Array, side: CodecSide): Chunk[] {
  if (!isPng(png)) throw imageError(side, 'The image is not a PNG (no PNG signature).')
  const chunks: Chunk[] = []
  let offset = PNG_SIGNATURE.length
  for (;;) {
    if (offset + 12 > png.byteLength) {
      throw imageError(side, `The PNG is truncated: a chunk header at byte ${offset} is cut off.`)
    }
    const length = readUint32(png, offset)
    const typeBytes = png.subarray(offset + 4, offset + 8)
    if (!isChunkType(typeBytes)) {
      throw imageError(side, `The PNG has a malformed chunk type at byte ${offset + 4}.`)
    }
    const type = String.fromCharCode(...typeBytes)
    if (length > MAX_CHUNK_LENGTH || offset + 12 + length > png.byteLength) {
      throw imageError(
        side,
        `The PNG's ${type} chunk at byte ${offset} claims ${length} bytes; only ${Math.max(0, png.byteLength - offset - 12)} follow.`,
      )
    }
    const data = png.subarray(offset + 8, offset + 8 + length)
    const stored = readUint32(png, offset + 8 + length)
    if (crc32(typeBytes, data) !== stored) {
      throw imageError(side, `The PNG's ${type} chunk at byte ${offset} fails its CRC check.`)
    }
    if (chunks.length === 0 && (type !== 'IHDR' || length !== 13)) {
      throw imageError(side, 'The PNG does not start with an IHDR chunk.')
    }
    const end = offset + 12 + length
    chunks.push({ type, start: offset, end, data })
    offset = end
    if (type === 'IEND') break
  }
  if (offset !== png.byteLength) {
    throw imageError(side, `The PNG has ${png.byteLength - offset} bytes after its IEND chunk.`)
  }
  return chunks
}

function startsWithKeyword(data: Uint8Array): boolean {
  return (
    data.byteLength > KEYWORD_BYTES.length &&
    data[KEYWORD_BYTES.length] === 0 &&
    KEYWORD_BYTES.every((b, i) => data[i] === b)
  )
}

/**
 * The credential text of one `iTXt` chunk whose keyword is `openbadgecredential` (PNG §11.3.3.4:
 * keyword, NUL, compression flag, compression method, language tag, NUL, translated keyword, NUL,
 * text).
 */
function credentialOfChunk(data: Uint8Array, maxCredentialBytes: number): string {
  let i = KEYWORD_BYTES.length + 1
  const flag = data[i]
  const method = data[i + 1]
  if (flag === undefined || method === undefined) {
    throw imageError('unbake', 'The openbadgecredential iTXt chunk is truncated.')
  }
  if (flag !== 0 || method !== 0) {
    throw imageError(
      'unbake',
      'The openbadgecredential iTXt chunk is compressed; Open Badges 3.0 §5.3.1 says compression MUST NOT be used.',
    )
  }
  i += 2
  for (const field of ['language tag', 'translated keyword']) {
    const nul = data.indexOf(0, i)
    if (nul === -1) {
      throw imageError('unbake', `The openbadgecredential iTXt chunk has no end to its ${field}.`)
    }
    i = nul + 1
  }
  const text = data.subarray(i)
  if (text.byteLength > maxCredentialBytes) {
    throw new CertifyError(
      'ERR_INPUT_TOO_LARGE',
      `The baked credential is ${text.byteLength} bytes; the limit is ${maxCredentialBytes}.`,
    )
  }
  try {
    return utf8Strict.decode(text)
  } catch {
    throw imageError('unbake', 'The openbadgecredential iTXt text is not valid UTF-8.')
  }
}

/** The chunks holding the credential, and `tEXt` / `zTXt` misuses of its keyword. */
function credentialChunks(chunks: readonly Chunk[], side: CodecSide): Chunk[] {
  const found: Chunk[] = []
  for (const chunk of chunks) {
    if (!startsWithKeyword(chunk.data)) continue
    if (chunk.type === 'iTXt') found.push(chunk)
    else if (chunk.type === 'tEXt' || chunk.type === 'zTXt') {
      throw imageError(
        side,
        `The PNG holds a ${chunk.type} chunk with the keyword openbadgecredential; Open Badges 3.0 §5.3.1 puts the credential in an uncompressed iTXt chunk.`,
      )
    }
  }
  return found
}

/**
 * The credential baked into `png`: the text of its `iTXt` chunk with the keyword
 * `openbadgecredential` (the credential's JSON or a compact JWS), or `undefined` when the PNG has
 * no such chunk.
 *
 * @example
 * const text = unbakePng(await readFile('badge.png'))
 * if (text !== undefined) await verifyCredential(text, options)
 *
 * @throws {CertifyError} `ERR_INPUT_BAKED_INVALID` for a malformed PNG (bad signature, length or
 *   CRC, data after `IEND`), a compressed chunk, more than one chunk, or text that is not UTF-8;
 *   `ERR_INPUT_TOO_LARGE` for an image or text over the caps.
 * @throws {TypeError} when `png` is not a `Uint8Array`.
 * @see https://www.imsglobal.org/spec/ob/v3p0/#baking (§5.3.1 PNG)
 */
export function unbakePng(png: Uint8Array, limits?: BakingLimits): string | undefined {
  if (!(png instanceof Uint8Array)) throw new TypeError('"png" must be a Uint8Array.')
  const caps = resolveBakingLimits(limits)
  if (png.byteLength > caps.maxImageBytes) {
    throw imageTooLarge('unbake', png.byteLength, caps.maxImageBytes)
  }
  const found = credentialChunks(walkChunks(png, 'unbake'), 'unbake')
  if (found.length > 1) {
    throw imageError(
      'unbake',
      `The PNG holds ${found.length} openbadgecredential iTXt chunks; Open Badges 3.0 §5.3.1 allows one.`,
    )
  }
  const [chunk] = found
  return chunk === undefined ? undefined : credentialOfChunk(chunk.data, caps.maxCredentialBytes)
}

function writeUint32(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value >>> 24
  out[offset + 1] = (value >>> 16) & 0xff
  out[offset + 2] = (value >>> 8) & 0xff
  out[offset + 3] = value & 0xff
}

/** The `iTXt` chunk for `text`: keyword, uncompressed, empty language tag and translated keyword. */
function credentialChunk(text: string): Uint8Array {
  const body = utf8.encode(text)
  const header = Uint8Array.from([...KEYWORD_BYTES, 0, 0, 0, 0, 0])
  const chunk = new Uint8Array(12 + header.byteLength + body.byteLength)
  writeUint32(chunk, 0, header.byteLength + body.byteLength)
  chunk.set(utf8.encode('iTXt'), 4)
  chunk.set(header, 8)
  chunk.set(body, 8 + header.byteLength)
  writeUint32(
    chunk,
    8 + header.byteLength + body.byteLength,
    crc32(chunk.subarray(4, 8 + header.byteLength + body.byteLength)),
  )
  return chunk
}

/**
 * `png` with `credential` baked in: one uncompressed `iTXt` chunk, keyword
 * `openbadgecredential`, right after `IHDR`. A string is embedded exactly as given (it must be a
 * JSON object's text or a compact JWS); an object is serialised with `JSON.stringify`. The other
 * chunks are copied byte for byte.
 *
 * @example
 * const badge = bakePng(await readFile('aida.png'), signedCredential)
 *
 * @throws {CertifyError} `ERR_BAKE_IMAGE_INVALID` when `png` is not a well-formed PNG or already
 *   holds a credential (unless `replace`); `ERR_BAKE_CREDENTIAL_INVALID` for a credential that is
 *   not JSON or a JWS, or over the cap.
 * @throws {TypeError} for arguments of the wrong type.
 * @see https://www.imsglobal.org/spec/ob/v3p0/#baking (§5.3.1 PNG)
 */
export function bakePng(
  png: Uint8Array,
  credential: string | object,
  options: BakeOptions = {},
): Uint8Array {
  if (!(png instanceof Uint8Array)) throw new TypeError('"png" must be a Uint8Array.')
  const caps = resolveBakingLimits(options)
  const text = credentialText(credential, caps.maxCredentialBytes)
  if (png.byteLength > caps.maxImageBytes) {
    throw imageTooLarge('bake', png.byteLength, caps.maxImageBytes)
  }
  const chunks = walkChunks(png, 'bake')
  const existing = credentialChunks(chunks, 'bake')
  if (existing.length > 0 && options.replace !== true) {
    throw imageError('bake', 'The PNG already holds a baked credential.')
  }
  const added = credentialChunk(text)
  const kept = chunks.filter((c) => !existing.includes(c))
  const size =
    PNG_SIGNATURE.length + added.byteLength + kept.reduce((n, c) => n + c.end - c.start, 0)
  const out = new Uint8Array(size)
  out.set(PNG_SIGNATURE, 0)
  let offset = PNG_SIGNATURE.length
  for (const [i, chunk] of kept.entries()) {
    out.set(png.subarray(chunk.start, chunk.end), offset)
    offset += chunk.end - chunk.start
    if (i === 0) {
      out.set(added, offset)
      offset += added.byteLength
    }
  }
  return out
}
