/**
 * Baked badges on the verification page (issue 16 item 3) in Chromium, on a desktop and on a
 * 390 px phone, against the real server: a CAAE credential baked into its badge PNG (dropped with
 * real drag-and-drop events) and into its badge SVG (chosen with the file input) is genuine, with
 * the very verdict, words and checks the same credential gets as JSON, and the page says it was
 * read from a baked badge; a PNG whose baked credential was altered is not genuine with the
 * proof's code, as the altered JSON is; a PNG with a damaged chunk and a PNG with no credential
 * get the "Could not be read" verdict (no accusation) with the verifier's code. Axe-core finds no
 * violation; each case writes `examples/server/test-artifacts/complete-<case>-<viewport>.png`.
 * A baked PNG larger than the JSON limit is read whole (the image limit applies to images).
 */
import { execFile } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { promisify } from 'node:util'
import { bakePng } from '@certify-vc/core'
import { bakeCredential, programBadgePng } from '@certify-vc/issuer'
import { DEFAULT_MAX_BYTES } from '@certify-vc/verifier'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestServer, type TestServer } from '../helpers.js'
import { CHROMIUM_SKIP_REASON, launchChromium } from './chromium.js'
import {
  ARTIFACTS,
  PACKAGE_DIR,
  VIEWPORTS,
  aboveTheFold,
  expectNoAxeViolations,
  newContext,
  screenshot,
  shownVerdict,
  watchedPage,
} from './page-helpers.js'

type Json = Record<string, unknown>

/** A file for the page. */
interface PageFile {
  readonly name: string
  readonly mimeType: string
  readonly bytes: Uint8Array
}

interface Case {
  readonly name: string
  readonly file: () => PageFile
  /** The same credential as JSON: the page must give it the same verdict, words and checks. */
  readonly json?: () => PageFile
  /** Dropped on the drop zone (real drag-and-drop events) instead of chosen. */
  readonly drop?: boolean
  readonly verdict: string
  readonly codes: string[]
  readonly shows: string[]
  readonly hides?: string[]
}

/** The PNG's chunks: type, where the chunk starts, and its data. */
function pngChunks(png: Uint8Array): { type: string; start: number; data: Uint8Array }[] {
  const chunks = []
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  for (let at = 8; at < png.byteLength;) {
    const length = view.getUint32(at)
    const type = new TextDecoder('latin1').decode(png.subarray(at + 4, at + 8))
    chunks.push({ type, start: at, data: png.subarray(at + 8, at + 8 + length) })
    at += 12 + length
  }
  return chunks
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

/** CRC-32 of a PNG chunk's type and data (PNG §5.3). */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** `png` with a private ancillary chunk (`ruDE`) of `size` bytes after `IHDR`: a larger image. */
function withPadding(png: Uint8Array, size: number): Uint8Array {
  const chunk = new Uint8Array(12 + size)
  const view = new DataView(chunk.buffer)
  view.setUint32(0, size)
  chunk.set(new TextEncoder().encode('ruDE'), 4)
  chunk.fill(0x2a, 8, 8 + size)
  view.setUint32(8 + size, crc32(chunk.subarray(4, 8 + size)))
  const ihdrEnd = 8 + 12 + 13
  const out = new Uint8Array(png.byteLength + chunk.byteLength)
  out.set(png.subarray(0, ihdrEnd))
  out.set(chunk, ihdrEnd)
  out.set(png.subarray(ihdrEnd), ihdrEnd + chunk.byteLength)
  return out
}

const utf8 = new TextEncoder()
const pngFile = (name: string, bytes: Uint8Array): PageFile => ({
  name,
  mimeType: 'image/png',
  bytes,
})
const jsonFile = (name: string, vc: Json): PageFile => ({
  name,
  mimeType: 'application/json',
  bytes: utf8.encode(JSON.stringify(vc, null, 2)),
})

/** What the page shows of a result, without the time and the source line. */
async function resultWords(page: Page): Promise<{
  verdict: string
  codes: string[]
  title: string
  summary: string
  checks: string[]
}> {
  const { verdict, codes } = await shownVerdict(page)
  const result = page.locator('#result')
  return {
    verdict,
    codes,
    title: await result.locator('.verdict-title').innerText(),
    summary: await result.locator('.verdict-summary').innerText(),
    checks: await result
      .locator('li.check, li.not-reached > .label')
      .evaluateAll((items) =>
        items.map((li) => `${li.getAttribute('class') ?? ''}: ${(li.textContent ?? '').trim()}`),
      ),
  }
}

describe.skipIf(CHROMIUM_SKIP_REASON !== undefined)(
  'baked badges on the verification page in Chromium (desktop and phone)',
  { timeout: 120_000 },
  () => {
    let server: TestServer
    let browser: Browser
    const vcs: Record<string, Json> = {}
    const images: Record<string, PageFile> = {}
    const problems: string[] = []

    beforeAll(async () => {
      await mkdir(ARTIFACTS, { recursive: true })
      await promisify(execFile)(process.execPath, ['scripts/build-page.mjs'], { cwd: PACKAGE_DIR })
      server = await startTestServer()
      const res = await postJson(server, '/certify/credentials', {
        program: 'CAAE',
        recipient: { name: 'Ada Lovelace' },
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      const vc = (res.body as { verifiableCredential: Json }).verifiableCredential
      vcs.verified = vc
      const tampered = structuredClone(vc) as Json & { credentialSubject: Json }
      tampered.credentialSubject.name = 'Mallory Impostor'
      vcs.tampered = tampered
      // As `certify-vc bake` does: the credential's JSON text into the program's badge.
      const text = JSON.stringify(vc, null, 2)
      const png = await bakeCredential({ credential: text, format: 'png' })
      images.png = pngFile('ada-caae.png', png)
      images.svg = {
        name: 'ada-caae.svg',
        mimeType: 'image/svg+xml',
        bytes: utf8.encode(await bakeCredential({ credential: text, format: 'svg' })),
      }
      // The baked text altered inside the chunk, its CRC made right again (as an attacker would).
      images.tampered = pngFile(
        'ada-caae-tampered.png',
        bakePng(await programBadgePng('CAAE'), JSON.stringify(tampered, null, 2)),
      )
      // One bit of the baked text flipped, the CRC left as it was: a damaged download.
      const damaged = Uint8Array.from(png)
      const itxt = pngChunks(damaged).find((c) => c.type === 'iTXt')
      if (itxt === undefined) throw new Error('The baked PNG has no iTXt chunk.')
      damaged[itxt.start + 40] = (damaged[itxt.start + 40] as number) ^ 1
      images.damaged = pngFile('ada-caae-damaged.png', damaged)
      images.plain = pngFile('caae-badge.png', await programBadgePng('CAAE'))
      // Larger than the JSON limit, well under the image limit.
      images.large = pngFile('ada-caae-large.png', withPadding(png, DEFAULT_MAX_BYTES + 100_000))
      browser = await launchChromium()
    }, 180_000)

    afterAll(async () => {
      await browser?.close()
      await server?.close()
    })

    const image = (key: string) => () => images[key] as PageFile
    const genuine = [
      'Genuine',
      'Issued by Production AI Institute, unaltered, and neither revoked nor suspended.',
      'Certified AI Application Engineer (CAAE)',
      'Ada Lovelace',
      'On this site’s list of trusted issuers.',
      'The signature verifies: nothing was altered',
    ]
    const cases: Case[] = [
      {
        name: 'baked-png',
        file: image('png'),
        json: () => jsonFile('ada-caae.json', vcs.verified as Json),
        drop: true,
        verdict: 'genuine',
        codes: [],
        shows: [
          ...genuine,
          'Checked in this browser: ada-caae.png',
          'The credential was read from this PNG badge image, where it is baked in',
        ],
      },
      {
        name: 'baked-svg',
        file: image('svg'),
        json: () => jsonFile('ada-caae.json', vcs.verified as Json),
        verdict: 'genuine',
        codes: [],
        shows: [
          ...genuine,
          'Checked in this browser: ada-caae.svg',
          'The credential was read from this SVG badge image, where it is baked in',
        ],
      },
      {
        name: 'baked-png-tampered',
        file: image('tampered'),
        json: () => jsonFile('ada-caae-tampered.json', vcs.tampered as Json),
        verdict: 'not-genuine',
        codes: ['ERR_PROOF_INVALID'],
        shows: [
          'Not genuine',
          'The signature does not verify: the file was altered, or not signed by this key',
          'Not reached, because the signature failed:',
          'The credential was read from this PNG badge image, where it is baked in',
        ],
        hides: ['Mallory Impostor', 'Ada Lovelace', 'The signature verifies: nothing was altered'],
      },
      {
        name: 'baked-png-damaged',
        file: image('damaged'),
        verdict: 'unreadable',
        codes: ['ERR_INPUT_BAKED_INVALID'],
        shows: [
          'Could not be read',
          'it does not mean anyone altered anything',
          'The baked image is malformed',
          'Not reached, because reading the file failed:',
        ],
        hides: ['Not genuine', 'as its issuer signed it', 'where it is baked in'],
      },
      {
        name: 'png-no-credential',
        file: image('plain'),
        verdict: 'unreadable',
        codes: ['ERR_INPUT_BAKED_NOT_FOUND'],
        shows: [
          'Could not be read',
          'it does not mean anyone altered anything',
          'The PNG or SVG image holds no baked credential',
          'Checked in this browser: caae-badge.png',
          'Not reached, because reading the file failed:',
        ],
        hides: ['Not genuine', 'as its issuer signed it', 'where it is baked in'],
      },
    ]

    for (const viewport of VIEWPORTS) {
      describe(`on a ${viewport.name}`, () => {
        let context: BrowserContext
        beforeAll(async () => {
          context = await newContext(browser, viewport)
        })
        afterAll(async () => {
          await context?.close()
        })

        async function open(): Promise<Page> {
          const page = await watchedPage(context, problems)
          await page.goto(`${server.baseUrl}/certify/verify`)
          await page.waitForSelector('#checker:not([hidden])')
          return page
        }

        async function choose(page: Page, file: PageFile): Promise<void> {
          await page.evaluate(() => document.getElementById('result')?.replaceChildren())
          await page.locator('#file').setInputFiles({
            name: file.name,
            mimeType: file.mimeType,
            buffer: Buffer.from(file.bytes),
          })
        }

        /** Drops `file` on the drop zone, with real drag-and-drop events. */
        async function drop(page: Page, file: PageFile): Promise<void> {
          await page.evaluate(() => document.getElementById('result')?.replaceChildren())
          const dataTransfer = await page.evaluateHandle(
            ([name, type, bytes]) => {
              const dt = new DataTransfer()
              dt.items.add(new File([new Uint8Array(bytes)], name, { type }))
              return dt
            },
            [file.name, file.mimeType, [...file.bytes]] as const,
          )
          await page.dispatchEvent('#drop-zone', 'dragenter', { dataTransfer })
          await page.dispatchEvent('#drop-zone', 'dragover', { dataTransfer })
          await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer })
        }

        for (const c of cases) {
          it(`${c.name}: ${c.verdict}${c.json === undefined ? '' : ', as its JSON'}, the source said, axe clean`, async () => {
            const page = await open()
            let asJson: Awaited<ReturnType<typeof resultWords>> | undefined
            if (c.json !== undefined) {
              await choose(page, c.json())
              asJson = await resultWords(page)
            }
            await (c.drop === true ? drop(page, c.file()) : choose(page, c.file()))
            const shown = await resultWords(page)
            expect({ verdict: shown.verdict, codes: shown.codes }).toEqual({
              verdict: c.verdict,
              codes: c.codes,
            })
            // One verdict: the baked credential reads exactly as its JSON does.
            if (asJson !== undefined) expect(shown).toEqual(asJson)
            const text = await page.locator('#result').innerText()
            for (const words of c.shows) expect(text, words).toContain(words)
            for (const words of c.hides ?? []) expect(text, words).not.toContain(words)
            expect(await aboveTheFold(page, '#result .verdict-summary')).toBe(true)
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            )
            expect(overflow).toBeLessThanOrEqual(0)
            await expectNoAxeViolations(page)
            await screenshot(page, `complete-${c.name}-${viewport.name}`)
            await page.close()
          })
        }
      })
    }

    it('the file input offers badge images (.png, .svg) and says so', async () => {
      const context = await newContext(browser, VIEWPORTS[0])
      const page = await watchedPage(context, problems)
      await page.goto(`${server.baseUrl}/certify/verify`)
      await page.waitForSelector('#checker:not([hidden])')
      const accept = (await page.locator('#file').getAttribute('accept')) ?? ''
      for (const type of ['.png', 'image/png', '.svg', 'image/svg+xml', '.json']) {
        expect(accept.split(','), type).toContain(type)
      }
      expect(await page.locator('#drop-zone').innerText()).toContain(
        'a badge image with the credential baked in',
      )
      await context.close()
    })

    it('a baked PNG larger than the JSON limit is read whole (the image limit) and is genuine', async () => {
      const large = images.large as PageFile
      expect(large.bytes.byteLength).toBeGreaterThan(DEFAULT_MAX_BYTES)
      const context = await newContext(browser, VIEWPORTS[0])
      const page = await watchedPage(context, problems)
      await page.goto(`${server.baseUrl}/certify/verify`)
      await page.waitForSelector('#checker:not([hidden])')
      await page.locator('#file').setInputFiles({
        name: large.name,
        mimeType: large.mimeType,
        buffer: Buffer.from(large.bytes),
      })
      expect(await shownVerdict(page)).toEqual({ verdict: 'genuine', codes: [] })
      expect(await page.locator('#result .source').innerText()).toContain(
        `${large.bytes.byteLength.toLocaleString('en')} bytes`,
      )
      await context.close()
    })

    it('no CSP violation, console error or page error happened', () => {
      expect(problems).toEqual([])
    })
  },
)
