/**
 * The baseline: the Digital Bazaar stack used the plain, documented way. `vc.issue` and
 * `vc.verifyCredential` from `@digitalbazaar/vc`, `DataIntegrityProof` + the eddsa-rdfc-2022 or
 * the ecdsa-rdfc-2019 cryptosuite (`@digitalbazaar/ecdsa-multikey` keys) and
 * `Ed25519Signature2020`, and a caching document loader that serves the bundled
 * contexts and resolves `did:key` (results tagged `static`, as jsonld-signatures'
 * `extendContextLoader` does, so jsonld.js keeps its resolved-context cache).
 *
 * @module
 */
import { load } from './modules.mjs'

const { structuredClone } = globalThis

/**
 * @param {{ seed: Uint8Array, key: { did: string, verificationMethodId: string }, ecdsaKey: object }} fixtures
 */
export async function createBaseline(fixtures) {
  const vc = await load('@digitalbazaar/vc')
  const { DataIntegrityProof } = await load('@digitalbazaar/data-integrity')
  const { cryptosuite } = await load('@digitalbazaar/eddsa-rdfc-2022-cryptosuite')
  const { Ed25519Signature2020 } = await load('@digitalbazaar/ed25519-signature-2020')
  const Ed25519Multikey = await load('@digitalbazaar/ed25519-multikey')
  const EcdsaMultikey = await load('@digitalbazaar/ecdsa-multikey')
  const { cryptosuite: ecdsaCryptosuite } = await load('@digitalbazaar/ecdsa-rdfc-2019-cryptosuite')
  const { exportIssuerKeyFile } = await load('@certify-vc/issuer')
  const { contexts, resolveDidKey } = await load('@certify-vc/context')

  const cache = new Map()
  async function documentLoader(url) {
    const context = contexts.get(url)
    if (context !== undefined) {
      return { contextUrl: null, documentUrl: url, document: context, tag: 'static' }
    }
    if (url.startsWith('did:key:')) {
      let document = cache.get(url)
      if (document === undefined) cache.set(url, (document = resolveDidKey(url)))
      return { contextUrl: null, documentUrl: url, document }
    }
    throw new Error(`Not available offline: ${url}`)
  }

  const keyPair = await Ed25519Multikey.generate({
    seed: fixtures.seed,
    id: fixtures.key.verificationMethodId,
    controller: fixtures.key.did,
  })
  const signer = keyPair.signer()
  // The same P-256 key as certify-vc's side, imported into the library from its key file.
  const ecdsaPair = await EcdsaMultikey.from(exportIssuerKeyFile(fixtures.ecdsaKey))
  const ecdsaSigner = ecdsaPair.signer()
  // Verification suites are created once, as the documentation shows.
  const verifySuites = [
    new DataIntegrityProof({ cryptosuite }),
    new DataIntegrityProof({ cryptosuite: ecdsaCryptosuite }),
    new Ed25519Signature2020(),
  ]

  return {
    name: 'baseline',
    /**
     * @param {Record<string, unknown>} credential
     * @param {'vc2' | 'vc1.1' | 'ecdsa-p256'} format
     * @param {string} created
     */
    async sign(credential, format, created) {
      const suite =
        format === 'vc2'
          ? new DataIntegrityProof({ signer, date: created, cryptosuite })
          : format === 'ecdsa-p256'
            ? new DataIntegrityProof({
                signer: ecdsaSigner,
                date: created,
                cryptosuite: ecdsaCryptosuite,
              })
            : new Ed25519Signature2020({ signer, date: created })
      // vc.issue adds the proof to the object it is given.
      return vc.issue({ credential: structuredClone(credential), suite, documentLoader })
    },
    /** @param {Record<string, unknown> | string} credential an object, or its JSON text */
    async verify(credential) {
      const result = await vc.verifyCredential({
        credential: typeof credential === 'string' ? JSON.parse(credential) : credential,
        suite: verifySuites,
        documentLoader,
      })
      return result.verified === true
    },
  }
}
