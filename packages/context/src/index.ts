/**
 * `@certify-vc/context`: the pinned JSON-LD contexts, the offline document loader, `did:key`
 * documents, the AIDA / CAAE / AIMA catalog, the data-model types and the error codes shared by
 * every certify-vc package. The proof machinery is in `@certify-vc/core`.
 *
 * @module
 */
export { achievementFor } from './achievement.js'
export { BADGE_SIZE, programBadgeSvg } from './badges.js'
export {
  CATALOG,
  CONTROL_AREAS,
  INSTITUTE,
  INSTITUTE_BASE_URL,
  PROGRAM_CODES,
  controlAreaUrl,
  createCatalog,
  findProgramByAchievementId,
  getControlArea,
  getProgram,
  isProgramCode,
  type Catalog,
  type ControlArea,
  type CreateCatalogOptions,
  type InstituteProfile,
  type Program,
  type ProgramCode,
  type ProgramValidity,
} from './catalog.js'
export {
  CERTIFY_CONTEXT_URL,
  CONTEXT_URLS,
  EARLIER_OPEN_BADGES_CONTEXT_URLS,
  contextSources,
  contexts,
  type BundledContext,
} from './contexts.js'
export {
  dateReadingProblem,
  formatDateTimeStamp,
  parseDateTimeStamp,
  readDateTimeStamp,
  type DateReading,
} from './dates.js'
export {
  MULTIKEY_TYPES,
  decodeEd25519PublicKeyMultibase,
  decodePublicKeyMultibase,
  didKeyFromPublicKeyMultibase,
  encodeEd25519PublicKeyMultibase,
  encodePublicKeyMultibase,
  isDidKey,
  resolveDidKey,
  type DecodedPublicKey,
  type DidDocument,
  type MultikeyType,
  type MultikeyVerificationMethod,
} from './did-key.js'
export {
  createDocumentLoader,
  type CreateDocumentLoaderOptions,
  type DocumentLoader,
  type RemoteDocument,
} from './document-loader.js'
export {
  ERROR_CODES,
  ERROR_CODE_LIST,
  explainErrorCode,
  isErrorCode,
  type ErrorCode,
  type SpecProblemType,
} from './error-codes.js'
export { type CredentialFormat, credentialFormatOf, hasType, idOf } from './credential-shape.js'
export { CertifyError, findCertifyError, isCertifyError, problem, type Problem } from './errors.js'
export { MAX_IRI_LENGTH, isAbsoluteIri, isDid } from './iri.js'
export { asArray, isPlainObject, pointer, type JsonObject, type JsonValue } from './json.js'
export type * from './types.js'
