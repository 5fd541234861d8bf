/**
 * Test helpers: sign credentials with the shared suite wiring, without the issuer package
 * (the verifier never depends on it).
 */
import {
  CATALOG,
  CERTIFY_CONTEXT_URL,
  CONTEXT_URLS,
  achievementFor,
  createDocumentLoader,
  didKeyFromPublicKeyMultibase,
  type ProgramCode,
} from '@certify-vc/context'
import { createSuite, signDocument, type SuiteName } from '@certify-vc/core'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'

export const NOW = new Date('2026-11-29T12:00:00Z')
export const loader = createDocumentLoader()

export interface TestIssuer {
  did: string
  vmId: string
  signer: ReturnType<Awaited<ReturnType<typeof Ed25519Multikey.generate>>['signer']>
}

export async function makeIssuer(seedByte = 1): Promise<TestIssuer> {
  const seed = new Uint8Array(32).fill(seedByte)
  const probe = await Ed25519Multikey.generate({ seed })
  const { did, verificationMethodId } = didKeyFromPublicKeyMultibase(probe.publicKeyMultibase)
  const key = await Ed25519Multikey.generate({ seed, id: verificationMethodId, controller: did })
  return { did, vmId: verificationMethodId, signer: key.signer() }
}

export function unsignedCredential(
  issuerDid: string,
  options: { program?: ProgramCode; format?: 'vc2' | 'vc1.1' } = {},
): Record<string, unknown> {
  const program = CATALOG.programs[options.program ?? 'AIDA']
  const common = {
    id: 'urn:uuid:6a1a7d4e-0b1f-4c8e-9d2a-3f4b5c6d7e8f',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: program.name,
    issuer: {
      id: issuerDid,
      type: ['Profile'],
      name: CATALOG.institute.name,
      url: CATALOG.institute.url,
      image: { id: CATALOG.institute.image, type: 'Image' },
    },
    credentialSubject: {
      id: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
      type: ['AchievementSubject'],
      name: 'Ada Lovelace',
      achievement: achievementFor(program, CATALOG),
    },
  }
  if (options.format === 'vc1.1') {
    return {
      '@context': [
        CONTEXT_URLS.credentialsV1,
        CONTEXT_URLS.openBadgesV3,
        CERTIFY_CONTEXT_URL,
        CONTEXT_URLS.ed25519Signature2020V1,
      ],
      ...common,
      issuanceDate: '2026-11-01T00:00:00Z',
    }
  }
  return {
    '@context': [CONTEXT_URLS.credentialsV2, CONTEXT_URLS.openBadgesV3, CERTIFY_CONTEXT_URL],
    ...common,
    validFrom: '2026-11-01T00:00:00Z',
  }
}

export async function sign(
  credential: Record<string, unknown>,
  issuer: TestIssuer,
  suite: SuiteName = credential['@context'] !== undefined &&
  (credential['@context'] as string[])[0] === CONTEXT_URLS.credentialsV1
    ? 'Ed25519Signature2020'
    : 'eddsa-rdfc-2022',
): Promise<Record<string, unknown>> {
  return signDocument(credential, {
    suite: createSuite(suite, { signer: issuer.signer, date: '2026-11-01T00:00:00Z' }),
    documentLoader: loader,
  })
}

export async function signedCredential(
  issuer: TestIssuer,
  options: {
    program?: ProgramCode
    format?: 'vc2' | 'vc1.1'
    patch?: (c: Record<string, unknown>) => void
  } = {},
): Promise<Record<string, unknown>> {
  const c = unsignedCredential(issuer.did, options)
  options.patch?.(c)
  return sign(c, issuer)
}

export function codes(result: { problems: readonly { code: string }[] }): string[] {
  return result.problems.map((p) => p.code)
}
