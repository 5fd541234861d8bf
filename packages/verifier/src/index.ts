/**
 * `@certify-vc/verifier`: verify certify-vc credentials offline, with one result entry per check
 * and stable error codes. This entry is browser-safe; on Node the package resolves to
 * `index.node.ts`, which adds the hardened fetcher and the folder source.
 *
 * @module
 */
export { verifyCredential } from './verify-credential.js'
export { MAX_PRESENTATION_CREDENTIALS, verifyPresentation } from './verify-presentation.js'
export {
  PRESENTATION_CHECK_IDS,
  type PresentationCheckId,
  type PresentationCheckResult,
  type PresentationSummary,
  type PresentedCredentialResult,
  type VerifyPresentationOptions,
  type VerifyPresentationResult,
} from './presentation/types.js'
export {
  DEFAULT_CHALLENGE_TTL_SECONDS,
  DEFAULT_MAX_OUTSTANDING_CHALLENGES,
  createChallengeStore,
  createMemoryChallengeStorage,
  randomChallenge,
  type ChallengeState,
  type ChallengeStorage,
  type ChallengeStore,
  type ChallengeStoreOptions,
  type IssuedChallenge,
  type StoredChallenge,
} from './challenges.js'
export {
  createStatusListCache,
  type StatusListCache,
  type StatusListCacheEntry,
  type StatusListCacheOptions,
  type StatusListKind,
  type VerifiedStatusList,
} from './status/cache.js'
export {
  DEFAULT_FETCH_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  createFetchStatusListSource,
  type FetchStatusListSourceOptions,
  type HttpStatusListSourceOptions,
} from './status/fetch-source.js'
export {
  parseDevelopmentOrigin,
  parseDevelopmentOrigins,
  type NetworkPolicyOptions,
} from './status/network-policy.js'
export {
  createOfflineStatusListSource,
  type OfflineStatusListDocuments,
  type StatusListSource,
  type StatusListSourceGetOptions,
} from './status/source.js'
export { MAX_STATUS_ENTRIES } from './checks/status.js'
export { createDefaultDidResolver } from '@certify-vc/core'
export { PROFILE_NAMES } from './profiles.js'
export { relatedResourceProblems } from './checks/related-resources.js'
export {
  createDidWebResolver,
  didWebDocumentUrl,
  type DidDocumentFetcher,
  type DidWebResolverOptions,
} from './did-web.js'
export {
  DEFAULT_CANONICALIZATION_TIMEOUT_MS,
  DEFAULT_MAX_ARRAY_LENGTH,
  DEFAULT_MAX_BLANK_NODES,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_CONTEXTS,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_IMAGE_BYTES,
  DEFAULT_MAX_PROOFS,
  DEFAULT_MAX_STRING_LENGTH,
  DEFAULT_MAX_WORK_FACTOR,
  parseJsonStrictly,
  type ParseJsonStrictlyOptions,
  type ReadInputResult,
} from './ingress.js'
export {
  CHECK_IDS,
  type CheckId,
  type CheckOutcome,
  type CheckResult,
  type CredentialSummary,
  type DidResolver,
  type ErrorCode,
  type InputLimits,
  type Problem,
  type ProfileName,
  type RelatedResourceLookup,
  type StatusCheckOptions,
  type StatusEntrySummary,
  type VerifyCredentialOptions,
  type TrustedIssuer,
  type VerifyCredentialResult,
} from './types.js'
export { ERROR_CODES, ERROR_CODE_LIST, explainErrorCode } from '@certify-vc/context'
