/**
 * The command line on both sides, the built binary against a running server: the Institute makes
 * offers with `certify-vc offer`; the learner's `certify-vc wallet receive` claims one by its
 * OpenID4VCI offer URI (with the transaction code) and one by its Learner Credential Wallet link
 * (a VC API exchange), each stored in the wallet as issued to the wallet's DID; a refused claim
 * exits 1 with the issuer's error.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers.js'
import { REPO, buildBinaries, type Json } from './wallets.js'

const CLI = join(REPO, 'examples/cli/dist/main.js')
let server: TestServer
let did: string
let dir: string

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [CLI, ...args], { cwd: dir }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    }),
  )
}

beforeAll(async () => {
  await buildBinaries('examples/cli')
  server = await startTestServer({ didMethod: 'key' })
  did = ((await (await fetch(`${server.baseUrl}/certify/server-info`)).json()) as { did: string })
    .did
  dir = await mkdtemp(join(tmpdir(), 'certify-delivery-cli-'))
}, 180_000)

afterAll(async () => {
  await server?.close()
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})

describe('certify-vc offer and certify-vc wallet receive', () => {
  it('an offer by OpenID4VCI (with its tx code) and one by the LCW link land in the wallet, issued to its DID', async () => {
    const server_ = ['--server', server.baseUrl, '--token', server.token]
    const made = await cli(
      'offer',
      ...server_,
      '--program',
      'CAAE',
      '--name',
      'Ada',
      '--tx-code',
      '--json',
    )
    expect(made.code, made.stderr).toBe(0)
    const offer = JSON.parse(made.stdout) as { offerUri: string; txCode: string }
    const human = await cli('offer', ...server_, '--program', 'aida', '--name', 'Ada')
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toContain('✓ offer made for AIDA')
    const lcwLink = /LCW link\s+(\S+)/.exec(human.stdout)?.[1] ?? ''
    expect(lcwLink.startsWith('https://lcw.app/request.html?request=')).toBe(true)

    expect((await cli('wallet', 'init', '-w', 'w', '--trust', did)).code).toBe(0)
    const missing = await cli('wallet', 'receive', offer.offerUri, '-w', 'w', '--allow-http')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('ERR_WALLET_OFFER_INVALID')
    const wrong = await cli(
      'wallet',
      'receive',
      offer.offerUri,
      '-w',
      'w',
      '--allow-http',
      '--tx-code',
      '000000x',
    )
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('invalid_grant')
    const first = await cli(
      'wallet',
      'receive',
      offer.offerUri,
      '-w',
      'w',
      '--allow-http',
      '--tx-code',
      offer.txCode,
      '--json',
    )
    expect(first.code, first.stderr + first.stdout).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({ protocol: 'oid4vci', imported: true })
    const second = await cli('wallet', 'receive', lcwLink, '-w', 'w', '--allow-http')
    expect(second.code, second.stderr + second.stdout).toBe(0)
    expect(second.stdout).toContain('✓ received AI Deployment Awareness (AIDA)')
    expect(second.stdout).toContain('VC API exchange')
    const list = await cli('wallet', 'list', '-w', 'w', '--json')
    const listed = JSON.parse(list.stdout) as { holder: string; credentials: Json[] }
    expect(listed.credentials.map((c) => (c.program as Json).code).sort()).toEqual(['AIDA', 'CAAE'])
    // The same link again: the offer is claimed.
    const again = await cli('wallet', 'receive', lcwLink, '-w', 'w', '--allow-http')
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('ERR_OFFER_CLAIMED')
    // https only without --allow-http; a bad token is refused by the server.
    expect((await cli('wallet', 'receive', lcwLink, '-w', 'w')).stderr).toContain('https only')
    const refused = await cli(
      'offer',
      '--server',
      server.baseUrl,
      '--token',
      'wrong-token-0123456789',
      '--program',
      'CAAE',
      '--name',
      'X',
    )
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('ERR_SERVER_UNAUTHORIZED')
  }, 240_000)
})
