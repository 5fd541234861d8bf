/**
 * What the Chromium tests of the complete page share: the two viewports (desktop, a 390 px
 * phone), the axe-core accessibility check (axe-core from npm, evaluated into the page through
 * the DevTools protocol, so that the page's CSP stays as served), screenshots into
 * `examples/server/test-artifacts/`, and a page that records console errors, page errors and
 * CSP violations.
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../..')
/** Where the screenshots go (named in the README). */
export const ARTIFACTS = join(PACKAGE_DIR, 'test-artifacts')

/** The two viewports every page is tested at. */
export const VIEWPORTS = [
  { name: 'desktop', options: { viewport: { width: 1280, height: 900 } } },
  {
    name: 'phone',
    options: {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    },
  },
] as const

/** One of {@link VIEWPORTS}. */
export type Viewport = (typeof VIEWPORTS)[number]

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules, and best practices) on the page as it is now and
 * fails with every violation found (rule, impact, and the elements).
 */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  await page.evaluate(AXE_SOURCE)
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } })
      .axe
    const results = (await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    })) as {
      violations: { id: string; impact: string; nodes: { target: unknown[] }[] }[]
    }
    return results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`,
    )
  })
  expect(violations).toEqual([])
}

/** Writes a full-page screenshot to `test-artifacts/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })
}

/** A context at `viewport` whose pages record problems into `problems`. */
export async function newContext(
  browser: Browser,
  viewport: Viewport,
  extra: Parameters<Browser['newContext']>[0] = {},
): Promise<BrowserContext> {
  return browser.newContext({ ...viewport.options, ...extra })
}

/**
 * A new page of `context` that pushes console errors and warnings (but those `allow` matches),
 * page errors and CSP violations into `problems`.
 */
export async function watchedPage(
  context: BrowserContext,
  problems: string[],
  allow: RegExp = /^$/,
): Promise<Page> {
  const page = await context.newPage()
  page.on('console', (msg) => {
    if (msg.type() !== 'error' && msg.type() !== 'warning') return
    if (allow.test(msg.text())) return
    problems.push(`console ${msg.type()} at ${msg.location().url}: ${msg.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  return page
}

/** The verdict the checker shows: `data-verdict` and the codes of the problems. */
export async function shownVerdict(page: Page): Promise<{ verdict: string; codes: string[] }> {
  const section = page.locator('#result section[data-verdict]').first()
  await section.waitFor({ timeout: 60_000 })
  return {
    verdict: (await section.getAttribute('data-verdict')) ?? '',
    codes: [...new Set(await page.locator('#result .problem .code').allTextContents())].sort(),
  }
}

/** Whether the element's box lies wholly within the first screenful (no scrolling). */
export async function aboveTheFold(page: Page, selector: string): Promise<boolean> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const box = el.getBoundingClientRect()
      return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0
    })
}
