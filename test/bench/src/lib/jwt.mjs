/**
 * The JWT rows: certify-vc against `jose` used directly, for an Open Badges credential secured
 * as a vc+jwt (EdDSA, Ed25519). Both sides make and check the same kind of token; what certify-vc
 * does more is the point of the comparison:
 * - sign: certify-vc checks the credential first (contexts, data model, JSON-LD safe mode, the
 *   gate every credential meets) and signs with the issuer key's signer; `jose` signs the
 *   payload it is given (`CompactSign`).
 * - verify: certify-vc runs the whole pipeline (header rules, claims, the key step through the
 *   issuer's DID, the signature with `jose`, structure, contexts in safe mode, validity, trust,
 *   program); `jose.jwtVerify` checks the signature and the registered claims with a key it is
 *   handed.
 *
 * @module
 */
import { TextEncoder } from 'node:util'
import { load } from './modules.mjs'
import { NOW } from './fixtures.mjs'

/** @param {{ key: { did: string }, unsigned: Record<string, Array<Record<string, unknown>>> }} fixtures */
export async function createJwtBench(fixtures) {
  const issuer = await load('@certify-vc/issuer')
  const verifier = await load('@certify-vc/verifier')
  const core = await load('@certify-vc/core')
  const jose = await import('jose')
  const { key } = fixtures
  const credentials = fixtures.unsigned.vc2
  const ours = []
  for (const c of credentials) ours.push(await issuer.signCredentialJwt(c, { key }))
  const { privateKey, publicKey } = await jose.generateKeyPair('EdDSA', { crv: 'Ed25519' })
  const payloads = credentials.map((c) =>
    new TextEncoder().encode(JSON.stringify(core.credentialJwtPayload(c, 'vc-jose-cose'))),
  )
  const header = { alg: 'EdDSA', kid: 'did:example:bench#key-1', typ: 'vc+jwt', cty: 'vc' }
  const joseSign = (i) =>
    new jose.CompactSign(payloads[i % payloads.length]).setProtectedHeader(header).sign(privateKey)
  const theirs = []
  for (let i = 0; i < payloads.length; i++) theirs.push(await joseSign(i))
  const options = { trustedIssuers: [key.did], now: NOW, status: false }
  // Cross-check: certify-vc verifies its tokens, jose verifies its own.
  for (const jwt of ours) {
    const r = await verifier.verifyCredential(jwt, options)
    if (!r.verified)
      throw new Error(`certify-vc does not verify its JWT: ${JSON.stringify(r.problems)}`)
  }
  for (const jwt of theirs) await jose.jwtVerify(jwt, publicKey, { currentDate: NOW })
  return {
    sign: {
      certify: (i) => issuer.signCredentialJwt(credentials[i % credentials.length], { key }),
      baseline: joseSign,
    },
    verify: {
      certify: async (i) => {
        const r = await verifier.verifyCredential(ours[i % ours.length], options)
        if (!r.verified) throw new Error('not verified')
      },
      baseline: async (i) => {
        await jose.jwtVerify(theirs[i % theirs.length], publicKey, { currentDate: NOW })
      },
    },
  }
}
