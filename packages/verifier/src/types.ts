/**
 * Options and result types of the verifier.
 *
 * @module
 */
import type { Catalog, DocumentLoader, ErrorCode, Problem, ProgramCode } from '@certify-vc/context'
import type {
  CanonicalizationPath,
  DidResolver,
  JwsAlgorithm,
  JwtEncoding,
  SuiteName,
} from '@certify-vc/core'
import type { StatusListCache } from './status/cache.js'
import type { StatusListSource } from './status/source.js'

/** The checks, in the order they appear in every result. */
export const CHECK_IDS = [
  'input',
  'structure',
  'contexts',
  'proof',
  'key-binding',
  'validity',
  'related-resources',
  'issuer-trust',
  'program',
  'status',
] as const

/** One check of the pipeline. */
export type CheckId = (typeof CHECK_IDS)[number]

/** `passed`, `failed`, or `skipped` (not applicable, or a check it depends on failed). */
export type CheckOutcome = 'passed' | 'failed' | 'skipped'

/** The outcome of one check. */
export interface CheckResult {
  readonly id: CheckId
  readonly outcome: CheckOutcome
  /** Empty unless the check failed. */
  readonly problems: readonly Problem[]
  /**
   * Why a `skipped` check did not run, in plain words: a check it depends on failed (the proof,
   * above all: once it fails, nothing the credential says is shown as checked), or it does not
   * apply. Absent on `passed` and `failed` checks.
   */
  readonly reason?: string
}

/**
 * Limits on what a verification may cost, with safe defaults. The input limits are applied to
 * the JSON text before any JSON-LD work (a parsed value is serialised and checked the same way);
 * a breach fails the `input` check with its code and a JSON Pointer. Rules that are not limits
 * always apply: duplicate keys (`ERR_INPUT_DUPLICATE_KEY`), invalid UTF-8 or lone surrogates
 * (`ERR_INPUT_INVALID_UNICODE`), the keys `__proto__` / `constructor` / `prototype`
 * (`ERR_INPUT_FORBIDDEN_KEY`) and those names as `id` / `@id` values (`ERR_INPUT_FORBIDDEN_ID`).
 */
export interface InputLimits {
  /** Maximum size of the input in UTF-8 bytes (`ERR_INPUT_TOO_LARGE`). Default 524,288 (512 KiB). */
  readonly maxBytes?: number
  /** Maximum nesting depth of objects and arrays, 1..1000 (`ERR_INPUT_TOO_DEEP`). Default 32. */
  readonly maxDepth?: number
  /** Maximum items in any one array (`ERR_INPUT_ARRAY_TOO_LONG`). Default 1,000. */
  readonly maxArrayLength?: number
  /**
   * Maximum length of any one string, key or value, in UTF-16 code units
   * (`ERR_INPUT_STRING_TOO_LONG`). Default 262,144 (room for an embedded `data:` image).
   */
  readonly maxStringLength?: number
  /** Maximum entries in a `@context` array (`ERR_INPUT_TOO_MANY_CONTEXTS`). Default 16. */
  readonly maxContexts?: number
  /**
   * Maximum objects without `id` / `@id` outside `@context` (each becomes a blank node, the part
   * of RDF canonicalization that can be made expensive), `ERR_INPUT_TOO_MANY_BLANK_NODES`.
   * Default 100; a certify-vc credential has about ten.
   */
  readonly maxBlankNodes?: number
  /** Maximum proofs on one document (`ERR_PROOF_TOO_MANY`, `proof` check). Default 8. */
  readonly maxProofs?: number
  /**
   * RDFC-1.0 work factor, 0..3: canonicalization gives up (`ERR_JSONLD_CANONIZE_LIMIT`) after
   * n^factor deep iterations, n the number of blank nodes it cannot tell apart. Default 1.
   */
  readonly maxWorkFactor?: number
  /**
   * Time allowed for one canonicalization, in milliseconds, on the fast and the reference path
   * alike (`ERR_JSONLD_CANONIZE_LIMIT`). Default 5,000.
   */
  readonly canonicalizationTimeoutMs?: number
  /**
   * Maximum size of a baked badge (PNG bytes, or SVG text in UTF-8 bytes) given to
   * `verifyCredential` (`ERR_INPUT_TOO_LARGE`). Default 4,194,304 (4 MiB). The credential taken
   * out of it then meets every limit above, exactly as a JSON file does.
   */
  readonly maxImageBytes?: number
}

/**
 * Options of the status check (`VerifyCredentialOptions.status`).
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#validate-algorithm
 */
export interface StatusCheckOptions {
  /**
   * Where status list credentials come from. Default: on Node (the `node` export condition), the
   * hardened fetcher (`createHardenedStatusListSource()`); elsewhere, the fetch-based source
   * (`createFetchStatusListSource()`). Both are https only.
   */
  readonly source?: StatusListSource
  /**
   * Cache of verified, decoded lists, or `false` for none. Default: a module-level LRU per
   * (`didResolver`, `documentLoader`) pair. See `createStatusListCache`.
   */
  readonly cache?: StatusListCache | false
  /** Cap on a decoded bitstring, in bytes (a gzip bomb is refused while inflating). Default 16 MiB. */
  readonly maxListBytes?: number
  /** How long to wait for one list from the source, in ms. Default 10,000. */
  readonly timeoutMs?: number
}

/** What the status check read for one `credentialStatus` entry. Plain JSON. */
export interface StatusEntrySummary {
  /** JSON Pointer of the entry in the credential (`/credentialStatus` or `/credentialStatus/1`). */
  readonly path: string
  /** `BitstringStatusListEntry`, `StatusList2021Entry` or `RevocationList2020Status`. */
  readonly type: string
  /** `revocation`, `suspension` or `message`. */
  readonly purpose: string
  /** The status list credential URL. */
  readonly statusListCredential: string
  readonly statusListIndex: number
  /** The status value read from the list (0 = not set). */
  readonly value: number
  /** The entry's `statusMessage` for `value` (or `"set"` / `"unset"` without one). */
  readonly message?: string
}

/**
 * What a verification requires beyond a sound, signed, valid credential. Every profile accepts
 * every structure the specifications allow; profiles differ in trust and program rules.
 *
 * - `'institute'` (default): an Open Badges 3.0 credential from an issuer on `trustedIssuers`,
 *   whose achievement is one of the catalog's programs; every proof by the issuer; the suites
 *   eddsa-rdfc-2022 and Ed25519Signature2020.
 * - `'open-badges'`: an Open Badges 3.0 credential from any issuer. An issuer not on
 *   `trustedIssuers` is reported in `warnings` (`issuer-trust` is then `skipped`), except when
 *   the credential names one of the catalog's achievements: only a trusted issuer may award
 *   those. Co-signers (further proofs by other `did:key` keys) and eddsa-jcs-2022 are accepted.
 * - `'vc'`: any VC 2.0 / 1.1 credential, with the same trust rules as `'open-badges'`, and
 *   inline contexts after the named ones (still offline, in safe mode, protected terms kept).
 */
export type ProfileName = 'institute' | 'open-badges' | 'vc'

/**
 * An issuer the caller trusts, with optional pins (docs/attacks.md E3, G3, D4/D5, D9): a DID alone
 * trusts every key its DID document lists under `assertionMethod`, and status lists from any
 * URL that issuer signs.
 */
export interface TrustedIssuer {
  /** The issuer's DID (exact match with the credential's issuer). */
  readonly id: string
  /**
   * The only verification methods (DID URLs) whose proofs are accepted for this issuer's
   * credentials (`ERR_ISSUER_KEY_NOT_PINNED` otherwise), so that a new key published in a
   * taken-over DID document is not enough.
   */
  readonly verificationMethods?: readonly string[]
  /**
   * Per program, the only verification methods that may sign it (key separation: the key of a
   * free program cannot mint a paid one). `ERR_ISSUER_KEY_NOT_PINNED` in the program check.
   */
  readonly programs?: Readonly<Partial<Record<ProgramCode, readonly string[]>>>
  /** The only verification methods that may sign this issuer's status lists. */
  readonly statusListVerificationMethods?: readonly string[]
  /**
   * URL prefixes this issuer's status lists must start with (`ERR_STATUS_LIST_URL_NOT_ALLOWED`
   * before anything is fetched), e.g. `https://production-ai.institute/status/`.
   */
  readonly statusListUrlPrefixes?: readonly string[]
}

/**
 * The bytes of resources the caller holds, by URL, for `relatedResource` digests (the verifier
 * never fetches a URL a credential names). `undefined`: not held.
 */
export type RelatedResourceLookup = (url: string) => Uint8Array | undefined

/** Options of {@link verifyCredential}. */
export interface VerifyCredentialOptions {
  /**
   * The issuers the caller trusts: DIDs (exact match), or {@link TrustedIssuer} entries that
   * also pin keys and status-list URLs. Under the `'institute'` profile a perfectly signed
   * credential from any other issuer fails with `ERR_ISSUER_UNTRUSTED`. Required: there is no
   * default trust (it may be empty under the other profiles).
   */
  readonly trustedIssuers: readonly (string | TrustedIssuer)[]
  /** What the verification requires beyond a sound credential. Default `'institute'`. */
  readonly profile?: ProfileName
  /** The time to verify at. Default: now. */
  readonly now?: Date
  /** Clock skew tolerated on validity dates, 0..3600 seconds. Default 300. */
  readonly maxClockSkewSeconds?: number
  /** Loader for JSON-LD contexts. Default: the offline loader of `@certify-vc/context`. */
  readonly documentLoader?: DocumentLoader
  /**
   * Context URLs accepted besides the pinned ones (they must also be served by
   * `documentLoader`). Default none.
   */
  readonly additionalContexts?: readonly string[]
  /** Resolves issuer DIDs. Default: `did:key` only, locally. */
  readonly didResolver?: DidResolver
  /** Suites accepted. Default: the profile's suites (see {@link ProfileName}). */
  readonly suites?: readonly SuiteName[]
  /**
   * JWS algorithms accepted for a credential secured as a JWT (a compact JWS, or an
   * `EnvelopedVerifiableCredential`): a subset of `EdDSA`, `ES256`, `ES384`, the default. `[]`
   * refuses every JWT (`ERR_JWT_ALG_NOT_ALLOWED`). `none`, HMAC and RSA are never accepted.
   */
  readonly jwtAlgorithms?: readonly JwsAlgorithm[]
  /**
   * The challenge every proof must carry (a VC API caller's `options.challenge`):
   * `ERR_CHALLENGE_MISMATCH` otherwise. Default: not checked.
   */
  readonly proofChallenge?: string
  /** The domain every proof must carry (`ERR_DOMAIN_MISMATCH` otherwise). Default: not checked. */
  readonly proofDomain?: string
  /**
   * Resources the caller holds, to check `relatedResource` digests. Without it (or for a URL it
   * does not hold) a credential with `relatedResource` fails `ERR_RELATED_RESOURCE_UNCHECKED`.
   */
  readonly relatedResources?: RelatedResourceLookup
  /** The program catalog. Default `CATALOG`. */
  readonly catalog?: Catalog
  /** Ingress limits. */
  readonly limits?: InputLimits
  /**
   * The JSON-LD → RDF implementation: `'fast'` (default) or `'reference'` (jsonld.js and the
   * suites exactly as published). Both give the same verdicts and codes; the choice exists for
   * differential tests and benchmarks.
   */
  readonly canonicalization?: CanonicalizationPath
  /**
   * The status check (revocation, suspension, message). `false` skips it: the `status` check is
   * then `skipped` and does not stop `verified` from being `true` even when the credential has a
   * `credentialStatus`, so skip it only on purpose (a command line must never do so by default).
   * Default `{}`: every entry is checked through the default source and cache.
   */
  readonly status?: StatusCheckOptions | false
}

/** What the verifier could establish about a credential, for display. */
export interface CredentialSummary {
  readonly id?: string
  readonly format?: 'vc2' | 'vc1.1'
  /**
   * Set when the credential came secured as a JWT: its algorithm and encoding
   * (`'vc-jose-cose'`: `vc+jwt`; `'vc-jwt'`: VC-JWT 1.1 / Open Badges 3.0 §8.2). Absent for a
   * Data Integrity credential.
   */
  readonly securedBy?: {
    readonly type: 'jwt'
    readonly alg: JwsAlgorithm
    readonly encoding: JwtEncoding
  }
  readonly issuer?: string
  /** The recipient, as the (signed) credential names them. */
  readonly subject?: { readonly id?: string; readonly name?: string }
  /** From the catalog, only when the issuer is trusted and the achievement id is known. */
  readonly program?: {
    readonly code: ProgramCode
    readonly name: string
    readonly achievementId: string
  }
  readonly validFrom?: string
  readonly validUntil?: string
  /** What the status check read, one item per entry whose status value could be read. */
  readonly status?: readonly StatusEntrySummary[]
  /**
   * Set for a selectively disclosed credential (an ecdsa-sd-2023 derived proof), once its proof
   * and key binding passed: the JSON Pointers of every value the credential discloses (strings,
   * numbers, booleans; `@context` and `proof` left out), in document order. Whatever else the
   * issuer signed was withheld by the holder.
   */
  readonly disclosed?: readonly string[]
}

/** The result of {@link verifyCredential}: plain JSON. */
export interface VerifyCredentialResult {
  /**
   * `true` iff no check failed and every check the profile requires passed (under
   * `'institute'`: all but `related-resources` and `status`, which may be skipped when the
   * credential has none).
   */
  readonly verified: boolean
  /** The profile the credential was verified under. */
  readonly profile: ProfileName
  /** Every check, always in {@link CHECK_IDS} order. */
  readonly checks: readonly CheckResult[]
  /** All problems of all checks, flattened. */
  readonly problems: readonly Problem[]
  /**
   * What does not stop `verified` but a reader should know: `ERR_ISSUER_UNTRUSTED` when a
   * profile that accepts any issuer verified a credential whose issuer is not on the list.
   */
  readonly warnings: readonly Problem[]
  readonly credential: CredentialSummary
}

export type { DidResolver, ErrorCode, Problem }
