/**
 * Everything the routes share: storage, keys, DID, status lists, DID resolution, and the
 * verifier options every door of the server uses (the VC API, the page, presentations).
 * Verification itself is `@certify-vc/verifier`'s, one pipeline for all of them; the VC API's
 * answer shape is in vc-api/verification.ts.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises'
import type { DocumentLoader } from '@certify-vc/context'
import type { StatusRegistry } from '@certify-vc/issuer'
import {
  createDefaultDidResolver,
  createHardenedDidResolver,
  createHardenedStatusListSource,
  verifyCredential,
  type DidResolver,
  type ProfileName,
  type StatusListSource,
  type VerifyCredentialOptions,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import type { ServerConfig } from './config.js'
import { loadEcdsaKeys, withEcdsaMethods, type EcdsaKeys } from './ecdsa-keys.js'
import { didDocument, loadKeyRing, type KeyRing, type RingKey } from './identity.js'
import { createStatusLists, type StatusLists } from './status-lists.js'
import { openStorage } from './storage/open-storage.js'
import type { CredentialStore, ServerStorage } from './storage/types.js'
import { EXAMPLES_V2_URL, createServerDocumentLoader } from './vc-api/document-loader.js'
import { heldResource } from './vc-api/related-resources.js'

/** The shared services. */
export interface Services {
  readonly config: ServerConfig
  readonly ring: KeyRing
  /** The P-256 and P-384 keys of the W3C ECDSA suites' issue routes. */
  readonly ecdsaKeys: EcdsaKeys
  readonly did: string
  readonly trustedIssuers: readonly string[]
  readonly registry: StatusRegistry
  /** Everything the server keeps besides the registry (shared by every instance). */
  readonly storage: ServerStorage
  /** `storage.credentials`: issued credentials, issue claims, the public directory. */
  readonly store: CredentialStore
  readonly statusLists: StatusLists
  readonly documentLoader: DocumentLoader
  readonly didResolver: DidResolver
  readonly statusSource: StatusListSource
  /** The DID document: the current key and every earlier key with outstanding credentials. */
  didDocument(now?: Date): Promise<Record<string, unknown>>
  /**
   * The verifier options of every door of this server: its trust list, resolvers, loader,
   * status source and held resources, under `profile`.
   */
  verifierOptions(profile: ProfileName): VerifyCredentialOptions
  /** The Institute profile's verification (what the page shows). */
  verifyOpenBadge(doc: unknown): Promise<VerifyCredentialResult>
  close(): Promise<void>
}

/** Opens storage, loads (or creates) keys, wires resolution and status. */
export async function createServices(config: ServerConfig): Promise<Services> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 })
  const ring = await loadKeyRing(config.dataDir, config.didMethod, config.publicBaseUrl)
  const did = ring.did
  const ecdsaKeys = await loadEcdsaKeys(config.dataDir, config.didMethod, did)
  // With did:key the ECDSA keys are DIDs of their own, trusted like the server's.
  const own = [...new Set([did, ecdsaKeys['P-256'].did, ecdsaKeys['P-384'].did])]
  const trustedIssuers = [...own, ...config.trustedIssuers.filter((d) => !own.includes(d))]
  const { registry, storage } = await openStorage(config.dataDir, config.databaseUrl)
  const store = storage.credentials
  const statusLists = createStatusLists(
    registry,
    storage.statusLists,
    () => ring.current.key,
    config.publicBaseUrl,
  )
  const documentLoader = createServerDocumentLoader()
  const loopback = config.allowLoopbackFetch === true
  const networkPolicy = loopback ? { allowHttp: true, allowLoopback: true } : {}
  const remoteResolver = createHardenedDidResolver(networkPolicy)
  const keyResolver = createDefaultDidResolver()

  async function currentDidDocument(now = new Date()): Promise<Record<string, unknown>> {
    const keys: RingKey[] = []
    for (const k of ring.keys) {
      if (k === ring.current) {
        keys.push(k)
        continue
      }
      if (k.key.did !== did) continue // did:key mode: older keys are their own DIDs
      const outstanding = await store.outstandingCredentials(k.key.verificationMethodId, now)
      for (const id of outstanding) {
        const record = await store.getIssued(id)
        if (record?.managedStatus !== true) {
          keys.push(k)
          break
        }
        const status = await registry.getCredentialStatus(id).catch(() => undefined)
        if (status === undefined || (status.status !== 'revoked' && status.status !== 'void')) {
          keys.push(k)
          break
        }
      }
    }
    return withEcdsaMethods(didDocument(did, keys), ecdsaKeys)
  }

  // The server's own DID is resolved locally (no request to itself); others via the network.
  const didResolver: DidResolver = {
    async resolve(target: string) {
      if (target === did && config.didMethod === 'web') {
        return { didDocument: await currentDidDocument(), didResolutionMetadata: {} }
      }
      if (target.startsWith('did:key:')) return keyResolver.resolve(target)
      return remoteResolver.resolve(target)
    },
  }
  const remoteStatus = createHardenedStatusListSource(networkPolicy)
  const statusSource: StatusListSource = {
    async get(url, options) {
      if (url.startsWith(`${statusLists.baseUrl}/`)) {
        const list = await statusLists.get(url)
        if (list === undefined) throw new Error('No such status list on this server.')
        return structuredClone(list)
      }
      return remoteStatus.get(url, options)
    },
  }

  function verifierOptions(profile: ProfileName): VerifyCredentialOptions {
    return {
      profile,
      trustedIssuers,
      didResolver,
      documentLoader,
      additionalContexts: [EXAMPLES_V2_URL],
      relatedResources: heldResource,
      status: { source: statusSource, cache: false },
    }
  }

  return {
    config,
    ring,
    ecdsaKeys,
    did,
    trustedIssuers,
    registry,
    storage,
    store,
    statusLists,
    documentLoader,
    didResolver,
    statusSource,
    didDocument: currentDidDocument,
    verifierOptions,
    verifyOpenBadge: (doc) => verifyCredential(doc, verifierOptions('institute')),
    async close() {
      await registry.close()
      await storage.close()
    },
  }
}
