/**
 * Cross-verification with `jose` used directly (not certify-vc's issuer): credentials whose JWS
 * `jose` signs (EdDSA, ES256, ES384; VC-JOSE-COSE and VC-JWT 1.1) verify with certify-vc's
 * verifier, and certify-vc's tokens verify with plain `jose.jwtVerify`; a tampered token fails
 * on both sides. The keys are did:key keys, so both sides find the same key: certify-vc through
 * the DID (the key step), `jose` from the JWK the did:key holds.
 */
import { credentialJwtPayload, multibaseOfPublicJwk, publicJwkOfMultibase } from '@certify-vc/core'
import { buildCredential, generateIssuerKey, issueCredentialJwt } from '@certify-vc/issuer'
import { verifyCredential } from '@certify-vc/verifier'
import { CompactSign, base64url, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'

const HOLDER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
const ALGS = [
  { alg: 'EdDSA', gen: { crv: 'Ed25519' } },
  { alg: 'ES256', gen: {} },
  { alg: 'ES384', gen: {} },
] as const

/** A did:key issuer whose key `jose` made. */
async function joseIssuer(alg: (typeof ALGS)[number]['alg']) {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
    extractable: true,
  })
  const multibase = multibaseOfPublicJwk(await exportJWK(publicKey))
  if (multibase === undefined) throw new Error('no multibase')
  const did = `did:key:${multibase}`
  return { privateKey, did, kid: `${did}#${multibase}` }
}

function tamper(jwt: string): string {
  const [h, p, s] = jwt.split('.')
  const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p ?? ''))) as Record<
    string,
    unknown
  >
  const vc = (payload.vc ?? payload) as { credentialSubject: { name: string } }
  vc.credentialSubject.name = 'Eve'
  return `${h}.${base64url.encode(JSON.stringify(payload))}.${s}`
}

describe('jose signs, certify-vc verifies', () => {
  for (const { alg } of ALGS) {
    for (const encoding of ['vc-jose-cose', 'vc-jwt'] as const) {
      it(`${alg} ${encoding}`, async () => {
        const issuer = await joseIssuer(alg)
        const credential = buildCredential({
          program: 'AIDA',
          issuerDid: issuer.did,
          recipient: { name: 'Ada Lovelace', did: HOLDER },
        }) as unknown as Record<string, unknown>
        const header =
          encoding === 'vc-jwt'
            ? { alg, kid: issuer.kid, typ: 'JWT' }
            : { alg, kid: issuer.kid, typ: 'vc+jwt', cty: 'vc' }
        const jwt = await new CompactSign(
          new TextEncoder().encode(JSON.stringify(credentialJwtPayload(credential, encoding))),
        )
          .setProtectedHeader(header)
          .sign(issuer.privateKey)
        const r = await verifyCredential(jwt, { trustedIssuers: [issuer.did] })
        expect(r.problems).toEqual([])
        expect(r.verified).toBe(true)
        const t = await verifyCredential(tamper(jwt), { trustedIssuers: [issuer.did] })
        expect(t.verified).toBe(false)
        expect(t.problems.map((p) => p.code)).toEqual(['ERR_PROOF_INVALID'])
      })
    }
  }
})

describe('certify-vc signs, jose verifies', () => {
  for (const type of ['Ed25519', 'P-256', 'P-384'] as const) {
    it(`${type}`, async () => {
      const key = await generateIssuerKey({ type })
      const { jwt, credential } = await issueCredentialJwt({
        program: 'CAAE',
        key,
        recipient: { name: 'Ada Lovelace', did: HOLDER },
      })
      const alg = { Ed25519: 'EdDSA', 'P-256': 'ES256', 'P-384': 'ES384' }[type]
      const publicKey = await importJWK(publicJwkOfMultibase(key.publicKeyMultibase), alg)
      const { payload, protectedHeader } = await jwtVerify(jwt, publicKey, {
        algorithms: [alg],
        typ: 'vc+jwt',
        issuer: key.did,
        subject: HOLDER,
      })
      expect(protectedHeader.cty).toBe('vc')
      expect(payload.jti).toBe(credential.id)
      await expect(jwtVerify(tamper(jwt), publicKey, { algorithms: [alg] })).rejects.toMatchObject({
        code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      })
    })
  }
})
