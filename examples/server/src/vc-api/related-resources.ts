/**
 * The resources whose exact bytes the server holds, for relatedResource integrity (VC Data
 * Model 2.0 §5.3) without fetching: the verifier compares their digests with the credential's
 * `digestSRI` / `digestMultibase`; a resource the server does not hold cannot be checked.
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#integrity-of-related-resources
 * @module
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { RelatedResourceLookup } from '@certify-vc/verifier'

/**
 * A resource whose exact bytes the server holds, vendored under `examples/server/vendor/`
 * (provenance in vendor/SOURCES.md). The SHA-256 is checked when the module loads, so a
 * reformatted or replaced file stops the server instead of silently changing verdicts.
 */
interface HeldResource {
  readonly url: string
  readonly file: string
  readonly sha256: string
}

const HELD: readonly HeldResource[] = [
  {
    // VC DM 2.0 §B.1 names this SHA-256 for the base context: w3c/vc-data-model
    // `contexts/credentials/v2` at commit 8d0ee1072f16284a1a0613d78bd7c20c915bad09 (10139 bytes).
    // (Not byte-identical to the npm copy pinned in contexts/, which the JSON-LD loader uses.)
    url: 'https://www.w3.org/ns/credentials/v2',
    file: 'w3c-credentials-v2-8d0ee107.jsonld',
    sha256: '24a18c90e9856d526111f29376e302d970b2bd10182e33959995b0207d7043b9',
  },
]

/** `examples/server/vendor/`, from both src/vc-api (tests) and dist/vc-api (built). */
const VENDOR = new URL('../../vendor/', import.meta.url)

function load(resource: HeldResource): Uint8Array {
  const bytes = readFileSync(new URL(resource.file, VENDOR))
  const actual = createHash('sha256').update(bytes).digest('hex')
  if (actual !== resource.sha256) {
    throw new Error(
      `vendor/${resource.file} has sha256 ${actual}, expected ${resource.sha256}: restore the exact bytes.`,
    )
  }
  return new Uint8Array(bytes)
}

/** URL → the exact bytes this server holds for it. */
export const KNOWN_RESOURCES: ReadonlyMap<string, Uint8Array> = new Map(
  HELD.map((r) => [r.url, load(r)]),
)

/** The verifier's `relatedResources` option: the bytes this server holds for a URL. */
export const heldResource: RelatedResourceLookup = (url) => KNOWN_RESOURCES.get(url)
