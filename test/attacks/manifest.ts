/**
 * The attack fixture manifest (test/fixtures/attacks/manifest.json): what each fixture is, the
 * options it must be verified with, and the exact outcome expected.
 */
import type { CheckId, InputLimits, PresentationCheckId } from '@certify-vc/verifier'

/** How the fixture file is handed to the verifier. */
export type FixtureInput =
  /** Parsed with JSON.parse and passed as a value. */
  | 'json'
  /** Passed as JSON text (the raw file, a string): duplicate keys, `__proto__`, JWTs… */
  | 'text'
  /** Passed as the raw bytes (a Uint8Array): encodings. */
  | 'bytes'

/** Verification options, serialisable. Files are relative to test/fixtures/attacks. */
export interface FixtureOptions {
  readonly trustedIssuers: readonly string[]
  /** ISO date-time for `now`. */
  readonly now: string
  readonly maxClockSkewSeconds?: number
  readonly limits?: InputLimits
  /**
   * `false`: the status check is off. An object: status lists come from an offline source
   * built from these files (URL → file), with no cache. Absent URLs are unreachable lists.
   */
  readonly status: false | { readonly lists: Readonly<Record<string, string>> }
  /** DID documents (DID → file) served by a static resolver; did:key resolves as usual. */
  readonly didDocuments?: Readonly<Record<string, string>>
  /** Extra contexts the caller allows (URL → file), served by the document loader. */
  readonly additionalContexts?: Readonly<Record<string, string>>
  /** Present: the fixture is a presentation, verified by verifyPresentation with these. */
  readonly presentation?: {
    readonly challenge?: string
    readonly domain: string | null
    readonly unsignedPresentation?: 'allow' | 'reject'
    readonly holderBinding?: 'required' | 'if-present'
  }
  /** Options that are not part of the API, passed anyway (they must change nothing). */
  readonly unknownOptions?: Readonly<Record<string, unknown>>
}

/** What the verifier must answer. */
export interface FixtureExpectation {
  readonly verified: boolean
  /** The check that fails (absent when `verified` is true). */
  readonly check?: CheckId | PresentationCheckId
  /** Every code listed is among the failing check's problems. */
  readonly codes?: readonly string[]
  /** The JSON Pointer of the first listed code's problem, when it is pinned. */
  readonly path?: string
  /** Checks that must be `skipped` (after a fatal proof failure nothing else is vouched for). */
  readonly skipped?: readonly (CheckId | PresentationCheckId)[]
  /** Checks that must have passed (e.g. `proof` for expired credentials). */
  readonly passed?: readonly (CheckId | PresentationCheckId)[]
  /** The status source must never be asked (status is fetched only after the proof, D10). */
  readonly noStatusFetch?: boolean
  /** For a fixture that verifies: the codes of the warnings it must carry, in order (none when absent). */
  readonly warnings?: readonly string[]
}

/** One manifest entry. */
export interface FixtureEntry {
  /** `<ID>-<what>.<pass|fail>.<json|txt|bin>`. */
  readonly file: string
  /** The docs/attacks.md id: A1 … H4. */
  readonly attack: string
  readonly description: string
  readonly input: FixtureInput
  readonly options: FixtureOptions
  readonly expected: FixtureExpectation
}

/** The manifest file. */
export interface FixtureManifest {
  readonly description: string
  readonly generator: string
  readonly keys: Readonly<Record<string, string>>
  readonly fixtures: readonly FixtureEntry[]
  /** Supporting documents (status lists, DID documents, contexts): not verified themselves. */
  readonly supporting: readonly { readonly file: string; readonly description: string }[]
}
