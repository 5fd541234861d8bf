/**
 * `@certify-vc/verifier`: verify certify-vc credentials offline, with one result entry per check
 * and stable error codes.
 *
 * @module
 */
export { verifyCredential } from './verify-credential.js'
export { createDefaultDidResolver } from './did-resolution.js'
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from './ingress.js'
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
  type VerifyCredentialOptions,
  type VerifyCredentialResult,
} from './types.js'
export { ERROR_CODES, ERROR_CODE_LIST, explainErrorCode } from '@certify-vc/context'
