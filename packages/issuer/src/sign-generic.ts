/**
 * Signing a caller-supplied, generic VC 1.1 / VC 2.0 credential (not an Open Badge built from
 * the catalog): the W3C VC API's issue endpoint. The same gate as `signCredential` — plain JSON,
 * no forbidden keys, a base context first, a subject and an issuer, JSON-LD safe mode over the
 * whole credential — except that inline (object) contexts after the base context are allowed,
 * as VC Data Model 2.0 §4.3 requires. They are still processed offline: an inline context can
 * only define terms, never load another context from the network, and redefining a protected
 * term fails.
 *
 * @module
 */
import {
  CONTEXT_URLS,
  CertifyError,
  createDocumentLoader,
  findCertifyError,
  formatDateTimeStamp,
  isPlainObject,
  parseDateTimeStamp,
  type DocumentLoader,
  type Proof,
} from '@certify-vc/context'
import {
  SUITE_NAMES,
  createSuite,
  expandSafely,
  signDocument,
  toJsonLdError,
  type SuiteName,
} from '@certify-vc/core'
import { checkDate, checkJson, checkOptionBag, dataError } from './checks.js'
import { checkKey } from './issue-credential.js'
import type { IssuerKey } from './keys.js'

/**
 * Options of {@link signGenericCredential}.
 *
 * @example
 * const options: SignGenericCredentialOptions = { key, suite: 'eddsa-rdfc-2022' }
 */
export interface SignGenericCredentialOptions {
  /** The signing key; the credential's issuer must be its DID. */
  key: IssuerKey
  /** Default: `Ed25519Signature2020` for VC 1.1, `eddsa-rdfc-2022` for VC 2.0. */
  suite?: SuiteName
  /** The proof's `created`. Default: the clock. */
  created?: Date | string
  /** Document loader (offline). Default: the pinned contexts of `@certify-vc/context`. */
  documentLoader?: DocumentLoader
}

const OPTIONS = ['key', 'suite', 'created', 'documentLoader']
const MAX_INLINE_CONTEXT_BYTES = 64 * 1024

let defaultLoader: DocumentLoader | undefined

function issuerIdOf(issuer: unknown): string | undefined {
  if (typeof issuer === 'string') return issuer
  if (isPlainObject(issuer) && typeof issuer.id === 'string') return issuer.id
  return undefined
}

/** Throws unless an inline context is plain JSON without remote loading. */
function checkInlineContext(value: Record<string, unknown>, path: string): void {
  const text = JSON.stringify(value)
  if (text.length > MAX_INLINE_CONTEXT_BYTES) {
    throw dataError('ERR_INPUT_TOO_LARGE', 'An inline context is too large.', path)
  }
  if (text.includes('"@import"')) {
    throw dataError('ERR_CONTEXT_UNKNOWN', 'Inline contexts may not use @import.', path)
  }
}

/**
 * Signs a generic credential as `options.key`'s DID after the checks above; the credential's
 * `issuer` (string or `issuer.id`) must be that DID.
 *
 * @example
 * const signed = await signGenericCredential(
 *   { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'],
 *     issuer: key.did, credentialSubject: { id: 'did:example:1' } },
 *   { key },
 * )
 *
 * @throws {TypeError} for bad options or a non-object credential.
 * @throws {CertifyError} `ERR_CONTEXT_ORDER`, `ERR_CONTEXT_UNKNOWN`, `ERR_STRUCTURE_INVALID`,
 *   `ERR_JSONLD_UNDEFINED_TERM` / `ERR_JSONLD_INVALID` / `ERR_STRUCTURE_RELATIVE_IRI` (safe mode),
 *   `ERR_INPUT_FORBIDDEN_KEY`, `ERR_ISSUE_INVALID_INPUT` (a proof already, or another issuer),
 *   `ERR_ISSUE_SIGNING_FAILED`, `ERR_KEY_INVALID`.
 */
export async function signGenericCredential<T extends object>(
  credential: T,
  options: SignGenericCredentialOptions,
): Promise<T & { proof: Proof }> {
  if (!isPlainObject(credential)) throw new TypeError('"credential" must be an object.')
  checkOptionBag(options, 'options', OPTIONS)
  const key = checkKey(options.key)
  if (options.suite !== undefined && !SUITE_NAMES.includes(options.suite)) {
    throw new TypeError(`"suite" must be one of ${SUITE_NAMES.join(', ')}.`)
  }
  if (options.documentLoader !== undefined && typeof options.documentLoader !== 'function') {
    throw new TypeError('"documentLoader" must be a function.')
  }
  const documentLoader = options.documentLoader ?? (defaultLoader ??= createDocumentLoader())
  let created: Date
  if (options.created === undefined) created = checkDate(new Date(), 'created')
  else if (options.created instanceof Date) created = checkDate(options.created, 'created')
  else if (typeof options.created === 'string') {
    const parsed = parseDateTimeStamp(options.created)
    if (parsed === undefined) {
      throw new CertifyError(
        'ERR_STRUCTURE_DATE_INVALID',
        '"created" must be an XSD dateTimeStamp.',
      )
    }
    created = parsed
  } else throw new TypeError('"created" must be a Date or a string.')

  const context = credential['@context']
  const contexts: unknown[] = Array.isArray(context) ? context : [context]
  const first = contexts[0]
  if (first !== CONTEXT_URLS.credentialsV2 && first !== CONTEXT_URLS.credentialsV1) {
    throw dataError(
      'ERR_CONTEXT_ORDER',
      'The first @context must be the VC 2.0 or VC 1.1 base context.',
      '/@context',
    )
  }
  contexts.forEach((c, i) => {
    if (isPlainObject(c)) checkInlineContext(c, `/@context/${i}`)
    else if (typeof c !== 'string') {
      throw dataError('ERR_CONTEXT_UNKNOWN', 'Contexts must be URLs or objects.', `/@context/${i}`)
    }
  })
  if (Object.hasOwn(credential, 'proof')) {
    throw dataError('ERR_ISSUE_INVALID_INPUT', 'The credential already has a proof.', '/proof')
  }
  for (const [name, value] of Object.entries(credential)) {
    if (name !== '@context') checkJson(value, `/${name}`, { keywords: true })
  }
  const subjects: unknown[] = Array.isArray(credential.credentialSubject)
    ? credential.credentialSubject
    : [credential.credentialSubject]
  if (subjects.length === 0 || !subjects.every(isPlainObject)) {
    throw dataError(
      'ERR_STRUCTURE_INVALID',
      'A credential needs a credentialSubject object.',
      '/credentialSubject',
    )
  }
  if (issuerIdOf(credential.issuer) !== key.did) {
    throw dataError('ERR_ISSUE_INVALID_INPUT', `The issuer must be ${key.did}.`, '/issuer')
  }
  const v1 = first === CONTEXT_URLS.credentialsV1
  if (v1 && parseDateTimeStamp(credential.issuanceDate) === undefined) {
    throw dataError(
      'ERR_STRUCTURE_INVALID',
      'A VC 1.1 credential needs an issuanceDate with a time zone.',
      '/issuanceDate',
    )
  }
  await expandSafely(credential, documentLoader)

  const suite = createSuite(options.suite ?? (v1 ? 'Ed25519Signature2020' : 'eddsa-rdfc-2022'), {
    signer: key.signer(),
    date: formatDateTimeStamp(created),
  })
  let signed: Record<string, unknown>
  try {
    signed = await signDocument(credential as Record<string, unknown>, { suite, documentLoader })
  } catch (error) {
    const ours = findCertifyError(error)
    if (ours !== undefined) throw ours
    const name = error instanceof Error ? error.name : ''
    if (name === 'jsonld.SyntaxError' || name === 'jsonld.InvalidUrl') throw toJsonLdError(error)
    const message = error instanceof Error ? error.message : String(error)
    throw new CertifyError('ERR_ISSUE_SIGNING_FAILED', `Signing failed: ${message}`, {
      cause: error,
    })
  }
  const proof = signed.proof
  if (!isPlainObject(proof) || typeof proof.proofValue !== 'string') {
    throw new CertifyError('ERR_ISSUE_SIGNING_FAILED', 'Signing produced no single proof.')
  }
  return signed as T & { proof: Proof }
}
