import {
  CertifyError,
  encodeEd25519PublicKeyMultibase,
  decodeEd25519PublicKeyMultibase,
} from '@certify-vc/context'
import { ed25519PublicKeyProblem, ed25519SignatureProblem } from '@certify-vc/core'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { base58btc } from 'multiformats/bases/base58'
import { describe, expect, it } from 'vitest'
import { L, P, le, malleate } from './ed25519-helpers.js'

async function realSignature() {
  const key = await Ed25519Multikey.generate({ seed: new Uint8Array(32).fill(9) })
  const data = new TextEncoder().encode('certify-vc')
  const signature = await key.signer().sign({ data })
  return { key, data, signature }
}

describe('ed25519SignatureProblem', () => {
  it('accepts a real signature', async () => {
    const { signature } = await realSignature()
    expect(ed25519SignatureProblem(signature)).toBeUndefined()
  })

  it('refuses S + L (the malleated twin), S = L, and R not canonical', async () => {
    const { signature } = await realSignature()
    expect(ed25519SignatureProblem(malleate(signature))).toMatch(/S value/)
    const sEqualsL = Uint8Array.from(signature)
    sEqualsL.set(le(L), 32)
    expect(ed25519SignatureProblem(sEqualsL)).toMatch(/S value/)
    const badR = Uint8Array.from(signature)
    badR.set(le(P + 1n), 0)
    expect(ed25519SignatureProblem(badR)).toMatch(/R value/)
    const maxS = Uint8Array.from(signature)
    maxS.set(le(L - 1n), 32)
    expect(ed25519SignatureProblem(maxS)).toBeUndefined()
  })

  it('refuses wrong lengths', () => {
    expect(ed25519SignatureProblem(new Uint8Array(63))).toMatch(/64 bytes/)
    expect(ed25519SignatureProblem(new Uint8Array(65))).toMatch(/64 bytes/)
  })
})

describe('ed25519PublicKeyProblem', () => {
  it('accepts real keys', async () => {
    for (let seed = 1; seed < 6; seed++) {
      const key = await Ed25519Multikey.generate({ seed: new Uint8Array(32).fill(seed) })
      const raw = decodeEd25519PublicKeyMultibase(key.publicKeyMultibase)
      expect(ed25519PublicKeyProblem(raw)).toBeUndefined()
    }
  })

  // The 8 torsion points: y = 1 (identity), y = p - 1 (order 2), y = 0 (order 4, both signs),
  // and the order-8 points (libsodium's blocklist), plus their other sign.
  const y8 = 2707385501144840649318225287225658788936804267575313519463743609750303402022n
  const small: [string, Uint8Array][] = [
    ['identity (y = 1)', le(1n)],
    ['order 2 (y = p - 1)', le(P - 1n)],
    ['order 4 (y = 0)', le(0n)],
    ['order 4 (y = 0, sign 1)', le(0n | (1n << 255n))],
    ['order 8', le(y8)],
    ['order 8, other sign', le(y8 | (1n << 255n))],
    ['order 8, p - y', le(P - y8)],
    ['order 8, p - y, other sign', le((P - y8) | (1n << 255n))],
  ]
  it.each(small)('refuses a small-order key: %s', (_name, key) => {
    const why = ed25519PublicKeyProblem(key)
    // y = 0 with the sign bit set has x = 0 and sign 1: not a valid encoding at all.
    expect(why).toMatch(/small-order|not a point/)
  })

  it.each([
    ['y = p', le(P)],
    ['y = p + 1 (the identity, non-canonically)', le(P + 1n)],
    ['y = 2^255 - 1', le(2n ** 255n - 1n)],
  ])('refuses a non-canonical key: %s', (_name, key) => {
    expect(ed25519PublicKeyProblem(key)).toMatch(/not a canonical encoding/)
  })

  it('refuses a y with no curve point, and wrong lengths', () => {
    // y = 2: (y² - 1) / (d y² + 1) is not a square mod p.
    expect(ed25519PublicKeyProblem(le(2n))).toMatch(/not a point/)
    expect(ed25519PublicKeyProblem(new Uint8Array(31))).toMatch(/32 bytes/)
  })
})

describe('decodeEd25519PublicKeyMultibase is strict', () => {
  it('needs the exact 0xed01 header, 32 bytes and base58btc', () => {
    const good = encodeEd25519PublicKeyMultibase(le(9n))
    expect(decodeEd25519PublicKeyMultibase(good)).toEqual(le(9n))
    const withHeader = (header: number[], key: Uint8Array) =>
      base58btc.encode(Uint8Array.from([...header, ...key]))
    for (const bad of [
      withHeader([0xed], le(9n)), // header cut short
      withHeader([0xed, 0x02], le(9n)), // another varint
      withHeader([0xec, 0x01], le(9n)), // x25519
      withHeader([0xed, 0x01], le(9n, 31)), // short key
      withHeader([0xed, 0x01, 0x00], le(9n)), // long key
      'u7QE' + 'A'.repeat(43), // base64url
      good.slice(1), // no multibase prefix
    ]) {
      expect(() => decodeEd25519PublicKeyMultibase(bad)).toThrow(CertifyError)
    }
  })
})
