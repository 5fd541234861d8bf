/**
 * `@certify-vc/issuer`: issue Open Badges 3.0 verifiable credentials for the Institute's AIDA,
 * CAAE and AIMA programs, and manage the issuer's Ed25519 key file.
 *
 * @module
 */
export {
  buildCredential,
  issueCredential,
  signCredential,
  type BuildCredentialOptions,
  type CredentialExtensions,
  type IssueCredentialOptions,
  type Recipient,
  type SignCredentialOptions,
} from './issue-credential.js'
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
