/**
 * Cross-verification with the Digital Bazaar ECDSA stack (`@digitalbazaar/vc` 7.3.0 with
 * `DataIntegrityProof`, `@digitalbazaar/ecdsa-rdfc-2019-cryptosuite` 1.3.0,
 * `@digitalbazaar/ecdsa-sd-2023-cryptosuite` 3.4.1, `@digitalbazaar/ecdsa-multikey` 1.8.0, used
 * the plain documented way): credentials they sign (ecdsa-rdfc-2019 P-256 and P-384,
 * ecdsa-sd-2023 base and derived) verify with certify-vc's verifier, credentials certify-vc signs
 * verify with theirs, and tampered ones fail on both sides. Offline: certify-vc's document loader
 * (pinned contexts, local did:key) serves both.
 */
import { createDocumentLoader } from '@certify-vc/context'
import { deriveCredential } from '@certify-vc/core'
import { generateIssuerKey, issueCredential } from '@certify-vc/issuer'
import { verifyCredential } from '@certify-vc/verifier'
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey'
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite'
import {
  createDiscloseCryptosuite,
  createSignCryptosuite,
  createVerifyCryptosuite,
} from '@digitalbazaar/ecdsa-sd-2023-cryptosuite'
import * as vc from '@digitalbazaar/vc'
import { describe, expect, it } from 'vitest'
import { unsignedOpenBadge } from './ob-template.js'

const documentLoader = createDocumentLoader()

/** Their key: a fresh did:key of `curve`, as their libraries make it. */
async function theirKey(curve: 'P-256' | 'P-384') {
  const key = await EcdsaMultikey.generate({ curve })
  const did = `did:key:${key.publicKeyMultibase}`
  key.controller = did
  key.id = `${did}#${key.publicKeyMultibase}`
  return { did, signer: key.signer() }
}

function badge(issuer: string): Record<string, unknown> {
  return unsignedOpenBadge({
    format: 'vc2',
    issuer,
    issuerKind: 'profile',
    hasName: true,
    stack: 'Digital Bazaar',
  })
}

/** certify-vc's verifier, open-badges profile (any issuer), with the signer trusted. */
async function oursVerifies(credential: object, issuer: string) {
  const r = await verifyCredential(credential, {
    profile: 'open-badges',
    trustedIssuers: [issuer],
    status: false,
  })
  return { verified: r.verified, codes: r.problems.map((p) => p.code), result: r }
}

async function theirsVerifies(credential: object, cryptosuite: object): Promise<boolean> {
  const r = await vc.verifyCredential({
    credential,
    suite: new DataIntegrityProof({ cryptosuite }),
    documentLoader,
  })
  return r.verified
}

function tamper(credential: object): Record<string, unknown> {
  const copy = structuredClone(credential) as Record<string, Record<string, unknown>>
  ;(copy.credentialSubject as Record<string, unknown>).name = 'Eve Mallory'
  return copy
}

describe('Digital Bazaar signs, certify-vc verifies', () => {
  for (const curve of ['P-256', 'P-384'] as const) {
    it(`ecdsa-rdfc-2019 ${curve}: verifies; tampered fails with ERR_PROOF_INVALID`, async () => {
      const { did, signer } = await theirKey(curve)
      const signed = await vc.issue({
        credential: badge(did),
        suite: new DataIntegrityProof({ signer, cryptosuite: ecdsaRdfc2019 }),
        documentLoader,
      })
      const ours = await oursVerifies(signed, did)
      expect(ours.codes).toEqual([])
      expect(ours.verified).toBe(true)
      const bad = await oursVerifies(tamper(signed), did)
      expect(bad.verified).toBe(false)
      expect(bad.codes).toContain('ERR_PROOF_INVALID')
      // Their own verdicts agree.
      expect(await theirsVerifies(signed, ecdsaRdfc2019)).toBe(true)
      expect(await theirsVerifies(tamper(signed), ecdsaRdfc2019)).toBe(false)
    })
  }

  it('ecdsa-sd-2023: their base proof is refused, their derived proof verifies, tampered fails', async () => {
    const { did, signer } = await theirKey('P-256')
    const base = await vc.issue({
      credential: badge(did),
      suite: new DataIntegrityProof({
        signer,
        cryptosuite: createSignCryptosuite({
          mandatoryPointers: ['/issuer', '/validFrom', '/credentialSubject/achievement'],
        }),
      }),
      documentLoader,
    })
    expect((await oursVerifies(base, did)).codes).toEqual(['ERR_PROOF_BASE_NOT_DERIVED'])
    const derived = await vc.derive({
      verifiableCredential: base,
      suite: new DataIntegrityProof({
        cryptosuite: createDiscloseCryptosuite({
          selectivePointers: ['/type', '/credentialSubject/type', '/credentialSubject/id'],
        }),
      }),
      documentLoader,
    })
    const ours = await oursVerifies(derived, did)
    expect(ours.codes).toEqual([])
    expect(ours.verified).toBe(true)
    expect(ours.result.credential.disclosed).toContain('/credentialSubject/id')
    expect(ours.result.credential.disclosed).not.toContain('/name')
    const altered = structuredClone(derived) as Record<string, Record<string, unknown>>
    ;(altered.credentialSubject as Record<string, unknown>).id = 'did:example:someone-else'
    expect((await oursVerifies(altered, did)).codes).toContain('ERR_PROOF_INVALID')
    expect(await theirsVerifies(derived, createVerifyCryptosuite())).toBe(true)
    expect(await theirsVerifies(altered, createVerifyCryptosuite())).toBe(false)
    // certify-vc derives from their base proof, and they accept it.
    const ourDerived = await deriveCredential(base, {
      selectivePointers: ['/name', '/credentialSubject/id'],
      documentLoader,
    })
    expect(await theirsVerifies(ourDerived, createVerifyCryptosuite())).toBe(true)
  })
})

describe('certify-vc signs, Digital Bazaar verifies', () => {
  const recipient = {
    name: 'Ada Lovelace',
    did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    email: 'ada@example.org',
  }

  for (const curve of ['P-256', 'P-384'] as const) {
    it(`ecdsa-rdfc-2019 ${curve}: verifies with theirs; tampered fails`, async () => {
      const key = await generateIssuerKey({ type: curve })
      const signed = await issueCredential({ program: 'CAAE', key, recipient })
      expect(await theirsVerifies(signed, ecdsaRdfc2019)).toBe(true)
      expect(await theirsVerifies(tamper(signed), ecdsaRdfc2019)).toBe(false)
    })
  }

  it('ecdsa-sd-2023: our derived credential verifies with theirs, they derive from our base proof too', async () => {
    const key = await generateIssuerKey({ type: 'P-256' })
    const base = (await issueCredential({
      program: 'CAAE',
      key,
      suite: 'ecdsa-sd-2023',
      recipient,
    })) as unknown as Record<string, unknown>
    const derived = await deriveCredential(base, { selectivePointers: [], documentLoader })
    expect(await theirsVerifies(derived, createVerifyCryptosuite())).toBe(true)
    expect(await theirsVerifies(tamper(derived), createVerifyCryptosuite())).toBe(false)
    const theirDerived = await vc.derive({
      verifiableCredential: base,
      suite: new DataIntegrityProof({
        cryptosuite: createDiscloseCryptosuite({
          selectivePointers: ['/credentialSubject/identifier'],
        }),
      }),
      documentLoader,
    })
    const ours = await verifyCredential(theirDerived, { trustedIssuers: [key.did], status: false })
    expect(ours.problems).toEqual([])
    expect(ours.verified).toBe(true)
    expect(ours.credential.program?.code).toBe('CAAE')
  })
})
