/**
 * `verifyPresentation` with the Node defaults: the embedded credentials' status lists through the
 * hardened fetcher. Node-only.
 *
 * @module
 */
import type { VerifyPresentationOptions, VerifyPresentationResult } from '../presentation/types.js'
import { runPresentationVerification } from '../verify-presentation.js'
import { NODE_DEFAULTS } from './verify-credential-node.js'

/**
 * Verifies a Verifiable Presentation made for this verifier: envelope, contexts, proof for
 * `authentication`, holder binding, challenge (single use with a `challengeStore`), domain, every
 * embedded credential, and that each credential is about the holder. See the browser-safe
 * `verifyPresentation` for the details; this Node build fetches status lists with
 * `createHardenedStatusListSource()` unless `options.status.source` says otherwise.
 *
 * Never throws for bad data. Throws `TypeError` for bad options.
 *
 * @param input - the presentation: a parsed JSON value, JSON text, or UTF-8 bytes.
 */
export async function verifyPresentation(
  input: unknown,
  options: VerifyPresentationOptions,
): Promise<VerifyPresentationResult> {
  return runPresentationVerification(input, options, NODE_DEFAULTS)
}
