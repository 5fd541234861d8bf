/**
 * Baked badges (Open Badges 3.0 §5.3; the rules with citations are in
 * docs/ob-v3p0-data-model.md, "Baking"): the PNG iTXt and SVG codecs, checked against an
 * independent chunk reader built on Node's zlib CRC-32, and against hostile images.
 */
import { crc32 as zlibCrc32, deflateSync } from 'node:zlib'
import {
  PNG_SIGNATURE,
  bakePng,
  bakeSvg,
  unbakeImage,
  unbakePng,
  unbakeSvg,
} from '@certify-vc/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { crc32 } from '../src/baking/crc32.js'

const utf8 = new TextEncoder()

/** One PNG chunk, its CRC computed by zlib (independent of the code under test). */
function chunk(type: string, data: Uint8Array, crc?: number): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.byteLength)
  out.set(utf8.encode(type), 4)
  out.set(data, 8)
  view.setUint32(8 + data.byteLength, crc ?? zlibCrc32(out.subarray(4, 8 + data.byteLength)))
  return out
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.byteLength
  }
  return out
}

/** A real 2×2 RGB PNG (zlib-deflated scanlines), optionally with extra chunks before IEND. */
function tinyPng(...extra: Uint8Array[]): Uint8Array {
  const ihdr = new Uint8Array(13)
  const view = new DataView(ihdr.buffer)
  view.setUint32(0, 2)
  view.setUint32(4, 2)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const scanlines = Uint8Array.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 9, 9, 9])
  return concat(
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(scanlines)),
    ...extra,
    chunk('IEND', new Uint8Array()),
  )
}

/** iTXt data: keyword, NUL, flag, method, language, NUL, translated keyword, NUL, text. */
function itxt(keyword: string, text: Uint8Array, flag = 0, method = 0): Uint8Array {
  return concat(utf8.encode(keyword), Uint8Array.from([0, flag, method, 0, 0]), text)
}

/** An independent reader: every chunk with its type and data, CRCs checked with zlib. */
function readChunks(png: Uint8Array): { type: string; data: Uint8Array }[] {
  expect([...png.subarray(0, 8)]).toEqual([...PNG_SIGNATURE])
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  const chunks = []
  let offset = 8
  while (offset < png.byteLength) {
    const length = view.getUint32(offset)
    const type = new TextDecoder().decode(png.subarray(offset + 4, offset + 8))
    const data = png.subarray(offset + 8, offset + 8 + length)
    expect(view.getUint32(offset + 8 + length)).toBe(
      zlibCrc32(png.subarray(offset + 4, offset + 8 + length)),
    )
    chunks.push({ type, data })
    offset += 12 + length
  }
  expect(offset).toBe(png.byteLength)
  return chunks
}

function codeOf(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return (error as { code?: unknown }).code ?? (error as Error).name
  }
  return 'did not throw'
}

const CREDENTIAL = JSON.stringify(
  {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Zoë 😀 — "quotes" & <tags> ]]> and more',
    proof: { type: 'DataIntegrityProof' },
  },
  null,
  2,
)
const JWS = 'eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6a2V5OnoifQ.c2lnbmF0dXJl'

describe('CRC-32', () => {
  it('equals zlib.crc32 for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        expect(crc32(bytes)).toBe(zlibCrc32(bytes))
      }),
    )
    expect(crc32(utf8.encode('IEND'))).toBe(0xae426082)
  })
})

describe('PNG baking (OB 3.0 §5.3.1)', () => {
  it('bakes one uncompressed iTXt chunk, keyword "openbadgecredential", right after IHDR; unbakes the exact text', () => {
    const png = tinyPng()
    const baked = bakePng(png, CREDENTIAL)
    const chunks = readChunks(baked)
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'iTXt', 'IDAT', 'IEND'])
    const data = chunks[1]!.data
    expect(new TextDecoder().decode(data.subarray(0, 20))).toBe('openbadgecredential\u0000')
    // Compression flag 0, method 0, empty language tag and translated keyword.
    expect([...data.subarray(20, 24)]).toEqual([0, 0, 0, 0])
    expect(new TextDecoder().decode(data.subarray(24))).toBe(CREDENTIAL)
    expect(unbakePng(baked)).toBe(CREDENTIAL)
    // The image's own chunks are copied byte for byte.
    const original = readChunks(png)
    expect(chunks.filter((c) => c.type !== 'iTXt')).toEqual(original)
  })

  it('round-trips any JSON object text and a compact JWS byte for byte', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (object) => {
        const text = JSON.stringify(object)
        expect(unbakePng(bakePng(tinyPng(), text))).toBe(text)
      }),
      { numRuns: 50 },
    )
    expect(unbakePng(bakePng(tinyPng(), JWS))).toBe(JWS)
    const object = { name: 'Ada', proof: { type: 'DataIntegrityProof' } }
    expect(unbakePng(bakePng(tinyPng(), object))).toBe(JSON.stringify(object))
  })

  it('returns undefined for a PNG without a credential, or with another keyword (exact, lower case)', () => {
    expect(unbakePng(tinyPng())).toBeUndefined()
    const other = chunk('iTXt', itxt('OpenBadgeCredential', utf8.encode(CREDENTIAL)))
    expect(unbakePng(tinyPng(other))).toBeUndefined()
    const ob2 = chunk('iTXt', itxt('openbadges', utf8.encode('{}')))
    expect(unbakePng(tinyPng(ob2))).toBeUndefined()
  })

  it('reads a credential chunk wherever it is between IHDR and IEND', () => {
    const late = chunk('iTXt', itxt('openbadgecredential', utf8.encode(CREDENTIAL)))
    expect(unbakePng(tinyPng(late))).toBe(CREDENTIAL)
  })

  it('refuses a compressed iTXt chunk ("Compression MUST NOT be used")', () => {
    const compressed = chunk(
      'iTXt',
      itxt('openbadgecredential', deflateSync(utf8.encode(CREDENTIAL)), 1, 0),
    )
    expect(codeOf(() => unbakePng(tinyPng(compressed)))).toBe('ERR_INPUT_BAKED_INVALID')
    const oddMethod = chunk('iTXt', itxt('openbadgecredential', utf8.encode(CREDENTIAL), 0, 1))
    expect(codeOf(() => unbakePng(tinyPng(oddMethod)))).toBe('ERR_INPUT_BAKED_INVALID')
    const ztxt = chunk(
      'zTXt',
      concat(
        utf8.encode('openbadgecredential'),
        Uint8Array.from([0, 0]),
        deflateSync(utf8.encode(CREDENTIAL)),
      ),
    )
    expect(codeOf(() => unbakePng(tinyPng(ztxt)))).toBe('ERR_INPUT_BAKED_INVALID')
  })

  it('refuses two credential chunks ("MUST NOT appear in a PNG more than once")', () => {
    const one = chunk('iTXt', itxt('openbadgecredential', utf8.encode(CREDENTIAL)))
    const two = chunk('iTXt', itxt('openbadgecredential', utf8.encode('{"other":true}')))
    expect(codeOf(() => unbakePng(tinyPng(one, two)))).toBe('ERR_INPUT_BAKED_INVALID')
    expect(codeOf(() => unbakePng(tinyPng(one, one)))).toBe('ERR_INPUT_BAKED_INVALID')
  })

  it('refuses a chunk that claims more bytes than the file has, and caps image and text sizes', () => {
    const png = tinyPng()
    const huge = concat(
      png.subarray(0, 33),
      Uint8Array.from([0x7f, 0xff, 0xff, 0xff]),
      utf8.encode('iTXt'),
      utf8.encode('openbadgecredential'),
    )
    expect(codeOf(() => unbakePng(huge))).toBe('ERR_INPUT_BAKED_INVALID')
    const big = chunk(
      'iTXt',
      itxt('openbadgecredential', utf8.encode(`{"a":"${'x'.repeat(5000)}"}`)),
    )
    expect(codeOf(() => unbakePng(tinyPng(big), { maxCredentialBytes: 4096 }))).toBe(
      'ERR_INPUT_TOO_LARGE',
    )
    expect(codeOf(() => unbakePng(tinyPng(big), { maxImageBytes: 1000 }))).toBe(
      'ERR_INPUT_TOO_LARGE',
    )
  })

  it('refuses a malformed PNG: bad CRC, truncation, data after IEND, no IHDR first, bad UTF-8', () => {
    const baked = bakePng(tinyPng(), CREDENTIAL)
    const flipped = baked.slice()
    flipped[60] = flipped[60]! ^ 0x20 // inside the iTXt text: the CRC no longer matches
    expect(codeOf(() => unbakePng(flipped))).toBe('ERR_INPUT_BAKED_INVALID')
    expect(codeOf(() => unbakePng(baked.subarray(0, baked.byteLength - 5)))).toBe(
      'ERR_INPUT_BAKED_INVALID',
    )
    expect(codeOf(() => unbakePng(concat(baked, Uint8Array.from([0]))))).toBe(
      'ERR_INPUT_BAKED_INVALID',
    )
    const noIhdr = concat(PNG_SIGNATURE, chunk('IEND', new Uint8Array()))
    expect(codeOf(() => unbakePng(noIhdr))).toBe('ERR_INPUT_BAKED_INVALID')
    const badUtf8 = chunk('iTXt', itxt('openbadgecredential', Uint8Array.from([0x7b, 0xff, 0x7d])))
    expect(codeOf(() => unbakePng(tinyPng(badUtf8)))).toBe('ERR_INPUT_BAKED_INVALID')
    expect(codeOf(() => unbakePng(utf8.encode('not a png')))).toBe('ERR_INPUT_BAKED_INVALID')
  })

  it('bakes only into a well-formed PNG, once (or replacing with replace: true), and only a credential', () => {
    const baked = bakePng(tinyPng(), CREDENTIAL)
    expect(codeOf(() => bakePng(baked, CREDENTIAL))).toBe('ERR_BAKE_IMAGE_INVALID')
    const again = bakePng(baked, '{"second":true}', { replace: true })
    expect(readChunks(again).filter((c) => c.type === 'iTXt')).toHaveLength(1)
    expect(unbakePng(again)).toBe('{"second":true}')
    expect(codeOf(() => bakePng(utf8.encode('GIF89a'), CREDENTIAL))).toBe('ERR_BAKE_IMAGE_INVALID')
    expect(codeOf(() => bakePng(tinyPng(), 'not json'))).toBe('ERR_BAKE_CREDENTIAL_INVALID')
    expect(codeOf(() => bakePng(tinyPng(), '[1,2]'))).toBe('ERR_BAKE_CREDENTIAL_INVALID')
    expect(codeOf(() => bakePng(tinyPng(), '{"a":"\ud800"}'))).toBe('ERR_BAKE_CREDENTIAL_INVALID')
    expect(codeOf(() => bakePng('png' as unknown as Uint8Array, CREDENTIAL))).toBe('TypeError')
  })
})

const SVG = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment with <openbadges:credential> in it does not count -->
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img"><title>Badge &amp; co</title><rect width="10" height="10"/></svg>
`

describe('SVG baking (OB 3.0 §5.3.2)', () => {
  it('declares the namespace on <svg>, puts one element directly after the start tag, and unbakes the exact text', () => {
    const baked = bakeSvg(SVG, CREDENTIAL)
    expect(baked).toContain(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA[',
    )
    expect(baked.split('-->')[1]!.match(/<openbadges:credential>/g)).toHaveLength(1)
    expect(
      baked.endsWith(
        '</openbadges:credential><title>Badge &amp; co</title><rect width="10" height="10"/></svg>\n',
      ),
    ).toBe(true)
    expect(unbakeSvg(baked)).toBe(CREDENTIAL)
  })

  it('splits CDATA around "]]>" so that any credential bakes and reads back', () => {
    const text = '{"a":"]]>","b":"]]]]>>","c":"<![CDATA[x]]>"}'
    const baked = bakeSvg(SVG, text)
    expect(baked).toContain(']]]]><![CDATA[>')
    expect(unbakeSvg(baked)).toBe(text)
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (object) => {
        const json = JSON.stringify(object)
        expect(unbakeSvg(bakeSvg(SVG, json))).toBe(json)
      }),
      { numRuns: 50 },
    )
  })

  it('bakes a compact JWS into the verify attribute of an empty element', () => {
    const baked = bakeSvg(SVG, JWS)
    expect(baked).toContain(`<openbadges:credential verify="${JWS}"></openbadges:credential>`)
    expect(unbakeSvg(baked)).toBe(JWS)
  })

  it('reads the element by namespace, whatever the prefix, and reads line ends as XML does', () => {
    const other = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="https://purl.imsglobal.org/ob/v3p0"><ob:credential>\n  <![CDATA[{"a":\r\n1}]]>\n</ob:credential></svg>`
    expect(unbakeSvg(other)).toBe('{"a":\n1}')
    expect(unbakeSvg(bakeSvg(SVG, '{\r\n"a": 1\r\n}'))).toBe('{\n"a": 1\n}')
  })

  it('bakes into a self-closing <svg/> and keeps an existing, correct namespace declaration', () => {
    const empty =
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"/>'
    const baked = bakeSvg(empty, CREDENTIAL)
    expect(baked.match(/xmlns:openbadges/g)).toHaveLength(1)
    expect(baked.endsWith('</openbadges:credential></svg>')).toBe(true)
    expect(unbakeSvg(baked)).toBe(CREDENTIAL)
  })

  it('returns undefined for an SVG without a credential', () => {
    expect(unbakeSvg(SVG)).toBeUndefined()
  })

  it('refuses a DOCTYPE, entity declarations and undefined entities (no entity expansion)', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>&lol2;</openbadges:credential></svg>`
    expect(codeOf(() => unbakeSvg(laughs))).toBe('ERR_INPUT_BAKED_INVALID')
    const external = `<!DOCTYPE svg SYSTEM "file:///etc/passwd"><svg/>`
    expect(codeOf(() => unbakeSvg(external))).toBe('ERR_INPUT_BAKED_INVALID')
    const inside = `<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><!ENTITY x "y"><openbadges:credential>{}</openbadges:credential></svg>`
    expect(codeOf(() => unbakeSvg(inside))).toBe('ERR_INPUT_BAKED_INVALID')
    const undefinedEntity = `<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="&xxe;"></openbadges:credential></svg>`
    expect(codeOf(() => unbakeSvg(undefinedEntity))).toBe('ERR_INPUT_BAKED_INVALID')
    expect(codeOf(() => bakeSvg(laughs, CREDENTIAL))).toBe('ERR_BAKE_IMAGE_INVALID')
  })

  it('refuses two credential elements, a wrong namespace, child elements, both or neither form', () => {
    const two = bakeSvg(SVG, CREDENTIAL).replace(
      '</svg>',
      '<g><openbadges:credential><![CDATA[{}]]></openbadges:credential></g></svg>',
    )
    expect(codeOf(() => unbakeSvg(two))).toBe('ERR_INPUT_BAKED_INVALID')
    const wrongNs = `<svg xmlns:openbadges="https://purl.imsglobal.org/spec/ob/v3p0"><openbadges:credential><![CDATA[{}]]></openbadges:credential></svg>`
    expect(codeOf(() => unbakeSvg(wrongNs))).toBe('ERR_INPUT_BAKED_INVALID')
    const undeclared = `<svg><openbadges:credential><![CDATA[{}]]></openbadges:credential></svg>`
    expect(codeOf(() => unbakeSvg(undeclared))).toBe('ERR_INPUT_BAKED_INVALID')
    const ns = 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"'
    const child = `<svg ${ns}><openbadges:credential><g/><![CDATA[{}]]></openbadges:credential></svg>`
    expect(codeOf(() => unbakeSvg(child))).toBe('ERR_INPUT_BAKED_INVALID')
    const both = `<svg ${ns}><openbadges:credential verify="${JWS}"><![CDATA[{}]]></openbadges:credential></svg>`
    expect(codeOf(() => unbakeSvg(both))).toBe('ERR_INPUT_BAKED_INVALID')
    const empty = `<svg ${ns}><openbadges:credential/></svg>`
    expect(codeOf(() => unbakeSvg(empty))).toBe('ERR_INPUT_BAKED_INVALID')
    const stray = `<svg ${ns}><openbadges:credential>x<![CDATA[{}]]></openbadges:credential></svg>`
    expect(codeOf(() => unbakeSvg(stray))).toBe('ERR_INPUT_BAKED_INVALID')
  })

  it('refuses what is not a well-formed SVG', () => {
    for (const text of [
      '<html></html>',
      '<svg><g></svg>',
      '<svg>',
      '<svg></svg><svg></svg>',
      '<svg a=1></svg>',
      '<svg a="1" a="2"></svg>',
      '<svg a="<"></svg>',
      '<svg>&amp</svg>',
      '<svg><![CDATA[x</svg>',
      '<svg><!-- x</svg>',
    ]) {
      expect(
        codeOf(() => unbakeSvg(text)),
        text,
      ).toBe('ERR_INPUT_BAKED_INVALID')
    }
  })

  it('caps the image and the credential sizes', () => {
    const baked = bakeSvg(SVG, CREDENTIAL)
    expect(codeOf(() => unbakeSvg(baked, { maxImageBytes: 100 }))).toBe('ERR_INPUT_TOO_LARGE')
    expect(codeOf(() => unbakeSvg(baked, { maxCredentialBytes: 50 }))).toBe('ERR_INPUT_TOO_LARGE')
    expect(codeOf(() => bakeSvg(SVG, CREDENTIAL, { maxCredentialBytes: 50 }))).toBe(
      'ERR_BAKE_CREDENTIAL_INVALID',
    )
  })

  it('bakes once (or replaces with replace: true), and refuses text XML cannot carry', () => {
    const baked = bakeSvg(SVG, CREDENTIAL)
    expect(codeOf(() => bakeSvg(baked, CREDENTIAL))).toBe('ERR_BAKE_IMAGE_INVALID')
    const again = bakeSvg(baked, '{"second":true}', { replace: true })
    expect(again.split('-->')[1]!.match(/<openbadges:credential>/g)).toHaveLength(1)
    expect(again.match(/xmlns:openbadges/g)).toHaveLength(1)
    expect(unbakeSvg(again)).toBe('{"second":true}')
    expect(codeOf(() => bakeSvg(SVG, '{"a":"\ufffe"}'))).toBe('ERR_BAKE_CREDENTIAL_INVALID')
  })
})

describe('unbakeImage', () => {
  it('recognises PNG bytes, SVG bytes and SVG text; leaves JSON alone', () => {
    const png = bakePng(tinyPng(), CREDENTIAL)
    expect(unbakeImage(png)).toEqual({ format: 'png', credential: CREDENTIAL })
    const svg = bakeSvg(SVG, CREDENTIAL)
    expect(unbakeImage(svg)).toEqual({ format: 'svg', credential: CREDENTIAL })
    expect(unbakeImage(utf8.encode(`\ufeff  ${svg}`))).toEqual({
      format: 'svg',
      credential: CREDENTIAL,
    })
    expect(unbakeImage(tinyPng())).toEqual({ format: 'png', credential: undefined })
    expect(unbakeImage(CREDENTIAL)).toBeUndefined()
    expect(unbakeImage(utf8.encode(CREDENTIAL))).toBeUndefined()
    expect(unbakeImage({ a: 1 })).toBeUndefined()
    expect(codeOf(() => unbakeImage(Uint8Array.from([0x3c, 0xff, 0xfe])))).toBe(
      'ERR_INPUT_BAKED_INVALID',
    )
  })
})
