/**
 * The unsigned Open Badges 3.0 credentials every other stack is asked to sign: one shape, so that
 * the stacks differ only in the code that signs. Contexts are exactly the VC context and the OB
 * 3.0.3 context (plus the Ed25519Signature2020 suite context for VC 1.1), nothing of ours.
 *
 * @see docs/ob-v3p0-data-model.md (cardinalities, and which edition requires what)
 * @module
 */
import { randomUUID } from 'node:crypto'
import { CONTEXT_URLS } from '@certify-vc/context'

/** The VC data model a credential is built on: 2.0 (`validFrom`) or 1.1 (`issuanceDate`). */
export type InteropFormat = 'vc2' | 'vc1.1'

/** How the issuer is given: a URI (OB 3.0 `ProfileRef`, VC 2.0 only in OB) or a Profile object. */
export type IssuerKind = 'uri' | 'profile'

/** The proof suites produced here. */
export type InteropSuite = 'eddsa-rdfc-2022' | 'eddsa-jcs-2022' | 'Ed25519Signature2020'

/** The two variants every stack produces. */
export const VARIANTS: readonly { issuerKind: IssuerKind; hasName: boolean }[] = [
  // OB 3.0 (VC 2.0 edition): issuer is a ProfileRef (URI or Profile), name is [0..1].
  { issuerKind: 'uri', hasName: false },
  { issuerKind: 'profile', hasName: true },
]

/** A fixed date in the past, so that no verifier's clock makes a credential "not yet valid". */
export const VALID_FROM = '2025-01-01T00:00:00Z'

/** The recipient: a did:key that none of the tests holds a key for (it signs nothing). */
export const LEARNER_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'

/** The Achievement every interop credential awards (id, type, name, description, criteria). */
export const INTEROP_ACHIEVEMENT = {
  id: 'https://example.org/achievements/interop-badge',
  type: ['Achievement'],
  name: 'Interoperability badge',
  description: 'Recognises a credential signed by a stack other than certify-vc.',
  criteria: { narrative: 'Signed live, at test time, by another implementation.' },
} as const

/** The `@context` of an interop credential of `format`. */
export function contextsFor(format: InteropFormat): string[] {
  return format === 'vc2'
    ? [CONTEXT_URLS.credentialsV2, CONTEXT_URLS.openBadgesV3]
    : [CONTEXT_URLS.credentialsV1, CONTEXT_URLS.openBadgesV3, CONTEXT_URLS.ed25519Signature2020V1]
}

/** Options of {@link unsignedOpenBadge}. */
export interface UnsignedOpenBadgeOptions {
  readonly format: InteropFormat
  /** The issuer's DID (its did:key). */
  readonly issuer: string
  readonly issuerKind: IssuerKind
  readonly hasName: boolean
  /** Who signs it, for the display names (`name`, the Profile's `name`). */
  readonly stack: string
}

/**
 * An unsigned OpenBadgeCredential: an AchievementSubject with an Achievement (id, type, name,
 * description, criteria), the issuer as a URI or a Profile, `validFrom` (VC 2.0) or
 * `issuanceDate` (VC 1.1), and a credential `name` only when `hasName`.
 */
export function unsignedOpenBadge(options: UnsignedOpenBadgeOptions): Record<string, unknown> {
  const { format, issuer, issuerKind, hasName, stack } = options
  return {
    '@context': contextsFor(format),
    id: `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    ...(hasName ? { name: `Interoperability badge (signed by ${stack})` } : {}),
    issuer:
      issuerKind === 'uri'
        ? issuer
        : { id: issuer, type: ['Profile'], name: `Interoperability test issuer (${stack})` },
    ...(format === 'vc2' ? { validFrom: VALID_FROM } : { issuanceDate: VALID_FROM }),
    credentialSubject: {
      id: LEARNER_DID,
      type: ['AchievementSubject'],
      achievement: structuredClone(INTEROP_ACHIEVEMENT),
    },
  }
}
