/**
 * The server's document loader: the pinned contexts, plus the W3C examples context
 * (`https://www.w3.org/ns/credentials/examples/v2`) that the W3C test suites' credentials use.
 *
 * @module
 */
import { createDocumentLoader, type DocumentLoader } from '@certify-vc/context'

/** `https://www.w3.org/ns/credentials/examples/v2`, which the W3C suites use. */
export const EXAMPLES_V2_URL = 'https://www.w3.org/ns/credentials/examples/v2'
const EXAMPLES_V2 = { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } }

/** The offline loader plus the examples context (the pinned set otherwise). */
export function createServerDocumentLoader(
  documents: ReadonlyMap<string, unknown> = new Map(),
): DocumentLoader {
  return createDocumentLoader({
    documents: new Map([[EXAMPLES_V2_URL, EXAMPLES_V2], ...documents]),
  })
}
