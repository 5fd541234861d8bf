/**
 * Issuing: build an Open Badges 3.0 `OpenBadgeCredential` for an AIDA, CAAE or AIMA learner,
 * check it in JSON-LD safe mode, and sign it (DataIntegrityProof / eddsa-rdfc-2022 on VC 2.0,
 * Ed25519Signature2020 on VC 1.1) through `@digitalbazaar/vc`'s `issue()`.
 *
 * @see https://www.imsglobal.org/spec/ob/v3p0/
 * @see https://www.w3.org/TR/vc-data-model-2.0/
 * @module
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { issue } from '@digitalbazaar/vc'
import {
  CATALOG,
  CERTIFY_CONTEXT_URL,
  CONTEXT_URLS,
  CertifyError,
  SUITE_NAMES,
  achievementFor,
  createDocumentLoader,
  createSuite,
  expandSafely,
  findCertifyError,
  formatDateTimeStamp,
  getProgram,
  isPlainObject,
  parseDateTimeStamp,
  toJsonLdError,
  type Catalog,
  type CredentialFormat,
  type DocumentLoader,
  type InstituteProfile,
  type JsonValue,
  type OpenBadgeAchievementSubject,
  type OpenBadgeCredential,
  type OpenBadgeIdentityObject,
  type OpenBadgeProfile,
  type ProgramCode,
  type Proof,
  type SignedOpenBadgeCredential,
  type Signer,
  type SuiteName,
} from '@certify-vc/context'
import {
  checkDate,
  checkJson,
  checkOptionBag,
  dataError,
  hasControlCharacter,
  hasLoneSurrogate,
  isAbsoluteIri,
  isDid,
  optionalString,
} from './checks.js'
import type { IssuerKey } from './keys.js'
import type { StatusRegistry } from './registry/status-registry.js'
import type { RecipientSummary } from './registry/types.js'
import { checkBaseUrl, statusEntries } from './status-urls.js'

/**
 * Who the credential is for. At least one of `name`, `did` or `email` is needed. A `did` becomes
 * `credentialSubject.id`; an `email` becomes a salted SHA-256 `identityHash` (never the address).
 *
 * @example
 * const recipient: Recipient = { name: 'Ada Lovelace', email: 'ada@example.org' }
 */
export interface Recipient {
  /** The learner's name as shown on the credential. */
  name?: string
  /** The learner's DID (`did:key:…`, `did:web:…`), not a DID URL. */
  did?: string
  /** The learner's email address: only its salted hash goes into the credential. */
  email?: string
}

/**
 * Extra members, checked by JSON-LD safe mode like the rest of the credential. They cannot
 * replace what the issuer sets (`issuer`, `type`, dates, `achievement` …), embed a context, use
 * JSON-LD keywords or `__proto__` / `constructor` / `prototype`, or nest more than 32 levels.
 *
 * @example
 * const extensions: CredentialExtensions = {
 *   credential: { description: 'Cohort 2026-11', credentialStatus: statusEntry },
 *   subject: { activityEndDate: '2026-11-20T00:00:00Z' },
 * }
 */
export interface CredentialExtensions {
  /** Added to the credential (e.g. `description`, `awardedDate`, `credentialStatus`, `evidence`). */
  credential?: Record<string, JsonValue>
  /** Added to `credentialSubject` (e.g. `result`, `activityEndDate`). */
  subject?: Record<string, JsonValue>
}

/**
 * The `status` option of {@link issueCredential}: record the credential in a status registry and
 * give it a `BitstringStatusListEntry` (and a suspension entry when `suspension` is on).
 *
 * @example
 * const status: IssueCredentialStatusOptions = {
 *   registry: await openSqliteRegistry('./certify-vc.sqlite'),
 *   baseUrl: 'https://production-ai.institute/status',
 *   suspension: true, // e.g. CAAE, from the program configuration
 * }
 */
export interface IssueCredentialStatusOptions {
  /** Where the credential is recorded and its index allocated. */
  registry: StatusRegistry
  /**
   * Base URL of the published status lists: an https URL (http only on localhost). The entry
   * points to `<baseUrl>/revocation/<listNumber>` (and `<baseUrl>/suspension/<listNumber>`).
   */
  baseUrl: string
  /**
   * Also add a suspension entry (same list number and index), so the credential can be
   * suspended and reinstated. `credentialStatus` is then an array of two entries, which the
   * Open Badges 3.0 JSON schema does not allow (it allows one). Opt-in per program; default
   * `false`.
   */
  suspension?: boolean
}

/**
 * Options of {@link issueCredential}. Unknown options are refused (`TypeError`).
 *
 * @example
 * const options: IssueCredentialOptions = {
 *   program: 'AIDA',
 *   recipient: { name: 'Ada Lovelace', did: 'did:key:z6Mk…' },
 *   key,
 *   format: 'vc1.1',
 * }
 */
export interface IssueCredentialOptions {
  /** `'AIDA'`, `'CAAE'` or `'AIMA'`; anything else is `ERR_ISSUE_PROGRAM_UNKNOWN`. */
  program: ProgramCode | (string & {})
  /** The learner. */
  recipient: Recipient
  /** The issuer key; its DID becomes `issuer.id`. */
  key: IssuerKey
  /** `'vc2'` (default): VC 2.0 + eddsa-rdfc-2022. `'vc1.1'`: VC 1.1 + Ed25519Signature2020. */
  format?: CredentialFormat
  /** The credential id, an absolute IRI. Default `urn:uuid:<random UUID>`. */
  id?: string
  /** Start of validity (whole seconds are kept). Default `now`. */
  validFrom?: Date
  /** The issuing time: default `validFrom` and the proof's `created`. Default the clock. */
  now?: Date
  /** Programs and Institute data; decides expiry per program. Default `CATALOG`. */
  catalog?: Catalog
  /** Overrides of the issuer Profile's display data (default `catalog.institute`). */
  issuerProfile?: Partial<InstituteProfile>
  /** Extra members for the credential and its subject. */
  extensions?: CredentialExtensions
  /** JSON-LD document loader. Default: the offline loader of `@certify-vc/context`. */
  documentLoader?: DocumentLoader
  /**
   * Record the credential in a status registry and embed its status entry (allocated before
   * signing). Without it, the credential carries no status (unless `extensions` adds one).
   */
  status?: IssueCredentialStatusOptions
}

/**
 * Options of {@link buildCredential}: those of {@link issueCredential} with a DID for the key.
 *
 * @example
 * const options: BuildCredentialOptions = { program: 'CAAE', recipient, issuerDid: key.did }
 */
export type BuildCredentialOptions = Omit<IssueCredentialOptions, 'key' | 'status'> & {
  /** The issuer DID (`issuer.id`). */
  issuerDid: string
}

/**
 * Options of {@link signCredential}.
 *
 * @example
 * const options: SignCredentialOptions = { key, suite: 'Ed25519Signature2020', created: new Date() }
 */
export interface SignCredentialOptions {
  /** The signing key; the proof's `verificationMethod` is its `verificationMethodId`. */
  key: IssuerKey
  /**
   * Default: `Ed25519Signature2020` when the first context is VC 1.1, `eddsa-rdfc-2022` otherwise.
   */
  suite?: SuiteName
  /** The proof's `created` (a Date or an XSD dateTimeStamp). Default: the clock. */
  created?: Date | string
  /** JSON-LD document loader. Default: the offline loader of `@certify-vc/context`. */
  documentLoader?: DocumentLoader
}

const ISSUE_OPTIONS = [
  'program',
  'recipient',
  'key',
  'format',
  'id',
  'validFrom',
  'now',
  'catalog',
  'issuerProfile',
  'extensions',
  'documentLoader',
  'status',
] as const
const BUILD_OPTIONS = [
  ...ISSUE_OPTIONS.filter((o) => o !== 'key' && o !== 'status'),
  'issuerDid',
] as const
const SIGN_OPTIONS = ['key', 'suite', 'created', 'documentLoader'] as const
const RESERVED_CREDENTIAL_MEMBERS = [
  '@context',
  'id',
  'type',
  'name',
  'issuer',
  'validFrom',
  'validUntil',
  'issuanceDate',
  'expirationDate',
  'credentialSubject',
  'proof',
]
const RESERVED_SUBJECT_MEMBERS = ['id', 'type', 'name', 'identifier', 'achievement']
const MAX_NAME_LENGTH = 512
const MAX_EMAIL_LENGTH = 254
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/
const DAY_MS = 86_400_000

let defaultLoader: DocumentLoader | undefined
function defaultDocumentLoader(): DocumentLoader {
  return (defaultLoader ??= createDocumentLoader())
}

function checkLoader(value: unknown): DocumentLoader {
  if (value === undefined) return defaultDocumentLoader()
  if (typeof value !== 'function') throw new TypeError('"documentLoader" must be a function.')
  return value as DocumentLoader
}

/**
 * Checks that `value` looks like an {@link IssuerKey} (internal: not re-exported).
 *
 * @throws {TypeError} otherwise.
 */
export function checkKey(value: unknown): IssuerKey {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError('"key" must be an IssuerKey (generateIssuerKey, loadIssuerKey …).')
  }
  const key = value as Partial<Record<keyof IssuerKey, unknown>>
  if (typeof key.did !== 'string' || !isDid(key.did)) {
    throw new TypeError('"key.did" must be a DID.')
  }
  if (
    typeof key.verificationMethodId !== 'string' ||
    !key.verificationMethodId.startsWith(`${key.did}#`)
  ) {
    throw new TypeError('"key.verificationMethodId" must be a DID URL of "key.did".')
  }
  if (typeof key.signer !== 'function') throw new TypeError('"key.signer" must be a function.')
  return value as IssuerKey
}

/** The key's signer, checked, with signing failures tagged `ERR_KEY_INVALID`. */
function signerOf(key: IssuerKey): Signer {
  const signer: unknown = key.signer()
  if (
    !isPlainObject(signer) ||
    signer.id !== key.verificationMethodId ||
    signer.algorithm !== 'Ed25519' ||
    typeof signer.sign !== 'function'
  ) {
    throw new TypeError(
      '"key.signer()" must return { id: key.verificationMethodId, algorithm: "Ed25519", sign }.',
    )
  }
  const sign = signer.sign as Signer['sign']
  return {
    id: key.verificationMethodId,
    algorithm: 'Ed25519',
    async sign(input) {
      try {
        return await sign.call(signer, input)
      } catch (error) {
        throw new CertifyError('ERR_KEY_INVALID', 'The issuer key failed to sign.', {
          cause: error,
        })
      }
    },
  }
}

function checkCatalog(value: unknown): Catalog {
  if (value === undefined) return CATALOG
  if (
    !isPlainObject(value) ||
    typeof value.baseUrl !== 'string' ||
    !isPlainObject(value.institute) ||
    !isPlainObject(value.programs)
  ) {
    throw new TypeError('"catalog" must be a Catalog (see createCatalog).')
  }
  return value as unknown as Catalog
}

function checkFormat(value: unknown): CredentialFormat {
  if (value === undefined) return 'vc2'
  if (value !== 'vc2' && value !== 'vc1.1')
    throw new TypeError('"format" must be "vc2" or "vc1.1".')
  return value
}

function checkText(
  value: string,
  what: string,
  code: 'ERR_ISSUE_RECIPIENT_INVALID' | 'ERR_ISSUE_INVALID_INPUT',
): string {
  const text = value.trim()
  if (text.length === 0) throw new CertifyError(code, `"${what}" must not be empty.`)
  if (text.length > MAX_NAME_LENGTH) {
    throw new CertifyError(code, `"${what}" must be at most ${MAX_NAME_LENGTH} characters.`)
  }
  if (hasControlCharacter(text) || hasLoneSurrogate(text)) {
    throw new CertifyError(code, `"${what}" holds control characters or unpaired surrogates.`)
  }
  return text
}

/** The normalized form of an email address that gets hashed: trimmed, NFC, lower case. */
function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase()
}

/** An OB 3.0 IdentityObject for an email: `sha256$` + hex SHA-256 of (address + salt). */
function emailIdentity(email: string): OpenBadgeIdentityObject {
  // 128 random bits per credential, so the address cannot be found by guessing (ATTACKS G8).
  const salt = randomBytes(16).toString('hex')
  const hash = createHash('sha256')
    .update(email + salt, 'utf8')
    .digest('hex')
  return {
    type: 'IdentityObject',
    identityHash: `sha256$${hash}`,
    identityType: 'emailAddress',
    hashed: true,
    salt,
  }
}

function checkRecipient(value: unknown): {
  name?: string
  did?: string
  identifier?: OpenBadgeIdentityObject[]
} {
  checkOptionBag(value, 'recipient', ['name', 'did', 'email'])
  const name = optionalString(value.name, 'recipient.name')
  const did = optionalString(value.did, 'recipient.did')
  const email = optionalString(value.email, 'recipient.email')
  if (name === undefined && did === undefined && email === undefined) {
    throw new CertifyError(
      'ERR_ISSUE_RECIPIENT_INVALID',
      'The recipient needs a name, a DID or an email address.',
    )
  }
  const out: { name?: string; did?: string; identifier?: OpenBadgeIdentityObject[] } = {}
  if (name !== undefined)
    out.name = checkText(name, 'recipient.name', 'ERR_ISSUE_RECIPIENT_INVALID')
  if (did !== undefined) {
    const malformedKey = did.startsWith('did:key:') && !/^did:key:z[1-9A-HJ-NP-Za-km-z]+$/.test(did)
    if (!isDid(did) || malformedKey) {
      throw new CertifyError(
        'ERR_ISSUE_RECIPIENT_INVALID',
        '"recipient.did" is not a DID (did:<method>:<id>, without path, query or fragment).',
      )
    }
    out.did = did
  }
  if (email !== undefined) {
    const normalized = normalizeEmail(email)
    if (
      normalized.length > MAX_EMAIL_LENGTH ||
      !EMAIL.test(normalized) ||
      hasControlCharacter(normalized) ||
      hasLoneSurrogate(normalized)
    ) {
      throw new CertifyError(
        'ERR_ISSUE_RECIPIENT_INVALID',
        '"recipient.email" is not an email address.',
      )
    }
    out.identifier = [emailIdentity(normalized)]
  }
  if (out.did === undefined && out.identifier === undefined && out.name !== undefined) {
    // OB 3.0: "Either id or at least one identifier MUST be supplied" on an AchievementSubject.
    out.identifier = [
      { type: 'IdentityObject', identityHash: out.name, identityType: 'name', hashed: false },
    ]
  }
  return out
}

function checkIri(value: string, what: string): string {
  if (!isAbsoluteIri(value)) {
    throw new CertifyError('ERR_STRUCTURE_RELATIVE_IRI', `"${what}" must be an absolute IRI.`)
  }
  return value
}

function checkHttpsUrl(value: string, what: string, allowData: boolean): string {
  checkIri(value, what)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new CertifyError('ERR_ISSUE_INVALID_INPUT', `"${what}" is not a URL.`)
  }
  const dataImage = allowData && url.protocol === 'data:' && value.startsWith('data:image/')
  if (url.protocol !== 'https:' && !dataImage) {
    throw new CertifyError(
      'ERR_ISSUE_INVALID_INPUT',
      `"${what}" must be an https URL${allowData ? ' or a data:image/ URI' : ''}.`,
    )
  }
  return value
}

function issuerProfile(did: string, catalog: Catalog, overrides: unknown): OpenBadgeProfile {
  const o: Record<string, unknown> = {}
  if (overrides !== undefined) {
    checkOptionBag(overrides, 'issuerProfile', ['name', 'url', 'image'])
    Object.assign(o, overrides)
  }
  const name = optionalString(o.name, 'issuerProfile.name') ?? catalog.institute.name
  const url = optionalString(o.url, 'issuerProfile.url') ?? catalog.institute.url
  const image = optionalString(o.image, 'issuerProfile.image') ?? catalog.institute.image
  return {
    id: did,
    type: ['Profile'],
    name: checkText(name, 'issuerProfile.name', 'ERR_ISSUE_INVALID_INPUT'),
    url: checkHttpsUrl(url, 'issuerProfile.url', false),
    image: { id: checkHttpsUrl(image, 'issuerProfile.image', true), type: 'Image' },
  }
}

function checkExtensions(value: unknown): {
  credential: Record<string, JsonValue>
  subject: Record<string, JsonValue>
} {
  if (value === undefined) return { credential: {}, subject: {} }
  checkOptionBag(value, 'extensions', ['credential', 'subject'])
  const part = (
    member: 'credential' | 'subject',
    reserved: readonly string[],
  ): Record<string, JsonValue> => {
    const record = value[member]
    if (record === undefined) return {}
    if (!isPlainObject(record)) throw new TypeError(`"extensions.${member}" must be an object.`)
    const path = member === 'credential' ? '' : '/credentialSubject'
    checkJson(record, path)
    for (const name of Object.keys(record)) {
      if (reserved.includes(name)) {
        throw dataError(
          'ERR_ISSUE_INVALID_INPUT',
          `"extensions.${member}" cannot set "${name}": the issuer sets it.`,
          `${path}/${name}`,
        )
      }
    }
    return record as Record<string, JsonValue>
  }
  return {
    credential: part('credential', RESERVED_CREDENTIAL_MEMBERS),
    subject: part('subject', RESERVED_SUBJECT_MEMBERS),
  }
}

/** Everything {@link issueCredential} needs once the options are checked. */
interface Plan {
  readonly credential: OpenBadgeCredential
  readonly program: ProgramCode
  readonly format: CredentialFormat
  readonly now: Date
  readonly documentLoader: DocumentLoader
}

/**
 * Checks the options and builds the unsigned credential. `withStatus`: a status entry will be
 * added (VC 1.1 then needs the Bitstring Status List context).
 */
function plan(options: Record<string, unknown>, issuerDid: string, withStatus = false): Plan {
  const format = checkFormat(options.format)
  const catalog = checkCatalog(options.catalog)
  const documentLoader = checkLoader(options.documentLoader)
  if (typeof options.program !== 'string') throw new TypeError('"program" must be a string.')
  const program = getProgram(options.program, catalog)
  if (!isPlainObject(program)) {
    throw new TypeError(`"catalog" has no entry for ${JSON.stringify(options.program)}.`)
  }
  const recipient = checkRecipient(options.recipient)
  const id = checkIri(optionalString(options.id, 'id') ?? `urn:uuid:${randomUUID()}`, 'id')
  const now =
    options.now === undefined ? checkDate(new Date(), 'now') : checkDate(options.now, 'now')
  const start = options.validFrom === undefined ? now : checkDate(options.validFrom, 'validFrom')
  // Whole seconds: the dates are written without milliseconds.
  const validFrom = new Date(Math.floor(start.getTime() / 1000) * 1000)
  const validUntil = program.validity.expires
    ? checkDate(new Date(validFrom.getTime() + program.validity.days * DAY_MS), 'validUntil')
    : undefined
  const issuer = issuerProfile(issuerDid, catalog, options.issuerProfile)
  const extensions = checkExtensions(options.extensions)

  const subject: OpenBadgeAchievementSubject = {
    ...(recipient.did === undefined ? {} : { id: recipient.did }),
    type: ['AchievementSubject'],
    ...(recipient.name === undefined ? {} : { name: recipient.name }),
    ...(recipient.identifier === undefined ? {} : { identifier: recipient.identifier }),
    achievement: achievementFor(program, catalog),
  }
  const hasStatus = withStatus || Object.hasOwn(extensions.credential, 'credentialStatus')
  if (withStatus && Object.hasOwn(extensions.credential, 'credentialStatus')) {
    throw new TypeError(
      '"status" and "extensions.credential.credentialStatus" cannot both be set: choose one.',
    )
  }
  const credential: OpenBadgeCredential =
    format === 'vc2'
      ? {
          '@context': [CONTEXT_URLS.credentialsV2, CONTEXT_URLS.openBadgesV3, CERTIFY_CONTEXT_URL],
          id,
          type: ['VerifiableCredential', 'OpenBadgeCredential'],
          name: program.name,
          issuer,
          validFrom: formatDateTimeStamp(validFrom),
          ...(validUntil === undefined ? {} : { validUntil: formatDateTimeStamp(validUntil) }),
          credentialSubject: Object.assign(subject, extensions.subject),
        }
      : {
          '@context': [
            CONTEXT_URLS.credentialsV1,
            CONTEXT_URLS.openBadgesV3,
            CERTIFY_CONTEXT_URL,
            CONTEXT_URLS.ed25519Signature2020V1,
            // VC 1.1 does not define BitstringStatusListEntry; VC 2.0 does.
            ...(hasStatus ? [CONTEXT_URLS.bitstringStatusListV1] : []),
          ],
          id,
          type: ['VerifiableCredential', 'OpenBadgeCredential'],
          name: program.name,
          issuer,
          issuanceDate: formatDateTimeStamp(validFrom),
          ...(validUntil === undefined ? {} : { expirationDate: formatDateTimeStamp(validUntil) }),
          credentialSubject: Object.assign(subject, extensions.subject),
        }
  return {
    credential: Object.assign(credential, extensions.credential),
    program: program.code,
    format,
    now,
    documentLoader,
  }
}

/**
 * Builds the unsigned credential for a program and a learner, with every option checked: what
 * {@link issueCredential} signs. It does not run JSON-LD (that needs the async loader), so
 * extension members the contexts do not define are only refused when signing.
 *
 * @example
 * const credential = buildCredential({
 *   program: 'AIDA',
 *   recipient: { name: 'Ada Lovelace', did: 'did:key:z6Mk…' },
 *   issuerDid: key.did,
 * })
 *
 * @throws {TypeError} for wrong option types or unknown options.
 * @throws {CertifyError} `ERR_ISSUE_PROGRAM_UNKNOWN`, `ERR_ISSUE_RECIPIENT_INVALID`,
 *   `ERR_ISSUE_INVALID_INPUT`, `ERR_STRUCTURE_RELATIVE_IRI`, `ERR_STRUCTURE_DATE_INVALID`,
 *   `ERR_INPUT_FORBIDDEN_KEY`, `ERR_INPUT_TOO_DEEP` or `ERR_CONTEXT_INLINE`.
 */
export function buildCredential(options: BuildCredentialOptions): OpenBadgeCredential {
  checkOptionBag(options, 'options', BUILD_OPTIONS)
  if (typeof options.issuerDid !== 'string') throw new TypeError('"issuerDid" must be a string.')
  if (!isDid(options.issuerDid)) {
    throw new CertifyError('ERR_ISSUE_INVALID_INPUT', '"issuerDid" must be a DID.')
  }
  return plan(options, options.issuerDid).credential
}

/**
 * Issues a signed OpenBadgeCredential for an AIDA, CAAE or AIMA learner. The unsigned credential
 * is expanded in JSON-LD safe mode first, so a member the contexts do not define or a relative
 * IRI is refused before anything is signed.
 *
 * @example
 * const key = await loadIssuerKey('issuer-key.json')
 * const credential = await issueCredential({
 *   program: 'CAAE',
 *   recipient: { name: 'Ada Lovelace', email: 'ada@example.org' },
 *   key,
 * })
 *
 * @example
 * // Revocable (and, for this program, suspendable): recorded in the registry before signing.
 * const registry = await openSqliteRegistry('./certify-vc.sqlite')
 * const credential = await issueCredential({
 *   program: 'CAAE',
 *   recipient: { name: 'Ada Lovelace', did: 'did:key:z6Mk…' },
 *   key,
 *   status: { registry, baseUrl: 'https://production-ai.institute/status', suspension: true },
 * })
 * credential.credentialStatus // [{ statusPurpose: 'revocation', … }, { statusPurpose: 'suspension', … }]
 *
 * @throws {TypeError} for wrong option types, unknown options or a missing key.
 * @throws {CertifyError} the codes of {@link buildCredential}; `ERR_JSONLD_UNDEFINED_TERM`,
 *   `ERR_STRUCTURE_RELATIVE_IRI`, `ERR_JSONLD_INVALID` or `ERR_DOCUMENT_NOT_FOUND` from safe-mode
 *   expansion; `ERR_KEY_INVALID` when the key fails to sign; `ERR_ISSUE_SIGNING_FAILED` for any other
 *   signing failure. With `status`: `ERR_ISSUE_INVALID_INPUT` (bad `baseUrl`, or the `id` is
 *   already in the registry), `ERR_REGISTRY_STORAGE` (the registry could not record it; also when
 *   signing failed and the allocation could not be marked void), `ERR_REGISTRY_FULL`.
 */
export async function issueCredential(
  options: IssueCredentialOptions,
): Promise<SignedOpenBadgeCredential> {
  checkOptionBag(options, 'options', ISSUE_OPTIONS)
  const key = checkKey(options.key)
  const status = checkStatusOption(options.status)
  const { credential, program, format, now, documentLoader } = plan(
    options,
    key.did,
    status !== undefined,
  )
  const signOptions = {
    key,
    suite: format === 'vc2' ? ('eddsa-rdfc-2022' as const) : ('Ed25519Signature2020' as const),
    created: now,
    documentLoader,
  }
  if (status === undefined) {
    await expandSafely(credential, documentLoader)
    return signChecked(credential, signOptions)
  }

  // Safe mode with entries of the final shape first, so that a credential that cannot be signed
  // does not use up an index; only the digits change once the index is allocated.
  credential.credentialStatus = statusEntries(status.baseUrl, 1, 0, status.suspension)
  await expandSafely(credential, documentLoader)
  const { listNumber, index } = await status.registry.allocateStatus({
    credentialId: credential.id,
    program,
    recipient: recipientSummary(credential.credentialSubject),
    suspension: status.suspension,
    // Recorded with the list, so that publishing signs the list exactly where this points.
    statusBaseUrl: status.baseUrl,
    issuedAt: now,
  })
  credential.credentialStatus = statusEntries(status.baseUrl, listNumber, index, status.suspension)
  try {
    return await signChecked(credential, signOptions)
  } catch (error) {
    // The credential was never issued: mark the allocation void (its index is not reused).
    try {
      await status.registry.voidCredential(credential.id, 'signing failed')
    } catch (voidError) {
      throw new CertifyError(
        'ERR_REGISTRY_STORAGE',
        `Signing failed, and the allocation of ${credential.id} could not be marked void.`,
        { cause: new AggregateError([error, voidError]) },
      )
    }
    throw error
  }
}

/** The checked `status` option of {@link issueCredential}. */
interface StatusPlan {
  readonly registry: StatusRegistry
  readonly baseUrl: string
  readonly suspension: boolean
}

function checkStatusOption(value: unknown): StatusPlan | undefined {
  if (value === undefined) return undefined
  checkOptionBag(value, 'status', ['registry', 'baseUrl', 'suspension'])
  const registry = value.registry as Partial<Record<keyof StatusRegistry, unknown>> | undefined
  if (
    typeof registry !== 'object' ||
    registry === null ||
    typeof registry.allocateStatus !== 'function' ||
    typeof registry.voidCredential !== 'function'
  ) {
    throw new TypeError('"status.registry" must be a StatusRegistry (see openSqliteRegistry).')
  }
  const suspension = value.suspension ?? false
  if (typeof suspension !== 'boolean') {
    throw new TypeError('"status.suspension" must be a boolean.')
  }
  return {
    registry: value.registry as StatusRegistry,
    baseUrl: checkBaseUrl(value.baseUrl, 'status.baseUrl'),
    suspension,
  }
}

/** What the registry keeps about the learner: name, DID, the email hash without its salt. */
function recipientSummary(subject: OpenBadgeAchievementSubject): RecipientSummary {
  const email = subject.identifier?.find((i) => i.identityType === 'emailAddress' && i.hashed)
  return {
    ...(subject.name === undefined ? {} : { name: subject.name }),
    ...(subject.id === undefined ? {} : { did: subject.id }),
    ...(email === undefined ? {} : { identityHash: email.identityHash }),
  }
}

function isProof(value: unknown): value is Proof {
  return (
    isPlainObject(value) &&
    typeof value.type === 'string' &&
    typeof value.verificationMethod === 'string' &&
    typeof value.proofPurpose === 'string' &&
    typeof value.proofValue === 'string'
  )
}

function isJsonLdError(error: unknown): boolean {
  return error instanceof Error && error.name.startsWith('jsonld.')
}

/** Signs an already checked credential through `@digitalbazaar/vc`'s `issue()`. */
async function signChecked<T extends object>(
  credential: T,
  options: { key: IssuerKey; suite: SuiteName; created: Date; documentLoader: DocumentLoader },
): Promise<T & { proof: Proof }> {
  const suite = createSuite(options.suite, {
    signer: signerOf(options.key),
    date: formatDateTimeStamp(options.created),
  })
  let signed: T & { proof: unknown }
  try {
    signed = await issue({
      // issue() and jsonld-signatures modify the object they get.
      credential: structuredClone(credential),
      suite: suite.implementation,
      documentLoader: options.documentLoader,
      now: options.created,
    })
  } catch (error) {
    const ours = findCertifyError(error)
    if (ours !== undefined) throw ours
    if (isJsonLdError(error)) throw toJsonLdError(error)
    const message = error instanceof Error ? error.message : String(error)
    throw new CertifyError('ERR_ISSUE_SIGNING_FAILED', `Signing failed: ${message}`, {
      cause: error,
    })
  }
  const { proof } = signed
  if (!isProof(proof)) {
    throw new CertifyError('ERR_ISSUE_SIGNING_FAILED', 'Signing produced no single proof.')
  }
  return Object.assign(signed, { proof })
}

/**
 * Signs any VC 1.1 or VC 2.0 credential with an issuer key (the W3C test vectors, credentials
 * built elsewhere). The credential is checked first: plain JSON, named contexts only, no proof
 * yet, and JSON-LD safe mode. It is not modified; a signed copy is returned (with the suite's
 * context appended when the suite needs one, as for Ed25519Signature2020 on VC 2.0).
 * It does not check that `issuer` is the key's DID: verifiers will.
 *
 * @example
 * const signed = await signCredential(credential, { key, created: '2023-02-24T23:36:38Z' })
 * signed.proof.cryptosuite // 'eddsa-rdfc-2022'
 *
 * @throws {TypeError} for a non-object credential, a non-JSON value or wrong option types.
 * @throws {CertifyError} `ERR_CONTEXT_ORDER` (first context not VC 1.1 / 2.0),
 *   `ERR_CONTEXT_INLINE`, `ERR_ISSUE_INVALID_INPUT` (already has a proof),
 *   `ERR_STRUCTURE_INVALID` (no credentialSubject or issuer, VC 1.1 without `issuanceDate`),
 *   `ERR_ISSUE_SIGNING_FAILED` (the suite failed),
 *   `ERR_STRUCTURE_DATE_INVALID` (bad `created`), the safe-mode codes of {@link issueCredential},
 *   `ERR_INPUT_FORBIDDEN_KEY`, `ERR_INPUT_TOO_DEEP`, or `ERR_KEY_INVALID` when the key fails to
 *   sign.
 */
export async function signCredential<T extends object>(
  credential: T,
  options: SignCredentialOptions,
): Promise<T & { proof: Proof }> {
  if (!isPlainObject(credential)) throw new TypeError('"credential" must be an object.')
  checkOptionBag(options, 'options', SIGN_OPTIONS)
  const key = checkKey(options.key)
  const documentLoader = checkLoader(options.documentLoader)
  if (options.suite !== undefined && !SUITE_NAMES.includes(options.suite)) {
    throw new TypeError(`"suite" must be one of ${SUITE_NAMES.join(', ')}.`)
  }
  const created = checkCreated(options.created)

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
    if (typeof c !== 'string') {
      throw dataError('ERR_CONTEXT_INLINE', 'Contexts must be named by URL.', `/@context/${i}`)
    }
  })
  if (Object.hasOwn(credential, 'proof')) {
    throw dataError('ERR_ISSUE_INVALID_INPUT', 'The credential already has a proof.', '/proof')
  }
  for (const [name, value] of Object.entries(credential)) {
    if (name !== '@context') checkJson(value, `/${name}`, { keywords: true })
  }
  const subject = credential.credentialSubject
  const subjects: unknown[] = Array.isArray(subject) ? subject : [subject]
  if (subjects.length === 0 || !subjects.every(isPlainObject)) {
    throw dataError(
      'ERR_STRUCTURE_INVALID',
      'A credential needs a credentialSubject object.',
      '/credentialSubject',
    )
  }
  if (credential.issuer === undefined || credential.issuer === null) {
    throw dataError('ERR_STRUCTURE_INVALID', 'A credential needs an issuer.', '/issuer')
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
  return signChecked(credential as T, {
    key,
    suite: options.suite ?? (v1 ? 'Ed25519Signature2020' : 'eddsa-rdfc-2022'),
    created,
    documentLoader,
  })
}

function checkCreated(value: unknown): Date {
  if (value === undefined) return checkDate(new Date(), 'created')
  if (typeof value === 'string') {
    const date = parseDateTimeStamp(value)
    if (date === undefined) {
      throw new CertifyError(
        'ERR_STRUCTURE_DATE_INVALID',
        '"created" must be an XSD dateTimeStamp such as 2026-11-29T12:00:00Z.',
      )
    }
    return checkDate(date, 'created')
  }
  if (!(value instanceof Date)) throw new TypeError('"created" must be a Date or a string.')
  return checkDate(value, 'created')
}
