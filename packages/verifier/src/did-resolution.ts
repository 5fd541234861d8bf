/**
 * DID resolution for key binding, through `did-resolver`. Only `did:key` is built in, resolved
 * locally by `@certify-vc/context`; `did:web` arrives with the server and its hardened fetcher.
 *
 * @module
 */
import { isPlainObject, resolveDidKey } from '@certify-vc/context'
import { Resolver, type DIDResolutionResult } from 'did-resolver'
import type { DidResolver } from './types.js'

function keyMethod(did: string): Promise<DIDResolutionResult> {
  const empty = { didDocumentMetadata: {}, didDocument: null }
  try {
    const didDocument = resolveDidKey(did)
    if (!('verificationMethod' in didDocument)) {
      return Promise.resolve({ ...empty, didResolutionMetadata: { error: 'invalidDid' } })
    }
    return Promise.resolve({
      didResolutionMetadata: { contentType: 'application/did+ld+json' },
      didDocument: structuredClone(didDocument) as DIDResolutionResult['didDocument'],
      didDocumentMetadata: {},
    })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return Promise.resolve({ ...empty, didResolutionMetadata: { error: 'invalidDid', message } })
  }
}

/**
 * Successful `did:key` resolutions by DID. A did:key document is a pure function of the DID
 * string, so the answer is remembered (bounded: cleared when full) and handed out as a fresh
 * copy each time; failures are not kept (they go through the resolver again).
 */
const MAX_RESOLVED = 1024

/** A deep copy of plain JSON data (a did:key document), much cheaper than `structuredClone`. */
function copyJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => copyJson(v)) as T
  if (typeof value !== 'object' || value === null) return value
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(value))
    copy[key] = copyJson((value as Record<string, unknown>)[key])
  return copy as T
}

/** The default resolver: `did:key` only. */
export function createDefaultDidResolver(): DidResolver {
  const resolver = new Resolver({ key: (did) => keyMethod(did) }, { cache: false })
  const resolved = new Map<string, Omit<DIDResolutionResult, 'didDocumentMetadata'>>()
  return {
    async resolve(did: string) {
      const known = typeof did === 'string' ? resolved.get(did) : undefined
      if (known !== undefined) {
        return {
          didDocument: copyJson(known.didDocument),
          didResolutionMetadata: { ...known.didResolutionMetadata },
        }
      }
      const r = await resolver.resolve(did)
      if (r.didDocument !== null && r.didResolutionMetadata.error === undefined) {
        if (resolved.size >= MAX_RESOLVED) resolved.clear()
        resolved.set(did, {
          didDocument: structuredClone(r.didDocument),
          didResolutionMetadata: { ...r.didResolutionMetadata },
        })
      }
      return { didDocument: r.didDocument, didResolutionMetadata: r.didResolutionMetadata }
    },
  }
}

/** A verification method found in a DID document. */
export interface ResolvedVerificationMethod {
  readonly id: string
  readonly type: string
  readonly controller: string
  readonly publicKeyMultibase: string
}

/** Looks up `vmId` in a DID document (top-level `verificationMethod` or embedded in relationships). */
export function findVerificationMethod(
  didDocument: Record<string, unknown>,
  vmId: string,
): ResolvedVerificationMethod | undefined {
  const did = typeof didDocument.id === 'string' ? didDocument.id : ''
  const candidates: unknown[] = []
  for (const key of ['verificationMethod', 'assertionMethod', 'authentication']) {
    const list = didDocument[key]
    if (Array.isArray(list)) candidates.push(...(list as unknown[]))
  }
  for (const c of candidates) {
    if (!isPlainObject(c)) continue
    const id = typeof c.id === 'string' && c.id.startsWith('#') ? did + c.id : c.id
    if (id !== vmId) continue
    if (
      typeof c.type !== 'string' ||
      typeof c.controller !== 'string' ||
      typeof c.publicKeyMultibase !== 'string'
    ) {
      return undefined
    }
    return { id, type: c.type, controller: c.controller, publicKeyMultibase: c.publicKeyMultibase }
  }
  return undefined
}

/** True when `vmId` is listed (by reference or embedded) under `relationship` in the document. */
export function hasRelationship(
  didDocument: Record<string, unknown>,
  relationship: string,
  vmId: string,
): boolean {
  const did = typeof didDocument.id === 'string' ? didDocument.id : ''
  const list = didDocument[relationship]
  if (!Array.isArray(list)) return false
  return (list as unknown[]).some((entry) => {
    const id = typeof entry === 'string' ? entry : isPlainObject(entry) ? entry.id : undefined
    return typeof id === 'string' && (id === vmId || (id.startsWith('#') && did + id === vmId))
  })
}
