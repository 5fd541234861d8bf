/**
 * `certify-vc trust --from <origin>` and the development origins it records, against real servers
 * on loopback (did:web:localhost%3A<port>, status lists over plain http): the CLI's `verify` and
 * the wallet trust a development-mode server once it is recorded, and only then; a server not in
 * development mode, an origin off this machine or a malformed config are refused with clear
 * messages; and without the recorded origin, http and loopback stay refused (the DID does not
 * resolve, the status list is not fetched), even for a trusted DID.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../examples/cli/src/cli.js'
import type { CliIo } from '../../examples/cli/src/io.js'
import { buildServer } from '../../examples/server/src/app.js'

const TOKEN = 'local-institute-token-0123456789abcdef0123'

type Json = Record<string, unknown>

interface Server {
  readonly app: FastifyInstance
  readonly origin: string
  readonly did: string
  readonly dataDir: string
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

async function start(development: boolean): Promise<Server> {
  const dataDir = await mkdtemp(join(tmpdir(), 'certify-local-'))
  const port = await freePort()
  const origin = `http://localhost:${port}`
  const app = await buildServer({
    host: '127.0.0.1',
    port,
    dataDir,
    publicBaseUrl: origin,
    didMethod: 'web',
    writeToken: TOKEN,
    allowUnauthenticatedIssue: false,
    trustedIssuers: [],
    bodyLimit: 1_048_576,
    logLevel: false,
    development,
  })
  await app.listen({ port, host: '127.0.0.1' })
  const info = (await (await fetch(`${origin}/certify/server-info`)).json()) as { did: string }
  return { app, origin, did: info.did, dataDir }
}

async function cli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = {
    stdout: { write: (chunk: string) => (out += chunk) },
    stderr: { write: (chunk: string) => (err += chunk) },
    stdin: (async function* () {})(),
    env,
    cwd,
  }
  const code = await runCli(args, io)
  return { code, out, err }
}

async function issue(server: Server, recipient: Json): Promise<Json> {
  const res = await fetch(`${server.origin}/certify/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ program: 'AIDA', recipient }),
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { verifiableCredential: Json }).verifiableCredential
}

async function revoke(server: Server, id: string): Promise<void> {
  const res = await fetch(`${server.origin}/certify/credentials/${encodeURIComponent(id)}/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ reason: 'test' }),
  })
  expect(res.status).toBe(200)
}

function codes(out: string): string[] {
  const result = JSON.parse(out) as { problems: { code: string }[] }
  return [...new Set(result.problems.map((p) => p.code))].sort()
}

describe('certify-vc trust --from: the local Institute', () => {
  let dev: Server
  let plain: Server
  let dir: string

  beforeAll(async () => {
    dev = await start(true)
    plain = await start(false)
    dir = await mkdtemp(join(tmpdir(), 'certify-trust-from-'))
  })
  afterAll(async () => {
    for (const s of [dev, plain]) {
      await s?.app.close()
      if (s !== undefined) await rm(s.dataDir, { recursive: true, force: true })
    }
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  it('without a recorded development origin, the server’s DID and lists stay refused', async () => {
    const vc = await issue(dev, { name: 'Ada Lovelace' })
    await writeFile(join(dir, 'before.json'), JSON.stringify(vc))
    // Trusted by DID, but http and loopback are not allowed: the DID does not resolve.
    const r = await cli(['verify', 'before.json', '--json', '--trust', dev.did], dir)
    expect(r.code).toBe(1)
    expect(codes(r.out)).toEqual(['ERR_KEY_UNRESOLVABLE'])
    expect(r.err).not.toMatch(/Development mode/)
    // The hint names the one command that would record it.
    expect(r.err).toContain(`certify-vc trust --from ${dev.origin}`)
    const human = await cli(['verify', 'before.json', '--trust', dev.did], dir)
    expect(human.out).toContain(`is on this machine, and http and loopback are refused`)
    expect(human.out).toContain(`certify-vc trust --from ${dev.origin}`)
  })

  it('records the DID and the exact origin, keeping the rest of the config', async () => {
    await writeFile(
      join(dir, 'certify-vc.config.json'),
      JSON.stringify({
        suspension: ['CAAE'],
        trustedIssuers: ['did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
      }),
    )
    const r = await cli(['trust', '--from', `${dev.origin}/`], dir)
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toContain(`Trusting the local Institute ${dev.did}`)
    const config = JSON.parse(await readFile(join(dir, 'certify-vc.config.json'), 'utf8')) as Json
    expect(config).toEqual({
      suspension: ['CAAE'],
      trustedIssuers: ['did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', dev.did],
      developmentOrigins: [dev.origin],
    })
    // Again: nothing doubled.
    expect((await cli(['trust', '--from', dev.origin], dir)).code).toBe(0)
    expect(JSON.parse(await readFile(join(dir, 'certify-vc.config.json'), 'utf8'))).toEqual(config)
  })

  it('then verify fetches its DID document and status list over http: ✓, then revoked ✗', async () => {
    const vc = await issue(dev, { name: 'Ada Lovelace' })
    await writeFile(join(dir, 'aida.json'), JSON.stringify(vc))
    const ok = await cli(['verify', 'aida.json', '--json'], dir)
    expect(ok.err).toContain(
      `Development mode: plain http and loopback allowed for exactly ${dev.origin}`,
    )
    expect(codes(ok.out)).toEqual([])
    expect(ok.code).toBe(0)
    await revoke(dev, vc.id as string)
    const revoked = await cli(['verify', 'aida.json', '--json'], dir)
    expect(revoked.code).toBe(1)
    expect(codes(revoked.out)).toEqual(['ERR_STATUS_REVOKED'])
  })

  it('the wallet imports only with the recorded origin', async () => {
    const init = await cli(['wallet', 'init', '-w', 'w'], dir)
    expect(init.code).toBe(0)
    const holder = (JSON.parse(await readFile(join(dir, 'w', 'wallet.json'), 'utf8')) as Json)
      .holder as string
    const vc = await issue(dev, { name: 'Ada Lovelace', did: holder })
    await writeFile(join(dir, 'mine.json'), JSON.stringify(vc))
    // Another folder without the config: the wallet's own trust list, but no development origin.
    const elsewhere = await mkdtemp(join(tmpdir(), 'certify-trust-from-other-'))
    try {
      const refused = await cli(
        ['wallet', 'import', join(dir, 'mine.json'), '-w', join(dir, 'w')],
        elsewhere,
      )
      expect(refused.code).toBe(1)
      expect(refused.out).toContain('ERR_KEY_UNRESOLVABLE')
      expect(refused.out).toContain(`certify-vc trust --from ${dev.origin}`)
    } finally {
      await rm(elsewhere, { recursive: true, force: true })
    }
    const imported = await cli(['wallet', 'import', 'mine.json', '-w', 'w'], dir)
    expect(imported.out).toContain('✓ imported')
    expect(imported.code).toBe(0)
  })

  it('refuses a server that is not in development mode, and writes nothing', async () => {
    const other = await mkdtemp(join(tmpdir(), 'certify-trust-from-plain-'))
    try {
      const r = await cli(['trust', '--from', plain.origin], other)
      expect(r.code).toBe(1)
      expect(r.err).toMatch(/not in development mode \(CERTIFY_DEV=1\)/)
      expect(r.err).toContain(`--trust ${plain.did}`)
      await expect(readFile(join(other, 'certify-vc.config.json'))).rejects.toThrow(/ENOENT/)
    } finally {
      await rm(other, { recursive: true, force: true })
    }
  })

  it('refuses origins off this machine, paths, and an unreachable server', async () => {
    for (const [from, why] of [
      ['http://certify.example:8080', /not on this machine/],
      ['https://production-ai.institute', /not on this machine/],
      [`${dev.origin}/certify`, /origin only/],
    ] as const) {
      const r = await cli(['trust', '--from', from], dir)
      expect(r.code).toBe(2)
      expect(r.err).toMatch(why)
    }
    expect((await cli(['trust'], dir)).err).toMatch(/--from is required/)
    const down = await cli(['trust', '--from', `http://localhost:${await freePort()}`], dir)
    expect(down.code).toBe(1)
    expect(down.err).toMatch(/Is the local Institute running \(pnpm start\)\?/)
  })

  it('refuses a config whose development origins are not on this machine', async () => {
    const other = await mkdtemp(join(tmpdir(), 'certify-trust-from-bad-'))
    try {
      await writeFile(
        join(other, 'certify-vc.config.json'),
        JSON.stringify({ trustedIssuers: [dev.did], developmentOrigins: ['http://10.0.0.7:8080'] }),
      )
      await writeFile(join(other, 'x.json'), '{}')
      const r = await cli(['verify', 'x.json'], other)
      expect(r.code).toBe(2)
      expect(r.err).toMatch(/"developmentOrigins": .*not on this machine/)
    } finally {
      await rm(other, { recursive: true, force: true })
    }
  })
})
