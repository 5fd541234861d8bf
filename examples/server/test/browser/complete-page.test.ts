/**
 * The complete verification page (issue 16 item 1) in Chromium, on a desktop and on a 390 px
 * phone, against the real server: a verified, tampered, revoked, suspended, expired, untrusted
 * and unreadable credential each show their verdict with the words named in the issue (the
 * achievement from the catalog, issuer card, dates, status with its reason, "last checked" and
 * "check again", per-check help, failure titles that say what failed, one line for checks not
 * reached, a verdict for unreadable input that accuses no one); the reason is above the fold on
 * the phone; axe-core finds no violation; each writes a screenshot to
 * `examples/server/test-artifacts/complete-<case>-<viewport>.png`.
 */
import { execFile } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { promisify } from 'node:util'
import { createCatalog } from '@certify-vc/context'
import { generateIssuerKey, issueCredential } from '@certify-vc/issuer'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadKeyRing } from '../../src/identity.js'
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

interface Case {
  readonly name: string
  readonly file: () => string
  readonly verdict: string
  readonly codes: string[]
  /** Texts the result must show (visible). */
  readonly shows: string[]
  /** Texts it must not show. */
  readonly hides?: string[]
}

describe.skipIf(CHROMIUM_SKIP_REASON !== undefined)(
  'the complete verification page in Chromium (desktop and phone)',
  { timeout: 120_000 },
  () => {
    let server: TestServer
    let browser: Browser
    const vcs: Record<string, Json> = {}
    const problems: string[] = []

    async function issueProgram(program: string, name: string, extra: Json = {}): Promise<Json> {
      const res = await postJson(server, '/certify/credentials', {
        program,
        recipient: { name },
        ...extra,
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      return (res.body as { verifiableCredential: Json }).verifiableCredential
    }

    beforeAll(async () => {
      await mkdir(ARTIFACTS, { recursive: true })
      await promisify(execFile)(process.execPath, ['scripts/build-page.mjs'], { cwd: PACKAGE_DIR })
      server = await startTestServer()
      vcs.verified = await issueProgram('CAAE', 'Ada Lovelace')
      vcs.revoked = await issueProgram('AIDA', 'Alan Turing')
      vcs.suspended = await issueProgram('CAAE', 'Katherine Johnson', { suspension: true })
      for (const [key, action] of [
        ['revoked', 'revoke'],
        ['suspended', 'suspend'],
      ] as const) {
        const id = encodeURIComponent(vcs[key]?.id as string)
        const res = await postJson(server, `/certify/credentials/${id}/${action}`, {})
        expect(res.status, JSON.stringify(res.body)).toBe(200)
      }
      // Signed two years ago with this server's key, for a program valid one year: expired.
      const ring = await loadKeyRing(server.dataDir, 'web', server.baseUrl)
      const past = new Date(Date.now() - 2 * 365 * 86_400_000)
      vcs.expired = (await issueCredential({
        program: 'CAAE',
        recipient: { name: 'Grace Hopper' },
        key: ring.current.key,
        catalog: createCatalog({ validity: { CAAE: { expires: true, days: 365 } } }),
        validFrom: past,
        now: past,
      })) as unknown as Json
      const tampered = structuredClone(vcs.verified) as Json & { credentialSubject: Json }
      tampered.credentialSubject.name = 'Mallory Impostor'
      vcs.tampered = tampered
      vcs.untrusted = (await issueCredential({
        program: 'CAAE',
        recipient: { name: 'Eve Example' },
        key: await generateIssuerKey(),
      })) as unknown as Json
      browser = await launchChromium()
    }, 180_000)

    afterAll(async () => {
      await browser?.close()
      await server?.close()
    })

    const json = (key: string) => () => JSON.stringify(vcs[key], null, 2)
    const cases: Case[] = [
      {
        name: 'verified',
        file: json('verified'),
        verdict: 'genuine',
        codes: [],
        shows: [
          'Genuine',
          'Issued by Production AI Institute, unaltered, and neither revoked nor suspended.',
          'Last checked by this browser',
          'Certified AI Application Engineer (CAAE)',
          'Certification · paid program',
          'builds on AIDA',
          'Criteria',
          'Skills (aligned control areas)',
          'Input boundaries',
          'Deployment safety',
          'Ada Lovelace',
          'Active',
          'On this site’s list of trusted issuers.',
          'production-ai.institute',
          'The signature verifies: nothing was altered',
        ],
      },
      {
        name: 'tampered',
        file: json('tampered'),
        verdict: 'not-genuine',
        codes: ['ERR_PROOF_INVALID'],
        shows: [
          'Not genuine',
          'The signature does not verify: the file was altered, or not signed by this key',
          'Not reached, because the signature failed:',
          'No holder, program or dates are shown',
        ],
        hides: ['Mallory Impostor', 'The signature verifies: nothing was altered', 'Not checked:'],
      },
      {
        name: 'revoked',
        file: json('revoked'),
        verdict: 'revoked',
        codes: ['ERR_STATUS_REVOKED'],
        shows: [
          'Revoked',
          'The issuer has revoked this credential: it no longer stands.',
          'The issuer has revoked it',
          'the issuer has withdrawn this credential for good',
          'Alan Turing',
        ],
        hides: ['It has not been revoked or suspended'],
      },
      {
        name: 'suspended',
        file: json('suspended'),
        verdict: 'suspended',
        codes: ['ERR_STATUS_SUSPENDED'],
        shows: [
          'Suspended',
          'The issuer has suspended it',
          'may be reinstated',
          'Katherine Johnson',
        ],
      },
      {
        name: 'expired',
        file: json('expired'),
        verdict: 'expired',
        codes: ['ERR_VALIDITY_EXPIRED'],
        shows: ['Expired', 'It has expired', 'Grace Hopper', 'Expires'],
        hides: ['Today is within its validity dates'],
      },
      {
        name: 'untrusted',
        file: json('untrusted'),
        verdict: 'untrusted-issuer',
        codes: ['ERR_ISSUER_UNTRUSTED'],
        shows: [
          'Untrusted issuer',
          'The issuer is not on the trusted-issuer list',
          'Not confirmed: the issuer is not trusted, so its claim to a program is not checked',
          'An issuer this site does not trust',
          'Not reached, because the issuer failed:',
        ],
        hides: ['Not one of the Institute’s programs', 'Certified AI Application Engineer (CAAE)'],
      },
      {
        name: 'not-json',
        file: () => 'This is a PDF of a certificate, not a credential.',
        verdict: 'unreadable',
        codes: ['ERR_INPUT_NOT_JSON'],
        shows: [
          'Could not be read',
          'it does not mean anyone altered anything',
          'The file could not be read as a JSON document',
          'Not reached, because reading the file failed:',
        ],
        hides: ['Not genuine', 'as its issuer signed it'],
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

        async function check(c: Case): Promise<Page> {
          const page = await watchedPage(context, problems)
          await page.goto(`${server.baseUrl}/certify/verify`)
          await page.waitForSelector('#checker:not([hidden])')
          await page.locator('#file').setInputFiles({
            name: `${c.name}.json`,
            mimeType: 'application/json',
            buffer: Buffer.from(c.file()),
          })
          const shown = await shownVerdict(page)
          expect(shown).toEqual({ verdict: c.verdict, codes: c.codes })
          return page
        }

        for (const c of cases) {
          it(`${c.name}: the verdict, its reason above the fold, the words of issue 16, axe clean`, async () => {
            const page = await check(c)
            const text = await page.locator('#result').innerText()
            for (const words of c.shows) expect(text, words).toContain(words)
            for (const words of c.hides ?? []) expect(text, words).not.toContain(words)
            // The reason is in the first screenful once the result is shown.
            expect(await aboveTheFold(page, '#result .verdict-summary')).toBe(true)
            // No check is titled positively when it failed, and no "Not checked" line repeats.
            for (const label of await page
              .locator('#result li.check-failed > .label')
              .allTextContents()) {
              expect(label).not.toMatch(/^(The signature verifies|It has not been|Today is within)/)
            }
            expect(await page.locator('#result .not-reached').count()).toBeLessThanOrEqual(1)
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            )
            expect(overflow).toBeLessThanOrEqual(0)
            await expectNoAxeViolations(page)
            await screenshot(page, `complete-${c.name}-${viewport.name}`)
            await page.close()
          })
        }

        it('"check again" checks again (a new time), and each check’s help opens from the keyboard', async () => {
          const page = await check(cases[0] as Case)
          const time = page.locator('#result .checked-at time')
          const first = await time.getAttribute('datetime')
          await page.waitForTimeout(1100)
          await page.getByRole('button', { name: 'Check again' }).click()
          await expect.poll(() => time.getAttribute('datetime')).not.toBe(first)
          expect((await shownVerdict(page)).verdict).toBe('genuine')
          // The help of the signature check, reached and opened with the keyboard.
          const summary = page.locator('#result li[data-check="proof"] summary')
          await summary.focus()
          await page.keyboard.press('Enter')
          await expect
            .poll(() => page.locator('#result li[data-check="proof"] details').getAttribute('open'))
            .toBe('')
          expect(
            await page.locator('#result li[data-check="proof"] details p').innerText(),
          ).toContain('If any character of what was signed changed afterwards')
          await expectNoAxeViolations(page)
          await page.close()
        })
      })
    }

    it('no CSP violation, console error or page error happened', () => {
      expect(problems).toEqual([])
    })
  },
)
