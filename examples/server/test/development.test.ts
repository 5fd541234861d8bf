/**
 * Development mode (`CERTIFY_DEV=1`): read from the environment, refused for anything that is not
 * on this machine (a public base URL, interface or database elsewhere, a trusted proxy) both by
 * `buildServer` and by the binary before it creates anything; announced in
 * `/certify/server-info`. `GET /` leads to the verification page in every mode.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { checkDevelopmentConfig, developmentBanner } from '../src/development.js'
import { HOME_TARGET } from '../src/home.js'
import { startTestServer, type TestServer } from './helpers.js'

const REPO = fileURLToPath(new URL('../../..', import.meta.url))
const MAIN = join(REPO, 'examples/server/dist/main.js')

const local: { publicBaseUrl: string; host: string; trustProxy: string[]; databaseUrl?: string } = {
  publicBaseUrl: 'http://localhost:8080',
  host: '127.0.0.1',
  trustProxy: [],
}

describe('development mode: configuration', () => {
  it('is off unless CERTIFY_DEV says 1 or true', () => {
    expect(loadConfig({}).development).toBe(false)
    expect(loadConfig({ CERTIFY_DEV: '0' }).development).toBe(false)
    expect(loadConfig({ CERTIFY_DEV: '1' }).development).toBe(true)
    expect(loadConfig({ CERTIFY_DEV: 'true' }).development).toBe(true)
    expect(() => loadConfig({ CERTIFY_DEV: 'yes' })).toThrow(/CERTIFY_DEV must be 1\/true/)
  })

  it('accepts a server on this machine and returns its exact origin', () => {
    expect(checkDevelopmentConfig(local)).toBe('http://localhost:8080')
    expect(
      checkDevelopmentConfig({ ...local, publicBaseUrl: 'http://127.0.0.1:9000/institute' }),
    ).toBe('http://127.0.0.1:9000')
    expect(
      checkDevelopmentConfig({ ...local, publicBaseUrl: 'https://[::1]:8443', host: '::1' }),
    ).toBe('https://[::1]:8443')
    expect(
      checkDevelopmentConfig({
        ...local,
        databaseUrl: 'postgres://u:p@127.0.0.1:5432/certify?schema=dev',
      }),
    ).toBe('http://localhost:8080')
    expect(
      checkDevelopmentConfig({
        ...local,
        databaseUrl: 'postgres:///certify?host=/var/run/postgresql',
      }),
    ).toBe('http://localhost:8080')
  })

  it.each([
    [{ publicBaseUrl: 'https://production-ai.institute' }, /refuses PUBLIC_BASE_URL/],
    [{ publicBaseUrl: 'http://192.168.1.10:8080' }, /refuses PUBLIC_BASE_URL/],
    [{ publicBaseUrl: 'http://dev.localhost:8080' }, /refuses PUBLIC_BASE_URL/],
    [{ host: '0.0.0.0' }, /refuses HOST 0\.0\.0\.0/],
    [{ host: '10.0.1.11' }, /refuses HOST/],
    [{ trustProxy: ['10.0.1.10'] }, /refuses TRUST_PROXY/],
    [{ databaseUrl: 'postgres://certify@db.internal/certify' }, /DATABASE_URL .*db\.internal/],
    [{ databaseUrl: 'postgres://u@localhost/c?host=db.internal' }, /DATABASE_URL/],
    [{ databaseUrl: 'postgres://u@/c' }, /cannot read DATABASE_URL/],
  ])('refuses %j', (change, why) => {
    expect(() => checkDevelopmentConfig({ ...local, ...change })).toThrow(why)
    expect(() => checkDevelopmentConfig({ ...local, ...change })).toThrow(/without CERTIFY_DEV/)
  })

  it('buildServer refuses development mode off this machine', async () => {
    await expect(
      startTestServer({ development: true, publicBaseUrl: 'https://production-ai.institute' }),
    ).rejects.toThrow(/refuses PUBLIC_BASE_URL/)
  })

  it('the binary refuses it before creating DATA_DIR, and says why', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'certify-dev-refused-'))
    try {
      const dataDir = join(parent, 'data')
      const run = promisify(execFile)(process.execPath, [MAIN], {
        env: {
          PATH: process.env.PATH ?? '',
          CERTIFY_DEV: '1',
          PUBLIC_BASE_URL: 'https://production-ai.institute',
          DATA_DIR: dataDir,
          PORT: '0',
        },
      })
      const error = (await run.then(
        () => undefined,
        (e: unknown) => e,
      )) as { code?: number; stderr?: string } | undefined
      expect(error?.code).toBe(1)
      expect(error?.stderr).toMatch(
        /CERTIFY_DEV=1 refuses PUBLIC_BASE_URL https:\/\/production-ai\.institute/,
      )
      expect(await readdir(parent)).toEqual([])
    } finally {
      await rm(parent, { recursive: true, force: true })
    }
  })

  it('the banner names the page, the DID, the token file, the trust command and the limits', () => {
    const text = developmentBanner({
      origin: 'http://localhost:8080',
      publicBaseUrl: 'http://localhost:8080',
      did: 'did:web:localhost%3A8080',
      tokenFile: '/repo/data/write-token',
    })
    expect(text).toMatch(/DEVELOPMENT MODE \(CERTIFY_DEV=1\)/)
    expect(text).toMatch(/Verification page {2}http:\/\/localhost:8080\/certify\/verify/)
    expect(text).toMatch(/did:web:localhost%3A8080/)
    expect(text).toMatch(/TOKEN=\$\(cat \/repo\/data\/write-token\)/)
    expect(text).toMatch(/trust --from http:\/\/localhost:8080/)
    expect(text).toMatch(/for exactly http:\/\/localhost:8080/)
  })
})

describe('development mode: the running server', () => {
  let dev: TestServer
  let plain: TestServer
  beforeAll(async () => {
    dev = await startTestServer({ development: true, allowLoopbackFetch: false })
    plain = await startTestServer()
  })
  afterAll(async () => {
    await dev?.close()
    await plain?.close()
  })

  it('announces development mode in server-info, and only then', async () => {
    const info = async (s: TestServer) =>
      (await (await fetch(`${s.baseUrl}/certify/server-info`)).json()) as Record<string, unknown>
    expect(await info(dev)).toMatchObject({
      development: true,
      publicBaseUrl: dev.baseUrl,
      verificationPage: `${dev.baseUrl}/certify/verify`,
    })
    expect(await info(plain)).toMatchObject({ development: false })
  })

  it('GET / leads to the certification directory (302), in every mode', async () => {
    expect(HOME_TARGET).toBe('/certify')
    for (const s of [dev, plain]) {
      const res = await fetch(`${s.baseUrl}/`, { redirect: 'manual' })
      expect(res.status).toBe(302)
      expect(res.headers.get('location')).toBe('/certify')
      const followed = await fetch(`${s.baseUrl}/`)
      expect(followed.url).toBe(`${s.baseUrl}/certify`)
      expect(followed.status).toBe(200)
    }
  })
})
