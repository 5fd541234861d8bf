/**
 * The W3C VC API doors on the one pipeline (profile `vc`, the VC API's default): proof sets and
 * chains with co-signers, eddsa-jcs-2022, and relatedResource digests checked against the bytes
 * the server holds. The codes are the verifier's, the same at every door.
 */
import { createHash } from 'node:crypto'
import { createSuite, signDocument } from '@certify-vc/core'
import {
  buildCredential,
  generateIssuerKey,
  signGenericCredential,
  type IssuerKey,
} from '@certify-vc/issuer'
import { verifyCredential } from '@certify-vc/verifier'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServerDocumentLoader } from '../src/vc-api/document-loader.js'
import { KNOWN_RESOURCES, heldResource } from '../src/vc-api/related-resources.js'
import { postJson, startTestServer, type TestServer } from './helpers.js'

const loader = createServerDocumentLoader()

function credential(issuer: string): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: 'urn:uuid:0f6b3a52-9a55-4a8e-9d7b-3b7c2f1f0e11',
    type: ['VerifiableCredential'],
    issuer,
    credentialSubject: { id: 'did:example:subject' },
  }
}

async function sign(
  document: Record<string, unknown>,
  key: IssuerKey,
  chain: { proofId?: string; previousProof?: string | string[] } = {},
): Promise<Record<string, unknown>> {
  return signDocument(document, {
    suite: createSuite('eddsa-rdfc-2022', { signer: key.signer() }),
    documentLoader: loader,
    ...chain,
  })
}

function codes(problems: readonly { code: string; path?: string }[]): string[] {
  return problems.map((p) => `${p.code} ${p.path ?? ''}`)
}

/** The library door, with the VC API's profile. */
async function verifyVc(vc: unknown, issuer: string): Promise<string[]> {
  const r = await verifyCredential(vc, {
    profile: 'vc',
    trustedIssuers: [issuer],
    documentLoader: loader,
    status: false,
  })
  return codes(r.problems)
}

describe('profile vc: proof sets and chains', () => {
  it('verifies a chain whose first proof is a co-signer and whose last is the issuer', async () => {
    const [issuer, cosigner] = await Promise.all([generateIssuerKey(), generateIssuerKey()])
    const first = await sign(credential(issuer.did), cosigner, { proofId: 'urn:uuid:first-proof' })
    for (const previousProof of ['urn:uuid:first-proof', ['urn:uuid:first-proof']]) {
      const chained = await sign(first, issuer, { previousProof })
      expect(await verifyVc(chained, issuer.did)).toEqual([])
    }
  })

  it('verifies a proof set of the issuer and a co-signer', async () => {
    const [issuer, cosigner] = await Promise.all([generateIssuerKey(), generateIssuerKey()])
    const set = await sign(await sign(credential(issuer.did), issuer), cosigner)
    expect(Array.isArray(set.proof)).toBe(true)
    expect(await verifyVc(set, issuer.did)).toEqual([])
  })

  it('refuses a credential that only co-signers signed (ERR_KEY_NOT_ISSUER)', async () => {
    const [issuer, cosigner] = await Promise.all([generateIssuerKey(), generateIssuerKey()])
    const foreign = await sign(credential(issuer.did), cosigner)
    expect(await verifyVc(foreign, issuer.did)).toEqual(['ERR_KEY_NOT_ISSUER /proof'])
    const both = await sign(foreign, await generateIssuerKey())
    expect(await verifyVc(both, issuer.did)).toEqual(['ERR_KEY_NOT_ISSUER /proof/0'])
  })

  it("refuses a set when the co-signer's proof does not verify", async () => {
    const [issuer, cosigner] = await Promise.all([generateIssuerKey(), generateIssuerKey()])
    const set = await sign(await sign(credential(issuer.did), issuer), cosigner)
    const proofs = set.proof as Record<string, unknown>[]
    const otherDocument = { ...credential(issuer.did), credentialSubject: { id: 'did:example:x' } }
    const other = (await sign(otherDocument, cosigner)).proof as Record<string, unknown>
    // The co-signer's signature over another document does not verify over this one.
    const tampered = { ...set, proof: [proofs[0], { ...proofs[1], proofValue: other.proofValue }] }
    expect(await verifyVc(tampered, issuer.did)).toEqual(['ERR_PROOF_INVALID /proof/1/proofValue'])
  })

  it('refuses a chain whose previousProof names no proof', async () => {
    const issuer = await generateIssuerKey()
    const cosigned = await sign(credential(issuer.did), await generateIssuerKey(), {
      proofId: 'urn:uuid:first-proof',
    })
    const chained = await sign(cosigned, issuer, { previousProof: 'urn:uuid:first-proof' })
    const proofs = chained.proof as Record<string, unknown>[]
    const dangling = { ...chained, proof: [proofs[0], { ...proofs[1], previousProof: 'urn:x' }] }
    expect(await verifyVc(dangling, issuer.did)).toEqual([
      'ERR_PROOF_CHAIN_DANGLING /proof/1/previousProof',
    ])
  })

  it('the institute profile (the page, the CLI) accepts no co-signer', async () => {
    const [issuer, cosigner] = await Promise.all([generateIssuerKey(), generateIssuerKey()])
    const badge = buildCredential({
      program: 'AIDA',
      recipient: { name: 'Ada' },
      issuerDid: issuer.did,
    }) as unknown as Record<string, unknown>
    const set = await sign(await sign(badge, issuer), cosigner)
    const r = await verifyCredential(set, {
      trustedIssuers: [issuer.did],
      documentLoader: loader,
      status: false,
    })
    expect(codes(r.problems)).toEqual(['ERR_KEY_NOT_ISSUER /proof/1/verificationMethod'])
    expect(await verifyVc(set, issuer.did)).toEqual([])
  })
})

/**
 * The Data Integrity suite's proof-chain fixtures (data-integrity-test-suite-assertion
 * `inputs/eddsa-rdfc-2022/{1.1,2.0}-previousProof*-SimpleSigned2.json`) re-created with fresh keys:
 * proof 0 by a co-signer with an `id`, proof 1 by the issuer naming it in `previousProof`.
 */
describe('POST /credentials/verify: proof chains as the Data Integrity suite posts them', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(async () => {
    await server.close()
  })

  const FIRST = 'urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544'
  function alumni(version: '1.1' | '2.0', issuer: string): Record<string, unknown> {
    const terms = {
      AlumniCredential: 'https://www.example.org/AlumniCredential',
      alumniOf: 'https://www.example.org/alumniOf',
      ...(version === '1.1'
        ? { description: 'https://schema.org/description', name: 'https://schema.org/name' }
        : {}),
    }
    return {
      '@context':
        version === '1.1'
          ? [
              'https://www.w3.org/2018/credentials/v1',
              'https://w3id.org/security/data-integrity/v2',
              { '@context': terms },
            ]
          : ['https://www.w3.org/ns/credentials/v2', { '@context': terms }],
      id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33',
      type: ['VerifiableCredential', 'AlumniCredential'],
      name: 'Alumni Credential',
      description: `A minimum viable example of a VC ${version} Alumni Credential.`,
      issuer,
      ...(version === '1.1'
        ? { issuanceDate: '2023-01-01T00:00:00Z' }
        : { validFrom: '2023-01-01T00:00:00Z' }),
      credentialSubject: { id: 'did:example:abcdefgh', alumniOf: 'The School of Examples' },
    }
  }
  async function verifyHttp(vc: unknown): Promise<{ status: number; codes: string[] }> {
    const res = await postJson(
      server,
      '/credentials/verify',
      { verifiableCredential: vc },
      {
        token: null,
      },
    )
    const body = res.body as { errors?: { code: string; path?: string }[]; verified?: boolean }
    return { status: res.status, codes: codes(body.errors ?? []) }
  }

  for (const version of ['1.1', '2.0'] as const) {
    it(`VC ${version}: a co-signer's proof then the issuer's chained to it (string or array) → 200`, async () => {
      const [issuer, cosigner] = await Promise.all([generateIssuerKey(), generateIssuerKey()])
      const first = await sign(alumni(version, issuer.did), cosigner, { proofId: FIRST })
      for (const previousProof of [FIRST, [FIRST]]) {
        const chained = await sign(first, issuer, { previousProof })
        expect(await verifyHttp(chained)).toEqual({ status: 200, codes: [] })
      }
    })

    it(`VC ${version}: previousProof naming an absent proof, or not a string → 422`, async () => {
      const [issuer, cosigner] = await Promise.all([generateIssuerKey(), generateIssuerKey()])
      const first = await sign(alumni(version, issuer.did), cosigner, { proofId: FIRST })
      const chained = await sign(first, issuer, { previousProof: FIRST })
      const [p0, p1] = chained.proof as Record<string, unknown>[]
      const absent = 'urn:uuid:38329423-2179-4b2e-88cb-a7c7d9dc4544'
      for (const [previousProof, code] of [
        [absent, 'ERR_PROOF_CHAIN_DANGLING'],
        [[absent], 'ERR_PROOF_CHAIN_DANGLING'],
        [42, 'ERR_PROOF_MALFORMED'],
      ] as const) {
        const broken = { ...chained, proof: [p0, { ...p1, previousProof }] }
        expect(await verifyHttp(broken)).toEqual({
          status: 422,
          codes: [`${code} /proof/1/previousProof`],
        })
      }
      // The chained proof without the proof it names: dangling as well.
      expect(await verifyHttp({ ...chained, proof: [p1] })).toEqual({
        status: 422,
        codes: ['ERR_PROOF_CHAIN_DANGLING /proof/0/previousProof'],
      })
      expect(await verifyHttp({ ...chained, proof: p1 })).toEqual({
        status: 422,
        codes: ['ERR_PROOF_CHAIN_DANGLING /proof/previousProof'],
      })
    })
  }

  it('a chain signed only by co-signers (no issuer proof) → 422 ERR_KEY_NOT_ISSUER', async () => {
    const [issuer, a, b] = await Promise.all([
      generateIssuerKey(),
      generateIssuerKey(),
      generateIssuerKey(),
    ])
    const first = await sign(alumni('2.0', issuer.did), a, { proofId: FIRST })
    const chained = await sign(first, b, { previousProof: FIRST })
    expect(await verifyHttp(chained)).toEqual({
      status: 422,
      codes: ['ERR_KEY_NOT_ISSUER /proof/0'],
    })
  })

  it('a previousProof cycle → 422 ERR_PROOF_CHAIN_CYCLE', async () => {
    const [issuer, cosigner] = await Promise.all([generateIssuerKey(), generateIssuerKey()])
    const first = await sign(alumni('2.0', issuer.did), cosigner, { proofId: FIRST })
    const chained = await sign(first, issuer, {
      previousProof: FIRST,
      proofId: 'urn:uuid:second-proof',
    })
    const [p0, p1] = chained.proof as Record<string, unknown>[]
    const cycle = { ...chained, proof: [{ ...p0, previousProof: 'urn:uuid:second-proof' }, p1] }
    expect(await verifyHttp(cycle)).toEqual({
      status: 422,
      codes: [
        'ERR_PROOF_CHAIN_CYCLE /proof/0/previousProof',
        'ERR_PROOF_CHAIN_CYCLE /proof/1/previousProof',
      ],
    })
  })

  it('a co-signer that is not a did:key is not resolved (no fetch) → 422', async () => {
    const [issuer, cosigner] = await Promise.all([generateIssuerKey(), generateIssuerKey()])
    const set = await sign(await sign(alumni('2.0', issuer.did), issuer), cosigner)
    const [p0, p1] = set.proof as Record<string, unknown>[]
    const web = { ...p1, verificationMethod: 'did:web:example.com#key-1' }
    expect(await verifyHttp({ ...set, proof: [p0, web] })).toEqual({
      status: 422,
      codes: ['ERR_KEY_NOT_ISSUER /proof/1/verificationMethod'],
    })
  })
})

describe('eddsa-jcs-2022 on the W3C path', () => {
  let server: TestServer
  let did: string
  beforeAll(async () => {
    server = await startTestServer({ didMethod: 'key' })
    const res = await fetch(`${server.baseUrl}/certify/server-info`)
    did = ((await res.json()) as { did: string }).did
  })
  afterAll(async () => {
    await server.close()
  })

  type Body = { verifiableCredential?: Record<string, unknown>; errors?: { code: string }[] }
  async function post(path: string, body: unknown, token?: null) {
    const res = await postJson(server, path, body, token === null ? { token: null } : {})
    const parsed = res.body as Body
    return { status: res.status, body: parsed, codes: codes(parsed.errors ?? []) }
  }
  const examples = 'https://www.w3.org/ns/credentials/examples/v2'
  function vc(version: '1.1' | '2.0'): Record<string, unknown> {
    return version === '2.0'
      ? {
          '@context': ['https://www.w3.org/ns/credentials/v2', examples],
          type: ['VerifiableCredential', 'ExampleDegreeCredential'],
          issuer: did,
          credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', degree: 'BSc' },
        }
      : {
          '@context': ['https://www.w3.org/2018/credentials/v1', examples],
          type: ['VerifiableCredential'],
          issuer: { id: did, name: 'Example' },
          issuanceDate: '2026-01-01T00:00:00Z',
          credentialSubject: { id: 'did:example:abc', alumniOf: 'Example University' },
        }
  }
  async function issueJcs(version: '1.1' | '2.0'): Promise<Record<string, unknown>> {
    const res = await post('/eddsa-jcs-2022/credentials/issue', { credential: vc(version) })
    expect(res.status).toBe(201)
    return res.body.verifiableCredential as Record<string, unknown>
  }
  const verifyHttp = (vc: unknown) =>
    post('/credentials/verify', { verifiableCredential: vc }, null).then(({ status, codes }) => ({
      status,
      codes,
    }))

  for (const version of ['1.1', '2.0'] as const) {
    it(`VC ${version}: issue → a jcs proof over the document's contexts → verify 200`, async () => {
      const signed = await issueJcs(version)
      const contexts =
        version === '2.0'
          ? ['https://www.w3.org/ns/credentials/v2', examples]
          : [
              'https://www.w3.org/2018/credentials/v1',
              examples,
              'https://w3id.org/security/data-integrity/v2',
            ]
      expect(signed['@context']).toEqual(contexts)
      expect(signed.proof).toMatchObject({
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-jcs-2022',
        proofPurpose: 'assertionMethod',
        verificationMethod: `${did}#${did.slice('did:key:'.length)}`,
        '@context': contexts,
      })
      expect(await verifyHttp(signed)).toEqual({ status: 200, codes: [] })
    })
  }

  it('a tampered claim or proof option → 422 ERR_PROOF_INVALID', async () => {
    const signed = await issueJcs('2.0')
    const proof = signed.proof as Record<string, unknown>
    for (const tampered of [
      { ...signed, credentialSubject: { id: 'did:example:other', degree: 'BSc' } },
      { ...signed, proof: { ...proof, created: '2020-01-01T00:00:00Z' } },
      {
        ...signed,
        '@context': [
          ...(signed['@context'] as string[]),
          'https://w3id.org/security/data-integrity/v2',
        ],
      },
    ]) {
      expect(await verifyHttp(tampered)).toEqual({
        status: 422,
        codes: ['ERR_PROOF_INVALID /proof/proofValue'],
      })
    }
  })

  it('cryptosuite mismatch: jcs data presented as rdfc and rdfc data as jcs → 422', async () => {
    const jcs = await issueJcs('2.0')
    const asRdfc = { ...jcs, proof: { ...(jcs.proof as object), cryptosuite: 'eddsa-rdfc-2022' } }
    expect(await verifyHttp(asRdfc)).toEqual({
      status: 422,
      codes: ['ERR_PROOF_INVALID /proof/proofValue'],
    })
    const res = await post('/eddsa-rdfc-2022/credentials/issue', { credential: vc('2.0') })
    const rdfc = res.body.verifiableCredential as Record<string, unknown>
    const asJcs = {
      ...rdfc,
      proof: {
        ...(rdfc.proof as object),
        cryptosuite: 'eddsa-jcs-2022',
        '@context': rdfc['@context'],
      },
    }
    expect(await verifyHttp(asJcs)).toEqual({
      status: 422,
      codes: ['ERR_PROOF_INVALID /proof/proofValue'],
    })
  })

  it("a proof set: the issuer's rdfc proof and a co-signer's jcs proof → 200", async () => {
    const res = await post('/eddsa-rdfc-2022/credentials/issue', { credential: vc('2.0') })
    const rdfc = res.body.verifiableCredential as Record<string, unknown>
    const cosigner = await generateIssuerKey()
    const set = await signDocument(rdfc, {
      suite: createSuite('eddsa-jcs-2022', { signer: cosigner.signer() }),
      documentLoader: loader,
    })
    expect(await verifyHttp(set)).toEqual({ status: 200, codes: [] })
  })

  it("the Institute's badges stay rdfc / Ed25519Signature2020: not issued with jcs, and a jcs badge fails the institute profile", async () => {
    const badge = buildCredential({ program: 'AIDA', recipient: { name: 'Ada' }, issuerDid: did })
    const refused = await post('/eddsa-jcs-2022/credentials/issue', { credential: badge })
    expect({ status: refused.status, codes: refused.codes }).toEqual({
      status: 422,
      codes: ['ERR_ISSUE_INVALID_INPUT /type'],
    })
    // A badge signed with jcs elsewhere, by an untrusted key: under the VC API's profile it
    // names the catalog's AIDA, which only a trusted issuer awards; under the institute profile
    // its suite is refused first.
    const key = await generateIssuerKey()
    const foreign = await signDocument(
      buildCredential({ program: 'AIDA', recipient: { name: 'Ada' }, issuerDid: key.did }),
      { suite: createSuite('eddsa-jcs-2022', { signer: key.signer() }), documentLoader: loader },
    )
    const verdict = await post('/credentials/verify', { verifiableCredential: foreign }, null)
    expect(verdict.status).toBe(422)
    expect(verdict.codes).toEqual(['ERR_ISSUER_UNTRUSTED /issuer'])
    const institute = await post(
      '/credentials/verify',
      { verifiableCredential: foreign, options: { profile: 'institute' } },
      null,
    )
    expect(institute.status).toBe(422)
    expect(institute.codes).toEqual(['ERR_PROOF_SUITE_NOT_ALLOWED /proof/cryptosuite'])
  })
})

describe('relatedResource digests', () => {
  const url = 'https://www.w3.org/ns/credentials/v2'
  const bytes = KNOWN_RESOURCES.get(url) as Uint8Array
  const hash = (algorithm: string) => createHash(algorithm).update(bytes).digest()
  let key: IssuerKey
  beforeAll(async () => {
    key = await generateIssuerKey()
  })

  /** Signs a credential naming `relatedResource` and verifies it with the server's held bytes. */
  async function verdict(relatedResource: unknown[], held = true): Promise<string[]> {
    const signed = await signGenericCredential(
      { ...credential(key.did), relatedResource },
      { key, documentLoader: loader },
    )
    const r = await verifyCredential(signed, {
      profile: 'vc',
      trustedIssuers: [key.did],
      documentLoader: loader,
      status: false,
      ...(held ? { relatedResources: heldResource } : {}),
    })
    return codes(r.problems)
  }

  it('holds the VC 2.0 base context the specification names by its SHA-256', () => {
    expect(bytes.byteLength).toBe(10139)
    expect(hash('sha256').toString('hex')).toBe(
      '24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9',
    )
  })

  it('accepts correct digestSRI (sha256/384/512) and digestMultibase (raw, multihash)', async () => {
    const multihash = Buffer.concat([Buffer.from([0x12, 0x20]), hash('sha256')])
    for (const digest of [
      { digestSRI: `sha384-${hash('sha384').toString('base64')}` },
      { digestSRI: `sha256-${hash('sha256').toString('base64')}` },
      { digestSRI: `sha512-${hash('sha512').toString('base64url')}` },
      { digestMultibase: `u${hash('sha256').toString('base64url')}` },
      { digestMultibase: `u${multihash.toString('base64url')}` },
    ]) {
      expect(await verdict([{ id: url, ...digest }])).toEqual([])
    }
  })

  it('refuses wrong or malformed digests with the pointer of the digest', async () => {
    const wrong = createHash('sha384').update('something else').digest('base64')
    for (const [digest, field] of [
      [{ digestSRI: `sha384-${wrong}` }, 'digestSRI'],
      [{ digestSRI: 'md5-AAAA' }, 'digestSRI'],
      [{ digestMultibase: `u${hash('sha384').toString('base64url')}` }, 'digestMultibase'],
      [{ digestMultibase: 'zNotBase58-0OIl' }, 'digestMultibase'],
      [{ digestMultibase: 'mAAAA' }, 'digestMultibase'],
    ] as const) {
      expect(await verdict([{ id: url, ...digest }])).toEqual([
        `ERR_STRUCTURE_DIGEST_MISMATCH /relatedResource/0/${field}`,
      ])
    }
  })

  it('a resource the verifier does not hold is never fetched: ERR_RELATED_RESOURCE_UNCHECKED', async () => {
    const item = { id: 'https://example.org/resource', digestSRI: 'sha384-AAAA' }
    expect(await verdict([item])).toEqual(['ERR_RELATED_RESOURCE_UNCHECKED /relatedResource/0'])
    const good = { id: url, digestSRI: `sha384-${hash('sha384').toString('base64')}` }
    expect(await verdict([good], false)).toEqual([
      'ERR_RELATED_RESOURCE_UNCHECKED /relatedResource/0',
    ])
  })

  it('POST /credentials/issue refuses a wrong digest of a resource the server holds (422); a right one is issued', async () => {
    // The W3C VC 2.0 suite's "digest … does not match … MUST produce an error" goes through the
    // issue endpoint.
    const server = await startTestServer({ didMethod: 'key' })
    try {
      const info = await fetch(`${server.baseUrl}/certify/server-info`)
      const did = ((await info.json()) as { did: string }).did
      const base = { ...credential(did) }
      const wrong = [
        { id: url, digestMultibase: 'uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0' },
        { id: url, digestSRI: `sha384-${createHash('sha384').update('x').digest('base64')}` },
      ]
      for (const item of wrong) {
        const res = await postJson(server, '/credentials/issue', {
          credential: { ...base, relatedResource: [item] },
        })
        expect(res.status).toBe(422)
        expect(codes((res.body as { errors: { code: string; path?: string }[] }).errors)).toEqual([
          `ERR_STRUCTURE_DIGEST_MISMATCH /relatedResource/0/${Object.keys(item)[1]}`,
        ])
      }
      const right = { id: url, digestSRI: `sha384-${hash('sha384').toString('base64')}` }
      const ok = await postJson(server, '/credentials/issue', {
        credential: { ...base, relatedResource: [right] },
      })
      expect(ok.status).toBe(201)
      const issued = (ok.body as { verifiableCredential: Record<string, unknown> })
        .verifiableCredential
      expect(issued.relatedResource).toEqual([right])
    } finally {
      await server.close()
    }
  })

  it('the issuer refuses malformed relatedResource entries before signing', async () => {
    for (const [relatedResource, path] of [
      [[{ id: url }], '/relatedResource/0'],
      [[{ digestSRI: 'sha384-AAAA' }], '/relatedResource/0'],
      [
        [
          { id: url, digestSRI: 'sha384-AAAA' },
          { id: url, digestSRI: 'sha384-AAAA' },
        ],
        '/relatedResource/1',
      ],
    ] as const) {
      await expect(
        signGenericCredential({ ...credential(key.did), relatedResource }, { key }),
      ).rejects.toMatchObject({ code: 'ERR_STRUCTURE_INVALID', path })
    }
  })
})
