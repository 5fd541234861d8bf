/**
 * Options and result types of the verifier.
 *
 * @module
 */
import type { Catalog, DocumentLoader, ErrorCode, Problem, ProgramCode } from '@certify-vc/context'
import type { SuiteName } from '@certify-vc/core'
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
}

/** Resolves a DID to its DID document (the `did-resolver` `Resolvable` shape, narrowed). */
export interface DidResolver {
  resolve(did: string): Promise<{
    didDocument: unknown
    didResolutionMetadata: { error?: string; message?: string }
  }>
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

/** Options of {@link verifyCredential}. */
export interface VerifyCredentialOptions {
  /**
   * DIDs of the issuers the caller trusts (exact match). A perfectly signed credential from any
   * other issuer fails with `ERR_ISSUER_UNTRUSTED`. Required: there is no default trust.
   */
  readonly trustedIssuers: readonly string[]
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
  /** Suites accepted, a subset of the allow-list. Default: every allow-listed suite. */
  readonly suites?: readonly SuiteName[]
  /** The program catalog. Default `CATALOG`. */
  readonly catalog?: Catalog
  /** Ingress limits. */
  readonly limits?: InputLimits
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
}

/** The result of {@link verifyCredential}: plain JSON. */
export interface VerifyCredentialResult {
  /** `true` iff no check failed and the proof, key binding, trust and program checks passed. */
  readonly verified: boolean
  /** Every check, always in {@link CHECK_IDS} order. */
  readonly checks: readonly CheckResult[]
  /** All problems of all checks, flattened. */
  readonly problems: readonly Problem[]
  readonly credential: CredentialSummary
}

export type { ErrorCode, Problem }
