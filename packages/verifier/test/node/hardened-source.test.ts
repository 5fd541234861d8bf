/**
 * The Node hardened fetcher: address policy with its own DNS answers, pinned connections,
 * redirects, size cap, timeouts, TLS to a pinned address. Servers run on 127.0.0.1 and are
 * reached only through the explicit test options.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createHardenedStatusListSource,
  verifyCredential,
  type ResolvedAddress,
} from '../../src/index.node.js'
import { NOW, makeIssuer, signedCredential, type TestIssuer } from '../helpers.js'
import { json, startServer, type TestServer } from '../http-server.js'
import { entry, signedList } from '../status-fixtures.js'

let issuer: TestIssuer
let server: TestServer
const routes = new Map<string, (res: ServerResponse) => void>()
const local = { allowHttp: true, allowLoopback: true }

/** A resolver that answers `answers` for every name and records the names asked. */
function fakeDns(...answers: string[]) {
  const asked: string[] = []
  const lookup = (hostname: string): Promise<readonly ResolvedAddress[]> => {
    asked.push(hostname)
    return Promise.resolve(
      answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const),
    )
  }
  return { asked, lookup }
}

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
  routes.set('/ok', (res) => json(res, { ok: true }))
})
afterAll(() => server.close())

describe('createHardenedStatusListSource: addresses', () => {
  it('fetches from loopback only when allowed', async () => {
    await expect(createHardenedStatusListSource(local).get(server.url('/ok'), {})).resolves.toEqual(
      { ok: true },
    )
    const before = server.requests.length
    await expect(
      createHardenedStatusListSource({ allowHttp: true }).get(server.url('/ok'), {}),
    ).rejects.toThrow(/loopback/)
    expect(server.requests.length).toBe(before)
  })

  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback (IPv6)', '::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['private 10/8', '10.0.0.1'],
    ['private 192.168/16', '192.168.1.20'],
    ['IPv4-mapped private', '::ffff:192.168.1.20'],
    ['link-local (cloud metadata)', '169.254.169.254'],
    ['CGNAT', '100.64.0.1'],
    ['unique local IPv6', 'fd00::1'],
    ['link-local IPv6', 'fe80::1'],
    ['unspecified', '0.0.0.0'],
    ['unspecified IPv6', '::'],
    ['multicast', '224.0.0.1'],
    ['NAT64 of loopback', '64:ff9b::7f00:1'],
  ])('refuses a host that resolves to %s (%s) and never connects', async (_name, address) => {
    const dns = fakeDns(address)
    const before = server.requests.length
    const source = createHardenedStatusListSource({ allowHttp: true, lookup: dns.lookup })
    await expect(source.get(`http://status.test:${server.port}/ok`, {})).rejects.toThrow(
      /Refusing to connect/,
    )
    expect(dns.asked).toEqual(['status.test'])
    expect(server.requests.length).toBe(before)
  })

  it('refuses a host when any of its addresses is refused (public + private answers)', async () => {
    const dns = fakeDns('93.184.215.14', '10.1.2.3')
    await expect(
      createHardenedStatusListSource({ lookup: dns.lookup }).get('https://status.test/ok', {}),
    ).rejects.toThrow(/10\.1\.2\.3/)
  })

  it('private networks are allowed only with allowPrivateNetworks, loopback never by it', async () => {
    const dns = fakeDns('127.0.0.1')
    await expect(
      createHardenedStatusListSource({
        allowHttp: true,
        allowPrivateNetworks: true,
        lookup: dns.lookup,
      }).get(`http://status.test:${server.port}/ok`, {}),
    ).rejects.toThrow(/loopback/)
  })

  it('connects to exactly the address it checked (no second DNS lookup: no rebinding)', async () => {
    // "status.test" resolves nowhere; the request can only reach the server through the
    // checked answer, and the Host header still names the host.
    const dns = fakeDns('127.0.0.1')
    const before = server.requests.length
    const got = await createHardenedStatusListSource({ ...local, lookup: dns.lookup }).get(
      `http://status.test:${server.port}/ok`,
      {},
    )
    expect(got).toEqual({ ok: true })
    expect(dns.asked).toEqual(['status.test'])
    expect(server.requests.slice(before)).toEqual([`GET status.test:${server.port} /ok`])
  })

  it('refuses plain http and user info', async () => {
    const source = createHardenedStatusListSource({ allowLoopback: true })
    await expect(source.get(server.url('/ok'), {})).rejects.toThrow(/https only/)
    await expect(source.get('https://a:b@status.test/ok', {})).rejects.toThrow(/user name/)
  })

  it('reports a name that does not resolve', async () => {
    const lookup = () => Promise.reject(new Error('ENOTFOUND'))
    await expect(
      createHardenedStatusListSource({ lookup }).get('https://status.test/ok', {}),
    ).rejects.toThrow(/Cannot resolve status\.test/)
  })
})

describe('createHardenedStatusListSource: HTTP', () => {
  const dns = () => fakeDns('127.0.0.1')
  const at = (path: string, host = 'status.test') => `http://${host}:${server.port}${path}`

  it('refuses a redirect to another host, whatever maxRedirects is', async () => {
    routes.set('/to-other-host', (res) => {
      res.writeHead(302, { location: at('/ok', 'other.test') })
      res.end()
    })
    const d = dns()
    await expect(
      createHardenedStatusListSource({ ...local, lookup: d.lookup, maxRedirects: 5 }).get(
        at('/to-other-host'),
        {},
      ),
    ).rejects.toThrow(/another origin/)
    expect(d.asked).toEqual(['status.test']) // other.test was never even resolved
  })

  it('refuses a redirect to the same host on another port or scheme', async () => {
    routes.set('/to-other-port', (res) => {
      res.writeHead(301, { location: `http://status.test:1/ok` })
      res.end()
    })
    await expect(
      createHardenedStatusListSource({ ...local, lookup: dns().lookup, maxRedirects: 5 }).get(
        at('/to-other-port'),
        {},
      ),
    ).rejects.toThrow(/another origin/)
  })

  it('follows no redirect by default; a same-origin one when allowed, checked again', async () => {
    routes.set('/moved', (res) => {
      res.writeHead(308, { location: '/ok' })
      res.end()
    })
    await expect(
      createHardenedStatusListSource({ ...local, lookup: dns().lookup }).get(at('/moved'), {}),
    ).rejects.toThrow(/redirect/)
    const d = dns()
    await expect(
      createHardenedStatusListSource({ ...local, lookup: d.lookup, maxRedirects: 1 }).get(
        at('/moved'),
        {},
      ),
    ).resolves.toEqual({ ok: true })
    expect(d.asked).toEqual(['status.test', 'status.test'])
  })

  it('refuses an oversized body, declared or streamed, and stops reading', async () => {
    routes.set('/big-declared', (res) => json(res, { big: 'x'.repeat(5000) }))
    let written = 0
    routes.set('/big-streamed', (res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"big":"')
      const timer = setInterval(() => {
        written += 1000
        res.write('x'.repeat(1000))
      }, 5)
      timer.unref()
      res.on('close', () => clearInterval(timer))
    })
    const source = createHardenedStatusListSource({ ...local, maxBytes: 2000 })
    await expect(source.get(server.url('/big-declared'), {})).rejects.toThrow(/larger than 2000/)
    await expect(source.get(server.url('/big-streamed'), {})).rejects.toThrow(/larger than 2000/)
    await new Promise((r) => setTimeout(r, 50))
    expect(written).toBeLessThan(20_000) // the connection was dropped, not drained
  })

  it('times out on slow headers and on a dripping body', async () => {
    routes.set('/slow-headers', (res) => {
      setTimeout(() => json(res, { late: true }), 1000).unref()
    })
    routes.set('/drip', (res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"drip":"')
      const timer = setInterval(() => res.write('x'), 20)
      timer.unref()
      res.on('close', () => clearInterval(timer))
    })
    const source = createHardenedStatusListSource({ ...local, timeoutMs: 150 })
    const started = Date.now()
    await expect(source.get(server.url('/slow-headers'), {})).rejects.toThrow(/timed out/)
    await expect(source.get(server.url('/drip'), {})).rejects.toThrow(/timed out/)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('times out on a DNS lookup that never answers', async () => {
    const lookup = () => new Promise<readonly ResolvedAddress[]>(() => undefined)
    await expect(
      createHardenedStatusListSource({ lookup, timeoutMs: 100 }).get('https://status.test/', {}),
    ).rejects.toThrow(/timed out/)
  })

  it('refuses compressed bodies, non-JSON content types and error statuses', async () => {
    routes.set('/gzip', (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end('\x1f\x8b')
    })
    routes.set('/html', (res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<p>hi</p>')
    })
    const source = createHardenedStatusListSource(local)
    await expect(source.get(server.url('/gzip'), {})).rejects.toThrow(/content encoding/)
    await expect(source.get(server.url('/html'), {})).rejects.toThrow(/content type/)
    await expect(source.get(server.url('/nowhere'), {})).rejects.toThrow(/HTTP 404/)
  })

  it('stops when the caller aborts', async () => {
    routes.set('/hang', () => undefined)
    const controller = new AbortController()
    const pending = createHardenedStatusListSource(local).get(server.url('/hang'), {
      signal: controller.signal,
    })
    setTimeout(() => controller.abort(new Error('caller gave up')), 20)
    await expect(pending).rejects.toThrow(/caller gave up/)
  })

  it('rejects bad options with TypeError', () => {
    expect(() => createHardenedStatusListSource({ lookup: 5 as never })).toThrow(TypeError)
    expect(() => createHardenedStatusListSource({ ca: [1] as never })).toThrow(TypeError)
    expect(() => createHardenedStatusListSource({ maxBytes: 0 })).toThrow(TypeError)
  })
})

describe('createHardenedStatusListSource: TLS to a pinned address', () => {
  let dir: string
  let tls: { key: string; cert: string } | undefined
  let https: TestServer | undefined

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certify-vc-tls-'))
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '2',
          '-subj',
          '/CN=status.test',
          '-addext',
          'subjectAltName=DNS:status.test',
        ],
        { stdio: 'ignore' },
      )
      tls = {
        key: readFileSync(join(dir, 'key.pem'), 'utf8'),
        cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      }
      https = await startServer((_req, res) => json(res, { secure: true }), tls)
    } catch {
      tls = undefined // no openssl here: the TLS tests are skipped
    }
  })
  afterAll(async () => {
    await https?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('verifies the certificate against the host name while connecting to the checked IP', async (ctx) => {
    if (tls === undefined || https === undefined) return ctx.skip()
    const url = `https://status.test:${https.port}/list`
    const source = createHardenedStatusListSource({
      allowLoopback: true,
      lookup: fakeDns('127.0.0.1').lookup,
      ca: tls.cert,
    })
    await expect(source.get(url, {})).resolves.toEqual({ secure: true })
    // Without the CA the self-signed certificate is refused.
    const untrusting = createHardenedStatusListSource({
      allowLoopback: true,
      lookup: fakeDns('127.0.0.1').lookup,
    })
    await expect(untrusting.get(url, {})).rejects.toThrow(/certificate/)
    // Under another name the certificate does not match.
    const wrongName = createHardenedStatusListSource({
      allowLoopback: true,
      lookup: fakeDns('127.0.0.1').lookup,
      ca: tls.cert,
    })
    await expect(wrongName.get(`https://other.test:${https.port}/list`, {})).rejects.toThrow(
      /other\.test/,
    )
  })
})

describe('verifyCredential on Node', () => {
  it('the Node entry exports everything the browser entry does, plus the Node-only sources', async () => {
    const core = await import('../../src/index.js')
    const node = await import('../../src/index.node.js')
    for (const name of Object.keys(core)) expect(node).toHaveProperty(name)
    expect(node.verifyCredential).not.toBe(core.verifyCredential)
    expect(typeof node.createHardenedStatusListSource).toBe('function')
    expect(typeof node.createDirectoryStatusListSource).toBe('function')
    expect(core).not.toHaveProperty('createHardenedStatusListSource')
  })

  it('uses the hardened fetcher by default (it resolves names itself)', async () => {
    const url = 'https://status.test/status/revocation/1'
    const vc = await signedCredential(issuer, {
      patch: (c) => void (c.credentialStatus = entry(url, 5)),
    })
    const r = await verifyCredential(vc, {
      trustedIssuers: [issuer.did],
      now: NOW,
      status: { cache: false, timeoutMs: 5000 },
    })
    expect(r.verified).toBe(false)
    expect(r.problems).toEqual([
      expect.objectContaining({
        code: 'ERR_STATUS_UNKNOWN',
        path: '/credentialStatus/statusListCredential',
      }),
    ])
    expect(r.problems[0]?.message).toMatch(/Cannot resolve status\.test|timed out/)
  })

  it('verifies end to end through the hardened fetcher (suspended)', async () => {
    const url = `http://status.test:${server.port}/status/suspension/1`
    const list = await signedList(issuer, url, { purpose: 'suspension', set: [5] })
    routes.set('/status/suspension/1', (res) => json(res, list))
    const vc = await signedCredential(issuer, {
      patch: (c) => void (c.credentialStatus = entry(url, 5, 'suspension')),
    })
    const source = createHardenedStatusListSource({ ...local, lookup: fakeDns('127.0.0.1').lookup })
    const r = await verifyCredential(vc, {
      trustedIssuers: [issuer.did],
      now: NOW,
      status: { source, cache: false },
    })
    expect(r.verified).toBe(false)
    expect(r.problems).toEqual([
      expect.objectContaining({ code: 'ERR_STATUS_SUSPENDED', path: '/credentialStatus' }),
    ])
  })
})

describe('createHardenedStatusListSource: development origins', () => {
  it('allows http and loopback for exactly the development origin', async () => {
    const origin = `http://127.0.0.1:${server.port}`
    const source = createHardenedStatusListSource({ developmentOrigins: [origin] })
    await expect(source.get(server.url('/ok'), {})).resolves.toEqual({ ok: true })
    const before = server.requests.length
    // The same machine under another name, or on another port, is another origin: refused.
    await expect(source.get(server.url('/ok', 'localhost'), {})).rejects.toThrow(/https only/)
    await expect(source.get(`http://127.0.0.1:${server.port + 1}/ok`, {})).rejects.toThrow(
      /https only/,
    )
    await expect(source.get(`https://127.0.0.1:${server.port}/ok`, {})).rejects.toThrow(/loopback/)
    expect(server.requests.length).toBe(before)
  })

  it('without development origins, http and loopback stay refused, without a request', async () => {
    const before = server.requests.length
    await expect(createHardenedStatusListSource().get(server.url('/ok'), {})).rejects.toThrow(
      /https only/,
    )
    await expect(
      createHardenedStatusListSource({ developmentOrigins: [] }).get(server.url('/ok'), {}),
    ).rejects.toThrow(/https only/)
    expect(server.requests.length).toBe(before)
  })

  it('refuses a redirect from the development origin to another origin', async () => {
    routes.set('/dev-redirect', (res) => {
      res.writeHead(302, { location: `http://localhost:${server.port}/ok` })
      res.end()
    })
    const source = createHardenedStatusListSource({
      developmentOrigins: [`http://127.0.0.1:${server.port}`],
      maxRedirects: 2,
    })
    await expect(source.get(server.url('/dev-redirect'), {})).rejects.toThrow(/another origin/)
  })

  it('throws TypeError for a development origin off this machine or with a path', () => {
    expect(() =>
      createHardenedStatusListSource({ developmentOrigins: ['http://status.example:80'] }),
    ).toThrow(TypeError)
    expect(() =>
      createHardenedStatusListSource({ developmentOrigins: ['http://localhost:1/status'] }),
    ).toThrow(TypeError)
    expect(() =>
      createHardenedStatusListSource({ developmentOrigins: 'http://localhost:1' as never }),
    ).toThrow(TypeError)
  })
})
