/**
 * Ed25519 encoding checks made by certify-vc itself, before any library sees a key or a
 * signature, so that Node (OpenSSL), browsers (WebCrypto or a JavaScript library) and every
 * version of those agree on what is accepted (docs/attacks.md A15). RFC 8032 §5.1.7 requires S < L; some
 * libraries skip that check, which makes signatures malleable (S + L verifies as well as S).
 *
 * - signatures: exactly 64 bytes, S < L, and R a canonical point encoding (y < p);
 * - public keys: exactly 32 bytes, a canonical encoding (y < p), a point on the curve (with
 *   x = 0 only for sign bit 0), and not of small order (one of the 8 torsion points, which
 *   would let a signature verify for any message under some verifiers).
 *
 * Pure BigInt arithmetic, no dependencies; browser-safe.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8032#section-5.1.7
 * @module
 */
import { decodeEd25519PublicKeyMultibase, findCertifyError } from '@certify-vc/context'

/** Length of an Ed25519 signature in bytes. */
export const ED25519_SIGNATURE_BYTES = 64
/** Length of an Ed25519 public key in bytes. */
export const ED25519_PUBLIC_KEY_BYTES = 32

const P = 2n ** 255n - 19n
/** The order of the prime subgroup. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n

function mod(a: bigint): bigint {
  const r = a % P
  return r < 0n ? r + P : r
}

function pow(base: bigint, exponent: bigint): bigint {
  let result = 1n
  let b = mod(base)
  let e = exponent
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P
    b = (b * b) % P
    e >>= 1n
  }
  return result
}

const D = mod(-121665n * pow(121666n, P - 2n))
const SQRT_M1 = pow(2n, (P - 1n) / 4n)

/** Little-endian bytes as an integer. */
function littleEndian(bytes: Uint8Array, start: number, end: number): bigint {
  let n = 0n
  for (let i = end - 1; i >= start; i--) n = (n << 8n) | BigInt(bytes[i] ?? 0)
  return n
}

/** The y coordinate of a 32-byte point encoding (sign bit cleared) and the sign bit. */
function splitPoint(bytes: Uint8Array, offset: number): { y: bigint; sign: number } {
  const y = littleEndian(bytes, offset, offset + 32) & ((1n << 255n) - 1n)
  return { y, sign: (bytes[offset + 31] ?? 0) >> 7 }
}

/** RFC 8032 §5.1.3 point decoding; `undefined` when the encoding is not a curve point. */
function decodePoint(bytes: Uint8Array): { x: bigint; y: bigint } | undefined {
  const { y, sign } = splitPoint(bytes, 0)
  if (y >= P) return undefined
  const y2 = (y * y) % P
  const u = mod(y2 - 1n)
  const v = mod(D * y2 + 1n)
  const v3 = (v * v * v) % P
  let x = (u * v3 * pow(u * v3 * v3 * v, (P - 5n) / 8n)) % P
  const vx2 = (v * x * x) % P
  if (vx2 === mod(-u)) x = (x * SQRT_M1) % P
  else if (vx2 !== u) return undefined
  if (x === 0n && sign === 1) return undefined
  if ((Number(x & 1n) ^ sign) === 1) x = P - x
  return { x, y }
}

/** Whether the point has small order: [8]P is the identity (three doublings, a = -1). */
function hasSmallOrder(point: { x: bigint; y: bigint }): boolean {
  let X = point.x
  let Y = point.y
  let Z = 1n
  for (let i = 0; i < 3; i++) {
    // dbl-2008-hwcd for twisted Edwards curves with a = -1.
    const A = (X * X) % P
    const B = (Y * Y) % P
    const C = (2n * Z * Z) % P
    const Dd = mod(-A)
    const E = mod((X + Y) * (X + Y) - A - B)
    const G = mod(Dd + B)
    const F = mod(G - C)
    const H = mod(Dd - B)
    X = (E * F) % P
    Y = (G * H) % P
    Z = (F * G) % P
  }
  return X === 0n && mod(Y - Z) === 0n
}

/** L, little-endian, for a byte-wise comparison on the hot path. */
const L_BYTES = Uint8Array.from({ length: 32 }, (_, i) => Number((L >> BigInt(8 * i)) & 0xffn))

/** Whether the 32 little-endian bytes at `offset` are below `limit` (also little-endian). */
function below(bytes: Uint8Array, offset: number, limit: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const a = bytes[offset + i] ?? 0
    const b = limit[i] ?? 0
    if (a !== b) return a < b
  }
  return false
}

/** Whether a point encoding's y (sign bit cleared) is p or more: 0x7f ff … ff, low byte ≥ 0xed. */
function yNotCanonical(bytes: Uint8Array, offset: number): boolean {
  if (((bytes[offset + 31] ?? 0) & 0x7f) !== 0x7f) return false
  for (let i = 30; i >= 1; i--) if (bytes[offset + i] !== 0xff) return false
  return (bytes[offset] ?? 0) >= 0xed
}

/**
 * Why `signature` is not a canonical Ed25519 signature, or `undefined` when it is: 64 bytes,
 * S < L, and R's y coordinate below p.
 */
export function ed25519SignatureProblem(signature: Uint8Array): string | undefined {
  if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_BYTES) {
    return `An Ed25519 signature is ${ED25519_SIGNATURE_BYTES} bytes.`
  }
  if (!below(signature, 32, L_BYTES)) {
    return 'The signature is malleable: its S value is not below the group order L.'
  }
  if (yNotCanonical(signature, 0)) {
    return 'The signature is malleable: its R value is not a canonical point encoding.'
  }
  return undefined
}

const MAX_REMEMBERED_KEYS = 1024
const keyVerdicts = new Map<string, string | null>()

/**
 * Why `publicKey` is not an acceptable Ed25519 public key, or `undefined` when it is: 32 bytes,
 * canonical, on the curve, not of small order. Verdicts are remembered (bounded), so repeated
 * checks of one key cost a lookup.
 */
export function ed25519PublicKeyProblem(publicKey: Uint8Array): string | undefined {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_PUBLIC_KEY_BYTES) {
    return `An Ed25519 public key is ${ED25519_PUBLIC_KEY_BYTES} bytes.`
  }
  const cacheKey = String.fromCharCode(...publicKey)
  const known = keyVerdicts.get(cacheKey)
  if (known !== undefined) return known ?? undefined
  let verdict: string | null = null
  if (yNotCanonical(publicKey, 0)) {
    verdict = 'The public key is not a canonical encoding (y is not below p).'
  } else {
    const point = decodePoint(publicKey)
    if (point === undefined) verdict = 'The public key is not a point on the Ed25519 curve.'
    else if (hasSmallOrder(point)) verdict = 'The public key is a small-order point.'
  }
  if (keyVerdicts.size >= MAX_REMEMBERED_KEYS) keyVerdicts.clear()
  keyVerdicts.set(cacheKey, verdict)
  return verdict ?? undefined
}

const multibaseVerdicts = new Map<string, string | null>()

/**
 * Why an Ed25519 `publicKeyMultibase` is not acceptable, or `undefined` when it is: the strict
 * decoding of `decodeEd25519PublicKeyMultibase` and then {@link ed25519PublicKeyProblem}.
 * Verdicts are remembered per string (bounded): the hot path pays one lookup.
 */
export function ed25519PublicKeyMultibaseProblem(publicKeyMultibase: string): string | undefined {
  const known = multibaseVerdicts.get(publicKeyMultibase)
  if (known !== undefined) return known ?? undefined
  let verdict: string | undefined
  try {
    verdict = ed25519PublicKeyProblem(decodeEd25519PublicKeyMultibase(publicKeyMultibase))
  } catch (error) {
    verdict = findCertifyError(error)?.message ?? 'The public key cannot be decoded.'
  }
  if (multibaseVerdicts.size >= MAX_REMEMBERED_KEYS) multibaseVerdicts.clear()
  multibaseVerdicts.set(publicKeyMultibase, verdict ?? null)
  return verdict
}
