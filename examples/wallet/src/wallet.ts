/**
 * A learner's wallet: the learner's `did:key`, a folder of credentials that were verified before
 * they were stored, a readable listing that re-checks each credential (status included), and
 * presentations signed for an employer's challenge and domain.
 *
 * Selective disclosure (ecdsa-sd-2023): the wallet holds the credential with the issuer's base
 * proof, which only the holder uses. To check it (on import, in the listing) the wallet derives a
 * credential disclosing everything and verifies that with the verifier, so a held credential gets
 * the verdict a full disclosure of it would get anywhere; to present it, it derives a credential
 * disclosing the issuer's mandatory members and those the learner reveals.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import {
  CATALOG,
  CONTEXT_URLS,
  CertifyError,
  createDocumentLoader,
  formatDateTimeStamp,
  isDid,
  isPlainObject,
  problem,
  type Catalog,
  type ErrorCode,
  type JsonObject,
  type Problem,
  type ProgramCode,
} from '@certify-vc/context'
import {
  createPresentation,
  deriveCredential,
  hasSdBaseProof,
  signPresentation,
  unbakeImage,
  topLevelPointers,
  type PresentationFormat,
  type VerifiablePresentation,
} from '@certify-vc/core'
import { generateIssuerKey, loadIssuerKey, saveIssuerKey, type IssuerKey } from '@certify-vc/issuer'
import {
  verifyCredential,
  type DidResolver,
  type ProfileName,
  type StatusCheckOptions,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import { FolderStore, localIdOf, type StoredCredential, type WalletConfig } from './store.js'

/** Options of {@link initWallet}. */
export interface InitWalletOptions {
  /** The issuers whose credentials this wallet accepts (the Institute's DID). At least one. */
  readonly trustedIssuers: readonly string[]
  /** 32 bytes to derive the learner's key from (tests, reproducible demos). Default random. */
  readonly seed?: Uint8Array
  /** The creation time. Default now. */
  readonly now?: Date
}

/** What every verification by the wallet may be given. */
export interface WalletVerifyOptions {
  /** The status check, passed to `verifyCredential` (`false` is refused: never skip it here). */
  readonly status?: StatusCheckOptions
  /** Verify as of this time. Default now. */
  readonly now?: Date
  /** The program catalog. Default `CATALOG`. */
  readonly catalog?: Catalog
  /**
   * What a credential must be (the verifier's profiles): `'institute'` (default: an Institute
   * program from a trusted issuer), `'open-badges'` (any issuer's Open Badge) or `'vc'`.
   */
  readonly profile?: ProfileName
  /**
   * Resolves issuers' DIDs (passed to `verifyCredential`). Default: `did:key` only; the command
   * line passes the verifier's hardened `did:web` resolver.
   */
  readonly didResolver?: DidResolver
}

/** The result of {@link Wallet.importCredential}: plain JSON. */
export interface ImportResult {
  /** `true` iff the credential verified, is issued to this wallet's DID and is now stored. */
  readonly imported: boolean
  /** The wallet's short reference, when imported. */
  readonly localId?: string
  /** `true` when the wallet already held this credential id (it is replaced by this copy). */
  readonly replaced?: boolean
  /** Why it was refused: the verifier's problems, or `ERR_WALLET_SUBJECT_MISMATCH`. */
  readonly problems: readonly Problem[]
  /** The full verification result. */
  readonly verification: VerifyCredentialResult
}

/** Options of {@link Wallet.present}: the employer's request and the learner's choice. */
export interface PresentOptions {
  /** The employer's challenge (from its challenge store), exactly as received. */
  readonly challenge: string
  /** The employer's domain (its origin or relying-party id), exactly as received. */
  readonly domain: string
  /**
   * The credentials to include, chosen by the learner: local ids, credential ids, or program
   * codes (when the wallet holds exactly one of that program). At least one; no duplicates.
   */
  readonly credentials: readonly string[]
  /** `'vc2'` (default, eddsa-rdfc-2022) or `'vc1.1'` (Ed25519Signature2020). */
  readonly format?: PresentationFormat
  /** The proof's `created` time. Default now. */
  readonly now?: Date
  /** The presentation id. Default `urn:uuid:<random>`. */
  readonly id?: string
  /** The program catalog, to resolve program codes. Default `CATALOG`. */
  readonly catalog?: Catalog
  /**
   * JSON Pointers of what to reveal of the selectively disclosable (ecdsa-sd-2023) credentials
   * chosen, besides what their issuer made mandatory (e.g. `/credentialSubject/name`); each must
   * name a member of every such credential. Default: disclose them whole. Refused (`TypeError`)
   * when no chosen credential can be disclosed in part.
   */
  readonly reveal?: readonly string[]
}

/** A credential's current standing, as the listing shows it. */
export type CredentialStanding =
  'valid' | 'revoked' | 'suspended' | 'expired' | 'not-yet-valid' | 'status-unknown' | 'invalid'

/** One line of {@link Wallet.list}: display data from the catalog, never from the credential. */
export interface WalletEntry {
  readonly localId: string
  readonly id: string
  /** From the catalog, when the issuer is trusted and the achievement id is one of ours. */
  readonly program?: { readonly code: ProgramCode; readonly name: string }
  readonly issuer: {
    readonly did: string
    /** The catalog's Institute name, only when the program was established. */
    readonly name?: string
  }
  readonly subjectName?: string
  readonly validFrom?: string
  readonly validUntil?: string
  readonly importedAt: string
  readonly standing: CredentialStanding
  /** The problem codes behind a standing other than `valid`. */
  readonly codes: readonly ErrorCode[]
}

function checkTrusted(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError('"trustedIssuers" must be a non-empty array of DIDs.')
  }
  for (const did of value) {
    if (!isDid(did)) throw new TypeError(`"trustedIssuers": ${JSON.stringify(did)} is not a DID.`)
  }
  return [...new Set(value as string[])]
}

function checkVerifyOptions(options: WalletVerifyOptions): WalletVerifyOptions {
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  if ((options as { status?: unknown }).status === false) {
    throw new TypeError('The wallet never skips the status check ("status: false").')
  }
  const { now } = options as { now?: unknown }
  if (now !== undefined && !(now instanceof Date && !Number.isNaN(now.getTime()))) {
    throw new TypeError('"now" must be a valid Date.')
  }
  return options
}

/** Maps a verification result to the standing shown in the listing. */
export function standingOf(result: VerifyCredentialResult): {
  standing: CredentialStanding
  codes: ErrorCode[]
} {
  const codes = [...new Set(result.problems.map((p) => p.code))]
  if (result.verified) return { standing: 'valid', codes: [] }
  const has = (code: ErrorCode) => codes.includes(code)
  const failed = (id: string) => result.checks.some((c) => c.id === id && c.outcome === 'failed')
  const integrity = ['input', 'structure', 'contexts', 'proof', 'key-binding'].some(failed)
  const trust = ['issuer-trust', 'program'].some(failed)
  if (integrity || trust) return { standing: 'invalid', codes }
  if (has('ERR_STATUS_REVOKED')) return { standing: 'revoked', codes }
  if (has('ERR_STATUS_SUSPENDED')) return { standing: 'suspended', codes }
  if (has('ERR_VALIDITY_EXPIRED')) return { standing: 'expired', codes }
  if (has('ERR_VALIDITY_NOT_YET_VALID')) return { standing: 'not-yet-valid', codes }
  if (failed('status')) return { standing: 'status-unknown', codes }
  return { standing: 'invalid', codes }
}

/** The subject DID of a credential that has exactly one subject, else `undefined`. */
function subjectDid(credential: JsonObject): string | undefined {
  const subject = credential.credentialSubject
  if (!isPlainObject(subject)) return undefined
  return typeof subject.id === 'string' ? subject.id : undefined
}

/** A learner's wallet in a folder. Make one with {@link initWallet} or {@link openWallet}. */
export class Wallet {
  readonly dir: string
  readonly #store: FolderStore
  #config: WalletConfig
  #key: IssuerKey | undefined

  private constructor(store: FolderStore, config: WalletConfig, key?: IssuerKey) {
    this.dir = store.dir
    this.#store = store
    this.#config = config
    this.#key = key
  }

  /** @internal */
  static create(store: FolderStore, config: WalletConfig, key?: IssuerKey): Wallet {
    return new Wallet(store, config, key)
  }

  /** The learner's DID: credentials must be issued to it. */
  get holder(): string {
    return this.#config.holder
  }

  /** The issuers this wallet accepts credentials from. */
  get trustedIssuers(): readonly string[] {
    return this.#config.trustedIssuers
  }

  /** The learner's key (loaded from the 0600 key file on first use). */
  async key(): Promise<IssuerKey> {
    this.#key ??= await loadIssuerKey(this.#store.keyPath)
    if (this.#key.did !== this.#config.holder) {
      throw new CertifyError('ERR_WALLET_CORRUPT', 'The key file does not belong to this wallet.')
    }
    return this.#key
  }

  /** Adds trusted issuers (kept in `wallet.json`). */
  async trust(dids: readonly string[]): Promise<readonly string[]> {
    const added = checkTrusted(dids)
    this.#config = {
      ...this.#config,
      trustedIssuers: [...new Set([...this.#config.trustedIssuers, ...added])],
    }
    await this.#store.writeConfig(this.#config)
    return this.#config.trustedIssuers
  }

  /**
   * Verifies a credential as this wallet does: its trusted issuers, status always checked. A
   * credential with an ecdsa-sd-2023 base proof (what the issuer hands the holder) is checked
   * through a credential derived from it that discloses everything: the base proof itself is
   * refused by every verifier (`ERR_PROOF_BASE_NOT_DERIVED`), a full disclosure of it is not.
   */
  async verify(input: unknown, options: WalletVerifyOptions = {}): Promise<VerifyCredentialResult> {
    const checked = checkVerifyOptions(options)
    const verifierOptions = {
      trustedIssuers: this.#config.trustedIssuers,
      ...(checked.profile === undefined ? {} : { profile: checked.profile }),
      ...(checked.now === undefined ? {} : { now: checked.now }),
      ...(checked.catalog === undefined ? {} : { catalog: checked.catalog }),
      ...(checked.status === undefined ? {} : { status: checked.status }),
      ...(checked.didResolver === undefined ? {} : { didResolver: checked.didResolver }),
    }
    const result = await verifyCredential(input, verifierOptions)
    // Only when everything before the proof passed (ingress limits, structure, contexts) on the
    // input as given, and its one proof is a base proof.
    const baseOnly =
      !result.verified &&
      result.problems.length > 0 &&
      result.problems.every((p) => p.code === 'ERR_PROOF_BASE_NOT_DERIVED')
    if (!baseOnly) return result
    const credential = parseHeld(input)
    if (credential === undefined || !hasSdBaseProof(credential)) return result
    let derived: Record<string, unknown>
    try {
      derived = await deriveCredential(credential, {
        selectivePointers: topLevelPointers(credential),
        documentLoader: loader(),
      })
    } catch {
      return result
    }
    return verifyCredential(derived, verifierOptions)
  }

  /**
   * Imports a credential (JSON text, UTF-8 bytes, a parsed object, or a baked PNG or SVG badge,
   * whose credential is what is stored): it is verified first (every check, status included) and
   * must be issued to this wallet's DID. A refused credential is returned with its problems,
   * never stored, never thrown.
   */
  async importCredential(input: unknown, options: WalletVerifyOptions = {}): Promise<ImportResult> {
    const verification = await this.verify(input, options)
    if (!verification.verified) {
      return { imported: false, problems: verification.problems, verification }
    }
    // A baked badge (PNG or SVG) verified as the credential inside it: store that credential.
    const text = unbakeImage(input)?.credential ?? input
    const credential = (
      typeof text === 'string' || text instanceof Uint8Array
        ? JSON.parse(typeof text === 'string' ? text : new TextDecoder().decode(text))
        : structuredClone(text)
    ) as JsonObject
    const subject = subjectDid(credential)
    if (subject !== this.#config.holder) {
      const why =
        subject === undefined
          ? 'The credential names no subject DID (it was issued to an email or a name).'
          : `The credential is issued to ${subject}, not to this wallet (${this.#config.holder}).`
      return {
        imported: false,
        problems: [problem('ERR_WALLET_SUBJECT_MISMATCH', why, '/credentialSubject/id')],
        verification,
      }
    }
    const id = credential.id as string
    const localId = localIdOf(id)
    const replaced = (await this.#store.get(localId)) !== undefined
    const importedAt = (options.now ?? new Date()).toISOString()
    await this.#store.put({ localId, importedAt, credential })
    return {
      imported: true,
      localId,
      ...(replaced ? { replaced } : {}),
      problems: [],
      verification,
    }
  }

  /** Every stored credential, as imported. */
  credentials(): Promise<StoredCredential[]> {
    return this.#store.all()
  }

  /**
   * Finds one stored credential by its local id, its credential id, or a program code (when the
   * wallet holds exactly one credential of that program).
   *
   * @throws {CertifyError} `ERR_WALLET_CREDENTIAL_NOT_FOUND` for no match or several.
   */
  async find(reference: string, catalog: Catalog = CATALOG): Promise<StoredCredential> {
    if (typeof reference !== 'string' || reference === '') {
      throw new TypeError('"reference" must be a non-empty string.')
    }
    const all = await this.#store.all()
    let matches = all.filter((e) => e.localId === reference || e.credential.id === reference)
    if (matches.length === 0 && /^[A-Za-z]{4}$/.test(reference)) {
      const code = reference.toUpperCase()
      const program = Object.values(catalog.programs).find((p) => p.code === code)
      matches = all.filter((e) => {
        const subject = e.credential.credentialSubject
        const achievement = isPlainObject(subject) ? subject.achievement : undefined
        return isPlainObject(achievement) && achievement.id === program?.achievementId
      })
    }
    if (matches.length !== 1 || matches[0] === undefined) {
      throw new CertifyError(
        'ERR_WALLET_CREDENTIAL_NOT_FOUND',
        matches.length === 0
          ? `No credential in the wallet matches ${JSON.stringify(reference)}.`
          : `${matches.length} credentials match ${JSON.stringify(reference)}; use a local id.`,
      )
    }
    return matches[0]
  }

  /**
   * Creates a Verifiable Presentation of the chosen credentials for an employer's request,
   * signed with the learner's key for `authentication` and bound to the employer's challenge and
   * domain. Only the chosen credentials are included, as imported. The wallet does not re-check
   * them here (`list` does): the employer's verifier decides.
   *
   * @throws {TypeError} for a missing challenge or domain, no credential chosen, or a duplicate.
   * @throws {CertifyError} `ERR_WALLET_CREDENTIAL_NOT_FOUND` for a reference that matches no
   *   stored credential (or several).
   */
  async present(options: PresentOptions): Promise<VerifiablePresentation> {
    if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
    const { challenge, domain, credentials, format, now, id, catalog } = options
    if (typeof challenge !== 'string' || challenge.trim() === '') {
      throw new TypeError('"challenge" must be the non-empty challenge the employer sent.')
    }
    if (typeof domain !== 'string' || domain.trim() === '') {
      throw new TypeError('"domain" must be the non-empty domain the employer sent.')
    }
    if (!Array.isArray(credentials) || credentials.length === 0) {
      throw new TypeError('"credentials" must name at least one credential to include.')
    }
    const chosen: StoredCredential[] = []
    for (const reference of credentials as readonly string[]) {
      const stored = await this.find(reference, catalog)
      if (chosen.some((c) => c.localId === stored.localId)) {
        throw new TypeError(`${JSON.stringify(reference)} names a credential already chosen.`)
      }
      chosen.push(stored)
    }
    if (format === 'vc1.1') {
      const modern = chosen.find((c) => {
        const contexts = c.credential['@context']
        return Array.isArray(contexts) && contexts[0] === CONTEXT_URLS.credentialsV2
      })
      if (modern !== undefined) {
        // The VC 1.1 context, unlike 2.0's, does not reset the context for embedded credentials:
        // a VC 2.0 credential inside a VC 1.1 presentation redefines protected terms.
        throw new TypeError(
          `A VC 1.1 presentation cannot carry the VC 2.0 credential ${modern.localId}; use format "vc2".`,
        )
      }
    }
    const shown = await disclose(chosen, options.reveal)
    const key = await this.key()
    const unsigned = createPresentation({
      holder: this.holder,
      verifiableCredential: shown,
      id: id ?? `urn:uuid:${randomUUID()}`,
      ...(format === undefined ? {} : { format }),
    })
    return signPresentation(unsigned, {
      signer: key.signer(),
      challenge,
      domain,
      ...(now === undefined ? {} : { date: now }),
    })
  }

  /**
   * A presentation of no credential, signed for `authentication` with the learner's key for an
   * issuer's DID authentication request (its challenge and domain): it proves the wallet holds
   * the key of its DID, to which the issuer then issues.
   *
   * @throws {TypeError} for a missing challenge or domain.
   */
  async authenticate(options: {
    readonly challenge: string
    readonly domain: string
    readonly now?: Date
  }): Promise<VerifiablePresentation> {
    if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
    const { challenge, domain, now } = options
    if (typeof challenge !== 'string' || challenge.trim() === '') {
      throw new TypeError('"challenge" must be the non-empty challenge the issuer sent.')
    }
    if (typeof domain !== 'string' || domain.trim() === '') {
      throw new TypeError('"domain" must be the non-empty domain the issuer sent.')
    }
    const key = await this.key()
    return signPresentation(
      createPresentation({
        holder: this.holder,
        verifiableCredential: [],
        id: `urn:uuid:${randomUUID()}`,
      }),
      { signer: key.signer(), challenge, domain, ...(now === undefined ? {} : { date: now }) },
    )
  }

  /** Lists the stored credentials, each verified again now (status included). */
  async list(options: WalletVerifyOptions = {}): Promise<WalletEntry[]> {
    const catalog = checkVerifyOptions(options).catalog ?? CATALOG
    const entries: WalletEntry[] = []
    for (const stored of await this.#store.all()) {
      const result = await this.verify(stored.credential, options)
      const { standing, codes } = standingOf(result)
      const summary = result.credential
      const program = summary.program
      entries.push({
        localId: stored.localId,
        id: summary.id ?? (stored.credential.id as string),
        ...(program === undefined ? {} : { program: { code: program.code, name: program.name } }),
        issuer: {
          did: summary.issuer ?? '',
          ...(program === undefined ? {} : { name: catalog.institute.name }),
        },
        ...(summary.subject?.name === undefined ? {} : { subjectName: summary.subject.name }),
        ...(summary.validFrom === undefined ? {} : { validFrom: summary.validFrom }),
        ...(summary.validUntil === undefined ? {} : { validUntil: summary.validUntil }),
        importedAt: stored.importedAt,
        standing,
        codes,
      })
    }
    return entries
  }
}

let defaultLoader: ReturnType<typeof createDocumentLoader> | undefined
function loader(): ReturnType<typeof createDocumentLoader> {
  return (defaultLoader ??= createDocumentLoader())
}

/** A held credential as a JSON object (JSON text, UTF-8 bytes or an object), or `undefined`. */
function parseHeld(input: unknown): JsonObject | undefined {
  try {
    const value: unknown =
      typeof input === 'string' || input instanceof Uint8Array
        ? JSON.parse(typeof input === 'string' ? input : new TextDecoder().decode(input))
        : input
    return isPlainObject(value) ? (value as JsonObject) : undefined
  } catch {
    return undefined
  }
}

/**
 * The credentials to put in a presentation: each as held, except that one with an ecdsa-sd-2023
 * base proof is replaced by a credential derived from it, disclosing its mandatory members and
 * `reveal` (everything when `reveal` is not given).
 *
 * @throws {TypeError} for a `reveal` that is not an array of strings, or that no chosen
 *   credential can honour.
 * @throws {CertifyError} `ERR_DISCLOSURE_POINTER_INVALID` for a pointer that names nothing.
 */
async function disclose(
  chosen: readonly StoredCredential[],
  reveal: readonly string[] | undefined,
): Promise<JsonObject[]> {
  if (reveal !== undefined) {
    if (!Array.isArray(reveal) || !reveal.every((p) => typeof p === 'string')) {
      throw new TypeError('"reveal" must be an array of JSON Pointer strings.')
    }
    if (!chosen.some((c) => hasSdBaseProof(c.credential))) {
      throw new TypeError(
        'None of the chosen credentials can be disclosed in part (none was issued with ecdsa-sd-2023).',
      )
    }
  }
  const out: JsonObject[] = []
  for (const { credential } of chosen) {
    if (!hasSdBaseProof(credential)) {
      out.push(credential)
      continue
    }
    const derived = await deriveCredential(credential, {
      selectivePointers: reveal ?? topLevelPointers(credential),
      documentLoader: loader(),
    })
    out.push(derived as JsonObject)
  }
  return out
}

/**
 * Creates a wallet in `dir`: a new Ed25519 `did:key` for the learner (key file mode 0600, never
 * printed) and `wallet.json` with the trusted issuers.
 *
 * @throws {TypeError} for bad options.
 * @throws {CertifyError} `ERR_WALLET_EXISTS` when `dir` already holds a wallet.
 */
export async function initWallet(dir: string, options: InitWalletOptions): Promise<Wallet> {
  if (typeof dir !== 'string' || dir === '') throw new TypeError('"dir" must be a path.')
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  const trustedIssuers = checkTrusted(options.trustedIssuers)
  const store = new FolderStore(resolve(dir))
  const key = await generateIssuerKey(options.seed === undefined ? {} : { seed: options.seed })
  const config: WalletConfig = {
    type: 'CertifyVcWallet',
    version: 1,
    holder: key.did,
    trustedIssuers,
    created: formatDateTimeStamp(options.now ?? new Date()),
  }
  await store.create(config)
  await saveIssuerKey(store.keyPath, key)
  return Wallet.create(store, config, key)
}

/**
 * Opens the wallet in `dir`.
 *
 * @throws {CertifyError} `ERR_WALLET_NOT_FOUND` when there is none, `ERR_WALLET_CORRUPT` for a
 *   malformed `wallet.json`.
 */
export async function openWallet(dir: string): Promise<Wallet> {
  if (typeof dir !== 'string' || dir === '') throw new TypeError('"dir" must be a path.')
  const store = new FolderStore(resolve(dir))
  return Wallet.create(store, await store.readConfig())
}
