import { base58btc } from 'multiformats/bases/base58'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeMultibaseBase58btc } from '../src/base58.js'

describe('decodeMultibaseBase58btc', () => {
  it('equals multiformats base58btc.decode, twice in a row and interleaved', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ maxLength: 80 }), (a, b) => {
        const ta = base58btc.encode(a)
        const tb = base58btc.encode(b)
        expect(decodeMultibaseBase58btc(ta)).toEqual(a)
        expect(decodeMultibaseBase58btc(ta)).toEqual(a)
        expect(decodeMultibaseBase58btc(tb)).toEqual(b)
        expect(decodeMultibaseBase58btc(ta)).toEqual(a)
      }),
      { numRuns: 200, seed: 20261129 },
    )
  })

  it('returns a fresh copy: changing one result does not change the next', () => {
    const text = base58btc.encode(new Uint8Array(64).fill(7))
    const first = decodeMultibaseBase58btc(text)
    first.fill(0)
    expect(decodeMultibaseBase58btc(text)).toEqual(new Uint8Array(64).fill(7))
  })

  it('throws as multiformats does, and a failure does not replace the remembered value', () => {
    const text = base58btc.encode(new Uint8Array([1, 2, 3]))
    expect(decodeMultibaseBase58btc(text)).toEqual(new Uint8Array([1, 2, 3]))
    for (const bad of ['', 'u' + text.slice(1), 'z0OIl', text + '0']) {
      expect(() => decodeMultibaseBase58btc(bad)).toThrow()
      expect(() => base58btc.decode(bad)).toThrow()
    }
    expect(decodeMultibaseBase58btc(text)).toEqual(new Uint8Array([1, 2, 3]))
  })
})
