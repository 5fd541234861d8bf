/**
 * The certification directory (`/certify`, `GET /` leads there), the public verification
 * directory's search on `/certify/verify`, and a shared credential page, in Chromium on a
 * desktop and a 390 px phone against the real server (issue 19; issue 16 item 2). Each asserts
 * the visible text, runs axe-core, and writes a screenshot to
 * `examples/server/test-artifacts/directory-*.png` / `shared-*.png`.
 */
import { execFile } from 'node:child_process'
import { mkdir, readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import type { Browser, BrowserContext } from 'playwright-core'
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

describe.skipIf(CHROMIUM_SKIP_REASON !== undefined)(
  'the directory pages and a shared credential page in Chromium',
  { timeout: 120_000 },
  () => {
    let server: TestServer
    let browser: Browser
    let caae: Json
    let revoked: Json
    let hidden: Json
    const problems: string[] = []
    // The neutral "Not listed" pages answer 404 on purpose.
    const allow = / 404 /

    async function issue(program: string, name: string, listed: boolean): Promise<Json> {
      const res = await postJson(server, '/certify/credentials', {
        program,
        recipient: { name },
        publicDirectory: listed,
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      return (res.body as { verifiableCredential: Json }).verifiableCredential
    }

    const enc = (vc: Json) => encodeURIComponent(vc.id as string)

    beforeAll(async () => {
      await mkdir(ARTIFACTS, { recursive: true })
      await promisify(execFile)(process.execPath, ['scripts/build-page.mjs'], { cwd: PACKAGE_DIR })
      server = await startTestServer({ searchRateLimit: { perMinute: 100_000, burst: 10_000 } })
      caae = await issue('CAAE', 'Ada Lovelace', true)
      revoked = await issue('CAAE', 'Alan Turing', true)
      hidden = await issue('CAAE', 'Grace Hopper', false)
      expect(
        (await postJson(server, `/certify/credentials/${enc(revoked)}/revoke`, {})).status,
      ).toBe(200)
      browser = await launchChromium()
    }, 180_000)

    afterAll(async () => {
      await browser?.close()
      await server?.close()
    })

    for (const viewport of VIEWPORTS) {
      describe(`on a ${viewport.name}`, () => {
        let context: BrowserContext
        beforeAll(async () => {
          context = await newContext(browser, viewport, {
            permissions: ['clipboard-read', 'clipboard-write'],
          })
        })
        afterAll(async () => {
          await context?.close()
        })

        it('GET / leads to /certify: the three programs, their paths, control areas and links that work', async () => {
          const page = await watchedPage(context, problems, allow)
          const res = await page.goto(`${server.baseUrl}/`)
          expect(res?.status()).toBe(200)
          expect(new URL(page.url()).pathname).toBe('/certify')
          expect(res?.headers()['content-security-policy']).toContain("default-src 'none'")
          expect(await page.locator('h1').innerText()).toBe('Certifications')
          const text = await page.locator('main').innerText()
          for (const words of [
            'AI Deployment Awareness (AIDA)',
            'Certified AI Application Engineer (CAAE)',
            'AI Management Awareness (AIMA)',
            'builds on AIDA',
            'non-engineering leaders',
            'Does not expire.',
            'Input boundaries',
            'How to verify a credential',
          ]) {
            expect(text, words).toContain(words)
          }
          expect(text).toMatch(/no prior technical experience/i)
          expect(await page.locator('li.program-card').count()).toBe(3)
          await expectNoAxeViolations(page)
          await screenshot(page, `directory-certify-${viewport.name}`)
          // Every link of the page answers.
          const links = await page
            .locator('main a[href^="/"]')
            .evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href') ?? ''))])
          for (const href of links) {
            const linked = await fetch(`${server.baseUrl}${href}`)
            expect(linked.status, href).toBe(200)
          }
          await page.getByRole('link', { name: 'the verification page' }).click()
          await page.waitForURL('**/certify/verify')
          await page.close()
        })

        it('finds a listed CAAE by name and program, verified live; a revoked one as revoked; an unlisted one not at all', async () => {
          const page = await watchedPage(context, problems, allow)
          await page.goto(`${server.baseUrl}/certify/verify`)
          await page.getByLabel('Full name').fill('ada LOVELACE')
          await page.getByLabel('Program').selectOption('CAAE')
          await page.getByRole('button', { name: 'Search the directory' }).click()
          await page.waitForURL('**/certify/verify?**')
          const entry = page.locator('#directory-results li.directory-entry')
          expect(await entry.count()).toBe(1)
          expect(await entry.getAttribute('data-entry-verdict')).toBe('genuine')
          const text = await entry.innerText()
          expect(text).toContain('Ada Lovelace')
          expect(text).toContain('Certified AI Application Engineer (CAAE)')
          expect(text).toContain('Genuine')
          expect(await page.locator('#directory-results .search-count').innerText()).toContain(
            '1 listed credential found, each checked by the server',
          )
          await expectNoAxeViolations(page)
          await screenshot(page, `directory-search-${viewport.name}`)
          await entry.getByRole('link').click()
          await page.waitForURL('**/certify/credential/**')
          expect(
            await page.locator('#result section[data-verdict]').getAttribute('data-verdict'),
          ).toBe('genuine')

          await page.goto(
            `${server.baseUrl}/certify/verify?name=Alan+Turing&program=CAAE#directory`,
          )
          expect(
            await page
              .locator('#directory-results li.directory-entry')
              .getAttribute('data-entry-verdict'),
          ).toBe('revoked')
          expect(await page.locator('#directory-results').innerText()).toContain('Revoked')
          await screenshot(page, `directory-search-revoked-${viewport.name}`)

          await page.goto(`${server.baseUrl}/certify/verify?name=Grace+Hopper&program=CAAE`)
          const none = await page.locator('#directory-results').innerText()
          expect(none).toContain('No listed credential matches this name and program.')
          expect(await page.content()).not.toContain(hidden.id as string)

          // By id, with the lookup form.
          await page.getByLabel('Or the credential id').fill(caae.id as string)
          await page.getByRole('button', { name: 'Look up' }).click()
          await page.waitForURL(`**/certify/verify/${enc(caae)}`)
          expect(await page.locator('[data-verdict]').first().getAttribute('data-verdict')).toBe(
            'genuine',
          )
          await page.close()
        })

        it('the shared page verifies live in the browser and offers copy link, LinkedIn, download and print', async () => {
          const page = await watchedPage(context, problems, allow)
          const path = `/certify/credential/${enc(caae).replace(/%3A/gi, ':')}`
          const res = await page.goto(`${server.baseUrl}${path}`)
          expect(res?.status()).toBe(200)
          const section = page.locator('#result section[data-checked-by="browser"]')
          await section.waitFor({ timeout: 30_000 })
          expect(await section.getAttribute('data-verdict')).toBe('genuine')
          const text = await page.locator('main').innerText()
          for (const words of [
            'Ada Lovelace · Certified AI Application Engineer (CAAE)',
            'Its holder published this credential.',
            'Last checked by this browser',
            'Genuine',
            'Share this credential',
            'Add to LinkedIn profile',
            'Download the credential (.json)',
          ]) {
            expect(text, words).toContain(words)
          }
          // LinkedIn's documented "Add to Profile" parameters.
          const linkedIn = new URL(
            (await page.locator('#share-linkedin').getAttribute('href')) ?? '',
          )
          const issued = new Date((caae.validFrom as string) ?? '')
          expect(linkedIn.origin + linkedIn.pathname).toBe('https://www.linkedin.com/profile/add')
          expect(Object.fromEntries(linkedIn.searchParams)).toEqual({
            startTask: 'CERTIFICATION_NAME',
            name: 'Certified AI Application Engineer (CAAE)',
            organizationName: 'Production AI Institute',
            issueYear: String(issued.getUTCFullYear()),
            issueMonth: String(issued.getUTCMonth() + 1),
            certUrl: `${server.baseUrl}${path}`,
            certId: caae.id,
          })
          // Copy link.
          await page.getByRole('button', { name: 'Copy link' }).click()
          expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
            `${server.baseUrl}${path}`,
          )
          // Download: the credential as issued.
          const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.getByRole('link', { name: 'Download the credential (.json)' }).click(),
          ])
          const saved = await download.path()
          expect(JSON.parse(await readFile(saved, 'utf8'))).toEqual(caae)
          // Print opens the browser's print (counted instead of a dialog).
          await page.evaluate(() => {
            ;(window as unknown as { printed: number }).printed = 0
            window.print = () => {
              ;(window as unknown as { printed: number }).printed++
            }
          })
          await page.getByRole('button', { name: 'Print' }).click()
          expect(
            await page.evaluate(() => (window as unknown as { printed: number }).printed),
          ).toBe(1)
          await expectNoAxeViolations(page)
          await screenshot(page, `shared-page-${viewport.name}`)
          await page.close()
        })
      })
    }

    it('the shared page works without JavaScript (the server’s verdict), and unpublishing removes it at once', async () => {
      const noJs = await browser.newContext({ javaScriptEnabled: false })
      const page = await watchedPage(noJs, problems, allow)
      const path = `/certify/credential/${enc(revoked)}`
      await page.goto(`${server.baseUrl}${path}`)
      const section = page.locator('#result section[data-verdict]')
      expect(await section.getAttribute('data-checked-by')).toBe('server')
      expect(await section.getAttribute('data-verdict')).toBe('revoked')
      expect(await page.locator('#share-linkedin').count()).toBe(0) // only for a genuine one
      await screenshot(page, 'shared-page-revoked-nojs')
      expect(
        (await postJson(server, `/certify/credentials/${enc(revoked)}/unpublish`, {})).status,
      ).toBe(200)
      const res = await page.goto(`${server.baseUrl}${path}`)
      expect(res?.status()).toBe(404)
      expect(await page.locator('h1').innerText()).toBe('Not listed')
      await noJs.close()
    })

    it('no CSP violation, console error or page error happened', () => {
      expect(problems).toEqual([])
    })
  },
)
