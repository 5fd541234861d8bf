/**
 * Related resources (VC 2.0 §5.3): each `relatedResource` digest (`digestSRI`,
 * `digestMultibase`) is compared with the bytes of the resource, which the caller must hold
 * (`relatedResources` option): the verifier never fetches a URL a credential names. A resource
 * it cannot check makes the credential unverified. Browser-safe (WebCrypto digests).
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#integrity-of-related-resources
 * @module
 */
import { asArray, isPlainObject, pointer, problem, type Problem } from '@certify-vc/context'
import { base58btc } from 'multiformats/bases/base58'
import type { CheckResult, RelatedResourceLookup } from '../types.js'
import { checkResult, skipped } from './common.js'

type Algorithm = 'SHA-256' | 'SHA-384' | 'SHA-512'

const SRI_ALGORITHMS: Readonly<Record<string, Algorithm>> = {
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
}
/** Multihash codes: sha2-256, sha2-384, sha2-512 (varint-encoded, all < 0x80). */
const MULTIHASH = new Map<number, Algorithm>([
  [0x12, 'SHA-256'],
  [0x20, 'SHA-384'],
  [0x13, 'SHA-512'],
])

async function digest(algorithm: Algorithm, bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest(algorithm, bytes.slice()))
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

function base64Decode(text: string): Uint8Array | undefined {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/')
  try {
    return Uint8Array.from(atob(standard + '='.repeat((4 - (standard.length % 4)) % 4)), (c) =>
      c.charCodeAt(0),
    )
  } catch {
    return undefined
  }
}

/** True when every hash in an SRI string (`sha384-…`, space-separated) matches `bytes`. */
async function sriMatches(value: unknown, bytes: Uint8Array): Promise<boolean> {
  if (typeof value !== 'string') return false
  const tokens = value.trim().split(/\s+/)
  if (tokens.length === 0 || tokens[0] === '') return false
  for (const token of tokens) {
    const m = /^(sha256|sha384|sha512)-([A-Za-z0-9+/_-]+={0,2})(\?.*)?$/.exec(token)
    const algorithm = m === null ? undefined : SRI_ALGORITHMS[m[1] as string]
    const given = m === null ? undefined : base64Decode((m[2] as string).replace(/=+$/, ''))
    if (algorithm === undefined || given === undefined) return false
    if (!equal(given, await digest(algorithm, bytes))) return false
  }
  return true
}

/**
 * True when a multibase digest (`u` base64url or `z` base58btc) matches `bytes`: a multihash
 * (sha2-256/384/512) or, as the VC 2.0 examples use, the raw 32-byte SHA-256.
 */
async function multibaseMatches(value: unknown, bytes: Uint8Array): Promise<boolean> {
  if (typeof value !== 'string' || value.length < 2 || value.length > 200) return false
  let decoded: Uint8Array | undefined
  if (value[0] === 'u' && /^[A-Za-z0-9_-]+$/.test(value.slice(1))) {
    decoded = base64Decode(value.slice(1))
  } else if (value[0] === 'z') {
    try {
      decoded = base58btc.decode(value)
    } catch {
      decoded = undefined
    }
  }
  if (decoded === undefined) return false
  if (decoded.length === 32 && equal(decoded, await digest('SHA-256', bytes))) return true
  const algorithm = MULTIHASH.get(decoded[0] ?? -1)
  if (algorithm === undefined || decoded[1] !== decoded.length - 2) return false
  return equal(decoded.subarray(2), await digest(algorithm, bytes))
}

/** Runs the related-resources check; `skipped` when the credential names none. */
export async function checkRelatedResources(
  document: Readonly<Record<string, unknown>>,
  lookup: RelatedResourceLookup | undefined,
): Promise<CheckResult> {
  if (document.relatedResource === undefined) {
    return skipped('related-resources', 'The credential names none.')
  }
  return checkResult('related-resources', await relatedResourceProblems(document, lookup))
}

/**
 * The `relatedResource` digests of `document` checked against the bytes `lookup` holds, as the
 * verifier's `related-resources` check does (VC 2.0 §5.3): `ERR_STRUCTURE_DIGEST_MISMATCH` for a
 * digest that does not match, `ERR_RELATED_RESOURCE_UNCHECKED` for a resource not held (nothing is
 * ever fetched). For an issuer, before it signs: a credential must not vouch for a digest its
 * issuer can tell is wrong. Never throws.
 */
export async function relatedResourceProblems(
  document: Readonly<Record<string, unknown>>,
  lookup: RelatedResourceLookup | undefined,
): Promise<Problem[]> {
  const raw = document.relatedResource
  if (raw === undefined) return []
  const out: Problem[] = []
  const many = Array.isArray(raw)
  const items = asArray(raw)
  for (let i = 0; i < items.length; i++) {
    const item = items[i]
    const at = many ? pointer('relatedResource', i) : pointer('relatedResource')
    // The shape (a URL id, a digest) is the structure check's.
    if (!isPlainObject(item) || typeof item.id !== 'string') continue
    let bytes: Uint8Array | undefined
    try {
      bytes = lookup?.(item.id)
    } catch {
      bytes = undefined
    }
    if (bytes === undefined) {
      out.push(
        problem(
          'ERR_RELATED_RESOURCE_UNCHECKED',
          `This verifier does not hold ${JSON.stringify(item.id.slice(0, 200))} and never fetches it, so its digest cannot be checked.`,
          at,
        ),
      )
      continue
    }
    if (item.digestSRI !== undefined && !(await sriMatches(item.digestSRI, bytes))) {
      out.push(
        problem(
          'ERR_STRUCTURE_DIGEST_MISMATCH',
          '"digestSRI" does not match the resource.',
          at + '/digestSRI',
        ),
      )
    }
    if (
      item.digestMultibase !== undefined &&
      !(await multibaseMatches(item.digestMultibase, bytes))
    ) {
      out.push(
        problem(
          'ERR_STRUCTURE_DIGEST_MISMATCH',
          '"digestMultibase" does not match the resource.',
          at + '/digestMultibase',
        ),
      )
    }
  }
  return out
}
