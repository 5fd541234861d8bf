import {
  CONTEXT_URLS,
  createDocumentLoader,
  didKeyFromPublicKeyMultibase,
  type DocumentLoader,
} from '@certify-vc/context'
import { describe, expect, it, vi } from 'vitest'

const KEY = 'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2'

describe('createDocumentLoader', () => {
  it('serves pinned contexts by exact URL', async () => {
    const load = createDocumentLoader()
    const r = await load(CONTEXT_URLS.credentialsV2)
    expect(r.documentUrl).toBe(CONTEXT_URLS.credentialsV2)
    expect(r.document).toHaveProperty('@context')
  })

  it('refuses near-miss URLs (exact match only)', async () => {
    const load = createDocumentLoader()
    for (const url of [
      CONTEXT_URLS.credentialsV2 + '/',
      CONTEXT_URLS.credentialsV2.toUpperCase(),
      CONTEXT_URLS.credentialsV2.replace('https', 'http'),
      CONTEXT_URLS.credentialsV2 + '#x',
    ]) {
      await expect(load(url)).rejects.toMatchObject({ code: 'ERR_DOCUMENT_NOT_FOUND' })
    }
  })

  it('fails unknown URLs with ERR_DOCUMENT_NOT_FOUND and never uses the network', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    const load = createDocumentLoader()
    await expect(load('https://example.com/context.jsonld')).rejects.toMatchObject({
      name: 'CertifyError',
      code: 'ERR_DOCUMENT_NOT_FOUND',
    })
    expect(fetchSpy).not.toHaveBeenCalled()
    fetchSpy.mockRestore()
  })

  it('resolves did:key DIDs and key ids locally', async () => {
    const load = createDocumentLoader()
    const { did, verificationMethodId } = didKeyFromPublicKeyMultibase(KEY)
    const doc = (await load(did)).document as Record<string, unknown>
    expect(doc.id).toBe(did)
    expect(doc.assertionMethod).toEqual([verificationMethodId])
    const vm = (await load(verificationMethodId)).document as Record<string, unknown>
    expect(vm).toMatchObject({
      id: verificationMethodId,
      type: 'Multikey',
      controller: did,
      publicKeyMultibase: KEY,
    })
  })

  it('refuses malformed did:key values', async () => {
    const load = createDocumentLoader()
    await expect(load(`did:key:${KEY}#other`)).rejects.toMatchObject({
      code: 'ERR_DOCUMENT_NOT_FOUND',
    })
    await expect(load('did:key:abc')).rejects.toMatchObject({ code: 'ERR_DOCUMENT_NOT_FOUND' })
    // a secp256k1 did:key (zQ3s…) is not Ed25519
    await expect(
      load('did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme'),
    ).rejects.toMatchObject({
      code: 'ERR_KEY_INVALID',
    })
  })

  it('did:key resolution can be switched off', async () => {
    const load = createDocumentLoader({ resolveDidKey: false })
    await expect(load(`did:key:${KEY}`)).rejects.toMatchObject({ code: 'ERR_DOCUMENT_NOT_FOUND' })
  })

  it('serves extra documents from a Map or an object', async () => {
    const fromMap = createDocumentLoader({
      documents: new Map([['https://x.example/a', { a: 1 }]]),
    })
    expect((await fromMap('https://x.example/a')).document).toEqual({ a: 1 })
    const fromObject = createDocumentLoader({ documents: { 'https://x.example/b': { b: 2 } } })
    expect((await fromObject('https://x.example/b')).document).toEqual({ b: 2 })
  })

  it('uses the fallback only when given, and only for URLs it does not hold', async () => {
    const fallback: DocumentLoader = vi.fn((url: string) =>
      Promise.resolve({ contextUrl: null, documentUrl: url, document: { fetched: true } }),
    )
    const load = createDocumentLoader({ fallback })
    await load(CONTEXT_URLS.credentialsV2)
    expect(fallback).not.toHaveBeenCalled()
    expect((await load('https://x.example/c')).document).toEqual({ fetched: true })
    expect(fallback).toHaveBeenCalledWith('https://x.example/c')
  })

  it('rejects bad options with TypeError', () => {
    expect(() => createDocumentLoader(null as never)).toThrow(TypeError)
    expect(() => createDocumentLoader({ fallback: 'x' as never })).toThrow(TypeError)
    expect(() => createDocumentLoader({ documents: 5 as never })).toThrow(TypeError)
  })

  it('rejects a non-string URL with a CertifyError', async () => {
    await expect(createDocumentLoader()(42 as never)).rejects.toMatchObject({
      code: 'ERR_DOCUMENT_NOT_FOUND',
    })
  })
})
