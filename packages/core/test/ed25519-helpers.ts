/** Test helpers for Ed25519 encodings. */
export const P = 2n ** 255n - 19n
export const L = 2n ** 252n + 27742317777372353535851937790883648493n

/** `n` as `bytes` little-endian bytes. */
export function le(n: bigint, bytes = 32): Uint8Array {
  const out = new Uint8Array(bytes)
  for (let i = 0; i < bytes; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn)
  return out
}

/** Little-endian bytes as an integer. */
export function fromLe(bytes: Uint8Array): bigint {
  let n = 0n
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i] ?? 0)
  return n
}

/** `signature` with S replaced by S + L: verifies under a lax library, for the same message. */
export function malleate(signature: Uint8Array): Uint8Array {
  const out = Uint8Array.from(signature)
  out.set(le(fromLe(signature.subarray(32)) + L), 32)
  return out
}
