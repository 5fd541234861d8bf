/**
 * Random status indices: the codec round-trips every in-range index and value, the strict index
 * parser accepts exactly the canonical base-10 strings, and through the verifier an index past
 * the list is ERR_STATUS_INDEX_OUT_OF_RANGE while a malformed one is ERR_STATUS_ENTRY_INVALID.
 */
import {
  MIN_STATUS_LIST_ENTRIES,
  createBitstring,
  decodeStatusList,
  encodeStatusList,
  getStatus,
  parseStatusListIndex,
  setStatus,
} from '@certify-vc/core'
import { createOfflineStatusListSource, verifyCredential } from '@certify-vc/verifier'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  NOW,
  listUrl,
  signWith,
  signedCredential,
  statusEntry,
  unsignedList,
} from '../attacks/build-fixtures.js'
import { attackKeys, type AttackKeys } from '../attacks/keys.js'
import { SEED, expectWellFormed, params, timeout } from './fuzz-helpers.js'

describe(`fuzz: status indices (seed ${SEED})`, () => {
  it(
    'setStatus / getStatus / encode / decode round-trip any in-range index and value',
    () => {
      fc.assert(
        fc.property(
          fc
            .integer({ min: 1, max: 8 })
            .chain((statusSize) =>
              fc.tuple(
                fc.constant(statusSize),
                fc.integer({ min: 1, max: 4096 }),
                fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
              ),
            ),
          ([statusSize, entries, writes]) => {
            const bits = createBitstring(entries, statusSize)
            const expected = new Map<number, number>()
            for (const [i, v] of writes) {
              const index = i % entries
              const value = v % 2 ** statusSize
              setStatus(bits, index, value, statusSize)
              expected.set(index, value)
            }
            const decoded = decodeStatusList(encodeStatusList(bits))
            expect(Buffer.from(decoded).equals(Buffer.from(bits))).toBe(true)
            for (const [index, value] of expected) {
              expect(getStatus(decoded, index, statusSize)).toBe(value)
            }
            // Past the end is a RangeError, never a silent 0.
            const capacity = Math.floor((bits.length * 8) / statusSize)
            expect(() => getStatus(decoded, capacity, statusSize)).toThrow(RangeError)
          },
        ),
        params(300),
      )
    },
    timeout(),
  )

  it(
    'parseStatusListIndex accepts exactly the canonical base-10 form of a safe integer',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.nat({ max: Number.MAX_SAFE_INTEGER }).map(String),
            fc.string({ maxLength: 20 }),
            fc.stringMatching(/^[-+ 0]?[0-9]{1,17}[a-z.e ]?$/),
            fc.integer().map((n) => n as unknown as string),
          ),
          (value) => {
            const parsed = parseStatusListIndex(value)
            const canonical =
              typeof value === 'string' &&
              /^(0|[1-9][0-9]*)$/.test(value) &&
              Number.isSafeInteger(Number(value))
            if (canonical) expect(parsed).toBe(Number(value))
            else expect(parsed).toBeUndefined()
          },
        ),
        params(500),
      )
    },
    timeout(),
  )

  describe('through the verifier', () => {
    let keys: AttackKeys
    let source: ReturnType<typeof createOfflineStatusListSource>
    const url = listUrl('fuzz-index')
    beforeAll(async () => {
      keys = await attackKeys()
      source = createOfflineStatusListSource([
        await signWith(unsignedList(keys, url, { set: [1, 4242] }), keys.institute),
      ])
    })

    const check = async (index: string) => {
      const vc = await signedCredential(keys, { status: statusEntry(url, index) })
      const r = await verifyCredential(vc, {
        trustedIssuers: [keys.institute.did],
        now: new Date(NOW),
        status: { source, cache: false },
      })
      expectWellFormed(r, 'credential')
      return r
    }

    it(
      'an index at or past the end of the list → status ERR_STATUS_INDEX_OUT_OF_RANGE',
      async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.nat({ max: Number.MAX_SAFE_INTEGER - MIN_STATUS_LIST_ENTRIES }),
            async (n) => {
              const r = await check(String(MIN_STATUS_LIST_ENTRIES + n))
              const status = r.checks.find((c) => c.id === 'status')
              expect(status?.problems.map((p) => p.code)).toEqual(['ERR_STATUS_INDEX_OUT_OF_RANGE'])
              expect(r.verified).toBe(false)
            },
          ),
          params(40),
        )
      },
      timeout(),
    )

    it(
      'a malformed index string → status ERR_STATUS_ENTRY_INVALID; a valid one reads its bit',
      async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              fc.stringMatching(/^[-+ 0][0-9]{1,6}$/),
              fc.stringMatching(/^[0-9]{1,5}[a-z. e]$/),
              fc.nat({ max: MIN_STATUS_LIST_ENTRIES - 1 }).map(String),
            ),
            async (index) => {
              const r = await check(index)
              const codes = r.checks.find((c) => c.id === 'status')?.problems.map((p) => p.code)
              if (parseStatusListIndex(index) === undefined) {
                expect(codes).toEqual(['ERR_STATUS_ENTRY_INVALID'])
              } else if (index === '1' || index === '4242') {
                expect(codes).toEqual(['ERR_STATUS_REVOKED'])
              } else {
                expect(r.problems).toEqual([])
                expect(r.verified).toBe(true)
              }
            },
          ),
          params(40),
        )
      },
      timeout(),
    )
  })
})
