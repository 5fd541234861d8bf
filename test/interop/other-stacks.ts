/**
 * Open Badges 3.0 credentials signed live, at test time, by code certify-vc did not write, each
 * with a fresh did:key Ed25519 key, for the verification pipeline to be run against (`corpus()`).
 * See README.md here for the stacks, their versions and what each can and cannot do.
 *
 * @module
 */
import { digitalBazaarCredentials, verifyWithDigitalBazaar } from './digitalbazaar.js'
import { spruceIdSsiCredentials, verifyWithSsi } from './spruceid-ssi.js'
import type { InteropCredential } from './types.js'

export { digitalBazaarCredentials, verifyWithDigitalBazaar } from './digitalbazaar.js'
export { loadDidkit, spruceIdSsiCredentials, verifyWithSsi } from './spruceid-ssi.js'
export type { InteropFormat, InteropSuite, IssuerKind } from './ob-template.js'
export type { InteropCredential, StackName } from './types.js'

/** Every generator, by stack. */
export const STACKS = {
  digitalbazaar: digitalBazaarCredentials,
  'spruceid-ssi': spruceIdSsiCredentials,
} as const

/**
 * The whole corpus, freshly signed: every credential of every stack, in a fixed order. Each entry
 * says which stack signed it, with which suite and data model, whether the issuer is a URI or a
 * Profile, and whether the credential has a `name`.
 *
 * @example
 * for (const { name, credential } of await corpus()) {
 *   const result = await verifyCredential(credential, { trustedIssuers: [...] })
 * }
 */
export async function corpus(): Promise<InteropCredential[]> {
  const all: InteropCredential[] = []
  for (const generate of Object.values(STACKS)) {
    for await (const entry of generate()) all.push(entry)
  }
  return all
}

/**
 * Has the stack that signed `entry` verify it (a cross-check that the corpus is sound, not a
 * statement about certify-vc).
 */
export async function verifyWithOwnStack(
  entry: InteropCredential,
): Promise<{ verified: boolean; detail?: unknown }> {
  if (entry.stack === 'digitalbazaar') {
    const { verified, error } = await verifyWithDigitalBazaar(entry.credential, entry.suite)
    return verified ? { verified } : { verified, detail: error }
  }
  const { verified, errors } = await verifyWithSsi(entry.credential)
  return verified ? { verified } : { verified, detail: errors }
}
