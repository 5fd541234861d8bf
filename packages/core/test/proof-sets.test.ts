/**
 * Proof sets and chains (W3C Data Integrity §4.5), canonicalization limits, and strict Ed25519
 * checks made the same way on the fast and the reference path.
 */
import {
  CONTEXT_URLS,
  createDocumentLoader,
  didKeyFromPublicKeyMultibase,
  findCertifyError,
  type DocumentLoader,
} from '@certify-vc/context'
import {
  canonize,
  createSuite,
  signDocument,
  verifyDocumentProofs,
  type SuiteName,
} from '@certify-vc/core'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { base58btc } from 'multiformats/bases/base58'
import { beforeAll, describe, expect, it } from 'vitest'
import { malleate } from './ed25519-helpers.js'

const base = createDocumentLoader()
const POISON_URL = 'https://example.com/poison/v1'
const poisonContext = Object.freeze({
  '@context': Object.freeze({
    id: '@id',
    link: Object.freeze({ '@id': 'https://example.com/link', '@type': '@id' }),
  }),
})
const loader: DocumentLoader = (url) =>
  url === POISON_URL
    ? Promise.resolve({ contextUrl: null, documentUrl: url, document: poisonContext })
    : base(url)

/** n blank nodes, each linked to all the others: every node looks alike to RDFC-1.0. */
function poisonGraph(n: number) {
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: `_:b${i}`,
    link: Array.from({ length: n }, (_, j) => j)
      .filter((j) => j !== i)
      .map((j) => `_:b${j}`),
  }))
  return { '@context': [POISON_URL], id: 'urn:x:root', link: nodes }
}

const paths = ['fast', 'reference'] as const

describe('canonicalization limits (docs/attacks.md B1)', () => {
  it.each(paths)('a poison graph is refused, not hung on (%s path)', async (canonicalization) => {
    const error = await canonize(poisonGraph(6), loader, { canonicalization }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ code: 'ERR_JSONLD_CANONIZE_LIMIT' })
    expect((error as Error).message).toMatch(/work factor 1/)
  })

  it.each(paths)('the work factor is configurable (%s path)', async (canonicalization) => {
    const small = poisonGraph(3)
    await expect(canonize(small, loader, { canonicalization })).rejects.toMatchObject({
      code: 'ERR_JSONLD_CANONIZE_LIMIT',
    })
    expect(
      await canonize(small, loader, { canonicalization, limits: { maxWorkFactor: 3 } }),
    ).toContain('_:c14n0')
  })

  it.each(paths)('the time limit aborts a long canonicalization (%s path)', async (path) => {
    const big = poisonGraph(10)
    await expect(
      canonize(big, loader, { canonicalization: path, limits: { maxWorkFactor: 3, timeoutMs: 1 } }),
    ).rejects.toMatchObject({ code: 'ERR_JSONLD_CANONIZE_LIMIT' })
  })

  it('bad limits are caller mistakes', async () => {
    for (const limits of [{ maxWorkFactor: 4 }, { maxWorkFactor: -1 }, { timeoutMs: 0 }]) {
      await expect(canonize(poisonGraph(2), loader, { limits })).rejects.toThrow(TypeError)
      expect(() => createSuite('eddsa-rdfc-2022', { limits })).toThrow(TypeError)
    }
  })
})

interface Key {
  did: string
  vmId: string
  signer: ReturnType<Awaited<ReturnType<typeof Ed25519Multikey.generate>>['signer']>
}
let key: Key

beforeAll(async () => {
  const seed = new Uint8Array(32).fill(11)
  const probe = await Ed25519Multikey.generate({ seed })
  const { did, verificationMethodId } = didKeyFromPublicKeyMultibase(probe.publicKeyMultibase)
  const pair = await Ed25519Multikey.generate({ seed, id: verificationMethodId, controller: did })
  key = { did, vmId: verificationMethodId, signer: pair.signer() }
})

function unsigned(suite: SuiteName) {
  return suite === 'eddsa-rdfc-2022'
    ? {
        '@context': [CONTEXT_URLS.credentialsV2],
        id: 'urn:uuid:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        type: ['VerifiableCredential'],
        issuer: key.did,
        validFrom: '2026-11-01T00:00:00Z',
        credentialSubject: { id: 'did:example:subject' },
      }
    : {
        '@context': [CONTEXT_URLS.credentialsV1, CONTEXT_URLS.ed25519Signature2020V1],
        id: 'urn:uuid:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        type: ['VerifiableCredential'],
        issuer: key.did,
        issuanceDate: '2026-11-01T00:00:00Z',
        credentialSubject: { id: 'did:example:subject' },
      }
}

function suiteFor(name: SuiteName, canonicalization?: 'fast' | 'reference') {
  return createSuite(name, {
    signer: key.signer,
    date: '2026-11-01T00:00:00Z',
    ...(canonicalization === undefined ? {} : { canonicalization }),
  })
}

async function verify(
  document: object,
  name: SuiteName,
  canonicalization: 'fast' | 'reference' = 'fast',
) {
  return verifyDocumentProofs(document, {
    suites: [createSuite(name, { canonicalization })],
    documentLoader: base,
    purpose: { term: 'assertionMethod' },
  })
}

const codeOf = (error: unknown) => findCertifyError(error)?.code

describe('strict Ed25519 inside the suites, on both paths', () => {
  for (const name of ['eddsa-rdfc-2022', 'Ed25519Signature2020'] as const) {
    for (const canonicalization of paths) {
      it(`${name} (${canonicalization}): S + L is ERR_PROOF_SIGNATURE_MALLEABLE`, async () => {
        const signed = (await signDocument(unsigned(name), {
          suite: suiteFor(name),
          documentLoader: base,
        })) as { proof: Record<string, string> }
        const good = await verify(signed, name, canonicalization)
        expect(good.outcomes.map((o) => o.verified)).toEqual([true])
        const sig = base58btc.decode(signed.proof.proofValue ?? '')
        const twin = {
          ...signed,
          proof: { ...signed.proof, proofValue: base58btc.encode(malleate(sig)) },
        }
        const { outcomes } = await verify(twin, name, canonicalization)
        expect(outcomes).toHaveLength(1)
        expect(outcomes[0]?.verified).toBe(false)
        expect(codeOf(outcomes[0]?.signatureError)).toBe('ERR_PROOF_SIGNATURE_MALLEABLE')
      })
    }
  }
})

describe('proof sets and chains (Data Integrity §4.5)', () => {
  async function chain(canonicalization?: 'fast' | 'reference') {
    const first = await signDocument(unsigned('eddsa-rdfc-2022'), {
      suite: suiteFor('eddsa-rdfc-2022', canonicalization),
      documentLoader: base,
      proofId: 'urn:uuid:proof-1',
    })
    return signDocument(first, {
      suite: suiteFor('eddsa-rdfc-2022', canonicalization),
      documentLoader: base,
      previousProof: 'urn:uuid:proof-1',
      proofId: 'urn:uuid:proof-2',
    })
  }

  it.each(paths)('a valid chain verifies (%s path)', async (canonicalization) => {
    const signed = (await chain(canonicalization)) as { proof: Record<string, unknown>[] }
    expect(signed.proof).toHaveLength(2)
    expect(signed.proof[1]).toMatchObject({
      id: 'urn:uuid:proof-2',
      previousProof: 'urn:uuid:proof-1',
    })
    const { outcomes } = await verify(signed, 'eddsa-rdfc-2022', canonicalization)
    expect(outcomes.map((o) => [o.index, o.verified])).toEqual([
      [0, true],
      [1, true],
    ])
  })

  it('the chained proof signs the earlier proof: altering it breaks both', async () => {
    const signed = (await chain()) as { proof: Record<string, unknown>[] }
    const altered = structuredClone(signed)
    ;(altered.proof[0] as Record<string, unknown>).created = '2026-11-02T00:00:00Z'
    const { outcomes } = await verify(altered, 'eddsa-rdfc-2022')
    expect(outcomes.map((o) => o.verified)).toEqual([false, false])
  })

  it('a chained proof does not verify as a plain set member (the earlier proof is signed in)', async () => {
    const signed = (await chain()) as { proof: Record<string, unknown>[] }
    const second = { ...(signed.proof[1] as Record<string, unknown>) }
    delete second.previousProof
    const { outcomes } = await verify(
      { ...signed, proof: [signed.proof[0], second] },
      'eddsa-rdfc-2022',
    )
    expect(outcomes.map((o) => o.verified)).toEqual([true, false])
  })

  it('previousProof naming an absent proof: ERR_PROOF_CHAIN_DANGLING', async () => {
    const signed = (await chain()) as { proof: Record<string, unknown>[] }
    const { outcomes } = await verify({ ...signed, proof: [signed.proof[1]] }, 'eddsa-rdfc-2022')
    expect(outcomes).toHaveLength(1)
    expect(codeOf(outcomes[0]?.signatureError)).toBe('ERR_PROOF_CHAIN_DANGLING')
  })

  it('a cycle, or a proof naming itself: ERR_PROOF_CHAIN_CYCLE', async () => {
    const signed = (await chain()) as { proof: Record<string, unknown>[] }
    const [a, b] = signed.proof as [Record<string, unknown>, Record<string, unknown>]
    const cycle = { ...signed, proof: [{ ...a, previousProof: 'urn:uuid:proof-2' }, b] }
    const r1 = await verify(cycle, 'eddsa-rdfc-2022')
    expect(r1.outcomes.map((o) => codeOf(o.signatureError))).toEqual([
      'ERR_PROOF_CHAIN_CYCLE',
      'ERR_PROOF_CHAIN_CYCLE',
    ])
    const self = { ...signed, proof: [{ ...a, previousProof: 'urn:uuid:proof-1' }] }
    const r2 = await verify(self, 'eddsa-rdfc-2022')
    expect(codeOf(r2.outcomes[0]?.signatureError)).toBe('ERR_PROOF_CHAIN_CYCLE')
  })

  it('malformed previousProof and duplicate proof ids: ERR_PROOF_MALFORMED', async () => {
    const signed = (await chain()) as { proof: Record<string, unknown>[] }
    const [a, b] = signed.proof as [Record<string, unknown>, Record<string, unknown>]
    for (const previousProof of [42, [], [7]]) {
      const r = await verify({ ...signed, proof: [a, { ...b, previousProof }] }, 'eddsa-rdfc-2022')
      expect(codeOf(r.outcomes[1]?.signatureError)).toBe('ERR_PROOF_MALFORMED')
    }
    const twins = { ...signed, proof: [a, { ...a, proofValue: a.proofValue }, b] }
    const r = await verify(twins, 'eddsa-rdfc-2022')
    expect(codeOf(r.outcomes[2]?.signatureError)).toBe('ERR_PROOF_MALFORMED')
  })

  it('a proof set (no previousProof): each proof signs the document alone, each verifies', async () => {
    const once = await signDocument(unsigned('eddsa-rdfc-2022'), {
      suite: suiteFor('eddsa-rdfc-2022'),
      documentLoader: base,
    })
    const twice = await signDocument(once, {
      suite: createSuite('eddsa-rdfc-2022', { signer: key.signer, date: '2026-11-03T00:00:00Z' }),
      documentLoader: base,
    })
    const { outcomes } = await verify(twice, 'eddsa-rdfc-2022')
    expect(outcomes.map((o) => o.verified)).toEqual([true, true])
  })

  it('signDocument refuses a previousProof naming no existing proof', async () => {
    await expect(
      signDocument(unsigned('eddsa-rdfc-2022'), {
        suite: suiteFor('eddsa-rdfc-2022'),
        documentLoader: base,
        previousProof: 'urn:uuid:none',
      }),
    ).rejects.toThrow(TypeError)
  })
})
