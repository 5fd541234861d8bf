/**
 * Signing a caller-supplied VC 1.1 / VC 2.0 credential (the W3C test vectors, credentials built
 * elsewhere, the W3C VC API's issue endpoint), after one gate: plain JSON without forbidden
 * keys, named contexts with a VC base context first (inline contexts only when allowed, and
 * then without remote loading), no proof yet, the VC data model's rules (the same as the
 * verifier's structure check), and JSON-LD safe mode over the whole credential. An optional
 * proof `expires` must lie after `created` and after the moment of signing.
 *
 * @module
 */
import {
  CONTEXT_URLS,
  CertifyError,
  createDocumentLoader,
  findCertifyError,
  formatDateTimeStamp,
  idOf,
  isPlainObject,
  parseDateTimeStamp,
  type DocumentLoader,
  type Proof,
} from '@certify-vc/context'
import {
  SUITE_NAMES,
  checkCredentialEnvelope,
  checkDisclosurePointers,
  createSuite,
  expandSafely,
  signDocument,
  toJsonLdError,
  type CanonicalizationPath,
  type SuiteName,
} from '@certify-vc/core'
import { issue } from '@digitalbazaar/vc'
import { checkDate, checkJson, checkOptionBag, dataError } from './option-checks.js'
import { checkKey, keyTypeOf, signerOf } from './issuer-key-check.js'
import type { IssuerKey } from './keys.js'

/** Options of {@link signCredential}. */
export interface SignCredentialOptions {
  readonly key: IssuerKey
  /**
   * Default: for an Ed25519 key `eddsa-rdfc-2022` on VC 2.0, `Ed25519Signature2020` on VC 1.1;
   * for a P-256 / P-384 key `ecdsa-rdfc-2019`. `ecdsa-sd-2023` (P-256) signs a base proof for
   * the holder to derive from.
   */
  readonly suite?: SuiteName
  /**
   * ecdsa-sd-2023 only: JSON Pointers of the members every derived credential must disclose;
   * each must name a member of the credential (`ERR_DISCLOSURE_POINTER_INVALID`). Default none.
   */
  readonly mandatoryPointers?: readonly string[]
  /** The proof's `created`. Default: the clock. */
  readonly created?: Date | string
  /**
   * The proof's `expires` (Data Integrity §2.1: past it the proof is no longer valid). Must be
   * after `created` and after the clock: a proof that is already dead is never made, even with a
   * back-dated `created`. Default: none.
   */
  readonly expires?: Date | string
  /** Document loader (offline). Default: the pinned contexts of `@certify-vc/context`. */
  readonly documentLoader?: DocumentLoader
  /**
   * The JSON-LD → RDF implementation: `'fast'` (default) or `'reference'` (jsonld.js and the
   * suites exactly as published); both sign byte-identically.
   */
  readonly canonicalization?: CanonicalizationPath
}

/** Options of {@link signGenericCredential}: those of {@link signCredential}. */
export type SignGenericCredentialOptions = SignCredentialOptions

const OPTIONS = [
  'key',
  'suite',
  'created',
  'expires',
  'documentLoader',
  'canonicalization',
  'mandatoryPointers',
]
const MAX_INLINE_CONTEXT_BYTES = 64 * 1024

let defaultLoader: DocumentLoader | undefined

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

/** A date option: a `Date` or an XSD dateTimeStamp string. */
function dateOption(value: unknown, what: string): Date {
  if (typeof value === 'string') {
    const date = parseDateTimeStamp(value)
    if (date === undefined) {
      throw new CertifyError(
        'ERR_STRUCTURE_DATE_INVALID',
        `"${what}" must be an XSD dateTimeStamp such as 2026-11-29T12:00:00Z.`,
      )
    }
    return checkDate(date, what)
  }
  if (!(value instanceof Date)) throw new TypeError(`"${what}" must be a Date or a string.`)
  return checkDate(value, what)
}

/** The options, checked. */
export interface SigningPlan {
  readonly key: IssuerKey
  readonly suite: SuiteName | undefined
  readonly created: Date
  readonly expires: Date | undefined
  readonly documentLoader: DocumentLoader
  readonly canonicalization: CanonicalizationPath
  /** ecdsa-sd-2023 only. */
  readonly mandatoryPointers?: readonly string[] | undefined
}

/**
 * Checks the signing options.
 *
 * @throws {TypeError} for bad options.
 * @throws {CertifyError} `ERR_STRUCTURE_DATE_INVALID` for a bad `created` or `expires`,
 *   `ERR_ISSUE_INVALID_INPUT` for an `expires` not after `created`, or already past.
 */
export function checkSigningOptions(options: unknown): SigningPlan {
  checkOptionBag(options, 'options', OPTIONS)
  const key = checkKey(options.key)
  const suite = options.suite
  if (suite !== undefined && !(SUITE_NAMES as readonly unknown[]).includes(suite)) {
    throw new TypeError(`"suite" must be one of ${SUITE_NAMES.join(', ')}.`)
  }
  if (options.documentLoader !== undefined && typeof options.documentLoader !== 'function') {
    throw new TypeError('"documentLoader" must be a function.')
  }
  const now = new Date()
  const created =
    options.created === undefined
      ? checkDate(now, 'created')
      : dateOption(options.created, 'created')
  const expires = options.expires === undefined ? undefined : dateOption(options.expires, 'expires')
  // A proof is never signed dead (docs/attacks.md C5): its expires lies after its created and
  // after the moment of signing, so a back-dated created cannot make a past expires signable.
  if (expires !== undefined && expires.getTime() <= Math.max(created.getTime(), now.getTime())) {
    throw new CertifyError(
      'ERR_ISSUE_INVALID_INPUT',
      `The proof would expire (${expires.toISOString()}) before or when it is made (${created.toISOString()}) or signed (${now.toISOString()}): a proof is never signed dead.`,
    )
  }
  const canonicalization = options.canonicalization ?? 'fast'
  if (canonicalization !== 'fast' && canonicalization !== 'reference') {
    throw new TypeError('"canonicalization" must be "fast" or "reference".')
  }
  const { mandatoryPointers } = options
  if (mandatoryPointers !== undefined) {
    if (suite !== 'ecdsa-sd-2023') {
      throw new TypeError('"mandatoryPointers" needs suite "ecdsa-sd-2023".')
    }
    if (
      !Array.isArray(mandatoryPointers) ||
      !mandatoryPointers.every((p) => typeof p === 'string')
    ) {
      throw new TypeError('"mandatoryPointers" must be an array of JSON Pointer strings.')
    }
  }
  return {
    key,
    canonicalization,
    mandatoryPointers,
    suite: suite as SuiteName | undefined,
    created,
    expires,
    documentLoader:
      (options.documentLoader as DocumentLoader | undefined) ??
      (defaultLoader ??= createDocumentLoader()),
  }
}

/**
 * The gate before any signature. Throws the first problem.
 *
 * @throws {CertifyError} with the code and JSON Pointer of the problem.
 */
export async function checkCredentialForSigning(
  credential: Record<string, unknown>,
  options: {
    readonly documentLoader: DocumentLoader
    readonly canonicalization?: CanonicalizationPath
    /** Allow inline (object) contexts after the base context (VC 2.0 §4.3). */
    readonly inlineContexts: boolean
    /** The issuer must be this DID. */
    readonly issuer?: string
  },
): Promise<void> {
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
    if (options.inlineContexts && isPlainObject(c)) checkInlineContext(c, `/@context/${i}`)
    else if (typeof c !== 'string') {
      throw dataError(
        options.inlineContexts ? 'ERR_CONTEXT_UNKNOWN' : 'ERR_CONTEXT_INLINE',
        options.inlineContexts
          ? 'Contexts must be URLs or objects.'
          : 'Contexts must be named by URL.',
        `/@context/${i}`,
      )
    }
  })
  if (Object.hasOwn(credential, 'proof')) {
    throw dataError('ERR_ISSUE_INVALID_INPUT', 'The credential already has a proof.', '/proof')
  }
  for (const [name, value] of Object.entries(credential)) {
    if (name !== '@context') checkJson(value, `/${name}`, { keywords: true })
  }
  const firstProblem = checkCredentialEnvelope(credential)[0]
  if (firstProblem !== undefined) {
    throw dataError(firstProblem.code, firstProblem.message, firstProblem.path)
  }
  if (options.issuer !== undefined && idOf(credential.issuer) !== options.issuer) {
    throw dataError('ERR_ISSUE_INVALID_INPUT', `The issuer must be ${options.issuer}.`, '/issuer')
  }
  await expandSafely(credential, options.documentLoader, {
    canonicalization: options.canonicalization ?? 'fast',
  })
}

function signingFailure(error: unknown): CertifyError {
  const ours = findCertifyError(error)
  if (ours !== undefined) return ours
  if (error instanceof Error && error.name.startsWith('jsonld.')) return toJsonLdError(error)
  const message = error instanceof Error ? error.message : String(error)
  return new CertifyError('ERR_ISSUE_SIGNING_FAILED', `Signing failed: ${message}`, {
    cause: error,
  })
}

function singleProof<T extends object>(signed: T & { proof?: unknown }): T & { proof: Proof } {
  const { proof } = signed
  if (
    !isPlainObject(proof) ||
    typeof proof.type !== 'string' ||
    typeof proof.verificationMethod !== 'string' ||
    typeof proof.proofPurpose !== 'string' ||
    typeof proof.proofValue !== 'string'
  ) {
    throw new CertifyError('ERR_ISSUE_SIGNING_FAILED', 'Signing produced no single proof.')
  }
  return signed as T & { proof: Proof }
}

/** The default suite of a credential's envelope and a key type. */
function defaultSuite(credential: Record<string, unknown>, key: IssuerKey): SuiteName {
  if (keyTypeOf(key) !== 'Ed25519') return 'ecdsa-rdfc-2019'
  const first = Array.isArray(credential['@context'])
    ? (credential['@context'] as unknown[])[0]
    : credential['@context']
  return first === CONTEXT_URLS.credentialsV1 ? 'Ed25519Signature2020' : 'eddsa-rdfc-2022'
}

/**
 * Signs a credential that passed {@link checkCredentialForSigning}, through
 * `@digitalbazaar/vc`'s `issue()` (`engine: 'vc'`, the field's reference) or jsonld-signatures
 * directly (`'document'`, which keeps inline contexts and any issuer).
 */
export async function signChecked<T extends object>(
  credential: T,
  plan: SigningPlan & { readonly engine: 'vc' | 'document' },
): Promise<T & { proof: Proof }> {
  const name = plan.suite ?? defaultSuite(credential as Record<string, unknown>, plan.key)
  const { mandatoryPointers } = plan
  if (name === 'ecdsa-sd-2023') {
    checkDisclosurePointers(
      credential as Record<string, unknown>,
      mandatoryPointers ?? [],
      'mandatoryPointers',
    )
  }
  const suite = createSuite(name, {
    // The key is asked for its signer only now, once every check passed.
    signer: signerOf(plan.key),
    ...(name === 'ecdsa-sd-2023' ? { mandatoryPointers: mandatoryPointers ?? [] } : {}),
    canonicalization: plan.canonicalization,
    date: formatDateTimeStamp(plan.created),
    ...(plan.expires === undefined ? {} : { expires: formatDateTimeStamp(plan.expires) }),
  })
  try {
    const signed =
      plan.engine === 'vc'
        ? await issue({
            // issue() and jsonld-signatures modify the object they get.
            credential: structuredClone(credential),
            suite: suite.implementation,
            documentLoader: plan.documentLoader,
            now: plan.created,
          })
        : await signDocument(credential, { suite, documentLoader: plan.documentLoader })
    return singleProof(signed as T & { proof?: unknown })
  } catch (error) {
    throw signingFailure(error)
  }
}

/**
 * Signs any VC 1.1 or VC 2.0 credential with an issuer key. Contexts must be named by URL. It
 * does not check that `issuer` is the key's DID: verifiers will. The input is not modified.
 *
 * @example
 * const signed = await signCredential(credential, { key, created: '2023-02-24T23:36:38Z' })
 * signed.proof.cryptosuite // 'eddsa-rdfc-2022'
 *
 * @throws {TypeError} for a non-object credential, a non-JSON value or wrong option types.
 * @throws {CertifyError} `ERR_CONTEXT_ORDER`, `ERR_CONTEXT_INLINE`, `ERR_ISSUE_INVALID_INPUT`
 *   (already has a proof; `expires` not after `created` or already past), `ERR_DISCLOSURE_POINTER_INVALID` (a
 *   mandatory pointer that names nothing), the structure codes of the verifier
 *   (`ERR_STRUCTURE_INVALID`, `ERR_STRUCTURE_RELATIVE_IRI`, `ERR_STRUCTURE_DATE_INVALID` …),
 *   the safe-mode codes (`ERR_JSONLD_UNDEFINED_TERM` …), `ERR_INPUT_FORBIDDEN_KEY`,
 *   `ERR_INPUT_TOO_DEEP`, `ERR_ISSUE_SIGNING_FAILED` or `ERR_KEY_INVALID`.
 */
export async function signCredential<T extends object>(
  credential: T,
  options: SignCredentialOptions,
): Promise<T & { proof: Proof }> {
  if (!isPlainObject(credential)) throw new TypeError('"credential" must be an object.')
  const plan = checkSigningOptions(options)
  await checkCredentialForSigning(credential, {
    documentLoader: plan.documentLoader,
    canonicalization: plan.canonicalization,
    inlineContexts: false,
  })
  return signChecked(credential, { ...plan, engine: 'vc' })
}

/**
 * Signs a generic credential as `options.key`'s DID (the W3C VC API's issue endpoint): the
 * gate of {@link signCredential}, except that inline (object) contexts after the base context
 * are allowed, as VC Data Model 2.0 §4.3 requires (still processed offline: an inline context
 * can only define terms, never load another context, and redefining a protected term fails),
 * and the credential's `issuer` must be the key's DID.
 *
 * @example
 * const signed = await signGenericCredential(
 *   { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'],
 *     issuer: key.did, credentialSubject: { id: 'did:example:1' } },
 *   { key },
 * )
 *
 * @throws {TypeError} for bad options or a non-object credential.
 * @throws {CertifyError} as {@link signCredential}, `ERR_CONTEXT_UNKNOWN` for a context that is
 *   neither a URL nor an object, and `ERR_ISSUE_INVALID_INPUT` for another issuer.
 */
export async function signGenericCredential<T extends object>(
  credential: T,
  options: SignGenericCredentialOptions,
): Promise<T & { proof: Proof }> {
  if (!isPlainObject(credential)) throw new TypeError('"credential" must be an object.')
  const plan = checkSigningOptions(options)
  await checkCredentialForSigning(credential, {
    documentLoader: plan.documentLoader,
    canonicalization: plan.canonicalization,
    inlineContexts: true,
    issuer: plan.key.did,
  })
  return signChecked(credential, { ...plan, engine: 'document' })
}

/**
 * The gate of {@link signGenericCredential} without the signature: for callers that must know
 * a credential is signable before they spend anything on it (a status-list index, say).
 *
 * @throws {TypeError} for a non-object credential or a bad loader.
 * @throws {CertifyError} as {@link signGenericCredential}.
 */
export async function checkGenericCredential(
  credential: object,
  options: {
    /** The issuer the credential must name (the signing key's DID). Default: not checked. */
    readonly issuer?: string
    readonly documentLoader?: DocumentLoader
  } = {},
): Promise<void> {
  if (!isPlainObject(credential)) throw new TypeError('"credential" must be an object.')
  if (options.documentLoader !== undefined && typeof options.documentLoader !== 'function') {
    throw new TypeError('"documentLoader" must be a function.')
  }
  await checkCredentialForSigning(credential, {
    documentLoader: options.documentLoader ?? (defaultLoader ??= createDocumentLoader()),
    inlineContexts: true,
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
  })
}
