/**
 * `@certify-vc/context`: the pinned JSON-LD contexts, the offline document loader, `did:key`,
 * the AIDA / CAAE / AIMA catalog, cryptosuite wiring, shared types and errors.
 *
 * @module
 */
export { achievementFor } from './achievement.js'
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
  contextSources,
  contexts,
  type BundledContext,
} from './contexts.js'
export { formatDateTimeStamp, parseDateTimeStamp } from './dates.js'
export {
  decodeEd25519PublicKeyMultibase,
  didKeyFromPublicKeyMultibase,
  encodeEd25519PublicKeyMultibase,
  isDidKey,
  resolveDidKey,
  type DidDocument,
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
export { CertifyError, findCertifyError, isCertifyError, problem, type Problem } from './errors.js'
export { decodeMultibaseBase58btc } from './base58.js'
export { MAX_IRI_LENGTH, isAbsoluteIri, isDid } from './iri.js'
export { asArray, isPlainObject, pointer, type JsonObject, type JsonValue } from './json.js'
export {
  canonize,
  expandSafely,
  expandSecuredSafely,
  findRelativeIri,
  toJsonLdError,
  type CanonicalizationOptions,
} from './jsonld.js'
export {
  DEFAULT_CANONICALIZATION_LIMITS,
  setCanonicalizationDefault,
  type CanonicalizationLimits,
  type CanonicalizationPath,
  type UnsecuredExpansion,
} from './fast-canonize.js'
export {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  ed25519PublicKeyMultibaseProblem,
  ed25519PublicKeyProblem,
  ed25519SignatureProblem,
} from './ed25519.js'
export {
  DEFAULT_MAX_STATUS_LIST_BYTES,
  MIN_STATUS_LIST_ENTRIES,
  createBitstring,
  decodeStatusList,
  encodeStatusList,
  getStatus,
  parseStatusListIndex,
  setStatus,
} from './status-list.js'
export {
  SUITE_NAMES,
  createSuite,
  signDocument,
  suiteOfProof,
  verifyDocumentProofs,
  type CreateSuiteOptions,
  type ProofOutcome,
  type ProofPurposeOption,
  type SignDocumentOptions,
  type Signer,
  type OptInSuiteName,
  type Suite,
  type SuiteName,
} from './suites.js'
export {
  JCS_SUITE_NAME,
  createJcsSuite,
  jcsSuiteOfProof,
  type CreateJcsSuiteOptions,
} from './jcs-suite.js'
export type * from './types.js'
export {
  createPresentation,
  signPresentation,
  type CreatePresentationOptions,
  type EmbeddedCredential,
  type PresentationFormat,
  type PresentationProof,
  type SignPresentationOptions,
  type UnsignedPresentation,
  type VerifiablePresentation,
} from './presentations.js'
