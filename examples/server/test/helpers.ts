/**
 * Test helpers: a real server on a free loopback port with a temporary DATA_DIR.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildServer } from '../src/app.js'
import type { ServerConfig } from '../src/config.js'

export const TEST_TOKEN = 'test-write-token-0123456789abcdef0123456789abcdef'

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
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

export interface TestServer {
  app: FastifyInstance
  /** `http://localhost:<port>` (`https` with `tls`), also the server's PUBLIC_BASE_URL. */
  baseUrl: string
  token: string
  dataDir: string
  config: ServerConfig
  /** Closes the server; removes DATA_DIR unless `keepDataDir`. */
  close(options?: { keepDataDir?: boolean }): Promise<void>
}

/**
 * Starts the server on a free port of 127.0.0.1 with a temporary DATA_DIR (or `dataDir`), did:web
 * by default (`did:web:localhost%3A<port>`), loopback fetching allowed (tests only).
 */
export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'certify-server-')))
  const port = overrides.port ?? (await freePort())
  const config: ServerConfig = {
    host: '127.0.0.1',
    port,
    dataDir,
    publicBaseUrl: `${overrides.tls === undefined ? 'http' : 'https'}://localhost:${port}`,
    didMethod: 'web',
    writeToken: TEST_TOKEN,
    allowUnauthenticatedIssue: false,
    trustedIssuers: [],
    bodyLimit: 1_048_576,
    logLevel: false,
    allowLoopbackFetch: true,
    // Tests send many requests from one loopback address; the rate-limit tests set their own.
    rateLimit: { perMinute: 100_000, burst: 10_000 },
    ...overrides,
  }
  const app = await buildServer(config)
  await app.listen({ port, host: '127.0.0.1' })
  return {
    app,
    baseUrl: config.publicBaseUrl,
    token: config.writeToken,
    dataDir,
    config,
    async close(options = {}) {
      await app.close()
      if (options.keepDataDir !== true && overrides.dataDir === undefined) {
        await rm(dataDir, { recursive: true, force: true })
      }
    },
  }
}

/** POSTs JSON with the write token; returns status and parsed body. */
export async function postJson(
  server: TestServer,
  path: string,
  body: unknown,
  options: { token?: string | null } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const token = options.token === undefined ? server.token : options.token
  if (token !== null) headers.authorization = `Bearer ${token}`
  const res = await fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers }
}
