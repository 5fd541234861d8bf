/**
 * QR hand-off: a presentation compressed with CBOR-LD and put in one QR code by
 * `@digitalbazaar/vpqr` (`VP1-` + base45), rendered as SVG, PNG or terminal text, and read back.
 *
 * CBOR-LD compresses terms through the JSON-LD contexts, so encoder and decoder need the same
 * contexts: both use the offline loader of `@certify-vc/context` (no network). Our contexts are
 * not in the CBOR-LD registry, so `registryEntryId` is 1 (the registry's default entry: an empty
 * type table; context URLs travel as text, terms and typed values are compressed).
 *
 * One workaround: `@digitalbazaar/cborld` 8.1.0 cannot process a scoped context reset
 * (`"@context": null`), and the VC 2.0 context has one on `VerifiablePresentation`'s
 * `verifiableCredential`; encoding any VC 2.0 presentation fails with "Cannot read properties of
 * null (reading '@import')". The loader given to CBOR-LD therefore serves the VC 2.0 context
 * without that reset (nothing else changes). The encoder and the decoder here use the same
 * loader, and the tests prove the round trip gives the presentation back unchanged and still
 * verifiable; a third-party vpqr decoder with the unmodified context fails on the same bug.
 *
 * @module
 */
import { deflateSync } from 'node:zlib'
import {
  CONTEXT_URLS,
  CertifyError,
  createDocumentLoader,
  isPlainObject,
  type DocumentLoader,
  type JsonObject,
} from '@certify-vc/context'
import * as nuintun from '@nuintun/qrcode'
import { fromQrCode, toQrCode } from '@digitalbazaar/vpqr'

/**
 * The part of `@nuintun/qrcode` used here. Its own declarations use extensionless relative
 * imports, which NodeNext resolution cannot follow, so they are restated.
 */
interface QrEncoder {
  setEncodingHint(hint: boolean): QrEncoder
  setErrorCorrectionLevel(level: number): QrEncoder
  setVersion(version: number): QrEncoder
  write(data: object): QrEncoder
  make(): QrEncoder
  getVersion(): number
  getMatrix(): boolean[][]
}
interface QrcodeModule {
  Encoder: new () => QrEncoder
  Decoder: new () => {
    decode(data: Uint8ClampedArray, width: number, height: number): { data: string } | null
  }
  QRAlphanumeric: new (text: string) => object
  ErrorCorrectionLevel: { L: number }
}
const { Decoder, Encoder, ErrorCorrectionLevel, QRAlphanumeric } =
  nuintun as unknown as QrcodeModule

/** Most alphanumeric characters a QR code holds (version 40, error correction L). */
export const MAX_QR_ALPHANUMERIC = 4296

/** A presentation as a QR code. */
export interface PresentationQr {
  /** The text the QR code carries: `VP1-R` + base45 of the CBOR-LD bytes. */
  readonly payload: string
  /** QR version (1..40). */
  readonly version: number
  /** Size of the CBOR-LD encoding, in bytes. */
  readonly cborldBytes: number
  /** The modules, `true` = dark, row by row (no quiet zone). */
  readonly matrix: readonly (readonly boolean[])[]
}

/** Options of the image renderers. */
export interface QrImageOptions {
  /** Pixels per module. Default 4. */
  readonly moduleSize?: number
  /** Quiet zone, in modules. Default 4 (the QR standard's minimum). */
  readonly margin?: number
}

function withoutScopedNullContexts(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutScopedNullContexts(item, depth + 1))
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    // Keep a top-level "@context" of the document; drop only nested `"@context": null` resets.
    if (key === '@context' && item === null && depth > 1) continue
    out[key] = withoutScopedNullContexts(item, depth + 1)
  }
  return out
}

let cborldLoader: DocumentLoader | undefined

/** The offline loader, with the VC 2.0 context adjusted for CBOR-LD (see the module notes). */
export function cborldDocumentLoader(): DocumentLoader {
  if (cborldLoader !== undefined) return cborldLoader
  const base = createDocumentLoader()
  let vc2: unknown
  cborldLoader = async (url: string) => {
    const remote = await base(url)
    if (url !== CONTEXT_URLS.credentialsV2) return remote
    vc2 ??= withoutScopedNullContexts(remote.document)
    return { ...remote, document: vc2 }
  }
  return cborldLoader
}

function matrixOf(payload: string): { version: number; matrix: boolean[][] } {
  const encoder = new Encoder()
  encoder.setEncodingHint(true)
  encoder.setErrorCorrectionLevel(ErrorCorrectionLevel.L)
  encoder.setVersion(0)
  encoder.write(new QRAlphanumeric(payload))
  encoder.make()
  return {
    version: encoder.getVersion(),
    matrix: encoder.getMatrix().map((row) => [...row]),
  }
}

/**
 * Encodes a presentation (or any JSON-LD document with our contexts) as a QR code.
 *
 * @throws {CertifyError} `ERR_WALLET_QR_TOO_LARGE` when it does not fit in one QR code.
 */
export async function presentationToQr(presentation: JsonObject): Promise<PresentationQr> {
  if (!isPlainObject(presentation)) throw new TypeError('"presentation" must be an object.')
  const { payload, rawCborldBytes } = await toQrCode({
    vp: presentation,
    documentLoader: cborldDocumentLoader(),
    registryEntryId: 1,
    // vpqr also renders a GIF; a tiny one is enough, we draw our own images from the matrix.
    moduleSize: 1,
    margin: 0,
    qrVersion: 0,
    qrErrorCorrectionLevel: 'L',
  }).catch((error: unknown) => {
    if (error instanceof Error && /data too big|overflow|version/i.test(error.message)) {
      throw new CertifyError(
        'ERR_WALLET_QR_TOO_LARGE',
        'The presentation does not fit in one QR code: include fewer credentials.',
        { cause: error },
      )
    }
    throw error
  })
  if (payload.length > MAX_QR_ALPHANUMERIC) {
    throw new CertifyError(
      'ERR_WALLET_QR_TOO_LARGE',
      `The QR text would be ${payload.length} characters (at most ${MAX_QR_ALPHANUMERIC}).`,
    )
  }
  const { version, matrix } = matrixOf(payload)
  return { payload, version, cborldBytes: rawCborldBytes.length, matrix }
}

/**
 * Decodes the text of a presentation QR code (`VP1-…`) back to the presentation.
 *
 * @throws {CertifyError} `ERR_WALLET_QR_INVALID` for text that is not such a payload.
 */
export async function presentationFromQr(text: string): Promise<JsonObject> {
  if (typeof text !== 'string') throw new TypeError('"text" must be a string.')
  const trimmed = text.trim()
  if (!trimmed.startsWith('VP1-') || trimmed.length > MAX_QR_ALPHANUMERIC) {
    throw new CertifyError('ERR_WALLET_QR_INVALID', 'Not a presentation QR payload ("VP1-…").')
  }
  try {
    const { vp } = await fromQrCode({ text: trimmed, documentLoader: cborldDocumentLoader() })
    if (!isPlainObject(vp)) throw new Error('not an object')
    return vp as JsonObject
  } catch (error) {
    throw new CertifyError('ERR_WALLET_QR_INVALID', 'The QR payload does not decode.', {
      cause: error,
    })
  }
}

function imageOptions(options: QrImageOptions): { moduleSize: number; margin: number } {
  const moduleSize = options.moduleSize ?? 4
  const margin = options.margin ?? 4
  if (!Number.isInteger(moduleSize) || moduleSize < 1 || moduleSize > 64) {
    throw new TypeError('"moduleSize" must be an integer from 1 to 64.')
  }
  if (!Number.isInteger(margin) || margin < 0 || margin > 64) {
    throw new TypeError('"margin" must be an integer from 0 to 64.')
  }
  return { moduleSize, margin }
}

/** The QR code as an SVG document (one path, black on white). */
export function qrToSvg(qr: Pick<PresentationQr, 'matrix'>, options: QrImageOptions = {}): string {
  const { moduleSize, margin } = imageOptions(options)
  const count = qr.matrix.length
  const size = (count + 2 * margin) * moduleSize
  let path = ''
  qr.matrix.forEach((row, y) => {
    // One rectangle per horizontal run of dark modules.
    for (let x = 0; x < row.length; x++) {
      if (row[x] !== true) continue
      let run = 1
      while (row[x + run] === true) run++
      path += `M${x + margin} ${y + margin}h${run}v1h-${run}z`
      x += run - 1
    }
  })
  const units = count + 2 * margin
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" ` +
    `viewBox="0 0 ${units} ${units}" shape-rendering="crispEdges">` +
    `<rect width="${units}" height="${units}" fill="#fff"/>` +
    `<path d="${path}" fill="#000"/></svg>\n`
  )
}

/** The QR code as RGBA pixels (what a camera decoder reads). */
export function qrToRgba(
  qr: Pick<PresentationQr, 'matrix'>,
  options: QrImageOptions = {},
): { data: Uint8ClampedArray; width: number; height: number } {
  const { moduleSize, margin } = imageOptions(options)
  const count = qr.matrix.length
  const width = (count + 2 * margin) * moduleSize
  const data = new Uint8ClampedArray(width * width * 4).fill(255)
  for (let y = 0; y < width; y++) {
    const row = qr.matrix[Math.floor(y / moduleSize) - margin]
    for (let x = 0; x < width; x++) {
      if (row?.[Math.floor(x / moduleSize) - margin] === true) {
        const at = (y * width + x) * 4
        data[at] = data[at + 1] = data[at + 2] = 0
      }
    }
  }
  return { data, width, height: width }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function pngChunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0)
  return Buffer.concat([head, body, crc])
}

/** The QR code as a PNG file (8-bit greyscale). */
export function qrToPng(qr: Pick<PresentationQr, 'matrix'>, options: QrImageOptions = {}): Buffer {
  const { data, width, height } = qrToRgba(qr, options)
  const raw = Buffer.alloc((width + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0 // filter: none
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = data[(y * width + x) * 4] ?? 255
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 0 // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', new Uint8Array()),
  ])
}

/**
 * The QR code as terminal text: two modules per character with half blocks, dark modules
 * drawn as spaces on a light background (scans on dark and light terminals), 4-module margin.
 */
export function qrToTerminal(qr: Pick<PresentationQr, 'matrix'>): string {
  const margin = 4
  const count = qr.matrix.length
  const dark = (x: number, y: number) => qr.matrix[y - margin]?.[x - margin] === true
  const lines: string[] = []
  for (let y = 0; y < count + 2 * margin; y += 2) {
    let line = ''
    for (let x = 0; x < count + 2 * margin; x++) {
      const top = dark(x, y)
      const bottom = dark(x, y + 1)
      line += top ? (bottom ? ' ' : '▄') : bottom ? '▀' : '█'
    }
    lines.push(line)
  }
  return `${lines.join('\n')}\n`
}

/** Reads a QR code from RGBA pixels (a rendered or photographed code); the text, or `undefined`. */
export function readQrPixels(image: {
  data: Uint8ClampedArray
  width: number
  height: number
}): string | undefined {
  const result = new Decoder().decode(image.data, image.width, image.height)
  return result?.data
}
