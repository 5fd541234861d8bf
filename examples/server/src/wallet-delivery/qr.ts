/**
 * QR codes of offer links for the claim page: byte mode, error correction M, drawn as one SVG
 * path (black on white, a 4-module quiet zone) and served as a `data:` image, which the pages'
 * CSP allows (`img-src 'self' data:`) and which needs no script or inline style.
 *
 * @module
 */
import * as nuintun from '@nuintun/qrcode'

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
  getMatrix(): boolean[][]
}
interface QrcodeModule {
  Encoder: new () => QrEncoder
  QRByte: new (text: string) => object
  ErrorCorrectionLevel: { M: number }
}
const { Encoder, ErrorCorrectionLevel, QRByte } = nuintun as unknown as QrcodeModule

/** Pixels per module and quiet zone of the page's QR codes. */
const MODULE = 4
const MARGIN = 4

/** The QR matrix of `text` (rows of modules, `true` = dark), the smallest version that fits. */
export function qrMatrix(text: string): boolean[][] {
  const encoder = new Encoder()
  encoder.setEncodingHint(true)
  encoder.setErrorCorrectionLevel(ErrorCorrectionLevel.M)
  encoder.setVersion(0)
  encoder.write(new QRByte(text))
  encoder.make()
  return encoder.getMatrix().map((row) => [...row])
}

/** The QR code of `text` as an SVG document. */
export function qrSvg(text: string): string {
  const matrix = qrMatrix(text)
  const units = matrix.length + 2 * MARGIN
  let path = ''
  matrix.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) {
      if (row[x] !== true) continue
      let run = 1
      while (row[x + run] === true) run++
      path += `M${x + MARGIN} ${y + MARGIN}h${run}v1h-${run}z`
      x += run - 1
    }
  })
  const size = units * MODULE
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" ` +
    `viewBox="0 0 ${units} ${units}" shape-rendering="crispEdges">` +
    `<rect width="${units}" height="${units}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`
  )
}

/** The QR code of `text` as a `data:image/svg+xml;base64,…` URL, and its size in pixels. */
export function qrDataUrl(text: string): { url: string; size: number } {
  const svg = qrSvg(text)
  const size = Number(/width="(\d+)"/.exec(svg)?.[1] ?? 0)
  return { url: `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`, size }
}
