/**
 * Issuing: build an Open Badges 3.0 `OpenBadgeCredential` for an AIDA, CAAE or AIMA learner,
 * check it in JSON-LD safe mode, and sign it (DataIntegrityProof / eddsa-rdfc-2022 on VC 2.0,
 * Ed25519Signature2020 on VC 1.1) through `@digitalbazaar/vc`'s `issue()`.
 *
 * @see https://www.imsglobal.org/spec/ob/v3p0/
 * @see https://www.w3.org/TR/vc-data-model-2.0/
 * @module
 */
import { randomUUID } from 'node:crypto'
import {
  CATALOG,
  CERTIFY_CONTEXT_URL,
  CONTEXT_URLS,
  CertifyError,
  achievementFor,
  createDocumentLoader,
  formatDateTimeStamp,
  getProgram,
  isPlainObject,
  type Catalog,
  type CredentialFormat,
  type DocumentLoader,
  type InstituteProfile,
  type JsonValue,
  type OpenBadgeAchievementSubject,
  type OpenBadgeCredential,
  type OpenBadgeProfile,
  type ProgramCode,
  type SignedOpenBadgeCredential,
} from '@certify-vc/context'
import { SUITE_KEY_TYPES, expandSafely, type SuiteName } from '@certify-vc/core'
import {
  checkDate,
  checkJson,
  checkOptionBag,
  dataError,
  isAbsoluteIri,
  isDid,
  optionalString,
} from './option-checks.js'
import { mandatoryPointersFor } from './disclosure.js'
import { checkKey, keyTypeOf } from './issuer-key-check.js'
import type { IssuerKey } from './keys.js'
import { signChecked } from './sign-credential.js'
import type { StatusRegistry } from './registry/status-registry.js'
import { checkRecipient, checkText, recipientSummary, type Recipient } from './recipient.js'
import { checkBaseUrl, checkStatusMessages, statusEntries } from './status-urls.js'

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
  /**
   * Also add a status message entry (`statusPurpose: 'message'`, `statusSize` 2) whose
   * `statusMessage` explains each value 0x0–0x3 with these four texts, e.g. for CAAE
   * `['valid', 'renewal pending', 'renewal overdue', 'under review']`; its value is set later
   * with `registry.setStatusMessage`. Opt-in per program; default none.
   */
  messages?: readonly string[]
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
  /**
   * The signature suite. Default: by the key, `eddsa-rdfc-2022` (VC 2.0) or
   * `Ed25519Signature2020` (VC 1.1) for an Ed25519 key, `ecdsa-rdfc-2019` for a P-256 / P-384
   * key (VC 2.0 only). `'ecdsa-sd-2023'` (P-256, VC 2.0) signs a base proof for the learner to
   * derive selectively disclosed credentials from; what each derived credential must disclose is
   * the program's (`SD_MANDATORY_POINTERS`).
   */
  suite?: IssueSuite
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

/** The suites {@link issueCredential} signs badges with. */
export type IssueSuite =
  'eddsa-rdfc-2022' | 'Ed25519Signature2020' | 'ecdsa-rdfc-2019' | 'ecdsa-sd-2023'

const ISSUE_SUITES: readonly IssueSuite[] = [
  'eddsa-rdfc-2022',
  'Ed25519Signature2020',
  'ecdsa-rdfc-2019',
  'ecdsa-sd-2023',
]

/**
 * The suite to sign with: the caller's, checked against the format and the key type, or the
 * default for them.
 *
 * @throws {TypeError} for an unknown suite, or one the format or the key cannot take.
 */
function checkIssueSuite(value: unknown, format: CredentialFormat, key: IssuerKey): SuiteName {
  if (value !== undefined && !(ISSUE_SUITES as readonly unknown[]).includes(value)) {
    throw new TypeError(`"suite" must be one of ${ISSUE_SUITES.join(', ')}.`)
  }
  const suite: IssueSuite =
    (value as IssueSuite | undefined) ??
    (keyTypeOf(key) !== 'Ed25519'
      ? 'ecdsa-rdfc-2019'
      : format === 'vc1.1'
        ? 'Ed25519Signature2020'
        : 'eddsa-rdfc-2022')
  if ((suite === 'Ed25519Signature2020') !== (format === 'vc1.1')) {
    throw new TypeError(
      format === 'vc1.1'
        ? 'A VC 1.1 credential is signed with Ed25519Signature2020 (an Ed25519 key).'
        : `${suite} signs VC 1.1 credentials only: use format "vc1.1".`,
    )
  }
  if (!SUITE_KEY_TYPES[suite].includes(keyTypeOf(key))) {
    throw new TypeError(
      `${suite} signs with ${SUITE_KEY_TYPES[suite].join(' or ')} keys; this key is ${keyTypeOf(key)}.`,
    )
  }
  return suite
}

/**
 * Options of {@link buildCredential}: those of {@link issueCredential} with a DID for the key.
 *
 * @example
 * const options: BuildCredentialOptions = { program: 'CAAE', recipient, issuerDid: key.did }
 */
export type BuildCredentialOptions = Omit<IssueCredentialOptions, 'key' | 'status' | 'suite'> & {
  /** The issuer DID (`issuer.id`). */
  issuerDid: string
}

const ISSUE_OPTIONS = [
  'program',
  'recipient',
  'key',
  'format',
  'suite',
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
  ...ISSUE_OPTIONS.filter((o) => o !== 'key' && o !== 'status' && o !== 'suite'),
  'issuerDid',
] as const
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
function checkAndBuild(
  options: Record<string, unknown>,
  issuerDid: string,
  withStatus = false,
): Plan {
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
  return checkAndBuild(options, options.issuerDid).credential
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
 * @throws {TypeError} for wrong option types, unknown options, a missing key, or a suite the
 *   format or the key cannot take.
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
  return issueSigned({ ...options }, (credential, { program, format, now, documentLoader }) => {
    const suite = checkIssueSuite(options.suite, format, key)
    // ecdsa-sd-2023: what every derived credential must disclose, by program (computed on the
    // final credential, status entries included).
    const sd =
      suite === 'ecdsa-sd-2023'
        ? {
            mandatoryPointers: mandatoryPointersFor(
              credential as unknown as Record<string, unknown>,
              program,
            ),
          }
        : {}
    return signChecked(credential, {
      key,
      suite,
      created: now,
      expires: undefined,
      documentLoader,
      canonicalization: 'fast' as const,
      engine: 'vc' as const,
      ...sd,
    })
  })
}

/** What the signing step of {@link issueSigned} is told about the credential it signs. */
export interface IssuePlan {
  readonly program: ProgramCode
  readonly format: CredentialFormat
  readonly now: Date
  readonly documentLoader: DocumentLoader
}

/**
 * The issuing steps every securing format shares: build and check the credential, allocate its
 * status index (void again if signing fails), then `sign` it: a Data Integrity proof
 * ({@link issueCredential}) or a JWT (`issueCredentialJwt`).
 */
export async function issueSigned<T>(
  options: Record<string, unknown>,
  sign: (credential: OpenBadgeCredential, plan: IssuePlan) => Promise<T>,
): Promise<T> {
  const key = checkKey(options.key)
  const status = checkStatusOption(options.status)
  const { credential, program, format, now, documentLoader } = checkAndBuild(
    options,
    key.did,
    status !== undefined,
  )
  const plan: IssuePlan = { program, format, now, documentLoader }
  if (status === undefined) {
    await expandSafely(credential, documentLoader)
    return sign(credential, plan)
  }

  // Safe mode with entries of the final shape first, so that a credential that cannot be signed
  // does not use up an index; only the digits change once the index is allocated.
  credential.credentialStatus = statusEntries(
    status.baseUrl,
    1,
    0,
    status.suspension,
    status.messages,
  )
  await expandSafely(credential, documentLoader)
  const { listNumber, index } = await status.registry.allocateStatus({
    credentialId: credential.id,
    program,
    recipient: recipientSummary(credential.credentialSubject),
    suspension: status.suspension,
    // Recorded with the list, so that publishing signs the list exactly where this points.
    statusBaseUrl: status.baseUrl,
    messages: status.messages !== undefined,
    issuedAt: now,
  })
  credential.credentialStatus = statusEntries(
    status.baseUrl,
    listNumber,
    index,
    status.suspension,
    status.messages,
  )
  try {
    return await sign(credential, plan)
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
  readonly messages?: readonly string[] | undefined
}

function checkStatusOption(value: unknown): StatusPlan | undefined {
  if (value === undefined) return undefined
  checkOptionBag(value, 'status', ['registry', 'baseUrl', 'suspension', 'messages'])
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
    messages:
      value.messages === undefined
        ? undefined
        : checkStatusMessages(value.messages, 'status.messages'),
  }
}
