/**
 * relatedResource integrity (VC Data Model 2.0 §5.3) without fetching: the server holds the exact
 * bytes of the resources it can vouch for, computes their digests, and compares them with the
 * credential's `digestSRI` / `digestMultibase`. A resource it does not hold cannot be checked.
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#integrity-of-related-resources
 * @module
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { pointer, problem, type Problem } from '@certify-vc/context'

/**
 * A resource whose exact bytes the server holds, vendored under `examples/server/vendor/`
 * (provenance in vendor/SOURCES.md). The SHA-256 is checked when the module loads, so a
 * reformatted or replaced file stops the server instead of silently changing verdicts.
 */
interface HeldResource {
  readonly url: string
  readonly file: string
  readonly sha256: string
}

const HELD: readonly HeldResource[] = [
  {
    // VC DM 2.0 §B.1 names this SHA-256 for the base context: w3c/vc-data-model
    // `contexts/credentials/v2` at commit 8d0ee1072f16284a1a0613d78bd7c20c915bad09 (10139 bytes).
    // (Not byte-identical to the npm copy pinned in contexts/, which the JSON-LD loader uses.)
    url: 'https://www.w3.org/ns/credentials/v2',
    file: 'w3c-credentials-v2-8d0ee107.jsonld',
    sha256: '24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9',
  },
]

/** `examples/server/vendor/`, from both src/vc-api (tests) and dist/vc-api (built). */
const VENDOR = new URL('../../vendor/', import.meta.url)

function load(resource: HeldResource): Uint8Array {
  const bytes = readFileSync(new URL(resource.file, VENDOR))
  const actual = createHash('sha256').update(bytes).digest('hex')
  if (actual !== resource.sha256) {
    throw new Error(
      `vendor/${resource.file} has sha256 ${actual}, expected ${resource.sha256}: restore the exact bytes.`,
    )
  }
  return new Uint8Array(bytes)
}

/** URL → the exact bytes this server holds for it. */
export const KNOWN_RESOURCES: ReadonlyMap<string, Uint8Array> = new Map(
  HELD.map((r) => [r.url, load(r)]),
)

const SRI_ALGORITHMS = { sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' } as const
/** Multihash codes: sha2-256, sha2-384, sha2-512 (varint-encoded, all < 0x80). */
const MULTIHASH = new Map<number, 'sha256' | 'sha384' | 'sha512'>([
  [0x12, 'sha256'],
  [0x20, 'sha384'],
  [0x13, 'sha512'],
])

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

/** base58btc (Bitcoin alphabet) to bytes; `undefined` for a character outside the alphabet. */
function base58Decode(text: string): Buffer | undefined {
  let value = 0n
  for (const c of text) {
    const digit = BASE58.indexOf(c)
    if (digit < 0) return undefined
    value = value * 58n + BigInt(digit)
  }
  const hex = value === 0n ? '' : value.toString(16)
  const body = Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, 'hex')
  const zeros = /^1*/.exec(text)?.[0].length ?? 0
  return Buffer.concat([Buffer.alloc(zeros), body])
}

function digest(algorithm: string, bytes: Uint8Array): Buffer {
  return createHash(algorithm).update(bytes).digest()
}

/** True when every hash in an SRI string (`sha384-…`, space-separated) matches `bytes`. */
function sriMatches(value: unknown, bytes: Uint8Array): boolean {
  if (typeof value !== 'string') return false
  const tokens = value.trim().split(/\s+/)
  if (tokens.length === 0 || tokens[0] === '') return false
  return tokens.every((token) => {
    const m = /^(sha256|sha384|sha512)-([A-Za-z0-9+/_-]+={0,2})(\?.*)?$/.exec(token)
    if (m === null) return false
    const algorithm = SRI_ALGORITHMS[m[1] as keyof typeof SRI_ALGORITHMS]
    const given = Buffer.from((m[2] as string).replace(/-/g, '+').replace(/_/g, '/'), 'base64')
    return given.equals(digest(algorithm, bytes))
  })
}

/**
 * True when a multibase digest (`u` base64url or `z` base58btc) matches `bytes`: either a
 * multihash (sha2-256/384/512) or, as the VC 2.0 examples use, the raw 32-byte SHA-256.
 */
function multibaseMatches(value: unknown, bytes: Uint8Array): boolean {
  if (typeof value !== 'string' || value.length < 2) return false
  let decoded: Buffer | undefined
  if (value[0] === 'u' && /^[A-Za-z0-9_-]+$/.test(value.slice(1))) {
    decoded = Buffer.from(value.slice(1), 'base64url')
  } else if (value[0] === 'z' && value.length <= 200) {
    decoded = base58Decode(value.slice(1))
  }
  if (decoded === undefined) return false
  if (decoded.length === 32 && decoded.equals(digest('sha256', bytes))) return true
  const algorithm = MULTIHASH.get(decoded[0] ?? -1)
  if (algorithm === undefined || decoded[1] !== decoded.length - 2) return false
  return decoded.subarray(2).equals(digest(algorithm, bytes))
}

/**
 * The digests of one relatedResource entry (already known to have an `id` and a digest),
 * compared with the bytes this server holds. `undefined` when it holds none for that URL.
 */
export function checkKnownDigests(
  item: Readonly<Record<string, unknown>>,
  at: string,
): Problem[] | undefined {
  const bytes = typeof item.id === 'string' ? KNOWN_RESOURCES.get(item.id) : undefined
  if (bytes === undefined) return undefined
  const out: Problem[] = []
  if (item.digestSRI !== undefined && !sriMatches(item.digestSRI, bytes)) {
    out.push(
      problem(
        'ERR_STRUCTURE_DIGEST_MISMATCH',
        '"digestSRI" does not match the resource.',
        `${at}${pointer('digestSRI')}`,
      ),
    )
  }
  if (item.digestMultibase !== undefined && !multibaseMatches(item.digestMultibase, bytes)) {
    out.push(
      problem(
        'ERR_STRUCTURE_DIGEST_MISMATCH',
        '"digestMultibase" does not match the resource.',
        `${at}${pointer('digestMultibase')}`,
      ),
    )
  }
  return out
}
