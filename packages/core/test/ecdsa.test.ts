/**
 * ECDSA (P-256, P-384): the key and signature checks made before any library, and
 * ecdsa-rdfc-2019 signing and verification through the suite registry on both canonicalization
 * paths, with the W3C vc-di-ecdsa test vectors (vendored in test/vectors/vc-di-ecdsa, see its
 * SOURCE.md).
 */
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  CONTEXT_URLS,
  CertifyError,
  createDocumentLoader,
  decodePublicKeyMultibase,
  encodePublicKeyMultibase,
  resolveDidKey,
} from '@certify-vc/context'
import {
  canonize,
  createSuite,
  ecdsaPublicKeyProblem,
  ecdsaSignatureProblem,
  multikeyProblem,
  signDocument,
  toLowS,
  verifyDocumentProofs,
} from '@certify-vc/core'
import { cryptosuite as libraryRdfc } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite'
import { describe, expect, it } from 'vitest'
import { VC_DI_ECDSA_VECTORS } from '../../../test/vectors/index.js'
import { canonizeFast } from '../src/canonicalize/index.js'
import { ecdsaKey, signerOf } from './ecdsa-helpers.js'

const loader = createDocumentLoader({
  documents: {
    // The vectors use the examples context; it is served here for the test only (frozen, as the
    // fast path takes only deeply frozen contexts).
    'https://www.w3.org/ns/credentials/examples/v2': Object.freeze({
      '@context': Object.freeze({ '@vocab': 'https://www.w3.org/ns/credentials/examples#' }),
    }),
  },
})
const CURVES = [
  ['P-256', 'prime256v1', 'sha256', 32],
  ['P-384', 'secp384r1', 'sha384', 48],
] as const

/** A compressed point from a Node EC key (0x02 / 0x03 by the parity of y, then x). */
function compressed(namedCurve: string): Uint8Array {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve })
  const jwk = publicKey.export({ format: 'jwk' })
  const x = Buffer.from(String(jwk.x), 'base64url')
  const y = Buffer.from(String(jwk.y), 'base64url')
  return Uint8Array.from([(y.at(-1) ?? 0) % 2 === 0 ? 0x02 : 0x03, ...x])
}

function bytesOf(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}

/** An OB-like credential with blank nodes (the subject, the achievement's criteria …). */
const withBlankNodes = {
  '@context': [CONTEXT_URLS.credentialsV2, CONTEXT_URLS.openBadgesV3],
  id: 'urn:uuid:0b5e2a0e-6f57-4d0e-9b8f-0a1c7e1d2f3a',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: 'Blank nodes',
  issuer: { id: 'did:example:issuer', type: ['Profile'], name: 'Issuer' },
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: {
    type: ['AchievementSubject'],
    name: 'Ada',
    identifier: [
      { type: 'IdentityObject', identityHash: 'a', identityType: 'name', hashed: false },
      { type: 'IdentityObject', identityHash: 'b', identityType: 'name', hashed: false },
    ],
    achievement: {
      id: 'https://example.com/a',
      type: ['Achievement'],
      name: 'A',
      description: 'D',
      criteria: { narrative: 'N' },
    },
  },
}

describe('P-256 / P-384 public keys', () => {
  for (const [curve, namedCurve] of CURVES) {
    it(`${curve}: 20 keys made by OpenSSL are points on the curve, and round-trip as Multikeys`, () => {
      for (let i = 0; i < 20; i++) {
        const point = compressed(namedCurve)
        expect(ecdsaPublicKeyProblem(curve, point)).toBeUndefined()
        const multibase = encodePublicKeyMultibase(curve, point)
        expect(multibase.startsWith(curve === 'P-256' ? 'zDna' : 'z82L')).toBe(true)
        expect(decodePublicKeyMultibase(multibase)).toEqual({ type: curve, publicKey: point })
        expect(multikeyProblem(multibase)).toEqual({ type: curve })
      }
    })

    it(`${curve}: an x whose x³ − 3x + b is not a square, and an x ≥ p, are not points`, () => {
      const size = curve === 'P-256' ? 32 : 48
      let offCurve = 0
      for (let x = 1; x < 64; x++) {
        const point = new Uint8Array(size + 1)
        point[0] = 0x02
        point[size] = x
        if (ecdsaPublicKeyProblem(curve, point) !== undefined) offCurve++
      }
      // About half of all x are off the curve.
      expect(offCurve).toBeGreaterThan(10)
      const big = new Uint8Array(size + 1).fill(0xff)
      big[0] = 0x02
      expect(ecdsaPublicKeyProblem(curve, big)).toMatch(/not a point/)
      expect(ecdsaPublicKeyProblem(curve, new Uint8Array(size + 1))).toMatch(/compressed/)
    })
  }

  it('decodePublicKeyMultibase refuses other headers, lengths, uncompressed points and non-canonical spellings', () => {
    const point = compressed('prime256v1')
    const good = encodePublicKeyMultibase('P-256', point)
    const code = (f: () => unknown) => {
      try {
        f()
      } catch (error) {
        return error instanceof CertifyError ? error.code : 'other'
      }
      return undefined
    }
    const uncompressed = Uint8Array.from([0x80, 0x24, 0x04, ...new Uint8Array(64).fill(1)])
    const secretHeader = Uint8Array.from([0x86, 0x26, ...new Uint8Array(32).fill(1)])
    const p521 = Uint8Array.from([0x82, 0x24, 0x02, ...new Uint8Array(66).fill(1)])
    const short = Uint8Array.from([0x80, 0x24, ...point.subarray(0, 32)])
    const { base58btc } = { base58btc: { encode: (b: Uint8Array) => 'z' + base58(b) } }
    for (const bad of [uncompressed, secretHeader, p521, short]) {
      expect(code(() => decodePublicKeyMultibase(base58btc.encode(bad)))).toBe('ERR_KEY_INVALID')
    }
    expect(code(() => decodePublicKeyMultibase('u' + good.slice(1)))).toBe('ERR_KEY_INVALID')
    expect(code(() => encodePublicKeyMultibase('P-256', point.subarray(1)))).toBe('other')
    // A did:key of each curve resolves, with the key under assertionMethod.
    const doc = resolveDidKey(`did:key:${good}`)
    expect(doc).toMatchObject({ assertionMethod: [`did:key:${good}#${good}`] })
  })
})

/** base58btc without the multibase prefix (Bitcoin alphabet), for building bad keys. */
function base58(bytes: Uint8Array): string {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
  let n = 0n
  for (const b of bytes) n = (n << 8n) | BigInt(b)
  let out = ''
  while (n > 0n) {
    out = alphabet[Number(n % 58n)] + out
    n /= 58n
  }
  for (const b of bytes) {
    if (b !== 0) break
    out = '1' + out
  }
  return out
}

describe('P1363 signatures', () => {
  for (const [curve, namedCurve, hash, size] of CURVES) {
    it(`${curve}: lengths and ranges are checked; low S and high S both verify`, () => {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve })
      const data = Buffer.from('data')
      let sawHigh = false
      for (let i = 0; i < 16; i++) {
        const sig = new Uint8Array(
          nodeSign(hash, data, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
        )
        expect(ecdsaSignatureProblem(curve, sig)).toBeUndefined()
        const low = toLowS(curve, sig)
        if (Buffer.compare(Buffer.from(low), Buffer.from(sig)) !== 0) sawHigh = true
        for (const s of [sig, low]) {
          expect(nodeVerify(hash, data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, s)).toBe(
            true,
          )
          expect(ecdsaSignatureProblem(curve, s)).toBeUndefined()
        }
      }
      expect(sawHigh).toBe(true) // 16 signatures without one high S: 2^-16
      expect(ecdsaSignatureProblem(curve, new Uint8Array(2 * size - 1))).toMatch(/bytes/)
      expect(ecdsaSignatureProblem(curve, new Uint8Array(2 * size))).toMatch(/r is not/)
      const rOnly = new Uint8Array(2 * size)
      rOnly[0] = 1
      expect(ecdsaSignatureProblem(curve, rOnly)).toMatch(/s is not/)
      expect(ecdsaSignatureProblem(curve, new Uint8Array(2 * size).fill(0xff))).toMatch(/r is not/)
    })
  }
})

describe('ecdsa-rdfc-2019', () => {
  const doc = {
    '@context': [CONTEXT_URLS.credentialsV2],
    type: ['VerifiableCredential'],
    issuer: 'did:example:issuer',
    credentialSubject: { id: 'did:example:subject', name: 'Ada' },
  }
  const verify = (signed: object, canonicalization: 'fast' | 'reference' = 'fast') =>
    verifyDocumentProofs(signed, {
      suites: [createSuite('ecdsa-rdfc-2019', { canonicalization })],
      documentLoader: loader,
      purpose: { term: 'assertionMethod' },
    })

  for (const curve of ['P-256', 'P-384'] as const) {
    it(`${curve}: signs on each path and verifies on the other; tampering fails`, async () => {
      const { signer } = await ecdsaKey(curve)
      for (const [signPath, verifyPath] of [
        ['fast', 'reference'],
        ['reference', 'fast'],
      ] as const) {
        const signed = (await signDocument(withBlankNodes, {
          suite: createSuite('ecdsa-rdfc-2019', { signer, canonicalization: signPath }),
          documentLoader: loader,
        })) as Record<string, unknown> & { proof: Record<string, unknown> }
        expect(signed.proof).toMatchObject({
          type: 'DataIntegrityProof',
          cryptosuite: 'ecdsa-rdfc-2019',
          verificationMethod: signer.id,
        })
        expect(decodeProofValue(signed.proof.proofValue)).toHaveLength(curve === 'P-256' ? 64 : 96)
        expect((await verify(signed, verifyPath)).outcomes[0]).toMatchObject({ verified: true })
        const tampered = { ...signed, name: 'Other' }
        expect((await verify(tampered, verifyPath)).outcomes[0]).toMatchObject({
          verified: false,
          signatureValid: false,
        })
      }
    })

    it(`${curve}: a signature cut short or of the other curve's length is ERR_PROOF_MALFORMED`, async () => {
      const { signer } = await ecdsaKey(curve)
      const signed = (await signDocument(doc, {
        suite: createSuite('ecdsa-rdfc-2019', { signer }),
        documentLoader: loader,
      })) as Record<string, unknown> & { proof: Record<string, unknown> }
      const sig = decodeProofValue(signed.proof.proofValue)
      const other = curve === 'P-256' ? 96 : 64
      for (const bad of [sig.subarray(0, sig.length - 1), new Uint8Array(other).fill(1)]) {
        const r = await verify({
          ...signed,
          proof: { ...signed.proof, proofValue: 'z' + base58(bad) },
        })
        expect(r.outcomes[0]?.signatureError).toBeInstanceOf(CertifyError)
        expect((r.outcomes[0]?.signatureError as CertifyError).code).toBe('ERR_PROOF_MALFORMED')
      }
    })
  }

  it('createSuite refuses a signer of another key type', async () => {
    const ed = await signerOf('Ed25519')
    expect(() => createSuite('ecdsa-rdfc-2019', { signer: ed })).toThrow(TypeError)
    const p384 = await signerOf('P-384')
    expect(() => createSuite('ecdsa-sd-2023', { signer: p384 })).toThrow(TypeError)
    expect(() => createSuite('eddsa-rdfc-2022', { signer: p384 })).toThrow(TypeError)
  })

  it('an Ed25519 verification method given to the ECDSA suite is ERR_KEY_INVALID', async () => {
    const ed = await signerOf('Ed25519')
    const { signer } = await ecdsaKey('P-256')
    const signed = (await signDocument(doc, {
      suite: createSuite('ecdsa-rdfc-2019', { signer }),
      documentLoader: loader,
    })) as Record<string, unknown> & { proof: Record<string, unknown> }
    const forged = { ...signed, proof: { ...signed.proof, verificationMethod: ed.id } }
    const r = await verify(forged)
    expect((r.outcomes[0]?.signatureError as CertifyError).code).toBe('ERR_KEY_INVALID')
  })

  it("fast path: the canonical N-Quads with SHA-384 equal the library's, byte for byte", async () => {
    const sha384 = await canonizeFast(withBlankNodes, {
      documentLoader: loader,
      rdfDirection: 'i18n-datatype',
      messageDigestAlgorithm: 'SHA-384',
    })
    const library = await libraryRdfc.canonize(withBlankNodes, {
      documentLoader: loader,
      messageDigestAlgorithm: 'SHA-384',
    })
    expect(sha384).toBe(library)
    const sha256 = await canonize(withBlankNodes, loader)
    expect(sha256).toBe(
      await libraryRdfc.canonize(withBlankNodes, {
        documentLoader: loader,
        messageDigestAlgorithm: 'SHA-256',
      }),
    )
    // The blank node labels depend on the hash: with two IdentityObjects told apart only by
    // their hashes, SHA-384 orders (and so labels) them differently here.
    expect(String(sha384).split('\n').sort()).not.toEqual(sha256.split('\n').sort())
  })
})

function decodeProofValue(value: unknown): Uint8Array {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
  const text = String(value).slice(1)
  let n = 0n
  for (const c of text) n = n * 58n + BigInt(alphabet.indexOf(c))
  const bytes: number[] = []
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn))
    n >>= 8n
  }
  for (const c of text) {
    if (c !== '1') break
    bytes.unshift(0)
  }
  return Uint8Array.from(bytes)
}

describe('W3C vc-di-ecdsa test vectors (ecdsa-rdfc-2019)', () => {
  const read = (file: string) => readFileSync(join(VC_DI_ECDSA_VECTORS, file), 'utf8')
  const json = (file: string) => JSON.parse(read(file)) as Record<string, unknown>
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

  for (const [curve, folder, suffix] of [
    ['P-256', 'ecdsa-rdfc-2019-p256', 'ECDSAP256'],
    ['P-384', 'ecdsa-rdfc-2019-p384', 'ECDSAP384'],
  ] as const) {
    it(`${curve}: canonical document and proof options reproduce on both paths`, async () => {
      const unsigned = json('unsigned.json')
      const algorithm = curve === 'P-256' ? 'SHA-256' : 'SHA-384'
      for (const path of ['fast', 'reference'] as const) {
        const nquads =
          path === 'fast'
            ? await canonizeFast(unsigned, {
                documentLoader: loader,
                rdfDirection: 'i18n-datatype',
                messageDigestAlgorithm: algorithm,
              })
            : await libraryRdfc.canonize(unsigned, {
                documentLoader: loader,
                messageDigestAlgorithm: algorithm,
              })
        expect(nquads).toBe(read(`${folder}/canonDoc${suffix}.txt`))
      }
      const proofConfig = json(`${folder}/proofConfig${suffix}.json`)
      expect(
        await libraryRdfc.canonize(proofConfig, {
          documentLoader: loader,
          messageDigestAlgorithm: algorithm,
        }),
      ).toBe(read(`${folder}/proofCanon${suffix}.txt`))
    })

    it(`${curve}: the signed vector verifies, its signature is sigHex, and a changed claim fails`, async () => {
      const signed = json(`${folder}/signed${suffix}.json`)
      const proof = signed.proof as Record<string, unknown>
      expect(hex(decodeProofValue(proof.proofValue))).toBe(
        read(`${folder}/sigHex${suffix}.txt`).trim(),
      )
      for (const path of ['fast', 'reference'] as const) {
        expect(
          (
            await verifyDocumentProofs(signed, {
              suites: [createSuite('ecdsa-rdfc-2019', { canonicalization: path })],
              documentLoader: loader,
              purpose: { term: 'assertionMethod' },
            })
          ).outcomes[0],
        ).toMatchObject({ verified: true })
      }
      const altered = {
        ...signed,
        credentialSubject: { id: 'did:example:abcdefgh', alumniOf: 'The School of Forgeries' },
      }
      expect(
        (
          await verifyDocumentProofs(altered, {
            suites: [createSuite('ecdsa-rdfc-2019')],
            documentLoader: loader,
            purpose: { term: 'assertionMethod' },
          })
        ).outcomes[0],
      ).toMatchObject({ verified: false })
    })
  }

  it('the key pairs of the vectors pass the key check', () => {
    for (const file of ['p256KeyPair.json', 'p384KeyPair.json']) {
      const { publicKeyMultibase } = json(file)
      expect(multikeyProblem(String(publicKeyMultibase)).problem).toBeUndefined()
    }
  })

  it("combinedHash = proofHash ‖ docHash, each the curve's hash", () => {
    for (const [folder, suffix] of [
      ['ecdsa-rdfc-2019-p256', 'ECDSAP256'],
      ['ecdsa-rdfc-2019-p384', 'ECDSAP384'],
    ] as const) {
      const combined = read(`${folder}/combinedHash${suffix}.txt`).trim()
      const proofHash = read(`${folder}/proofHash${suffix}.txt`).trim()
      const docHash = read(`${folder}/docHash${suffix}.txt`).trim()
      expect(combined).toBe(proofHash + docHash)
      expect(bytesOf(docHash)).toHaveLength(folder.endsWith('p256') ? 32 : 48)
    }
  })
})
