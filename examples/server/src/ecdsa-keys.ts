/**
 * The server's ECDSA keys, for the W3C ECDSA cryptosuites (ecdsa-rdfc-2019 with P-256 and P-384,
 * ecdsa-sd-2023 with P-256): one key file per curve in `DATA_DIR/keys` (`ecdsa-p256.json`,
 * `ecdsa-p384.json`, mode 0600), created on first start. With `did:web` they are verification
 * methods of the server's DID (`<did>#ecdsa-p256`, `<did>#ecdsa-p384`), listed under
 * `assertionMethod` in its DID document; with `did:key` each key is its own `did:key`
 * (`did:key:zDna…`, `did:key:z82L…`), the issuer of what it signs.
 *
 * @module
 */
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import {
  exportIssuerKeyFile,
  generateIssuerKey,
  importIssuerKey,
  loadIssuerKey,
  saveIssuerKey,
  type IssuerKey,
} from '@certify-vc/issuer'
import type { DidMethod } from './config.js'

/** The curves the server signs with. */
export type EcdsaCurve = 'P-256' | 'P-384'

/** The server's ECDSA key of each curve. */
export type EcdsaKeys = Readonly<Record<EcdsaCurve, IssuerKey>>

const FILES: Readonly<Record<EcdsaCurve, string>> = {
  'P-256': 'ecdsa-p256.json',
  'P-384': 'ecdsa-p384.json',
}
const FRAGMENTS: Readonly<Record<EcdsaCurve, string>> = {
  'P-256': 'ecdsa-p256',
  'P-384': 'ecdsa-p384',
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

/**
 * Loads the ECDSA keys, creating a missing one. Key files hold plain `did:key` Multikeys; with
 * `did:web` the key is bound to `did` at load time (as the Ed25519 key ring does).
 */
export async function loadEcdsaKeys(
  dataDir: string,
  method: DidMethod,
  did: string,
): Promise<EcdsaKeys> {
  const load = async (curve: EcdsaCurve): Promise<IssuerKey> => {
    const path = join(dataDir, 'keys', FILES[curve])
    if (!(await exists(path))) await saveIssuerKey(path, await generateIssuerKey({ type: curve }))
    const key = await loadIssuerKey(path)
    if (method !== 'web') return key
    const file = exportIssuerKeyFile(key)
    return importIssuerKey({
      type: 'Multikey',
      publicKeyMultibase: file.publicKeyMultibase,
      secretKeyMultibase: file.secretKeyMultibase,
      controller: did,
      id: `${did}#${FRAGMENTS[curve]}`,
    })
  }
  return { 'P-256': await load('P-256'), 'P-384': await load('P-384') }
}

/**
 * `document` (the server's `did:web` DID document) with the ECDSA keys added as Multikey
 * verification methods under `assertionMethod` (they sign credentials, never presentations or
 * status lists). Keys of another DID (`did:key` mode) are left out.
 */
export function withEcdsaMethods(
  document: Record<string, unknown>,
  keys: EcdsaKeys,
): Record<string, unknown> {
  const did = document.id
  const methods = Object.values(keys)
    .filter((key) => key.did === did)
    .map((key) => ({
      id: key.verificationMethodId,
      type: 'Multikey',
      controller: key.did,
      publicKeyMultibase: key.publicKeyMultibase,
    }))
  if (methods.length === 0) return document
  const list = (name: string): unknown[] =>
    Array.isArray(document[name]) ? (document[name] as unknown[]) : []
  return {
    ...document,
    verificationMethod: [...list('verificationMethod'), ...methods],
    assertionMethod: [...list('assertionMethod'), ...methods.map((m) => m.id)],
  }
}

/** The DIDs of the ECDSA keys, for `/certify/server-info`. */
export function ecdsaDids(keys: EcdsaKeys): Record<EcdsaCurve, string> {
  return { 'P-256': keys['P-256'].did, 'P-384': keys['P-384'].did }
}
