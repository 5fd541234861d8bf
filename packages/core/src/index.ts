/**
 * `@certify-vc/core`: the proof machinery shared by issuer and verifier: the signature suites,
 * signing and verifying documents and presentations, JSON-LD safe-mode expansion and the
 * canonicalization fast path, Ed25519 and ECDSA key and signature checks, selective disclosure
 * (ecdsa-sd-2023), multibase decoding and the status-list bitstring codec. Browser-safe.
 *
 * @module
 */
export { decodeMultibaseBase58btc } from './base58.js'
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
  type CanonicalizationLimits,
  type CanonicalizationPath,
  type UnsecuredExpansion,
} from './canonicalize/index.js'
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
  ECDSA_SIGNATURE_BYTES,
  ecdsaCompressPoint,
  ecdsaPointCoordinates,
  ecdsaPublicKeyProblem,
  ecdsaSignatureProblem,
  isEcdsaCurve,
  toLowS,
  type EcdsaCurve,
} from './ecdsa.js'
export { sdProofKind } from './ecdsa-suites.js'
export { multikeyProblem, type MultikeyVerdict } from './multikey.js'
export {
  checkDisclosurePointers,
  leafPointers,
  parseJsonPointer,
  topLevelPointers,
  valueAtPointer,
} from './json-pointer.js'
export {
  deriveCredential,
  hasSdBaseProof,
  type DeriveCredentialOptions,
} from './selective-disclosure.js'
export {
  SUITE_KEY_TYPES,
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
  type Suite,
  type SuiteName,
} from './suites.js'
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
export {
  createDefaultDidResolver,
  findVerificationMethod,
  hasRelationship,
  resolveProofKey,
  type DidDocumentCache,
  type CheckedVerificationMethod,
  type DidResolver,
  type KeyResolution,
  type ProofRelationship,
  type ResolvedKey,
  type ResolvedVerificationMethod,
} from './key-resolution.js'
export {
  checkCredentialEnvelope,
  checkDocumentBase,
  checkOpenBadgeCredential,
  findUnsignedEmptyValue,
  type DocumentBaseOptions,
  typeProblem,
  unsignedEmptyValueProblem,
} from './data-model.js'
// Baked badges (Open Badges 3.0 §5.3): PNG and SVG codecs shared by issuer and verifier.
export {
  DEFAULT_MAX_BAKED_CREDENTIAL_BYTES,
  DEFAULT_MAX_IMAGE_BYTES,
  PNG_CREDENTIAL_KEYWORD,
  PNG_SIGNATURE,
  SVG_CREDENTIAL_NAMESPACE,
  bakePng,
  bakeSvg,
  isPng,
  looksLikeXml,
  unbakeImage,
  unbakePng,
  unbakeSvg,
  type BakeOptions,
  type BakedImageFormat,
  type BakingLimits,
  type UnbakedImage,
} from './baking/index.js'
// JWT envelopes (VC-JOSE-COSE, VC-JWT 1.1 / Open Badges 3.0 §8.2), through `jose`.
export * from './jwt/index.js'
