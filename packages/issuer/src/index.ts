/**
 * `@certify-vc/issuer`: issue Open Badges 3.0 verifiable credentials for the Institute's AIDA,
 * CAAE and AIMA programs, manage the issuer's Ed25519 key file, record credentials in a status
 * registry (revoke, suspend, unsuspend) and publish the signed status lists.
 *
 * @module
 */
export {
  bakeCredential,
  programBadgePng,
  type BakeCredentialOptions,
  type BakeFormat,
} from './bake.js'
export {
  RosterInvalidError,
  issueBatch,
  type BatchManifestEntry,
  type BatchProgress,
  type IssueBatchOptions,
  type IssueBatchResult,
} from './batch/issue-batch.js'
export {
  ROSTER_FIELDS,
  readRosterFile,
  rosterRowKey,
  type RawRosterRow,
  type RosterField,
  type RosterProblem,
  type RosterRow,
} from './batch/roster.js'
export {
  buildCredential,
  issueCredential,
  type BuildCredentialOptions,
  type CredentialExtensions,
  type IssueCredentialOptions,
  type IssueCredentialStatusOptions,
  type IssueSuite,
} from './issue-credential.js'
export { SD_MANDATORY_POINTERS, mandatoryPointersFor } from './disclosure.js'
export type { Recipient } from './recipient.js'
export {
  checkGenericCredential,
  signCredential,
  signGenericCredential,
  type SignCredentialOptions,
  type SignGenericCredentialOptions,
} from './sign-credential.js'
export {
  issueCredentialJwt,
  signCredentialJwt,
  type IssueCredentialJwtOptions,
  type IssuedCredentialJwt,
  type SignCredentialJwtOptions,
} from './sign-jwt.js'
export {
  exportIssuerKeyFile,
  generateIssuerKey,
  importIssuerKey,
  loadIssuerKey,
  saveIssuerKey,
  type GenerateIssuerKeyOptions,
  type IssuerKey,
  type IssuerKeyFile,
  type IssuerKeyPublicJson,
  type SaveIssuerKeyOptions,
} from './keys.js'
export {
  publishStatusLists,
  type BitstringStatusListCredential,
  type PublishStatusListsOptions,
  type PublishedStatusList,
} from './publish-status-lists.js'
export {
  openSqliteRegistry,
  openSqliteStore,
  type OpenSqliteRegistryOptions,
  type OpenSqliteStoreOptions,
} from './registry/sqlite-store.js'
export {
  isPostgresUrl,
  openPostgresRegistry,
  openPostgresStore,
  type OpenPostgresRegistryOptions,
  type OpenPostgresStoreOptions,
} from './registry/postgres-store.js'
export { openRegistry, type OpenRegistryOptions } from './registry/open-registry.js'
export {
  createStatusRegistry,
  type AllocateStatusOptions,
  type CreateStatusRegistryOptions,
  type StatusRegistry,
} from './registry/status-registry.js'
export type {
  BatchItemInput,
  BatchItemRecord,
  CredentialStatusRecord,
  CredentialStatusValue,
  NewCredentialRecord,
  RecipientSummary,
  RegistryStore,
  StatusAction,
  StatusAllocation,
  StatusChangeResult,
  StatusMessageChangeResult,
  StatusDecider,
  StatusHistoryEntry,
  StatusListPublication,
  StatusListPublicationInput,
  StatusListPublicationState,
  StatusListSnapshot,
  StatusPurpose,
  StatusTransition,
} from './registry/types.js'
