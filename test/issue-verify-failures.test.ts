/**
 * Credentials from the real issuer, altered the ways the first-slice issue lists. Each test
 * asserts the exact failing check and error code, never just `verified: false`.
 */
import { CATALOG, createDocumentLoader } from '@certify-vc/context'
import { createSuite, signDocument } from '@certify-vc/core'
import {
  buildCredential,
  generateIssuerKey,
  issueCredential,
  signCredential,
  type IssuerKey,
} from '@certify-vc/issuer'
import { verifyCredential, type VerifyCredentialResult } from '@certify-vc/verifier'
import { beforeAll, describe, expect, it } from 'vitest'

let institute: IssuerKey
let impostor: IssuerKey
const NOW = new Date('2026-11-29T12:00:00Z')
const opts = () => ({ trustedIssuers: [institute.did], now: NOW })

function failsWith(result: VerifyCredentialResult, checkId: string, code: string, path?: string) {
  expect(result.verified).toBe(false)
  const check = result.checks.find((c) => c.id === checkId)
  expect(check?.outcome).toBe('failed')
  expect(check?.problems).toContainEqual(
    expect.objectContaining(path === undefined ? { code } : { code, path }),
  )
}

const issue = (overrides: Partial<Parameters<typeof issueCredential>[0]> = {}) =>
  issueCredential({
    program: 'AIDA',
    key: institute,
    recipient: { name: 'Ada Lovelace' },
    now: NOW,
    validFrom: new Date('2026-11-01T00:00:00Z'),
    ...overrides,
  })

beforeAll(async () => {
  institute = await generateIssuerKey()
  impostor = await generateIssuerKey()
})

describe('issued credentials that must not verify', () => {
  it('tampered claim → proof ERR_PROOF_INVALID', async () => {
    const vc = structuredClone(await issue())
    vc.credentialSubject.name = 'Mallory'
    failsWith(await verifyCredential(vc, opts()), 'proof', 'ERR_PROOF_INVALID', '/proof/proofValue')
  })

  it('tampered program (AIDA upgraded to CAAE text) → proof ERR_PROOF_INVALID', async () => {
    const vc = structuredClone(await issue())
    vc.credentialSubject.achievement = {
      ...vc.credentialSubject.achievement,
      name: CATALOG.programs.CAAE.name,
    }
    failsWith(await verifyCredential(vc, opts()), 'proof', 'ERR_PROOF_INVALID')
  })

  it('added undefined field → contexts ERR_JSONLD_UNDEFINED_TERM', async () => {
    const vc = { ...(await issue()), honours: 'summa cum laude' }
    failsWith(
      await verifyCredential(vc, opts()),
      'contexts',
      'ERR_JSONLD_UNDEFINED_TERM',
      '/honours',
    )
  })

  it('swapped verification method → key-binding ERR_KEY_NOT_ISSUER', async () => {
    const vc = structuredClone(await issue())
    const proof = vc.proof as { verificationMethod: string }
    proof.verificationMethod = impostor.verificationMethodId
    failsWith(
      await verifyCredential(vc, opts()),
      'key-binding',
      'ERR_KEY_NOT_ISSUER',
      '/proof/verificationMethod',
    )
  })

  it('foreign issuer with a valid signature → issuer-trust ERR_ISSUER_UNTRUSTED', async () => {
    const vc = await issueCredential({
      program: 'CAAE',
      key: impostor,
      recipient: { name: 'Ada Lovelace' },
      now: NOW,
    })
    const r = await verifyCredential(vc, opts())
    failsWith(r, 'issuer-trust', 'ERR_ISSUER_UNTRUSTED', '/issuer')
    expect(r.checks.find((c) => c.id === 'proof')?.outcome).toBe('passed')
  })

  it("impostor copies the Institute's DID as issuer but signs with its own key → ERR_KEY_NOT_ISSUER", async () => {
    const unsigned = buildCredential({
      program: 'CAAE',
      recipient: { name: 'Ada' },
      issuerDid: institute.did,
      now: NOW,
    })
    // Signed at NOW: a proof created after the verification time is refused on its own.
    const vc = await signCredential(unsigned, { key: impostor, created: NOW })
    failsWith(await verifyCredential(vc, opts()), 'key-binding', 'ERR_KEY_NOT_ISSUER')
  })

  it("CAAE-looking credential whose achievement id is AIDA's → program ERR_PROGRAM_MISMATCH", async () => {
    const unsigned = buildCredential({
      program: 'CAAE',
      recipient: { name: 'Ada' },
      issuerDid: institute.did,
      now: NOW,
    })
    unsigned.credentialSubject.achievement.id = CATALOG.programs.AIDA.achievementId
    const vc = await signCredential(unsigned, { key: institute, created: NOW })
    const r = await verifyCredential(vc, opts())
    failsWith(r, 'program', 'ERR_PROGRAM_MISMATCH')
    expect(r.credential.program).toBeUndefined()
  })

  it('expired → validity ERR_VALIDITY_EXPIRED', async () => {
    const unsigned = buildCredential({
      program: 'AIMA',
      recipient: { name: 'Ada' },
      issuerDid: institute.did,
      now: NOW,
      validFrom: new Date('2024-01-01T00:00:00Z'),
    })
    // Signed while it was valid: a proof created after validUntil is refused on its own.
    const expiring = await signCredential(
      { ...unsigned, validUntil: '2025-01-01T00:00:00Z' },
      { key: institute, created: '2024-06-01T00:00:00Z' },
    )
    failsWith(
      await verifyCredential(expiring, opts()),
      'validity',
      'ERR_VALIDITY_EXPIRED',
      '/validUntil',
    )
  })

  it('not yet valid → validity ERR_VALIDITY_NOT_YET_VALID', async () => {
    const vc = await issue({ validFrom: new Date('2027-01-01T00:00:00Z') })
    failsWith(
      await verifyCredential(vc, opts()),
      'validity',
      'ERR_VALIDITY_NOT_YET_VALID',
      '/validFrom',
    )
  })

  it('wrong proofPurpose → proof ERR_PROOF_PURPOSE', async () => {
    const unsigned = buildCredential({
      program: 'AIDA',
      recipient: { name: 'Ada' },
      issuerDid: institute.did,
      now: NOW,
    })
    const vc = await signDocument(unsigned, {
      suite: createSuite('eddsa-rdfc-2022', { signer: institute.signer() }),
      documentLoader: createDocumentLoader(),
      purpose: { term: 'authentication', challenge: 'c-1', domain: 'example.org' },
    })
    failsWith(
      await verifyCredential(vc, opts()),
      'proof',
      'ERR_PROOF_PURPOSE',
      '/proof/proofPurpose',
    )
  })

  it('unknown context URL → contexts ERR_CONTEXT_UNKNOWN', async () => {
    const vc = structuredClone(await issue())
    vc['@context'] = [...vc['@context'], 'https://attacker.example/context.jsonld']
    failsWith(await verifyCredential(vc, opts()), 'contexts', 'ERR_CONTEXT_UNKNOWN', '/@context/3')
  })

  it('proof removed → proof ERR_PROOF_MISSING', async () => {
    const { proof: _proof, ...vc } = await issue()
    failsWith(await verifyCredential(vc, opts()), 'proof', 'ERR_PROOF_MISSING')
  })
})
