/**
 * Issuer → verifier with JWT-secured credentials (VC-JOSE-COSE `vc+jwt`, and the VC-JWT 1.1
 * encoding of Open Badges 3.0 §8.2), through the one pipeline under the institute profile: the
 * same verdict and codes as the Data Integrity credential of the same program, whatever the door
 * (compact JWS text, bytes, an EnvelopedVerifiableCredential, inside a presentation).
 */
import { PROGRAM_CODES } from '@certify-vc/context'
import { envelopeJwt, signJws } from '@certify-vc/core'
import {
  generateIssuerKey,
  issueCredential,
  issueCredentialJwt,
  type IssuerKey,
} from '@certify-vc/issuer'
import {
  verifyCredential,
  verifyPresentation,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import { base64url, decodeJwt, decodeProtectedHeader } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'

const HOLDER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
const keys: Record<string, IssuerKey> = {}
beforeAll(async () => {
  keys.Ed25519 = await generateIssuerKey()
  keys['P-256'] = await generateIssuerKey({ type: 'P-256' })
  keys['P-384'] = await generateIssuerKey({ type: 'P-384' })
})

const codes = (r: VerifyCredentialResult) => r.problems.map((p) => p.code)
const check = (r: VerifyCredentialResult, id: string) => r.checks.find((c) => c.id === id)

/** A token with its payload replaced (the signature left as it was). */
function withPayload(jwt: string, edit: (p: Record<string, unknown>) => void): string {
  const [h, p, s] = jwt.split('.')
  const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p ?? ''))) as Record<
    string,
    unknown
  >
  edit(payload)
  return `${h}.${base64url.encode(JSON.stringify(payload))}.${s}`
}

describe('JWT credentials issue and verify (institute profile)', () => {
  for (const type of ['Ed25519', 'P-256', 'P-384'] as const) {
    for (const encoding of ['vc-jose-cose', 'vc-jwt'] as const) {
      it(`${type} ${encoding}: every program verifies; a changed claim fails ERR_PROOF_INVALID`, async () => {
        const key = keys[type]!
        for (const program of PROGRAM_CODES) {
          const { jwt, credential } = await issueCredentialJwt({
            program,
            key,
            encoding,
            recipient: { name: 'Ada Lovelace', did: HOLDER },
          })
          const header = decodeProtectedHeader(jwt)
          expect(header.alg).toBe({ Ed25519: 'EdDSA', 'P-256': 'ES256', 'P-384': 'ES384' }[type])
          expect(header.kid).toBe(key.verificationMethodId)
          const claims = decodeJwt(jwt)
          expect(claims.iss).toBe(key.did)
          expect(claims.jti).toBe(credential.id)
          expect(claims.sub).toBe(HOLDER)
          const r = await verifyCredential(jwt, { trustedIssuers: [key.did] })
          expect(r.problems).toEqual([])
          expect(r.verified).toBe(true)
          expect(r.credential.program?.code).toBe(program)
          expect(r.credential.securedBy).toEqual({ type: 'jwt', alg: header.alg, encoding })
          const tampered = withPayload(jwt, (p) => {
            const vc = (encoding === 'vc-jwt' ? p.vc : p) as Record<string, Record<string, unknown>>
            vc.credentialSubject!.name = 'Eve'
          })
          const t = await verifyCredential(tampered, { trustedIssuers: [key.did] })
          expect(t.verified).toBe(false)
          expect(codes(t)).toEqual(['ERR_PROOF_INVALID'])
          expect(check(t, 'issuer-trust')?.outcome).toBe('skipped')
        }
      })
    }
  }

  it('every door gives one verdict: text, bytes, an enveloped credential, with whitespace', async () => {
    const key = keys.Ed25519!
    const { jwt } = await issueCredentialJwt({
      program: 'AIDA',
      key,
      recipient: { name: 'A', did: HOLDER },
    })
    for (const input of [
      jwt,
      `  ${jwt}\n`,
      new TextEncoder().encode(jwt + '\n'),
      envelopeJwt(jwt),
    ]) {
      const r = await verifyCredential(input, { trustedIssuers: [key.did] })
      expect(r.problems).toEqual([])
      expect(r.verified).toBe(true)
    }
  })

  it('an untrusted issuer fails the institute profile as a DI credential does', async () => {
    const key = keys.Ed25519!
    const other = await generateIssuerKey()
    const { jwt } = await issueCredentialJwt({
      program: 'AIDA',
      key: other,
      recipient: { name: 'A', did: HOLDER },
    })
    const di = await issueCredential({
      program: 'AIDA',
      key: other,
      recipient: { name: 'A', did: HOLDER },
    })
    const a = await verifyCredential(jwt, { trustedIssuers: [key.did] })
    const b = await verifyCredential(di, { trustedIssuers: [key.did] })
    expect(a.verified).toBe(false)
    expect(codes(a)).toEqual(codes(b))
    expect(a.checks.map((c) => [c.id, c.outcome])).toEqual(b.checks.map((c) => [c.id, c.outcome]))
  })

  it('claims that disagree with the credential fail with their own code', async () => {
    const key = keys['P-256']!
    const { jwt } = await issueCredentialJwt({
      program: 'CAAE',
      key,
      encoding: 'vc-jwt',
      recipient: { name: 'A', did: HOLDER },
    })
    // Re-signing is not possible here; the proof check reports the signature first. Claim codes
    // are covered with re-signed tokens in test/attacks and test/interop.
    const r = await verifyCredential(
      withPayload(jwt, (p) => (p.iss = 'did:example:eve')),
      {
        trustedIssuers: [key.did],
      },
    )
    expect(r.verified).toBe(false)
  })

  it('jwtAlgorithms: [] refuses every JWT (ERR_JWT_ALG_NOT_ALLOWED)', async () => {
    const key = keys.Ed25519!
    const { jwt } = await issueCredentialJwt({
      program: 'AIDA',
      key,
      recipient: { name: 'A', did: HOLDER },
    })
    const r = await verifyCredential(jwt, { trustedIssuers: [key.did], jwtAlgorithms: [] })
    expect(codes(r)).toEqual(['ERR_JWT_ALG_NOT_ALLOWED'])
  })
})

describe('vp+jwt presentations', () => {
  it('a holder-signed vp+jwt with enveloped credentials verifies; nonce and aud are the challenge and domain', async () => {
    const key = keys['P-256']!
    const holder = await generateIssuerKey()
    const { jwt } = await issueCredentialJwt({
      program: 'AIMA',
      key,
      recipient: { name: 'A', did: holder.did },
    })
    const vp = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiablePresentation'],
      holder: holder.did,
      verifiableCredential: [envelopeJwt(jwt)],
    }
    const sign = (claims: Record<string, unknown>) =>
      signJws(
        { ...vp, iss: holder.did, ...claims },
        {
          header: { kid: holder.verificationMethodId, typ: 'vp+jwt', cty: 'vp' },
          signer: holder.signer(),
        },
      )
    const options = {
      trustedIssuers: [key.did],
      challenge: 'c-123',
      domain: 'employer.example',
    }
    const token = await sign({ nonce: 'c-123', aud: 'employer.example' })
    const r = await verifyPresentation(token, options)
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
    expect(r.holderProven).toBe(true)
    expect(r.credentials[0]?.result.credential.securedBy?.encoding).toBe('vc-jose-cose')
    const other = await verifyPresentation(
      await sign({ nonce: 'c-999', aud: 'employer.example' }),
      options,
    )
    expect(other.problems.map((p) => p.code)).toEqual(['ERR_CHALLENGE_MISMATCH'])
    const domain = await verifyPresentation(
      await sign({ nonce: 'c-123', aud: 'evil.example' }),
      options,
    )
    expect(domain.problems.map((p) => p.code)).toEqual(['ERR_DOMAIN_MISMATCH'])
    // A credential changed inside a validly signed presentation still fails on its own.
    const bad = withPayload(
      jwt,
      (p) => ((p.credentialSubject as Record<string, unknown>).name = 'Eve'),
    )
    const tampered = await signJws(
      {
        ...vp,
        verifiableCredential: [envelopeJwt(bad)],
        iss: holder.did,
        nonce: 'c-123',
        aud: 'employer.example',
      },
      { header: { kid: holder.verificationMethodId, typ: 'vp+jwt' }, signer: holder.signer() },
    )
    const t = await verifyPresentation(tampered, options)
    expect(t.verified).toBe(false)
    expect(t.problems.map((p) => p.code)).toContain('ERR_PRESENTATION_CREDENTIAL_INVALID')
    // Signed by a key that is not the holder's.
    const eve = await generateIssuerKey()
    const forged = await signJws(
      { ...vp, iss: holder.did, nonce: 'c-123', aud: 'employer.example' },
      { header: { kid: eve.verificationMethodId, typ: 'vp+jwt' }, signer: eve.signer() },
    )
    const f = await verifyPresentation(forged, options)
    expect(f.verified).toBe(false)
    expect(f.problems.map((p) => p.code)).toContain('ERR_HOLDER_KEY_MISMATCH')
  })
})
