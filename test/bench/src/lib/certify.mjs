/**
 * certify-vc: `signCredential` / `issueCredential` from `@certify-vc/issuer` and `verifyCredential`
 * from `@certify-vc/verifier` with the issuer on the trusted list, every check on.
 *
 * @module
 */
import { NOW } from './fixtures.mjs'
import { load } from './modules.mjs'

/**
 * @param {{ key: { did: string }, ecdsaKey: { did: string } }} fixtures
 * @param {{ canonicalization?: 'fast' | 'reference' }} [choice] the JSON-LD → RDF path of every call
 */
export async function createCertify(fixtures, choice = {}) {
  const issuer = await load('@certify-vc/issuer')
  const verifier = await load('@certify-vc/verifier')
  const { key, ecdsaKey } = fixtures
  const verifyOptions = { trustedIssuers: [key.did, ecdsaKey.did], now: NOW, ...choice }
  return {
    name: 'certify-vc',
    /**
     * @param {Record<string, unknown>} credential
     * @param {'vc2' | 'vc1.1' | 'ecdsa-p256'} format
     * @param {string} created
     */
    async sign(credential, format, created) {
      const signing = format === 'ecdsa-p256' ? ecdsaKey : key
      return issuer.signCredential(credential, { key: signing, created, ...choice })
    },
    /** @param {Record<string, unknown> | string} credential an object, or its JSON text */
    async verify(credential) {
      const result = await verifier.verifyCredential(credential, verifyOptions)
      return result.verified
    },
    /** The whole issuance: build, check, sign. */
    async issue(options) {
      return issuer.issueCredential({ ...options, key })
    },
    /** @param {unknown} credential */
    async verifyResult(credential) {
      return verifier.verifyCredential(credential, verifyOptions)
    },
  }
}
