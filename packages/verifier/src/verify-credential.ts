/**
 * `verifyCredential`: the pipeline (`pipeline.ts`) with the browser-safe defaults.
 *
 * @module
 */
import { BROWSER_DEFAULTS, resolvePipelineOptions } from './options.js'
import { runPipeline } from './pipeline.js'
import type { VerifyCredentialOptions, VerifyCredentialResult } from './types.js'

/**
 * Verifies a credential: ingress limits, structure, pinned contexts in JSON-LD safe mode, every
 * proof, key binding, validity period, related resources, issuer trust, program binding, and
 * status, under a profile (`'institute'` by default: an Open Badges 3.0 credential of one of the
 * catalog's programs from a trusted issuer).
 *
 * Never throws for bad data: every input yields a result, and `verified` is `true` only when
 * every check the profile requires passed and none failed. Throws `TypeError` only for bad
 * options.
 *
 * Status lists are fetched only once the proof, key binding and issuer trust held, through
 * `options.status.source`: by default the fetch-based source in browsers and the hardened
 * fetcher on Node (the package's `node` export condition). A revoked, suspended or unknown
 * status makes `verified` false.
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
  return runPipeline(input, resolvePipelineOptions(options, BROWSER_DEFAULTS))
}
