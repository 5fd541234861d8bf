/**
 * Issuer keys: Ed25519, P-256 and P-384 Multikey key pairs, their key files (JSON, mode 0600) and
 * the signer the cryptosuites call (Ed25519 for the EdDSA suites; P-256 / P-384 for
 * ecdsa-rdfc-2019, P-256 for ecdsa-sd-2023). The secret key never leaves this module except through
 * {@link exportIssuerKeyFile} and {@link saveIssuerKey}: an {@link IssuerKey} does not show it
 * to `JSON.stringify`, `util.inspect`, `String()` or property enumeration.
 *
 * @module
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto'
import { link, lstat, open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import {
  CONTEXT_URLS,
  CertifyError,
  MULTIKEY_TYPES,
  decodePublicKeyMultibase,
  isPlainObject,
  type MultikeyType,
} from '@certify-vc/context'
import { type Signer } from '@certify-vc/core'
import { ecdsaSign, generateEcdsaMultikeys, importEcdsaSecret } from './ecdsa-keys.js'
import { isDid } from './option-checks.js'

/**
 * The public half of an issuer key as a Multikey verification method (never the secret).
 *
 * @example
 * JSON.stringify(key) // '{"type":"Multikey","id":"did:key:z6Mk…#z6Mk…","controller":"did:key:z6Mk…",…}'
 */
export interface IssuerKeyPublicJson {
  type: 'Multikey'
  id: string
  controller: string
  publicKeyMultibase: string
}

/**
 * The key-file JSON: the `@digitalbazaar/ed25519-multikey` / `@digitalbazaar/ecdsa-multikey`
 * export format. It holds the secret key, so it is only ever written to a file with mode 0600 by
 * {@link saveIssuerKey}.
 *
 * @example
 * {
 *   "type": "Multikey",
 *   "id": "did:key:z6Mk…#z6Mk…",
 *   "controller": "did:key:z6Mk…",
 *   "publicKeyMultibase": "z6Mk…",
 *   "secretKeyMultibase": "z3u2…"
 * }
 */
export interface IssuerKeyFile extends IssuerKeyPublicJson {
  /**
   * Multibase (base58btc) of the multicodec `ed25519-priv` header and the 32-byte seed, or of the
   * `p256-priv` / `p384-priv` header and the 32 / 48-byte private scalar.
   */
  secretKeyMultibase: string
}

/**
 * An issuer key (Ed25519, P-256 or P-384), ready to sign. It exposes the public key, the DID and
 * the verification method id; the secret key stays inside (`JSON.stringify`, `util.inspect` and
 * `String()` show only public data).
 *
 * @example
 * const key = await loadIssuerKey('issuer-key.json')
 * console.log(key) // IssuerKey { did: 'did:key:z6Mk…', verificationMethodId: 'did:key:z6Mk…#z6Mk…' }
 */
export interface IssuerKey {
  /** The controller DID: `did:key:z6Mk…` (or the DID named by an imported key file). */
  readonly did: string
  /** The verification method id put in proofs: `did:key:z6Mk…#z6Mk…`. */
  readonly verificationMethodId: string
  /** The public key: `z6Mk…` (Ed25519), `zDna…` (P-256) or `z82L…` (P-384). */
  readonly publicKeyMultibase: string
  /**
   * The key type, the signer's `algorithm`. Every key made here has one; a caller's own
   * implementation without it is taken as Ed25519.
   */
  readonly keyType?: MultikeyType
  /** A signer for the cryptosuites (`id` is {@link IssuerKey.verificationMethodId}). */
  signer(): Signer
  /** The public key as a Multikey verification method; never the secret. */
  toJSON(): IssuerKeyPublicJson
}

/**
 * Options of {@link generateIssuerKey}.
 *
 * @example
 * await generateIssuerKey({ seed: new Uint8Array(32).fill(7) }) // the same key every time
 */
export interface GenerateIssuerKeyOptions {
  /**
   * `'Ed25519'` (default: eddsa-rdfc-2022, Ed25519Signature2020), `'P-256'` (ecdsa-rdfc-2019,
   * ecdsa-sd-2023) or `'P-384'` (ecdsa-rdfc-2019).
   */
  type?: MultikeyType
  /**
   * Ed25519 only: 32 bytes to derive the key from (tests, reproducible demos). Default: 32 random
   * bytes. ECDSA keys are always random.
   */
  seed?: Uint8Array
}

/**
 * Options of {@link saveIssuerKey}.
 *
 * @example
 * await saveIssuerKey('issuer-key.json', key, { overwrite: true })
 */
export interface SaveIssuerKeyOptions {
  /** Replace an existing file. Default `false`: an existing file is an error. */
  overwrite?: boolean
}

const SEED_BYTES = 32
/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
])
const KEY_FILE_MAX_BYTES = 64 * 1024
const KEY_FILE_KEYS = new Set([
  '@context',
  'type',
  'id',
  'controller',
  'publicKeyMultibase',
  'secretKeyMultibase',
])
const FRAGMENT = /^(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})+$/

/** What only this module sees: the imported private key and the canonical secret multibase. */
interface KeySecret {
  readonly privateKey: KeyObject
  readonly secretKeyMultibase: string
}

const secrets = new WeakMap<object, KeySecret>()

class MultikeyIssuerKey implements IssuerKey {
  readonly did: string
  readonly verificationMethodId: string
  readonly publicKeyMultibase: string
  readonly keyType: MultikeyType

  constructor(parts: {
    did: string
    verificationMethodId: string
    publicKeyMultibase: string
    keyType: MultikeyType
  }) {
    this.did = parts.did
    this.verificationMethodId = parts.verificationMethodId
    this.publicKeyMultibase = parts.publicKeyMultibase
    this.keyType = parts.keyType
  }

  signer(): Signer {
    const secret = secrets.get(this)
    if (secret === undefined) throw new TypeError('This IssuerKey holds no secret key.')
    const { privateKey } = secret
    const keyType = this.keyType
    return Object.freeze({
      id: this.verificationMethodId,
      algorithm: keyType,
      sign({ data }: { data: Uint8Array }): Promise<Uint8Array> {
        if (!(data instanceof Uint8Array)) {
          return Promise.reject(new TypeError('"data" must be a Uint8Array.'))
        }
        // The key was imported once (docs/design.md §8). Ed25519 signing is deterministic;
        // ECDSA is randomized (OpenSSL), raw r‖s in low-S form.
        return Promise.resolve(
          keyType === 'Ed25519'
            ? new Uint8Array(sign(null, data, privateKey))
            : ecdsaSign(keyType, privateKey, data),
        )
      },
    })
  }

  toJSON(): IssuerKeyPublicJson {
    return {
      type: 'Multikey',
      id: this.verificationMethodId,
      controller: this.did,
      publicKeyMultibase: this.publicKeyMultibase,
    }
  }

  toString(): string {
    return `IssuerKey(${this.verificationMethodId})`
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `IssuerKey { keyType: '${this.keyType}', did: '${this.did}', verificationMethodId: '${this.verificationMethodId}' }`
  }
}

function keyInvalid(message: string, cause?: unknown): CertifyError {
  return new CertifyError('ERR_KEY_INVALID', message, cause === undefined ? undefined : { cause })
}

function keyFileError(message: string, cause?: unknown): CertifyError {
  return new CertifyError('ERR_KEY_FILE', message, cause === undefined ? undefined : { cause })
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}

/** Options of the library's `export()`, which takes more than the shared type shim declares. */
interface LibraryExportOptions {
  publicKey?: boolean
  secretKey?: boolean
  includeContext?: boolean
  canonicalize?: boolean
  raw?: boolean
}

async function rawSecretKey(pair: Ed25519Multikey.Ed25519MultikeyKeyPair): Promise<Uint8Array> {
  const options: LibraryExportOptions = { publicKey: false, secretKey: true, raw: true }
  const raw: unknown = await pair.export(options)
  const secretKey = isPlainObject(raw) ? raw.secretKey : undefined
  if (!(secretKey instanceof Uint8Array)) throw keyInvalid('The key holds no secret key.')
  return secretKey
}

async function secretMultibase(
  pair: Ed25519Multikey.Ed25519MultikeyKeyPair,
  canonicalize: boolean,
): Promise<string> {
  const options: LibraryExportOptions = {
    publicKey: false,
    secretKey: true,
    includeContext: false,
    canonicalize,
  }
  const { secretKeyMultibase } = await pair.export(options)
  if (typeof secretKeyMultibase !== 'string') throw keyInvalid('The key holds no secret key.')
  return secretKeyMultibase
}

/** Resolves and checks `id` / `controller` of a key file against its public key. */
function identify(
  publicKeyMultibase: string,
  id: string | undefined,
  controller: string | undefined,
): { did: string; verificationMethodId: string } {
  const didKey = `did:key:${publicKeyMultibase}`
  const did = controller ?? (id === undefined ? didKey : id.split('#')[0])
  if (did === undefined || !isDid(did)) throw keyInvalid('"controller" must be a DID.')
  if (did.startsWith('did:key:') && did !== didKey) {
    throw keyInvalid('"controller" is a did:key of another public key.')
  }
  const verificationMethodId = id ?? `${did}#${publicKeyMultibase}`
  if (!verificationMethodId.startsWith(`${did}#`)) {
    throw keyInvalid('"id" must be the controller DID followed by "#" and a fragment.')
  }
  const fragment = verificationMethodId.slice(did.length + 1)
  if (!FRAGMENT.test(fragment)) throw keyInvalid('"id" has an empty or malformed fragment.')
  if (did === didKey && fragment !== publicKeyMultibase) {
    throw keyInvalid('A did:key verification method id must end with "#" and its public key.')
  }
  return { did, verificationMethodId }
}

/**
 * Imports a key pair given as Multikey strings: strict decoding (prefix, multicodec header,
 * length), and the secret key must derive the public key. The key type is the public key's.
 */
async function importParts(parts: {
  publicKeyMultibase: string
  secretKeyMultibase: string
  id?: string
  controller?: string
}): Promise<IssuerKey> {
  const { publicKeyMultibase, secretKeyMultibase } = parts
  const { type, publicKey } = decodePublicKeyMultibase(publicKeyMultibase)
  if (!/^z[1-9A-HJ-NP-Za-km-z]+$/.test(secretKeyMultibase)) {
    throw keyInvalid('"secretKeyMultibase" must be base58btc ("z…").')
  }
  const { did, verificationMethodId } = identify(publicKeyMultibase, parts.id, parts.controller)
  if (type !== 'Ed25519') {
    const privateKey = await importEcdsaSecret(type, publicKeyMultibase, secretKeyMultibase)
    const key = new MultikeyIssuerKey({
      did,
      verificationMethodId,
      publicKeyMultibase,
      keyType: type,
    })
    secrets.set(key, { privateKey, secretKeyMultibase })
    return Object.freeze(key)
  }

  let secretKey: Uint8Array
  let canonicalSecret: string
  try {
    const pair = await Ed25519Multikey.from({
      type: 'Multikey',
      publicKeyMultibase,
      secretKeyMultibase,
    })
    secretKey = await rawSecretKey(pair)
    // Re-encoding must give the input back: this checks the ed25519-priv header (0x8026) and
    // the length, which the library itself does not check on import.
    if ((await secretMultibase(pair, false)) !== secretKeyMultibase) {
      throw keyInvalid('"secretKeyMultibase" is not an Ed25519 secret key (multicodec 0x1300).')
    }
    canonicalSecret = await secretMultibase(pair, true)
  } catch (error) {
    if (error instanceof CertifyError) throw error
    // The library's messages never contain key material, but keep ours fixed anyway.
    throw keyInvalid('"secretKeyMultibase" is not a valid Ed25519 secret key.', error)
  }
  if (secretKey.length !== SEED_BYTES && secretKey.length !== 2 * SEED_BYTES) {
    throw keyInvalid('"secretKeyMultibase" must hold 32 bytes (or 64: seed and public key).')
  }
  const seed = secretKey.subarray(0, SEED_BYTES)
  // Legacy 64-byte form: seed followed by the public key, which must be this one.
  if (
    secretKey.length === 2 * SEED_BYTES &&
    !sameBytes(secretKey.subarray(SEED_BYTES), publicKey)
  ) {
    throw keyInvalid('The secret key does not belong to the public key.')
  }
  let privateKey: KeyObject
  let derived: Uint8Array
  const der = Buffer.alloc(PKCS8_ED25519_PREFIX.length + SEED_BYTES)
  try {
    der.set(PKCS8_ED25519_PREFIX)
    der.set(seed, PKCS8_ED25519_PREFIX.length)
    // Imported once; signing then reuses the KeyObject (docs/design.md §8).
    privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' })
    derived = Buffer.from(String(jwk.x), 'base64url')
  } catch (error) {
    throw keyInvalid('The secret key could not be imported as an Ed25519 key.', error)
  } finally {
    // Our copies of the raw secret are no longer needed (the library's pair is discarded too).
    der.fill(0)
    secretKey.fill(0)
  }
  if (!sameBytes(derived, publicKey)) {
    throw keyInvalid('The secret key does not belong to the public key.')
  }
  const key = new MultikeyIssuerKey({
    did,
    verificationMethodId,
    publicKeyMultibase,
    keyType: 'Ed25519',
  })
  secrets.set(key, { privateKey, secretKeyMultibase: canonicalSecret })
  return Object.freeze(key)
}

/**
 * Generates a new issuer key whose DID is a `did:key`: Ed25519 by default, or P-256 / P-384.
 *
 * @example
 * const key = await generateIssuerKey()
 * key.did // 'did:key:z6Mk…'
 * await saveIssuerKey('issuer-key.json', key)
 *
 * @example
 * const p256 = await generateIssuerKey({ type: 'P-256' })
 * p256.did // 'did:key:zDna…'
 *
 * @throws {TypeError} for an unknown `type`, or a `seed` that is not a 32-byte `Uint8Array` or
 *   is given for an ECDSA key.
 */
export async function generateIssuerKey(
  options: GenerateIssuerKeyOptions = {},
): Promise<IssuerKey> {
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  for (const name of Object.keys(options)) {
    if (name !== 'seed' && name !== 'type') throw new TypeError(`Unknown option "${name}".`)
  }
  const { seed } = options
  const type: unknown = options.type ?? 'Ed25519'
  if (type !== 'Ed25519' && type !== 'P-256' && type !== 'P-384') {
    throw new TypeError(`"type" must be one of ${MULTIKEY_TYPES.join(', ')}.`)
  }
  if (seed !== undefined && (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES)) {
    throw new TypeError('"seed" must be a Uint8Array of 32 bytes.')
  }
  if (type !== 'Ed25519') {
    if (seed !== undefined) throw new TypeError('"seed" is for Ed25519 keys only.')
    return importParts(await generateEcdsaMultikeys(type))
  }
  const pair = await Ed25519Multikey.generate({ seed: seed ?? randomBytes(SEED_BYTES) })
  const secretKeyMultibase = await secretMultibase(pair, true)
  return importParts({ publicKeyMultibase: pair.publicKeyMultibase, secretKeyMultibase })
}

/**
 * Imports an issuer key from its key-file JSON (already parsed), validating it strictly:
 * `type: 'Multikey'`; an Ed25519 `publicKeyMultibase` with an Ed25519 `secretKeyMultibase`
 * (32-byte seed, or the legacy 64-byte seed + public key), or a P-256 / P-384 one (a compressed
 * point on the curve) with a secret key of the same curve; the secret key must derive the public
 * key; and `id` / `controller` consistent with it. `id` and `controller` may be left out (a `did:key` is used);
 * a controller other than `did:key` (e.g. `did:web`) is kept as the key's DID.
 *
 * @example
 * const key = await importIssuerKey(JSON.parse(await readFile('issuer-key.json', 'utf8')))
 *
 * @throws {CertifyError} `ERR_KEY_INVALID` for anything but a valid, matching key pair.
 */
export async function importIssuerKey(keyFile: unknown): Promise<IssuerKey> {
  if (!isPlainObject(keyFile)) throw keyInvalid('A key file must be a JSON object.')
  for (const name of Object.keys(keyFile)) {
    if (!KEY_FILE_KEYS.has(name)) throw keyInvalid(`Unexpected key file property "${name}".`)
  }
  const { type, id, controller, publicKeyMultibase, secretKeyMultibase } = keyFile
  const context = keyFile['@context']
  if (
    context !== undefined &&
    context !== CONTEXT_URLS.multikeyV1 &&
    !(Array.isArray(context) && context.length === 1 && context[0] === CONTEXT_URLS.multikeyV1)
  ) {
    throw keyInvalid(`"@context" must be "${CONTEXT_URLS.multikeyV1}".`)
  }
  if (type !== 'Multikey') throw keyInvalid('"type" must be "Multikey".')
  if (typeof publicKeyMultibase !== 'string') {
    throw keyInvalid('"publicKeyMultibase" must be a string.')
  }
  if (typeof secretKeyMultibase !== 'string') {
    throw keyInvalid('"secretKeyMultibase" must be a string: a key file needs the secret key.')
  }
  if (id !== undefined && typeof id !== 'string') throw keyInvalid('"id" must be a string.')
  if (controller !== undefined && typeof controller !== 'string') {
    throw keyInvalid('"controller" must be a string.')
  }
  return importParts({
    publicKeyMultibase,
    secretKeyMultibase,
    ...(id === undefined ? {} : { id }),
    ...(controller === undefined ? {} : { controller }),
  })
}

/**
 * The key-file JSON of `key`, secret included: for saving only (prefer {@link saveIssuerKey}).
 * Never log or print the result.
 *
 * @example
 * const file = exportIssuerKeyFile(key) // { type: 'Multikey', id, controller, publicKeyMultibase, secretKeyMultibase }
 *
 * @throws {TypeError} when `key` was not made by {@link generateIssuerKey},
 *   {@link importIssuerKey} or {@link loadIssuerKey}.
 */
export function exportIssuerKeyFile(key: IssuerKey): IssuerKeyFile {
  const secret = typeof key === 'object' && key !== null ? secrets.get(key) : undefined
  if (secret === undefined) {
    throw new TypeError('"key" must be an IssuerKey made by generateIssuerKey or importIssuerKey.')
  }
  return { ...key.toJSON(), secretKeyMultibase: secret.secretKeyMultibase }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { code } = error as { code?: unknown }
  return typeof code === 'string' ? code : undefined
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path)
  } catch {
    // already gone
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path)
    return true
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false
    throw error
  }
}

async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return
  try {
    const handle = await open(directory, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Best effort: some file systems cannot fsync a directory.
  }
}

/**
 * Saves `key` as a key file: JSON, mode 0600, written atomically (a temporary file in the same
 * directory, flushed, then linked or renamed into place). Refuses to replace an existing file
 * unless `overwrite: true`.
 *
 * @example
 * await saveIssuerKey('/etc/certify/issuer-key.json', key)
 * await saveIssuerKey('/etc/certify/issuer-key.json', newKey, { overwrite: true })
 *
 * @throws {TypeError} for a non-string path, a key without a secret, or bad options.
 * @throws {CertifyError} `ERR_KEY_FILE` when the file exists (without `overwrite`) or cannot be
 *   written.
 */
export async function saveIssuerKey(
  path: string,
  key: IssuerKey,
  options: SaveIssuerKeyOptions = {},
): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new TypeError('"path" must be a non-empty string.')
  }
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  for (const name of Object.keys(options)) {
    if (name !== 'overwrite') throw new TypeError(`Unknown option "${name}".`)
  }
  const { overwrite = false } = options
  if (typeof overwrite !== 'boolean') throw new TypeError('"overwrite" must be a boolean.')
  const text = JSON.stringify(exportIssuerKeyFile(key), null, 2) + '\n'

  const target = resolve(path)
  const directory = dirname(target)
  const temporary = join(directory, `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`)
  try {
    const handle = await open(temporary, 'wx', 0o600)
    try {
      await handle.chmod(0o600)
      await handle.writeFile(text, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch (error) {
    await removeQuietly(temporary)
    throw keyFileError(
      `Cannot write the key file in ${directory} (${errorCode(error) ?? 'error'}).`,
      error,
    )
  }

  try {
    if (overwrite) {
      await rename(temporary, target)
    } else {
      try {
        // link() fails if the target exists: no window where another file could be replaced.
        await link(temporary, target)
        await unlink(temporary)
      } catch (error) {
        const code = errorCode(error)
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV')
          throw error
        // File systems without hard links: check, then rename (a small race remains).
        if (await exists(target)) throw Object.assign(new Error('exists'), { code: 'EEXIST' })
        await rename(temporary, target)
      }
    }
  } catch (error) {
    await removeQuietly(temporary)
    const code = errorCode(error)
    if (code === 'EEXIST') {
      throw keyFileError(`${target} already exists; pass { overwrite: true } to replace it.`)
    }
    throw keyFileError(`Cannot write the key file ${target} (${code ?? 'error'}).`, error)
  }
  await syncDirectory(directory)
}

/**
 * Loads a key file written by {@link saveIssuerKey}. Like ssh, it refuses a file that the group
 * or others may read or write (POSIX only): run `chmod 600` on it.
 *
 * @example
 * const key = await loadIssuerKey('/etc/certify/issuer-key.json')
 *
 * @throws {TypeError} for a non-string path.
 * @throws {CertifyError} `ERR_KEY_FILE` when the file is missing, unreadable, not a regular file,
 *   too open, too large, not JSON, or holds no valid key (the `cause` then carries the
 *   `ERR_KEY_INVALID` error). Messages never include the file's contents.
 */
export async function loadIssuerKey(path: string): Promise<IssuerKey> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new TypeError('"path" must be a non-empty string.')
  }
  const target = resolve(path)
  let bytes: Buffer
  try {
    const handle = await open(target, 'r')
    try {
      const stat = await handle.stat()
      if (!stat.isFile()) throw keyFileError(`${target} is not a regular file.`)
      if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
        const mode = (stat.mode & 0o777).toString(8).padStart(4, '0')
        throw keyFileError(
          `${target} has mode ${mode}: a key file must not be accessible by group or others. ` +
            `Run: chmod 600 ${JSON.stringify(target)}`,
        )
      }
      if (stat.size > KEY_FILE_MAX_BYTES)
        throw keyFileError(`${target} is too large for a key file.`)
      bytes = await handle.readFile()
    } finally {
      await handle.close()
    }
  } catch (error) {
    if (error instanceof CertifyError) throw error
    const code = errorCode(error)
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'is not readable'
          : `cannot be read (${code ?? 'error'})`
    throw keyFileError(`The key file ${target} ${why}.`, error)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    // No cause and no parser message: both can quote the file, i.e. the secret key.
    throw keyFileError(`The key file ${target} is not valid UTF-8 JSON.`)
  } finally {
    bytes.fill(0)
  }
  try {
    return await importIssuerKey(parsed)
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid key'
    throw keyFileError(`The key file ${target} holds no usable key: ${reason}`, error)
  }
}
