/**
 * `verifyCredential` with the Node defaults: status lists through the hardened fetcher.
 * Node-only.
 *
 * @module
 */
import { resolvePipelineOptions, type VerifierDefaults } from '../options.js'
import { runPipeline } from '../pipeline.js'
import type { StatusListSource } from '../status/source.js'
import type { VerifyCredentialOptions, VerifyCredentialResult } from '../types.js'
import { createHardenedStatusListSource } from './hardened-source.js'

let defaultHardenedSource: StatusListSource | undefined

/** The Node defaults: status lists through the hardened fetcher (created once, lazily). */
export const NODE_DEFAULTS: VerifierDefaults = {
  statusSource: () => (defaultHardenedSource ??= createHardenedStatusListSource()),
}

/**
 * Verifies a credential (see the browser build's `verifyCredential` for the checks and the
 * profiles). This is the Node build (the package's `node` export condition): unless
 * `options.status.source` says otherwise, status lists are fetched with
 * `createHardenedStatusListSource()` (https only, public addresses only, pinned DNS, no
 * redirects, timeout, size cap), and only once the proof, key binding and issuer trust held.
 *
 * @param input - the credential: a parsed JSON value, JSON text, or UTF-8 bytes.
 * @example
 * const result = await verifyCredential(credential, { trustedIssuers: ['did:key:z6Mk…'] })
 * if (!result.verified) for (const p of result.problems) console.log(p.code, p.path, p.message)
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#verification
 */
export async function verifyCredential(
  input: unknown,
  options: VerifyCredentialOptions,
): Promise<VerifyCredentialResult> {
  return runPipeline(input, resolvePipelineOptions(options, NODE_DEFAULTS))
}
