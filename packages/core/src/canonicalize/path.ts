/**
 * Which JSON-LD → RDF implementation a call uses. There is no process-wide switch: a caller
 * that wants the reference path (differential tests, benchmarks) says so in its options.
 *
 * @module
 */

/**
 * `'fast'` (the default) for documents whose contexts are all pinned, falling back to the
 * reference for anything else; `'reference'` for jsonld.js on every document. Both give
 * byte-identical canonical N-Quads and the same errors.
 */
export type CanonicalizationPath = 'fast' | 'reference'

/** The path an option selects (`'fast'` when none). @throws {TypeError} */
export function resolveCanonicalizationPath(option: unknown): CanonicalizationPath {
  if (option === undefined) return 'fast'
  if (option !== 'fast' && option !== 'reference') {
    throw new TypeError('"canonicalization" must be "fast" or "reference".')
  }
  return option
}
