import { asArray, isPlainObject, pointer } from '@certify-vc/context'
import { describe, expect, it } from 'vitest'

describe('json helpers', () => {
  it('pointer escapes ~ and / (RFC 6901)', () => {
    expect(pointer('proof', 0, 'proofValue')).toBe('/proof/0/proofValue')
    expect(pointer('a/b', 'm~n')).toBe('/a~1b/m~0n')
    expect(pointer()).toBe('')
    expect(pointer('~/', '/~', '~01', 7, '')).toBe('/~0~1/~1~0/~001/7/')
    expect(pointer('plain', 'only~tilde', 'only/slash')).toBe('/plain/only~0tilde/only~1slash')
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
