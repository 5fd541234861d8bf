import { gzipSync } from 'node:zlib'
import {
  MIN_STATUS_LIST_ENTRIES,
  createBitstring,
  decodeStatusList,
  encodeStatusList,
  getStatus,
  parseStatusListIndex,
  setStatus,
} from '@certify-vc/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url')

function codeOf(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return (error as { code?: unknown }).code ?? (error as Error).name
  }
  return 'did not throw'
}

describe('Bitstring Status List codec', () => {
  it('a new list has 131,072 entries (16 KiB), all zero', () => {
    const list = createBitstring()
    expect(list.length).toBe(16_384)
    expect(MIN_STATUS_LIST_ENTRIES).toBe(131_072)
    expect(list.every((b) => b === 0)).toBe(true)
  })

  it('index 0 is the most significant bit of the first byte (spec §bitstring encoding)', () => {
    const list = createBitstring(16)
    setStatus(list, 0, 1)
    expect(list[0]).toBe(0b1000_0000)
    setStatus(list, 9, 1)
    expect(list[1]).toBe(0b0100_0000)
    expect(getStatus(list, 0)).toBe(1)
    expect(getStatus(list, 1)).toBe(0)
    setStatus(list, 0, 0)
    expect(list[0]).toBe(0)
  })

  it('multi-bit statuses (statusSize 2)', () => {
    const list = createBitstring(8, 2)
    setStatus(list, 3, 0b10, 2)
    expect(getStatus(list, 3, 2)).toBe(2)
    expect(list[0]).toBe(0b0000_0010)
    expect(() => setStatus(list, 3, 4, 2)).toThrow(RangeError)
  })

  it('encode/decode round-trips and is interoperable with zlib gzip', () => {
    const list = createBitstring()
    setStatus(list, 94_567, 1)
    const encoded = encodeStatusList(list)
    expect(encoded.startsWith('u')).toBe(true)
    expect(encodeStatusList(list)).toBe(encoded) // deterministic
    expect(decodeStatusList(encoded)).toEqual(list)
    expect(decodeStatusList('u' + b64url(gzipSync(list)))).toEqual(list)
  })

  it('property: set bits read back, others stay zero, through encode/decode', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 131_071 }), { maxLength: 50 }),
        (indices) => {
          const list = createBitstring()
          for (const i of indices) setStatus(list, i, 1)
          const back = decodeStatusList(encodeStatusList(list))
          for (const i of indices) expect(getStatus(back, i)).toBe(1)
          expect(back.reduce((n, byte) => n + byte.toString(2).replaceAll('0', '').length, 0)).toBe(
            indices.length,
          )
        },
      ),
      { numRuns: 30 },
    )
  })

  it('refuses a gzip bomb while inflating (ERR_STATUS_LIST_TOO_LARGE)', () => {
    const bomb = 'u' + b64url(gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 }))
    expect(bomb.length).toBeLessThan(200_000)
    const start = process.memoryUsage().rss
    expect(codeOf(() => decodeStatusList(bomb))).toBe('ERR_STATUS_LIST_TOO_LARGE')
    expect(process.memoryUsage().rss - start).toBeLessThan(48 * 1024 * 1024)
    expect(
      codeOf(() =>
        decodeStatusList('u' + b64url(gzipSync(new Uint8Array(4096))), { maxBytes: 1024 }),
      ),
    ).toBe('ERR_STATUS_LIST_TOO_LARGE')
  })

  it.each([
    ['not multibase u', 'z' + b64url(gzipSync(new Uint8Array(16)))],
    [
      'plain base64 with padding',
      'u' + Buffer.from(gzipSync(new Uint8Array(16))).toString('base64'),
    ],
    ['not gzip', 'u' + b64url(new Uint8Array([1, 2, 3, 4]))],
    ['truncated gzip', 'u' + b64url(gzipSync(createBitstring()).subarray(0, 20))],
    ['a number', 42],
  ])('refuses %s (ERR_STATUS_LIST_INVALID)', (_name, value) => {
    expect(codeOf(() => decodeStatusList(value))).toBe('ERR_STATUS_LIST_INVALID')
  })

  it.each([
    ['0', 0],
    ['94567', 94_567],
    ['131071', 131_071],
  ])('parses statusListIndex %s', (text, n) => {
    expect(parseStatusListIndex(text)).toBe(n)
  })

  it.each([
    '12abc',
    '-1',
    '1e3',
    ' 7',
    '7 ',
    '0x10',
    '',
    '01',
    '+5',
    '1.0',
    '99999999999999999999',
    7,
    null,
  ])('refuses statusListIndex %j', (value) => {
    expect(parseStatusListIndex(value)).toBeUndefined()
  })

  it('rejects out-of-range reads and bad arguments', () => {
    const list = createBitstring(16)
    expect(() => getStatus(list, 16)).toThrow(RangeError)
    expect(() => getStatus(list, -1)).toThrow(RangeError)
    expect(() => createBitstring(0)).toThrow(TypeError)
    expect(() => encodeStatusList('x' as never)).toThrow(TypeError)
  })
})
