/**
 * The Institute's identity: its key ring in `DATA_DIR/keys` (one key file per key, mode 0600,
 * the highest number signs), its DID (`did:web` derived from the public base URL, or the current
 * key's `did:key`), and its DID document.
 *
 * @module
 */
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { CONTEXT_URLS } from '@certify-vc/context'
import {
  exportIssuerKeyFile,
  generateIssuerKey,
  importIssuerKey,
  loadIssuerKey,
  saveIssuerKey,
  type IssuerKey,
} from '@certify-vc/issuer'
import type { DidMethod } from './config.js'

const KEY_FILE = /^key-(\d{4,9})\.json$/

/** One key of the ring, bound to the server's DID. */
export interface RingKey {
  /** 1, 2 …: the order of creation. */
  readonly number: number
  readonly key: IssuerKey
}

/** The server's keys, oldest first; `current` signs. */
export interface KeyRing {
  readonly did: string
  readonly keys: readonly RingKey[]
  readonly current: RingKey
}

/**
 * The `did:web` DID of a public base URL (https://w3c-ccg.github.io/did-method-web/): the host,
 * its port percent-encoded (`%3A`), then the path segments joined by `:`.
 *
 * @throws {TypeError} for a URL with credentials, query, fragment, an IP-literal host, or empty
 *   or dot path segments.
 */
export function didWebFromUrl(publicBaseUrl: string): string {
  const url = new URL(publicBaseUrl)
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError('PUBLIC_BASE_URL must not carry credentials, a query or a fragment.')
  }
  const host = url.hostname.toLowerCase()
  if (host.startsWith('[') || /^[0-9.]+$/.test(host)) {
    throw new TypeError(
      'did:web needs a host name, not an IP address: set PUBLIC_BASE_URL to a name (e.g. http://localhost:8080) or use CERTIFY_DID_METHOD=key.',
    )
  }
  const segments = url.pathname.split('/').filter((s) => s !== '')
  for (const s of segments) {
    if (s === '.' || s === '..') throw new TypeError('PUBLIC_BASE_URL has a dot path segment.')
  }
  const port = url.port === '' ? '' : `%3A${url.port}`
  return ['did:web', `${host}${port}`, ...segments.map(encodeURIComponent)].join(':')
}

/** The URL a `did:web` DID document is served at, relative to the public base URL's origin. */
export function didDocumentPath(publicBaseUrl: string): string {
  const path = new URL(publicBaseUrl).pathname.replace(/\/+$/, '')
  return path === '' ? '/.well-known/did.json' : `${path}/did.json`
}

function keyFileName(n: number): string {
  return `key-${String(n).padStart(4, '0')}.json`
}

async function keyNumbers(dir: string): Promise<number[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const names = await readdir(dir)
  return names
    .map((n) => KEY_FILE.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b)
}

/** Binds a did:key key to `did` as `<did>#key-<n>` (no-op for did:key). */
async function bind(key: IssuerKey, did: string, n: number): Promise<IssuerKey> {
  if (did === key.did) return key
  const file = exportIssuerKeyFile(key)
  return importIssuerKey({
    type: 'Multikey',
    publicKeyMultibase: file.publicKeyMultibase,
    secretKeyMultibase: file.secretKeyMultibase,
    controller: did,
    id: `${did}#key-${n}`,
  })
}

/** Adds a new key file (the next number, mode 0600); it becomes the signing key. */
export async function addKey(dataDir: string): Promise<number> {
  const dir = join(dataDir, 'keys')
  const numbers = await keyNumbers(dir)
  const next = (numbers.at(-1) ?? 0) + 1
  await saveIssuerKey(join(dir, keyFileName(next)), await generateIssuerKey())
  return next
}

/**
 * Loads the key ring, creating the first key on first start. Key files hold plain did:key
 * Multikeys; the DID is applied at load time, so the same files serve did:web and did:key.
 */
export async function loadKeyRing(
  dataDir: string,
  method: DidMethod,
  publicBaseUrl: string,
): Promise<KeyRing> {
  const dir = join(dataDir, 'keys')
  let numbers = await keyNumbers(dir)
  if (numbers.length === 0) {
    try {
      await addKey(dataDir)
    } catch (error) {
      // Another instance sharing DATA_DIR wrote the first key at the same moment (key files are
      // linked into place whole, never replaced): use that one.
      if ((await keyNumbers(dir)).length === 0) throw error
    }
    numbers = await keyNumbers(dir)
  }
  const raw = await Promise.all(
    numbers.map(async (n) => ({ n, key: await loadIssuerKey(join(dir, keyFileName(n))) })),
  )
  const last = raw.at(-1)
  if (last === undefined) throw new Error('No key.')
  const did = method === 'web' ? didWebFromUrl(publicBaseUrl) : last.key.did
  const keys: RingKey[] = []
  for (const { n, key } of raw) {
    // With did:key, only the current key belongs to the DID; older keys are their own did:key.
    keys.push({ number: n, key: await bind(key, method === 'web' ? did : key.did, n) })
  }
  const current = keys.at(-1) as RingKey
  return { did, keys, current }
}

/**
 * The DID document for `did:web`: the keys given (the current one and those with outstanding
 * credentials), each a Multikey under `assertionMethod` (credentials and status lists) and
 * `authentication`.
 */
export function didDocument(did: string, keys: readonly RingKey[]): Record<string, unknown> {
  const methods = keys.map(({ key }) => ({
    id: key.verificationMethodId,
    type: 'Multikey',
    controller: did,
    publicKeyMultibase: key.publicKeyMultibase,
  }))
  return {
    '@context': [CONTEXT_URLS.didV1, CONTEXT_URLS.multikeyV1],
    id: did,
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
    authentication: methods.map((m) => m.id),
  }
}
