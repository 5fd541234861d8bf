/**
 * Node wiring of `did:web` resolution: the hardened fetcher (https only, no redirects, size cap,
 * timeout, private addresses refused, DNS pinned). Node-only.
 *
 * @module
 */
import { createDidWebResolver } from '../did-web.js'
import type { DidResolver } from '../types.js'
import {
  createHardenedStatusListSource,
  type HardenedStatusListSourceOptions,
} from './hardened-source.js'

/** Options of {@link createHardenedDidResolver}. */
export interface HardenedDidResolverOptions extends HardenedStatusListSourceOptions {
  /** How long a resolved document is reused, in ms (0 = no cache). Default 300,000. */
  readonly cacheTtlMs?: number
}

/**
 * A `did:key` + `did:web` resolver whose did:web documents come through the hardened fetcher.
 * `allowHttp` (tests only) also makes did:web URLs `http://`; `developmentOrigins` makes them
 * `http://` for exactly those origins (a local Institute in development mode, on loopback).
 *
 * @example
 * import { createHardenedDidResolver, verifyCredential } from '@certify-vc/verifier'
 * const didResolver = createHardenedDidResolver()
 * await verifyCredential(credential, { trustedIssuers: ['did:web:production-ai.institute'], didResolver })
 *
 * @throws {TypeError} for malformed options.
 */
export function createHardenedDidResolver(options: HardenedDidResolverOptions = {}): DidResolver {
  const { cacheTtlMs, ...fetchOptions } = options
  return createDidWebResolver({
    fetcher: createHardenedStatusListSource(fetchOptions),
    insecureHttp: fetchOptions.allowHttp === true,
    ...(fetchOptions.developmentOrigins === undefined
      ? {}
      : { httpOrigins: fetchOptions.developmentOrigins }),
    ...(cacheTtlMs === undefined ? {} : { cacheTtlMs }),
    ...(fetchOptions.timeoutMs === undefined ? {} : { timeoutMs: fetchOptions.timeoutMs }),
  })
}
