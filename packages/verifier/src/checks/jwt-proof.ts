/**
 * The `proof` and `key-binding` checks of a JWT-secured credential: the same two checks, with the
 * same codes, as for a Data Integrity proof (`checks/proof.ts`), the JWS in place of the proof.
 *
 * - `key-binding`: the header's `kid` names a verification method (a DID URL, or a fragment of
 *   the issuer's DID) of the issuer, which goes through the key step (`resolveProofKey`: DID →
 *   method → `assertionMethod` → key of the type the `alg` needs). A key in the token itself
 *   (`jwk`, `jku`, `x5c`, `x5u`) is never used (docs/attacks.md A17).
 * - `proof`: the JWS signature verifies (through `jose`) with exactly that key, and the
 *   registered claims agree with the credential (`ERR_JWT_*_MISMATCH`).
 *
 * @see https://www.w3.org/TR/vc-jose-cose/#key-discovery
 * @see https://www.imsglobal.org/spec/ob/v3p0#jwt-proof
 * @module
 */
import { problem, type Problem } from '@certify-vc/context'
import { JWS_ALGORITHM_KEY_TYPES, resolveProofKey, verifyJwsSignature } from '@certify-vc/core'
import type { JwtCredential } from '../jwt/read-jwt.js'
import type { PipelineOptions } from '../options.js'
import type { CredentialProofsOutcome } from './proof.js'
import { checkResult, skipped } from './common.js'

/**
 * The verification method `kid` names: an absolute DID URL (or URL) as it is; a fragment
 * (`#key-1`) or a bare name (a JWK thumbprint, VC-JOSE-COSE's fixtures) as a method of the
 * issuer's own DID or controller document, so a relative `kid` can only name the issuer's keys.
 */
export function verificationMethodOfKid(kid: string, issuerId: string | undefined): string {
  if (kid.startsWith('#')) return `${issuerId ?? ''}${kid}`
  if (!kid.includes(':')) return `${issuerId ?? ''}#${kid}`
  // A did:key without a fragment names its only key.
  if (kid.startsWith('did:key:') && !kid.includes('#')) return `${kid}#${kid.slice(8)}`
  return kid
}

/** Runs the `proof` and `key-binding` checks of a JWT credential. Never throws. */
export async function checkJwtProof(
  credential: JwtCredential,
  issuerId: string | undefined,
  opts: PipelineOptions,
): Promise<CredentialProofsOutcome> {
  const { jwt, claimProblems } = credential
  const unresolved = (problems: Problem[]): CredentialProofsOutcome => ({
    proof: skipped('proof', 'The signing key could not be resolved (see key-binding).'),
    keyBinding: checkResult('key-binding', problems),
    issuerKeys: [],
    notes: [],
  })
  const kid = jwt.header.kid
  if (typeof kid !== 'string' || kid === '') {
    return {
      proof: checkResult('proof', [
        problem('ERR_JWT_KID_MISSING', 'The JWS header names no key ("kid").', ''),
      ]),
      keyBinding: skipped('key-binding', 'No key is named (see proof).'),
      issuerKeys: [],
      notes: [],
    }
  }
  const vmId = verificationMethodOfKid(kid, issuerId)
  const did = vmId.split('#')[0]
  // Whose key it is is settled before the DID is resolved: another DID is never fetched.
  if (issuerId === undefined || did !== issuerId) {
    return unresolved([
      problem(
        'ERR_KEY_NOT_ISSUER',
        `The JWS key ${JSON.stringify(kid)} is not a key of the issuer ${String(issuerId)}.`,
        '',
      ),
    ])
  }
  const r = await resolveProofKey(vmId, {
    didResolver: opts.didResolver,
    relationship: 'assertionMethod',
    path: '',
    keyTypes: [JWS_ALGORITHM_KEY_TYPES[jwt.alg]],
  })
  if (r.key === undefined) return unresolved(r.ok ? [] : [r.problem])
  const vm = r.key.verificationMethod
  const keyProblems: Problem[] = []
  if (vm.controller !== issuerId) {
    keyProblems.push(
      problem(
        'ERR_KEY_NOT_ISSUER',
        `The key is controlled by ${vm.controller}, not by the issuer ${issuerId}.`,
        '',
      ),
    )
  } else if (!r.ok) keyProblems.push(r.problem)
  const signature = await verifyJwsSignature(jwt.token, jwt.alg, vm.publicKeyMultibase)
  return {
    proof: checkResult('proof', signature === undefined ? [...claimProblems] : [signature]),
    keyBinding: checkResult('key-binding', keyProblems),
    issuerKeys: keyProblems.length === 0 ? [vm.id] : [],
    notes: [],
  }
}
