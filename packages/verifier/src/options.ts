/**
 * The verification options, checked and completed with their defaults once per call, for the
 * credential pipeline and (through the same function) for every credential of a presentation.
 * Bad options throw `TypeError` naming the option.
 *
 * @module
 */
import {
  CATALOG,
  createDocumentLoader,
  isPlainObject,
  type Catalog,
  type DocumentLoader,
} from '@certify-vc/context'
import {
  DEFAULT_MAX_STATUS_LIST_BYTES,
  JWS_ALGORITHMS,
  SUITE_NAMES,
  createDefaultDidResolver,
  type CanonicalizationPath,
  type DidResolver,
  type JwsAlgorithm,
  type SuiteName,
} from '@certify-vc/core'
import { resolveLimits } from './ingress.js'
import { PROFILES, PROFILE_NAMES, type ProfileRules } from './profiles.js'
import { defaultStatusListCache, type StatusListCache } from './status/cache.js'
import { DEFAULT_FETCH_TIMEOUT_MS, createFetchStatusListSource } from './status/fetch-source.js'
import type { StatusListSource } from './status/source.js'
import type {
  InputLimits,
  RelatedResourceLookup,
  StatusCheckOptions,
  TrustedIssuer,
  VerifyCredentialOptions,
} from './types.js'

const MAX_CLOCK_SKEW_SECONDS = 3600

/** The trusted issuers by DID. */
export type TrustList = ReadonlyMap<string, TrustedIssuer>

/** The status check's options, resolved. */
export interface ResolvedStatusOptions {
  readonly source: StatusListSource
  readonly cache: StatusListCache | undefined
  readonly maxListBytes: number
  readonly timeoutMs: number
}

/** Every option of the credential pipeline, checked, with its default. */
export interface PipelineOptions {
  readonly profile: ProfileRules
  readonly trust: TrustList
  readonly now: Date
  readonly maxClockSkewSeconds: number
  readonly documentLoader: DocumentLoader
  readonly additionalContexts: readonly string[]
  readonly didResolver: DidResolver
  readonly suites: readonly SuiteName[]
  readonly catalog: Catalog
  readonly limits: Required<InputLimits>
  readonly status: ResolvedStatusOptions | false
  readonly proofChallenge: string | undefined
  readonly proofDomain: string | undefined
  readonly relatedResources: RelatedResourceLookup | undefined
  readonly canonicalization: CanonicalizationPath
  /** JWS algorithms accepted for JWT-secured credentials. */
  readonly jwtAlgorithms: readonly JwsAlgorithm[]
}

/** What differs between the browser and the Node builds of the verifier. */
export interface VerifierDefaults {
  /** The status list source used when the caller names none (created once, lazily). */
  readonly statusSource: () => StatusListSource
}

let defaultLoader: DocumentLoader | undefined
let defaultResolver: DidResolver | undefined
let defaultFetchSource: StatusListSource | undefined

/** The browser-safe defaults: status lists through `globalThis.fetch`. */
export const BROWSER_DEFAULTS: VerifierDefaults = {
  statusSource: () => (defaultFetchSource ??= createFetchStatusListSource()),
}

function stringList(value: unknown, name: string): readonly string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw new TypeError(`"${name}" must be an array of non-empty strings.`)
  }
  return value as readonly string[]
}

/** The trust list from `trustedIssuers`: DIDs, or entries that pin keys and status URLs. */
export function resolveTrust(trustedIssuers: unknown): TrustList {
  if (!Array.isArray(trustedIssuers)) {
    throw new TypeError('"trustedIssuers" must be an array of issuer DIDs (it may be empty).')
  }
  const trust = new Map<string, TrustedIssuer>()
  for (const entry of trustedIssuers as unknown[]) {
    if (typeof entry === 'string') {
      if (!trust.has(entry)) trust.set(entry, { id: entry })
      continue
    }
    if (!isPlainObject(entry) || typeof entry.id !== 'string' || entry.id === '') {
      throw new TypeError(
        '"trustedIssuers" entries must be DIDs or objects with an "id" (the DID) and optional pins.',
      )
    }
    const known = new Set([
      'id',
      'verificationMethods',
      'programs',
      'statusListVerificationMethods',
      'statusListUrlPrefixes',
    ])
    for (const key of Object.keys(entry)) {
      if (!known.has(key)) throw new TypeError(`Unknown trusted-issuer option "${key}".`)
    }
    const at = `trustedIssuers[${JSON.stringify(entry.id)}]`
    const pinned: {
      -readonly [K in keyof TrustedIssuer]: TrustedIssuer[K]
    } = { id: entry.id }
    if (entry.verificationMethods !== undefined) {
      pinned.verificationMethods = stringList(
        entry.verificationMethods,
        `${at}.verificationMethods`,
      )
    }
    if (entry.statusListVerificationMethods !== undefined) {
      pinned.statusListVerificationMethods = stringList(
        entry.statusListVerificationMethods,
        `${at}.statusListVerificationMethods`,
      )
    }
    if (entry.statusListUrlPrefixes !== undefined) {
      pinned.statusListUrlPrefixes = stringList(
        entry.statusListUrlPrefixes,
        `${at}.statusListUrlPrefixes`,
      )
    }
    if (entry.programs !== undefined) {
      if (!isPlainObject(entry.programs)) throw new TypeError(`"${at}.programs" must be an object.`)
      const programs: Record<string, readonly string[]> = {}
      for (const [code, vms] of Object.entries(entry.programs)) {
        programs[code] = stringList(vms, `${at}.programs.${code}`)
      }
      pinned.programs = programs
    }
    if (trust.has(entry.id)) {
      throw new TypeError(`"trustedIssuers" names ${entry.id} twice.`)
    }
    trust.set(entry.id, pinned)
  }
  return trust
}

function resolveStatusOptions(
  status: StatusCheckOptions | false | undefined,
  defaults: VerifierDefaults,
  didResolver: DidResolver,
  documentLoader: DocumentLoader,
): ResolvedStatusOptions | false {
  if (status === false) return false
  if (
    status !== undefined &&
    (typeof status !== 'object' || status === null || Array.isArray(status))
  ) {
    throw new TypeError('"status" must be an object or false.')
  }
  const {
    source,
    cache,
    maxListBytes = DEFAULT_MAX_STATUS_LIST_BYTES,
    timeoutMs = DEFAULT_FETCH_TIMEOUT_MS,
  } = status ?? {}
  if (
    source !== undefined &&
    (typeof source !== 'object' || source === null || typeof source.get !== 'function')
  ) {
    throw new TypeError('"status.source" must be an object with a get(url, options) method.')
  }
  if (
    cache !== undefined &&
    cache !== false &&
    (typeof cache !== 'object' ||
      cache === null ||
      typeof cache.get !== 'function' ||
      typeof cache.set !== 'function' ||
      typeof cache.now !== 'function')
  ) {
    throw new TypeError(
      '"status.cache" must be a StatusListCache (see createStatusListCache) or false.',
    )
  }
  if (!Number.isSafeInteger(maxListBytes) || maxListBytes < 1) {
    throw new TypeError('"status.maxListBytes" must be a positive integer.')
  }
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw new TypeError('"status.timeoutMs" must be a positive integer (milliseconds).')
  }
  return {
    source: source ?? defaults.statusSource(),
    cache:
      cache === false ? undefined : (cache ?? defaultStatusListCache(didResolver, documentLoader)),
    maxListBytes,
    timeoutMs,
  }
}

function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '' || value.length > 1024) {
    throw new TypeError(`"${name}" must be a non-empty string of at most 1024 characters.`)
  }
  return value
}

/**
 * Checks `options` and completes them with their defaults.
 *
 * @throws {TypeError} naming the option that is wrong.
 */
export function resolvePipelineOptions(
  options: VerifyCredentialOptions,
  defaults: VerifierDefaults,
): PipelineOptions {
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  const { now, maxClockSkewSeconds = 300, documentLoader, didResolver } = options
  const profileName = options.profile ?? 'institute'
  if (!(PROFILE_NAMES as readonly unknown[]).includes(profileName)) {
    throw new TypeError(`"profile" must be one of ${PROFILE_NAMES.join(', ')}.`)
  }
  const profile = PROFILES[profileName]
  const trust = resolveTrust(options.trustedIssuers)
  if (now !== undefined && (!(now instanceof Date) || Number.isNaN(now.getTime()))) {
    throw new TypeError('"now" must be a valid Date.')
  }
  if (
    !Number.isFinite(maxClockSkewSeconds) ||
    maxClockSkewSeconds < 0 ||
    maxClockSkewSeconds > MAX_CLOCK_SKEW_SECONDS
  ) {
    throw new TypeError(
      `"maxClockSkewSeconds" must be a number from 0 to ${MAX_CLOCK_SKEW_SECONDS}.`,
    )
  }
  if (documentLoader !== undefined && typeof documentLoader !== 'function') {
    throw new TypeError('"documentLoader" must be a function.')
  }
  if (
    didResolver !== undefined &&
    (typeof didResolver !== 'object' || typeof didResolver?.resolve !== 'function')
  ) {
    throw new TypeError('"didResolver" must be an object with a resolve(did) method.')
  }
  const suites = options.suites ?? profile.suites
  if (
    !Array.isArray(suites) ||
    !suites.every((s) => (SUITE_NAMES as readonly unknown[]).includes(s))
  ) {
    throw new TypeError(`"suites" must be a subset of ${SUITE_NAMES.join(', ')}.`)
  }
  const additionalContexts = options.additionalContexts ?? []
  if (
    !Array.isArray(additionalContexts) ||
    !additionalContexts.every((c) => typeof c === 'string')
  ) {
    throw new TypeError('"additionalContexts" must be an array of URLs.')
  }
  const catalog = options.catalog ?? CATALOG
  if (!isPlainObject(catalog) || !isPlainObject(catalog.programs)) {
    throw new TypeError('"catalog" must be a Catalog (see createCatalog).')
  }
  if (options.relatedResources !== undefined && typeof options.relatedResources !== 'function') {
    throw new TypeError('"relatedResources" must be a function (url) => bytes | undefined.')
  }
  const canonicalization = options.canonicalization ?? 'fast'
  if (canonicalization !== 'fast' && canonicalization !== 'reference') {
    throw new TypeError('"canonicalization" must be "fast" or "reference".')
  }
  const jwtAlgorithms = options.jwtAlgorithms ?? profile.jwtAlgorithms
  if (
    !Array.isArray(jwtAlgorithms) ||
    !jwtAlgorithms.every((a) => (JWS_ALGORITHMS as readonly unknown[]).includes(a))
  ) {
    throw new TypeError(`"jwtAlgorithms" must be a subset of ${JWS_ALGORITHMS.join(', ')}.`)
  }
  const loader = documentLoader ?? (defaultLoader ??= createDocumentLoader())
  const resolver = didResolver ?? (defaultResolver ??= createDefaultDidResolver())
  return {
    profile,
    trust,
    now: now ?? new Date(),
    maxClockSkewSeconds,
    documentLoader: loader,
    additionalContexts,
    didResolver: resolver,
    suites,
    catalog,
    limits: resolveLimits(options.limits),
    status: resolveStatusOptions(options.status, defaults, resolver, loader),
    proofChallenge: optionalText(options.proofChallenge, 'proofChallenge'),
    proofDomain: optionalText(options.proofDomain, 'proofDomain'),
    relatedResources: options.relatedResources,
    canonicalization,
    jwtAlgorithms,
  }
}
