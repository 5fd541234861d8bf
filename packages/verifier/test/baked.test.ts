/**
 * A baked badge is a container: the verifier unbakes it and verifies the credential inside
 * exactly as if it were the JSON file (docs/design.md §10; Open Badges 3.0 §5.3, summarised in
 * docs/ob-v3p0-data-model.md, "Baking").
 */
import { crc32 as zlibCrc32, deflateSync } from 'node:zlib'
import { PNG_SIGNATURE, bakePng, bakeSvg } from '@certify-vc/core'
import { verifyCredential, verifyPresentation } from '@certify-vc/verifier'
import { beforeAll, describe, expect, it } from 'vitest'
import { NOW, codes, makeIssuer, signedCredential, type TestIssuer } from './helpers.js'

const utf8 = new TextEncoder()

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.byteLength)
  out.set(utf8.encode(type), 4)
  out.set(data, 8)
  view.setUint32(8 + data.byteLength, zlibCrc32(out.subarray(4, 8 + data.byteLength)))
  return out
}

/** A 1×1 grey PNG. */
function tinyPng(): Uint8Array {
  const ihdr = new Uint8Array(13)
  new DataView(ihdr.buffer).setUint32(0, 1)
  new DataView(ihdr.buffer).setUint32(4, 1)
  ihdr.set([8, 0, 0, 0, 0], 8)
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Uint8Array.from([0, 128]))),
    chunk('IEND', new Uint8Array()),
  ])
}

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'

let issuer: TestIssuer
let credential: Record<string, unknown>
let json: string
const opts = () => ({ trustedIssuers: [issuer.did], now: NOW, status: false as const })

beforeAll(async () => {
  issuer = await makeIssuer(7)
  credential = await signedCredential(issuer, { program: 'CAAE' })
  json = `${JSON.stringify(credential, null, 2)}\n`
})

function inputCheck(result: Awaited<ReturnType<typeof verifyCredential>>) {
  return result.checks.find((c) => c.id === 'input')
}

describe('verifyCredential on a baked badge', () => {
  it('verifies the credential in a PNG exactly as the JSON file: the same result', async () => {
    const fromJson = await verifyCredential(utf8.encode(json), opts())
    const fromPng = await verifyCredential(bakePng(tinyPng(), json), opts())
    expect(fromJson.verified).toBe(true)
    expect(fromPng).toEqual(fromJson)
  })

  it('verifies the credential in an SVG, given as text or as bytes: the same result', async () => {
    const fromJson = await verifyCredential(json, opts())
    const svg = bakeSvg(SVG, json)
    expect(await verifyCredential(svg, opts())).toEqual(fromJson)
    expect(await verifyCredential(utf8.encode(svg), opts())).toEqual(fromJson)
  })

  it('a credential altered inside the image fails its proof (ERR_PROOF_INVALID)', async () => {
    const altered = json.replace('"Ada Lovelace"', '"Mallory Mallet"')
    expect(altered).not.toBe(json)
    for (const image of [bakePng(tinyPng(), altered), bakeSvg(SVG, altered)]) {
      const result = await verifyCredential(image, opts())
      expect(result.verified).toBe(false)
      expect(result.checks.find((c) => c.id === 'proof')).toMatchObject({
        outcome: 'failed',
        problems: [expect.objectContaining({ code: 'ERR_PROOF_INVALID' })],
      })
    }
  })

  it('an image without a credential is ERR_INPUT_BAKED_NOT_FOUND', async () => {
    for (const image of [tinyPng(), SVG, utf8.encode(SVG)]) {
      const result = await verifyCredential(image, opts())
      expect(result.verified).toBe(false)
      expect(inputCheck(result)).toMatchObject({
        outcome: 'failed',
        problems: [{ code: 'ERR_INPUT_BAKED_NOT_FOUND', path: '' }],
      })
    }
  })

  it('a broken image is ERR_INPUT_BAKED_INVALID: bad CRC, two credential chunks, a DOCTYPE', async () => {
    const baked = bakePng(tinyPng(), json)
    const flipped = baked.slice()
    flipped[80] = flipped[80]! ^ 1
    const twice = Buffer.concat([
      baked.subarray(0, 33),
      bakePng(tinyPng(), json).subarray(33, baked.byteLength - 12),
      baked.subarray(33),
    ])
    const doctype = `<!DOCTYPE svg [<!ENTITY x "y">]>${bakeSvg(SVG, json)}`
    for (const image of [flipped, twice, doctype]) {
      const result = await verifyCredential(image, opts())
      expect(codes(result)).toEqual(['ERR_INPUT_BAKED_INVALID'])
      expect(inputCheck(result)?.outcome).toBe('failed')
    }
  })

  it('the input limits apply to the credential inside as to JSON; the image has its own cap', async () => {
    const png = bakePng(tinyPng(), json)
    const small = await verifyCredential(png, { ...opts(), limits: { maxBytes: 1000 } })
    expect(codes(small)).toEqual(['ERR_INPUT_TOO_LARGE'])
    const duplicate = json.replace('{\n', '{\n  "name": "first",\n')
    const dup = await verifyCredential(bakePng(tinyPng(), duplicate), opts())
    expect(codes(dup)).toEqual(['ERR_INPUT_DUPLICATE_KEY'])
    const capped = await verifyCredential(png, { ...opts(), limits: { maxImageBytes: 200 } })
    expect(codes(capped)).toEqual(['ERR_INPUT_TOO_LARGE'])
    await expect(
      verifyCredential(png, { ...opts(), limits: { maxImageBytes: 0 } }),
    ).rejects.toThrow(TypeError)
  })

  it('presentations are JSON only: a baked image given as a presentation fails at input', async () => {
    const result = await verifyPresentation(bakePng(tinyPng(), json), {
      trustedIssuers: [issuer.did],
      now: NOW,
      challenge: 'c',
      domain: 'd',
    })
    expect(result.verified).toBe(false)
    expect(result.checks.find((c) => c.id === 'input')?.outcome).toBe('failed')
  })
})
