/**
 * What a result says about the credential, for display: read from the document as signed
 * (program and status are added by the pipeline once they are established).
 *
 * @module
 */
import { asArray, credentialFormatOf, idOf, isPlainObject } from '@certify-vc/context'
import { leafPointers, suiteOfProof } from '@certify-vc/core'
import { validityWindow } from './checks/validity.js'
import type { CredentialSummary } from './types.js'

/** The summary of a credential document: id, format, issuer, subject, validity dates. */
export function summariseCredential(
  document: Readonly<Record<string, unknown>>,
): CredentialSummary {
  const format = credentialFormatOf(document)
  const first = asArray(document.credentialSubject)[0]
  const subject = isPlainObject(first) ? first : {}
  const window = format === undefined ? undefined : validityWindow(document, format)
  const issuer = idOf(document.issuer)
  // Plain assignments, in the order of the properties (on every verification: no spreads).
  const summary: { -readonly [K in keyof CredentialSummary]: CredentialSummary[K] } = {}
  if (typeof document.id === 'string') summary.id = document.id
  if (format !== undefined) summary.format = format
  if (issuer !== undefined) summary.issuer = issuer
  const named: { id?: string; name?: string } = {}
  if (typeof subject.id === 'string') named.id = subject.id
  if (typeof subject.name === 'string') named.name = subject.name
  summary.subject = named
  if (window?.from !== undefined) summary.validFrom = window.from
  if (window?.until !== undefined) summary.validUntil = window.until
  return summary
}

/**
 * What a selectively disclosed credential shows (see `CredentialSummary.disclosed`), or
 * `undefined` when its proof is not ecdsa-sd-2023. Only for a credential whose proofs verified.
 */
export function disclosedMembers(
  document: Readonly<Record<string, unknown>>,
): readonly string[] | undefined {
  const selective = asArray(document.proof).some((p) => suiteOfProof(p) === 'ecdsa-sd-2023')
  return selective ? leafPointers(document) : undefined
}
