/**
 * Status list fixtures built the way the issuer publishes them (the verifier never imports the
 * issuer): VC 2.0 `BitstringStatusListCredential`s signed with eddsa-rdfc-2022 by a test key,
 * plus legacy StatusList2021 and RevocationList2020 lists (VC 1.1, Ed25519Signature2020).
 */
import { CONTEXT_URLS, createDocumentLoader, type DocumentLoader } from '@certify-vc/context'
import {
  MIN_STATUS_LIST_ENTRIES,
  createBitstring,
  createSuite,
  encodeStatusList,
  setStatus,
  signDocument,
} from '@certify-vc/core'
import type { StatusListSource } from '@certify-vc/verifier'
import { loader, sign, type TestIssuer } from './helpers.js'

export const STATUS_BASE = 'https://production-ai.institute/status'
export const revocationUrl = (n = 1) => `${STATUS_BASE}/revocation/${n}`
export const suspensionUrl = (n = 1) => `${STATUS_BASE}/suspension/${n}`

/** The list validity window used by default (NOW = 2026-11-29T12:00:00Z is inside it). */
export const LIST_VALID_FROM = '2026-11-29T00:00:00Z'
export const LIST_VALID_UNTIL = '2026-12-29T00:00:00Z'

export type Purpose = 'revocation' | 'suspension' | 'message'

/** One credential status entry as the issuer writes it. */
export function entry(url: string, index: number | string, purpose: Purpose = 'revocation') {
  return {
    id: `${url}#${String(index)}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: url,
  }
}

export interface ListOptions {
  purpose?: Purpose | Purpose[]
  /** index → value; value 1 for single-bit lists. */
  set?: Record<number, number> | number[]
  entries?: number
  statusSize?: number
  validFrom?: string | null
  validUntil?: string | null
  ttl?: number | null
  /** Edits the unsigned document before signing. */
  patch?: (doc: Record<string, unknown>) => void
  /** Sign with this key (default: the issuer's). */
  signer?: TestIssuer
}

function bitstringFor(options: ListOptions): Uint8Array {
  const statusSize = options.statusSize ?? 1
  const bits = createBitstring(options.entries ?? MIN_STATUS_LIST_ENTRIES, statusSize)
  const set = options.set ?? []
  const pairs: [number, number][] = Array.isArray(set)
    ? set.map((i: number): [number, number] => [i, 1])
    : Object.entries(set).map(([i, v]): [number, number] => [Number(i), v])
  for (const [i, v] of pairs) setStatus(bits, i, v, statusSize)
  return bits
}

/** An unsigned BitstringStatusListCredential. */
export function unsignedList(
  issuer: TestIssuer,
  url: string,
  options: ListOptions = {},
): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    '@context': [CONTEXT_URLS.credentialsV2],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: issuer.did,
    ...(options.validFrom === null ? {} : { validFrom: options.validFrom ?? LIST_VALID_FROM }),
    ...(options.validUntil === null ? {} : { validUntil: options.validUntil ?? LIST_VALID_UNTIL }),
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: options.purpose ?? 'revocation',
      encodedList: encodeStatusList(bitstringFor(options)),
      ...(options.ttl === null ? {} : { ttl: options.ttl ?? 300_000 }),
    },
  }
  options.patch?.(doc)
  return doc
}

/** A signed BitstringStatusListCredential. */
export async function signedList(
  issuer: TestIssuer,
  url: string,
  options: ListOptions = {},
): Promise<Record<string, unknown>> {
  return sign(unsignedList(issuer, url, options), options.signer ?? issuer)
}

/** A signed StatusList2021Credential (VC 1.1, Ed25519Signature2020, no multibase prefix). */
export async function signedStatusList2021(
  issuer: TestIssuer,
  url: string,
  options: Omit<ListOptions, 'statusSize' | 'ttl'> = {},
): Promise<Record<string, unknown>> {
  const doc: Record<string, unknown> = {
    '@context': [
      CONTEXT_URLS.credentialsV1,
      CONTEXT_URLS.statusList2021V1,
      CONTEXT_URLS.ed25519Signature2020V1,
    ],
    id: url,
    type: ['VerifiableCredential', 'StatusList2021Credential'],
    issuer: issuer.did,
    issuanceDate: options.validFrom ?? LIST_VALID_FROM,
    ...(options.validUntil === null
      ? {}
      : { expirationDate: options.validUntil ?? LIST_VALID_UNTIL }),
    credentialSubject: {
      id: `${url}#list`,
      type: 'StatusList2021',
      statusPurpose: options.purpose ?? 'revocation',
      encodedList: encodeStatusList(bitstringFor(options)).slice(1),
    },
  }
  options.patch?.(doc)
  return sign(doc, options.signer ?? issuer)
}

/**
 * The RevocationList2020 context (w3c-ccg, as kept in w3c/vc-bitstring-status-list at
 * adfb2ac^:contexts/vc-revocation-list-2020/v1.jsonld). Not bundled by @certify-vc/context:
 * tests supply it the way a caller would (additionalContexts + documentLoader).
 */
export const RL2020_CONTEXT_URL = 'https://w3id.org/vc-revocation-list-2020/v1'
export const RL2020_CONTEXT = {
  '@context': {
    '@protected': true,
    RevocationList2020Credential: {
      '@id': 'https://w3id.org/vc-revocation-list-2020#RevocationList2020Credential',
      '@context': {
        '@protected': true,
        id: '@id',
        type: '@type',
        description: 'http://schema.org/description',
        name: 'http://schema.org/name',
      },
    },
    RevocationList2020: {
      '@id': 'https://w3id.org/vc-revocation-list-2020#RevocationList2020',
      '@context': {
        '@protected': true,
        id: '@id',
        type: '@type',
        encodedList: 'https://w3id.org/vc-revocation-list-2020#encodedList',
      },
    },
    RevocationList2020Status: {
      '@id': 'https://w3id.org/vc-revocation-list-2020#RevocationList2020Status',
      '@context': {
        '@protected': true,
        id: '@id',
        type: '@type',
        revocationListCredential: {
          '@id': 'https://w3id.org/vc-revocation-list-2020#revocationListCredential',
          '@type': '@id',
        },
        revocationListIndex: 'https://w3id.org/vc-revocation-list-2020#revocationListIndex',
      },
    },
  },
}

/** A document loader that also serves the RevocationList2020 context. */
export const rl2020Loader: DocumentLoader = createDocumentLoader({
  documents: { [RL2020_CONTEXT_URL]: RL2020_CONTEXT },
  fallback: loader,
})

/** A signed RevocationList2020Credential. */
export async function signedRevocationList2020(
  issuer: TestIssuer,
  url: string,
  options: Pick<ListOptions, 'set' | 'entries'> = {},
): Promise<Record<string, unknown>> {
  const doc = {
    '@context': [
      CONTEXT_URLS.credentialsV1,
      RL2020_CONTEXT_URL,
      CONTEXT_URLS.ed25519Signature2020V1,
    ],
    id: url,
    type: ['VerifiableCredential', 'RevocationList2020Credential'],
    issuer: issuer.did,
    issuanceDate: LIST_VALID_FROM,
    credentialSubject: {
      id: `${url}#list`,
      type: 'RevocationList2020',
      encodedList: encodeStatusList(bitstringFor(options)).slice(1),
    },
  }
  return signDocument(doc, {
    suite: createSuite('Ed25519Signature2020', {
      signer: issuer.signer,
      date: '2026-11-01T00:00:00Z',
    }),
    documentLoader: rl2020Loader,
  })
}

/** A source that records every URL asked for and serves from a mutable map. */
export function recordingSource(documents: Map<string, unknown> = new Map()): StatusListSource & {
  calls: string[]
  documents: Map<string, unknown>
  failing: boolean
} {
  const source = {
    calls: [] as string[],
    documents,
    failing: false,
    get(url: string): Promise<unknown> {
      source.calls.push(url)
      if (source.failing) return Promise.reject(new Error('503 from the status host'))
      if (!documents.has(url)) return Promise.reject(new Error(`404 ${url}`))
      return Promise.resolve(structuredClone(documents.get(url)))
    },
  }
  return source
}
