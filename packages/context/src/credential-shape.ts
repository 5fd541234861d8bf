/**
 * Small readers of the VC data model that every package needs: which envelope a document
 * declares, who its issuer or holder is, whether it has a type.
 *
 * @module
 */
import { CONTEXT_URLS } from './contexts.js'
import { asArray, isPlainObject } from './json.js'

/** The envelope version a credential or presentation declares through its first context. */
export type CredentialFormat = 'vc2' | 'vc1.1'

/** The format of `document` from its first `@context`, or `undefined`. */
export function credentialFormatOf(
  document: Readonly<Record<string, unknown>>,
): CredentialFormat | undefined {
  const first = asArray(document['@context'])[0]
  if (first === CONTEXT_URLS.credentialsV2) return 'vc2'
  if (first === CONTEXT_URLS.credentialsV1) return 'vc1.1'
  return undefined
}

/** The id of an issuer (or holder) given as a string or as an object with a string `id`. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (isPlainObject(value) && typeof value.id === 'string') return value.id
  return undefined
}

/** True when `type` (a string or an array of strings) names `name`. */
export function hasType(type: unknown, name: string): boolean {
  return type === name || (Array.isArray(type) && (type as unknown[]).includes(name))
}
