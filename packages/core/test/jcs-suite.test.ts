/**
 * eddsa-jcs-2022: sign → verify, tampering, cryptosuite confusion with eddsa-rdfc-2022,
 * appended contexts, strict signatures, and that a suite instance for another cryptosuite never
 * matches its proofs. (Which verifications accept it is the verifier's profile.)
 */
import {
  CONTEXT_URLS,
  createDocumentLoader,
  didKeyFromPublicKeyMultibase,
  findCertifyError,
} from '@certify-vc/context'
import {
  SUITE_NAMES,
  createSuite,
  signDocument,
  suiteOfProof,
  verifyDocumentProofs,
  type Suite,
} from '@certify-vc/core'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { base58btc } from 'multiformats/bases/base58'
import { beforeAll, describe, expect, it } from 'vitest'
import { malleate } from './ed25519-helpers.js'

const loader = createDocumentLoader()

interface Key {
  did: string
  vmId: string
  signer: ReturnType<Awaited<ReturnType<typeof Ed25519Multikey.generate>>['signer']>
}
let key: Key

beforeAll(async () => {
  const seed = new Uint8Array(32).fill(23)
  const probe = await Ed25519Multikey.generate({ seed })
  const { did, verificationMethodId } = didKeyFromPublicKeyMultibase(probe.publicKeyMultibase)
  const pair = await Ed25519Multikey.generate({ seed, id: verificationMethodId, controller: did })
  key = { did, vmId: verificationMethodId, signer: pair.signer() }
})

function unsigned(): Record<string, unknown> {
  return {
    '@context': [CONTEXT_URLS.credentialsV2],
    id: 'urn:uuid:7d0c6a44-2f7e-4e55-9a0e-3c1d2b4a5f60',
    type: ['VerifiableCredential'],
    issuer: key.did,
    validFrom: '2026-11-01T00:00:00Z',
    credentialSubject: { id: 'did:example:subject', name: 'Ada' },
  }
}

async function signJcs(document: object = unsigned()): Promise<Record<string, unknown>> {
  return signDocument(document, {
    suite: createSuite('eddsa-jcs-2022', { signer: key.signer, date: '2026-11-01T00:00:00Z' }),
    documentLoader: loader,
  })
}

async function verify(document: object, suites: Suite[] = [createSuite('eddsa-jcs-2022')]) {
  const { outcomes } = await verifyDocumentProofs(document, {
    suites,
    documentLoader: loader,
    purpose: { term: 'assertionMethod' },
  })
  return outcomes.map((o) => ({
    verified: o.verified,
    code: findCertifyError(o.signatureError)?.code,
    message: o.signatureError?.message,
  }))
}

describe('eddsa-jcs-2022', () => {
  it('signs a DataIntegrityProof that carries the document @context, and verifies it', async () => {
    const signed = await signJcs()
    expect(signed.proof).toEqual({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-jcs-2022',
      created: '2026-11-01T00:00:00Z',
      verificationMethod: key.vmId,
      proofPurpose: 'assertionMethod',
      '@context': [CONTEXT_URLS.credentialsV2],
      proofValue: expect.stringMatching(/^z[1-9A-HJ-NP-Za-km-z]{86,88}$/) as unknown,
    })
    expect(suiteOfProof(signed.proof)).toBe('eddsa-jcs-2022')
    expect(await verify(signed)).toEqual([{ verified: true }])
  })

  it('is named by suiteOfProof only as a DataIntegrityProof; an rdfc suite never matches it', async () => {
    const signed = await signJcs()
    expect(SUITE_NAMES).toContain('eddsa-jcs-2022')
    expect(suiteOfProof({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' })).toBe(
      'eddsa-rdfc-2022',
    )
    expect(suiteOfProof({ type: 'Ed25519Signature2020', cryptosuite: 'eddsa-jcs-2022' })).toBe(
      undefined,
    )
    // An rdfc suite does not match a jcs proof: no outcome, so callers see it as unverified.
    expect(await verify(signed, [createSuite('eddsa-rdfc-2022')])).toEqual([])
  })

  it('a changed claim or proof option fails; reordered members still verify', async () => {
    const signed = await signJcs()
    const subject = signed.credentialSubject as Record<string, unknown>
    const proof = signed.proof as Record<string, unknown>
    const failures = [
      { ...signed, credentialSubject: { ...subject, name: 'Eve' } },
      { ...signed, extra: 'added' },
      { ...signed, proof: { ...proof, created: '2026-11-02T00:00:00Z' } },
    ]
    for (const tampered of failures) {
      expect(await verify(tampered)).toEqual([
        { verified: false, code: undefined, message: 'Invalid signature.' },
      ])
    }
    // JCS sorts keys: the same JSON with another member order still verifies.
    const reordered = Object.fromEntries(Object.entries(signed).reverse())
    expect(await verify(reordered)).toEqual([{ verified: true }])
  })

  it('refuses a document whose @context differs from the signed one (even appended)', async () => {
    const signed = await signJcs()
    const appended = {
      ...signed,
      '@context': [CONTEXT_URLS.credentialsV2, 'https://w3id.org/security/data-integrity/v2'],
    }
    expect(await verify(appended)).toEqual([
      {
        verified: false,
        code: 'ERR_PROOF_INVALID',
        message: 'The document\'s "@context" is not the one the eddsa-jcs-2022 proof signed.',
      },
    ])
  })

  it('cryptosuite confusion fails both ways (jcs data as rdfc, rdfc data as jcs)', async () => {
    const jcs = await signJcs()
    const asRdfc = { ...jcs, proof: { ...(jcs.proof as object), cryptosuite: 'eddsa-rdfc-2022' } }
    expect(await verify(asRdfc, [createSuite('eddsa-rdfc-2022')])).toMatchObject([
      { verified: false },
    ])
    const rdfc = await signDocument(unsigned(), {
      suite: createSuite('eddsa-rdfc-2022', { signer: key.signer }),
      documentLoader: loader,
    })
    const asJcs = {
      ...rdfc,
      proof: {
        ...(rdfc.proof as object),
        cryptosuite: 'eddsa-jcs-2022',
        '@context': rdfc['@context'],
      },
    }
    expect(await verify(asJcs)).toEqual([
      { verified: false, code: undefined, message: 'Invalid signature.' },
    ])
  })

  it('refuses a malleated signature before the library sees it', async () => {
    const signed = await signJcs()
    const proof = signed.proof as Record<string, unknown>
    const signature = base58btc.decode(proof.proofValue as string)
    const malleable = {
      ...signed,
      proof: { ...proof, proofValue: base58btc.encode(malleate(signature)) },
    }
    expect(await verify(malleable)).toMatchObject([
      { verified: false, code: 'ERR_PROOF_SIGNATURE_MALLEABLE' },
    ])
  })

  it('a proof set of jcs and rdfc proofs verifies each with its own suite', async () => {
    const jcs = await signJcs()
    const both = await signDocument(jcs, {
      suite: createSuite('eddsa-rdfc-2022', { signer: key.signer }),
      documentLoader: loader,
    })
    expect(Array.isArray(both.proof)).toBe(true)
    expect(
      await verify(both, [createSuite('eddsa-rdfc-2022'), createSuite('eddsa-jcs-2022')]),
    ).toEqual([{ verified: true }, { verified: true }])
  })
})
