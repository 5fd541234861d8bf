/**
 * Shared test helpers: temporary directories, a fixed issuer key, and the W3C vectors folder.
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { VC_DI_EDDSA_VECTORS } from '../../../test/vectors/index.js'
import { generateIssuerKey, type IssuerKey } from '../src/index.js'

/** The monorepo root (…/main). */
export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..')

/** The W3C vc-di-eddsa vectors, vendored in `test/vectors/vc-di-eddsa` (see SOURCE.md there). */
export const vectorsDir = VC_DI_EDDSA_VECTORS

/** Creates a temporary directory; returns its path and a function that removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'certify-vc-issuer-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** A deterministic issuer key (seed 0x07 × 32). */
export function fixedKey(fill = 7): Promise<IssuerKey> {
  return generateIssuerKey({ seed: new Uint8Array(32).fill(fill) })
}

/** True on POSIX systems, where file modes are meaningful. */
export const posix = process.platform !== 'win32'
