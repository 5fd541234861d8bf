/**
 * The fast JSON-LD → RDF path must be exact: for every fixture credential (all programs ×
 * formats, unsigned, signed, proof configurations) and for property-generated variations, its
 * expanded form and its canonical N-Quads equal jsonld.js's, byte for byte; the W3C eddsa vectors
 * reproduce; and where it does not apply it steps aside, so that errors stay the reference's.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  CATALOG,
  CERTIFY_CONTEXT_URL,
  CONTEXT_URLS,
  achievementFor,
  contexts,
  createDocumentLoader,
  didKeyFromPublicKeyMultibase,
  type DocumentLoader,
  type ProgramCode,
} from '@certify-vc/context'
import {
  canonize,
  createSuite,
  expandSafely,
  expandSecuredSafely,
  signDocument,
  verifyDocumentProofs,
  type SuiteName,
} from '@certify-vc/core'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import fc from 'fast-check'
import jsonld from 'jsonld'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  adoptUnsecuredExpansion,
  canonizeFast,
  expandFast,
  expandFastSecured,
  fastPathStats,
  setFastPathCacheLimit,
  type UnsecuredExpansion,
} from '../src/canonicalize/index.js'
import { VC_DI_EDDSA_VECTORS } from '../../../test/vectors/index.js'

type Json = Record<string, unknown>
type Format = 'vc2' | 'vc1.1'

const loader = createDocumentLoader()
const PROGRAMS: readonly ProgramCode[] = ['AIDA', 'CAAE', 'AIMA']
const FORMATS: readonly Format[] = ['vc2', 'vc1.1']
const LEARNER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'

/** The reference: jsonld.js called as the suites and our checks call it. */
function referenceCanonize(document: unknown, documentLoader: DocumentLoader = loader) {
  return jsonld.canonize(document, {
    algorithm: 'RDFC-1.0',
    format: 'application/n-quads',
    documentLoader,
    safe: true,
    base: null,
  })
}
function referenceExpand(document: unknown, documentLoader: DocumentLoader = loader) {
  return jsonld.expand(document, { documentLoader, safe: true, base: null })
}

/** Both paths on the same input: identical expansion and N-Quads, and the fast path ran. */
async function expectExact(document: unknown, documentLoader: DocumentLoader = loader) {
  const fastExpanded = await expandFast(document, documentLoader)
  expect(fastExpanded, 'the fast path must cover this document').toBeDefined()
  const refExpanded = await referenceExpand(document, documentLoader)
  expect(JSON.stringify(fastExpanded)).toBe(JSON.stringify(refExpanded))
  const nquads = await canonizeFast(document, { documentLoader })
  expect(nquads).toBeDefined()
  expect(nquads).toBe(await referenceCanonize(document, documentLoader))
  return nquads ?? ''
}

interface Variation {
  program?: ProgramCode
  format?: Format
  name?: string
  subject?: 'did' | 'identifier'
  status?: 'none' | 'one' | 'two'
  extras?: Json
  subjectExtras?: Json
  achievementExtras?: Json
  alignments?: Json[]
}

/** An Open Badges 3.0 credential shaped like the issuer's, with optional variations. */
function credential(v: Variation = {}): Json {
  const program = CATALOG.programs[v.program ?? 'AIDA']
  const format = v.format ?? 'vc2'
  const achievement: Json = { ...achievementFor(program, CATALOG), ...v.achievementExtras }
  if (v.alignments !== undefined) achievement.alignment = v.alignments
  const subject: Json = {
    ...(v.subject === 'identifier'
      ? {
          identifier: [
            {
              type: 'IdentityObject',
              identityHash: 'sha256$0123456789abcdef',
              identityType: 'emailAddress',
              hashed: true,
              salt: 'pepper',
            },
          ],
        }
      : { id: LEARNER }),
    type: ['AchievementSubject'],
    name: v.name ?? 'Ada Lovelace',
    achievement,
    ...v.subjectExtras,
  }
  const entry = (purpose: string, index: number) => ({
    id: `https://production-ai.institute/status/1#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: 'https://production-ai.institute/status/1',
  })
  const status =
    v.status === 'one'
      ? { credentialStatus: entry('revocation', 94567) }
      : v.status === 'two'
        ? { credentialStatus: [entry('revocation', 94567), entry('suspension', 94568)] }
        : {}
  const common = {
    id: 'urn:uuid:6a1a7d4e-0b1f-4c8e-9d2a-3f4b5c6d7e8f',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: program.name,
    issuer: {
      id: 'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2',
      type: ['Profile'],
      name: CATALOG.institute.name,
      url: CATALOG.institute.url,
      image: { id: CATALOG.institute.image, type: 'Image' },
    },
    credentialSubject: subject,
    ...status,
    ...v.extras,
  }
  if (format === 'vc1.1') {
    return {
      '@context': [
        CONTEXT_URLS.credentialsV1,
        CONTEXT_URLS.openBadgesV3,
        CERTIFY_CONTEXT_URL,
        ...(v.status === undefined || v.status === 'none'
          ? []
          : [CONTEXT_URLS.bitstringStatusListV1]),
        CONTEXT_URLS.ed25519Signature2020V1,
      ],
      ...common,
      issuanceDate: '2026-11-01T00:00:00Z',
      expirationDate: '2029-11-01T00:00:00Z',
    }
  }
  return {
    '@context': [CONTEXT_URLS.credentialsV2, CONTEXT_URLS.openBadgesV3, CERTIFY_CONTEXT_URL],
    ...common,
    validFrom: '2026-11-01T00:00:00Z',
    validUntil: '2029-11-01T00:00:00Z',
  }
}

let signer: Awaited<ReturnType<typeof Ed25519Multikey.generate>>
beforeAll(async () => {
  const seed = new Uint8Array(32).fill(9)
  const probe = await Ed25519Multikey.generate({ seed })
  const { did, verificationMethodId } = didKeyFromPublicKeyMultibase(probe.publicKeyMultibase)
  signer = await Ed25519Multikey.generate({ seed, id: verificationMethodId, controller: did })
})

async function sign(document: Json, suite: SuiteName, canonicalization?: 'fast' | 'reference') {
  return signDocument(document, {
    suite: createSuite(suite, {
      signer: signer.signer(),
      date: '2026-11-29T12:00:00Z',
      ...(canonicalization === undefined ? {} : { canonicalization }),
    }),
    documentLoader: loader,
  })
}

const suiteOf = (format: Format): SuiteName =>
  format === 'vc2' ? 'eddsa-rdfc-2022' : 'Ed25519Signature2020'

describe('fast path = jsonld.js on every fixture credential', () => {
  for (const format of FORMATS) {
    for (const program of PROGRAMS) {
      it(`${program} ${format}: unsigned, signed, proof configuration`, async () => {
        const unsigned = credential({ program, format })
        await expectExact(unsigned)
        const signed = (await sign(unsigned, suiteOf(format))) as Json
        await expectExact(signed)
        const { proofValue: _, ...proof } = signed.proof as Json
        await expectExact({ '@context': signed['@context'], ...proof })
      })
    }
    it(`${format}: identifier instead of a DID, one and two status entries`, async () => {
      await expectExact(credential({ format, subject: 'identifier' }))
      await expectExact(credential({ format, status: 'one' }))
      await expectExact(credential({ format, status: 'two' }))
    })
  }

  it('with the eddsa cryptosuite options (rdfDirection i18n-datatype)', async () => {
    const doc = credential()
    expect(await canonizeFast(doc, { documentLoader: loader, rdfDirection: 'i18n-datatype' })).toBe(
      await jsonld.canonize(doc, {
        algorithm: 'RDFC-1.0',
        format: 'application/n-quads',
        documentLoader: loader,
        safe: true,
        base: null,
        rdfDirection: 'i18n-datatype',
      } as Parameters<typeof jsonld.canonize>[1]),
    )
  })

  it('null members are dropped the same way, numbers and booleans typed the same way', async () => {
    await expectExact(
      credential({
        extras: { description: null },
        achievementExtras: { creditsAvailable: 2.5, version: null },
        subjectExtras: { creditsEarned: 3, activityEndDate: '2026-11-20T00:00:00Z' },
      }),
    )
  })
})

describe('property-based: generated credentials give identical N-Quads on both paths', () => {
  const text = fc.string({ unit: 'binary', maxLength: 24 })
  const iri = fc
    .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 })
    .map((s) => `https://example.org/${encodeURIComponent(s)}`)
  const alignment = fc.record(
    {
      type: fc.constantFrom(['Alignment'], 'Alignment'),
      targetName: text,
      targetUrl: iri,
      targetDescription: text,
      targetCode: text,
      targetFramework: text,
      targetType: fc.constantFrom('ceasn:Competency', 'CFItem', 'ext:Custom'),
    },
    { requiredKeys: ['type', 'targetName', 'targetUrl'] },
  )
  const variation = fc.record(
    {
      program: fc.constantFrom(...PROGRAMS),
      format: fc.constantFrom(...FORMATS),
      name: text,
      subject: fc.constantFrom('did' as const, 'identifier' as const),
      status: fc.constantFrom('none' as const, 'one' as const, 'two' as const),
      alignments: fc.array(alignment, { maxLength: 6 }),
      extras: fc.record(
        {
          description: fc.option(text),
          awardedDate: fc.constant('2026-11-29T12:00:00Z'),
          evidence: fc.array(
            fc.record(
              { type: fc.constant(['Evidence']), narrative: text, name: text, genre: text },
              { requiredKeys: ['type'] },
            ),
            { maxLength: 3 },
          ),
        },
        { requiredKeys: [] },
      ),
      achievementExtras: fc.record(
        {
          creditsAvailable: fc.double({ noNaN: true, noDefaultInfinity: true }),
          tag: fc.array(text, { maxLength: 4 }),
          version: text,
          fieldOfStudy: text,
        },
        { requiredKeys: [] },
      ),
      subjectExtras: fc.record(
        {
          creditsEarned: fc.integer(),
          activityEndDate: fc.constant('2026-11-20T00:00:00Z'),
          term: text,
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['program', 'format'] },
  )

  it('valid variations: the fast path covers them and matches jsonld.js', async () => {
    await fc.assert(
      fc.asyncProperty(variation, async (v) => {
        await expectExact(credential(v))
      }),
      { numRuns: 60 },
    )
  })

  // Alterations the reference rejects or treats specially: both public paths must agree, value
  // or error code, whichever path actually runs.
  const alteration = fc.constantFrom<(doc: Json) => void>(
    (doc) => (doc.grade = 'A'), // undefined term
    (doc) => (doc.type = ['VerifiableCredential', 'Nope']), // undefined type
    (doc) => (doc.id = 'vc-1'), // relative node id
    (doc) => ((doc.issuer as Json).id = 'issuer-1'), // relative id
    (doc) => ((doc.credentialSubject as Json).achievement = 'relative/achievement'),
    (doc) => ((doc.credentialSubject as Json).name = { '@value': 'Ada', '@language': 'en' }),
    (doc) => ((doc.credentialSubject as Json)['@context'] = { x: 'https://example.org/x' }),
    (doc) => ((doc.credentialSubject as Json).achievement = {}),
    (doc) => ((doc.credentialSubject as Json).name = ['Ada', ['Nested']]),
    (doc) => (doc['https://example.org/absolute'] = 'an absolute IRI as a key'),
    (doc) => (doc['@context'] = [...(doc['@context'] as string[]), 'https://evil.example/ctx']),
    (doc) => (doc.name = 42),
    (doc) => (doc.name = true),
    (doc) => (doc.type = []),
    (doc) => ((doc.issuer as Json).type = 'Profile'),
    (doc) => ((doc.credentialSubject as Json).type = ['Profile', 'AchievementSubject', 'Image']),
    (doc) => (doc.validFrom = null),
  )

  it('altered variations: same N-Quads or the same error code on both paths', async () => {
    await fc.assert(
      fc.asyncProperty(variation, alteration, async (v, alter) => {
        const doc = credential(v)
        alter(doc)
        const [fast, reference] = await Promise.allSettled([
          canonize(doc, loader, { canonicalization: 'fast' }),
          canonize(doc, loader, { canonicalization: 'reference' }),
        ])
        expect(fast.status).toBe(reference.status)
        if (fast.status === 'fulfilled' && reference.status === 'fulfilled') {
          expect(fast.value).toBe(reference.value)
        } else if (fast.status === 'rejected' && reference.status === 'rejected') {
          expect((fast.reason as { code?: string }).code).toBe(
            (reference.reason as { code?: string }).code,
          )
        }
      }),
      { numRuns: 80 },
    )
  })
})

const VECTORS = VC_DI_EDDSA_VECTORS

describe('W3C vc-di-eddsa vectors, through the fast path', () => {
  // w3c/vc-di-eddsa TestVectors/, vendored verbatim in test/vectors/vc-di-eddsa (see SOURCE.md)
  const read = (file: string) => readFileSync(join(VECTORS, file), 'utf8')
  const vector = (file: string) => JSON.parse(read(file)) as Json
  const deepFreeze = <T>(value: T): T => {
    if (typeof value === 'object' && value !== null) {
      for (const child of Object.values(value)) deepFreeze(child)
      Object.freeze(value)
    }
    return value
  }
  // The vectors use the examples context; frozen, so that the fast path may cache it.
  const vectorLoader = createDocumentLoader({
    documents: {
      'https://www.w3.org/ns/credentials/examples/v2': deepFreeze({
        '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' },
      }),
    },
  })

  it('eddsa-rdfc-2022: canonical document and proof configuration, byte for byte', async () => {
    expect(await expectExact(vector('unsigned.json'), vectorLoader)).toBe(
      read('eddsa-rdfc-2022/canonDocDataInt.txt'),
    )
    expect(await expectExact(vector('eddsa-rdfc-2022/proofConfigDataInt.json'), vectorLoader)).toBe(
      read('eddsa-rdfc-2022/proofCanonDataInt.txt'),
    )
  })

  it('Ed25519Signature2020: canonical document and proof configuration, byte for byte', async () => {
    const unsigned = vector('unsigned.json')
    const withSuiteContext = {
      ...unsigned,
      '@context': [...(unsigned['@context'] as string[]), CONTEXT_URLS.ed25519Signature2020V1],
    }
    expect(await expectExact(withSuiteContext, vectorLoader)).toBe(
      read('Ed25519Signature2020/canonDocEdSig.txt'),
    )
    expect(
      await expectExact(vector('Ed25519Signature2020/proofConfigEdSig.json'), vectorLoader),
    ).toBe(read('Ed25519Signature2020/proofCanonEdSig.txt'))
  })
})

describe('safe mode and errors stay the reference’s', () => {
  const cases: [string, (doc: Json) => void, string][] = [
    ['an undefined term', (doc) => (doc.grade = 'A'), 'ERR_JSONLD_UNDEFINED_TERM'],
    [
      'an undefined type',
      (doc) => (doc.type = ['VerifiableCredential', 'Nope']),
      'ERR_JSONLD_UNDEFINED_TERM',
    ],
    ['a relative node id', (doc) => (doc.id = 'vc-1'), 'ERR_STRUCTURE_RELATIVE_IRI'],
    [
      'a relative @id-typed value',
      (doc) => ((doc.issuer as Json).id = 'issuer-1'),
      'ERR_STRUCTURE_RELATIVE_IRI',
    ],
  ]
  for (const format of FORMATS) {
    for (const [what, alter, code] of cases) {
      it(`${format}: ${what} is ${code}, on both paths; the fast path steps aside`, async () => {
        const doc = credential({ format })
        alter(doc)
        expect(await expandFast(doc, loader)).toBeUndefined()
        for (const canonicalization of ['fast', 'reference'] as const) {
          await expect(expandSafely(doc, loader, { canonicalization })).rejects.toMatchObject({
            code,
          })
        }
      })
    }
  }

  it('an undefined term fails canonicalization with ERR_JSONLD_UNDEFINED_TERM', async () => {
    const doc = { ...credential({ format: 'vc1.1' }), grade: 'A' }
    await expect(canonize(doc, loader)).rejects.toMatchObject({
      code: 'ERR_JSONLD_UNDEFINED_TERM',
    })
    expect(await canonizeFast(doc, { documentLoader: loader })).toBeUndefined()
  })
})

/** The loader, except that the certify context is a frozen copy with `programCode` redefined. */
function replacingCertifyContext(): DocumentLoader {
  const certify = contexts.get(CERTIFY_CONTEXT_URL) as { '@context': Json }
  const replaced = Object.freeze({
    '@context': Object.freeze({
      ...certify['@context'],
      programCode: Object.freeze({ '@id': 'https://example.org/another-programCode' }),
    }),
  })
  return async (url) =>
    url === CERTIFY_CONTEXT_URL
      ? { contextUrl: null, documentUrl: url, document: replaced }
      : loader(url)
}

describe('which documents the fast path takes', () => {
  it('context documents the loader returns mutable (a copy) are left to the reference', async () => {
    const copying: DocumentLoader = async (url) => {
      const remote = await loader(url)
      return { ...remote, document: structuredClone(remote.document) }
    }
    const doc = credential()
    expect(await expandFast(doc, copying)).toBeUndefined()
    expect(await canonize(doc, copying)).toBe(await referenceCanonize(doc, copying))
  })

  it("the caller's loader decides what a context URL means, also for a frozen replacement", async () => {
    const replacing = replacingCertifyContext()
    const doc = credential()
    const nquads = await expectExact(doc, replacing)
    expect(nquads).not.toBe(await referenceCanonize(doc))
  })

  it('a loader failure is the reference’s error', async () => {
    const failing: DocumentLoader = () => Promise.reject(new Error('offline'))
    expect(await expandFast(credential(), failing)).toBeUndefined()
    await expect(canonize(credential(), failing)).rejects.toMatchObject({
      code: 'ERR_JSONLD_INVALID',
    })
  })

  it('documents without a context list, or not objects, are left to the reference', async () => {
    for (const doc of [{ name: 'x' }, [credential()], 'https://example.org/doc', null]) {
      expect(await expandFast(doc, loader)).toBeUndefined()
    }
    const { '@context': _, ...noContext } = credential()
    await expect(expandSafely(noContext, loader)).rejects.toMatchObject({
      code: 'ERR_JSONLD_UNDEFINED_TERM',
    })
  })

  it('stays exact when the context cache is full and starts a new generation', async () => {
    const previous = setFastPathCacheLimit(3)
    try {
      const before = fastPathStats.reference
      for (const program of PROGRAMS) {
        for (const format of FORMATS) {
          const doc = credential({ program, format })
          expect(await canonize(doc, loader)).toBe(await referenceCanonize(doc))
        }
      }
      // Some documents were handed over while generations filled up, and none went wrong.
      expect(fastPathStats.reference).toBeGreaterThan(before)
    } finally {
      setFastPathCacheLimit(previous)
    }
    await expectExact(credential())
  })
})

/** The expansion inside the opaque token (tests only). */
const expansionOf = (token: UnsecuredExpansion | undefined) =>
  (token as unknown as { expanded: unknown[] } | undefined)?.expanded

/** A proof of the right shape for the format (expansion does not check signatures). */
function fakeProof(format: Format): Json {
  const verificationMethod =
    'did:key:z6MkgAnvkP45uNxwCKeNdt6wrYkEjpYX4f7Nrd8MQqFL8Fbn#z6MkgAnvkP45uNxwCKeNdt6wrYkEjpYX4f7Nrd8MQqFL8Fbn'
  return format === 'vc2'
    ? {
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        created: '2026-11-29T12:00:00Z',
        verificationMethod,
        proofPurpose: 'assertionMethod',
        proofValue: 'z5Y9cYzRxFd3C4ZbYtSjxNnMsR5EJdzK2xD8QeWcBNWf',
      }
    : {
        type: 'Ed25519Signature2020',
        created: '2026-11-29T12:00:00Z',
        verificationMethod,
        proofPurpose: 'assertionMethod',
        proofValue: 'z5Y9cYzRxFd3C4ZbYtSjxNnMsR5EJdzK2xD8QeWcBNWf',
      }
}

/**
 * The by-product of expanding a secured document: its expansion without `proof` must be exactly
 * jsonld.js's expansion of the document without `proof`, and canonicalizing the unsecured
 * document from it must give jsonld.js's N-Quads.
 */
async function expectExactUnsecured(secured: Json) {
  const { proof: _, ...unsecured } = secured
  const parts = await expandFastSecured(secured, loader)
  expect(parts?.unsecured, 'the secured document must split').toBeDefined()
  expect(JSON.stringify(parts?.expanded)).toBe(JSON.stringify(await referenceExpand(secured)))
  expect(JSON.stringify(expansionOf(parts?.unsecured))).toBe(
    JSON.stringify(await referenceExpand(unsecured)),
  )
  adoptUnsecuredExpansion(unsecured, parts?.unsecured as UnsecuredExpansion)
  const reused = fastPathStats.reused
  expect(await canonizeFast(unsecured, { documentLoader: loader })).toBe(
    await referenceCanonize(unsecured),
  )
  expect(fastPathStats.reused).toBe(reused + 1)
}

describe('the unsecured document, expanded as a by-product of the secured one', () => {
  for (const format of FORMATS) {
    for (const program of PROGRAMS) {
      it(`${program} ${format}: signed credential, one proof and a proof set`, async () => {
        const signed = (await sign(credential({ program, format }), suiteOf(format))) as Json
        await expectExactUnsecured(signed)
        await expectExactUnsecured({ ...signed, proof: [signed.proof, fakeProof(format)] })
      })
    }
  }

  it('property-based: generated credentials with a proof split exactly', async () => {
    const variation = fc.record({
      program: fc.constantFrom(...PROGRAMS),
      format: fc.constantFrom(...FORMATS),
      name: fc.string({ unit: 'binary', maxLength: 24 }),
      subject: fc.constantFrom('did' as const, 'identifier' as const),
      status: fc.constantFrom('none' as const, 'one' as const, 'two' as const),
    })
    await fc.assert(
      fc.asyncProperty(variation, async (v) => {
        await expectExactUnsecured({ ...credential(v), proof: fakeProof(v.format) })
      }),
      { numRuns: 40, seed: 20261129 },
    )
  })

  it('expandSecuredSafely gives the same expansion as expandSafely, and no split without a proof', async () => {
    const signed = (await sign(credential(), 'eddsa-rdfc-2022')) as Json
    const secured = await expandSecuredSafely(signed, loader)
    expect(secured.expanded).toEqual(await expandSafely(signed, loader))
    expect(secured.unsecured).toBeDefined()
    expect((await expandSecuredSafely(credential(), loader)).unsecured).toBeUndefined()
    expect(
      (await expandSecuredSafely(signed, loader, { canonicalization: 'reference' })).unsecured,
    ).toBeUndefined()
  })

  it('is not used when the loader now resolves a context to other objects', async () => {
    const signed = (await sign(credential(), 'eddsa-rdfc-2022')) as Json
    const { proof: _, ...unsecured } = signed
    const parts = await expandFastSecured(signed, loader)
    adoptUnsecuredExpansion(unsecured, parts?.unsecured as UnsecuredExpansion)
    const replacing = replacingCertifyContext()
    const reused = fastPathStats.reused
    const nquads = await canonizeFast(unsecured, { documentLoader: replacing })
    expect(fastPathStats.reused).toBe(reused)
    expect(nquads).toBe(await referenceCanonize(unsecured, replacing))
    expect(nquads).not.toBe(await referenceCanonize(unsecured))
  })

  it('leaves no visible trace on the document: keys, JSON, copies', async () => {
    const signed = (await sign(credential(), 'eddsa-rdfc-2022')) as Json
    const { proof: _, ...unsecured } = signed
    const before = { keys: Object.keys(unsecured), json: JSON.stringify(unsecured) }
    const parts = await expandFastSecured(signed, loader)
    adoptUnsecuredExpansion(unsecured, parts?.unsecured as UnsecuredExpansion)
    expect(Object.keys(unsecured)).toEqual(before.keys)
    expect(JSON.stringify(unsecured)).toBe(before.json)
    const reused = fastPathStats.reused
    await canonizeFast({ ...unsecured }, { documentLoader: loader })
    await canonizeFast(structuredClone(unsecured), { documentLoader: loader })
    expect(fastPathStats.reused).toBe(reused)
  })

  it('is not used for a document whose @context value was replaced', async () => {
    const signed = (await sign(credential(), 'eddsa-rdfc-2022')) as Json
    const { proof: _, ...unsecured } = signed
    const parts = await expandFastSecured(signed, loader)
    adoptUnsecuredExpansion(unsecured, parts?.unsecured as UnsecuredExpansion)
    unsecured['@context'] = [...(signed['@context'] as string[])]
    const reused = fastPathStats.reused
    expect(await canonizeFast(unsecured, { documentLoader: loader })).toBe(
      await referenceCanonize(unsecured),
    )
    expect(fastPathStats.reused).toBe(reused)
  })

  it('verifyDocumentProofs with the expansion: verifies, reuses it, and still rejects tampering', async () => {
    for (const format of FORMATS) {
      const signed = (await sign(credential({ format }), suiteOf(format))) as Json
      for (const [doc, expected] of [
        [signed, true],
        [{ ...signed, name: 'Something else' }, false],
      ] as const) {
        const { unsecured } = await expandSecuredSafely(doc, loader)
        const reused = fastPathStats.reused
        const { outcomes } = await verifyDocumentProofs(doc, {
          suites: [createSuite(suiteOf(format))],
          documentLoader: loader,
          purpose: { term: 'assertionMethod' },
          unsecuredExpansion: unsecured,
        })
        expect(outcomes.map((o) => o.signatureValid)).toEqual([expected])
        expect(fastPathStats.reused).toBe(reused + 1)
      }
    }
  })
})

describe('suites on both paths', () => {
  for (const format of FORMATS) {
    it(`${suiteOf(format)}: identical proofs, and each path verifies the other's`, async () => {
      const doc = credential({ format })
      const fast = await sign(doc, suiteOf(format), 'fast')
      const reference = await sign(doc, suiteOf(format), 'reference')
      expect(fast).toEqual(reference)
      for (const canonicalization of ['fast', 'reference', undefined] as const) {
        const { outcomes } = await verifyDocumentProofs(fast, {
          suites: [
            createSuite(
              suiteOf(format),
              canonicalization === undefined ? {} : { canonicalization },
            ),
          ],
          documentLoader: loader,
          purpose: { term: 'assertionMethod' },
        })
        expect(outcomes.map((o) => o.verified)).toEqual([true])
      }
      const tampered = { ...fast, name: 'Something else' }
      const { outcomes } = await verifyDocumentProofs(tampered, {
        suites: [createSuite(suiteOf(format))],
        documentLoader: loader,
        purpose: { term: 'assertionMethod' },
      })
      expect(outcomes.map((o) => o.signatureValid)).toEqual([false])
    })
  }

  it('each call chooses its path (no process-wide switch); bad values are TypeErrors', async () => {
    const before = fastPathStats.fast
    const doc = credential()
    expect(await canonize(doc, loader, { canonicalization: 'reference' })).toBe(
      await referenceCanonize(doc),
    )
    expect(fastPathStats.fast).toBe(before)
    expect(await canonize(doc, loader)).toBe(await referenceCanonize(doc))
    expect(fastPathStats.fast).toBe(before + 1)
    expect(() => createSuite('eddsa-rdfc-2022', { canonicalization: 'quick' as 'fast' })).toThrow(
      TypeError,
    )
    await expect(
      canonize(doc, loader, { canonicalization: 'quick' as 'fast' }),
    ).rejects.toBeInstanceOf(TypeError)
  })
})
