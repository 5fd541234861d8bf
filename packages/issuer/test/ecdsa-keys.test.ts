/**
 * ECDSA issuer keys (P-256, P-384): generation, key files (mode 0600, the secret never shown),
 * strict import, signing (raw r‖s, low S), and issuing with ecdsa-rdfc-2019 and ecdsa-sd-2023
 * (the base proof carries the program's mandatory pointers).
 */
import { createPublicKey, verify } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { CertifyError, createDocumentLoader, decodePublicKeyMultibase } from '@certify-vc/context'
import { createSuite, ecdsaSignatureProblem, toLowS, verifyDocumentProofs } from '@certify-vc/core'
import { describe, expect, it } from 'vitest'
import {
  SD_MANDATORY_POINTERS,
  exportIssuerKeyFile,
  generateIssuerKey,
  importIssuerKey,
  issueCredential,
  loadIssuerKey,
  mandatoryPointersFor,
  saveIssuerKey,
  signCredential,
} from '../src/index.js'
import { posix, tempDir } from './helpers.js'

const loader = createDocumentLoader()
const CURVES = ['P-256', 'P-384'] as const

/** Verifies an ECDSA P1363 signature with Node, from the key's compressed point. */
function verifyWith(publicKeyMultibase: string, data: Uint8Array, signature: Uint8Array) {
  const { type, publicKey } = decodePublicKeyMultibase(publicKeyMultibase)
  const header =
    type === 'P-256'
      ? '3039301306072a8648ce3d020106082a8648ce3d030107032200'
      : '3046301006072a8648ce3d020106052b81040022033200'
  const key = createPublicKey({
    key: Buffer.concat([Buffer.from(header, 'hex'), publicKey]),
    format: 'der',
    type: 'spki',
  })
  return verify(
    type === 'P-256' ? 'sha256' : 'sha384',
    data,
    { key, dsaEncoding: 'ieee-p1363' },
    signature,
  )
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(CertifyError)
  expect((error as CertifyError).code).toBe(code)
}

describe('ECDSA issuer keys', () => {
  for (const curve of CURVES) {
    it(`${curve}: a did:key whose signer signs raw r‖s in low-S form`, async () => {
      const key = await generateIssuerKey({ type: curve })
      expect(key.keyType).toBe(curve)
      expect(key.publicKeyMultibase).toMatch(curve === 'P-256' ? /^zDna/ : /^z82L/)
      expect(key.did).toBe(`did:key:${key.publicKeyMultibase}`)
      const signer = key.signer()
      expect(signer).toMatchObject({ id: key.verificationMethodId, algorithm: curve })
      const data = new TextEncoder().encode('hello')
      for (let i = 0; i < 8; i++) {
        const signature = await signer.sign({ data })
        expect(signature).toHaveLength(curve === 'P-256' ? 64 : 96)
        expect(ecdsaSignatureProblem(curve, signature)).toBeUndefined()
        expect(toLowS(curve, signature)).toEqual(signature)
        expect(verifyWith(key.publicKeyMultibase, data, signature)).toBe(true)
      }
    })

    it(`${curve}: the key file is mode 0600, round-trips, and the secret is never shown`, async () => {
      const { dir, cleanup } = await tempDir()
      const key = await generateIssuerKey({ type: curve })
      const path = join(dir, 'key.json')
      await saveIssuerKey(path, key)
      if (posix) expect((await stat(path)).mode & 0o777).toBe(0o600)
      const file = exportIssuerKeyFile(key)
      expect(file.secretKeyMultibase).toMatch(/^z/)
      const loaded = await loadIssuerKey(path)
      expect(loaded.did).toBe(key.did)
      expect(loaded.keyType).toBe(curve)
      for (const shown of [
        JSON.stringify(key),
        inspect(key),
        (key as unknown as { toString(): string }).toString(),
      ]) {
        expect(shown).not.toContain(file.secretKeyMultibase)
      }
      await cleanup()
    })
  }

  it('refuses a secret key of another curve, of another key, or of the wrong length', async () => {
    const p256 = exportIssuerKeyFile(await generateIssuerKey({ type: 'P-256' }))
    const other = exportIssuerKeyFile(await generateIssuerKey({ type: 'P-256' }))
    const p384 = exportIssuerKeyFile(await generateIssuerKey({ type: 'P-384' }))
    const ed = exportIssuerKeyFile(await generateIssuerKey())
    const pair = (publicKeyMultibase: string, secretKeyMultibase: string) =>
      importIssuerKey({ type: 'Multikey', publicKeyMultibase, secretKeyMultibase })
    await rejectsWithCode(pair(p256.publicKeyMultibase, p384.secretKeyMultibase), 'ERR_KEY_INVALID')
    await rejectsWithCode(
      pair(p256.publicKeyMultibase, other.secretKeyMultibase),
      'ERR_KEY_INVALID',
    )
    await rejectsWithCode(pair(p256.publicKeyMultibase, ed.secretKeyMultibase), 'ERR_KEY_INVALID')
    await rejectsWithCode(pair(ed.publicKeyMultibase, p256.secretKeyMultibase), 'ERR_KEY_INVALID')
    await rejectsWithCode(
      pair(p256.publicKeyMultibase, p256.secretKeyMultibase.slice(0, -2)),
      'ERR_KEY_INVALID',
    )
    expect((await pair(p256.publicKeyMultibase, p256.secretKeyMultibase)).did).toBe(
      `did:key:${p256.publicKeyMultibase}`,
    )
  })

  it('refuses bad options with TypeError', async () => {
    await expect(generateIssuerKey({ type: 'P-521' as never })).rejects.toThrow(TypeError)
    await expect(generateIssuerKey({ type: 'P-256', seed: new Uint8Array(32) })).rejects.toThrow(
      TypeError,
    )
  })
})

describe('issuing with ECDSA keys', () => {
  const verifyOne = async (signed: object, suite: 'ecdsa-rdfc-2019') =>
    (
      await verifyDocumentProofs(signed, {
        suites: [createSuite(suite)],
        documentLoader: loader,
        purpose: { term: 'assertionMethod' },
      })
    ).outcomes[0]

  for (const curve of CURVES) {
    it(`${curve}: issueCredential defaults to ecdsa-rdfc-2019, which verifies`, async () => {
      const key = await generateIssuerKey({ type: curve })
      const vc = await issueCredential({
        program: 'AIDA',
        recipient: {
          name: 'Ada Lovelace',
          did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
        },
        key,
      })
      expect(vc.proof).toMatchObject({
        cryptosuite: 'ecdsa-rdfc-2019',
        verificationMethod: key.verificationMethodId,
      })
      expect(await verifyOne(vc, 'ecdsa-rdfc-2019')).toMatchObject({ verified: true })
    })
  }

  it('refuses a suite the key or the format cannot take', async () => {
    const p384 = await generateIssuerKey({ type: 'P-384' })
    const ed = await generateIssuerKey()
    const base = { program: 'AIDA', recipient: { name: 'Ada' } } as const
    await expect(issueCredential({ ...base, key: p384, suite: 'ecdsa-sd-2023' })).rejects.toThrow(
      TypeError,
    )
    await expect(issueCredential({ ...base, key: ed, suite: 'ecdsa-rdfc-2019' })).rejects.toThrow(
      TypeError,
    )
    await expect(issueCredential({ ...base, key: p384, format: 'vc1.1' })).rejects.toThrow(
      TypeError,
    )
    await expect(
      issueCredential({ ...base, key: ed, suite: 'eddsa-jcs-2022' as never }),
    ).rejects.toThrow(TypeError)
  })

  it("ecdsa-sd-2023: the base proof carries the program's mandatory pointers", async () => {
    const key = await generateIssuerKey({ type: 'P-256' })
    const did = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
    const vc = await issueCredential({
      program: 'CAAE',
      recipient: { name: 'Ada Lovelace', did, email: 'ada@example.org' },
      key,
      suite: 'ecdsa-sd-2023',
    })
    const proof = vc.proof as unknown as Record<string, string>
    expect(proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'ecdsa-sd-2023' })
    expect(proof.proofValue?.startsWith('u2V0A')).toBe(true) // 0xd9 0x5d 0x00: a base proof
    const pointers = mandatoryPointersFor(vc as unknown as Record<string, unknown>, 'CAAE')
    expect(pointers).toContain('/credentialSubject/name')
    expect(pointers).toContain('/credentialSubject/id')
    expect(pointers).not.toContain('/credentialSubject/identifier')
    expect(SD_MANDATORY_POINTERS.AIDA).not.toContain('/credentialSubject/name')
    // Without a DID the identifier is mandatory: OB 3.0 needs an id or an identifier.
    const emailOnly = await issueCredential({
      program: 'AIDA',
      recipient: { email: 'ada@example.org' },
      key,
      suite: 'ecdsa-sd-2023',
    })
    expect(mandatoryPointersFor(emailOnly as unknown as Record<string, unknown>, 'AIDA')).toContain(
      '/credentialSubject/identifier',
    )
  })

  it('signCredential with ecdsa-sd-2023 refuses a mandatory pointer that names nothing', async () => {
    const key = await generateIssuerKey({ type: 'P-256' })
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential'],
      issuer: key.did,
      credentialSubject: { id: 'did:example:1', name: 'Ada' },
    }
    await rejectsWithCode(
      signCredential(credential, {
        key,
        suite: 'ecdsa-sd-2023',
        mandatoryPointers: ['/credentialSubject/invalidPointer'],
      }),
      'ERR_DISCLOSURE_POINTER_INVALID',
    )
    await expect(
      signCredential(credential, { key, mandatoryPointers: ['/issuer'] }),
    ).rejects.toThrow(TypeError)
    const signed = await signCredential(credential, {
      key,
      suite: 'ecdsa-sd-2023',
      mandatoryPointers: ['/issuer'],
    })
    expect(signed.proof.cryptosuite).toBe('ecdsa-sd-2023')
  })
})
