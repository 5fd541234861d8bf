import { asArray, isPlainObject, pointer } from '@certify-vc/context'
import { describe, expect, it } from 'vitest'

describe('json helpers', () => {
  it('pointer escapes ~ and / (RFC 6901)', () => {
    expect(pointer('proof', 0, 'proofValue')).toBe('/proof/0/proofValue')
    expect(pointer('a/b', 'm~n')).toBe('/a~1b/m~0n')
    expect(pointer()).toBe('')
  })
  it('asArray', () => {
    expect(asArray(undefined)).toEqual([])
    expect(asArray('x')).toEqual(['x'])
    expect(asArray(['x', 'y'])).toEqual(['x', 'y'])
    expect(asArray(null)).toEqual([null])
  })
  it('isPlainObject', () => {
    expect(isPlainObject({})).toBe(true)
    for (const v of [null, [], 'x', 1, undefined]) expect(isPlainObject(v)).toBe(false)
  })
})
