import { CONTEXT_URLS, createDocumentLoader } from '@certify-vc/context'
import { canonize, expandSafely, findRelativeIri } from '@certify-vc/core'
import { describe, expect, it } from 'vitest'

const loader = createDocumentLoader()
const base = {
  '@context': [CONTEXT_URLS.credentialsV2],
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  credentialSubject: { id: 'did:example:subject' },
}

describe('JSON-LD safe mode', () => {
  it('expands a well-formed document', async () => {
    await expect(expandSafely(base, loader)).resolves.toHaveLength(1)
  })

  it('an undefined property is ERR_JSONLD_UNDEFINED_TERM', async () => {
    await expect(expandSafely({ ...base, grade: 'A' }, loader)).rejects.toMatchObject({
      code: 'ERR_JSONLD_UNDEFINED_TERM',
    })
  })

  it('an undefined type is ERR_JSONLD_UNDEFINED_TERM', async () => {
    await expect(
      expandSafely({ ...base, type: ['VerifiableCredential', 'Nope'] }, loader),
    ).rejects.toMatchObject({
      code: 'ERR_JSONLD_UNDEFINED_TERM',
    })
  })

  it('a relative node id is ERR_STRUCTURE_RELATIVE_IRI', async () => {
    await expect(expandSafely({ ...base, id: 'vc-1' }, loader)).rejects.toMatchObject({
      code: 'ERR_STRUCTURE_RELATIVE_IRI',
    })
  })

  it('a relative @id-typed value (which jsonld.js safe mode lets through) is ERR_STRUCTURE_RELATIVE_IRI', async () => {
    await expect(expandSafely({ ...base, issuer: 'issuer-1' }, loader)).rejects.toMatchObject({
      code: 'ERR_STRUCTURE_RELATIVE_IRI',
    })
    expect(
      findRelativeIri([{ '@id': '_:b0', x: [{ '@id': 'https://a.example' }] }]),
    ).toBeUndefined()
    expect(findRelativeIri([{ x: [{ '@value': 'plain text' }] }])).toBeUndefined()
  })

  it('an unknown context is ERR_DOCUMENT_NOT_FOUND (never fetched)', async () => {
    await expect(
      expandSafely(
        { ...base, '@context': [CONTEXT_URLS.credentialsV2, 'https://evil.example/ctx'] },
        loader,
      ),
    ).rejects.toMatchObject({
      code: 'ERR_DOCUMENT_NOT_FOUND',
    })
  })

  it('redefining a protected term is ERR_JSONLD_INVALID', async () => {
    const ctx = { '@context': { VerifiableCredential: 'https://evil.example/VC' } }
    const load = createDocumentLoader({ documents: { 'https://evil.example/ctx': ctx } })
    await expect(
      expandSafely(
        { ...base, '@context': [CONTEXT_URLS.credentialsV2, 'https://evil.example/ctx'] },
        load,
      ),
    ).rejects.toMatchObject({
      code: 'ERR_JSONLD_INVALID',
    })
  })

  it('canonize produces RDFC-1.0 N-Quads', async () => {
    const nquads = await canonize(base, loader)
    expect(nquads).toContain('<did:example:subject>')
    expect(nquads.endsWith('\n')).toBe(true)
  })
})
