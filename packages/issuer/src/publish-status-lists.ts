/**
 * Publishing: one signed `BitstringStatusListCredential` per status list and purpose, built from
 * the registry, ready to host at the `statusListCredential` URL its entries point to.
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistcredential
 * @module
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  CONTEXT_URLS,
  CertifyError,
  formatDateTimeStamp,
  type DocumentLoader,
  type Proof,
} from '@certify-vc/context'
import { createBitstring, encodeStatusList, setStatus } from '@certify-vc/core'
import { MESSAGE_STATUS_SIZE } from './registry/sqlite-migrations.js'
import { checkDate, checkOptionBag } from './option-checks.js'
import { writeFileAtomic } from './files.js'
import { checkKey } from './issuer-key-check.js'
import { keyTypeOf } from './issuer-key-check.js'
import { signCredential } from './sign-credential.js'
import type { IssuerKey } from './keys.js'
import type { StatusRegistry } from './registry/status-registry.js'
import type {
  StatusListPublicationInput,
  StatusListPublicationState,
  StatusListSnapshot,
  StatusPurpose,
} from './registry/types.js'
import { checkBaseUrl, statusListUrl } from './status-urls.js'

/**
 * A `BitstringStatusListCredential` as certify-vc publishes it (VC 2.0 only).
 *
 * @example
 * const list: BitstringStatusListCredential = {
 *   '@context': ['https://www.w3.org/ns/credentials/v2'],
 *   id: 'https://production-ai.institute/status/revocation/1',
 *   type: ['VerifiableCredential', 'BitstringStatusListCredential'],
 *   issuer: 'did:web:production-ai.institute',
 *   validFrom: '2026-11-29T12:00:00Z',
 *   validUntil: '2026-12-06T12:00:00Z',
 *   credentialSubject: {
 *     id: 'https://production-ai.institute/status/revocation/1#list',
 *     type: 'BitstringStatusList',
 *     statusPurpose: 'revocation',
 *     encodedList: 'uH4sIAAAAAAACA-3AMQEAAADCIPunNsYeGAAAAAAAAAAAAAAAAAAAAJA7htJUqwBAAAA',
 *     ttl: 86400000,
 *   },
 * }
 */
export interface BitstringStatusListCredential {
  '@context': [typeof CONTEXT_URLS.credentialsV2]
  /** The list URL: `<baseUrl>/<purpose>/<listNumber>`. */
  id: string
  type: ['VerifiableCredential', 'BitstringStatusListCredential']
  /** The issuer DID (the key's), as a string. */
  issuer: string
  validFrom: string
  validUntil: string
  credentialSubject: {
    /** `<list URL>#list` */
    id: string
    type: 'BitstringStatusList'
    statusPurpose: StatusPurpose
    /** Multibase base64url (`u…`) of the gzip of the bitstring. */
    encodedList: string
    /** How long a verifier may cache the list, in milliseconds (the spec's unit). */
    ttl: number
  }
  proof?: Proof | Proof[]
}

/**
 * Options of {@link publishStatusLists}.
 *
 * @example
 * const options: PublishStatusListsOptions = {
 *   registry,
 *   key,
 *   baseUrl: 'https://production-ai.institute/status',
 *   outDir: './public/status',
 * }
 */
export interface PublishStatusListsOptions {
  /** The registry whose lists are published. */
  registry: StatusRegistry
  /** Signs every list; its DID is the `issuer` (use the key that signs the credentials). */
  key: IssuerKey
  /**
   * The base URL the caller expects. Every list is published at the URL recorded when its
   * first index was allocated (`StatusListSnapshot.baseUrl`), never at one computed from this
   * option: a list recorded under another base URL is refused with `ERR_REGISTRY_URL_MISMATCH`
   * (naming the recorded URL) rather than signed at a URL its credentials do not point to.
   * Lists recorded without a URL (registries written before URLs were recorded) are published
   * under this base URL. Omit it to publish every list at its recorded URL.
   */
  baseUrl?: string
  /**
   * The base URL for lists recorded without one only (ignored for the others): what the CLI
   * passes from its configuration when no `--base-url` is given. Not with `baseUrl`.
   */
  legacyBaseUrl?: string
  /**
   * Publish only these lists and purposes (e.g. the one list a server was asked for). Default:
   * every list and purpose in the registry. Unknown ones are skipped.
   */
  only?: readonly { listNumber: number; purpose: StatusPurpose }[]
  /** Also write one file per list there (`revocation-1.json`, `suspension-1.json` …). */
  outDir?: string
  /** `validFrom` and the proofs' `created` (whole seconds kept). Default: the clock. */
  now?: Date
  /** `validUntil` is `now` + this. Default 604,800 (7 days); at most 366 days. */
  validForSeconds?: number
  /** The lists' `ttl` (written in milliseconds). Default 86,400 (1 day); at most `validForSeconds`. */
  ttlSeconds?: number
  /** JSON-LD document loader. Default: the offline loader of `@certify-vc/context`. */
  documentLoader?: DocumentLoader
  /**
   * Re-sign only what needs it (needs `outDir`). A list and purpose is re-signed when it was
   * never published into `outDir`, one of its bits changed since (the registry keeps a revision
   * per list and purpose), the signing settings changed (key, base URL, `validForSeconds`,
   * `ttlSeconds`), its file is missing or differs from what was written, or less than half of
   * `validForSeconds` is left before its `validUntil`. The other lists are returned from their
   * files with `resigned: false`. Default false: every list is re-signed.
   */
  incremental?: boolean
}

/**
 * One published list.
 *
 * @example
 * const [first] = await publishStatusLists(options)
 * first.url // 'https://production-ai.institute/status/revocation/1'
 */
export interface PublishedStatusList {
  /** Where to host it: its `id`, the entries' `statusListCredential`. */
  url: string
  purpose: StatusPurpose
  listNumber: number
  /** The file written, with `outDir`. */
  file?: string
  /** The signed status list credential. */
  credential: BitstringStatusListCredential & { proof: Proof }
  /** `false` when `incremental` kept the list already published (its file is unchanged). */
  resigned: boolean
}

const PUBLISH_OPTIONS = [
  'registry',
  'key',
  'baseUrl',
  'legacyBaseUrl',
  'only',
  'outDir',
  'now',
  'validForSeconds',
  'ttlSeconds',
  'documentLoader',
  'incremental',
]
const DAY_SECONDS = 86_400
const MAX_VALID_FOR_SECONDS = 366 * DAY_SECONDS

function checkSeconds(value: unknown, what: string, fallback: number, max: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new TypeError(`"${what}" must be an integer number of seconds from 0 to ${max}.`)
  }
  return value
}

/**
 * The bitstring of one list and purpose: one bit per entry for revocation and suspension,
 * `MESSAGE_STATUS_SIZE` (2) bits per entry for messages (Bitstring Status List §3.2: the value
 * of entry i is at bit i × statusSize).
 */
function bitsOf(list: StatusListSnapshot, purpose: StatusPurpose): Uint8Array {
  const inRange = (index: number): number => {
    if (!Number.isSafeInteger(index) || index < 0 || index >= list.length) {
      throw new CertifyError(
        'ERR_REGISTRY_STORAGE',
        `The registry holds index ${index} beyond status list ${list.listNumber}.`,
      )
    }
    return index
  }
  if (purpose === 'message') {
    const bits = createBitstring(list.length, MESSAGE_STATUS_SIZE)
    for (const { index, value } of list.messages ?? []) {
      setStatus(bits, inRange(index), value, MESSAGE_STATUS_SIZE)
    }
    return bits
  }
  const bits = createBitstring(list.length)
  for (const index of purpose === 'revocation' ? list.revoked : list.suspended) {
    setStatus(bits, inRange(index), 1)
  }
  return bits
}

/**
 * Builds and signs, for every list in the registry and each of its purposes, a
 * `BitstringStatusListCredential` (VC 2.0, eddsa-rdfc-2022, issued by the key's DID), and with
 * `outDir` writes each one atomically (temporary file, then rename) to `<purpose>-<number>.json`.
 * Revoked and void credentials set their bit in the revocation list, suspended ones in the
 * suspension list. All lists are signed before any file is written. Verifiers match lists by
 * `id`, not by file name. With `outDir`, each publication (revision, validUntil, settings, file
 * digest) is recorded in the registry; with `incremental`, only the lists that changed or are
 * due for a `validUntil` refresh are re-signed (see {@link PublishStatusListsOptions.incremental}).
 *
 * @example
 * const published = await publishStatusLists({
 *   registry,
 *   key,
 *   baseUrl: 'https://production-ai.institute/status',
 *   outDir: './public/status',
 * })
 * for (const list of published) console.log(list.url, '->', list.file)
 *
 * Each list is signed at the URL recorded when it was created (`<baseUrl>/<purpose>/<number>`,
 * the URL its credentials point to), never at one derived from the options; lists recorded
 * without a URL use `baseUrl` (or `legacyBaseUrl`).
 *
 * @throws {TypeError} for wrong option types, unknown options, a missing key or registry, or a
 *   list recorded without a URL when neither `baseUrl` nor `legacyBaseUrl` is given.
 * @throws {CertifyError} `ERR_REGISTRY_URL_MISMATCH` (a list was recorded under another base URL
 *   than `baseUrl`; nothing is signed), `ERR_ISSUE_INVALID_INPUT` (bad `baseUrl`), `ERR_STRUCTURE_DATE_INVALID`
 *   (bad `now`), `ERR_REGISTRY_STORAGE` (the registry cannot be read, or a file cannot be
 *   written), and the signing codes of {@link signCredential}.
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistcredential
 */
export async function publishStatusLists(
  options: PublishStatusListsOptions,
): Promise<PublishedStatusList[]> {
  checkOptionBag(options, 'options', PUBLISH_OPTIONS)
  const registry = options.registry as Partial<Record<keyof StatusRegistry, unknown>> | undefined
  if (
    typeof registry !== 'object' ||
    registry === null ||
    typeof registry.readStatusLists !== 'function' ||
    (options.outDir !== undefined &&
      (typeof registry.readPublicationStates !== 'function' ||
        typeof registry.recordPublications !== 'function'))
  ) {
    throw new TypeError('"registry" must be a StatusRegistry (see openRegistry).')
  }
  const key = checkKey(options.key)
  if (options.baseUrl !== undefined && options.legacyBaseUrl !== undefined) {
    throw new TypeError('Give "baseUrl" or "legacyBaseUrl", not both.')
  }
  const expected =
    options.baseUrl === undefined ? undefined : checkBaseUrl(options.baseUrl, 'baseUrl')
  const fallback =
    expected ??
    (options.legacyBaseUrl === undefined
      ? undefined
      : checkBaseUrl(options.legacyBaseUrl, 'legacyBaseUrl'))
  const only = checkOnly(options.only)
  if (options.outDir !== undefined && (typeof options.outDir !== 'string' || !options.outDir)) {
    throw new TypeError('"outDir" must be a non-empty string.')
  }
  if (options.documentLoader !== undefined && typeof options.documentLoader !== 'function') {
    throw new TypeError('"documentLoader" must be a function.')
  }
  const validFor = checkSeconds(
    options.validForSeconds,
    'validForSeconds',
    7 * DAY_SECONDS,
    MAX_VALID_FOR_SECONDS,
  )
  const ttl = checkSeconds(options.ttlSeconds, 'ttlSeconds', DAY_SECONDS, validFor)
  const clock = options.now === undefined ? new Date() : checkDate(options.now, 'now')
  const now = new Date(Math.floor(clock.getTime() / 1000) * 1000)
  const validUntil = checkDate(new Date(now.getTime() + validFor * 1000), 'validUntil')

  const incremental = options.incremental ?? false
  if (typeof incremental !== 'boolean') throw new TypeError('"incremental" must be a boolean.')
  if (incremental && options.outDir === undefined) {
    throw new TypeError('"incremental" needs "outDir": the files are what was published.')
  }
  const outDir = options.outDir === undefined ? undefined : resolve(options.outDir)
  const fileOf = (purpose: StatusPurpose, listNumber: number): string | undefined =>
    outDir === undefined ? undefined : join(outDir, `${purpose}-${listNumber}.json`)
  // Per list: its URL is part of what was signed.
  const settingsOf = (baseUrl: string): string =>
    `sha256:${sha256(JSON.stringify([key.verificationMethodId, baseUrl, validFor, ttl]))}`
  // Revisions are read BEFORE the lists: a change in between is then signed now and still
  // counts as unpublished, never the other way round.
  const states = new Map<string, StatusListPublicationState>()
  if (outDir !== undefined) {
    for (const state of await options.registry.readPublicationStates()) {
      states.set(`${state.purpose}-${state.listNumber}`, state)
    }
  }
  const selected = (listNumber: number, purpose: StatusPurpose): boolean =>
    only === undefined || only.has(`${purpose}-${listNumber}`)
  const lists = (await options.registry.readStatusLists()).filter((list) =>
    list.purposes.some((purpose) => selected(list.listNumber, purpose)),
  )
  // Every URL is settled before anything is signed: one list at a wrong URL refuses them all.
  const baseUrls = new Map(lists.map((list) => [list.listNumber, listBaseUrl(list)]))
  const published: PublishedStatusList[] = []
  const records: StatusListPublicationInput[] = []
  const texts = new Map<PublishedStatusList, string>()
  for (const list of lists) {
    const baseUrl = baseUrls.get(list.listNumber) ?? ''
    const settings = settingsOf(baseUrl)
    for (const purpose of list.purposes) {
      if (!selected(list.listNumber, purpose)) continue
      const url = statusListUrl(baseUrl, purpose, list.listNumber)
      const state = states.get(`${purpose}-${list.listNumber}`)
      const file = fileOf(purpose, list.listNumber)
      if (incremental && state !== undefined && file !== undefined) {
        const kept = await keptPublication(state, file, settings, now, validFor)
        if (kept !== undefined) {
          published.push({
            url,
            purpose,
            listNumber: list.listNumber,
            file,
            credential: kept,
            resigned: false,
          })
          continue
        }
      }
      const unsigned: BitstringStatusListCredential = {
        '@context': [CONTEXT_URLS.credentialsV2],
        id: url,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: key.did,
        validFrom: formatDateTimeStamp(now),
        validUntil: formatDateTimeStamp(validUntil),
        credentialSubject: {
          id: `${url}#list`,
          type: 'BitstringStatusList',
          statusPurpose: purpose,
          encodedList: encodeStatusList(bitsOf(list, purpose)),
          ttl: ttl * 1000,
        },
      }
      const credential = await signCredential(unsigned, {
        key,
        // A status list is signed like the Institute's VC 2.0 credentials: eddsa-rdfc-2022 with
        // an Ed25519 key, ecdsa-rdfc-2019 with a P-256 / P-384 key.
        suite: keyTypeOf(key) === 'Ed25519' ? 'eddsa-rdfc-2022' : 'ecdsa-rdfc-2019',
        created: now,
        ...(options.documentLoader === undefined ? {} : { documentLoader: options.documentLoader }),
      })
      const entry: PublishedStatusList = {
        url,
        purpose,
        listNumber: list.listNumber,
        credential,
        resigned: true,
      }
      published.push(entry)
      if (state !== undefined) {
        const text = JSON.stringify(credential, null, 2) + '\n'
        texts.set(entry, text)
        records.push({
          listNumber: list.listNumber,
          purpose,
          revision: state.revision,
          publishedAt: unsigned.validFrom,
          validUntil: unsigned.validUntil,
          settings,
          digest: `sha256:${sha256(text)}`,
        })
      }
    }
  }

  if (outDir !== undefined) {
    try {
      await mkdir(outDir, { recursive: true })
      for (const list of published) {
        if (!list.resigned) continue
        const file = fileOf(list.purpose, list.listNumber) ?? ''
        const text = texts.get(list) ?? JSON.stringify(list.credential, null, 2) + '\n'
        await writeFileAtomic(file, text)
        list.file = file
      }
    } catch (error) {
      const code = (error as { code?: unknown }).code
      throw new CertifyError(
        'ERR_REGISTRY_STORAGE',
        `Cannot write the status lists to ${outDir}${typeof code === 'string' ? ` (${code})` : ''}.`,
        { cause: error },
      )
    }
    // Recorded once the files are in place: a crash before this only means re-signing again.
    await options.registry.recordPublications(records)
  }
  return published

  /** The base URL `list` is published under: the recorded one, else the fallback. */
  function listBaseUrl(list: StatusListSnapshot): string {
    if (list.baseUrl !== undefined) {
      if (expected !== undefined && expected !== list.baseUrl) {
        throw new CertifyError(
          'ERR_REGISTRY_URL_MISMATCH',
          `Status list ${list.listNumber} was recorded under ${list.baseUrl} (its credentials ` +
            `point to ${statusListUrl(list.baseUrl, 'revocation', list.listNumber)}); refusing ` +
            `to publish it under ${expected}. Publish without a base URL to use the recorded ones.`,
        )
      }
      return list.baseUrl
    }
    if (fallback === undefined) {
      throw new TypeError(
        `Status list ${list.listNumber} was recorded without a URL (before list URLs were ` +
          'recorded): pass "baseUrl", the base URL its credentials were issued with.',
      )
    }
    return fallback
  }
}

/** Checks the `only` option: a set of `<purpose>-<listNumber>` keys, or undefined for all. */
function checkOnly(value: unknown): Set<string> | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value)) throw new TypeError('"only" must be an array.')
  const out = new Set<string>()
  for (const [i, item] of (value as unknown[]).entries()) {
    checkOptionBag(item, `only[${i}]`, ['listNumber', 'purpose'])
    const { listNumber, purpose } = item
    if (typeof listNumber !== 'number' || !Number.isSafeInteger(listNumber) || listNumber < 1) {
      throw new TypeError(`"only[${i}].listNumber" must be a positive integer.`)
    }
    if (purpose !== 'revocation' && purpose !== 'suspension' && purpose !== 'message') {
      throw new TypeError(`"only[${i}].purpose" must be revocation, suspension or message.`)
    }
    out.add(`${purpose}-${listNumber}`)
  }
  return out
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/**
 * The list already published in `file`, when it can be kept: same revision and settings, the
 * file as written, and at least half of `validFor` left. Otherwise `undefined` (re-sign).
 */
async function keptPublication(
  state: StatusListPublicationState,
  file: string,
  settings: string,
  now: Date,
  validFor: number,
): Promise<(BitstringStatusListCredential & { proof: Proof }) | undefined> {
  const last = state.published
  if (last === undefined || last.revision !== state.revision || last.settings !== settings) {
    return undefined
  }
  const validUntil = Date.parse(last.validUntil)
  if (!(validUntil - now.getTime() >= (validFor * 1000) / 2)) return undefined
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return undefined
  }
  if (`sha256:${sha256(text)}` !== last.digest) return undefined
  return JSON.parse(text) as BitstringStatusListCredential & { proof: Proof }
}
