/**
 * createPresentation / signPresentation: the envelope, the authentication proof with challenge
 * and domain (verified here with the shared suite wiring), and caller mistakes.
 */
import {
  CONTEXT_URLS,
  createDocumentLoader,
  didKeyFromPublicKeyMultibase,
  isCertifyError,
} from '@certify-vc/context'
import {
  createPresentation,
  createSuite,
  signPresentation,
  verifyDocumentProofs,
  type SuiteName,
} from '@certify-vc/core'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { beforeAll, describe, expect, it } from 'vitest'

const loader = createDocumentLoader()
const CREDENTIAL = {
  '@context': [CONTEXT_URLS.credentialsV2],
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  credentialSubject: { id: 'did:example:subject' },
}

async function holderKey(seedByte: number) {
  const seed = new Uint8Array(32).fill(seedByte)
  const probe = await Ed25519Multikey.generate({ seed })
  const { did, verificationMethodId } = didKeyFromPublicKeyMultibase(probe.publicKeyMultibase)
  const key = await Ed25519Multikey.generate({ seed, id: verificationMethodId, controller: did })
  return { did, vmId: verificationMethodId, signer: key.signer() }
}

let holder: Awaited<ReturnType<typeof holderKey>>
let other: Awaited<ReturnType<typeof holderKey>>
beforeAll(async () => {
  holder = await holderKey(21)
  other = await holderKey(22)
})

async function verifyAuth(
  vp: object,
  suite: SuiteName,
  challenge: string,
  domain?: string,
): Promise<boolean> {
  const { outcomes } = await verifyDocumentProofs(vp, {
    suites: [createSuite(suite)],
    documentLoader: loader,
    purpose: { term: 'authentication', challenge, ...(domain === undefined ? {} : { domain }) },
  })
  return outcomes.length === 1 && outcomes.every((o) => o.verified)
}

describe('createPresentation', () => {
  it('builds a VC 2.0 envelope with the holder and copies of the credentials', () => {
    const vp = createPresentation({ holder: holder.did, verifiableCredential: [CREDENTIAL] })
    expect(vp).toEqual({
      '@context': [CONTEXT_URLS.credentialsV2],
      type: ['VerifiablePresentation'],
      holder: holder.did,
      verifiableCredential: [CREDENTIAL],
    })
    expect(vp.verifiableCredential?.[0]).not.toBe(CREDENTIAL)
  })

  it('builds a VC 1.1 envelope, with an id, and leaves out an empty credential list', () => {
    const vp = createPresentation({
      holder: holder.did,
      format: 'vc1.1',
      id: 'urn:uuid:0b9c1c8e-5e8e-4f0a-9d0c-3a1f2b4c5d6e',
      verifiableCredential: [],
    })
    expect(vp).toEqual({
      '@context': [CONTEXT_URLS.credentialsV1],
      id: 'urn:uuid:0b9c1c8e-5e8e-4f0a-9d0c-3a1f2b4c5d6e',
      type: ['VerifiablePresentation'],
      holder: holder.did,
    })
  })

  it.each([
    [{ holder: 'alice' }, /holder/],
    [{ holder: 42 }, /holder/],
    [{ holder: 'did:key:z6Mk', format: 'vc3' }, /format/],
    [{ holder: 'did:key:z6Mk', id: 'not an iri' }, /id/],
    [{ holder: 'did:key:z6Mk', verifiableCredential: ['https://example.com/vc/1'] }, /object/],
    [{ holder: 'did:key:z6Mk', verifiableCredential: CREDENTIAL }, /array/],
  ])('refuses %j with a TypeError', (options, message) => {
    expect(() => createPresentation(options as never)).toThrow(TypeError)
    expect(() => createPresentation(options as never)).toThrow(message)
  })
})

describe('signPresentation', () => {
  it('signs a VC 2.0 presentation with eddsa-rdfc-2022 for authentication, challenge and domain', async () => {
    const unsigned = createPresentation({ holder: holder.did, verifiableCredential: [CREDENTIAL] })
    const vp = await signPresentation(unsigned, {
      signer: holder.signer,
      challenge: 'u1234',
      domain: 'employer.example',
      date: '2026-11-29T12:00:00Z',
    })
    expect(unsigned).not.toHaveProperty('proof')
    expect(vp.proof).toMatchObject({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      created: '2026-11-29T12:00:00Z',
      verificationMethod: holder.vmId,
      proofPurpose: 'authentication',
      challenge: 'u1234',
      domain: 'employer.example',
    })
    expect(vp.proof.proofValue).toMatch(/^z/)
    expect(await verifyAuth(vp, 'eddsa-rdfc-2022', 'u1234', 'employer.example')).toBe(true)
    expect(await verifyAuth(vp, 'eddsa-rdfc-2022', 'u9999', 'employer.example')).toBe(false)
    expect(await verifyAuth(vp, 'eddsa-rdfc-2022', 'u1234', 'other.example')).toBe(false)
    const tampered = structuredClone(vp) as unknown as Record<string, unknown>
    tampered.holder = other.did
    expect(await verifyAuth(tampered, 'eddsa-rdfc-2022', 'u1234', 'employer.example')).toBe(false)
  })

  it('signs a VC 1.1 presentation with Ed25519Signature2020 and adds its context', async () => {
    const vp = await signPresentation(createPresentation({ holder: holder.did, format: 'vc1.1' }), {
      signer: holder.signer,
      challenge: 'c-1',
    })
    expect(vp['@context']).toEqual([
      CONTEXT_URLS.credentialsV1,
      CONTEXT_URLS.ed25519Signature2020V1,
    ])
    expect(vp.proof).toMatchObject({
      type: 'Ed25519Signature2020',
      proofPurpose: 'authentication',
      challenge: 'c-1',
    })
    expect(vp.proof).not.toHaveProperty('domain')
    expect(await verifyAuth(vp, 'Ed25519Signature2020', 'c-1')).toBe(true)
  })

  it('signs a VC 1.1 presentation with eddsa-rdfc-2022 when asked, adding Data Integrity v2', async () => {
    const vp = await signPresentation(createPresentation({ holder: holder.did, format: 'vc1.1' }), {
      signer: holder.signer,
      challenge: 'c-2',
      suite: 'eddsa-rdfc-2022',
    })
    expect(vp['@context']).toEqual([CONTEXT_URLS.credentialsV1, CONTEXT_URLS.dataIntegrityV2])
    expect(await verifyAuth(vp, 'eddsa-rdfc-2022', 'c-2')).toBe(true)
  })

  it('refuses a holder that does not control the signing key', async () => {
    await expect(
      signPresentation(createPresentation({ holder: other.did }), {
        signer: holder.signer,
        challenge: 'c',
      }),
    ).rejects.toThrow(/does not control/)
  })

  it.each([
    ['no challenge', (o: Record<string, unknown>) => delete o.challenge, /challenge/],
    ['empty challenge', (o: Record<string, unknown>) => (o.challenge = ''), /challenge/],
    ['empty domain', (o: Record<string, unknown>) => (o.domain = ''), /domain/],
    ['no signer', (o: Record<string, unknown>) => delete o.signer, /signer/],
    ['unknown suite', (o: Record<string, unknown>) => (o.suite = 'Ed25519Signature2018'), /suite/],
  ])('refuses options with %s (TypeError)', async (_name, patch, message) => {
    const options: Record<string, unknown> = { signer: holder.signer, challenge: 'c', domain: 'd' }
    patch(options)
    const p = signPresentation(createPresentation({ holder: holder.did }), options as never)
    await expect(p).rejects.toThrow(TypeError)
    await expect(p).rejects.toThrow(message)
  })

  it.each([
    ['a presentation with a proof', { proof: {} }, /already has a proof/],
    ['a wrong first context', { '@context': ['https://example.com/ctx'] }, /first @context/],
    ['a type without VerifiablePresentation', { type: ['Presentation'] }, /VerifiablePresentation/],
    ['no holder', { holder: undefined }, /holder/],
    ['a credential given as a URL', { verifiableCredential: ['https://x.example/vc'] }, /object/],
  ])('refuses %s (TypeError)', async (_name, patch, message) => {
    const vp = { ...createPresentation({ holder: holder.did }), ...patch }
    const p = signPresentation(vp, { signer: holder.signer, challenge: 'c' })
    await expect(p).rejects.toThrow(TypeError)
    await expect(p).rejects.toThrow(message)
  })

  it('turns a suite failure into ERR_PRESENTATION_SIGNING_FAILED (undefined term, safe mode)', async () => {
    const vp = { ...createPresentation({ holder: holder.did }), undefinedTerm: 'x' }
    const error = await signPresentation(vp, { signer: holder.signer, challenge: 'c' }).catch(
      (e: unknown) => e,
    )
    expect(isCertifyError(error)).toBe(true)
    expect((error as { code: string }).code).toBe('ERR_PRESENTATION_SIGNING_FAILED')
  })
})
