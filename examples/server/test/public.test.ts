/**
 * Public routes: achievement pages, the Institute context, server info, and the public
 * directory opt-in (only listed credentials are retrievable).
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CATALOG, CERTIFY_CONTEXT_URL, contexts } from '@certify-vc/context'
import { buildCredential, generateIssuerKey, signCredential } from '@certify-vc/issuer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { ensureWriteToken } from '../src/token-file.js'
import { postJson, startTestServer, type TestServer } from './helpers.js'

let server: TestServer
let did: string

beforeAll(async () => {
  server = await startTestServer()
  did = ((await (await fetch(`${server.baseUrl}/certify/server-info`)).json()) as { did: string })
    .did
})
afterAll(async () => {
  await server.close()
})

describe('achievement pages', () => {
  it.each(['aida', 'caae', 'aima'])(
    '/certify/%s is HTML for people and JSON-LD for machines',
    async (slug) => {
      const program = Object.values(CATALOG.programs).find((p) =>
        p.achievementId.endsWith(`/${slug}`),
      )
      expect(program).toBeDefined()
      const html = await fetch(`${server.baseUrl}/certify/${slug}`, {
        headers: { accept: 'text/html' },
      })
      expect(html.status).toBe(200)
      expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(html.headers.get('vary')).toBe('accept')
      const text = await html.text()
      expect(text).toContain(`<h1>${program?.name.replace(/&/g, '&#38;') ?? ''}</h1>`)
      for (const accept of ['application/json', 'application/ld+json']) {
        const json = await fetch(`${server.baseUrl}/certify/${slug}`, { headers: { accept } })
        expect(json.status).toBe(200)
        expect(json.headers.get('content-type')).toMatch(/^application\/ld\+json/)
        const body = (await json.json()) as { id: string; type: string[]; name: string }
        expect(body.id).toBe(program?.achievementId)
        expect(body.type).toEqual(['Achievement'])
        expect(body.name).toBe(program?.name)
      }
    },
  )

  it('serves the Institute JSON-LD context at its URL path', async () => {
    const res = await fetch(`${server.baseUrl}${new URL(CERTIFY_CONTEXT_URL).pathname}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(await res.json()).toEqual(contexts.get(CERTIFY_CONTEXT_URL))
  })

  it('tells its DID and signing key', async () => {
    const info = (await (await fetch(`${server.baseUrl}/certify/server-info`)).json()) as Record<
      string,
      unknown
    >
    expect(info).toEqual({
      did,
      verificationMethod: `${did}#key-1`,
      // did:web: the ECDSA keys are methods of the server's own DID.
      ecdsaDids: { 'P-256': did, 'P-384': did },
      statusBaseUrl: `${server.baseUrl}/status`,
      trustedIssuers: [did],
      publicBaseUrl: server.baseUrl,
      verificationPage: `${server.baseUrl}/certify/verify`,
      development: false,
    })
  })
})

describe('public directory', () => {
  async function issueBadge(options?: Record<string, unknown>) {
    const credential = buildCredential({
      program: 'CAAE',
      recipient: { name: 'Katherine Johnson' },
      issuerDid: did,
    })
    const res = await postJson(server, '/credentials/issue', {
      credential,
      ...(options ? { options } : {}),
    })
    expect(res.status).toBe(201)
    return (res.body as { verifiableCredential: { id: string } }).verifiableCredential
  }

  it('lists a credential only when the issue call opted in', async () => {
    const listed = await issueBadge({ publicDirectory: true })
    const unlisted = await issueBadge()
    const page = await fetch(`${server.baseUrl}/certify/verify/${encodeURIComponent(listed.id)}`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Katherine Johnson')
    const hidden = await fetch(
      `${server.baseUrl}/certify/verify/${encodeURIComponent(unlisted.id)}`,
    )
    expect(hidden.status).toBe(404)
    expect(await hidden.text()).not.toContain('Katherine Johnson')
  })

  it('verifies an Institute credential on /credentials/verify (program included, with a trusted issuer)', async () => {
    const badge = await issueBadge()
    const res = await postJson(
      server,
      '/credentials/verify',
      { verifiableCredential: badge },
      { token: null },
    )
    expect(res.status).toBe(200)
    const body = res.body as {
      verified: boolean
      checks: string[]
      errors: unknown[]
      certify: { credential: { program: { code: string } } }
    }
    expect(body.verified).toBe(true)
    expect(body.errors).toEqual([])
    expect(body.checks).toEqual([
      'input',
      'structure',
      'contexts',
      'proof',
      'key-binding',
      'validity',
      'issuer-trust',
      'program',
      'status',
    ])
    expect(body.certify.credential.program.code).toBe('CAAE')
    const revoked = await postJson(server, '/credentials/status', {
      credentialId: badge.id,
      action: 'revoke',
    })
    expect(revoked.status).toBe(200)
    const after = await postJson(
      server,
      '/credentials/verify',
      { verifiableCredential: badge },
      { token: null },
    )
    expect(after.status).toBe(422)
    expect((after.body as { errors: { code: string }[] }).errors.map((e) => e.code)).toEqual([
      'ERR_STATUS_REVOKED',
    ])
  })
})

describe('foreign issuers on /credentials/verify', () => {
  it('a self-issued Open Badge for an Institute program is not verified (ERR_ISSUER_UNTRUSTED)', async () => {
    const eve = await generateIssuerKey()
    const forged = await signCredential(
      buildCredential({ program: 'CAAE', recipient: { name: 'Eve' }, issuerDid: eve.did }),
      { key: eve },
    )
    const res = await postJson(
      server,
      '/credentials/verify',
      { verifiableCredential: forged },
      { token: null },
    )
    expect(res.status).toBe(422)
    const body = res.body as { verified: boolean; errors: { code: string }[] }
    expect(body.verified).toBe(false)
    expect(body.errors.map((e) => e.code)).toEqual(['ERR_ISSUER_UNTRUSTED'])
  })

  it('a generic VC of another issuer verifies as data, with an ERR_ISSUER_UNTRUSTED warning', async () => {
    const other = await generateIssuerKey()
    const vc = await signCredential(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
        issuer: other.did,
        credentialSubject: { id: 'did:example:1', name: 'x' },
      },
      { key: other },
    )
    const res = await postJson(
      server,
      '/credentials/verify',
      { verifiableCredential: vc },
      { token: null },
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      verified: true,
      checks: ['input', 'structure', 'contexts', 'proof', 'key-binding', 'validity'],
      errors: [],
      warnings: [{ code: 'ERR_ISSUER_UNTRUSTED' }],
    })
  })

  it("another issuer's Open Badge (its own achievement) verifies too, with the same warning", async () => {
    const other = await generateIssuerKey()
    const badge = buildCredential({
      program: 'AIDA',
      recipient: { name: 'Grace' },
      issuerDid: other.did,
    }) as unknown as Record<string, unknown>
    const subject = badge.credentialSubject as Record<string, Record<string, unknown>>
    ;(subject.achievement as Record<string, unknown>).id = 'https://badges.example.org/rust-101'
    ;(subject.achievement as Record<string, unknown>).name = 'Rust 101'
    delete badge.name
    const vc = await signCredential(badge, { key: other })
    const res = await postJson(
      server,
      '/credentials/verify',
      { verifiableCredential: vc },
      { token: null },
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ verified: true, warnings: [{ code: 'ERR_ISSUER_UNTRUSTED' }] })
    // The Institute's page and its CLI use the institute profile: not one of the Institute's.
    const institute = await postJson(
      server,
      '/credentials/verify',
      { verifiableCredential: vc, options: { profile: 'institute' } },
      { token: null },
    )
    expect(institute.status).toBe(422)
    expect((institute.body as { errors: { code: string }[] }).errors.map((e) => e.code)).toEqual([
      'ERR_ISSUER_UNTRUSTED',
    ])
  })
})

describe('configuration', () => {
  it('reads the documented variables with safe defaults', () => {
    const c = loadConfig({}, { cwd: '/srv' })
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: '/srv/data',
      publicBaseUrl: 'http://localhost:8080',
      didMethod: 'web',
      writeToken: '',
      allowUnauthenticatedIssue: false,
      trustedIssuers: [],
      bodyLimit: 1_048_576,
      logLevel: 'info',
    })
    const d = loadConfig({
      PORT: '9443',
      HOST: '0.0.0.0',
      DATA_DIR: '/var/lib/certify',
      PUBLIC_BASE_URL: 'https://production-ai.institute/',
      CERTIFY_DID_METHOD: 'key',
      CERTIFY_WRITE_TOKEN: 'abc',
      CERTIFY_ALLOW_UNAUTHENTICATED_ISSUE: '1',
      CERTIFY_TRUSTED_ISSUERS: 'did:key:z6Mk1, did:web:a.example',
      LOG_LEVEL: 'silent',
      TLS_CERT: 'c.pem',
      TLS_KEY: 'k.pem',
    })
    expect(d).toMatchObject({
      port: 9443,
      host: '0.0.0.0',
      dataDir: '/var/lib/certify',
      publicBaseUrl: 'https://production-ai.institute',
      didMethod: 'key',
      writeToken: 'abc',
      allowUnauthenticatedIssue: true,
      trustedIssuers: ['did:key:z6Mk1', 'did:web:a.example'],
      logLevel: false,
      tlsFiles: { cert: 'c.pem', key: 'k.pem' },
    })
  })

  it.each([
    [{ PORT: 'x' }],
    [{ PORT: '70000' }],
    [{ CERTIFY_DID_METHOD: 'ion' }],
    [{ CERTIFY_ALLOW_UNAUTHENTICATED_ISSUE: 'yes' }],
    [{ LOG_LEVEL: 'loud' }],
    [{ TLS_CERT: 'c.pem' }],
  ])('refuses %j', (env) => {
    expect(() => loadConfig(env)).toThrow(TypeError)
  })

  it('generates the write token once, mode 0600, and reuses it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certify-token-'))
    try {
      const first = await ensureWriteToken(dir, '')
      expect(first.created).toBe(join(dir, 'write-token'))
      expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect((await stat(join(dir, 'write-token'))).mode & 0o777).toBe(0o600)
      expect((await readFile(join(dir, 'write-token'), 'utf8')).trim()).toBe(first.token)
      const second = await ensureWriteToken(dir, '')
      expect(second).toEqual({ token: first.token })
      expect(await ensureWriteToken(dir, 'from-the-environment-0123')).toEqual({
        token: 'from-the-environment-0123',
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('refuses a write token shorter than 16 characters', async () => {
    await expect(startTestServer({ writeToken: 'short' })).rejects.toThrow(TypeError)
  })

  it('with did:key, the DID is the current key and there is no did.json', async () => {
    const keyServer = await startTestServer({ didMethod: 'key' })
    try {
      const info = (await (await fetch(`${keyServer.baseUrl}/certify/server-info`)).json()) as {
        did: string
        verificationMethod: string
      }
      expect(info.did).toMatch(/^did:key:z6Mk/)
      expect(info.verificationMethod).toBe(`${info.did}#${info.did.slice('did:key:'.length)}`)
      expect((await fetch(`${keyServer.baseUrl}/.well-known/did.json`)).status).toBe(404)
      const credential = {
        '@context': [
          'https://www.w3.org/ns/credentials/v2',
          'https://www.w3.org/ns/credentials/examples/v2',
        ],
        type: ['VerifiableCredential'],
        issuer: info.did,
        credentialSubject: { id: 'did:example:1', name: 'x' },
      }
      const issued = await postJson(keyServer, '/credentials/issue', { credential })
      expect(issued.status).toBe(201)
      const verified = await postJson(keyServer, '/credentials/verify', {
        verifiableCredential: (issued.body as { verifiableCredential: unknown })
          .verifiableCredential,
      })
      expect(verified.status).toBe(200)
    } finally {
      await keyServer.close()
    }
  })
})

describe('logging', () => {
  it('never writes the write token, and keeps an audit line per issue', async () => {
    const lines: string[] = []
    const logged = await startTestServer({
      logLevel: 'trace',
      logStream: { write: (line: string) => void lines.push(line) },
    })
    try {
      const info = (await (await fetch(`${logged.baseUrl}/certify/server-info`)).json()) as {
        did: string
      }
      const credential = {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
        issuer: info.did,
        credentialSubject: { id: 'did:example:1', name: 'x' },
      }
      expect((await postJson(logged, '/credentials/issue', { credential })).status).toBe(201)
      const wrong = `${logged.token}-but-wrong`
      expect(
        (await postJson(logged, '/credentials/issue', { credential }, { token: wrong })).status,
      ).toBe(401)
      // Even a log call that carries the header is redacted.
      logged.app.log.info({ headers: { authorization: `Bearer ${logged.token}` } }, 'probe')
      const text = lines.join('')
      expect(text).toContain('"audit":"issue"')
      expect(text).toContain('[redacted]')
      expect(text).not.toContain(logged.token)
    } finally {
      await logged.close()
    }
  })
})
