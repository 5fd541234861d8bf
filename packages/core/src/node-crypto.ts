/**
 * `node:crypto` when running on Node, found at run time (`process.getBuiltinModule`) so that
 * browsers and bundlers never see a Node import; `undefined` elsewhere, where callers fall back
 * to the libraries' own portable code.
 *
 * @module
 */

/** The `node:crypto` calls certify-vc makes directly. */
export interface NodeCrypto {
  createPublicKey(input: { key: Uint8Array; format: 'der'; type: 'spki' }): unknown
  /**
   * Ed25519 (`algorithm` null, `key` a key object) or ECDSA (`'sha256'` / `'sha384'`, `key`
   * `{ key, dsaEncoding: 'ieee-p1363' }`: a raw r‖s signature).
   */
  verify(
    algorithm: null | 'sha256' | 'sha384',
    data: Uint8Array,
    key: unknown,
    signature: Uint8Array,
  ): boolean
  /** One-shot digest (Node ≥ 20.12). */
  hash?: (
    this: void,
    algorithm: 'sha256' | 'sha384',
    data: string | Uint8Array,
    encoding: 'hex',
  ) => string
}

export const nodeCrypto: NodeCrypto | undefined = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  return proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined
})()
