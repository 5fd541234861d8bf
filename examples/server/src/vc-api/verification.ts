/**
 * What the W3C VC API verify endpoints answer (`POST /credentials/verify`,
 * `POST /presentations/verify`): the verifier's result under the VC API profile, or the one the
 * caller names, in the VC API's shape (`verified`, passed `checks`, `errors`, `warnings`), with
 * the full certify-vc result beside it.
 *
 * @module
 */
import type { Problem } from '@certify-vc/context'
import {
  verifyCredential,
  verifyPresentation,
  type ProfileName,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import type { Services } from '../services.js'

/** The profile of the VC API doors when the caller names none (see `@certify-vc/verifier`). */
export const VC_API_PROFILE: ProfileName = 'vc'

/** What the W3C VC API verify endpoints answer. */
export interface ApiVerification {
  verified: boolean
  /** The checks that passed. */
  checks: string[]
  warnings: Problem[]
  errors: Problem[]
  /** The full certify-vc result. */
  certify?: VerifyCredentialResult
}

/** The VC API verify options: the caller's proof challenge and domain, and the profile. */
export interface ApiVerifyOptions {
  domain?: string
  challenge?: string
  profile?: ProfileName
}

/** The VC API's answer shape from a verifier result. */
function apiAnswer(result: {
  verified: boolean
  checks: readonly { id: string; outcome: string }[]
  problems: readonly Problem[]
}): Omit<ApiVerification, 'warnings'> {
  return {
    verified: result.verified,
    checks: result.checks.filter((c) => c.outcome === 'passed').map((c) => c.id),
    errors: [...result.problems],
  }
}

/** `POST /credentials/verify`: the pipeline under the VC API profile (or the caller's). */
export async function verifyForApi(
  services: Pick<Services, 'verifierOptions'>,
  doc: Record<string, unknown>,
  options: ApiVerifyOptions,
): Promise<ApiVerification> {
  const certify = await verifyCredential(doc, {
    ...services.verifierOptions(options.profile ?? VC_API_PROFILE),
    ...(options.challenge === undefined ? {} : { proofChallenge: options.challenge }),
    ...(options.domain === undefined ? {} : { proofDomain: options.domain }),
  })
  return { ...apiAnswer(certify), warnings: [...certify.warnings], certify }
}

/**
 * `POST /presentations/verify`: the presentation's checks, then every embedded credential with
 * exactly the options of `/credentials/verify`. An unsigned presentation is accepted (as the VC API
 * reference does) only when the caller asks for no challenge and no domain, and it changes no
 * credential's verdict.
 */
export async function verifyPresentationForApi(
  services: Pick<Services, 'verifierOptions'>,
  vp: Record<string, unknown>,
  options: ApiVerifyOptions,
): Promise<ApiVerification> {
  const result = await verifyPresentation(vp, {
    ...services.verifierOptions(options.profile ?? VC_API_PROFILE),
    allowInlineContexts: true,
    domain: options.domain ?? null,
    ...(options.challenge === undefined ? {} : { challenge: options.challenge }),
    unsignedPresentation: 'allow',
    holderBinding: 'if-present',
    subjectBinding: 'off',
    requireCredentials: false,
  })
  return {
    ...apiAnswer(result),
    warnings: [
      ...(result.presentation.signed || !result.verified
        ? []
        : [
            {
              code: 'ERR_PRESENTATION_UNSIGNED' as const,
              message: 'The presentation is unsigned: it proves nothing about its holder.',
            },
          ]),
      ...result.warnings,
    ],
  }
}
