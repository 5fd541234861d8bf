/**
 * Issuer → holder → verifier with the ECDSA suites (vc-di-ecdsa), through the one pipeline
 * under the institute profile:
 * - ecdsa-rdfc-2019 with P-256 and P-384 Institute keys, every program;
 * - ecdsa-sd-2023: the Institute signs a base proof (the program's mandatory pointers), the holder
 *   derives a credential that discloses only what they choose, the verifier checks the derived
 *   proof and shows what was disclosed. Adding a withheld member back, or changing a disclosed
 *   one, breaks the proof; the base proof itself is refused (it is the holder's).
 */
import { PROGRAM_CODES, createDocumentLoader } from '@certify-vc/context'
import { deriveCredential, topLevelPointers } from '@certify-vc/core'
import { generateIssuerKey, issueCredential, type IssuerKey } from '@certify-vc/issuer'
import { verifyCredential, type VerifyCredentialResult } from '@certify-vc/verifier'
import { beforeAll, describe, expect, it } from 'vitest'

const HOLDER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
const documentLoader = createDocumentLoader()
let p256: IssuerKey
let p384: IssuerKey
beforeAll(async () => {
  p256 = await generateIssuerKey({ type: 'P-256' })
  p384 = await generateIssuerKey({ type: 'P-384' })
})

const codes = (r: VerifyCredentialResult) => r.problems.map((p) => p.code)
const check = (r: VerifyCredentialResult, id: string) => r.checks.find((c) => c.id === id)

describe('ecdsa-rdfc-2019 issuer → verifier (institute profile)', () => {
  for (const curve of ['P-256', 'P-384'] as const) {
    for (const program of PROGRAM_CODES) {
      it(`${program} signed with a ${curve} key verifies; a changed claim fails`, async () => {
        const key = curve === 'P-256' ? p256 : p384
        const vc = await issueCredential({
          program,
          key,
          recipient: { name: 'Ada Lovelace', did: HOLDER },
        })
        const r = await verifyCredential(vc, { trustedIssuers: [key.did] })
        expect(r.problems).toEqual([])
        expect(r.verified).toBe(true)
        expect(r.credential.program?.code).toBe(program)
        expect(r.credential.disclosed).toBeUndefined()
        const tampered = structuredClone(vc) as unknown as Record<string, Record<string, unknown>>
        ;(tampered.credentialSubject as Record<string, unknown>).name = 'Eve'
        const t = await verifyCredential(tampered, { trustedIssuers: [key.did] })
        expect(t.verified).toBe(false)
        expect(check(t, 'proof')?.problems).toContainEqual(
          expect.objectContaining({ code: 'ERR_PROOF_INVALID' }),
        )
      })
    }
  }
})

describe('ecdsa-sd-2023: selective disclosure', () => {
  async function caaeBase() {
    return (await issueCredential({
      program: 'CAAE',
      key: p256,
      suite: 'ecdsa-sd-2023',
      recipient: { name: 'Ada Lovelace', did: HOLDER, email: 'ada@example.org' },
    })) as unknown as Record<string, unknown>
  }

  it('a derived CAAE credential hiding the email identityHash verifies and says what it discloses', async () => {
    const base = await caaeBase()
    const derived = await deriveCredential(base, { selectivePointers: [], documentLoader })
    const subject = derived.credentialSubject as Record<string, unknown>
    expect(subject.identifier).toBeUndefined()
    expect(subject).toMatchObject({ id: HOLDER, name: 'Ada Lovelace' })
    const r = await verifyCredential(derived, { trustedIssuers: [p256.did] })
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
    expect(r.credential.program?.code).toBe('CAAE')
    const disclosed = r.credential.disclosed ?? []
    expect(disclosed).toContain('/credentialSubject/name')
    expect(disclosed).toContain('/credentialSubject/achievement/id')
    expect(disclosed.some((p) => p.startsWith('/credentialSubject/identifier'))).toBe(false)
    // Plain JSON.
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })

  it('adding the withheld identifier back fails with ERR_PROOF_INVALID', async () => {
    const base = await caaeBase()
    const derived = await deriveCredential(base, { selectivePointers: [], documentLoader })
    ;(derived.credentialSubject as Record<string, unknown>).identifier = structuredClone(
      (base.credentialSubject as Record<string, unknown>).identifier,
    )
    const r = await verifyCredential(derived, { trustedIssuers: [p256.did] })
    expect(r.verified).toBe(false)
    expect(check(r, 'proof')?.outcome).toBe('failed')
    expect(codes(r)).toContain('ERR_PROOF_INVALID')
  })

  it('changing a disclosed member fails with ERR_PROOF_INVALID', async () => {
    const base = await caaeBase()
    const derived = await deriveCredential(base, {
      selectivePointers: ['/credentialSubject/identifier'],
      documentLoader,
    })
    expect((await verifyCredential(derived, { trustedIssuers: [p256.did] })).verified).toBe(true)
    ;(derived.credentialSubject as Record<string, unknown>).name = 'Eve Mallory'
    const r = await verifyCredential(derived, { trustedIssuers: [p256.did] })
    expect(r.verified).toBe(false)
    expect(codes(r)).toContain('ERR_PROOF_INVALID')
  })

  it('the base proof presented to a verifier is ERR_PROOF_BASE_NOT_DERIVED', async () => {
    const r = await verifyCredential(await caaeBase(), { trustedIssuers: [p256.did] })
    expect(r.verified).toBe(false)
    expect(check(r, 'proof')?.problems).toEqual([
      expect.objectContaining({ code: 'ERR_PROOF_BASE_NOT_DERIVED', path: '/proof/proofValue' }),
    ])
  })

  it('an AIDA learner may withhold their name; disclosing everything also verifies', async () => {
    const base = (await issueCredential({
      program: 'AIDA',
      key: p256,
      suite: 'ecdsa-sd-2023',
      recipient: { name: 'Ada Lovelace', did: HOLDER },
    })) as unknown as Record<string, unknown>
    const anonymous = await deriveCredential(base, { selectivePointers: [], documentLoader })
    expect((anonymous.credentialSubject as Record<string, unknown>).name).toBeUndefined()
    const r = await verifyCredential(anonymous, { trustedIssuers: [p256.did] })
    expect(r.verified).toBe(true)
    expect(r.credential.subject).toEqual({ id: HOLDER })
    const all = await deriveCredential(base, {
      selectivePointers: topLevelPointers(base),
      documentLoader,
    })
    const { proof: _derivedProof, ...shown } = all
    const { proof: _baseProof, ...signed } = base
    expect(shown).toEqual(signed)
    expect((await verifyCredential(all, { trustedIssuers: [p256.did] })).verified).toBe(true)
  })

  it('a pointer that names nothing is ERR_DISCLOSURE_POINTER_INVALID', async () => {
    const base = await caaeBase()
    await expect(
      deriveCredential(base, { selectivePointers: ['/credentialSubject/nope'], documentLoader }),
    ).rejects.toMatchObject({ code: 'ERR_DISCLOSURE_POINTER_INVALID' })
    await expect(
      deriveCredential(base, { selectivePointers: ['credentialSubject'], documentLoader }),
    ).rejects.toMatchObject({ code: 'ERR_DISCLOSURE_POINTER_INVALID' })
  })
})
