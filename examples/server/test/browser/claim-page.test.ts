/**
 * The learner's claim page in Chromium: it names the program and the issuer in plain words,
 * shows the QR codes, and a test reads the QR pixels as drawn by the browser back to the offer
 * (and to the LCW link); the same-device links are the offer URI and the LCW link; the page runs
 * under the strict CSP with no violation; claimed, expired and unknown offers say so.
 * Screenshots go to `examples/server/test-artifacts/`.
 */
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readQrPixels } from '@certify-vc/example-wallet'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestServer, type TestServer } from '../helpers.js'
import { CHROMIUM_SKIP_REASON, launchChromium } from './chromium.js'

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '../../test-artifacts')

interface Offer {
  offerId: string
  offerUri: string
  lcwDeepLink?: string
  claimUrl: string
  txCode?: string
}

describe.skipIf(CHROMIUM_SKIP_REASON !== undefined)('the claim page in Chromium', () => {
  let server: TestServer
  let browser: Browser

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true })
    server = await startTestServer()
    browser = await launchChromium()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  async function offer(body: Record<string, unknown>): Promise<Offer> {
    const res = await postJson(server, '/certify/offers', body)
    expect(res.status).toBe(201)
    return res.body as Offer
  }

  /** The pixels of an image as Chromium drew it (a canvas), read back as QR text. */
  async function qrText(page: Page, selector: string): Promise<string | undefined> {
    const pixels = await page.$eval(selector, (img) => {
      const image = img as HTMLImageElement
      const canvas = document.createElement('canvas')
      canvas.width = image.naturalWidth
      canvas.height = image.naturalHeight
      const context = canvas.getContext('2d')
      if (context === null) throw new Error('no 2d context')
      context.drawImage(image, 0, 0)
      const data = context.getImageData(0, 0, canvas.width, canvas.height)
      return { data: Array.from(data.data), width: data.width, height: data.height }
    })
    return readQrPixels({
      data: Uint8ClampedArray.from(pixels.data),
      width: pixels.width,
      height: pixels.height,
    })
  }

  it('shows program, issuer and both QR codes; the QR pixels decode back to the offer and the LCW link', async () => {
    const made = await offer({ program: 'CAAE', recipient: { name: 'Ada Lovelace' } })
    const page = await browser.newPage()
    const violations: string[] = []
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
    })
    const res = await page.goto(made.claimUrl)
    expect(res?.status()).toBe(200)
    expect(res?.headers()['content-security-policy']).toContain("default-src 'none'")
    expect(res?.headers()['x-frame-options']).toBe('DENY')
    expect(await page.title()).toBe(
      'Claim your Certified AI Application Engineer (CAAE) credential',
    )
    const text = await page.textContent('main')
    expect(text).toContain(
      'The Production AI Institute is offering you the Certified AI Application Engineer (CAAE) credential',
    )
    expect(text).toContain('Scan this code')
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('img.qr')).every(
        (i) => (i as HTMLImageElement).complete,
      ),
    )
    expect(await qrText(page, '#offer-qr')).toBe(made.offerUri)
    expect(await qrText(page, '#lcw-qr')).toBe(made.lcwDeepLink)
    expect(await page.getAttribute('#offer-link', 'href')).toBe(made.offerUri)
    expect(await page.getAttribute('#lcw-link', 'href')).toBe(made.lcwDeepLink)
    await page.screenshot({ path: join(ARTIFACTS, 'claim-page.png'), fullPage: true })
    expect(violations).toEqual([])
    await page.close()
  })

  it('with a transaction code: one QR, and the page says the code comes separately (never shows it)', async () => {
    const made = await offer({ program: 'AIDA', recipient: { name: 'Grace' }, txCode: true })
    const page = await browser.newPage()
    await page.goto(made.claimUrl)
    await page.waitForFunction(
      () => (document.querySelector('#offer-qr') as HTMLImageElement).complete,
    )
    expect(await qrText(page, '#offer-qr')).toBe(made.offerUri)
    expect(await page.$('#lcw-qr')).toBeNull()
    const text = (await page.textContent('main')) ?? ''
    expect(text).toContain('6-digit code')
    expect(text).not.toContain(made.txCode ?? 'never')
    await page.close()
  })

  it('a claimed and an unknown offer say so, without links', async () => {
    const made = await offer({ program: 'AIMA', recipient: { name: 'Claimed' } })
    const { generateIssuerKey } = await import('@certify-vc/issuer')
    const { createPresentation, signPresentation } = await import('@certify-vc/core')
    const holder = await generateIssuerKey()
    const exchange = `/certify/exchanges/${made.offerId}`
    const vpr = (await postJson(server, exchange, {})).body as {
      verifiablePresentationRequest: { challenge: string; domain: string }
    }
    const vp = await signPresentation(
      createPresentation({ holder: holder.did, verifiableCredential: [] }),
      { signer: holder.signer(), ...vpr.verifiablePresentationRequest },
    )
    expect((await postJson(server, exchange, { verifiablePresentation: vp })).status).toBe(200)
    const page = await browser.newPage()
    await page.goto(made.claimUrl)
    expect(await page.textContent('#offer-state')).toContain('This offer has been claimed')
    expect(await page.$('img.qr')).toBeNull()
    const res = await page.goto(`${server.baseUrl}/certify/claim/no-such-offer`)
    expect(res?.status()).toBe(404)
    expect(await page.textContent('#offer-state')).toContain('There is no credential offer')
    await page.close()
  })
})
