/**
 * The README's local recipe, run as it is written: the block between the `local-recipe` markers
 * of README.md is executed step by step in one `bash` (variables carry over between steps), in a
 * scratch folder laid out like the repository root (`examples/` linked, `data/` the server's
 * DATA_DIR), against the real server binary (`node examples/server/dist/main.js`) in development
 * mode on a free port instead of 8080. The CLI is the real binary the recipe names. Steps 3 and 8
 * (the page) are done in Chromium: the credential file is dropped on `/certify/verify`, which says
 * "Genuine", then "Revoked". Needs curl and jq (as the README says) and Chromium; skipped with a
 * message without them, failed instead under CERTIFY_REQUIRE_SERVICES=1.
 */
import {
  execFile,
  execFileSync,
  spawn,
  type ChildProcessWithoutNullStreams,
} from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CHROMIUM_SKIP_REASON,
  launchChromium,
} from '../../examples/server/test/browser/chromium.js'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
const SERVER_MAIN = join(REPO, 'examples/server/dist/main.js')

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const missing = ['bash', 'curl', 'jq'].filter((c) => !has(c))
const TOOLS_SKIP_REASON =
  missing.length === 0
    ? undefined
    : `${missing.join(', ')} not installed (the README recipe needs them; scripts/test-services.sh installs them)`
if (TOOLS_SKIP_REASON !== undefined) {
  if (process.env.CERTIFY_REQUIRE_SERVICES === '1') {
    throw new Error(`CERTIFY_REQUIRE_SERVICES=1 but ${TOOLS_SKIP_REASON}.`)
  }
  console.warn(`Skipping the README recipe test: ${TOOLS_SKIP_REASON}.`)
}
const SKIP = CHROMIUM_SKIP_REASON ?? TOOLS_SKIP_REASON

/** The recipe block of README.md: its shell lines, split into the preamble and steps 1, 2, … */
async function readRecipe(port: number): Promise<{ number: number; text: string }[]> {
  const readme = await readFile(join(REPO, 'README.md'), 'utf8')
  const block =
    /<!-- local-recipe:begin[^>]*-->\s*```sh\n([\s\S]*?)```\s*<!-- local-recipe:end -->/.exec(
      readme,
    )
  if (block?.[1] === undefined) throw new Error('README.md has no local-recipe block.')
  // The only change: the test server's port instead of 8080.
  const script = block[1].replaceAll('localhost:8080', `localhost:${port}`)
  expect(script).not.toContain('8080')
  const steps: { number: number; text: string }[] = [{ number: 0, text: '' }]
  for (const line of script.split('\n')) {
    const heading = /^# (\d+)\. /.exec(line)
    if (heading !== null) steps.push({ number: Number(heading[1]), text: '' })
    const current = steps[steps.length - 1] as { number: number; text: string }
    current.text += `${line}\n`
  }
  return steps
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolvePort(port))
    })
  })
}

/** One bash process; `run` sends a step and returns what it printed and its last exit status. */
class Shell {
  readonly #child: ChildProcessWithoutNullStreams
  #out = ''
  #err = ''
  #marker = 0

  constructor(cwd: string, env: Record<string, string>) {
    this.#child = spawn('bash', ['--noprofile', '--norc'], { cwd, env })
    this.#child.stdout.setEncoding('utf8').on('data', (c: string) => (this.#out += c))
    this.#child.stderr.setEncoding('utf8').on('data', (c: string) => (this.#err += c))
  }

  async run(text: string): Promise<{ out: string; err: string; status: number }> {
    const marker = `__recipe_step_${++this.#marker}__`
    const start = { out: this.#out.length, err: this.#err.length }
    this.#child.stdin.write(`${text}\necho "${marker} $?"\n`)
    const until = Date.now() + 60_000
    for (;;) {
      const found = new RegExp(`${marker} (\\d+)\\n`).exec(this.#out.slice(start.out))
      if (found !== null) {
        const out = this.#out.slice(start.out)
        return {
          out: out.slice(0, found.index),
          err: this.#err.slice(start.err),
          status: Number(found[1]),
        }
      }
      if (Date.now() > until || this.#child.exitCode !== null) {
        throw new Error(`The step did not finish:\n${text}\n${this.#out}\n${this.#err}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  close(): void {
    this.#child.stdin.end()
    this.#child.kill('SIGTERM')
  }
}

describe.skipIf(SKIP !== undefined)('the README local recipe', { timeout: 240_000 }, () => {
  let root: string
  let port: number
  let server: ChildProcessWithoutNullStreams
  let serverLog = ''
  let shell: Shell
  let browser: Browser
  let steps: { number: number; text: string }[]

  beforeAll(async () => {
    // The binaries the recipe runs, built as `pnpm start` builds them.
    await promisify(execFile)(
      'flock',
      ['/tmp/certify-tsc.lock', 'pnpm', 'exec', 'tsc', '-b', 'examples/server', 'examples/cli'],
      { cwd: REPO },
    )
    await promisify(execFile)(process.execPath, ['examples/server/scripts/build-page.mjs'], {
      cwd: REPO,
    })
    root = await mkdtemp(join(tmpdir(), 'certify-recipe-'))
    await symlink(join(REPO, 'examples'), join(root, 'examples'), 'dir')
    port = await freePort()
    steps = await readRecipe(port)
    // `pnpm start`, minus the build: the binary in development mode, DATA_DIR ./data.
    server = spawn(process.execPath, [SERVER_MAIN], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        CERTIFY_DEV: '1',
        PORT: String(port),
        DATA_DIR: join(root, 'data'),
        LOG_LEVEL: 'info',
      },
    })
    server.stdout.setEncoding('utf8').on('data', (c: string) => (serverLog += c))
    server.stderr.setEncoding('utf8').on('data', (c: string) => (serverLog += c))
    const until = Date.now() + 30_000
    for (;;) {
      const ready = await fetch(`http://localhost:${port}/certify/server-info`).then(
        (r) => r.ok,
        () => false,
      )
      if (ready) break
      if (Date.now() > until || server.exitCode !== null) {
        throw new Error(`The server did not start:\n${serverLog}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await mkdir(join(root, 'home'))
    shell = new Shell(root, {
      PATH: process.env.PATH ?? '',
      HOME: join(root, 'home'),
      NO_COLOR: '1',
    })
    browser = await launchChromium()
  }, 180_000)

  afterAll(async () => {
    shell?.close()
    await browser?.close()
    server?.kill('SIGTERM')
    if (root !== undefined) await rm(root, { recursive: true, force: true })
  })

  async function step(n: number): Promise<{ out: string; err: string; status: number }> {
    const found = steps.find((s) => s.number === n)
    if (found === undefined) throw new Error(`The recipe has no step ${n}.`)
    return shell.run(found.text)
  }

  /** Opens the page, drops `aida.json` on it as a file, and reads the verdict. */
  async function pageVerdict(name: string): Promise<string> {
    const text = await readFile(join(root, 'demo-out/local/aida.json'), 'utf8')
    const page: Page = await browser.newPage()
    try {
      // GET / leads to the certification directory, whose navigation leads to the page.
      const res = await page.goto(`http://localhost:${port}/`)
      expect(res?.status()).toBe(200)
      expect(page.url()).toBe(`http://localhost:${port}/certify`)
      await Promise.all([
        page.waitForURL('**/certify/verify'),
        page.click('text=Verify a credential'),
      ])
      expect(page.url()).toBe(`http://localhost:${port}/certify/verify`)
      await page.waitForSelector('#checker:not([hidden])')
      const dataTransfer = await page.evaluateHandle(
        ([fileName, content]) => {
          const dt = new DataTransfer()
          dt.items.add(new File([content], fileName, { type: 'application/json' }))
          return dt
        },
        ['aida.json', text] as const,
      )
      for (const type of ['dragenter', 'dragover', 'drop']) {
        await page.dispatchEvent('#drop-zone', type, { dataTransfer })
      }
      const section = page.locator('#result section[data-verdict]')
      await section.waitFor({ timeout: 60_000 })
      // The title without its icon (aria-hidden), as a screen reader says it.
      const title = await page
        .locator('#result .verdict-title')
        .first()
        .evaluate((el): string => {
          const icon = el.querySelector('.verdict-icon')?.textContent ?? ''
          return (el.textContent ?? '').replace(icon, '')
        })
      await mkdir(join(REPO, 'examples/server/test-artifacts'), { recursive: true })
      await page.screenshot({
        path: join(REPO, 'examples/server/test-artifacts', `recipe-${name}.png`),
        fullPage: true,
      })
      return `${(await section.getAttribute('data-verdict')) ?? ''}: ${title.trim()}`
    } finally {
      await page.close()
    }
  }

  it('starts loudly in development mode, with the page URL', () => {
    expect(serverLog).toContain('DEVELOPMENT MODE (CERTIFY_DEV=1)')
    expect(serverLog).toContain(`Verification page  http://localhost:${port}/certify/verify`)
    expect(serverLog).toContain(`did:web:localhost%3A${port}`)
    expect(serverLog).toContain(`trust --from http://localhost:${port}`)
    expect(serverLog).toContain(join(root, 'data', 'write-token'))
  })

  it('runs the recipe: issue, verify (CLI and page), import, present, revoke, revoked everywhere', async () => {
    expect(steps.map((s) => s.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
    const pre = await step(0)
    expect(pre.status).toBe(0)

    const trusted = await step(1)
    expect(trusted.status).toBe(0)
    expect(trusted.out).toContain(`Trusting the local Institute did:web:localhost%3A${port}`)
    expect(trusted.out).toContain('Created a wallet')
    expect(trusted.out).toContain(`Trusted issuers (config file`)

    const issued = await step(2)
    expect(issued.status).toBe(0)
    expect(issued.out).toMatch(/VERIFIED: AIDA — .* issued to Ada Lovelace by did:web:localhost/)
    expect(issued.out).toMatch(/✓ status/)

    expect(await step(3)).toMatchObject({ status: 0 })
    expect(await pageVerdict('genuine')).toBe('genuine: Genuine')

    const imported = await step(4)
    expect(imported.status).toBe(0)
    expect(imported.out).toContain('✓ imported aida.json')

    const presented = await step(5)
    expect(presented.status).toBe(0)
    expect(JSON.parse(presented.out)).toEqual({ verified: true, holderProven: true })

    const revoked = await step(6)
    expect(revoked.status).toBe(0)
    expect(JSON.parse(revoked.out)).toMatchObject({ status: 'revoked', changed: true })

    const said = await step(7)
    expect(said.out).toContain('NOT VERIFIED: status failed — ERR_STATUS_REVOKED')
    expect(said.out).toMatch(/✗ revoked\s+ERR_STATUS_REVOKED/)

    expect(await step(8)).toMatchObject({ status: 0 })
    expect(await pageVerdict('revoked')).toBe('revoked: Revoked')
  })
})
