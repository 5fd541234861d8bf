/**
 * P-256 and P-384 (FIPS 186-5, SEC 1) encoding checks made by certify-vc itself, before any
 * library sees a key or a signature, so that Node (OpenSSL), browsers (WebCrypto) and every
 * version of those agree on what is accepted (docs/attacks.md A15, A16):
 *
 * - public keys: a compressed point (`0x02`/`0x03` and x, 33 or 49 bytes) whose x is below p and
 *   for which x³ − 3x + b is a square mod p, i.e. a point on the curve. Both curves have
 *   cofactor 1, so every such point generates the whole group: there is no small-order point to
 *   refuse, unlike Ed25519;
 * - signatures: the IEEE P1363 form the cryptosuites use (vc-di-ecdsa §3: RFC 4754 section 7),
 *   raw r‖s of exactly 64 (P-256) or 96 (P-384) bytes, with 1 ≤ r, s < n.
 *
 * High S is accepted: FIPS 186-5 ECDSA verification takes any s in [1, n − 1], the W3C
 * specification does not restrict it, and WebCrypto (the Digital Bazaar libraries' signer) emits
 * high S for about half of its signatures, so refusing it would refuse sound credentials. A
 * signature therefore has two valid spellings (s and n − s): never use `proofValue` as an
 * identifier. certify-vc's own signers emit low S.
 *
 * Pure BigInt arithmetic, no dependencies; browser-safe.
 *
 * @see https://www.w3.org/TR/vc-di-ecdsa/#algorithms
 * @see https://www.secg.org/sec1-v2.pdf (§2.3.4, point decompression)
 * @module
 */

/** The curves of the ECDSA cryptosuites. */
export type EcdsaCurve = 'P-256' | 'P-384'

interface Curve {
  /** Field prime. */
  readonly p: bigint
  /** Group order. */
  readonly n: bigint
  /** The curve's b (a = −3 on both curves). */
  readonly b: bigint
  /** Bytes of a field element or scalar. */
  readonly size: number
}

// FIPS 186-5 / SP 800-186 §3.2.1.3 and §3.2.1.4.
const CURVES: Readonly<Record<EcdsaCurve, Curve>> = {
  'P-256': {
    p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    size: 32,
  },
  'P-384': {
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    size: 48,
  },
}

/** Bytes of a P1363 signature (r‖s) on each curve. */
export const ECDSA_SIGNATURE_BYTES: Readonly<Record<EcdsaCurve, number>> = {
  'P-256': 64,
  'P-384': 96,
}

/** Whether `value` is a curve name of {@link EcdsaCurve}. */
export function isEcdsaCurve(value: unknown): value is EcdsaCurve {
  return value === 'P-256' || value === 'P-384'
}

function bigEndian(bytes: Uint8Array, start: number, end: number): bigint {
  let n = 0n
  for (let i = start; i < end; i++) n = (n << 8n) | BigInt(bytes[i] ?? 0)
  return n
}

function modPow(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n
  let b = base % m
  let e = exponent
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m
    b = (b * b) % m
    e >>= 1n
  }
  return result
}

/**
 * The y coordinate of a compressed point, or `undefined` when the encoding is not a point on the
 * curve (SEC 1 §2.3.4). Both primes are 3 mod 4, so a square root is one exponentiation.
 */
function decompress(curve: Curve, point: Uint8Array): bigint | undefined {
  const x = bigEndian(point, 1, point.length)
  if (x >= curve.p) return undefined
  const { p } = curve
  const rhs = (((x * x) % p) * x - 3n * x + curve.b) % p
  const alpha = rhs < 0n ? rhs + p : rhs
  const beta = modPow(alpha, (p + 1n) / 4n, p)
  if ((beta * beta) % p !== alpha) return undefined
  const odd = point[0] === 0x03
  return (beta & 1n) === (odd ? 1n : 0n) ? beta : p - beta
}

function toBytes(n: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size)
  let v = n
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

/**
 * The affine coordinates (x, y; each 32 or 48 bytes) of a compressed point of `curve`, for the
 * JWK form of a key (RFC 7518 §6.2.1), or `undefined` when it is not a point on the curve.
 */
export function ecdsaPointCoordinates(
  curve: EcdsaCurve,
  compressed: Uint8Array,
): { readonly x: Uint8Array; readonly y: Uint8Array } | undefined {
  const params = CURVES[curve]
  if (compressed.length !== params.size + 1) return undefined
  if (compressed[0] !== 0x02 && compressed[0] !== 0x03) return undefined
  const y = decompress(params, compressed)
  if (y === undefined) return undefined
  return { x: compressed.slice(1), y: toBytes(y, params.size) }
}

/**
 * The compressed point of the coordinates (x, y), or `undefined` unless (x, y) is exactly a
 * point of `curve` (y must be the square root the compressed form names, not merely x valid).
 */
export function ecdsaCompressPoint(
  curve: EcdsaCurve,
  x: Uint8Array,
  y: Uint8Array,
): Uint8Array | undefined {
  const params = CURVES[curve]
  if (x.length !== params.size || y.length !== params.size) return undefined
  const compressed = new Uint8Array(params.size + 1)
  compressed[0] = (y[params.size - 1] ?? 0) & 1 ? 0x03 : 0x02
  compressed.set(x, 1)
  const back = ecdsaPointCoordinates(curve, compressed)
  if (back === undefined || !back.y.every((b, i) => b === y[i])) return undefined
  return compressed
}

const MAX_REMEMBERED_KEYS = 1024
const keyVerdicts = new Map<string, string | null>()

/**
 * Why `publicKey` is not an acceptable compressed point of `curve`, or `undefined` when it is.
 * Verdicts are remembered (bounded), so repeated checks of one key cost a lookup.
 */
export function ecdsaPublicKeyProblem(
  curve: EcdsaCurve,
  publicKey: Uint8Array,
): string | undefined {
  const params = CURVES[curve]
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== params.size + 1) {
    return `A compressed ${curve} public key is ${params.size + 1} bytes.`
  }
  if (publicKey[0] !== 0x02 && publicKey[0] !== 0x03) {
    return `The ${curve} public key is not a compressed point (0x02 or 0x03 first).`
  }
  const cacheKey = curve + String.fromCharCode(...publicKey)
  const known = keyVerdicts.get(cacheKey)
  if (known !== undefined) return known ?? undefined
  const verdict =
    decompress(params, publicKey) === undefined
      ? `The public key is not a point on the ${curve} curve.`
      : null
  if (keyVerdicts.size >= MAX_REMEMBERED_KEYS) keyVerdicts.clear()
  keyVerdicts.set(cacheKey, verdict)
  return verdict ?? undefined
}

/**
 * Why `signature` is not a well-formed P1363 ECDSA signature on `curve`, or `undefined` when it
 * is: exactly 64 / 96 bytes, 1 ≤ r < n and 1 ≤ s < n. High S is accepted (see the module note).
 */
export function ecdsaSignatureProblem(
  curve: EcdsaCurve,
  signature: Uint8Array,
): string | undefined {
  const { n, size } = CURVES[curve]
  if (!(signature instanceof Uint8Array) || signature.length !== 2 * size) {
    return `A ${curve} signature (r‖s) is ${2 * size} bytes.`
  }
  const r = bigEndian(signature, 0, size)
  const s = bigEndian(signature, size, 2 * size)
  if (r === 0n || r >= n) return 'The signature is malformed: r is not in [1, n − 1].'
  if (s === 0n || s >= n) return 'The signature is malformed: s is not in [1, n − 1].'
  return undefined
}

/**
 * `signature` with s replaced by n − s when s is above n/2 (the low-S form), a new array; the
 * signature verifies either way. certify-vc's signers use it so that what they emit has one form.
 */
export function toLowS(curve: EcdsaCurve, signature: Uint8Array): Uint8Array {
  const { n, size } = CURVES[curve]
  if (!(signature instanceof Uint8Array) || signature.length !== 2 * size) {
    throw new TypeError(`"signature" must be ${2 * size} bytes for ${curve}.`)
  }
  const out = signature.slice()
  let s = bigEndian(signature, size, 2 * size)
  if (s <= n >> 1n) return out
  s = n - s
  for (let i = 2 * size - 1; i >= size; i--) {
    out[i] = Number(s & 0xffn)
    s >>= 8n
  }
  return out
}
