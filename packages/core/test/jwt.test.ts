/**
 * JWT envelopes: JWK ↔ Multikey (the key check's view of a JsonWebKey method), the header rules
 * of `decodeJwt`, and the claims of `credentialOfJwt`.
 */
import { base64url, exportJWK, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  credentialOfJwt,
  decodeJwt,
  findVerificationMethod,
  multibaseOfPublicJwk,
  publicJwkOfMultibase,
} from '../src/index.js'

const b64 = (v: unknown) => base64url.encode(JSON.stringify(v))
const token = (header: unknown, payload: unknown) => `${b64(header)}.${b64(payload)}.c2ln`
const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: 'urn:uuid:1',
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:subject' },
}
const decode = (t: string) => decodeJwt(t, { kind: 'credential', maxBytes: 100_000 })

describe('JWK and Multikey', () => {
  for (const [alg, crv] of [
    ['EdDSA', 'Ed25519'],
    ['ES256', 'P-256'],
    ['ES384', 'P-384'],
  ] as const) {
    it(`${crv}: a public JWK round-trips through its Multikey`, async () => {
      const { publicKey } = await generateKeyPair(alg, { crv, extractable: true })
      const jwk = await exportJWK(publicKey)
      const multibase = multibaseOfPublicJwk(jwk)
      expect(multibase).toMatch(/^z/)
      expect(publicJwkOfMultibase(multibase!)).toEqual(
        Object.fromEntries(
          Object.entries(jwk).filter(([k]) => ['kty', 'crv', 'x', 'y'].includes(k)),
        ),
      )
    })
  }

  it("refuses a private JWK, another curve, and an EC point whose y is not the curve's", async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
    expect(multibaseOfPublicJwk(await exportJWK(privateKey))).toBeUndefined()
    const jwk = await exportJWK(publicKey)
    expect(multibaseOfPublicJwk({ ...jwk, crv: 'P-521' })).toBeUndefined()
    const y = base64url.decode(jwk.y!)
    y[5] = (y[5] ?? 0) ^ 1
    expect(multibaseOfPublicJwk({ ...jwk, y: base64url.encode(y) })).toBeUndefined()
  })

  it('a JsonWebKey verification method is found with the Multikey of its key', async () => {
    const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })
    const jwk = await exportJWK(publicKey)
    const vm = findVerificationMethod(
      {
        id: 'did:web:example.org',
        verificationMethod: [
          { id: '#k', type: 'JsonWebKey', controller: 'did:web:example.org', publicKeyJwk: jwk },
        ],
      },
      'did:web:example.org#k',
    )
    expect(vm?.publicKeyMultibase).toBe(multibaseOfPublicJwk(jwk))
  })
})

describe('decodeJwt header rules', () => {
  const payload = credential
  it.each([
    [{ alg: 'none' }, 'ERR_JWT_ALG_NOT_ALLOWED'],
    [{ alg: 'HS256', typ: 'vc+jwt' }, 'ERR_JWT_ALG_NOT_ALLOWED'],
    [{ alg: 'RS256', typ: 'vc+jwt' }, 'ERR_JWT_ALG_NOT_ALLOWED'],
    [{ alg: 'EdDSA', typ: 'vp+jwt' }, 'ERR_JWT_TYPE_INVALID'],
    [{ alg: 'EdDSA', typ: 'vc+jwt', cty: 'vp' }, 'ERR_JWT_CONTENT_TYPE_INVALID'],
    [{ alg: 'EdDSA', typ: 'vc+jwt', crit: ['exp'] }, 'ERR_JWT_HEADER_UNSUPPORTED'],
  ])('%j → %s', (header, code) => {
    const r = decode(token(header, payload))
    expect(r.ok ? undefined : r.problem.code).toBe(code)
  })

  it('refuses vc / vp claims in a vc+jwt, and a VC-JWT without a vc claim', () => {
    const a = decode(token({ alg: 'EdDSA', typ: 'vc+jwt' }, { ...payload, vc: {} }))
    expect(a.ok ? undefined : a.problem.code).toBe('ERR_JWT_VC_CLAIM_FORBIDDEN')
    const b = decode(token({ alg: 'EdDSA', typ: 'JWT' }, payload))
    expect(b.ok ? undefined : b.problem.code).toBe('ERR_JWT_CLAIMS_INVALID')
  })

  it('refuses what is not a compact JWS, and a token over the byte limit', () => {
    const a = decode('not.a jws.x')
    expect(a.ok ? undefined : a.problem.code).toBe('ERR_JWT_MALFORMED')
    const big = decodeJwt(token({ alg: 'EdDSA' }, payload), { kind: 'credential', maxBytes: 10 })
    expect(big.ok ? undefined : big.problem.code).toBe('ERR_INPUT_TOO_LARGE')
  })
})

describe('credentialOfJwt claims', () => {
  const claims = (c: Record<string, unknown>, legacy = false) => {
    const d = decode(
      token(
        { alg: 'EdDSA', typ: legacy ? 'JWT' : 'vc+jwt' },
        legacy ? { ...c, vc: credential } : { ...credential, ...c },
      ),
    )
    if (!d.ok) throw new Error(d.problem.code)
    return credentialOfJwt(d)
  }
  it('claims that restate the credential pass, and are taken out of it', () => {
    const r = claims({
      iss: 'did:example:issuer',
      jti: 'urn:uuid:1',
      sub: 'did:example:subject',
      nbf: 1767225600,
    })
    expect(r.problems).toEqual([])
    expect(r.document).toEqual(credential)
  })
  it.each([
    [{ iss: 'did:example:eve' }, 'ERR_JWT_ISS_MISMATCH'],
    [{ jti: 'urn:uuid:2' }, 'ERR_JWT_JTI_MISMATCH'],
    [{ sub: 'did:example:eve' }, 'ERR_JWT_SUB_MISMATCH'],
    [{ nbf: 1767225601 }, 'ERR_JWT_NBF_MISMATCH'],
    [{ exp: 1767225600 }, 'ERR_JWT_EXP_MISMATCH'],
    [{ nbf: '2026-01-01T00:00:00Z' }, 'ERR_JWT_CLAIMS_INVALID'],
  ])('%j → %s', (c, code) => {
    expect(claims(c).problems.map((p) => p.code)).toEqual([code])
  })
  it('VC-JWT 1.1 needs iss', () => {
    expect(claims({}, true).problems.map((p) => p.code)).toEqual(['ERR_JWT_CLAIMS_INVALID'])
    expect(claims({ iss: 'did:example:issuer' }, true).problems).toEqual([])
  })
})
