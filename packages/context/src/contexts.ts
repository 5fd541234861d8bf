/**
 * The pinned JSON-LD contexts: URL constants and the bundled, hash-pinned documents.
 *
 * @module
 */
import { BUNDLED_CONTEXTS, type BundledContext } from './generated/contexts.js'

export type { BundledContext }

/** The Institute's own JSON-LD context (contexts/certify-v1.jsonld). One constant, never fetched. */
export const CERTIFY_CONTEXT_URL = 'https://production-ai.institute/ns/certify/v1'

/** URLs of every context certify-vc understands. */
export const CONTEXT_URLS = {
  credentialsV1: 'https://www.w3.org/2018/credentials/v1',
  credentialsV2: 'https://www.w3.org/ns/credentials/v2',
  openBadgesV3: 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  dataIntegrityV1: 'https://w3id.org/security/data-integrity/v1',
  dataIntegrityV2: 'https://w3id.org/security/data-integrity/v2',
  multikeyV1: 'https://w3id.org/security/multikey/v1',
  ed25519Signature2020V1: 'https://w3id.org/security/suites/ed25519-2020/v1',
  bitstringStatusListV1: 'https://www.w3.org/ns/credentials/status/v1',
  statusList2021V1: 'https://w3id.org/vc/status-list/2021/v1',
  didV1: 'https://www.w3.org/ns/did/v1',
  certifyV1: CERTIFY_CONTEXT_URL,
} as const

/**
 * The earlier published Open Badges 3.0 contexts (3.0.0, 3.0.1, 3.0.2), bundled for other
 * issuers' badges; the Institute's credentials use 3.0.3 (`CONTEXT_URLS.openBadgesV3`).
 */
export const EARLIER_OPEN_BADGES_CONTEXT_URLS: readonly string[] = [
  'https://purl.imsglobal.org/spec/ob/v3p0/context.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json',
]

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/** URL → document for every bundled context. Documents are deeply frozen. */
export const contexts: ReadonlyMap<string, Readonly<Record<string, unknown>>> = new Map(
  BUNDLED_CONTEXTS.map((c) => [c.url, deepFreeze(c.document)]),
)

/** Provenance of each bundled context: URL, file in `contexts/`, npm source and SHA-256. */
export const contextSources: readonly Omit<BundledContext, 'document'>[] = BUNDLED_CONTEXTS.map(
  ({ url, file, source, sha256 }) => ({ url, file, source, sha256 }),
)
