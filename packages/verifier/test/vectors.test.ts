/**
 * W3C "Data Integrity EdDSA Cryptosuites v1.0" test vectors (w3c/vc-di-eddsa, TestVectors/,
 * vendored verbatim in test/vectors/vc-di-eddsa; see SOURCE.md there). The verifier must
 * verify the signed vectors and reject them when altered.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createDocumentLoader } from '@certify-vc/context'
import { canonize } from '@certify-vc/core'
import { describe, expect, it } from 'vitest'
import type { SuiteName } from '@certify-vc/core'
import { checkCredentialProofs } from '../src/checks/proof.js'
import { BROWSER_DEFAULTS, resolvePipelineOptions } from '../src/options.js'
import { VC_DI_EDDSA_VECTORS } from '../../../test/vectors/index.js'

const VECTORS = VC_DI_EDDSA_VECTORS

const read = (file: string) => readFileSync(join(VECTORS, file), 'utf8')
const json = (file: string) => JSON.parse(read(file)) as Record<string, unknown>
// The vectors use the examples context; it is served here for the test only.
const loader = createDocumentLoader({
  documents: {
    'https://www.w3.org/ns/credentials/examples/v2': {
      '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' },
    },
  },
})

/** The credential's proof and key-binding checks, with only `suite` accepted. */
function checkProofs(doc: Record<string, unknown>, issuerId: string | undefined, suite: SuiteName) {
  const options = resolvePipelineOptions(
    { trustedIssuers: [], suites: [suite], documentLoader: loader, status: false },
    BROWSER_DEFAULTS,
  )
  return checkCredentialProofs(doc, { issuerId }, options)
}

describe('W3C vc-di-eddsa test vectors', () => {
  const cases = [
    ['eddsa-rdfc-2022', 'eddsa-rdfc-2022/signedDataInt.json'],
    ['Ed25519Signature2020', 'Ed25519Signature2020/signedEdSig.json'],
  ] as const

  for (const [suite, file] of cases) {
    it(`${suite}: the signed vector verifies`, async () => {
      const doc = json(file)
      const vmDid = String((doc.proof as Record<string, unknown>).verificationMethod).split('#')[0]
      const r = await checkProofs(doc, vmDid, suite)
      expect(r.proof).toEqual({ id: 'proof', outcome: 'passed', problems: [] })
      expect(r.keyBinding.outcome).toBe('passed')
    })

    it(`${suite}: the vector's issuer (https://vc.example/…) does not control the did:key, so key binding fails`, async () => {
      const doc = json(file)
      const r = await checkProofs(doc, String(doc.issuer), suite)
      expect(r.proof.outcome).toBe('passed')
      expect(r.keyBinding.problems).toContainEqual(
        expect.objectContaining({ code: 'ERR_KEY_NOT_ISSUER' }),
      )
    })

    it(`${suite}: an altered vector fails with ERR_PROOF_INVALID`, async () => {
      const doc = json(file)
      ;(doc.credentialSubject as Record<string, unknown>).alumniOf = 'The School of Forgeries'
      const vmDid = String((doc.proof as Record<string, unknown>).verificationMethod).split('#')[0]
      const r = await checkProofs(doc, vmDid, suite)
      expect(r.proof.problems).toContainEqual(
        expect.objectContaining({ code: 'ERR_PROOF_INVALID' }),
      )
    })
  }

  it('eddsa-rdfc-2022: RDFC-1.0 canonical form of the unsigned document equals canonDocDataInt.txt', async () => {
    expect(await canonize(json('unsigned.json'), loader)).toBe(
      read('eddsa-rdfc-2022/canonDocDataInt.txt'),
    )
  })

  it('eddsa-rdfc-2022: canonical proof options equal proofCanonDataInt.txt', async () => {
    expect(await canonize(json('eddsa-rdfc-2022/proofConfigDataInt.json'), loader)).toBe(
      read('eddsa-rdfc-2022/proofCanonDataInt.txt'),
    )
  })
})
