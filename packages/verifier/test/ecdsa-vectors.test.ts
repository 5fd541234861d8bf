/**
 * W3C "Data Integrity ECDSA Cryptosuites v1.0" test vectors (w3c/vc-di-ecdsa, TestVectors/,
 * vendored verbatim in test/vectors/vc-di-ecdsa; see SOURCE.md there), through the verifier's
 * proof and key-binding checks: the signed ecdsa-rdfc-2019 vectors verify (P-256, P-384), a
 * changed claim or a cut signature fails, a wrong key type is refused by the key step.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createDocumentLoader } from '@certify-vc/context'
import type { SuiteName } from '@certify-vc/core'
import { describe, expect, it } from 'vitest'
import { checkCredentialProofs } from '../src/checks/proof.js'
import { BROWSER_DEFAULTS, resolvePipelineOptions } from '../src/options.js'
import { VC_DI_ECDSA_VECTORS } from '../../../test/vectors/index.js'

const json = (file: string) =>
  JSON.parse(readFileSync(join(VC_DI_ECDSA_VECTORS, file), 'utf8')) as Record<string, unknown>
// The vectors use the examples context; it is served here for the test only.
const loader = createDocumentLoader({
  documents: {
    'https://www.w3.org/ns/credentials/examples/v2': {
      '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' },
    },
  },
})

function checkProofs(doc: Record<string, unknown>, issuerId: string | undefined, suite: SuiteName) {
  const options = resolvePipelineOptions(
    { trustedIssuers: [], suites: [suite], documentLoader: loader, status: false },
    BROWSER_DEFAULTS,
  )
  return checkCredentialProofs(doc, { issuerId }, options)
}

const vmDid = (doc: Record<string, unknown>) =>
  String((doc.proof as Record<string, unknown>).verificationMethod).split('#')[0]

describe('W3C vc-di-ecdsa test vectors through the verifier', () => {
  for (const file of [
    'ecdsa-rdfc-2019-p256/signedECDSAP256.json',
    'ecdsa-rdfc-2019-p384/signedECDSAP384.json',
  ]) {
    it(`${file}: verifies; the vector's issuer does not control the did:key (ERR_KEY_NOT_ISSUER)`, async () => {
      const doc = json(file)
      const r = await checkProofs(doc, vmDid(doc), 'ecdsa-rdfc-2019')
      expect(r.proof).toEqual({ id: 'proof', outcome: 'passed', problems: [] })
      expect(r.keyBinding.outcome).toBe('passed')
      const asIssued = await checkProofs(doc, String(doc.issuer), 'ecdsa-rdfc-2019')
      expect(asIssued.keyBinding.problems).toContainEqual(
        expect.objectContaining({ code: 'ERR_KEY_NOT_ISSUER' }),
      )
    })

    it(`${file}: a changed claim is ERR_PROOF_INVALID; the last character cut is ERR_PROOF_MALFORMED`, async () => {
      const doc = json(file)
      ;(doc.credentialSubject as Record<string, unknown>).alumniOf = 'The School of Forgeries'
      const r = await checkProofs(doc, vmDid(doc), 'ecdsa-rdfc-2019')
      expect(r.proof.problems).toContainEqual(
        expect.objectContaining({ code: 'ERR_PROOF_INVALID' }),
      )
      const cut = json(file)
      const proof = cut.proof as Record<string, string>
      proof.proofValue = proof.proofValue?.slice(0, -1) ?? ''
      const c = await checkProofs(cut, vmDid(cut), 'ecdsa-rdfc-2019')
      expect(c.proof.problems).toContainEqual(
        expect.objectContaining({ code: 'ERR_PROOF_MALFORMED', path: '/proof/proofValue' }),
      )
    })

    it(`${file}: under an EdDSA-only allow-list it is ERR_PROOF_SUITE_NOT_ALLOWED`, async () => {
      const doc = json(file)
      const r = await checkProofs(doc, vmDid(doc), 'eddsa-rdfc-2022')
      expect(r.proof.problems).toContainEqual(
        expect.objectContaining({ code: 'ERR_PROOF_SUITE_NOT_ALLOWED' }),
      )
    })
  }

  it('an ECDSA proof naming an Ed25519 did:key is refused by the key step (ERR_KEY_INVALID)', async () => {
    const doc = json('ecdsa-rdfc-2019-p256/signedECDSAP256.json')
    const ed = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
    ;(doc.proof as Record<string, unknown>).verificationMethod = `${ed}#${ed.slice(8)}`
    const r = await checkProofs(doc, ed, 'ecdsa-rdfc-2019')
    expect(r.keyBinding.problems).toContainEqual(
      expect.objectContaining({ code: 'ERR_KEY_INVALID', path: '/proof/verificationMethod' }),
    )
    expect(r.proof.outcome).toBe('skipped')
  })

  it('a P-384 signature length on a P-256 key is ERR_PROOF_MALFORMED', async () => {
    const p256 = json('ecdsa-rdfc-2019-p256/signedECDSAP256.json')
    const p384 = json('ecdsa-rdfc-2019-p384/signedECDSAP384.json')
    ;(p256.proof as Record<string, unknown>).proofValue = (
      p384.proof as Record<string, unknown>
    ).proofValue
    const r = await checkProofs(p256, vmDid(p256), 'ecdsa-rdfc-2019')
    expect(r.proof.problems).toContainEqual(
      expect.objectContaining({ code: 'ERR_PROOF_MALFORMED', path: '/proof/proofValue' }),
    )
  })
})
