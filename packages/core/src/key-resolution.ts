/**
 * The key step every proof goes through, once: resolve the DID of a proof's verification
 * method, find the method in the DID document, check that the document lists it under the
 * relationship the proof needs (`assertionMethod` for credentials and status lists,
 * `authentication` for presentations), and check the key itself. One mapping to error codes for
 * every caller. Who must control the key (the issuer, the holder) is the caller's rule.
 *
 * A method may hold its key as `publicKeyMultibase` (Multikey) or `publicKeyJwk` (JsonWebKey);
 * both meet the same key check.
 *
 * The default resolver knows `did:key` only, locally; `did:web` comes from the verifier's
 * hardened resolver on Node.
 *
 * @see https://www.w3.org/TR/vc-data-integrity/#retrieve-verification-method
 * @see https://www.w3.org/TR/did-core/#verification-relationships
 * @module
 */
import {
  isPlainObject,
  problem,
  resolveDidKey,
  type ErrorCode,
  type MultikeyType,
  type Problem,
} from '@certify-vc/context'
import { Resolver, type DIDResolutionResult } from 'did-resolver'
import { multibaseOfPublicJwk } from './jwt/jwk.js'
import { multikeyProblem } from './multikey.js'

/** Resolves a DID to its DID document (the `did-resolver` `Resolvable` shape, narrowed). */
export interface DidResolver {
  resolve(did: string): Promise<{
    didDocument: unknown
    didResolutionMetadata: { error?: string; message?: string }
  }>
}

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

/**
 * The default resolver: `did:key` only, resolved locally (no network).
 *
 * @example
 * const { didDocument } = await createDefaultDidResolver().resolve('did:key:z6Mk…')
 */
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

/** A verification method that passed the key check, with the type of its key. */
export interface CheckedVerificationMethod extends ResolvedVerificationMethod {
  readonly keyType: MultikeyType
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
    if (typeof c.type !== 'string' || typeof c.controller !== 'string') return undefined
    // A `JsonWebKey` method (VC-JOSE-COSE, did:web documents with JWKs) goes through the same
    // key check as a Multikey: its JWK is turned into the Multikey spelling of the same key.
    const publicKeyMultibase =
      typeof c.publicKeyMultibase === 'string'
        ? c.publicKeyMultibase
        : c.publicKeyJwk !== undefined
          ? multibaseOfPublicJwk(c.publicKeyJwk)
          : undefined
    if (publicKeyMultibase === undefined) return undefined
    return { id, type: c.type, controller: c.controller, publicKeyMultibase }
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

/** The verification relationship a proof needs. */
export type ProofRelationship = 'assertionMethod' | 'authentication'

/** The code for a key that its DID document does not list under the needed relationship. */
const NOT_AUTHORIZED: Readonly<Record<ProofRelationship, ErrorCode>> = {
  assertionMethod: 'ERR_KEY_NOT_AUTHORIZED',
  authentication: 'ERR_PRESENTATION_KEY_NOT_AUTHORIZED',
}

/** A verification method that passed the key step. */
export interface ResolvedKey {
  /** The DID part of the verification method id. */
  readonly did: string
  readonly didDocument: Record<string, unknown>
  readonly verificationMethod: CheckedVerificationMethod
}

/** The outcome of {@link resolveProofKey}. */
export type KeyResolution =
  | { readonly ok: true; readonly key: ResolvedKey }
  | {
      readonly ok: false
      readonly problem: Problem
      /**
       * The key, when it was found and is sound but is not listed under the relationship:
       * callers that check who controls the key first still can.
       */
      readonly key?: ResolvedKey
    }

/** Remembered DID documents for one verification (a DID is resolved once per document). */
export type DidDocumentCache = Map<string, Promise<Record<string, unknown> | undefined>>

async function documentOf(
  did: string,
  didResolver: DidResolver,
  cache: DidDocumentCache | undefined,
): Promise<Record<string, unknown> | undefined> {
  const load = async () => {
    try {
      const r = await didResolver.resolve(did)
      return isPlainObject(r.didDocument) && r.didResolutionMetadata.error === undefined
        ? r.didDocument
        : undefined
    } catch {
      return undefined
    }
  }
  if (cache === undefined) return load()
  let pending = cache.get(did)
  if (pending === undefined) {
    pending = load()
    cache.set(did, pending)
  }
  return pending
}

/**
 * The key step: resolves `verificationMethod` (a DID URL) for a proof that needs
 * `relationship`. Never throws. Problems, with `path` as their JSON Pointer:
 * - `ERR_KEY_UNRESOLVABLE`: the DID does not resolve, its document's `id` is not the DID, or
 *   the document has no usable method with that id;
 * - `ERR_KEY_INVALID`: the public key is not a strict Multikey (Ed25519: canonical, of large
 *   order; P-256 / P-384: a compressed point on the curve), or not of a type in `keyTypes`;
 * - `ERR_KEY_NOT_AUTHORIZED` (assertionMethod) / `ERR_PRESENTATION_KEY_NOT_AUTHORIZED`
 *   (authentication): the document does not list the method under that relationship.
 *
 * @example
 * const r = await resolveProofKey('did:key:z6Mk…#z6Mk…', { didResolver, relationship: 'assertionMethod', path: '/proof/verificationMethod' })
 */
export async function resolveProofKey(
  verificationMethod: string,
  options: {
    readonly didResolver: DidResolver
    readonly relationship: ProofRelationship
    /** JSON Pointer the problems point at. */
    readonly path: string
    /** Shared by the proofs of one document, so that a DID is resolved once. */
    readonly cache?: DidDocumentCache
    /**
     * The key types the proof's suite signs with (eddsa: Ed25519; ecdsa-rdfc-2019: P-256 and
     * P-384; ecdsa-sd-2023: P-256). Default: any type the key check knows.
     */
    readonly keyTypes?: readonly MultikeyType[]
  },
): Promise<KeyResolution> {
  const did = verificationMethod.split('#')[0] ?? ''
  const fail = (code: ErrorCode, message: string, key?: ResolvedKey) => ({
    ok: false as const,
    problem: problem(code, message, options.path),
    ...(key === undefined ? {} : { key }),
  })
  const didDocument = await documentOf(did, options.didResolver, options.cache)
  if (didDocument === undefined || didDocument.id !== did) {
    return fail('ERR_KEY_UNRESOLVABLE', `Cannot resolve ${JSON.stringify(did)}.`)
  }
  const vm = findVerificationMethod(didDocument, verificationMethod)
  if (vm === undefined) {
    return fail(
      'ERR_KEY_UNRESOLVABLE',
      `${did} has no usable verification method ${JSON.stringify(verificationMethod)}.`,
    )
  }
  // The key itself, strictly: canonical multibase, a usable point of its curve, of a type the
  // proof's suite signs with.
  const checked = multikeyProblem(vm.publicKeyMultibase)
  if (checked.problem !== undefined || checked.type === undefined) {
    return fail('ERR_KEY_INVALID', checked.problem ?? 'The public key cannot be decoded.')
  }
  if (options.keyTypes !== undefined && !options.keyTypes.includes(checked.type)) {
    return fail(
      'ERR_KEY_INVALID',
      `${verificationMethod} is a ${checked.type} key; this proof's suite needs ${options.keyTypes.join(' or ')}.`,
    )
  }
  const key: ResolvedKey = {
    did,
    didDocument,
    verificationMethod: { ...vm, keyType: checked.type },
  }
  if (!hasRelationship(didDocument, options.relationship, verificationMethod)) {
    return fail(
      NOT_AUTHORIZED[options.relationship],
      options.relationship === 'authentication'
        ? `${verificationMethod} is not listed under ${did}'s authentication, so it cannot sign a presentation.`
        : `${verificationMethod} is not listed under ${did}'s assertionMethod.`,
      key,
    )
  }
  return { ok: true, key }
}
