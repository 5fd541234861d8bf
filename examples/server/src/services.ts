/**
 * Everything the routes share: storage, keys, DID, status lists, DID resolution, and the
 * verifier options every door of the server uses (the VC API, the page, presentations).
 * Verification itself is `@certify-vc/verifier`'s, one pipeline for all of them.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import {
  findProgramByAchievementId,
  isPlainObject,
  type DocumentLoader,
  type Problem,
} from '@certify-vc/context'
import { openSqliteRegistry, type StatusRegistry } from '@certify-vc/issuer'
import {
  createDefaultDidResolver,
  createHardenedDidResolver,
  createHardenedStatusListSource,
  verifyCredential,
  verifyPresentation,
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
import { openServerStore, type ServerStore } from './store.js'
import { EXAMPLES_V2_URL, createServerDocumentLoader } from './vc-api/document-loader.js'
import { heldResource } from './vc-api/related-resources.js'

/** The profile of the VC API doors when the caller names none (see `@certify-vc/verifier`). */
export const VC_API_PROFILE: ProfileName = 'vc'

/** What the W3C VC API verify endpoints answer. */
export interface ApiVerification {
  verified: boolean
  /** The checks that passed. */
  checks: string[]
  warnings: Problem[]
  errors: Problem[]
  /** The full certify-vc result. */
  certify?: VerifyCredentialResult
}

/** The VC API verify options: the caller's proof challenge and domain, and the profile. */
export interface ApiVerifyOptions {
  domain?: string
  challenge?: string
  profile?: ProfileName
}

/** The shared services. */
export interface Services {
  readonly config: ServerConfig
  readonly ring: KeyRing
  /** The P-256 and P-384 keys of the W3C ECDSA suites' issue routes. */
  readonly ecdsaKeys: EcdsaKeys
  readonly did: string
  readonly trustedIssuers: readonly string[]
  readonly registry: StatusRegistry
  readonly store: ServerStore
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
  /** `POST /credentials/verify`: the pipeline under the VC API profile (or the caller's). */
  verifyForApi(doc: Record<string, unknown>, options: ApiVerifyOptions): Promise<ApiVerification>
  /**
   * `POST /presentations/verify`: the presentation's checks, then every embedded credential
   * with exactly the options of `/credentials/verify`. An unsigned presentation is accepted (as
   * the VC API reference does) only when the caller asks for no challenge and no domain, and it
   * changes no credential's verdict.
   */
  verifyPresentationForApi(
    vp: Record<string, unknown>,
    options: ApiVerifyOptions,
  ): Promise<ApiVerification>
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
  const registry = await openSqliteRegistry(join(config.dataDir, 'registry.sqlite'))
  const store = openServerStore(join(config.dataDir, 'server.sqlite'))
  const statusLists = createStatusLists(registry, () => ring.current.key, config.publicBaseUrl)
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
      const outstanding = store.outstandingCredentials(k.key.verificationMethodId, now)
      for (const id of outstanding) {
        const record = store.getIssued(id)
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

  function apiAnswer(result: {
    verified: boolean
    checks: readonly { id: string; outcome: string }[]
    problems: readonly Problem[]
  }): Omit<ApiVerification, 'warnings'> {
    return {
      verified: result.verified,
      checks: result.checks.filter((c) => c.outcome === 'passed').map((c) => c.id),
      errors: [...result.problems],
    }
  }

  async function verifyForApi(
    doc: Record<string, unknown>,
    options: ApiVerifyOptions,
  ): Promise<ApiVerification> {
    const certify = await verifyCredential(doc, {
      ...verifierOptions(options.profile ?? VC_API_PROFILE),
      ...(options.challenge === undefined ? {} : { proofChallenge: options.challenge }),
      ...(options.domain === undefined ? {} : { proofDomain: options.domain }),
    })
    return { ...apiAnswer(certify), warnings: [...certify.warnings], certify }
  }

  async function verifyPresentationForApi(
    vp: Record<string, unknown>,
    options: ApiVerifyOptions,
  ): Promise<ApiVerification> {
    const result = await verifyPresentation(vp, {
      ...verifierOptions(options.profile ?? VC_API_PROFILE),
      allowInlineContexts: true,
      domain: options.domain ?? null,
      ...(options.challenge === undefined ? {} : { challenge: options.challenge }),
      unsignedPresentation: 'allow',
      holderBinding: 'if-present',
      subjectBinding: 'off',
      requireCredentials: false,
    })
    return {
      ...apiAnswer(result),
      warnings: [
        ...(result.presentation.signed || !result.verified
          ? []
          : [
              {
                code: 'ERR_PRESENTATION_UNSIGNED' as const,
                message: 'The presentation is unsigned: it proves nothing about its holder.',
              },
            ]),
        ...result.credentials.flatMap((c) =>
          c.result.warnings.map((w) => ({ ...w, path: c.path + (w.path ?? '') })),
        ),
      ],
    }
  }

  return {
    config,
    ring,
    ecdsaKeys,
    did,
    trustedIssuers,
    registry,
    store,
    statusLists,
    documentLoader,
    didResolver,
    statusSource,
    didDocument: currentDidDocument,
    verifierOptions,
    verifyOpenBadge: (doc) => verifyCredential(doc, verifierOptions('institute')),
    verifyForApi,
    verifyPresentationForApi,
    async close() {
      await registry.close()
      store.close()
    },
  }
}

/** The program code to record for a credential: the catalog's for our achievements, else VC. */
export function programOf(doc: Record<string, unknown>): string {
  const subject = doc.credentialSubject
  const achievement = isPlainObject(subject) ? subject.achievement : undefined
  const id = isPlainObject(achievement) ? achievement.id : undefined
  if (typeof id === 'string') {
    const program = findProgramByAchievementId(id)
    if (program !== undefined) return program.code
  }
  return 'VC'
}
