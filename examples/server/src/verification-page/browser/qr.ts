// The package tsconfig does not include the repository's ambient Digital Bazaar declarations
// (examples/wallet does); this file alone needs them, for @digitalbazaar/vpqr.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../../../types/digitalbazaar.d.ts" />
/**
 * QR read-back in the browser: a wallet QR code (`certify-vc wallet qr`, a PNG) or its text
 * (`VP1-…`) becomes the presentation again, with no request to any server. The image is decoded
 * to pixels (`createImageBitmap` + a canvas) and read by `@nuintun/qrcode` (the wallet's tests use
 * the same decoder); the text is decoded by `@digitalbazaar/vpqr` (base45, then CBOR-LD) with our
 * offline document loader.
 *
 * CBOR-LD needs the same contexts as the encoder, including the wallet's one workaround:
 * `@digitalbazaar/cborld` 8.1.0 cannot process the scoped `"@context": null` on the VC 2.0
 * context's `verifiableCredential`, so the loader given to CBOR-LD serves that context without
 * it (exactly as `examples/wallet/src/qr.ts`; see examples/wallet/README.md). The decoded
 * presentation is then verified as JSON with the unmodified pinned contexts.
 *
 * @module
 */
import {
  CONTEXT_URLS,
  createDocumentLoader,
  isPlainObject,
  type DocumentLoader,
} from '@certify-vc/context'
import * as nuintun from '@nuintun/qrcode'
import { fromQrCode } from '@digitalbazaar/vpqr'

/** Most alphanumeric characters one QR code holds (version 40, level L). */
export const MAX_QR_TEXT = 4296
/** Largest image side read, in pixels (a wallet PNG of a version-40 code is ~ 750 px). */
const MAX_IMAGE_SIDE = 4096

interface QrDecoderModule {
  Decoder: new () => {
    decode(data: Uint8ClampedArray, width: number, height: number): { data: string } | null
  }
}
const { Decoder } = nuintun as unknown as QrDecoderModule

function withoutScopedNullContexts(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutScopedNullContexts(item, depth + 1))
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (key === '@context' && item === null && depth > 1) continue
    out[key] = withoutScopedNullContexts(item, depth + 1)
  }
  return out
}

let loader: DocumentLoader | undefined

function cborldLoader(): DocumentLoader {
  if (loader !== undefined) return loader
  const base = createDocumentLoader()
  let vc2: unknown
  loader = async (url: string) => {
    const remote = await base(url)
    if (url !== CONTEXT_URLS.credentialsV2) return remote
    vc2 ??= withoutScopedNullContexts(remote.document)
    return { ...remote, document: vc2 }
  }
  return loader
}

/** True when `text` looks like a presentation QR payload. */
export function isQrText(text: string): boolean {
  return /^VP1-[0-9A-Z $%*+\-./:]+$/.test(text.trim())
}

/**
 * Decodes a `VP1-…` payload to the presentation (JSON text).
 *
 * @throws {Error} with a plain message when the text is not such a payload or does not decode.
 */
export async function presentationFromQrText(text: string): Promise<string> {
  const trimmed = text.trim()
  if (!isQrText(trimmed) || trimmed.length > MAX_QR_TEXT) {
    throw new Error('This is not the text of a presentation QR code ("VP1-…").')
  }
  let vp: unknown
  try {
    ;({ vp } = await fromQrCode({ text: trimmed, documentLoader: cborldLoader() }))
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    throw new Error(`The QR code does not decode to a presentation (${why.slice(0, 200)}).`)
  }
  if (!isPlainObject(vp)) throw new Error('The QR code does not hold a presentation.')
  return JSON.stringify(vp)
}

/** True when `bytes` start like a PNG, JPEG, GIF or WebP image. */
export function isImage(bytes: Uint8Array): boolean {
  const b = (i: number): number => bytes[i] ?? -1
  return (
    (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) || // PNG
    (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) || // JPEG
    (b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46) || // GIF
    (b(0) === 0x52 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x46 && b(8) === 0x57) // WebP
  )
}

/** The text of the QR code in RGBA pixels, or `undefined` when none can be read. */
export function decodeQrPixels(
  data: Uint8ClampedArray,
  width: number,
  height: number,
): string | undefined {
  const result = new Decoder().decode(data, width, height)
  return result === null || typeof result.data !== 'string' || result.data === ''
    ? undefined
    : result.data
}

/**
 * Reads the QR code in an image: the text it carries.
 *
 * @throws {Error} when the image does not decode or holds no readable QR code.
 */
export async function readQrImage(bytes: Uint8Array): Promise<string> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]))
  } catch {
    throw new Error('The image could not be read.')
  }
  try {
    if (bitmap.width > MAX_IMAGE_SIDE || bitmap.height > MAX_IMAGE_SIDE) {
      throw new Error(`The image is larger than ${MAX_IMAGE_SIDE} pixels on a side.`)
    }
    const canvas = document.createElement('canvas')
    canvas.width = bitmap.width
    canvas.height = bitmap.height
    const context = canvas.getContext('2d', { willReadFrequently: true })
    if (context === null) throw new Error('This browser cannot read images.')
    // White behind transparent pixels, so a transparent PNG reads as dark on light.
    context.fillStyle = '#fff'
    context.fillRect(0, 0, canvas.width, canvas.height)
    context.drawImage(bitmap, 0, 0)
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height)
    const text = decodeQrPixels(data, width, height)
    if (text === undefined) throw new Error('No QR code could be read in the image.')
    return text
  } finally {
    bitmap.close()
  }
}
