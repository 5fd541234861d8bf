/**
 * Proofs and key binding.
 *
 * - `proof`: at least one proof; every proof well formed, by an allow-listed suite, made for
 *   `assertionMethod`, and its signature verifies over the document (no any-of).
 * - `key-binding`: each proof's verification method resolves, is controlled by the credential's
 *   issuer, and is listed under the issuer's `assertionMethod`.
 *
 * @see https://www.w3.org/TR/vc-data-integrity/#verify-proof
 * @module
 */
import {
  CONTEXT_URLS,
  asArray,
  createDocumentLoader,
  createSuite,
  isPlainObject,
  pointer,
  problem,
  suiteOfProof,
  verifyDocumentProofs,
  type DocumentLoader,
  type Problem,
  type SuiteName,
} from '@certify-vc/context'
import { base58btc } from 'multiformats/bases/base58'
import {
  findVerificationMethod,
  hasRelationship,
  type ResolvedVerificationMethod,
} from '../did-resolution.js'
import type { CheckResult, DidResolver } from '../types.js'
import { checkResult, isAbsoluteIri, skipped } from './common.js'

interface WellFormedProof {
  readonly index: number
  readonly path: string
  readonly proof: Record<string, unknown>
  readonly suite: SuiteName
  readonly verificationMethod: string
  readonly proofValue: string
}

const ED25519_SIGNATURE_BYTES = 64

function proofPath(single: boolean, index: number, key?: string): string {
  const base: (string | number)[] = single ? ['proof'] : ['proof', index]
  return key === undefined ? pointer(...base) : pointer(...base, key)
}

function inspectProofs(
  document: Record<string, unknown>,
  suites: readonly SuiteName[],
  purpose: string,
): { proofs: WellFormedProof[]; problems: Problem[] } {
  const problems: Problem[] = []
  const proofs: WellFormedProof[] = []
  const raw = document.proof
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) {
    return {
      proofs,
      problems: [problem('ERR_PROOF_MISSING', 'The credential has no proof.', pointer('proof'))],
    }
  }
  const single = !Array.isArray(raw)
  asArray(raw).forEach((p: unknown, index) => {
    const at = (key?: string) => proofPath(single, index, key)
    if (!isPlainObject(p)) {
      problems.push(problem('ERR_PROOF_MALFORMED', 'A proof must be an object.', at()))
      return
    }
    if (typeof p.type !== 'string') {
      problems.push(problem('ERR_PROOF_MALFORMED', 'The proof has no "type".', at('type')))
      return
    }
    const suite = suiteOfProof(p)
    if (suite === undefined || !suites.includes(suite)) {
      const name =
        p.type === 'DataIntegrityProof' ? `DataIntegrityProof/${String(p.cryptosuite)}` : p.type
      problems.push(
        problem(
          'ERR_PROOF_SUITE_NOT_ALLOWED',
          `Proof suite ${JSON.stringify(name)} is not allowed.`,
          at(p.type === 'DataIntegrityProof' ? 'cryptosuite' : 'type'),
        ),
      )
      return
    }
    if (typeof p.verificationMethod !== 'string' || !isAbsoluteIri(p.verificationMethod)) {
      problems.push(
        problem(
          'ERR_PROOF_MALFORMED',
          'The proof "verificationMethod" must be an absolute IRI.',
          at('verificationMethod'),
        ),
      )
      return
    }
    if (typeof p.proofPurpose !== 'string') {
      problems.push(
        problem('ERR_PROOF_MALFORMED', 'The proof has no "proofPurpose".', at('proofPurpose')),
      )
      return
    }
    if (p.proofPurpose !== purpose) {
      problems.push(
        problem(
          'ERR_PROOF_PURPOSE',
          `The proof purpose is "${p.proofPurpose}", expected "${purpose}".`,
          at('proofPurpose'),
        ),
      )
      return
    }
    if (typeof p.proofValue !== 'string' || !p.proofValue.startsWith('z')) {
      problems.push(
        problem(
          'ERR_PROOF_MALFORMED',
          'The proof "proofValue" must be multibase base58btc ("z…").',
          at('proofValue'),
        ),
      )
      return
    }
    let signature: Uint8Array
    try {
      signature = base58btc.decode(p.proofValue)
    } catch {
      problems.push(
        problem(
          'ERR_PROOF_MALFORMED',
          'The proof "proofValue" is not valid base58btc.',
          at('proofValue'),
        ),
      )
      return
    }
    if (signature.length !== ED25519_SIGNATURE_BYTES) {
      problems.push(
        problem(
          'ERR_PROOF_MALFORMED',
          `The signature is ${signature.length} bytes, not ${ED25519_SIGNATURE_BYTES}.`,
          at('proofValue'),
        ),
      )
      return
    }
    proofs.push({
      index,
      path: at(),
      proof: p,
      suite,
      verificationMethod: p.verificationMethod,
      proofValue: p.proofValue,
    })
  })
  return { proofs, problems }
}

interface ResolvedKey {
  readonly didDocument: Record<string, unknown>
  readonly vm: ResolvedVerificationMethod
}

/** Options of {@link checkProofAndKeyBinding}. */
export interface ProofCheckOptions {
  readonly issuerId: string | undefined
  readonly documentLoader: DocumentLoader
  readonly didResolver: DidResolver
  readonly suites: readonly SuiteName[]
}

/** Runs the `proof` and `key-binding` checks. */
export async function checkProofAndKeyBinding(
  document: Record<string, unknown>,
  options: ProofCheckOptions,
): Promise<{ proof: CheckResult; keyBinding: CheckResult }> {
  const { proofs, problems } = inspectProofs(document, options.suites, 'assertionMethod')
  if (problems.length > 0) {
    return { proof: checkResult('proof', problems), keyBinding: skipped('key-binding') }
  }

  // Key binding: resolve each verification method through the DID resolver.
  const bindingProblems: Problem[] = []
  const resolved = new Map<string, ResolvedKey>()
  const didDocuments = new Map<string, Record<string, unknown> | undefined>()
  for (const p of proofs) {
    const at = p.path + '/verificationMethod'
    const did = p.verificationMethod.split('#')[0] ?? ''
    if (!didDocuments.has(did)) {
      let doc: Record<string, unknown> | undefined
      try {
        const r = await options.didResolver.resolve(did)
        doc =
          isPlainObject(r.didDocument) && r.didResolutionMetadata.error === undefined
            ? r.didDocument
            : undefined
      } catch {
        doc = undefined
      }
      didDocuments.set(did, doc)
    }
    const didDocument = didDocuments.get(did)
    if (didDocument === undefined || didDocument.id !== did) {
      bindingProblems.push(
        problem('ERR_KEY_UNRESOLVABLE', `Cannot resolve ${JSON.stringify(did)}.`, at),
      )
      continue
    }
    const vm = findVerificationMethod(didDocument, p.verificationMethod)
    if (vm === undefined) {
      bindingProblems.push(
        problem(
          'ERR_KEY_UNRESOLVABLE',
          `${did} has no usable verification method ${JSON.stringify(p.verificationMethod)}.`,
          at,
        ),
      )
      continue
    }
    resolved.set(p.verificationMethod, { didDocument, vm })
    if (vm.controller !== options.issuerId || did !== options.issuerId) {
      bindingProblems.push(
        problem(
          'ERR_KEY_NOT_ISSUER',
          `The key is controlled by ${vm.controller}, not by the issuer ${String(options.issuerId)}.`,
          at,
        ),
      )
    } else if (!hasRelationship(didDocument, 'assertionMethod', p.verificationMethod)) {
      bindingProblems.push(
        problem(
          'ERR_KEY_NOT_AUTHORIZED',
          `${p.verificationMethod} is not listed under the issuer's assertionMethod.`,
          at,
        ),
      )
    }
  }
  const keyBinding = checkResult('key-binding', bindingProblems)
  if (resolved.size < new Set(proofs.map((p) => p.verificationMethod)).size) {
    // A key that cannot be resolved cannot be used to check a signature.
    return { proof: skipped('proof'), keyBinding }
  }

  // Signatures: verify with exactly the keys resolved above, and the pinned contexts.
  const documents = new Map<string, unknown>()
  for (const [vmId, { didDocument, vm }] of resolved) {
    const did = vmId.split('#')[0] ?? ''
    documents.set(did, didDocument)
    documents.set(vmId, { '@context': CONTEXT_URLS.multikeyV1, ...vm })
  }
  const keyLoader = createDocumentLoader({
    documents,
    resolveDidKey: false,
    fallback: options.documentLoader,
  })
  const suiteNames = [...new Set(proofs.map((p) => p.suite))]
  const proofProblems: Problem[] = []
  let outcomes: Awaited<ReturnType<typeof verifyDocumentProofs>>['outcomes'] = []
  try {
    ;({ outcomes } = await verifyDocumentProofs(document, {
      suites: suiteNames.map((name) => createSuite(name)),
      documentLoader: keyLoader,
      purpose: { term: 'assertionMethod' },
    }))
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return {
      proof: checkResult('proof', [
        problem('ERR_PROOF_INVALID', `Proof verification failed: ${why}`, pointer('proof')),
      ]),
      keyBinding,
    }
  }
  const unused = [...outcomes]
  for (const p of proofs) {
    const i = unused.findIndex((o) => o.proof.proofValue === p.proofValue)
    const outcome = i === -1 ? undefined : unused.splice(i, 1)[0]
    if (outcome === undefined) {
      proofProblems.push(problem('ERR_PROOF_INVALID', 'No suite could verify this proof.', p.path))
    } else if (!outcome.signatureValid) {
      const why = (outcome.signatureError?.message ?? 'invalid signature').replace(/\.+$/, '')
      proofProblems.push(
        problem(
          'ERR_PROOF_INVALID',
          `The signature does not verify: ${why}.`,
          p.path + '/proofValue',
        ),
      )
    }
  }
  return { proof: checkResult('proof', proofProblems), keyBinding }
}
