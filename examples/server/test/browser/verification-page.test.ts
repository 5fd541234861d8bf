/**
 * The public verification page in a real browser (Debian's Chromium through playwright-core),
 * against the real server: credentials are issued and revoked through its API, then dropped,
 * chosen or pasted on `/certify/verify`, and the no-JavaScript lookup pages are read with
 * JavaScript disabled. Each verdict's screenshot goes to `examples/server/test-artifacts/`.
 */
import { execFile } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createPresentation, signPresentation } from '@certify-vc/core'
import { buildCredential, generateIssuerKey, issueCredential } from '@certify-vc/issuer'
import type { Browser, BrowserContext, FileChooser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestServer, type TestServer } from '../helpers.js'
import { CHROMIUM_SKIP_REASON, launchChromium } from './chromium.js'

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../..')
const ARTIFACTS = join(PACKAGE_DIR, 'test-artifacts')

type Json = Record<string, unknown>

interface Issued {
  readonly vc: Json
  readonly id: string
}

interface ServerVerdict {
  readonly verified: boolean
  readonly codes: string[]
}

interface PageVerdict {
  readonly verdict: string
  readonly codes: string[]
  readonly announced: string
}

describe.skipIf(CHROMIUM_SKIP_REASON !== undefined)(
  'the verification page in Chromium',
  { timeout: 90_000 },
  () => {
    let server: TestServer
    let browser: Browser
    let context: BrowserContext
    let did: string
    let listed: Issued
    let unlisted: Issued
    let revoked: Issued
    let suspended: Issued
    let foreign: Json
    const problems: string[] = []
    const requests: { method: string; url: string; postData: string | null }[] = []

    async function issue(
      name: string,
      options: { publicDirectory?: boolean; suspension?: boolean } = {},
    ): Promise<Issued> {
      const credential = buildCredential({ program: 'AIDA', recipient: { name }, issuerDid: did })
      const res = await postJson(server, '/credentials/issue', { credential, options })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      const vc = (res.body as { verifiableCredential: Json }).verifiableCredential
      expect(typeof vc.id).toBe('string')
      return { vc, id: vc.id as string }
    }

    async function setStatus(id: string, action: 'revoke' | 'suspend'): Promise<void> {
      const res = await postJson(server, '/credentials/status', { credentialId: id, action })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
    }

    /** What `POST /credentials/verify` (public, no token) says about `vc`. */
    async function serverVerdict(vc: Json): Promise<ServerVerdict> {
      const res = await postJson(
        server,
        '/credentials/verify',
        { verifiableCredential: vc },
        { token: null },
      )
      expect([200, 422]).toContain(res.status)
      const body = res.body as { verified: boolean; errors?: { code: string }[] }
      return {
        verified: body.verified,
        codes: [...new Set((body.errors ?? []).map((e) => e.code))].sort(),
      }
    }

    async function newPage(ctx: BrowserContext = context): Promise<Page> {
      const page = await ctx.newPage()
      page.on('console', (msg) => {
        if (msg.type() !== 'error' && msg.type() !== 'warning') return
        // The "not listed" lookup pages answer 404 on purpose.
        const where = msg.location().url
        if (/ 404 /.test(msg.text()) && /\/certify\/verify\/urn/.test(where)) return
        problems.push(`console ${msg.type()} at ${where}: ${msg.text()}`)
      })
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
      page.on('request', (req: Request) =>
        requests.push({ method: req.method(), url: req.url(), postData: req.postData() }),
      )
      return page
    }

    async function openChecker(ctx?: BrowserContext): Promise<Page> {
      const page = await newPage(ctx)
      const res = await page.goto(`${server.baseUrl}/certify/verify`)
      expect(res?.status()).toBe(200)
      await page.waitForSelector('#checker:not([hidden])')
      return page
    }

    /** Drops `vc` as a file on the drop zone, with real drag-and-drop events. */
    async function dropFile(page: Page, name: string, text: string): Promise<void> {
      const dataTransfer = await page.evaluateHandle(
        ([fileName, content]) => {
          const dt = new DataTransfer()
          dt.items.add(new File([content], fileName, { type: 'application/json' }))
          return dt
        },
        [name, text] as const,
      )
      await page.dispatchEvent('#drop-zone', 'dragenter', { dataTransfer })
      await page.dispatchEvent('#drop-zone', 'dragover', { dataTransfer })
      await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer })
    }

    async function readVerdict(page: Page): Promise<PageVerdict> {
      const section = page.locator('#result section[data-verdict]')
      await section.waitFor({ timeout: 30_000 })
      const verdict = (await section.getAttribute('data-verdict')) ?? ''
      const codes = [...new Set(await page.locator('#result .problem .code').allTextContents())]
      const announced = (await page.locator('#announcer').textContent()) ?? ''
      return { verdict, codes: codes.sort(), announced }
    }

    async function screenshot(page: Page, name: string): Promise<void> {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })
    }

    /**
     * Every visible text element on the page meets WCAG AA contrast (4.5:1; 3:1 for large text),
     * computed from the rendered colours over the nearest opaque background.
     */
    async function expectReadableContrast(page: Page): Promise<void> {
      const failures = await page.evaluate(() => {
        const parse = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).map(Number)
        const lum = ([r = 0, g = 0, b = 0]: number[]) => {
          const f = (v: number) => {
            const x = v / 255
            return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4
          }
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
        }
        const background = (el: Element | null): number[] => {
          for (let e = el; e !== null; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor)
            if (c.length === 3 || (c[3] ?? 0) === 1) return c.slice(0, 3)
          }
          return [255, 255, 255]
        }
        const out: string[] = []
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
        for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
          const el = n.parentElement
          if (el === null || (n.textContent ?? '').trim() === '') continue
          const box = el.getBoundingClientRect()
          const style = getComputedStyle(el)
          if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden') continue
          if (el.closest('.skip-link') !== null) continue // off-screen until focused
          const fg = parse(style.color)
          const [l1, l2] = [lum(fg), lum(background(el))].sort((a, b) => b - a) as [number, number]
          const ratio = (l1 + 0.05) / (l2 + 0.05)
          const size = parseFloat(style.fontSize)
          const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700)
          if (ratio < (large ? 3 : 4.5))
            out.push(`${ratio.toFixed(2)} ${el.tagName}.${el.className}`)
        }
        return out
      })
      expect(failures).toEqual([])
    }

    function checkRow(page: Page, id: string) {
      return page.locator(`#result li.check[data-check="${id}"]`)
    }

    beforeAll(async () => {
      await mkdir(ARTIFACTS, { recursive: true })
      // The bundle the server serves, built from the current sources (as `build:page` does).
      await promisify(execFile)(process.execPath, ['scripts/build-page.mjs'], { cwd: PACKAGE_DIR })
      server = await startTestServer()
      const didDoc = (await (await fetch(`${server.baseUrl}/.well-known/did.json`)).json()) as Json
      did = didDoc.id as string
      expect(did).toMatch(/^did:web:localhost%3A\d+$/)
      listed = await issue('Ada Lovelace', { publicDirectory: true })
      unlisted = await issue('Grace Hopper')
      revoked = await issue('Alan Turing', { publicDirectory: true })
      suspended = await issue('Katherine Johnson', { suspension: true })
      await setStatus(revoked.id, 'revoke')
      await setStatus(suspended.id, 'suspend')
      // A perfectly signed credential from another issuer, which copies the Institute's name.
      const key = await generateIssuerKey()
      foreign = (await issueCredential({
        program: 'AIDA',
        recipient: { name: 'Eve <img src=x onerror="document.title=1"><script>alert(1)</script>' },
        key,
      })) as unknown as Json
      browser = await launchChromium()
      context = await browser.newContext()
    }, 180_000)

    afterAll(async () => {
      await context?.close()
      await browser?.close()
      await server?.close()
    })

    it('a valid credential dropped on the page is genuine, with the facts and every check ✓', async () => {
      const page = await openChecker()
      const before = requests.length
      await dropFile(page, 'ada.json', JSON.stringify(listed.vc, null, 2))
      const v = await readVerdict(page)
      expect(v).toEqual({
        verdict: 'genuine',
        codes: [],
        announced: expect.stringMatching(/^Genuine\. /) as string,
      })
      const facts = await page.locator('#result dl.facts').innerText()
      expect(facts).toContain('Ada Lovelace')
      expect(facts).toContain('AI Deployment Awareness (AIDA)')
      expect(facts).not.toContain('(AIDA) (AIDA)')
      expect(facts).toContain('Production AI Institute')
      expect(facts).toContain(did)
      expect(facts).toContain(listed.id)
      for (const id of [
        'input',
        'structure',
        'contexts',
        'proof',
        'key-binding',
        'validity',
        'issuer-trust',
        'program',
        'status',
      ]) {
        await expect.poll(() => checkRow(page, id).getAttribute('class')).toContain('check-passed')
        expect(await checkRow(page, id).locator('.mark').textContent()).toBe('✓')
      }
      // The file never left the machine: only GETs of the DID document and the status list.
      const during = requests.slice(before)
      expect(during.length).toBeGreaterThan(0)
      for (const r of during) {
        expect(r.method).toBe('GET')
        expect(r.postData).toBeNull()
        expect(r.url.startsWith(`${server.baseUrl}/`)).toBe(true)
      }
      expect(during.map((r) => new URL(r.url).pathname)).toEqual(
        expect.arrayContaining(['/.well-known/did.json']),
      )
      expect(during.some((r) => new URL(r.url).pathname.startsWith('/status/'))).toBe(true)
      expect(await serverVerdict(listed.vc)).toEqual({ verified: true, codes: [] })
      await expectReadableContrast(page)
      await screenshot(page, 'genuine')
      await page.close()
    })

    it('a tampered copy is not genuine: the signature check fails with ERR_PROOF_INVALID', async () => {
      const tampered = structuredClone(listed.vc) as Json & { credentialSubject: Json }
      tampered.credentialSubject.name = 'Mallory Impostor'
      const page = await openChecker()
      await page.locator('#file').setInputFiles({
        name: 'tampered.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(tampered)),
      })
      const v = await readVerdict(page)
      expect(v.verdict).toBe('not-genuine')
      expect(v.codes).toEqual(['ERR_PROOF_INVALID'])
      expect(await page.locator('#result .verdict-title').innerText()).toContain('Not genuine')
      const proofRow = checkRow(page, 'proof')
      expect(await proofRow.getAttribute('class')).toContain('check-failed')
      expect(await proofRow.locator('.mark').textContent()).toBe('✗')
      expect(await proofRow.locator('.reason').first().innerText()).toBe(
        'A signature does not verify: the credential was altered or not signed by this key.',
      )
      // Nothing from an altered file is shown as fact.
      expect(await page.locator('#result').innerText()).not.toContain('Mallory Impostor')
      expect(await page.locator('#result .facts-withheld').count()).toBe(1)
      const server = await serverVerdict(tampered)
      expect(server.verified).toBe(false)
      expect(server.codes).toEqual(v.codes)
      await expectReadableContrast(page)
      await screenshot(page, 'not-genuine-tampered')
      await page.close()
    })

    it('an oversized file is refused before parsing (ERR_INPUT_TOO_LARGE), and pasted junk is not JSON', async () => {
      const page = await openChecker()
      const huge = JSON.stringify({ ...listed.vc, padding: 'x'.repeat(700_000) })
      await page.locator('#file').setInputFiles({
        name: 'huge.json',
        mimeType: 'application/json',
        buffer: Buffer.from(huge),
      })
      let v = await readVerdict(page)
      // Unreadable input is not accused of anything (issue 16): nothing in it was checked.
      expect(v.verdict).toBe('unreadable')
      expect(v.codes).toEqual(['ERR_INPUT_TOO_LARGE'])
      expect(await checkRow(page, 'input').getAttribute('class')).toContain('check-failed')

      await page.getByLabel('Or paste the credential (JSON)').fill('{"@context": [')
      await page.getByRole('button', { name: 'Check the pasted credential' }).click()
      await expect.poll(async () => (await readVerdict(page)).codes).toEqual(['ERR_INPUT_NOT_JSON'])
      v = await readVerdict(page)
      expect(v.verdict).toBe('unreadable')
      const shown = await page.locator('#result').innerText()
      expect(shown).toContain('Could not be read')
      expect(shown).not.toContain('Not genuine')
      expect(shown).not.toContain('as its issuer signed it')
      await page.close()
    })

    it('a credential revoked through the API is revoked', async () => {
      const page = await openChecker()
      await dropFile(page, 'turing.json', JSON.stringify(revoked.vc))
      const v = await readVerdict(page)
      expect(v.verdict).toBe('revoked')
      expect(v.codes).toEqual(['ERR_STATUS_REVOKED'])
      expect(v.announced).toMatch(/^Revoked\. /)
      expect(await checkRow(page, 'status').getAttribute('class')).toContain('check-failed')
      expect(await checkRow(page, 'proof').getAttribute('class')).toContain('check-passed')
      expect(await page.locator('#result dl.facts').innerText()).toContain('Alan Turing')
      expect(await serverVerdict(revoked.vc)).toEqual({ verified: false, codes: v.codes })
      await expectReadableContrast(page)
      await screenshot(page, 'revoked')
      await page.close()
    })

    it('a suspended credential is suspended', async () => {
      const page = await openChecker()
      await dropFile(page, 'johnson.json', JSON.stringify(suspended.vc))
      const v = await readVerdict(page)
      expect(v.verdict).toBe('suspended')
      expect(v.codes).toEqual(['ERR_STATUS_SUSPENDED'])
      expect(await serverVerdict(suspended.vc)).toEqual({ verified: false, codes: v.codes })
      await expectReadableContrast(page)
      await screenshot(page, 'suspended')
      await page.close()
    })

    it('a self-issued credential from another did:key is from an untrusted issuer, and its text stays text', async () => {
      const page = await openChecker()
      const title = await page.title()
      await dropFile(page, 'foreign.json', JSON.stringify(foreign))
      const v = await readVerdict(page)
      expect(v.verdict).toBe('untrusted-issuer')
      expect(v.codes).toEqual(['ERR_ISSUER_UNTRUSTED'])
      expect(await checkRow(page, 'proof').getAttribute('class')).toContain('check-passed')
      expect(await checkRow(page, 'issuer-trust').getAttribute('class')).toContain('check-failed')
      expect(await checkRow(page, 'program').getAttribute('class')).toContain('check-skipped')
      const facts = await page.locator('#result dl.facts').innerText()
      // Issuer and program come from the trust list and the catalog, not from the credential,
      // which claims to be the Production AI Institute's AIDA.
      expect(facts).not.toContain('Production AI Institute')
      expect(facts).toContain('Not a trusted issuer')
      // Not "Not one of the Institute's programs" (issue 16): its program claim is not checked.
      expect(facts).toContain(
        'Not confirmed: the issuer is not trusted, so its claim to a program is not checked',
      )
      expect(facts).not.toContain('Not one of the Institute’s programs')
      // Markup in the holder's name is shown as text, never parsed.
      expect(facts).toContain('Eve <img src=x onerror="document.title=1"><script>alert(1)</script>')
      expect(await page.locator('#result img, #result script').count()).toBe(0)
      expect(await page.title()).toBe(title)
      const server = await serverVerdict(foreign)
      expect(server.verified).toBe(false)
      expect(server.codes).toEqual(v.codes)
      await expectReadableContrast(page)
      await screenshot(page, 'untrusted-issuer')
      await page.close()
    })

    it('a presentation is checked credential by credential; the worst verdict wins', async () => {
      const holder = await generateIssuerKey()
      const signed = await signPresentation(
        createPresentation({ holder: holder.did, verifiableCredential: [listed.vc] }),
        { signer: holder.signer(), challenge: 'from-another-verifier', domain: 'other.example' },
      )
      const page = await openChecker()
      await dropFile(page, 'presentation.json', JSON.stringify(signed))
      let v = await readVerdict(page)
      expect(v.verdict).toBe('genuine')
      expect(await page.locator('#result .presentation-note').innerText()).toContain(
        'cannot prove that the holder sent it',
      )
      expect(
        await page
          .locator('#result [data-credential-verdict]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-credential-verdict'))),
      ).toEqual(['genuine'])
      expect(
        await page.locator('#result li.check[data-check="proof"]').first().getAttribute('class'),
      ).toContain('check-passed')

      const mixed = createPresentation({
        holder: holder.did,
        verifiableCredential: [listed.vc, revoked.vc],
      })
      await page.goto(`${server.baseUrl}/certify/verify`)
      await page.waitForSelector('#checker:not([hidden])')
      await dropFile(page, 'mixed.json', JSON.stringify(mixed))
      v = await readVerdict(page)
      expect(v.verdict).toBe('revoked')
      expect(v.codes).toEqual(['ERR_PRESENTATION_CREDENTIAL_INVALID', 'ERR_STATUS_REVOKED'])
      expect(
        await page
          .locator('#result li.check[data-check="credentials"] .problem .code')
          .allTextContents(),
      ).toEqual(['ERR_PRESENTATION_CREDENTIAL_INVALID'])
      expect(
        await page
          .locator('#result [data-credential-verdict]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-credential-verdict'))),
      ).toEqual(['genuine', 'revoked'])
      await screenshot(page, 'presentation-revoked')
      await page.close()
    })

    it('pasting JSON and choosing a file with the keyboard give the same verdict', async () => {
      const page = await openChecker()
      await page.getByLabel('Or paste the credential (JSON)').fill(JSON.stringify(listed.vc))
      await page.getByRole('button', { name: 'Check the pasted credential' }).focus()
      await page.keyboard.press('Enter')
      expect((await readVerdict(page)).verdict).toBe('genuine')

      // The drop zone is reachable by keyboard: Tab to the file input, Space opens the chooser.
      await page.goto(`${server.baseUrl}/certify/verify`)
      await page.waitForSelector('#checker:not([hidden])')
      await page.keyboard.press('Tab') // skip link
      await page.keyboard.press('Enter') // skips the site navigation, to the main content
      await page.keyboard.press('Tab') // the file input (its label is the drop zone)
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('file')
      const outline = await page
        .locator('#drop-zone')
        .evaluate((el) => getComputedStyle(el).outlineStyle)
      expect(outline).toBe('solid')
      // Space on the focused input opens the chooser. Under heavy load Chromium occasionally drops
      // the first key press before the page is fully interactive, so up to three presses are
      // allowed; a keyboard-unreachable chooser still fails every time.
      let chooser: FileChooser | undefined
      for (let attempt = 0; attempt < 3 && chooser === undefined; attempt++) {
        const next = page.waitForEvent('filechooser', { timeout: 8_000 })
        await page.keyboard.press('Space')
        chooser = await next.catch(() => undefined)
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('file')
      }
      expect(chooser, 'Space on the file input opened no file chooser').toBeDefined()
      await chooser?.setFiles({
        name: 'turing.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(revoked.vc)),
      })
      expect((await readVerdict(page)).verdict).toBe('revoked')
      await page.close()
    })

    it('is readable on a phone', async () => {
      const phone = await browser.newContext({
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      })
      const page = await openChecker(phone)
      await page.locator('#file').setInputFiles({
        name: 'ada.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(listed.vc)),
      })
      expect((await readVerdict(page)).verdict).toBe('genuine')
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow).toBeLessThanOrEqual(0)
      await screenshot(page, 'genuine-phone')
      await phone.close()
    })

    describe('without JavaScript', () => {
      let noJs: BrowserContext
      beforeAll(async () => {
        noJs = await browser.newContext({ javaScriptEnabled: false })
      })
      afterAll(async () => {
        await noJs?.close()
      })

      it('the lookup page shows an opted-in credential as the server verified it', async () => {
        const page = await newPage(noJs)
        const res = await page.goto(
          `${server.baseUrl}/certify/verify/${encodeURIComponent(listed.id)}`,
        )
        expect(res?.status()).toBe(200)
        const csp = res?.headers()['content-security-policy'] ?? ''
        expect(csp).toContain("script-src 'self'")
        expect(csp).toContain("default-src 'none'")
        expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('genuine')
        const facts = await page.locator('dl.facts').innerText()
        expect(facts).toContain('Ada Lovelace')
        expect(facts).toContain('(AIDA)')
        await expectReadableContrast(page)
        await screenshot(page, 'lookup-listed')

        // A listed credential that was revoked shows as revoked.
        await page.goto(`${server.baseUrl}/certify/verify/${encodeURIComponent(revoked.id)}`)
        expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('revoked')
        await screenshot(page, 'lookup-listed-revoked')
        await page.close()
      })

      it('an unknown id and an unlisted credential get the same neutral page', async () => {
        const page = await newPage(noJs)
        const unknown = await page.goto(
          `${server.baseUrl}/certify/verify/${encodeURIComponent('urn:uuid:00000000-0000-4000-8000-000000000000')}`,
        )
        expect(unknown?.status()).toBe(404)
        const unknownMain = await page.locator('main').innerHTML()
        expect(await page.locator('h1').innerText()).toBe('Not listed')
        await screenshot(page, 'lookup-not-listed')
        const private_ = await page.goto(
          `${server.baseUrl}/certify/verify/${encodeURIComponent(unlisted.id)}`,
        )
        expect(private_?.status()).toBe(404)
        expect(await page.locator('main').innerHTML()).toBe(unknownMain)
        expect(await page.content()).not.toContain('Grace Hopper')
        await page.close()
      })

      it('the checker page explains that files need JavaScript, and its lookup form works', async () => {
        const page = await newPage(noJs)
        await page.goto(`${server.baseUrl}/certify/verify`)
        expect(await page.locator('#checker').isHidden()).toBe(true)
        expect(await page.locator('#js-required').isVisible()).toBe(true)
        await page.getByLabel('Credential id').fill(listed.id)
        await page.getByRole('button', { name: 'Look up' }).click()
        await page.waitForURL(`**/certify/verify/${encodeURIComponent(listed.id)}`)
        expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('genuine')
        await page.close()
      })
    })

    it('no CSP violation, console error or page error happened', () => {
      expect(problems).toEqual([])
    })
  },
)
