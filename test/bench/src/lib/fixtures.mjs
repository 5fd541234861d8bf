/**
 * The credential set both sides sign and verify: AIDA, CAAE and AIMA, each as VC 2.0
 * (eddsa-rdfc-2022), VC 1.1 (Ed25519Signature2020) and VC 2.0 signed with a P-256 key
 * (ecdsa-rdfc-2019, "format" `ecdsa-p256`), built by `@certify-vc/issuer` so that the baseline
 * signs exactly the same unsigned documents.
 *
 * @module
 */
import { load } from './modules.mjs'

export const PROGRAMS = ['AIDA', 'CAAE', 'AIMA']
export const FORMATS = /** @type {const} */ (['vc2', 'vc1.1', 'ecdsa-p256'])
export const SUITE_OF = {
  vc2: 'eddsa-rdfc-2022',
  'vc1.1': 'Ed25519Signature2020',
  'ecdsa-p256': 'ecdsa-rdfc-2019 (P-256)',
}
/** ECDSA signatures are randomized: the sides cannot sign byte-identically there. */
export const DETERMINISTIC = { vc2: true, 'vc1.1': true, 'ecdsa-p256': false }
export const ISSUED = new Date('2026-11-29T12:00:00Z')
export const NOW = new Date('2026-12-01T00:00:00Z')
export const CREATED = '2026-11-29T12:00:00Z'
const SEED = new Uint8Array(32).fill(0x2a)
const LEARNER_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'

/** Loads both stacks and builds the credential set. */
export async function createFixtures() {
  const issuer = await load('@certify-vc/issuer')
  const key = await issuer.generateIssuerKey({ seed: SEED })
  const ecdsaKey = await issuer.generateIssuerKey({ type: 'P-256' })
  /** @type {Record<string, Array<Record<string, unknown>>>} */
  const unsigned = { vc2: [], 'vc1.1': [], 'ecdsa-p256': [] }
  /** @type {Record<string, Array<Record<string, unknown>>>} */
  const signed = { vc2: [], 'vc1.1': [], 'ecdsa-p256': [] }
  for (const format of FORMATS) {
    const signing = format === 'ecdsa-p256' ? ecdsaKey : key
    for (const [i, program] of PROGRAMS.entries()) {
      const credential = issuer.buildCredential({
        program,
        recipient: { name: 'Ada Lovelace', did: LEARNER_DID },
        issuerDid: signing.did,
        format: format === 'vc1.1' ? 'vc1.1' : 'vc2',
        id: `urn:uuid:00000000-0000-4000-8000-00000000000${i}`,
        now: ISSUED,
      })
      unsigned[format].push(credential)
      signed[format].push(
        await issuer.signCredential(credential, { key: signing, created: CREATED }),
      )
    }
  }
  return { key, ecdsaKey, seed: SEED, unsigned, signed, issuerModule: issuer }
}

/** A recipient for the n-th credential of a generated batch. */
export function recipientFor(n) {
  const names = ['Ada Lovelace', 'Grace Hopper', 'Émilie du Châtelet', '李白', 'Алан Тьюринг']
  return { name: `${names[n % names.length]} ${n}`, email: `learner${n}@example.org` }
}
