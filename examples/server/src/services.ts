/**
 * Everything the routes share: storage, keys, DID, status lists, DID resolution and the two
 * verification paths (Open Badges through `@certify-vc/verifier`, generic VCs for the W3C API).
 *
 * @module
 */
import { mkdir } from 'node:fs/promises'
import {
  findProgramByAchievementId,
  isPlainObject,
  problem,
  type DocumentLoader,
  type Problem,
} from '@certify-vc/context'
import type { StatusRegistry } from '@certify-vc/issuer'
import {
  createDefaultDidResolver,
  createHardenedDidResolver,
  createHardenedStatusListSource,
  verifyCredential,
  verifyPresentation,
  type DidResolver,
  type StatusListSource,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import type { ServerConfig } from './config.js'
import { didDocument, loadKeyRing, type KeyRing, type RingKey } from './identity.js'
import { createStatusLists, type StatusLists } from './status-lists.js'
import { openStorage } from './storage/open-storage.js'
import type { CredentialStore, ServerStorage } from './storage/types.js'
import {
  checkCredentialShape,
  checkJsonLd,
  checkValidityWindow,
  createServerDocumentLoader,
  EXAMPLES_V2_URL,
  issuerIdOf,
  verifyProofs,
} from './vc-api/generic.js'

/** What the W3C VC API verify endpoints answer. */
export interface ApiVerification {
  verified: boolean
  checks: string[]
  warnings: Problem[]
  errors: Problem[]
  /** The full certify-vc result, for Open Badges credentials. */
  certify?: VerifyCredentialResult
}

/** The shared services. */
export interface Services {
  readonly config: ServerConfig
  readonly ring: KeyRing
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
  /** The certify-vc verification of an Open Badge (what the page shows). */
  verifyOpenBadge(doc: unknown): Promise<VerifyCredentialResult>
  /** The W3C VC API verification of any VC 1.1 / 2.0 credential. */
  verifyForApi(
    doc: Record<string, unknown>,
    options: { domain?: string; challenge?: string },
  ): Promise<ApiVerification>
  /**
   * The W3C VC API presentation verification: envelope, contexts, the holder's authentication
   * proof (domain and challenge when given), then every embedded credential (generic VC profile).
   * Unsigned presentations are accepted (as the VC API reference does) and say so in `warnings`.
   * Issuer trust is not what this endpoint decides: the embedded credentials' issuers are taken
   * as given (their proofs and keys are still checked).
   */
  verifyPresentationForApi(
    vp: Record<string, unknown>,
    options: { domain?: string; challenge?: string },
  ): Promise<ApiVerification>
  close(): Promise<void>
}

function embeddedIssuers(vp: Record<string, unknown>): string[] {
  const out: string[] = []
  const list = vp.verifiableCredential
  for (const c of Array.isArray(list) ? (list as unknown[]) : [list]) {
    const id = isPlainObject(c) ? issuerIdOf(c.issuer) : undefined
    if (id !== undefined) out.push(id)
  }
  return out
}

function isOpenBadge(doc: Record<string, unknown>): boolean {
  const t = doc.type
  return t === 'OpenBadgeCredential' || (Array.isArray(t) && t.includes('OpenBadgeCredential'))
}

/** Opens storage, loads (or creates) keys, wires resolution and status. */
export async function createServices(config: ServerConfig): Promise<Services> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 })
  const ring = await loadKeyRing(config.dataDir, config.didMethod, config.publicBaseUrl)
  const did = ring.did
  const trustedIssuers = [did, ...config.trustedIssuers.filter((d) => d !== did)]
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
    return didDocument(did, keys)
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

  async function verifyOpenBadge(doc: unknown): Promise<VerifyCredentialResult> {
    return verifyCredential(doc, {
      trustedIssuers,
      didResolver,
      documentLoader,
      status: { source: statusSource, cache: false },
    })
  }

  async function verifyForApi(
    doc: Record<string, unknown>,
    options: { domain?: string; challenge?: string },
  ): Promise<ApiVerification> {
    const issuer = issuerIdOf(doc.issuer)
    // Open Badges are the Institute's domain: trust and program decide, whoever the issuer is
    // (a self-issued "CAAE" must not come back verified; ATTACKS G1, G2).
    if (isOpenBadge(doc)) {
      const certify = await verifyOpenBadge(doc)
      return {
        verified: certify.verified,
        checks: certify.checks.filter((c) => c.outcome === 'passed').map((c) => c.id),
        warnings: [],
        errors: [...certify.problems],
        certify,
      }
    }
    const checks: string[] = []
    const fail = (errors: Problem[]): ApiVerification => ({
      verified: false,
      checks,
      warnings: [],
      errors,
    })
    const shape = checkCredentialShape(doc, 'verify')
    if (shape.length > 0) return fail(shape)
    // The proofs' own terms are checked by their suites; safe mode covers the credential.
    const { proof: _proof, ...unsigned } = doc
    const jsonLd = await checkJsonLd(unsigned, documentLoader)
    if (jsonLd.length > 0) return fail(jsonLd)
    const proofs = await verifyProofs(doc, {
      documentLoader,
      didResolver,
      ...(options.domain === undefined ? {} : { domain: options.domain }),
      ...(options.challenge === undefined ? {} : { challenge: options.challenge }),
    })
    if (proofs.length > 0) return fail(proofs)
    checks.push('proof')
    const validity = checkValidityWindow(doc, new Date())
    if (validity.length > 0) return fail(validity)
    if (doc.credentialStatus !== undefined) {
      const status = await statusLists.check(doc)
      if (status === undefined) {
        return fail([
          problem(
            'ERR_STATUS_UNKNOWN',
            'Only status lists hosted by this server are checked; this one is not.',
          ),
        ])
      }
      if (status.length > 0) return fail(status)
      checks.push('credentialStatus')
    }
    // The VC API's "verified" is about the data and its proofs; say when the issuer is not one
    // this server trusts, so that nobody reads it as an endorsement.
    const warnings =
      issuer !== undefined && trustedIssuers.includes(issuer)
        ? []
        : [problem('ERR_ISSUER_UNTRUSTED', "The issuer is not on this server's trust list.")]
    return { verified: true, checks, warnings, errors: [] }
  }

  async function verifyPresentationForApi(
    vp: Record<string, unknown>,
    options: { domain?: string; challenge?: string },
  ): Promise<ApiVerification> {
    const signed = vp.proof !== undefined
    const result = await verifyPresentation(vp, {
      trustedIssuers: [...trustedIssuers, ...embeddedIssuers(vp)],
      didResolver,
      documentLoader,
      additionalContexts: [EXAMPLES_V2_URL],
      allowInlineContexts: true,
      status: { source: statusSource, cache: false },
      domain: options.domain ?? null,
      ...(options.challenge === undefined ? {} : { challenge: options.challenge }),
      unsignedPresentation: 'allow',
      holderBinding: 'if-present',
      subjectBinding: 'off',
      credentialProfile: 'generic',
      requireCredentials: false,
    })
    return {
      verified: result.verified,
      checks: result.checks.filter((c) => c.outcome === 'passed').map((c) => c.id),
      warnings: signed
        ? []
        : [
            problem(
              'ERR_PRESENTATION_UNSIGNED',
              'The presentation is unsigned: it proves nothing about its holder.',
            ),
          ],
      errors: [...result.problems],
    }
  }

  return {
    config,
    ring,
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
    verifyOpenBadge,
    verifyForApi,
    verifyPresentationForApi,
    async close() {
      await registry.close()
      await storage.close()
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
