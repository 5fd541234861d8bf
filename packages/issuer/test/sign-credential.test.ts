import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CONTEXT_URLS, createDocumentLoader } from '@certify-vc/context'
import { canonize, createSuite, verifyDocumentProofs } from '@certify-vc/core'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  importIssuerKey,
  signCredential,
  type IssuerKey,
  type SignCredentialOptions,
} from '../src/index.js'
import { fixedKey, vectorsDir } from './helpers.js'

// The vectors use the examples context; it is given to the loader here only, never bundled.
const EXAMPLES_CONTEXT_URL = 'https://www.w3.org/ns/credentials/examples/v2'
const loader = createDocumentLoader({
  documents: {
    [EXAMPLES_CONTEXT_URL]: {
      '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' },
    },
  },
})

function vector<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(join(vectorsDir, path), 'utf8')) as T
}
function vectorText(path: string): string {
  return readFileSync(join(vectorsDir, path), 'utf8')
}
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

async function proofVerifies(document: object): Promise<boolean> {
  const { outcomes } = await verifyDocumentProofs(document, {
    suites: [createSuite('eddsa-rdfc-2022'), createSuite('Ed25519Signature2020')],
    documentLoader: loader,
    purpose: { term: 'assertionMethod' },
  })
  return outcomes.length === 1 && outcomes.every((o) => o.verified)
}

// W3C "Data Integrity EdDSA Cryptosuites v1.0", TestVectors/ of w3c/vc-di-eddsa (see SOURCE.md
// in the vectors folder): Ed25519 is deterministic, so the same key, document and proof options
// must give the published proofs byte for byte.
describe('W3C vc-di-eddsa test vectors', () => {
  const created = '2023-02-24T23:36:38Z'
  let key: IssuerKey
  let unsigned: Record<string, unknown>
  beforeAll(async () => {
    const pair = vector<{ publicKeyMultibase: string; privateKeyMultibase: string }>('keyPair.json')
    key = await importIssuerKey({
      type: 'Multikey',
      publicKeyMultibase: pair.publicKeyMultibase,
      secretKeyMultibase: pair.privateKeyMultibase,
    })
    unsigned = vector('unsigned.json')
  })

  describe('eddsa-rdfc-2022', () => {
    it('reproduces signedDataInt.json exactly', async () => {
      const expected = vector<{ proof: Record<string, unknown> }>(
        'eddsa-rdfc-2022/signedDataInt.json',
      )
      const signed = await signCredential(unsigned, { key, created, documentLoader: loader })
      expect(signed.proof).toEqual(expected.proof)
      expect(signed.proof.proofValue).toBe(expected.proof.proofValue)
      expect(signed).toEqual(expected)
      expect(await proofVerifies(signed)).toBe(true)
    })

    it('gives the same intermediate values (canonical N-Quads, hashes, signature)', async () => {
      const canonDoc = await canonize(unsigned, loader)
      expect(canonDoc).toBe(vectorText('eddsa-rdfc-2022/canonDocDataInt.txt'))
      expect(sha256(canonDoc)).toBe(vectorText('eddsa-rdfc-2022/docHashDataInt.txt').trim())
      const proofCanon = await canonize(vector('eddsa-rdfc-2022/proofConfigDataInt.json'), loader)
      expect(proofCanon).toBe(vectorText('eddsa-rdfc-2022/proofCanonDataInt.txt'))
      expect(sha256(proofCanon)).toBe(vectorText('eddsa-rdfc-2022/proofHashDataInt.txt').trim())
      const combined = sha256(proofCanon) + sha256(canonDoc)
      expect(combined).toBe(vectorText('eddsa-rdfc-2022/combinedHashDataInt.txt').trim())
      const signature = await key.signer().sign({ data: Buffer.from(combined, 'hex') })
      expect(hex(signature)).toBe(vectorText('eddsa-rdfc-2022/sigHexDataInt.txt').trim())
    })
  })

  describe('Ed25519Signature2020', () => {
    it('reproduces signedEdSig.json exactly (the suite context is appended)', async () => {
      const expected = vector<{ proof: Record<string, unknown> }>(
        'Ed25519Signature2020/signedEdSig.json',
      )
      const signed = await signCredential(unsigned, {
        key,
        suite: 'Ed25519Signature2020',
        created: new Date(created),
        documentLoader: loader,
      })
      expect(signed.proof).toEqual(expected.proof)
      expect(signed.proof.proofValue).toBe(expected.proof.proofValue)
      expect(signed).toEqual(expected)
      expect(await proofVerifies(signed)).toBe(true)
    })

    it('gives the same intermediate values (canonical N-Quads, hashes, signature)', async () => {
      const withSuiteContext = {
        ...unsigned,
        '@context': [...(unsigned['@context'] as string[]), CONTEXT_URLS.ed25519Signature2020V1],
      }
      const canonDoc = await canonize(withSuiteContext, loader)
      expect(canonDoc).toBe(vectorText('Ed25519Signature2020/canonDocEdSig.txt'))
      expect(sha256(canonDoc)).toBe(vectorText('Ed25519Signature2020/docHashEdSig.txt').trim())
      const proofCanon = await canonize(
        vector('Ed25519Signature2020/proofConfigEdSig.json'),
        loader,
      )
      expect(proofCanon).toBe(vectorText('Ed25519Signature2020/proofCanonEdSig.txt'))
      expect(sha256(proofCanon)).toBe(vectorText('Ed25519Signature2020/proofHashEdSig.txt').trim())
      const combined = sha256(proofCanon) + sha256(canonDoc)
      expect(combined).toBe(vectorText('Ed25519Signature2020/combinedHashEdSig.txt').trim())
      const signature = await key.signer().sign({ data: Buffer.from(combined, 'hex') })
      expect(hex(signature)).toBe(vectorText('Ed25519Signature2020/sigHexEdSig.txt').trim())
    })
  })

  it('does not modify the credential it signs', async () => {
    const before = structuredClone(unsigned)
    await signCredential(unsigned, { key, created, documentLoader: loader })
    await signCredential(unsigned, {
      key,
      created,
      suite: 'Ed25519Signature2020',
      documentLoader: loader,
    })
    expect(unsigned).toEqual(before)
  })
})

describe('signCredential', () => {
  let key: IssuerKey
  beforeAll(async () => {
    key = await fixedKey()
  })

  const v2 = (): Record<string, unknown> => ({
    '@context': [CONTEXT_URLS.credentialsV2, EXAMPLES_CONTEXT_URL],
    id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33',
    type: ['VerifiableCredential', 'AlumniCredential'],
    issuer: key.did,
    validFrom: '2023-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:abcdefgh', alumniOf: 'The School of Examples' },
  })
  const v1 = (): Record<string, unknown> => ({
    '@context': [CONTEXT_URLS.credentialsV1, CONTEXT_URLS.ed25519Signature2020V1],
    id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33',
    type: ['VerifiableCredential'],
    issuer: key.did,
    issuanceDate: '2023-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:abcdefgh' },
  })

  it('picks eddsa-rdfc-2022 for VC 2.0 and Ed25519Signature2020 for VC 1.1 by default', async () => {
    const a = await signCredential(v2(), { key, documentLoader: loader })
    expect(a.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' })
    expect(a.proof.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const b = await signCredential(v1(), { key })
    expect(b.proof).toMatchObject({ type: 'Ed25519Signature2020' })
    expect(b.proof).not.toHaveProperty('cryptosuite')
    expect(await proofVerifies(a)).toBe(true)
    expect(await proofVerifies(b)).toBe(true)
  })

  it('writes created without milliseconds, in UTC', async () => {
    const signed = await signCredential(v2(), {
      key,
      created: '2026-11-29T13:00:00.750+01:00',
      documentLoader: loader,
    })
    expect(signed.proof.created).toBe('2026-11-29T12:00:00Z')
  })

  it('throws TypeError for caller mistakes', async () => {
    const good: SignCredentialOptions = { key, documentLoader: loader }
    const calls: [unknown, unknown][] = [
      [null, good],
      ['{}', good],
      [[v2()], good],
      [v2(), undefined],
      [v2(), { ...good, key: undefined }],
      [v2(), { ...good, key: 'did:key:z6Mk' }],
      [v2(), { ...good, suite: 'Ed25519Signature2018' }],
      [v2(), { ...good, created: 1700000000000 }],
      [v2(), { ...good, documentLoader: {} }],
      [v2(), { ...good, purpose: 'authentication' }],
      [{ ...v2(), credentialSubject: { id: 'did:example:abc', when: new Date() } }, good],
      [{ ...v2(), name: undefined }, good],
    ]
    for (const [credential, options] of calls) {
      await expect(
        signCredential(credential as object, options as SignCredentialOptions),
      ).rejects.toThrow(TypeError)
    }
  })

  it.each<[string, () => Record<string, unknown>, string]>([
    [
      'a first context that is not VC',
      () => ({ ...v2(), '@context': [EXAMPLES_CONTEXT_URL, CONTEXT_URLS.credentialsV2] }),
      'ERR_CONTEXT_ORDER',
    ],
    ['no context', () => ({ ...v2(), '@context': undefined }), 'ERR_CONTEXT_ORDER'],
    [
      'an inline context',
      () => ({
        ...v2(),
        '@context': [CONTEXT_URLS.credentialsV2, { '@vocab': 'https://x.example#' }],
      }),
      'ERR_CONTEXT_INLINE',
    ],
    [
      'a nested inline context',
      () => ({ ...v2(), credentialSubject: { '@context': { x: 'https://x' }, x: 1 } }),
      'ERR_CONTEXT_INLINE',
    ],
    [
      'an existing proof',
      () => ({ ...v2(), proof: { type: 'DataIntegrityProof' } }),
      'ERR_ISSUE_INVALID_INPUT',
    ],
    [
      'VC 1.1 without issuanceDate',
      () => ({ ...v1(), issuanceDate: undefined }),
      'ERR_STRUCTURE_INVALID',
    ],
    [
      'VC 1.1 with an issuanceDate without time zone',
      () => ({ ...v1(), issuanceDate: '2023-01-01T00:00:00' }),
      'ERR_STRUCTURE_DATE_INVALID',
    ],
    [
      'a member no context defines',
      () => ({ ...v1(), credentialSubject: { id: 'did:example:abc', grade: 'A' } }),
      'ERR_JSONLD_UNDEFINED_TERM',
    ],
    ['a relative id', () => ({ ...v2(), id: 'alumni-1' }), 'ERR_STRUCTURE_RELATIVE_IRI'],
    [
      'a context the offline loader does not hold',
      () => ({ ...v2(), '@context': [CONTEXT_URLS.credentialsV2, 'https://example.org/ctx'] }),
      'ERR_DOCUMENT_NOT_FOUND',
    ],
    [
      'a shape the VC library refuses (no credentialSubject)',
      () => ({ ...v2(), credentialSubject: undefined }),
      'ERR_STRUCTURE_INVALID',
    ],
    [
      'a __proto__ key',
      () => ({
        ...v2(),
        credentialSubject: JSON.parse('{"id":"did:example:a","__proto__":{}}') as unknown,
      }),
      'ERR_INPUT_FORBIDDEN_KEY',
    ],
  ])('refuses %s', async (_label, make, code) => {
    // Through JSON, as credentials arrive: drops `undefined` members, keeps own "__proto__" keys.
    const credential = JSON.parse(JSON.stringify(make())) as Record<string, unknown>
    await expect(signCredential(credential, { key, documentLoader: loader })).rejects.toMatchObject(
      {
        code,
      },
    )
  })

  it('writes a proof expires that is signed, and the verifier reads it', async () => {
    const signed = await signCredential(v2(), {
      key,
      created: '2026-11-01T00:00:00Z',
      expires: '2099-01-01T00:00:00.500Z',
      documentLoader: loader,
    })
    expect(signed.proof.expires).toBe('2099-01-01T00:00:00Z')
    expect(await proofVerifies(signed)).toBe(true)
    expect(
      await proofVerifies({
        ...signed,
        proof: { ...signed.proof, expires: '2100-01-01T00:00:00Z' },
      }),
    ).toBe(false)
  })

  it('never signs a dead proof: an expires at or before created, or already past, is ERR_ISSUE_INVALID_INPUT', async () => {
    const hour = 3_600_000
    for (const dates of [
      { created: '2026-11-29T12:00:00Z', expires: '2026-11-29T11:00:00Z' },
      { created: '2099-01-01T00:00:00Z', expires: '2099-01-01T00:00:00Z' },
      // A back-dated created does not make a past expires signable.
      { created: new Date(Date.now() - 2 * hour), expires: new Date(Date.now() - hour) },
      { expires: new Date(Date.now() - 1000) },
    ]) {
      await expect(
        signCredential(v2(), { key, documentLoader: loader, ...dates }),
        JSON.stringify(dates),
      ).rejects.toMatchObject({ code: 'ERR_ISSUE_INVALID_INPUT' })
    }
    await expect(
      signCredential(v2(), { key, expires: '2099-01-01', documentLoader: loader }),
    ).rejects.toMatchObject({ code: 'ERR_STRUCTURE_DATE_INVALID' })
  })

  it('refuses a created that is not an XSD dateTimeStamp', async () => {
    for (const created of ['yesterday', '2023-02-24', '2023-02-24T23:36:38', new Date('x')]) {
      await expect(
        signCredential(v2(), { key, created, documentLoader: loader }),
      ).rejects.toMatchObject({ code: 'ERR_STRUCTURE_DATE_INVALID' })
    }
  })
})
