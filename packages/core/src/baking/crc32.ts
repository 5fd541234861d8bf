/**
 * CRC-32 as PNG uses it (ISO 3309 / ITU-T V.42: polynomial 0xEDB88320 reflected, initial value
 * and final XOR 0xFFFFFFFF; PNG specification, 3rd edition, §5.5 and annex D). Table-driven,
 * no dependency, browser-safe.
 *
 * @module
 */

const TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** The CRC-32 of `bytes` (or of several byte ranges in a row), as an unsigned 32-bit integer. */
export function crc32(...parts: readonly Uint8Array[]): number {
  let c = 0xffffffff
  for (const bytes of parts) {
    for (let i = 0; i < bytes.length; i++) {
      c = (TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8)
    }
  }
  return (c ^ 0xffffffff) >>> 0
}
