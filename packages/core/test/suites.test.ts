import {
  CONTEXT_URLS,
  createDocumentLoader,
  didKeyFromPublicKeyMultibase,
} from '@certify-vc/context'
import {
  SUITE_KEY_TYPES,
  SUITE_NAMES,
  createSuite,
  signDocument,
  suiteOfProof,
  verifyDocumentProofs,
} from '@certify-vc/core'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { describe, expect, it } from 'vitest'
import { signerOf } from './ecdsa-helpers.js'

const loader = createDocumentLoader()
const doc = {
  '@context': [CONTEXT_URLS.credentialsV2],
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  credentialSubject: { id: 'did:example:subject' },
}

async function signer() {
  const seed = new Uint8Array(32).fill(7)
  const probe = await Ed25519Multikey.generate({ seed })
  const { did, verificationMethodId } = didKeyFromPublicKeyMultibase(probe.publicKeyMultibase)
  return (
    await Ed25519Multikey.generate({ seed, id: verificationMethodId, controller: did })
  ).signer()
}

describe('suites', () => {
  it('implements exactly the EdDSA suites, ecdsa-rdfc-2019 and ecdsa-sd-2023', () => {
    expect(SUITE_NAMES).toEqual([
      'eddsa-rdfc-2022',
      'Ed25519Signature2020',
      'eddsa-jcs-2022',
      'ecdsa-rdfc-2019',
      'ecdsa-sd-2023',
    ])
  })

  it.each([
    [{ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' }, 'eddsa-rdfc-2022'],
    [{ type: 'Ed25519Signature2020' }, 'Ed25519Signature2020'],
    [{ type: 'DataIntegrityProof', cryptosuite: 'eddsa-jcs-2022' }, 'eddsa-jcs-2022'],
    [{ type: 'DataIntegrityProof', cryptosuite: 'ecdsa-rdfc-2019' }, 'ecdsa-rdfc-2019'],
    [{ type: 'DataIntegrityProof', cryptosuite: 'ecdsa-sd-2023' }, 'ecdsa-sd-2023'],
    [{ type: 'DataIntegrityProof', cryptosuite: 'ecdsa-jcs-2019' }, undefined],
    [{ type: 'DataIntegrityProof' }, undefined],
    [{ type: 'Ed25519Signature2018' }, undefined],
    [{ type: 'Ed25519Signature2020', cryptosuite: 'eddsa-rdfc-2022' }, undefined],
    [{ type: 'JsonWebSignature2020' }, undefined],
    [null, undefined],
    ['DataIntegrityProof', undefined],
    [[{ type: 'Ed25519Signature2020' }], undefined],
  ])('suiteOfProof(%j) is %s', (proof, expected) => {
    expect(suiteOfProof(proof)).toBe(expected)
  })

  it('createSuite refuses unknown suites with TypeError', () => {
    expect(() => createSuite('Ed25519Signature2018' as never)).toThrow(TypeError)
  })

  it('signs and verifies with every suite but ecdsa-sd-2023 (derived proofs only)', async () => {
    for (const name of SUITE_NAMES.filter((n) => n !== 'ecdsa-sd-2023')) {
      const s = await signerOf(SUITE_KEY_TYPES[name][0] ?? 'Ed25519')
      const input =
        name === 'Ed25519Signature2020'
          ? { ...doc, '@context': [...doc['@context'], CONTEXT_URLS.ed25519Signature2020V1] }
          : doc
      const signed = await signDocument(input, {
        suite: createSuite(name, { signer: s }),
        documentLoader: loader,
      })
      expect(input).not.toHaveProperty('proof') // the input is not mutated
      const { outcomes } = await verifyDocumentProofs(signed, {
        suites: [createSuite(name)],
        documentLoader: loader,
        purpose: { term: 'assertionMethod' },
      })
      expect(outcomes).toHaveLength(1)
      expect(outcomes[0]).toMatchObject({ verified: true, signatureValid: true })
    }
  })

  it('signDocument without a signer rejects', async () => {
    await expect(
      signDocument(doc, { suite: createSuite('eddsa-rdfc-2022'), documentLoader: loader }),
    ).rejects.toThrow()
  })

  it('verifyDocumentProofs reports no outcome for a document without proof', async () => {
    const r = await verifyDocumentProofs(doc, {
      suites: [createSuite('eddsa-rdfc-2022')],
      documentLoader: loader,
      purpose: { term: 'assertionMethod' },
    })
    expect(r.outcomes).toEqual([])
    expect(r.error).toBeDefined()
  })

  it('verifyDocumentProofs separates a bad signature from a failed purpose', async () => {
    const s = await signer()
    const signed = (await signDocument(doc, {
      suite: createSuite('eddsa-rdfc-2022', { signer: s }),
      documentLoader: loader,
      purpose: { term: 'authentication', challenge: 'c-1' },
    })) as Record<string, unknown>
    const wrongChallenge = await verifyDocumentProofs(signed, {
      suites: [createSuite('eddsa-rdfc-2022')],
      documentLoader: loader,
      purpose: { term: 'authentication', challenge: 'c-2' },
    })
    expect(wrongChallenge.outcomes[0]).toMatchObject({ verified: false, signatureValid: true })
    expect(wrongChallenge.outcomes[0]?.purposeError).toBeInstanceOf(Error)
    const tampered = { ...signed, issuer: 'did:example:other' }
    const bad = await verifyDocumentProofs(tampered, {
      suites: [createSuite('eddsa-rdfc-2022')],
      documentLoader: loader,
      purpose: { term: 'authentication', challenge: 'c-1' },
    })
    expect(bad.outcomes[0]).toMatchObject({ verified: false, signatureValid: false })
  })
})
