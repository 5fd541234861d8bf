/**
 * did:web resolution: DID → URL parsing (docs/attacks.md E2), document id binding, caching, and the
 * hardened Node wiring (no loopback, no http, no redirects by default).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createDidWebResolver,
  createHardenedDidResolver,
  didWebDocumentUrl,
  type DidDocumentFetcher,
} from '../src/index.node.js'

describe('didWebDocumentUrl', () => {
  it.each([
    ['did:web:example.com', 'https://example.com/.well-known/did.json'],
    ['did:web:example.com%3A8443', 'https://example.com:8443/.well-known/did.json'],
    ['did:web:example.com:users:alice', 'https://example.com/users/alice/did.json'],
    ['did:web:sub.example.co.uk%3a443:a', 'https://sub.example.co.uk:443/a/did.json'],
    ['did:web:localhost%3A4321', 'https://localhost:4321/.well-known/did.json'],
  ])('%s → %s', (did, url) => {
    expect(didWebDocumentUrl(did)).toEqual({ url })
  })

  it('uses http only when asked (tests)', () => {
    expect(didWebDocumentUrl('did:web:localhost%3A1', { insecureHttp: true })).toEqual({
      url: 'http://localhost:1/.well-known/did.json',
    })
  })

  it.each([
    ['not did:web', 'did:key:z6Mk'],
    ['no host', 'did:web:'],
    ['an IPv4 literal', 'did:web:127.0.0.1'],
    ['an IPv4 literal with port', 'did:web:169.254.169.254%3A80'],
    ['an IPv6 literal', 'did:web:%5B%3A%3A1%5D'],
    ['upper case host', 'did:web:Example.com'],
    ['an encoded host', 'did:web:exa%6Dple.com'],
    ['user info', 'did:web:user%40example.com'],
    ['a bad port', 'did:web:example.com%3A0'],
    ['a port too large', 'did:web:example.com%3A70000'],
    ['an empty segment', 'did:web:example.com::alice'],
    ['a trailing empty segment', 'did:web:example.com:'],
    ['a dot-dot segment', 'did:web:example.com:..'],
    ['an encoded dot-dot', 'did:web:example.com:%2E%2E'],
    ['an encoded slash', 'did:web:example.com:a%2Fb'],
    ['a fragment', 'did:web:example.com#key-1'],
    ['a query', 'did:web:example.com?x=1'],
    ['a label with an underscore', 'did:web:ex_ample.com'],
    ['a label starting with a hyphen', 'did:web:-example.com'],
  ])('refuses %s', (_name, did) => {
    expect(didWebDocumentUrl(did)).toHaveProperty('error')
  })
})

describe('createDidWebResolver', () => {
  const did = 'did:web:example.com'
  const doc = { '@context': 'https://www.w3.org/ns/did/v1', id: did, assertionMethod: [] }

  function fetcher(answer: () => Promise<unknown>): DidDocumentFetcher & { urls: string[] } {
    const urls: string[] = []
    return {
      urls,
      get(url: string) {
        urls.push(url)
        return answer()
      },
    }
  }

  it('resolves a document whose id is the DID, and caches it within the ttl', async () => {
    let clock = 0
    const f = fetcher(() => Promise.resolve(structuredClone(doc)))
    const resolver = createDidWebResolver({ fetcher: f, cacheTtlMs: 1000, now: () => clock })
    const r = await resolver.resolve(did)
    expect(r.didResolutionMetadata.error).toBeUndefined()
    expect(r.didDocument).toEqual(doc)
    await resolver.resolve(did)
    expect(f.urls).toEqual(['https://example.com/.well-known/did.json'])
    clock = 1000
    await resolver.resolve(did)
    expect(f.urls).toHaveLength(2)
  })

  it.each([
    [
      'another id',
      () => Promise.resolve({ ...doc, id: 'did:web:evil.example' }),
      'invalidDidDocument',
    ],
    ['no id', () => Promise.resolve({ assertionMethod: [] }), 'invalidDidDocument'],
    ['an array', () => Promise.resolve([doc]), 'invalidDidDocument'],
    ['a fetch failure', () => Promise.reject(new Error('HTTP 404')), 'notFound'],
  ])('fails resolution for %s (never cached)', async (_name, answer, error) => {
    const f = fetcher(answer)
    const resolver = createDidWebResolver({ fetcher: f })
    const r = await resolver.resolve(did)
    expect(r.didDocument).toBeNull()
    expect(r.didResolutionMetadata.error).toBe(error)
    await resolver.resolve(did)
    expect(f.urls).toHaveLength(2)
  })

  it('does not fetch for a malformed did:web', async () => {
    const f = fetcher(() => Promise.resolve(doc))
    const r = await createDidWebResolver({ fetcher: f }).resolve('did:web:10.0.0.1')
    expect(r.didResolutionMetadata.error).toBe('invalidDid')
    expect(f.urls).toEqual([])
  })

  it('times out a fetch that never answers', async () => {
    const f = fetcher(() => new Promise(() => undefined))
    const neverAnswers: DidDocumentFetcher = {
      get: (url, options) =>
        new Promise((_resolve, reject) => {
          f.urls.push(url)
          options.signal?.addEventListener('abort', () => reject(new Error('aborted')))
        }),
    }
    const r = await createDidWebResolver({ fetcher: neverAnswers, timeoutMs: 20 }).resolve(did)
    expect(r.didResolutionMetadata.error).toBe('notFound')
  })

  it('still resolves did:key locally', async () => {
    const key = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
    const f = fetcher(() => Promise.resolve(doc))
    const r = await createDidWebResolver({ fetcher: f }).resolve(key)
    expect((r.didDocument as { id: string }).id).toBe(key)
    expect(f.urls).toEqual([])
  })

  it('throws TypeError for bad options', () => {
    expect(() => createDidWebResolver({} as never)).toThrow(TypeError)
    expect(() =>
      createDidWebResolver({ fetcher: { get: () => Promise.resolve(1) }, timeoutMs: 0 }),
    ).toThrow(TypeError)
  })
})

describe('createHardenedDidResolver (Node)', () => {
  let server: Server
  let port: number
  let requests = 0
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++
      if (req.url === '/redirect/did.json') {
        res.writeHead(302, { location: 'http://localhost:1/elsewhere' }).end()
        return
      }
      const id = `did:web:localhost%3A${port}`
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it('refuses loopback and plain http by default, without a request', async () => {
    const before = requests
    const r = await createHardenedDidResolver().resolve(`did:web:localhost%3A${port}`)
    expect(r.didResolutionMetadata.error).toBe('notFound')
    expect(requests).toBe(before)
  })

  it('resolves over http on loopback with the explicit test switches', async () => {
    const resolver = createHardenedDidResolver({ allowHttp: true, allowLoopback: true })
    const r = await resolver.resolve(`did:web:localhost%3A${port}`)
    expect(r.didResolutionMetadata.error).toBeUndefined()
    expect(r.didDocument).toEqual({ id: `did:web:localhost%3A${port}` })
  })

  it('resolves over http for exactly a development origin', async () => {
    const resolver = createHardenedDidResolver({
      developmentOrigins: [`http://localhost:${port}`],
    })
    const r = await resolver.resolve(`did:web:localhost%3A${port}`)
    expect(r.didResolutionMetadata.error).toBeUndefined()
    expect(r.didDocument).toEqual({ id: `did:web:localhost%3A${port}` })
    // Another port of the same host is another origin: https, and loopback refused.
    const before = requests
    const other = await resolver.resolve(`did:web:localhost%3A${port + 1}`)
    expect(other.didResolutionMetadata.error).toBe('notFound')
    expect(other.didResolutionMetadata.message).toMatch(/https:\/\/localhost/)
    expect(requests).toBe(before)
  })

  it('never follows a redirect', async () => {
    const resolver = createHardenedDidResolver({ allowHttp: true, allowLoopback: true })
    const r = await resolver.resolve(`did:web:localhost%3A${port}:redirect`)
    expect(r.didResolutionMetadata.error).toBe('notFound')
    expect(r.didResolutionMetadata.message).toMatch(/redirect/i)
  })
})
