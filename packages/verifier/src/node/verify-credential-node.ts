/**
 * `verifyCredential` with the Node defaults: status lists through the hardened fetcher.
 * Node-only.
 *
 * @module
 */
import type { StatusListSource } from '../status/source.js'
import type { VerifyCredentialOptions, VerifyCredentialResult } from '../types.js'
import { runVerification, type VerifierDefaults } from '../verify-credential.js'
import { createHardenedStatusListSource } from './hardened-source.js'

let defaultHardenedSource: StatusListSource | undefined

const NODE_DEFAULTS: VerifierDefaults = {
  statusSource: () => (defaultHardenedSource ??= createHardenedStatusListSource()),
}

/**
 * Verifies an Open Badges 3.0 credential issued by certify-vc (or any issuer the caller trusts):
 * ingress limits, structure, pinned contexts in JSON-LD safe mode, every proof, key binding,
 * validity period, issuer trust, program binding, and status.
 *
 * Never throws for bad data: every input yields a result, and `verified` is `true` only when
 * every check that decides genuineness passed. Throws `TypeError` only for bad options.
 *
 * This is the Node build (the package's `node` export condition): unless `options.status.source`
 * says otherwise, status lists are fetched with `createHardenedStatusListSource()` (https only,
 * public addresses only, pinned DNS, no redirects, timeout, size cap), and only once the proof,
 * key binding and issuer trust passed. A revoked, suspended or unknown status makes `verified`
 * false.
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
  return runVerification(input, options, NODE_DEFAULTS)
}
