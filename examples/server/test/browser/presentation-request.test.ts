/**
 * The employer ↔ wallet flow on `/certify/verify` in Chromium, against the real server: the
 * employer requests a presentation (a single-use challenge of this server), the learner's
 * did:key signs a presentation answering it, and the page shows the holder binding the server
 * established (the challenge is consumed there) next to each credential's verdict, computed in
 * the browser. A replay is refused (ERR_CHALLENGE_REUSED), another domain too
 * (ERR_DOMAIN_MISMATCH); a wallet QR code (`certify-vc wallet qr` PNG, or its `VP1-…` text) is
 * read back in the browser. Screenshots go to `examples/server/test-artifacts/`.
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { type JsonObject } from '@certify-vc/context'
import { createPresentation, signPresentation } from '@certify-vc/core'
import { presentationToQr, qrToPng } from '@certify-vc/example-wallet'
import { buildCredential, generateIssuerKey, type IssuerKey } from '@certify-vc/issuer'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestServer, type TestServer } from '../helpers.js'
import { CHROMIUM_SKIP_REASON, launchChromium } from './chromium.js'

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../..')
const ARTIFACTS = join(PACKAGE_DIR, 'test-artifacts')

type Json = Record<string, unknown>

interface Shown {
  readonly verdict: string
  readonly holder: string
  readonly holderCode: string
  readonly credentialVerdicts: string[]
  readonly source: string
  readonly announced: string
}

describe.skipIf(CHROMIUM_SKIP_REASON !== undefined)(
  'presentation requests on the verification page in Chromium',
  { timeout: 120_000 },
  () => {
    let server: TestServer
    let browser: Browser
    let context: BrowserContext
    let did: string
    let learner: IssuerKey
    let aida: Json
    let tmp: string
    const problems: string[] = []
    const posts: { url: string; body: string | null }[] = []

    async function openChecker(): Promise<Page> {
      const page = await context.newPage()
      page.on('console', (msg) => {
        if (msg.type() !== 'error' && msg.type() !== 'warning') return
        // A refused presentation is answered 422 on purpose.
        if (/ 422 /.test(msg.text())) return
        problems.push(`console ${msg.type()}: ${msg.text()}`)
      })
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
      page.on('request', (req) => {
        if (req.method() === 'POST') posts.push({ url: req.url(), body: req.postData() })
      })
      const res = await page.goto(`${server.baseUrl}/certify/verify`)
      expect(res?.status()).toBe(200)
      await page.waitForSelector('#checker:not([hidden])')
      await page.waitForSelector('#request-section:not([hidden])')
      return page
    }

    /** Clicks "Request a presentation" and reads the challenge and domain the page shows. */
    async function request(page: Page): Promise<{ challenge: string; domain: string }> {
      await page.locator('#request-button').click()
      await page.locator('#request-command').waitFor()
      const challenge = (await page.locator('#request-challenge').textContent()) ?? ''
      const domain = (await page.locator('#request-domain').textContent()) ?? ''
      const command = (await page.locator('#request-command').textContent()) ?? ''
      expect(command).toBe(
        `certify-vc wallet present --challenge ${challenge} --domain ${domain} --credential <credential>`,
      )
      expect(await page.locator('[data-request-state]').getAttribute('data-request-state')).toBe(
        'open',
      )
      return { challenge, domain }
    }

    async function sign(challenge: string, domain: string, holder = learner): Promise<JsonObject> {
      const vp = await signPresentation(
        createPresentation({ holder: holder.did, verifiableCredential: [aida] }),
        { signer: holder.signer(), challenge, domain },
      )
      // The wallet's QR encoder takes plain JSON (a signed presentation is plain JSON).
      return JSON.parse(JSON.stringify(vp)) as JsonObject
    }

    async function clearResult(page: Page): Promise<void> {
      await page.evaluate(() => document.getElementById('result')?.replaceChildren())
    }

    async function pasteAndCheck(page: Page, text: string): Promise<Shown> {
      await clearResult(page)
      await page.getByLabel('Or paste the credential (JSON)').fill(text)
      await page.getByRole('button', { name: 'Check the pasted credential' }).click()
      return shown(page)
    }

    async function shown(page: Page): Promise<Shown> {
      const section = page.locator('#result section[data-verdict]').first()
      await section.waitFor({ timeout: 60_000 })
      const holder = page.locator('#result [data-holder]')
      return {
        verdict: (await section.getAttribute('data-verdict')) ?? '',
        holder: (await holder.getAttribute('data-holder')) ?? '',
        holderCode: (await holder.getAttribute('data-holder-code')) ?? '',
        credentialVerdicts: await page
          .locator('#result .presented-credential section[data-credential-verdict]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-credential-verdict') ?? '')),
        source: (await page.locator('#result .source').first().textContent()) ?? '',
        announced: (await page.locator('#announcer').textContent()) ?? '',
      }
    }

    async function screenshot(page: Page, name: string): Promise<void> {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })
    }

    beforeAll(async () => {
      await mkdir(ARTIFACTS, { recursive: true })
      tmp = await mkdtemp(join(tmpdir(), 'certify-vp-page-'))
      await promisify(execFile)(process.execPath, ['scripts/build-page.mjs'], { cwd: PACKAGE_DIR })
      server = await startTestServer()
      did = ((await (await fetch(`${server.baseUrl}/.well-known/did.json`)).json()) as Json)
        .id as string
      learner = await generateIssuerKey()
      const credential = buildCredential({
        program: 'AIDA',
        recipient: { name: 'Ada Lovelace', did: learner.did },
        issuerDid: did,
      })
      const res = await postJson(server, '/credentials/issue', { credential })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      aida = (res.body as { verifiableCredential: Json }).verifiableCredential
      browser = await launchChromium()
      context = await browser.newContext({ viewport: { width: 1000, height: 900 } })
    })

    afterAll(async () => {
      await context?.close()
      await browser?.close()
      await server?.close()
      if (tmp !== undefined) await rm(tmp, { recursive: true, force: true })
    })

    it('request → signed presentation ⇒ holder proven ✓; the same presentation again ⇒ ✗ reused', async () => {
      const page = await openChecker()
      const { challenge, domain } = await request(page)
      expect(challenge).toMatch(/^u[A-Za-z0-9_-]{22}$/)
      expect(domain).toBe(new URL(server.baseUrl).host)
      await screenshot(page, 'presentation-request-open')
      // "Copy the command" puts the learner's command on the clipboard.
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: server.baseUrl,
      })
      await page.locator('#request-copy').click()
      await page.getByRole('button', { name: 'Copied ✓' }).waitFor()
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
        `certify-vc wallet present --challenge ${challenge} --domain ${domain} --credential <credential>`,
      )

      const vp = await sign(challenge, domain)
      const first = await pasteAndCheck(page, JSON.stringify(vp))
      expect(first.holder).toBe('proven')
      expect(
        await page
          .locator('#result ol[data-checked-by="server"] li.check')
          .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-check')}:${e.className}`)),
      ).toEqual(
        [
          'input',
          'structure',
          'contexts',
          'proof',
          'holder-binding',
          'challenge',
          'domain',
          'subject-binding',
        ].map((id) => `${id}:check check-passed`),
      )
      expect(first.verdict).toBe('genuine')
      expect(first.credentialVerdicts).toEqual(['genuine'])
      expect(first.announced).toContain('Holder proven for this request.')
      expect(await page.locator('#result [data-holder]').textContent()).toContain(learner.did)
      // The page sent it to this server once, with the request's challenge and domain.
      const sent = posts.filter((p) => p.url.endsWith('/certify/verify/presentation'))
      expect(sent.length).toBe(1)
      expect(JSON.parse(sent[0]?.body ?? '{}')).toMatchObject({ challenge, domain })
      expect(await page.locator('[data-request-state]').getAttribute('data-request-state')).toBe(
        'used',
      )
      await screenshot(page, 'presentation-holder-proven')

      const replay = await pasteAndCheck(page, JSON.stringify(vp))
      expect(replay.verdict).toBe('holder-not-proven')
      expect(replay.holder).toBe('not-proven')
      expect(replay.holderCode).toBe('ERR_CHALLENGE_REUSED')
      // The presentation's checks shown are the server's, with the challenge failed there.
      expect(await page.locator('#result ol.checks[data-checked-by="server"]').count()).toBe(1)
      expect(
        await page
          .locator('#result ol[data-checked-by="server"] li[data-check="challenge"]')
          .getAttribute('class'),
      ).toContain('check-failed')
      // The credential is still genuine in itself; what fails is the holder binding.
      expect(replay.credentialVerdicts).toEqual(['genuine'])
      expect(replay.announced).toContain(
        'Holder not proven for this request (ERR_CHALLENGE_REUSED)',
      )
      await screenshot(page, 'presentation-replay-refused')
      await page.close()
    })

    it('a presentation made for another domain ⇒ ✗ ERR_DOMAIN_MISMATCH', async () => {
      const page = await openChecker()
      const { challenge } = await request(page)
      const vp = await sign(challenge, 'evil.example')
      const result = await pasteAndCheck(page, JSON.stringify(vp))
      expect(result.verdict).toBe('holder-not-proven')
      expect(result.holder).toBe('not-proven')
      expect(result.holderCode).toBe('ERR_DOMAIN_MISMATCH')
      expect(result.credentialVerdicts).toEqual(['genuine'])
      await screenshot(page, 'presentation-domain-mismatch')
      await page.close()
    })

    it('a wallet QR code image answering the request ⇒ read in the browser, holder proven ✓', async () => {
      const page = await openChecker()
      const { challenge, domain } = await request(page)
      const vp = await sign(challenge, domain)
      const qr = await presentationToQr(vp)
      const png = join(tmp, 'presentation-qr.png')
      await writeFile(png, qrToPng(qr))
      const before = posts.length
      await clearResult(page)
      await page.locator('#file').setInputFiles(png)
      const result = await shown(page)
      expect(result.source).toContain('presentation-qr.png')
      expect(result.source).toContain('Read from a wallet QR code.')
      expect(result.verdict).toBe('genuine')
      expect(result.credentialVerdicts).toEqual(['genuine'])
      expect(result.holder).toBe('proven')
      // Only the decoded presentation went to the server (the image never did).
      const sent = posts.slice(before)
      expect(sent.map((p) => new URL(p.url).pathname)).toEqual(['/certify/verify/presentation'])
      expect(
        (JSON.parse(sent[0]?.body ?? '{}') as { verifiablePresentation: Json })
          .verifiablePresentation,
      ).toEqual(vp)
      await screenshot(page, 'presentation-qr-image')
      await page.close()
    })

    it('pasted QR text without a request ⇒ credentials verified, holder not proven (nothing sent)', async () => {
      const page = await openChecker()
      const vp = await sign('uAAAAAAAAAAAAAAAAAAAAAA', 'jobs.example')
      const qr = await presentationToQr(vp)
      expect(qr.payload.startsWith('VP1-')).toBe(true)
      const before = posts.length
      const result = await pasteAndCheck(page, qr.payload)
      expect(result.verdict).toBe('genuine')
      expect(result.credentialVerdicts).toEqual(['genuine'])
      expect(result.holder).toBe('not-requested')
      expect(result.source).toContain('Read from a wallet QR code.')
      expect(posts.length).toBe(before)
      await screenshot(page, 'presentation-qr-text-no-request')

      // Text that is not a presentation QR payload is refused with a plain message.
      await clearResult(page)
      await page.getByLabel('Or paste the credential (JSON)').fill('VP1-R0000')
      await page.getByRole('button', { name: 'Check the pasted credential' }).click()
      const error = page.locator('#result section[data-verdict="error"]')
      await error.waitFor()
      expect(await error.textContent()).toContain('does not decode')
      await page.close()
    })

    it('left no console error or page error', () => {
      expect(problems).toEqual([])
    })
  },
)
