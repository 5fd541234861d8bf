/**
 * Chromium for the browser tests: Debian's `/usr/bin/chromium` (or `CERTIFY_CHROMIUM`), driven by
 * playwright-core. A browser is never downloaded.
 *
 * @module
 */
import { accessSync, constants } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1'

/** The Chromium executable (`source scripts/test-services.sh` exports CERTIFY_CHROMIUM). */
export const CHROMIUM_PATH = process.env.CERTIFY_CHROMIUM ?? '/usr/bin/chromium'
/** `CERTIFY_REQUIRE_SERVICES=1`: a missing Chromium fails the tests instead of skipping them. */
export const REQUIRE_SERVICES = process.env.CERTIFY_REQUIRE_SERVICES === '1'

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Why the Chromium tests are skipped (`undefined`: they run). */
export const CHROMIUM_SKIP_REASON = executable(CHROMIUM_PATH)
  ? undefined
  : `no Chromium at ${CHROMIUM_PATH} (CERTIFY_CHROMIUM): run \`source scripts/test-services.sh\` first`

if (CHROMIUM_SKIP_REASON !== undefined) {
  if (REQUIRE_SERVICES) throw new Error(`CERTIFY_REQUIRE_SERVICES=1 but ${CHROMIUM_SKIP_REASON}.`)
  console.warn(`Skipping the Chromium tests: ${CHROMIUM_SKIP_REASON}.`)
}

/**
 * Launches headless Chromium with the project's flags, and `extraArgs` (e.g. the fake camera
 * of the QR scan test: `--use-fake-device-for-media-stream`,
 * `--use-file-for-fake-video-capture=<file.y4m>`).
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      ...extraArgs,
    ],
  })
}
