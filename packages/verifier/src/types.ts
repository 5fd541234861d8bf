/**
 * Options and result types of the verifier.
 *
 * @module
 */
import type {
  Catalog,
  DocumentLoader,
  ErrorCode,
  Problem,
  ProgramCode,
  SuiteName,
} from '@certify-vc/context'

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
}

/** Ingress limits applied before any JSON or JSON-LD work. */
export interface InputLimits {
  /** Maximum size of the input in UTF-8 bytes. Default 524,288 (512 KiB). */
  readonly maxBytes?: number
  /** Maximum nesting depth of objects and arrays. Default 32. */
  readonly maxDepth?: number
}

/** Resolves a DID to its DID document (the `did-resolver` `Resolvable` shape, narrowed). */
export interface DidResolver {
  resolve(did: string): Promise<{
    didDocument: unknown
    didResolutionMetadata: { error?: string; message?: string }
  }>
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
