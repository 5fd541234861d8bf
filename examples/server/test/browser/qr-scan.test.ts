/**
 * The presentation flow with a QR image (issue 16 item 4) in Chromium, on a desktop and a 390 px
 * phone, against the real server: the employer requests a presentation, the learner's wallet
 * answers with a QR code, and the page reads it
 *
 * - with the camera: Chromium's fake camera (`--use-fake-device-for-media-stream`,
 *   `--use-file-for-fake-video-capture`) plays a Y4M video made here from the wallet's QR code
 *   (`presentationToQr`, the modules drawn 5 px each, dark on light), and
 * - with the photo fallback: where there is no camera the page says so, points at the photo
 *   input, and a PNG of the code (`qrToPng`) chosen there gives the same result.
 *
 * Both end with the holder proven for the request and the credential genuine; axe-core finds no
 * violation; screenshots go to `examples/server/test-artifacts/qr-*.png`.
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createPresentation, signPresentation } from '@certify-vc/core'
import { presentationToQr, qrToPng, type PresentationQr } from '@certify-vc/example-wallet'
import { generateIssuerKey, type IssuerKey } from '@certify-vc/issuer'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestServer, type TestServer } from '../helpers.js'
import { CHROMIUM_SKIP_REASON, launchChromium } from './chromium.js'
import {
  ARTIFACTS,
  PACKAGE_DIR,
  VIEWPORTS,
  expectNoAxeViolations,
  newContext,
  screenshot,
  watchedPage,
} from './page-helpers.js'

type Json = Record<string, unknown>

/** The fake camera's picture: a square frame, even sides (4:2:0 chroma). */
const SIDE = 720

/**
 * A Y4M video (YUV 4:2:0, two identical frames; Chromium loops it) showing the QR code's modules
 * dark on light with a four-module quiet zone, centred.
 */
function qrVideo(qr: PresentationQr | undefined): Buffer {
  const luma = Buffer.alloc(SIDE * SIDE, 235)
  if (qr !== undefined) {
    const n = qr.matrix.length
    const module = Math.floor(SIDE / (n + 8))
    const offset = Math.floor((SIDE - module * n) / 2)
    qr.matrix.forEach((row, y) =>
      row.forEach((dark, x) => {
        if (!dark) return
        for (let dy = 0; dy < module; dy++) {
          const start = (offset + y * module + dy) * SIDE + offset + x * module
          luma.fill(16, start, start + module)
        }
      }),
    )
  }
  const chroma = Buffer.alloc((SIDE / 2) * (SIDE / 2), 128)
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma])
  return Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${SIDE} H${SIDE} F5:1 Ip A1:1 C420jpeg\n`),
    frame,
    frame,
  ])
}

describe.skipIf(CHROMIUM_SKIP_REASON !== undefined)(
  'the presentation flow with a QR image, by camera and by photo, in Chromium',
  { timeout: 120_000 },
  () => {
    let server: TestServer
    let camera: Browser
    let plain: Browser
    let learner: IssuerKey
    let aida: Json
    let tmp: string
    let video: string
    const problems: string[] = []
    // A refused presentation is answered 422 on purpose.
    const allow = / 422 /

    async function openChecker(page: Page): Promise<void> {
      await page.goto(`${server.baseUrl}/certify/verify`)
      await page.waitForSelector('#scan-section:not([hidden])')
    }

    /** Requests a presentation on the page; the learner's wallet answers it with a QR code. */
    async function requestAndAnswer(page: Page): Promise<PresentationQr> {
      await page.getByRole('button', { name: 'Request a presentation' }).click()
      await page.locator('#request-command').waitFor()
      const challenge = (await page.locator('#request-challenge').textContent()) ?? ''
      const domain = (await page.locator('#request-domain').textContent()) ?? ''
      const vp = await signPresentation(
        createPresentation({ holder: learner.did, verifiableCredential: [aida] }),
        { signer: learner.signer(), challenge, domain },
      )
      return presentationToQr(
        JSON.parse(JSON.stringify(vp)) as Parameters<typeof presentationToQr>[0],
      )
    }

    async function expectHolderProven(page: Page, how: string): Promise<void> {
      const section = page.locator('#result section[data-verdict]').first()
      await section.waitFor({ timeout: 60_000 })
      expect(await section.getAttribute('data-verdict')).toBe('genuine')
      expect(await page.locator('#result [data-holder]').getAttribute('data-holder')).toBe('proven')
      expect(
        await page
          .locator('#result .presented-credential section[data-credential-verdict]')
          .getAttribute('data-credential-verdict'),
      ).toBe('genuine')
      const text = await page.locator('#result').innerText()
      expect(text).toContain('Holder proven for this request')
      // The holder by name (from their credential), not only a DID.
      expect(text).toContain('Ada Lovelace signed this presentation')
      expect(text).toContain('its credential is genuine')
      expect(text).toContain(how)
      expect(text).toContain('Read from a wallet QR code.')
    }

    beforeAll(async () => {
      await mkdir(ARTIFACTS, { recursive: true })
      tmp = await mkdtemp(join(tmpdir(), 'certify-qr-scan-'))
      video = join(tmp, 'camera.y4m')
      // The fake camera's file must exist when Chromium starts; each test draws its code in it.
      await writeFile(video, qrVideo(undefined))
      await promisify(execFile)(process.execPath, ['scripts/build-page.mjs'], { cwd: PACKAGE_DIR })
      server = await startTestServer()
      learner = await generateIssuerKey()
      const res = await postJson(server, '/certify/credentials', {
        program: 'AIDA',
        recipient: { name: 'Ada Lovelace', did: learner.did },
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      aida = (res.body as { verifiableCredential: Json }).verifiableCredential
      camera = await launchChromium([
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ])
      plain = await launchChromium()
    }, 180_000)

    afterAll(async () => {
      await camera?.close()
      await plain?.close()
      await server?.close()
      if (tmp !== undefined) await rm(tmp, { recursive: true, force: true })
    })

    for (const viewport of VIEWPORTS) {
      it(`on a ${viewport.name}: the camera reads the wallet's QR code; the holder is proven`, async () => {
        const context = await newContext(camera, viewport)
        await context.grantPermissions(['camera'], { origin: server.baseUrl })
        const page = await watchedPage(context, problems, allow)
        await openChecker(page)
        const qr = await requestAndAnswer(page)
        await writeFile(video, qrVideo(qr))
        await page.getByRole('button', { name: 'Scan with the camera' }).click()
        await expectHolderProven(page, 'scanned with the camera')
        expect(await page.locator('#scan-status').innerText()).toBe('QR code read.')
        // The camera is off again once the code is read.
        expect(await page.locator('#scan-video').isHidden()).toBe(true)
        expect(
          await page.locator('#scan-video').evaluate((v) => (v as HTMLVideoElement).srcObject),
        ).toBeNull()
        await expectNoAxeViolations(page)
        await screenshot(page, `qr-camera-${viewport.name}`)
        await context.close()
      })

      it(`on a ${viewport.name}: without a camera the page offers the photo, and a photo of the code works`, async () => {
        const context = await newContext(plain, viewport)
        const page = await watchedPage(context, problems, allow)
        await openChecker(page)
        const qr = await requestAndAnswer(page)
        await page.getByRole('button', { name: 'Scan with the camera' }).click()
        await expect
          .poll(() => page.locator('#scan-status').innerText())
          .toMatch(/Choose a photo of the QR code instead\.$/)
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('qr-file')
        await page.getByLabel('Or choose a photo of the QR code').setInputFiles({
          name: 'wallet-qr.png',
          mimeType: 'image/png',
          buffer: Buffer.from(qrToPng(qr)),
        })
        await expectHolderProven(page, 'wallet-qr.png')
        await expectNoAxeViolations(page)
        await screenshot(page, `qr-photo-${viewport.name}`)
        await context.close()
      })
    }

    it('no CSP violation, console error or page error happened', () => {
      expect(problems).toEqual([])
    })
  },
)
