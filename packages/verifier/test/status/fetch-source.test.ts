/**
 * The browser-safe fetch source against a local HTTP server on 127.0.0.1 (allowed only through
 * the test options).
 */
import {
  createFetchStatusListSource,
  verifyCredential,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import type { ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NOW, makeIssuer, signedCredential, type TestIssuer } from '../helpers.js'
import { json, startServer, type TestServer } from '../http-server.js'
import { entry, signedList } from '../status-fixtures.js'

let issuer: TestIssuer
let server: TestServer
const routes = new Map<string, (res: ServerResponse) => void>()
const local = { allowHttp: true, allowLoopback: true }

beforeAll(async () => {
  issuer = await makeIssuer(1)
  server = await startServer((req, res) => {
    const route = routes.get(req.url ?? '')
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end('not found')
      return
    }
    route(res)
  })
})
afterAll(() => server.close())

function statusCheck(r: VerifyCredentialResult) {
  return r.checks.find((c) => c.id === 'status')
}

describe('createFetchStatusListSource', () => {
  it('fetches a list from a local server when allowed, end to end: ERR_STATUS_REVOKED', async () => {
    const url = server.url('/status/revocation/1')
    const list = await signedList(issuer, url, { set: [31] })
    routes.set('/status/revocation/1', (res) => json(res, list, 'application/vc+ld+json'))
    const vc = await signedCredential(issuer, {
      patch: (c) => void (c.credentialStatus = entry(url, 31)),
    })
    const r = await verifyCredential(vc, {
      trustedIssuers: [issuer.did],
      now: NOW,
      status: { source: createFetchStatusListSource(local), cache: false },
    })
    expect(r.verified).toBe(false)
    expect(statusCheck(r)?.problems).toEqual([
      expect.objectContaining({ code: 'ERR_STATUS_REVOKED', path: '/credentialStatus' }),
    ])
  })

  it('refuses plain http without allowHttp, and the server sees nothing', async () => {
    const before = server.requests.length
    routes.set('/ok', (res) => json(res, { ok: true }))
    await expect(
      createFetchStatusListSource({ allowLoopback: true }).get(server.url('/ok'), {}),
    ).rejects.toThrow(/https only/)
    expect(server.requests.length).toBe(before)
  })

  it('refuses the loopback host without allowLoopback, and the server sees nothing', async () => {
    const before = server.requests.length
    await expect(
      createFetchStatusListSource({ allowHttp: true }).get(server.url('/ok'), {}),
    ).rejects.toThrow(/loopback/)
    await expect(
      createFetchStatusListSource({ allowHttp: true }).get(server.url('/ok', 'localhost'), {}),
    ).rejects.toThrow(/loopback/)
    expect(server.requests.length).toBe(before)
  })

  it('through verifyCredential, a refused URL is ERR_STATUS_UNKNOWN', async () => {
    const url = server.url('/status/revocation/1')
    const vc = await signedCredential(issuer, {
      patch: (c) => void (c.credentialStatus = entry(url, 31)),
    })
    const r = await verifyCredential(vc, {
      trustedIssuers: [issuer.did],
      now: NOW,
      status: { source: createFetchStatusListSource(), cache: false },
    })
    expect(statusCheck(r)?.problems).toEqual([
      expect.objectContaining({
        code: 'ERR_STATUS_UNKNOWN',
        path: '/credentialStatus/statusListCredential',
      }),
    ])
    expect(r.problems[0]?.message).toMatch(/https only/)
  })

  it('follows no redirect by default, and same-origin ones only when allowed', async () => {
    routes.set('/moved', (res) => {
      res.writeHead(302, { location: '/ok' })
      res.end()
    })
    routes.set('/ok', (res) => json(res, { ok: true }))
    await expect(createFetchStatusListSource(local).get(server.url('/moved'), {})).rejects.toThrow(
      /redirect/,
    )
    await expect(
      createFetchStatusListSource({ ...local, maxRedirects: 1 }).get(server.url('/moved'), {}),
    ).resolves.toEqual({ ok: true })
  })

  it('refuses a redirect to another origin whatever maxRedirects is', async () => {
    routes.set('/away', (res) => {
      res.writeHead(307, { location: server.url('/ok', 'localhost') })
      res.end()
    })
    await expect(
      createFetchStatusListSource({ ...local, maxRedirects: 5 }).get(server.url('/away'), {}),
    ).rejects.toThrow(/another origin/)
  })

  it('refuses a body over the cap, declared or streamed', async () => {
    const big = 'x'.repeat(5000)
    routes.set('/big-declared', (res) => json(res, { big }))
    routes.set('/big-streamed', (res) => {
      res.writeHead(200, { 'content-type': 'application/json' }) // chunked, no length
      res.write('{"big":"')
      for (let i = 0; i < 10; i++) res.write('x'.repeat(1000))
      res.end('"}')
    })
    const source = createFetchStatusListSource({ ...local, maxBytes: 1000 })
    await expect(source.get(server.url('/big-declared'), {})).rejects.toThrow(/larger than 1000/)
    await expect(source.get(server.url('/big-streamed'), {})).rejects.toThrow(/larger than 1000/)
  })

  it('times out on a slow server (headers or body)', async () => {
    routes.set('/slow-headers', (res) => {
      setTimeout(() => json(res, { late: true }), 1000).unref()
    })
    routes.set('/slow-body', (res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"drip":"')
      const timer = setInterval(() => res.write('x'), 20)
      timer.unref()
      res.on('close', () => clearInterval(timer))
    })
    const source = createFetchStatusListSource({ ...local, timeoutMs: 150 })
    await expect(source.get(server.url('/slow-headers'), {})).rejects.toThrow(/timed out/)
    await expect(source.get(server.url('/slow-body'), {})).rejects.toThrow(/timed out/)
  })

  it('stops when the caller aborts', async () => {
    routes.set('/slow', (res) => {
      setTimeout(() => json(res, { late: true }), 1000).unref()
    })
    const controller = new AbortController()
    const pending = createFetchStatusListSource(local).get(server.url('/slow'), {
      signal: controller.signal,
    })
    controller.abort(new Error('caller gave up'))
    await expect(pending).rejects.toThrow(/caller gave up/)
  })

  it('refuses non-JSON content types, error statuses and invalid JSON', async () => {
    routes.set('/html', (res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html></html>')
    })
    routes.set('/broken', (res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"a":')
    })
    const source = createFetchStatusListSource(local)
    await expect(source.get(server.url('/html'), {})).rejects.toThrow(/content type/)
    await expect(source.get(server.url('/missing'), {})).rejects.toThrow(/HTTP 404/)
    await expect(source.get(server.url('/broken'), {})).rejects.toThrow(/not JSON/)
  })

  it('sends no cookies or credentials, and asks for JSON-LD', async () => {
    let headers: Record<string, unknown> = {}
    const s = await startServer((req, res) => {
      headers = req.headers
      json(res, { ok: true })
    })
    try {
      await createFetchStatusListSource(local).get(s.url('/x'), {})
      expect(headers.cookie).toBeUndefined()
      expect(headers.authorization).toBeUndefined()
      expect(String(headers.accept)).toContain('application/vc')
    } finally {
      await s.close()
    }
  })

  it('rejects bad options with TypeError', () => {
    expect(() => createFetchStatusListSource({ maxBytes: 0 })).toThrow(TypeError)
    expect(() => createFetchStatusListSource({ timeoutMs: -5 })).toThrow(TypeError)
    expect(() => createFetchStatusListSource({ maxRedirects: 11 })).toThrow(TypeError)
    expect(() => createFetchStatusListSource({ allowHttp: 'yes' as never })).toThrow(TypeError)
    expect(() => createFetchStatusListSource({ fetch: 'x' as never })).toThrow(TypeError)
  })
})
