/**
 * Open Badges 3.0 credentials signed, and verified, by the Digital Bazaar stack:
 * `@digitalbazaar/vc` with `DataIntegrityProof` (eddsa-rdfc-2022 and eddsa-jcs-2022, VC 2.0)
 * and with `Ed25519Signature2020` (VC 1.1). Documents are loaded by certify-vc's offline loader
 * (pinned contexts, local did:key), which these libraries accept as `documentLoader`.
 *
 * @module
 */
import { createDocumentLoader } from '@certify-vc/context'
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020'
import {
  createSignCryptosuite,
  createVerifyCryptosuite,
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite'
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite'
import * as vc from '@digitalbazaar/vc'
import {
  VARIANTS,
  unsignedOpenBadge,
  type InteropFormat,
  type InteropSuite,
} from './ob-template.js'
import type { InteropCredential } from './types.js'

/** The packages, pinned in test/package.json. */
export const DIGITALBAZAAR_STACK =
  '@digitalbazaar/vc@7.3.0 (data-integrity@2.5.0, eddsa-rdfc-2022-cryptosuite@1.3.0, eddsa-jcs-2022-cryptosuite@1.0.0, ed25519-signature-2020@5.4.0, ed25519-multikey@1.3.1)'

const documentLoader = createDocumentLoader()

/** A fresh Ed25519 key as a did:key Multikey, with the signer the suites take. */
async function freshDidKey() {
  const key = await Ed25519Multikey.generate()
  const did = `did:key:${key.publicKeyMultibase}`
  key.controller = did
  key.id = `${did}#${key.publicKeyMultibase}`
  return { did, signer: key.signer() }
}

function signingSuite(
  suite: InteropSuite,
  signer: ReturnType<Ed25519Multikey.Ed25519MultikeyKeyPair['signer']>,
): object {
  switch (suite) {
    case 'eddsa-rdfc-2022':
      return new DataIntegrityProof({ signer, cryptosuite: eddsaRdfc2022 })
    case 'eddsa-jcs-2022':
      return new DataIntegrityProof({ signer, cryptosuite: createSignCryptosuite() })
    case 'Ed25519Signature2020':
      return new Ed25519Signature2020({ signer })
  }
}

function verifyingSuite(suite: InteropSuite): object {
  switch (suite) {
    case 'eddsa-rdfc-2022':
      return new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 })
    case 'eddsa-jcs-2022':
      return new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() })
    case 'Ed25519Signature2020':
      return new Ed25519Signature2020()
  }
}

async function signOne(
  format: InteropFormat,
  suite: InteropSuite,
  variant: (typeof VARIANTS)[number],
): Promise<InteropCredential> {
  const { did, signer } = await freshDidKey()
  const credential = await vc.issue({
    credential: unsignedOpenBadge({ format, issuer: did, ...variant, stack: 'Digital Bazaar' }),
    suite: signingSuite(suite, signer),
    documentLoader,
  })
  return {
    name: `digitalbazaar ${suite} ${format} ${variant.issuerKind} issuer${variant.hasName ? ', named' : ', no name'}`,
    credential,
    stack: 'digitalbazaar',
    stackVersion: DIGITALBAZAAR_STACK,
    format,
    suite,
    ...variant,
    issuer: did,
  }
}

/**
 * OB 3.0 credentials signed by the Digital Bazaar libraries, each with a fresh did:key: for
 * eddsa-rdfc-2022 (VC 2.0) and Ed25519Signature2020 (VC 1.1) a URI issuer without `name` and a
 * Profile issuer with `name`; for eddsa-jcs-2022 (VC 2.0) one, URI issuer without `name`.
 */
export async function* digitalBazaarCredentials(): AsyncGenerator<InteropCredential> {
  for (const variant of VARIANTS) yield await signOne('vc2', 'eddsa-rdfc-2022', variant)
  for (const variant of VARIANTS) yield await signOne('vc1.1', 'Ed25519Signature2020', variant)
  yield await signOne('vc2', 'eddsa-jcs-2022', { issuerKind: 'uri', hasName: false })
}

/** Verifies `credential` with `@digitalbazaar/vc` and the suite it was signed with. */
export async function verifyWithDigitalBazaar(
  credential: object,
  suite: InteropSuite,
): Promise<{ verified: boolean; error?: unknown }> {
  const result = await vc.verifyCredential({
    credential,
    suite: verifyingSuite(suite),
    documentLoader,
  })
  return result.verified ? { verified: true } : { verified: false, error: result.error }
}
