/**
 * What the interop corpus holds: one credential signed by another stack, and what it is.
 *
 * @module
 */
import type { InteropFormat, InteropSuite, IssuerKind } from './ob-template.js'

/** The stacks whose code signs the corpus (Veramo could not be installed: see README.md). */
export type StackName = 'digitalbazaar' | 'spruceid-ssi'

/** One credential of the corpus. */
export interface InteropCredential {
  /** A readable, unique label: stack, suite, format, issuer kind, name. */
  readonly name: string
  /** The signed credential, as the other stack returned it (parsed JSON). */
  readonly credential: Record<string, unknown>
  readonly stack: StackName
  /** The packages and versions that signed it. */
  readonly stackVersion: string
  readonly format: InteropFormat
  readonly suite: InteropSuite
  readonly issuerKind: IssuerKind
  /** Whether the credential has a `name` (OB 3.0 [0..1] in the VC 2.0 edition). */
  readonly hasName: boolean
  /** The issuer's did:key (the key is thrown away after signing). */
  readonly issuer: string
}
