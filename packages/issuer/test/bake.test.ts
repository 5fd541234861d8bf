/**
 * bakeCredential: a signed credential baked into its program's badge (Open Badges 3.0 §5.3), and
 * the PNG badges shipped in badges/, which must be renderings of the current SVG badges
 * (scripts/render-badge-pngs.mjs records the SVG's SHA-256 in each).
 */
import { createHash } from 'node:crypto'
import { inflateSync } from 'node:zlib'
import { PROGRAM_CODES, programBadgeSvg } from '@certify-vc/context'
import { isPng, unbakePng, unbakeSvg } from '@certify-vc/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { bakeCredential, issueCredential, programBadgePng, type IssuerKey } from '../src/index.js'
import { fixedKey } from './helpers.js'

let key: IssuerKey
beforeAll(async () => {
  key = await fixedKey()
})

/** Every chunk of a PNG: type and data. */
function chunks(png: Uint8Array): { type: string; data: Buffer }[] {
  const b = Buffer.from(png)
  const out = []
  for (let o = 8; o < b.length;) {
    const length = b.readUInt32BE(o)
    out.push({ type: b.toString('latin1', o + 4, o + 8), data: b.subarray(o + 8, o + 8 + length) })
    o += 12 + length
  }
  return out
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown }).code
}

describe('the PNG badges in badges/', () => {
  it.each(PROGRAM_CODES)(
    '%s.png is a 512 × 512 rendering of the current programBadgeSvg',
    async (code) => {
      const png = await programBadgePng(code)
      expect(isPng(png)).toBe(true)
      const [ihdr] = chunks(png)
      expect(ihdr?.type).toBe('IHDR')
      expect([ihdr!.data.readUInt32BE(0), ihdr!.data.readUInt32BE(4)]).toEqual([512, 512])
      // The image data inflates to 512 rows of 1 filter byte + 512 RGBA pixels.
      const idat = Buffer.concat(
        chunks(png)
          .filter((c) => c.type === 'IDAT')
          .map((c) => c.data),
      )
      expect(inflateSync(idat).byteLength).toBe(512 * (1 + 512 * 4))
      const comment =
        chunks(png)
          .find((c) => c.type === 'tEXt')
          ?.data.toString('latin1') ?? ''
      const sha256 = createHash('sha256').update(programBadgeSvg(code)).digest('hex')
      // A stale PNG: run `pnpm run build && node scripts/render-badge-pngs.mjs`.
      expect(comment).toContain(`programBadgeSvg('${code}')`)
      expect(comment).toContain(`SVG SHA-256 ${sha256}`)
      expect(unbakePng(png)).toBeUndefined()
    },
  )

  it('programBadgePng refuses an unknown code', async () => {
    await expect(programBadgePng('XYZ' as 'AIDA')).rejects.toThrow(TypeError)
  })
})

describe('bakeCredential', () => {
  it.each(PROGRAM_CODES)(
    'bakes a %s credential into its own PNG and SVG badge',
    async (program) => {
      const credential = await issueCredential({
        program,
        recipient: { name: 'Ada Lovelace' },
        key,
      })
      const png = await bakeCredential({ credential, format: 'png' })
      expect(unbakePng(png)).toBe(JSON.stringify(credential))
      const badge = await programBadgePng(program)
      expect(chunks(png).filter((c) => c.type !== 'iTXt')).toEqual(chunks(badge))
      const svg = await bakeCredential({ credential, format: 'svg' })
      expect(unbakeSvg(svg)).toBe(JSON.stringify(credential))
      expect(svg).toContain(`<title id="badge-${program.toLowerCase()}-title">`)
    },
  )

  it('embeds credential text exactly as given, and bakes into a caller image', async () => {
    const credential = await issueCredential({ program: 'AIDA', recipient: { name: 'Ada' }, key })
    const text = `${JSON.stringify(credential, null, 2)}\n`
    expect(unbakePng(await bakeCredential({ credential: text, format: 'png' }))).toBe(text)
    const image = '<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>'
    const svg = await bakeCredential({ credential: text, format: 'svg', image })
    expect(svg.endsWith('<circle r="1"/></svg>')).toBe(true)
    expect(unbakeSvg(svg)).toBe(text)
    expect(
      unbakeSvg(
        await bakeCredential({ credential, format: 'svg', image: new TextEncoder().encode(image) }),
      ),
    ).toBe(JSON.stringify(credential))
  })

  it('refuses an unsigned credential, one of no catalog program without an image, a baked image', async () => {
    const credential = await issueCredential({ program: 'CAAE', recipient: { name: 'Ada' }, key })
    const { proof: _proof, ...unsigned } = credential
    await expect(bakeCredential({ credential: unsigned, format: 'png' })).rejects.toSatisfy(
      (e) => codeOf(e) === 'ERR_BAKE_CREDENTIAL_INVALID',
    )
    const other = structuredClone(credential) as {
      credentialSubject: { achievement: { id: string } }
    }
    other.credentialSubject.achievement.id = 'https://example.org/other'
    await expect(bakeCredential({ credential: other, format: 'svg' })).rejects.toSatisfy(
      (e) => codeOf(e) === 'ERR_BAKE_CREDENTIAL_INVALID',
    )
    const baked = await bakeCredential({ credential, format: 'png' })
    await expect(bakeCredential({ credential, format: 'png', image: baked })).rejects.toSatisfy(
      (e) => codeOf(e) === 'ERR_BAKE_IMAGE_INVALID',
    )
    expect(
      unbakePng(await bakeCredential({ credential, format: 'png', image: baked, replace: true })),
    ).toBe(JSON.stringify(credential))
    await expect(bakeCredential({ credential, format: 'gif' as 'png' })).rejects.toThrow(TypeError)
  })
})
