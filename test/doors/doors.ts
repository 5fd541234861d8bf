/**
 * The doors a credential can come in by, each driven as its users drive it: the library call, the
 * CLI (`certify-vc verify --json`, in-process and as the real binary), the VC API server
 * (`POST /credentials/verify`, and the credential inside an unsigned presentation at
 * `POST /presentations/verify`), the public verification page in Chromium, the wallet, and the
 * credential baked into a badge PNG (the library, the CLI and the page read it).
 * Each answers with a {@link DoorVerdict}, the part of a result every door shows.
 *
 * @module
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { bakePng } from '@certify-vc/core'
import { initWallet, type Wallet } from '@certify-vc/example-wallet'
import { programBadgePng } from '@certify-vc/issuer'
import {
  verifyCredential,
  type ProfileName,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import type { Browser, Page } from 'playwright-core'
import { runCli } from '../../examples/cli/src/cli.js'
import type { CliIo } from '../../examples/cli/src/io.js'
import { startTestServer } from '../../examples/server/test/helpers.js'

export const REPO_DIR = fileURLToPath(new URL('../../', import.meta.url))
export const CLI_BIN = join(REPO_DIR, 'examples/cli/dist/main.js')

/** What every door shows of a verification: the verdict and the problems' codes. */
export interface DoorVerdict {
  readonly verified: boolean
  /** The problems' codes, unique and sorted. */
  readonly codes: readonly string[]
  /** The warnings' codes (what was noted without failing), unique and sorted. */
  readonly warnings: readonly string[]
}

type Json = Record<string, unknown>

function codesOf(problems: readonly { code: string }[]): string[] {
  return [...new Set(problems.map((p) => p.code))].sort()
}

/** The verdict of a verifier result. */
export function verdictOfResult(result: VerifyCredentialResult): DoorVerdict {
  return {
    verified: result.verified,
    codes: codesOf(result.problems),
    warnings: codesOf(result.warnings),
  }
}

/** The library: `verifyCredential` with the profile and trust list, defaults otherwise. */
export async function viaLibrary(
  vc: Json,
  profile: ProfileName,
  trustedIssuers: readonly string[],
): Promise<DoorVerdict> {
  return verdictOfResult(await verifyCredential(vc, { profile, trustedIssuers }))
}

/** The wallet: `wallet.verify` (its own trust list) with the profile. */
export async function viaWallet(
  wallet: Wallet,
  vc: Json,
  profile: ProfileName,
): Promise<DoorVerdict> {
  return verdictOfResult(await wallet.verify(vc, { profile }))
}

/** A scratch folder for the CLI's input files and the wallet. */
export interface Workspace {
  readonly dir: string
  /** `trust.json`: `{ "trustedIssuers": [...] }`, for `--trust`. */
  readonly trustFile: string
  readonly wallet: Wallet
  close(): Promise<void>
}

export async function openWorkspace(trustedIssuers: readonly string[]): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'certify-doors-'))
  const trustFile = join(dir, 'trust.json')
  await writeFile(trustFile, JSON.stringify({ trustedIssuers }))
  const wallet = await initWallet(join(dir, 'wallet'), { trustedIssuers })
  return { dir, trustFile, wallet, close: () => rm(dir, { recursive: true, force: true }) }
}

function cliArgs(file: string, profile: ProfileName, trustFile: string): string[] {
  return ['verify', file, '--json', '--profile', profile, '--trust', trustFile]
}

/** Reads the CLI's `--json` output and checks it agrees with its exit code. */
function cliVerdict(stdout: string, exitCode: number): DoorVerdict {
  const result = JSON.parse(stdout) as VerifyCredentialResult
  if ((exitCode === 0) !== result.verified) {
    throw new Error(`certify-vc verify exited ${exitCode} with "verified": ${result.verified}`)
  }
  return verdictOfResult(result)
}

/** The credential's JSON text baked into the AIDA badge PNG (an `iTXt` chunk, as OB 3.0 bakes). */
export async function bakedBadge(vc: Json): Promise<Uint8Array> {
  return bakePng(await programBadgePng('AIDA'), JSON.stringify(vc, null, 2))
}

/** The library, given the baked badge's bytes instead of the JSON. */
export async function viaBakedBadge(
  vc: Json,
  profile: ProfileName,
  trustedIssuers: readonly string[],
): Promise<DoorVerdict> {
  return verdictOfResult(await verifyCredential(await bakedBadge(vc), { profile, trustedIssuers }))
}

/**
 * `certify-vc verify <file> --json --profile P --trust trust.json`, run in-process. `file` is the
 * credential's JSON, or with a `.png` name, the credential baked into a badge.
 */
export async function viaCli(
  workspace: Workspace,
  fileName: string,
  vc: Json,
  profile: ProfileName,
): Promise<DoorVerdict> {
  const file = join(workspace.dir, fileName)
  await writeFile(
    file,
    fileName.endsWith('.png') ? await bakedBadge(vc) : JSON.stringify(vc, null, 2),
  )
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    stdin: (async function* () {})(),
    env: {},
    cwd: workspace.dir,
  }
  const code = await runCli(cliArgs(file, profile, workspace.trustFile), io)
  if (code === 2) throw new Error(`certify-vc verify: usage error: ${stderr}`)
  return cliVerdict(stdout, code)
}

/** The same command through the built binary (`examples/cli/dist/main.js`), as a process. */
export async function viaCliBinary(
  workspace: Workspace,
  fileName: string,
  vc: Json,
  profile: ProfileName,
): Promise<DoorVerdict> {
  const file = join(workspace.dir, fileName)
  await writeFile(file, JSON.stringify(vc, null, 2))
  const run = promisify(execFile)
  try {
    const { stdout } = await run(
      process.execPath,
      [CLI_BIN, ...cliArgs(file, profile, workspace.trustFile)],
      {
        cwd: workspace.dir,
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      },
    )
    return cliVerdict(stdout, 0)
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string }
    if (failed.code === 1 && typeof failed.stdout === 'string') return cliVerdict(failed.stdout, 1)
    throw error
  }
}

/** The VC API server with its verification page, on a free loopback port, did:key identity. */
export interface RunningServer {
  readonly baseUrl: string
  /** The server's own DID (trusted by the server, so by every other door too). */
  readonly did: string
  close(): Promise<void>
}

export async function startServer(trustedIssuers: readonly string[]): Promise<RunningServer> {
  const server = await startTestServer({ didMethod: 'key', trustedIssuers: [...trustedIssuers] })
  const info = (await (await fetch(`${server.baseUrl}/certify/server-info`)).json()) as {
    did?: unknown
  }
  if (typeof info.did !== 'string') throw new Error('The server does not say its DID.')
  return { baseUrl: server.baseUrl, did: info.did, close: () => server.close() }
}

async function post(
  baseUrl: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Json }
}

interface ApiAnswer {
  readonly verified: boolean
  readonly errors?: readonly { code: string; path?: string }[]
  readonly warnings?: readonly { code: string; path?: string }[]
}

function apiVerdict(status: number, body: Json, door: string): DoorVerdict {
  const answer = body as unknown as ApiAnswer
  // 200 verified; 422 not verified; 400 for a request the server refuses before verifying.
  const expected = answer.verified ? [200] : [400, 422]
  if (!expected.includes(status)) {
    throw new Error(`${door} answered ${status} with "verified": ${String(answer.verified)}`)
  }
  return {
    verified: answer.verified,
    codes: codesOf(answer.errors ?? []),
    warnings: codesOf(answer.warnings ?? []),
  }
}

/** `POST /credentials/verify` (no token), `options.profile`. */
export async function viaServer(
  server: RunningServer,
  vc: Json,
  profile: ProfileName,
): Promise<DoorVerdict> {
  const { status, body } = await post(server.baseUrl, '/credentials/verify', {
    verifiableCredential: vc,
    options: { profile },
  })
  return apiVerdict(status, body, 'POST /credentials/verify')
}

/**
 * The credential inside an unsigned presentation at `POST /presentations/verify` (no challenge,
 * no domain, `options.profile`): the presentation adds nothing to check, so its verdict is the
 * credential's.
 */
export async function viaPresentation(
  server: RunningServer,
  vc: Json,
  profile: ProfileName,
): Promise<DoorVerdict> {
  const vp = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiablePresentation'],
    verifiableCredential: [vc],
  }
  const { status, body } = await post(server.baseUrl, '/presentations/verify', {
    verifiablePresentation: vp,
    options: { profile },
  })
  const verdict = apiVerdict(status, body, 'POST /presentations/verify')
  // The presentation's own code for "a credential in it failed" comes on top of the credential's;
  // not when the body was refused before verifying (400), nor when the presentation's input check
  // (which applies each embedded credential's own input limits) refused it whole.
  const wrapper = 'ERR_PRESENTATION_CREDENTIAL_INVALID'
  const wrapped = verdict.codes.includes(wrapper)
  const inputOnly =
    verdict.codes.length > 0 && verdict.codes.every((c) => c.startsWith('ERR_INPUT_'))
  if (wrapped !== (status === 422 && !inputOnly)) {
    throw new Error(
      `POST /presentations/verify answered ${status}, ${wrapper} ${wrapped ? 'present' : 'absent'}`,
    )
  }
  // An unsigned presentation is noted as such: the presentation's warning, not the credential's.
  return {
    ...verdict,
    codes: verdict.codes.filter((c) => c !== wrapper),
    warnings: verdict.warnings.filter((c) => c !== 'ERR_PRESENTATION_UNSIGNED'),
  }
}

/** The verification page, open in Chromium at `/certify/verify?profile=P`. */
export async function openPage(
  browser: Browser,
  server: RunningServer,
  profile: ProfileName,
): Promise<Page> {
  const page = await browser.newPage()
  const res = await page.goto(`${server.baseUrl}/certify/verify?profile=${profile}`)
  if (res?.status() !== 200) throw new Error(`/certify/verify answered ${res?.status()}`)
  await page.waitForSelector('#checker:not([hidden])')
  return page
}

/** Pastes the credential on the page, presses the button, and reads the verdict it shows. */
export async function viaPage(page: Page, vc: Json): Promise<DoorVerdict> {
  await page.evaluate(() => document.getElementById('result')?.replaceChildren())
  await page.getByLabel('Or paste the credential (JSON)').fill(JSON.stringify(vc))
  await page.getByRole('button', { name: 'Check the pasted credential' }).click()
  return pageVerdict(page)
}

/**
 * Chooses the credential baked into a badge PNG ({@link bakedBadge}) with the page's file input,
 * and reads the verdict it shows.
 */
export async function viaPageBakedBadge(page: Page, vc: Json): Promise<DoorVerdict> {
  const png = await bakedBadge(vc)
  await page.evaluate(() => document.getElementById('result')?.replaceChildren())
  await page.locator('#file').setInputFiles({
    name: 'badge.png',
    mimeType: 'image/png',
    buffer: Buffer.from(png),
  })
  return pageVerdict(page)
}

/** The verdict the page shows in `#result`, as a {@link DoorVerdict}. */
async function pageVerdict(page: Page): Promise<DoorVerdict> {
  const section = page.locator('#result section[data-verdict]')
  await section.waitFor({ timeout: 30_000 })
  const verdict = (await section.getAttribute('data-verdict')) ?? ''
  const codes = await page.locator('#result .problem .code').allTextContents()
  const verified = verdict === 'genuine' || verdict === 'genuine-unlisted-issuer'
  const warnings = await page.locator('#result .warning .code').allTextContents()
  return { verified, codes: [...new Set(codes)].sort(), warnings: [...new Set(warnings)].sort() }
}
