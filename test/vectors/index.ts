/**
 * The specification test vectors vendored into this repository, byte for byte (each folder has a
 * SOURCE.md naming the repository, path and commit it was copied from, and its licence). Tests
 * read them through these paths, so they run on any clone.
 *
 * @module
 */
import { fileURLToPath } from 'node:url'

/**
 * The W3C "Data Integrity EdDSA Cryptosuites v1.0" test vectors (w3c/vc-di-eddsa, `TestVectors/`
 * at abb673e; W3C Software and Document License, see `vc-di-eddsa/SOURCE.md`).
 */
export const VC_DI_EDDSA_VECTORS = fileURLToPath(new URL('./vc-di-eddsa', import.meta.url))

/**
 * The W3C "Data Integrity ECDSA Cryptosuites v1.0" test vectors (w3c/vc-di-ecdsa, `TestVectors/`
 * at 00781de; W3C Software and Document License, see `vc-di-ecdsa/SOURCE.md`).
 */
export const VC_DI_ECDSA_VECTORS = fileURLToPath(new URL('./vc-di-ecdsa', import.meta.url))
