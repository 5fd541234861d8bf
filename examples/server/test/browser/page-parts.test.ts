/**
 * The verification page's parts without a browser: escaping, the configuration block, verdicts
 * from real verifier results, the page's network limits, and the plugin's routes and headers
 * (through `inject`, with the real verifier behind `verify`).
 */
import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCatalog } from '@certify-vc/context'
import {
  generateIssuerKey,
  issueCredential,
  bakeCredential,
  openSqliteRegistry,
  programBadgePng,
  signGenericCredential,
  type IssuerKey,
} from '@certify-vc/issuer'
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_IMAGE_BYTES,
  verifyCredential,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createPageDidResolver,
  createPageStatusSource,
  didWebUrl,
} from '../../src/verification-page/browser/network.js'
import {
  HEAD_BYTES,
  bakedContent,
  bakedSourceNote,
  isImageFile,
} from '../../src/verification-page/browser/baked.js'
import { renderResult } from '../../src/verification-page/credential-view.js'
import { verdictOf, type DisplayContext } from '../../src/verification-page/verdict.js'
import {
  parsePageConfig,
  serializePageConfig,
  type PageConfig,
} from '../../src/verification-page/page-config.js'
import { pageCsp, verificationPage } from '../../src/verification-page/plugin.js'
import { escapeHtml, h, toHtml } from '../../src/verification-page/view.js'

type Json = Record<string, unknown>
const HOSTILE = 'Eve </script><script>alert(1)</script><img src=x onerror=alert(2)> & "q" \u2028'

describe('view', () => {
  it('escapes text and attribute values', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    )
    const html = toHtml(h('p', { title: HOSTILE, hidden: true, lang: undefined }, HOSTILE))
    expect(html.startsWith('<p title="Eve &lt;/script&gt;')).toBe(true)
    expect(html).toContain(' hidden>')
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    expect(toHtml(h('br'))).toBe('<br>')
  })

  it('refuses tag and attribute names that are not plain, and event handler attributes', () => {
    expect(() => h('img src=x')).toThrow(TypeError)
    expect(() => h('p', { 'a"b': 'x' })).toThrow(TypeError)
    expect(() => h('p', { onclick: 'alert(1)' })).toThrow(TypeError)
  })
})

describe('page configuration block', () => {
  const config: PageConfig = {
    trustedIssuers: ['did:web:example.org'],
    publicBaseUrl: 'https://example.org',
    catalog: createCatalog(),
    issuerNames: { 'did:web:example.org': HOSTILE },
    maxBytes: 524_288,
  }

  it('cannot close its script element or start markup, and round-trips', () => {
    const text = serializePageConfig(config)
    expect(text).not.toMatch(/[<>&\u2028\u2029]/)
    expect(parsePageConfig(JSON.parse(text))).toEqual(config)
    const withImages = { ...config, maxImageBytes: 4_194_304 }
    expect(parsePageConfig(JSON.parse(serializePageConfig(withImages)))).toEqual(withImages)
  })

  it('refuses malformed configurations with a TypeError', () => {
    expect(() => parsePageConfig(null)).toThrow(TypeError)
    expect(() => parsePageConfig({ ...config, trustedIssuers: [1] })).toThrow(/trustedIssuers/)
    expect(() => parsePageConfig({ ...config, publicBaseUrl: 'nope' })).toThrow(/publicBaseUrl/)
    expect(() => parsePageConfig({ ...config, catalog: {} })).toThrow(/catalog/)
    expect(() => parsePageConfig({ ...config, issuerNames: { a: 1 } })).toThrow(/issuerNames/)
    expect(() => parsePageConfig({ ...config, maxBytes: 0 })).toThrow(/maxBytes/)
    expect(() => parsePageConfig({ ...config, maxImageBytes: 1.5 })).toThrow(/maxImageBytes/)
  })
})

describe('baked badges on the page (browser/baked.ts)', () => {
  const limits = { maxImageBytes: 4_194_304, maxCredentialBytes: 524_288 }
  let vc: Json
  let png: Uint8Array
  let svg: string

  beforeAll(async () => {
    vc = (await issueCredential({
      program: 'CAAE',
      recipient: { name: 'Ada Lovelace' },
      key: await generateIssuerKey(),
    })) as unknown as Json
    png = await bakeCredential({ credential: vc, format: 'png' })
    svg = await bakeCredential({ credential: vc, format: 'svg' })
  })

  it('images are read up to the image limit, anything else up to the JSON limit', () => {
    expect(isImageFile(png.subarray(0, HEAD_BYTES))).toBe(true)
    expect(isImageFile(new TextEncoder().encode(svg).subarray(0, HEAD_BYTES))).toBe(true)
    expect(isImageFile(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe(true) // a JPEG photo
    expect(isImageFile(new TextEncoder().encode(JSON.stringify(vc)))).toBe(false)
    expect(isImageFile(new TextEncoder().encode('  \n{"a":1}'))).toBe(false)
  })

  it('tells a baked badge from a PNG that may be a QR code, and never throws', async () => {
    expect(bakedContent(png, limits)).toEqual({ kind: 'baked', format: 'png' })
    expect(bakedContent(svg, limits)).toEqual({ kind: 'baked', format: 'svg' })
    expect(bakedContent(new TextEncoder().encode(svg), limits)).toEqual({
      kind: 'baked',
      format: 'svg',
    })
    expect(bakedContent(await programBadgePng('CAAE'), limits)).toEqual({ kind: 'png' })
    expect(bakedContent(png, { ...limits, maxImageBytes: 100 })).toEqual({ kind: 'png' })
    expect(bakedContent('<svg/>', limits)).toEqual({ kind: 'svg' })
    expect(bakedContent('<!DOCTYPE x><svg/>', limits)).toEqual({ kind: 'svg' })
    expect(bakedContent(JSON.stringify(vc), limits)).toEqual({ kind: 'other' })
    expect(bakedContent(Uint8Array.from([0xff, 0xd8, 0xff]), limits)).toEqual({ kind: 'other' })
    expect(bakedSourceNote('png')).toContain('PNG badge image, where it is baked in')
  })
})

describe('verdicts from real verifier results', () => {
  const catalog = createCatalog({ validity: { CAAE: { expires: true, days: 30 } } })
  let key: IssuerKey
  let display: DisplayContext
  let dir: string
  const issuedAt = new Date('2026-01-10T09:00:00Z')

  const verify = (doc: unknown, extra: Partial<Parameters<typeof verifyCredential>[1]> = {}) =>
    verifyCredential(doc, {
      trustedIssuers: [key.did],
      catalog,
      status: false,
      now: new Date('2026-01-20T00:00:00Z'),
      ...extra,
    })

  beforeAll(async () => {
    key = await generateIssuerKey()
    display = { catalog, trustedIssuers: [key.did], issuerNames: {} }
    dir = await mkdtemp(join(tmpdir(), 'certify-page-parts-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  async function issued(program = 'AIDA', name = 'Ada Lovelace'): Promise<Json> {
    return (await issueCredential({
      program,
      recipient: { name },
      key,
      catalog,
      now: issuedAt,
    })) as unknown as Json
  }

  it('genuine: facts from the catalog and the trust list', async () => {
    const r = await verify(await issued())
    const v = verdictOf(r, display)
    expect(v.kind).toBe('genuine')
    expect(v.summary).toContain('no revocation status')
    const html = toHtml(renderResult(r, display))
    expect(html).toContain('data-verdict="genuine"')
    expect(html).toContain('AI Deployment Awareness (AIDA)')
    expect(html).toContain('10 January 2026 at 09:00 UTC')
    expect(html).toContain('Does not expire')
  })

  it('a selectively disclosed credential says what its holder shows (ecdsa-sd-2023, issue 17)', async () => {
    const r = await verify(JSON.stringify(await issued()))
    const disclosed = {
      ...r,
      credential: { ...r.credential, disclosed: ['/credentialSubject/name', '/issuer/id'] },
    }
    const html = toHtml(renderResult(disclosed, display))
    expect(html).toContain('Shown by the holder')
    expect(html).toContain('Selective disclosure: 2 values shown, the rest withheld by the holder')
    expect(html).toContain('/credentialSubject/name /issuer/id')
    expect(toHtml(renderResult(r, display))).not.toContain('Shown by the holder')
  })

  it('not genuine when altered; no facts are shown', async () => {
    const doc = await issued()
    ;(doc.credentialSubject as Json).name = 'Mallory'
    const r = await verify(doc)
    expect(verdictOf(r, display).kind).toBe('not-genuine')
    const html = toHtml(renderResult(r, display))
    expect(html).toContain('ERR_PROOF_INVALID')
    expect(html).toContain('/proof/proofValue')
    expect(html).not.toContain('Mallory')
  })

  it('unreadable, not accused, for input that is not JSON (issue 16: "not JSON" is no forgery)', async () => {
    const r = await verify('{"not json')
    const v = verdictOf(r, display)
    expect(v.kind).toBe('unreadable')
    expect(v.title).toBe('Could not be read')
    expect(v.summary).not.toMatch(/not genuine|as its issuer signed/i)
    expect(v.summary).toContain('does not mean anyone altered anything')
    const html = toHtml(renderResult(r, display))
    expect(html).toContain('ERR_INPUT_NOT_JSON')
    expect(html).not.toContain('Not genuine')
    // The failed check says what failed; the checks after it share one line.
    expect(html).toContain('The file could not be read as a JSON document')
    expect(html.match(/class="not-reached"/g)).toHaveLength(1)
    expect(html).not.toContain('Not checked:')
  })

  it('untrusted issuer: the issuer is not named from the credential, its text is escaped', async () => {
    const doc = await issued('AIDA', HOSTILE)
    const r = await verify(doc, { trustedIssuers: [] })
    expect(verdictOf(r, { ...display, trustedIssuers: [] }).kind).toBe('untrusted-issuer')
    const html = toHtml(renderResult(r, { ...display, trustedIssuers: [] }))
    expect(html).toContain('Not a trusted issuer')
    expect(html).not.toContain('Production AI Institute</dd>')
    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    expect(html).toContain('Eve &lt;/script&gt;')
  })

  it('a profile that accepts any issuer: genuine, never in the Institute’s name, the warning shown', async () => {
    // A generic VC from an issuer not on the list verifies under `vc` (issuer-trust skipped, a
    // warning); the page must not say the Institute issued it.
    const doc = (await signGenericCredential(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
        issuer: key.did,
        validFrom: '2026-01-01T00:00:00Z',
        credentialSubject: { id: 'did:example:learner' },
      },
      { key, created: issuedAt },
    )) as unknown as Json
    const untrusted = { ...display, trustedIssuers: [] }
    const r = await verify(doc, { trustedIssuers: [], profile: 'vc' })
    expect(r.verified).toBe(true)
    const v = verdictOf(r, untrusted)
    expect(v).toMatchObject({ kind: 'genuine-unlisted-issuer', tone: 'caution' })
    expect(v.summary).toContain(key.did)
    expect(v.summary).not.toMatch(/^Issued by Production AI Institute/)
    const html = toHtml(renderResult(r, untrusted))
    expect(html).toContain('data-verdict="genuine-unlisted-issuer"')
    expect(html).toMatch(/<li class="warning">.*ERR_ISSUER_UNTRUSTED/)
    // The same credential from a listed issuer is plainly genuine, with no warning.
    const listed = await verify(doc, { trustedIssuers: [key.did], profile: 'vc' })
    expect(verdictOf(listed, display).kind).toBe('genuine')
    expect(toHtml(renderResult(listed, display))).not.toContain('class="warning"')
  })

  it('untrusted issuer also when its key cannot be resolved (a did:web the page does not fetch)', async () => {
    const doc = await issued()
    const r = await verify(doc, {
      trustedIssuers: [],
      didResolver: {
        resolve: () =>
          Promise.resolve({
            didDocument: null,
            didResolutionMetadata: { error: 'notFound', message: 'not fetched' },
          }),
      },
    })
    expect(r.problems.map((p) => p.code)).toContain('ERR_KEY_UNRESOLVABLE')
    expect(verdictOf(r, { ...display, trustedIssuers: [] }).kind).toBe('untrusted-issuer')
    // The same resolution failure for a trusted issuer is not genuine.
    const trusted = await verify(doc, {
      didResolver: {
        resolve: () =>
          Promise.resolve({ didDocument: null, didResolutionMetadata: { error: 'notFound' } }),
      },
    })
    expect(verdictOf(trusted, display).kind).toBe('not-genuine')
  })

  it('expired and not yet valid', async () => {
    const doc = await issued('CAAE')
    const expired = await verify(doc, { now: new Date('2026-03-01T00:00:00Z') })
    expect(verdictOf(expired, display).kind).toBe('expired')
    expect(toHtml(renderResult(expired, display))).toContain('9 February 2026 at 09:00 UTC')
    // Signed on 10 January, valid from 1 February, checked on 20 January.
    const later = (await issueCredential({
      program: 'AIDA',
      recipient: { name: 'Ada Lovelace' },
      key,
      catalog,
      now: issuedAt,
      validFrom: new Date('2026-02-01T00:00:00Z'),
    })) as unknown as Json
    const early = await verify(later)
    expect(early.problems.map((p) => p.code)).toEqual(['ERR_VALIDITY_NOT_YET_VALID'])
    expect(verdictOf(early, display).kind).toBe('not-yet-valid')
  })

  it('status unknown when the status list cannot be fetched', async () => {
    const registry = await openSqliteRegistry(join(dir, 'registry.sqlite'))
    try {
      const doc = await issueCredential({
        program: 'AIDA',
        recipient: { name: 'Ada' },
        key,
        catalog,
        status: { registry, baseUrl: 'https://status.example/status' },
      })
      const r = await verify(doc, {
        now: new Date(),
        status: {
          source: { get: () => Promise.reject(new Error('offline')) },
          cache: false,
        },
      })
      expect(r.problems.map((p) => p.code)).toEqual(['ERR_STATUS_UNKNOWN'])
      expect(verdictOf(r, display).kind).toBe('status-unknown')
    } finally {
      await registry.close()
    }
  })
})

describe('what the page may fetch', () => {
  it('maps did:web to its URL and refuses malformed ones', () => {
    expect(didWebUrl('did:web:example.org')?.href).toBe('https://example.org/.well-known/did.json')
    expect(didWebUrl('did:web:localhost%3A8443')?.href).toBe(
      'https://localhost:8443/.well-known/did.json',
    )
    expect(didWebUrl('did:web:example.org:users:ada')?.href).toBe(
      'https://example.org/users/ada/did.json',
    )
    for (const bad of [
      'did:web:',
      'did:web:127.0.0.1',
      'did:web:example.org::x',
      'did:web:example.org:..',
      'did:web:ex%2Fample.org',
      'did:key:z6Mk',
    ]) {
      expect(didWebUrl(bad), bad).toBeUndefined()
    }
  })

  function recordingFetch(respond: (url: string) => Response): {
    fetch: typeof fetch
    urls: string[]
  } {
    const urls: string[] = []
    const impl = (input: string | URL | Request): Promise<Response> => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
      urls.push(url)
      return Promise.resolve(respond(url))
    }
    return { fetch: impl, urls }
  }

  it('resolves only the server’s own did:web, from its public base URL, and checks the id', async () => {
    const did = 'did:web:localhost%3A4321'
    const doc = { id: did, verificationMethod: [] }
    const net = recordingFetch(
      () =>
        new Response(JSON.stringify(doc), {
          status: 200,
          headers: { 'content-type': 'application/did+json' },
        }),
    )
    const resolver = createPageDidResolver({ publicBaseUrl: 'http://localhost:4321' }, net.fetch)
    const ok = await resolver.resolve(did)
    expect(ok.didDocument).toEqual(doc)
    expect(net.urls).toEqual(['http://localhost:4321/.well-known/did.json'])

    const other = await resolver.resolve('did:web:attacker.example')
    expect(other.didResolutionMetadata.error).toBe('notFound')
    expect(net.urls).toHaveLength(1) // no request for another host

    const wrongId = createPageDidResolver(
      { publicBaseUrl: 'http://localhost:4321' },
      recordingFetch(
        () =>
          new Response(JSON.stringify({ id: 'did:web:elsewhere' }), {
            status: 200,
            headers: { 'content-type': 'application/json' },
          }),
      ).fetch,
    )
    expect((await wrongId.resolve(did)).didResolutionMetadata.error).toBe('invalidDidDocument')
  })

  it('fetches status lists from the server’s origin only', async () => {
    const net = recordingFetch(
      () =>
        new Response('{"id":"x"}', {
          status: 200,
          headers: { 'content-type': 'application/vc+ld+json' },
        }),
    )
    const local = createPageStatusSource({ publicBaseUrl: 'http://localhost:4321' }, net.fetch)
    await expect(local.get('http://localhost:4321/status/revocation/1', {})).resolves.toEqual({
      id: 'x',
    })
    await expect(local.get('https://attacker.example/status/1', {})).rejects.toThrow(/only/)
    await expect(local.get('http://localhost:9999/status/1', {})).rejects.toThrow(/only/)
    expect(net.urls).toEqual(['http://localhost:4321/status/revocation/1'])

    // A production origin keeps the verifier's https-only, no-loopback rules.
    const prod = createPageStatusSource({ publicBaseUrl: 'https://example.org' }, net.fetch)
    await expect(prod.get('http://example.org/status/1', {})).rejects.toThrow()
  })
})

describe('the plugin', () => {
  let key: IssuerKey
  let app: FastifyInstance
  let assetsDir: string
  let listed: Json
  const directory = new Map<string, unknown>()
  const script = 'console.log("bundle")\n'

  async function build(dir: string): Promise<FastifyInstance> {
    const server = Fastify({ logger: false })
    await server.register(verificationPage, {
      trustedIssuers: [key.did],
      publicBaseUrl: 'https://verify.example',
      issuerNames: { [key.did]: HOSTILE },
      lookupCredential: (id) => Promise.resolve(directory.get(id)),
      verify: (doc): Promise<VerifyCredentialResult> =>
        verifyCredential(doc, { trustedIssuers: [key.did], status: false }),
      assetsDir: dir,
    })
    return server
  }

  beforeAll(async () => {
    key = await generateIssuerKey()
    listed = (await issueCredential({
      program: 'AIMA',
      recipient: { name: 'Ada <b>Lovelace</b>' },
      key,
    })) as unknown as Json
    directory.set(listed.id as string, listed)
    assetsDir = await mkdtemp(join(tmpdir(), 'certify-page-assets-'))
    await writeFile(join(assetsDir, 'verify.js'), script)
    await writeFile(join(assetsDir, 'verify.css'), 'body{}')
    app = await build(assetsDir)
  })
  afterAll(async () => {
    await app?.close()
    await rm(assetsDir, { recursive: true, force: true })
  })

  it('serves the checker with a strict CSP, the bundle with its integrity hash, and the config', async () => {
    const res = await app.inject({ method: 'GET', url: '/certify/verify' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['content-security-policy']).toBe(pageCsp('https://verify.example'))
    expect(res.headers['content-security-policy']).toContain("script-src 'self';")
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['x-frame-options']).toBe('DENY')
    const sri = `sha384-${createHash('sha384').update(script).digest('base64')}`
    expect(res.body).toContain(`integrity="${sri}"`)
    // The only script elements: the module bundle and the JSON data block.
    const scripts = res.body.match(/<script[^>]*>/g) ?? []
    expect(scripts).toHaveLength(2)
    expect(scripts[0]).toMatch(
      /^<script type="module" src="\/certify\/verify\/assets\/verify\.js\?v=/,
    )
    expect(scripts[1]).toBe('<script type="application/json" id="certify-verify-config">')
    // The verifier's two size limits: JSON, and a badge image with a credential baked in.
    const block = /id="certify-verify-config">([^<]*)</.exec(res.body)?.[1] ?? ''
    expect(parsePageConfig(JSON.parse(block))).toMatchObject({
      maxBytes: DEFAULT_MAX_BYTES,
      maxImageBytes: DEFAULT_MAX_IMAGE_BYTES,
    })
    expect(res.body).not.toContain('</script><script>alert')
    expect(res.body).not.toMatch(/<[^>]*\son[a-z]+=/i) // no event handler attribute on any tag

    const js = await app.inject({ method: 'GET', url: '/certify/verify/assets/verify.js' })
    expect(js.statusCode).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.body).toBe(script)
    const again = await app.inject({
      method: 'GET',
      url: '/certify/verify/assets/verify.js',
      headers: { 'if-none-match': js.headers.etag as string },
    })
    expect(again.statusCode).toBe(304)
  })

  it('redirects ?id= to the lookup page', async () => {
    const res = await app.inject({ method: 'GET', url: '/certify/verify?id=urn%3Auuid%3Aabc%2Fd' })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/certify/verify/urn%3Auuid%3Aabc%2Fd')
  })

  it('shows a listed credential as the server verified it, escaped', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/certify/verify/${encodeURIComponent(listed.id as string)}`,
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['content-security-policy']).toBe(pageCsp('https://verify.example'))
    expect(res.body).toContain('data-verdict="genuine"')
    expect(res.body).toContain('Ada &lt;b&gt;Lovelace&lt;/b&gt;')
    expect(res.body).toContain('Eve &lt;/script&gt;') // the issuer's display name, escaped
    expect(res.body).not.toContain('<b>Lovelace')
    expect(res.body).not.toContain('<script') // no bundle needed without JavaScript
  })

  it('answers every id that is not listed with the same neutral page', async () => {
    const bodies = new Set<string>()
    for (const id of [
      'urn%3Auuid%3A00000000-0000-4000-8000-000000000000',
      encodeURIComponent(listed.id as string).replace('%3A', '%253A'), // encoded twice: not it
      'x'.repeat(3000), // too long
      'https%3A%2F%2Fexample.org%2Fcredentials%2F1',
    ]) {
      const res = await app.inject({ method: 'GET', url: `/certify/verify/${id}` })
      expect(res.statusCode, id).toBe(404)
      expect(res.headers['content-security-policy']).toBe(pageCsp('https://verify.example'))
      bodies.add(res.body)
    }
    expect(bodies.size).toBe(1)
    expect([...bodies][0]).toContain('<h1>Not listed</h1>')
  })

  it('looks up ids with reserved characters exactly as given', async () => {
    const id = 'https://example.org/credentials/a%2Fb?x=1#y'
    directory.set(id, listed)
    try {
      const res = await app.inject({
        method: 'GET',
        url: `/certify/verify/${encodeURIComponent(id)}`,
      })
      expect(res.statusCode).toBe(200)
      const decodedOnce = await app.inject({
        method: 'GET',
        url: `/certify/verify/${encodeURIComponent('https://example.org/credentials/a/b?x=1#y')}`,
      })
      expect(decodedOnce.statusCode).toBe(404)
    } finally {
      directory.delete(id)
    }
  })

  it('says so when the bundle is not built, and the asset answers 503', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'certify-page-empty-'))
    const bare = await build(empty)
    try {
      const page = await bare.inject({ method: 'GET', url: '/certify/verify' })
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('its script is not built')
      expect(page.body).not.toContain('type="module"')
      const js = await bare.inject({ method: 'GET', url: '/certify/verify/assets/verify.js' })
      expect(js.statusCode).toBe(503)
    } finally {
      await bare.close()
      await rm(empty, { recursive: true, force: true })
    }
  })

  it('shows the catalog’s badge image only when this server serves it, and only for a trusted issuer’s program', async () => {
    // Without a route for the image, a text badge (no request that would answer 404).
    const without = await app.inject({
      method: 'GET',
      url: `/certify/credential/${encodeURIComponent(listed.id as string)}`,
    })
    expect(without.statusCode).toBe(200)
    expect(without.body).toContain('class="badge badge-text badge-aima"')
    expect(without.body).not.toContain('<img')

    const empty = await mkdtemp(join(tmpdir(), 'certify-page-badges-'))
    const withBadges = Fastify({ logger: false })
    // What the badge routes serve: the catalog's image, at its path on this server.
    withBadges.get('/images/badges/aima.png', (_request, reply) => reply.type('image/png').send(''))
    await withBadges.register(verificationPage, {
      trustedIssuers: [key.did],
      publicBaseUrl: 'https://verify.example',
      lookupCredential: (id) => Promise.resolve(directory.get(id)),
      verify: (doc): Promise<VerifyCredentialResult> =>
        verifyCredential(doc, { trustedIssuers: [key.did], status: false }),
      assetsDir: empty,
    })
    try {
      const shown = await withBadges.inject({
        method: 'GET',
        url: `/certify/credential/${encodeURIComponent(listed.id as string)}`,
      })
      expect(shown.body).toContain(
        '<img class="badge" src="/images/badges/aima.png" alt="The AIMA badge" width="96" height="96">',
      )
      const directoryPage = await withBadges.inject({ method: 'GET', url: '/certify' })
      expect(directoryPage.body).toContain('src="/images/badges/aima.png"')
      // A credential from an issuer the page does not trust: no image at all, whatever it names.
      const foreign = (await issueCredential({
        program: 'AIMA',
        recipient: { name: 'Eve' },
        key: await generateIssuerKey(),
        issuerProfile: { image: 'https://tracker.example/pixel.png' },
      })) as unknown as Json
      directory.set(foreign.id as string, foreign)
      const untrusted = await withBadges.inject({
        method: 'GET',
        url: `/certify/verify/${encodeURIComponent(foreign.id as string)}`,
      })
      expect(untrusted.body).toContain('data-verdict="untrusted-issuer"')
      expect(untrusted.body).not.toContain('<img')
      expect(untrusted.body).not.toContain('tracker.example')
      directory.delete(foreign.id as string)
    } finally {
      await withBadges.close()
      await rm(empty, { recursive: true, force: true })
    }
  })

  it('the checker may use the camera (this origin only); no other page may', async () => {
    const checker = await app.inject({ method: 'GET', url: '/certify/verify' })
    expect(checker.headers['permissions-policy']).toBe(
      'camera=(self), microphone=(), geolocation=(), interest-cohort=()',
    )
    for (const url of [
      '/certify',
      `/certify/credential/${encodeURIComponent(listed.id as string)}`,
    ]) {
      const res = await app.inject({ method: 'GET', url })
      expect(res.headers['permissions-policy'], url).toBe(
        'camera=(), microphone=(), geolocation=(), interest-cohort=()',
      )
      expect(res.headers['content-security-policy'], url).toBe(pageCsp('https://verify.example'))
      expect(res.headers['x-frame-options'], url).toBe('DENY')
    }
  })
})
