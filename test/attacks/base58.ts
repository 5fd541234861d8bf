/** Minimal base58btc multibase ("z…") for building malformed keys and signatures in fixtures. */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

function encode(bytes: Uint8Array): string {
  let n = 0n
  for (const b of bytes) n = (n << 8n) | BigInt(b)
  let out = ''
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out
    n /= 58n
  }
  for (const b of bytes) {
    if (b !== 0) break
    out = '1' + out
  }
  return out
}

function decode(text: string): Uint8Array {
  let n = 0n
  for (const c of text) {
    const i = ALPHABET.indexOf(c)
    if (i < 0) throw new Error(`not base58: ${c}`)
    n = n * 58n + BigInt(i)
  }
  const bytes: number[] = []
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn))
    n >>= 8n
  }
  for (const c of text) {
    if (c !== '1') break
    bytes.unshift(0)
  }
  return Uint8Array.from(bytes)
}

/** Multibase base58btc: `z` + base58. */
export const base58btc = {
  encode: (bytes: Uint8Array): string => 'z' + encode(bytes),
  decode: (text: string): Uint8Array => {
    if (!text.startsWith('z')) throw new Error('not multibase base58btc')
    return decode(text.slice(1))
  },
}
