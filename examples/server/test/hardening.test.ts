/**
 * The server's hardening, each item against a real server: slow clients are cut off at the
 * request timeout while others are served, connection caps per client, rate limits per client
 * (IPv4 address, IPv6 /64, the forwarded address only behind a trusted proxy), the cap on
 * outstanding challenges shared out per client and network, the write token checked before the
 * body is read, JSON errors for what the framework answers itself (bad URL, 414, 431, 404, 405,
 * 415, 413), security headers on every HTML page, a case-insensitive auth scheme, and a write
 * token checked at start.
 */
import { createHash } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { connect, type Socket } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { ensureWriteToken } from '../src/token-file.js'
import { startTestServer, type TestServer } from './helpers.js'

type Body = { errors?: { code: string; message: string }[]; verified?: boolean }

const codes = (body: unknown) => ((body as Body).errors ?? []).map((e) => e.code)

function portOf(server: TestServer): number {
  return Number(new URL(server.baseUrl).port)
}

/**
 * A client that sends the headers of a POST with a 1,000-byte body, then one byte a second.
 * Resolves when the server closes the connection, with what it answered and when.
 */
function drippingClient(
  server: TestServer,
  localAddress: string,
): { socket: Socket; closed: Promise<{ afterMs: number; answer: string }> } {
  const started = Date.now()
  const socket = connect({ host: '127.0.0.1', port: portOf(server), localAddress })
  let answer = ''
  socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk))
  socket.on('error', () => undefined)
  socket.write(
    'POST /credentials/verify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      'Content-Length: 1000\r\n\r\n{',
  )
  const drip = setInterval(() => socket.write(' '), 1000)
  const closed = new Promise<{ afterMs: number; answer: string }>((resolve) => {
    socket.on('close', () => {
      clearInterval(drip)
      resolve({ afterMs: Date.now() - started, answer })
    })
  })
  return { socket, closed }
}

/** A raw request; resolves with the status line and the body. */
function rawRequest(server: TestServer, text: string): Promise<{ head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: portOf(server) })
    let out = ''
    socket.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const [head = '', body = ''] = out.split('\r\n\r\n')
      resolve({ head, body })
    })
    socket.end(text)
  })
}

/** A POST with a body of `size` bytes; resolves with the status (the server may answer early). */
function postBytes(
  server: TestServer,
  path: string,
  size: number,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(size), ...headers },
    })
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (c: string) => (body += c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body,
          ...(res.headers.connection === undefined ? {} : { connection: res.headers.connection }),
        }),
      )
    })
    req.on('error', reject)
    const chunk = Buffer.alloc(64 * 1024, 'x')
    let left = size
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(left, chunk.length)
        left -= n
        if (!req.write(chunk.subarray(0, n))) {
          req.once('drain', pump)
          return
        }
      }
      req.end()
    }
    pump()
  })
}

describe('slow clients and connection caps', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({
      httpLimits: { requestTimeoutMs: 1500, headersTimeoutMs: 1000, maxConnectionsPerClient: 40 },
    })
  })
  afterAll(() => server?.close())

  it('cuts off a client dripping its body a byte a second within the request timeout (408 JSON)', async () => {
    const { closed } = drippingClient(server, '127.0.0.2')
    const { afterMs, answer } = await closed
    // The timeout (1.5 s) plus Node's check interval (a quarter of the shortest timeout) and slack.
    expect(afterMs).toBeLessThan(3000)
    expect(answer).toMatch(/^HTTP\/1\.1 408/)
    expect(answer).toContain('"code":"ERR_SERVER_TIMEOUT"')
  })

  it('serves other clients while 30 slow ones are connected; caps connections per client', async () => {
    const slow = Array.from({ length: 30 }, () => drippingClient(server, '127.0.0.2'))
    await new Promise((resolve) => setTimeout(resolve, 300))
    for (let i = 0; i < 5; i++) {
      const started = Date.now()
      const res = await fetch(`${server.baseUrl}/certify/server-info`)
      expect(res.status).toBe(200)
      expect(Date.now() - started).toBeLessThan(1000)
    }
    // One more address holding 45 idle connections: the 41st and later are closed at once.
    const idle = Array.from({ length: 45 }, () => {
      const socket = connect({ host: '127.0.0.1', port: portOf(server), localAddress: '127.0.0.3' })
      socket.on('error', () => undefined)
      return new Promise<number>((resolve) => {
        const started = Date.now()
        socket.on('close', () => resolve(Date.now() - started))
        setTimeout(() => {
          socket.destroy()
        }, 800)
      })
    })
    const lifetimes = await Promise.all(idle)
    expect(lifetimes.filter((ms) => ms < 500).length).toBe(5)
    await Promise.all(slow.map((s) => s.closed))
  })
})

describe('the write token is checked before the body is read', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server?.close())

  it('answers 401 to a big or malformed body without a token, 413 with one', async () => {
    const big = await postBytes(server, '/credentials/issue', 5 * 1_048_576, {})
    expect(big.status).toBe(401)
    expect(codes(JSON.parse(big.body))).toEqual(['ERR_SERVER_UNAUTHORIZED'])
    // The unread body is not waited for: the connection closes after the answer.
    expect(big.connection).toBe('close')
    const broken = await fetch(`${server.baseUrl}/certify/credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"not json',
    })
    expect(broken.status).toBe(401)
    const authorized = await postBytes(server, '/credentials/issue', 5 * 1_048_576, {
      authorization: `Bearer ${server.token}`,
    })
    expect(authorized.status).toBe(413)
  })

  it('accepts the scheme in any case (bearer, BEARER)', async () => {
    const info = (await (await fetch(`${server.baseUrl}/certify/server-info`)).json()) as {
      did: string
    }
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const res = await fetch(`${server.baseUrl}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `${scheme} ${server.token}` },
        body: JSON.stringify({
          credential: {
            '@context': ['https://www.w3.org/ns/credentials/v2'],
            type: ['VerifiableCredential'],
            issuer: info.did,
            credentialSubject: { name: scheme },
          },
        }),
      })
      expect(res.status, scheme).toBe(201)
    }
  })
})

describe('the write token is checked at start', () => {
  it.each([
    ['shorter than 16 characters', 'x'.repeat(15)],
    ['with a space', 'a token with spaces in it'],
    ['with a control character', `token\u0007with-a-bell-123`],
    ['outside ASCII', 'tökenwithumlaut1234567'],
  ])('refuses a token %s, naming the rule', async (_name, token) => {
    await expect(startTestServer({ writeToken: token })).rejects.toThrow(/16 visible ASCII/)
    const dir = await mkdtemp(join(tmpdir(), 'certify-token-'))
    try {
      await expect(ensureWriteToken(dir, token)).rejects.toThrow(/CERTIFY_WRITE_TOKEN must be/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('rate limits on the public POST routes', () => {
  let clients = 0
  let server: TestServer
  let proxied: TestServer
  beforeAll(async () => {
    server = await startTestServer({ rateLimit: { perMinute: 60, burst: 3 } })
    proxied = await startTestServer({
      rateLimit: { perMinute: 60, burst: 3 },
      trustProxy: ['10.0.0.1', 'fd00::/8'],
    })
  })
  afterAll(async () => {
    await server?.close()
    await proxied?.close()
  })

  const post = (
    target: TestServer,
    url: string,
    remoteAddress: string,
    headers: Record<string, string> = {},
  ) =>
    target.app.inject({
      method: 'POST',
      url,
      remoteAddress,
      headers: { 'content-type': 'application/json', ...headers },
      payload: '{}',
    })

  it.each([
    '/credentials/verify',
    '/presentations/verify',
    '/certify/verify/presentation',
    '/presentations/challenges',
  ])('%s: 429 with Retry-After and a JSON error after the burst, per IPv4 address', async (url) => {
    const client = `203.0.113.${++clients}`
    for (let i = 0; i < 3; i++) expect((await post(server, url, client)).statusCode).not.toBe(429)
    const limited = await post(server, url, client)
    expect(limited.statusCode).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(limited.headers['content-type']).toMatch(/^application\/json/)
    expect(codes(limited.json())).toEqual(['ERR_SERVER_RATE_LIMITED'])
    expect((await post(server, url, `198.51.100.${++clients}`)).statusCode).not.toBe(429)
  })

  it('also limits the public directory lookup, which verifies on the server', async () => {
    const client = `203.0.113.${++clients}`
    const lookup = () =>
      server.app.inject({
        method: 'GET',
        url: '/certify/verify/urn%3Auuid%3A00000000-0000-4000-8000-000000000001',
        remoteAddress: client,
      })
    for (let i = 0; i < 3; i++) expect((await lookup()).statusCode).toBe(404)
    const limited = await lookup()
    expect(limited.statusCode).toBe(429)
    expect(codes(limited.json())).toEqual(['ERR_SERVER_RATE_LIMITED'])
  })

  it('counts an IPv6 client per /64: other addresses of the /64 share its bucket', async () => {
    const url = '/credentials/verify'
    for (let i = 1; i <= 3; i++) {
      expect((await post(server, url, `2001:db8:aa:1::${i}`)).statusCode).not.toBe(429)
    }
    expect((await post(server, url, '2001:db8:aa:1:ffff:ffff:ffff:ffff')).statusCode).toBe(429)
    expect((await post(server, url, '::ffff:203.0.113.250')).statusCode).not.toBe(429)
    expect((await post(server, url, '2001:db8:aa:2::1')).statusCode).not.toBe(429)
  })

  it('never trusts X-Forwarded-For from a peer that is not a configured proxy', async () => {
    const url = '/credentials/verify'
    for (let i = 0; i < 3; i++) {
      const res = await post(server, url, '192.0.2.99', { 'x-forwarded-for': `198.51.100.${i}` })
      expect(res.statusCode).not.toBe(429)
    }
    const spoofed = await post(server, url, '192.0.2.99', { 'x-forwarded-for': '198.51.100.200' })
    expect(spoofed.statusCode).toBe(429)
  })

  it('behind a trusted proxy, limits the forwarded client address', async () => {
    const url = '/credentials/verify'
    const via = (client: string, proxy = '10.0.0.1') =>
      post(proxied, url, proxy, { 'x-forwarded-for': client })
    for (let i = 0; i < 3; i++) expect((await via('198.51.100.7')).statusCode).not.toBe(429)
    expect((await via('198.51.100.7')).statusCode).toBe(429)
    // Another client through the same proxy, or through another trusted proxy, is not limited.
    expect((await via('198.51.100.8')).statusCode).not.toBe(429)
    expect((await via('2001:db8:bb::1', 'fd00::5')).statusCode).not.toBe(429)
    // A peer outside TRUST_PROXY is limited as itself, whatever it forwards.
    for (let i = 0; i < 3; i++) {
      await post(proxied, url, '10.0.0.2', { 'x-forwarded-for': `192.0.2.${i}` })
    }
    expect(
      (await post(proxied, url, '10.0.0.2', { 'x-forwarded-for': '192.0.2.9' })).statusCode,
    ).toBe(429)
  })

  it('refuses a TRUST_PROXY entry that is not an address or CIDR', async () => {
    await expect(startTestServer({ trustProxy: ['10.0.0.0/33'] })).rejects.toThrow(/TRUST_PROXY/)
    await expect(startTestServer({ trustProxy: ['proxy.internal'] })).rejects.toThrow(/TRUST_PROXY/)
  })
})

describe('the cap on outstanding challenges is shared out per population', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({
      challengeCaps: { maxOutstanding: 12, perNetwork: 4, perClient: 2 },
    })
  })
  afterAll(() => server?.close())

  const challenge = (remoteAddress: string) =>
    server.app.inject({
      method: 'POST',
      url: '/presentations/challenges',
      remoteAddress,
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    })

  it('one /24, one /48 or one client cannot take what the others need', async () => {
    // Many addresses of one IPv4 /24: at most 4 challenges between them.
    const flood = []
    for (let i = 1; i <= 10; i++) flood.push((await challenge(`203.0.113.${i}`)).statusCode)
    expect(flood.filter((s) => s === 201)).toHaveLength(4)
    const refused = await challenge('203.0.113.99')
    expect(refused.statusCode).toBe(429)
    expect(refused.headers['retry-after']).toBe('30')
    expect(codes(refused.json())).toEqual(['ERR_CHALLENGE_LIMIT'])
    // Many /64s of one IPv6 /48: the same.
    const v6 = []
    for (let i = 1; i <= 10; i++) v6.push((await challenge(`2001:db8:7:${i}::1`)).statusCode)
    expect(v6.filter((s) => s === 201)).toHaveLength(4)
    // One client: 2.
    expect((await challenge('198.51.100.1')).statusCode).toBe(201)
    expect((await challenge('198.51.100.1')).statusCode).toBe(201)
    expect((await challenge('198.51.100.1')).statusCode).toBe(429)
    // Clients elsewhere are still served, until the global cap (12) is reached.
    expect((await challenge('192.0.2.1')).statusCode).toBe(201)
    expect((await challenge('192.0.2.2')).statusCode).toBe(201)
    const full = await challenge('100.64.0.1')
    expect(full.statusCode).toBe(429)
    expect(codes(full.json())).toEqual(['ERR_CHALLENGE_LIMIT'])
  })
})

describe('every error in the JSON format, also the framework’s', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server?.close())

  async function json(res: Response): Promise<{ status: number; body: Body; text: string }> {
    const text = await res.text()
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    return { status: res.status, body: JSON.parse(text) as Body, text }
  }

  it('a malformed URL is 400 JSON that does not repeat it', async () => {
    const { status, body, text } = await json(await fetch(`${server.baseUrl}/certify/verify/%ZZ`))
    expect(status).toBe(400)
    expect(codes(body)).toEqual(['ERR_SERVER_BAD_REQUEST'])
    expect(text).not.toContain('%ZZ')
  })

  it('an 8 KB URL is 414 JSON, and a 20 KB header block 431 JSON, neither echoed', async () => {
    const path = `/certify/verify/${'a'.repeat(8192)}`
    const long = await json(await fetch(`${server.baseUrl}${path}`))
    expect(long.status).toBe(414)
    expect(codes(long.body)).toEqual(['ERR_INPUT_TOO_LARGE'])
    expect(long.text).not.toContain('aaaaaaaa')
    const { head, body } = await rawRequest(
      server,
      `GET /certify/server-info HTTP/1.1\r\nHost: localhost\r\nX-Pad: ${'b'.repeat(20_000)}\r\n\r\n`,
    )
    expect(head).toMatch(/^HTTP\/1\.1 431/)
    expect(head.toLowerCase()).toContain('content-type: application/json')
    expect(codes(JSON.parse(body))).toEqual(['ERR_INPUT_TOO_LARGE'])
    expect(body).not.toContain('bbbb')
  })

  it('an unknown path is 404 JSON; a known path with another method 405 with Allow', async () => {
    const missing = await json(await fetch(`${server.baseUrl}/nope`))
    expect(missing.status).toBe(404)
    expect(codes(missing.body)).toEqual(['ERR_SERVER_NOT_FOUND'])
    for (const [method, path, allow] of [
      ['GET', '/credentials/verify', 'POST'],
      ['PUT', '/credentials/issue', 'POST'],
      ['DELETE', '/certify/aida', 'GET, HEAD'],
      ['POST', '/.well-known/did.json', 'GET, HEAD'],
      ['GET', '/presentations/challenges', 'POST'],
      ['PATCH', '/status/revocation/1', 'GET, HEAD'],
    ] as const) {
      const res = await fetch(`${server.baseUrl}${path}`, { method })
      expect(res.status, `${method} ${path}`).toBe(405)
      expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow)
      expect(codes((await json(res)).body)).toEqual(['ERR_SERVER_METHOD_NOT_ALLOWED'])
    }
  })

  it('a wrong content type is 415 JSON, a body over the limit 413 JSON', async () => {
    const wrongType = await json(
      await fetch(`${server.baseUrl}/credentials/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: '<x/>',
      }),
    )
    expect(wrongType.status).toBe(415)
    expect(codes(wrongType.body)).toEqual(['ERR_SERVER_BAD_REQUEST'])
    const tooBig = await postBytes(server, '/credentials/verify', 2 * 1_048_576, {})
    expect(tooBig.status).toBe(413)
    expect(codes(JSON.parse(tooBig.body))).toEqual(['ERR_INPUT_TOO_LARGE'])
  })
})

describe('security headers', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server?.close())

  it('every HTML page has the CSP and the framing, sniffing and referrer headers', async () => {
    for (const path of ['/certify/aida', '/certify/caae', '/certify/aima', '/certify/verify']) {
      const res = await fetch(`${server.baseUrl}${path}`, { headers: { accept: 'text/html' } })
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("default-src 'none'")
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer')
      expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin')
      // The achievement pages' inline style is allowed by its hash, and nothing else inline.
      const html = await res.text()
      const style = /<style>([^<]*)<\/style>/.exec(html)?.[1]
      if (style !== undefined) {
        const hash = createHash('sha256').update(style).digest('base64')
        expect(csp).toContain(`'sha256-${hash}'`)
      }
      expect(csp).not.toContain('unsafe-inline')
    }
  })

  it('JSON answers, errors included, carry nosniff', async () => {
    for (const path of ['/certify/server-info', '/.well-known/did.json', '/nope']) {
      const res = await fetch(`${server.baseUrl}${path}`)
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
    }
  })
})

describe('configuration of the hardening', () => {
  it('reads the variables, with defaults, and refuses contradictions', async () => {
    const defaults = loadConfig({}, { cwd: '/srv' })
    expect(defaults).toMatchObject({
      trustProxy: [],
      httpLimits: { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, maxConnections: 1_000 },
      rateLimit: { perMinute: 60, burst: 20 },
      challengeCaps: { maxOutstanding: 1_000, perNetwork: 100, perClient: 20 },
      issueTiming: { leaseSeconds: 30, abandonSeconds: 900 },
    })
    expect(defaults).not.toHaveProperty('databaseUrl')
    const set = loadConfig({
      DATABASE_URL: 'postgres://certify@db.internal/certify?schema=prod',
      TRUST_PROXY: '10.0.0.1, fd00::/8',
      CERTIFY_REQUEST_TIMEOUT_MS: '5000',
      CERTIFY_RATE_LIMIT_PER_MINUTE: '0',
      CERTIFY_MAX_CHALLENGES_PER_CLIENT: '5',
      CERTIFY_ISSUE_LEASE_SECONDS: '10',
    })
    expect(set).toMatchObject({
      databaseUrl: 'postgres://certify@db.internal/certify?schema=prod',
      trustProxy: ['10.0.0.1', 'fd00::/8'],
      httpLimits: { requestTimeoutMs: 5000 },
      rateLimit: { perMinute: 0 },
      challengeCaps: { perClient: 5 },
      issueTiming: { leaseSeconds: 10 },
    })
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x/y' })).toThrow(TypeError)
    expect(() => loadConfig({ CERTIFY_RATE_LIMIT_BURST: '-1' })).toThrow(TypeError)
    await expect(
      startTestServer({ httpLimits: { requestTimeoutMs: 1000, headersTimeoutMs: 2000 } }),
    ).rejects.toThrow(/headers timeout/)
    await expect(
      startTestServer({ challengeCaps: { maxOutstanding: 10, perNetwork: 20 } }),
    ).rejects.toThrow(/nest/)
    await expect(
      startTestServer({ issueTiming: { leaseSeconds: 60, abandonSeconds: 30 } }),
    ).rejects.toThrow(/ABANDON/)
  })
})
