/**
 * QR hand-off: CBOR-LD through @digitalbazaar/vpqr with our offline contexts, rendered to pixels
 * and read back by a QR decoder, then decoded to the same document.
 */
import { isDeepStrictEqual } from 'node:util'
import { inflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTEXT_URLS, type JsonObject } from '@certify-vc/context'
import {
  presentationFromQr,
  presentationToQr,
  qrToPng,
  qrToRgba,
  qrToSvg,
  qrToTerminal,
  readQrPixels,
} from '../src/index.js'
import { removeDir, startInstitute, tempDir, type TestInstitute } from './helpers.js'

const HOLDER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
let dir: string
let institute: TestInstitute

beforeAll(async () => {
  dir = await tempDir()
  institute = await startInstitute(dir)
})
afterAll(async () => {
  await institute.close()
  await removeDir(dir)
})

function envelope(format: 'vc2' | 'vc1.1', credentials: unknown[]): JsonObject {
  return {
    '@context': [format === 'vc2' ? CONTEXT_URLS.credentialsV2 : CONTEXT_URLS.credentialsV1],
    type: ['VerifiablePresentation'],
    holder: HOLDER,
    verifiableCredential: credentials as JsonObject[],
  }
}

describe('presentation QR codes', () => {
  for (const format of ['vc2', 'vc1.1'] as const) {
    for (const program of ['AIDA', 'CAAE', 'AIMA'] as const) {
      it(`${program} ${format}: payload round-trips to the same presentation`, async () => {
        const vc = await institute.issue(program, { did: HOLDER }, { format })
        const vp = envelope(format, [vc])
        const qr = await presentationToQr(vp)
        expect(qr.payload.startsWith('VP1-R')).toBe(true)
        expect(qr.version).toBeGreaterThanOrEqual(1)
        expect(qr.version).toBeLessThanOrEqual(40)
        expect(qr.matrix.length).toBe(17 + 4 * qr.version)
        const back = await presentationFromQr(qr.payload)
        expect(isDeepStrictEqual(back, vp)).toBe(true)
      })
    }
  }

  it('the rendered image reads back (QR decoder on the pixels) to the same payload', async () => {
    const vc = await institute.issue('CAAE', { did: HOLDER })
    const vp = envelope('vc2', [vc])
    const qr = await presentationToQr(vp)
    const text = readQrPixels(qrToRgba(qr, { moduleSize: 3 }))
    expect(text).toBe(qr.payload)
    expect(await presentationFromQr(text ?? '')).toEqual(vp)
  })

  it('renders PNG, SVG and terminal text of the same modules', async () => {
    const vc = await institute.issue('AIMA', { did: HOLDER })
    const qr = await presentationToQr(envelope('vc2', [vc]))
    const count = qr.matrix.length
    const png = qrToPng(qr, { moduleSize: 2, margin: 4 })
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    const width = png.readUInt32BE(16)
    expect(width).toBe((count + 8) * 2)
    // IDAT holds one filter byte and `width` grey pixels per row; dark modules are 0.
    const idatLength = png.readUInt32BE(33)
    expect(png.toString('latin1', 37, 41)).toBe('IDAT')
    const raw = inflateSync(png.subarray(41, 41 + idatLength))
    expect(raw.length).toBe((width + 1) * width)
    const pixel = (x: number, y: number) => raw[y * (width + 1) + 1 + x]
    expect(pixel(8, 8)).toBe(qr.matrix[0]?.[0] === true ? 0 : 255)
    expect(pixel(0, 0)).toBe(255)

    const svg = qrToSvg(qr)
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    const darkModules = qr.matrix.flat().filter(Boolean).length
    const runs = [...svg.matchAll(/h(\d+)v1h-\1z/g)].map((m) => Number(m[1]))
    expect(runs.reduce((a, b) => a + b, 0)).toBe(darkModules)

    const lines = qrToTerminal(qr).trimEnd().split('\n')
    expect(lines.length).toBe(Math.ceil((count + 8) / 2))
    expect(lines.every((line) => [...line].length === count + 8)).toBe(true)
  })

  it('a presentation too large for one QR code is ERR_WALLET_QR_TOO_LARGE', async () => {
    const credentials = await Promise.all(
      (['AIDA', 'CAAE', 'AIMA'] as const).map((p) => institute.issue(p, { did: HOLDER })),
    )
    await expect(presentationToQr(envelope('vc2', credentials))).rejects.toMatchObject({
      code: 'ERR_WALLET_QR_TOO_LARGE',
    })
  })

  it('text that is not a presentation payload is ERR_WALLET_QR_INVALID', async () => {
    for (const text of ['hello', 'VP1-R', 'VP1-RZZZZ', 'VC1-R6BFWA']) {
      await expect(presentationFromQr(text)).rejects.toMatchObject({
        code: 'ERR_WALLET_QR_INVALID',
      })
    }
  })
})
