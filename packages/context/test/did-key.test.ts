import {
  decodeEd25519PublicKeyMultibase,
  didKeyFromPublicKeyMultibase,
  encodeEd25519PublicKeyMultibase,
  resolveDidKey,
} from '@certify-vc/context'
import { describe, expect, it } from 'vitest'

// did:key spec example key (https://w3c-ccg.github.io/did-key-spec/#ed25519-x25519)
const KEY = 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'

function thrownCode(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return (error as { code?: unknown }).code
  }
  return 'did not throw'
}

describe('did:key', () => {
  it('round-trips an Ed25519 public key through multibase', () => {
    const bytes = decodeEd25519PublicKeyMultibase(KEY)
    expect(bytes).toHaveLength(32)
    expect(encodeEd25519PublicKeyMultibase(bytes)).toBe(KEY)
  })

  it('derives the DID and its verification method id', () => {
    expect(didKeyFromPublicKeyMultibase(KEY)).toEqual({
      did: `did:key:${KEY}`,
      verificationMethodId: `did:key:${KEY}#${KEY}`,
    })
  })

  it('resolves a DID document with the key under assertionMethod and authentication', () => {
    const doc = resolveDidKey(`did:key:${KEY}`)
    expect(doc).toMatchObject({
      id: `did:key:${KEY}`,
      assertionMethod: [`did:key:${KEY}#${KEY}`],
      authentication: [`did:key:${KEY}#${KEY}`],
    })
  })

  it.each([
    ['not base58btc', 'u' + KEY.slice(1)],
    ['bad characters', 'z0OIl'],
    ['too short', 'z6Mk'],
    ['not a string', 42],
  ])('rejects %s with ERR_KEY_INVALID', (_n, value) => {
    expect(thrownCode(() => decodeEd25519PublicKeyMultibase(value as string))).toBe(
      'ERR_KEY_INVALID',
    )
  })

  it('rejects bad inputs', () => {
    expect(() => encodeEd25519PublicKeyMultibase(new Uint8Array(31))).toThrow(TypeError)
    expect(thrownCode(() => resolveDidKey('did:web:example.com'))).toBe('ERR_DOCUMENT_NOT_FOUND')
    expect(thrownCode(() => resolveDidKey(`did:key:${KEY}/path`))).toBe('ERR_DOCUMENT_NOT_FOUND')
  })
})
