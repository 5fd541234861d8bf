/**
 * Data-model types shared by issuer and verifier: VC 1.1 / 2.0 envelopes, Open Badges 3.0
 * objects, proofs and status entries. They describe what certify-vc writes; data being verified
 * is `unknown` until the verifier's structure check has looked at it.
 *
 * @module
 */
import type { JsonObject } from './json.js'

/** An OB 3.0 Image. */
export interface OpenBadgeImage {
  id: string
  type: 'Image'
  caption?: string
}

/** An OB 3.0 issuer Profile. */
export interface OpenBadgeProfile {
  id: string
  type: ['Profile']
  name: string
  url?: string
  image?: OpenBadgeImage
}

/** An OB 3.0 Alignment. */
export interface OpenBadgeAlignment {
  type: ['Alignment']
  targetName: string
  targetUrl: string
  targetDescription?: string
  targetType?: string
}

/** An OB 3.0 Achievement, with the Institute's `programCode`. */
export interface OpenBadgeAchievement {
  id: string
  type: ['Achievement']
  achievementType: string
  name: string
  description: string
  criteria: { narrative: string }
  image: OpenBadgeImage
  humanCode: string
  programCode: string
  alignment?: OpenBadgeAlignment[]
}

/**
 * An OB 3.0 IdentityObject: a salted hash of an email (never the plain address), or the
 * learner's name in plain text for a learner known only by name (the name is in the credential
 * anyway; OB 3.0 requires an `id` or an `identifier` on every AchievementSubject).
 */
export interface OpenBadgeIdentityObject {
  type: 'IdentityObject'
  identityHash: string
  identityType: 'emailAddress' | 'name'
  hashed: boolean
  salt?: string
}

/** An OB 3.0 AchievementSubject. */
export interface OpenBadgeAchievementSubject {
  id?: string
  type: ['AchievementSubject']
  name?: string
  identifier?: OpenBadgeIdentityObject[]
  achievement: OpenBadgeAchievement
}

/** A Data Integrity or Ed25519Signature2020 proof. */
export interface Proof {
  type: string
  cryptosuite?: string
  created?: string
  /** When the proof expires (Data Integrity §2.1): past it, the proof is no longer valid. */
  expires?: string
  verificationMethod: string
  proofPurpose: string
  proofValue: string
  challenge?: string
  domain?: string
  previousProof?: string | string[]
  id?: string
  '@context'?: string | string[]
}

/** A BitstringStatusListEntry. */
export interface BitstringStatusListEntry {
  id?: string
  type: 'BitstringStatusListEntry'
  statusPurpose: string
  statusListIndex: string
  statusListCredential: string
  /** Bits per entry (`message` purpose); 1 when absent. */
  statusSize?: number
  /** One item per possible value (2^statusSize), `status` in hex (`0x0` …). */
  statusMessage?: { status: string; message: string }[]
}

/** An OpenBadgeCredential as certify-vc issues it (before or after signing). */
export interface OpenBadgeCredential {
  '@context': string[]
  id: string
  type: ['VerifiableCredential', 'OpenBadgeCredential']
  name: string
  issuer: OpenBadgeProfile
  /** VC 2.0 */
  validFrom?: string
  validUntil?: string
  /** VC 1.1 */
  issuanceDate?: string
  expirationDate?: string
  credentialSubject: OpenBadgeAchievementSubject
  credentialStatus?: BitstringStatusListEntry | BitstringStatusListEntry[]
  proof?: Proof | Proof[]
}

/** A signed OpenBadgeCredential. */
export type SignedOpenBadgeCredential = OpenBadgeCredential & { proof: Proof | Proof[] }

/** Any JSON-LD document, as accepted by signing and canonicalization helpers. */
export type JsonLdDocument = JsonObject
