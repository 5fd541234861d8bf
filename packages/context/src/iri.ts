/**
 * Syntax checks for identifiers, once for issuer, verifier and CLI: absolute IRIs and DIDs.
 *
 * @module
 */

/** Longest IRI or DID accepted anywhere. */
export const MAX_IRI_LENGTH = 4096

const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s\p{Cc}<>"{}|\\^`]+$/u
const DID =
  /^did:[a-z0-9]+:(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2}|:)*(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})$/

/**
 * True for an absolute IRI: a scheme, a colon, then no white space, control characters or
 * characters IRIs exclude (`urn:uuid:…`, `did:key:…`, `https://…`). Relative references fail.
 */
export function isAbsoluteIri(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_IRI_LENGTH && ABSOLUTE_IRI.test(value)
}

/** True for a DID (not a DID URL: no path, query or fragment), per DID Core §3.1. */
export function isDid(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_IRI_LENGTH && DID.test(value)
}
