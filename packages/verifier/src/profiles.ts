/**
 * Verification profiles: what a verification requires beyond a sound, signed, valid credential.
 * There is one pipeline; a profile only sets its rules (shape, suites, co-signers, trust,
 * program). Every profile accepts every structure the specifications allow.
 *
 * @module
 */
import { JWS_ALGORITHMS, type JwsAlgorithm, type SuiteName } from '@certify-vc/core'
import type { CheckId, ProfileName } from './types.js'

/** The rules of one profile. */
export interface ProfileRules {
  readonly name: ProfileName
  /** `'open-badges'`: the VC envelope and the Open Badges 3.0 data model; `'vc'`: the envelope. */
  readonly shape: 'open-badges' | 'vc'
  /** The suites accepted when the caller names none. */
  readonly suites: readonly SuiteName[]
  /**
   * The JWS algorithms accepted for JWT-secured credentials (VC-JOSE-COSE, VC-JWT 1.1 / Open
   * Badges 3.0 §8.2) when the caller names none: EdDSA, ES256 and ES384 under every profile.
   */
  readonly jwtAlgorithms: readonly JwsAlgorithm[]
  /**
   * Proofs by keys other than the issuer's (co-signers, each a `did:key` resolved offline and
   * listed under its own `assertionMethod`) are accepted beside at least one issuer proof.
   */
  readonly coSigners: boolean
  /**
   * Inline (object) contexts after the named ones (VC 2.0 §4.3 allows them). The Open Badges
   * profiles refuse them: every term of a badge must have the pinned vocabularies' meaning
   * (docs/attacks.md A5, A7), whatever a context object says.
   */
  readonly inlineContexts: boolean
  /**
   * The earlier published Open Badges 3.0 contexts (3.0.0 to 3.0.2) besides 3.0.3: other
   * issuers' badges use them; the Institute's use 3.0.3.
   */
  readonly earlierOpenBadgesContexts: boolean
  /** Every credential's issuer must be trusted (else only credentials naming a catalog program). */
  readonly requireTrustedIssuer: boolean
  /** The achievement must be one of the catalog's programs. */
  readonly requireProgram: boolean
}

const ALL_DATA_INTEGRITY: readonly SuiteName[] = [
  'eddsa-rdfc-2022',
  'Ed25519Signature2020',
  'eddsa-jcs-2022',
  'ecdsa-rdfc-2019',
  'ecdsa-sd-2023',
]

/**
 * The suites the Institute signs its badges with: eddsa-rdfc-2022 (default, VC 2.0),
 * Ed25519Signature2020 (VC 1.1 wallets), ecdsa-rdfc-2019 (P-256 / P-384, for buyers who need
 * FIPS-approved curves) and ecdsa-sd-2023 (P-256, derived credentials a learner discloses in
 * part). Not eddsa-jcs-2022: the Institute never signs a badge with it (its JSON, not its graph,
 * is what is signed), so a jcs-signed "Institute" badge is refused under this profile.
 */
const INSTITUTE_SUITES: readonly SuiteName[] = [
  'eddsa-rdfc-2022',
  'Ed25519Signature2020',
  'ecdsa-rdfc-2019',
  'ecdsa-sd-2023',
]

/** Every profile, by name. */
export const PROFILES: Readonly<Record<ProfileName, ProfileRules>> = {
  institute: {
    name: 'institute',
    shape: 'open-badges',
    suites: INSTITUTE_SUITES,
    jwtAlgorithms: JWS_ALGORITHMS,
    coSigners: false,
    inlineContexts: false,
    earlierOpenBadgesContexts: false,
    requireTrustedIssuer: true,
    requireProgram: true,
  },
  'open-badges': {
    name: 'open-badges',
    shape: 'open-badges',
    suites: ALL_DATA_INTEGRITY,
    jwtAlgorithms: JWS_ALGORITHMS,
    coSigners: true,
    inlineContexts: false,
    earlierOpenBadgesContexts: true,
    requireTrustedIssuer: false,
    requireProgram: false,
  },
  vc: {
    name: 'vc',
    shape: 'vc',
    suites: ALL_DATA_INTEGRITY,
    jwtAlgorithms: JWS_ALGORITHMS,
    coSigners: true,
    inlineContexts: true,
    earlierOpenBadgesContexts: true,
    requireTrustedIssuer: false,
    requireProgram: false,
  },
}

/** The profile names, for option checks and documentation. */
export const PROFILE_NAMES = Object.keys(PROFILES) as readonly ProfileName[]

/** The checks that must have passed for `verified: true` under `rules` (others may be skipped). */
export function requiredChecks(rules: ProfileRules): readonly CheckId[] {
  const always: CheckId[] = ['input', 'structure', 'contexts', 'proof', 'key-binding', 'validity']
  if (rules.requireTrustedIssuer) always.push('issuer-trust')
  if (rules.requireProgram) always.push('program')
  return always
}
