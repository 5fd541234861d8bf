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
  findCertifyError,
  isPlainObject,
  parseDateTimeStamp,
  pointer,
  problem,
  type DocumentLoader,
  type ErrorCode,
  type Problem,
} from '@certify-vc/context'
import {
  decodeMultibaseBase58btc,
  createSuite,
  ed25519PublicKeyMultibaseProblem,
  ed25519SignatureProblem,
  suiteOfProof,
  toJsonLdError,
  verifyDocumentProofs,
  type SuiteName,
  type UnsecuredExpansion,
} from '@certify-vc/core'
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

/**
 * Decodes a proof's `proofValue` (multibase base58btc, 64 bytes): the signature, or the
 * `ERR_PROOF_MALFORMED` problem at `path`. Shared by the credential and presentation proof checks.
 */
export function decodeProofSignature(proofValue: unknown, path: string): Uint8Array | Problem {
  if (typeof proofValue !== 'string' || !proofValue.startsWith('z')) {
    return problem(
      'ERR_PROOF_MALFORMED',
      'The proof "proofValue" must be multibase base58btc ("z…").',
      path,
    )
  }
  let signature: Uint8Array
  try {
    signature = decodeMultibaseBase58btc(proofValue)
  } catch {
    return problem('ERR_PROOF_MALFORMED', 'The proof "proofValue" is not valid base58btc.', path)
  }
  if (signature.length !== ED25519_SIGNATURE_BYTES) {
    return problem(
      'ERR_PROOF_MALFORMED',
      `The signature is ${signature.length} bytes, not ${ED25519_SIGNATURE_BYTES}.`,
      path,
    )
  }
  return signature
}

/** JSON Pointer of proof `index` (or of its `key`); `single` when `proof` is one object. */
export function proofPath(single: boolean, index: number, key?: string): string {
  const base: (string | number)[] = single ? ['proof'] : ['proof', index]
  return key === undefined ? pointer(...base) : pointer(...base, key)
}

/** A proof's shape as every proof check needs it, before its purpose, date and signature. */
export type ProofShape =
  | {
      readonly ok: true
      readonly proof: Record<string, unknown>
      readonly suite: SuiteName
      readonly verificationMethod: string
      readonly proofPurpose: string
    }
  | { readonly ok: false; readonly problem: Problem }

/**
 * The checks credential and presentation proofs share, in this order: an object, with a `type`,
 * of an allow-listed suite, whose `verificationMethod` is an absolute IRI and which names a
 * `proofPurpose`. `at(key)` gives the pointer of one of the proof's members.
 */
export function checkProofShape(
  p: unknown,
  suites: readonly SuiteName[],
  at: (key?: string) => string,
): ProofShape {
  const fail = (code: ErrorCode, message: string, path: string): ProofShape => ({
    ok: false,
    problem: problem(code, message, path),
  })
  if (!isPlainObject(p)) return fail('ERR_PROOF_MALFORMED', 'A proof must be an object.', at())
  if (typeof p.type !== 'string') {
    return fail('ERR_PROOF_MALFORMED', 'The proof has no "type".', at('type'))
  }
  const suite = suiteOfProof(p)
  if (suite === undefined || !suites.includes(suite)) {
    const name =
      p.type === 'DataIntegrityProof' ? `DataIntegrityProof/${String(p.cryptosuite)}` : p.type
    return fail(
      'ERR_PROOF_SUITE_NOT_ALLOWED',
      `Proof suite ${JSON.stringify(name)} is not allowed.`,
      at(p.type === 'DataIntegrityProof' ? 'cryptosuite' : 'type'),
    )
  }
  if (typeof p.verificationMethod !== 'string' || !isAbsoluteIri(p.verificationMethod)) {
    return fail(
      'ERR_PROOF_MALFORMED',
      'The proof "verificationMethod" must be an absolute IRI.',
      at('verificationMethod'),
    )
  }
  if (typeof p.proofPurpose !== 'string') {
    return fail('ERR_PROOF_MALFORMED', 'The proof has no "proofPurpose".', at('proofPurpose'))
  }
  return {
    ok: true,
    proof: p,
    suite,
    verificationMethod: p.verificationMethod,
    proofPurpose: p.proofPurpose,
  }
}

/** The time bounds of a proof's `created` (ATTACKS C4). */
interface CreatedBounds {
  /** Latest acceptable `created`: now plus the clock skew. */
  readonly latest?: number
  /** The credential's end of validity plus the skew: a proof made after it is absurd. */
  readonly notAfterExpiry?: number
}

function createdProblem(value: unknown, bounds: CreatedBounds): string | undefined {
  if (value === undefined) return undefined
  const created = parseDateTimeStamp(value)
  if (created === undefined)
    return 'The proof "created" is not an XML Schema dateTime with a time zone.'
  if (bounds.latest !== undefined && created.getTime() > bounds.latest) {
    return `The proof was created in the future (${created.toISOString()}).`
  }
  if (bounds.notAfterExpiry !== undefined && created.getTime() > bounds.notAfterExpiry) {
    return `The proof was created (${created.toISOString()}) after the credential expired.`
  }
  return undefined
}

function inspectProofs(
  document: Record<string, unknown>,
  suites: readonly SuiteName[],
  purpose: string,
  maxProofs: number,
  bounds: CreatedBounds,
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
  if (Array.isArray(raw) && raw.length > maxProofs) {
    return {
      proofs,
      problems: [
        problem(
          'ERR_PROOF_TOO_MANY',
          `The document has ${raw.length} proofs; the limit is ${maxProofs}.`,
          pointer('proof'),
        ),
      ],
    }
  }
  const single = !Array.isArray(raw)
  asArray(raw).forEach((entry: unknown, index) => {
    const at = (key?: string) => proofPath(single, index, key)
    const shape = checkProofShape(entry, suites, at)
    if (!shape.ok) {
      problems.push(shape.problem)
      return
    }
    const { proof: p, suite } = shape
    if (shape.proofPurpose !== purpose) {
      problems.push(
        problem(
          'ERR_PROOF_PURPOSE',
          `The proof purpose is "${shape.proofPurpose}", expected "${purpose}".`,
          at('proofPurpose'),
        ),
      )
      return
    }
    const signature = decodeProofSignature(p.proofValue, at('proofValue'))
    if (!(signature instanceof Uint8Array)) {
      problems.push(signature)
      return
    }
    const created = createdProblem(p.created, bounds)
    if (created !== undefined) {
      problems.push(problem('ERR_PROOF_CREATED_INVALID', created, at('created')))
      return
    }
    // Checked here, before any library, so that every environment refuses the same signatures.
    const malleable = ed25519SignatureProblem(signature)
    if (malleable !== undefined) {
      problems.push(problem('ERR_PROOF_SIGNATURE_MALLEABLE', malleable, at('proofValue')))
      return
    }
    proofs.push({
      index,
      path: at(),
      proof: p,
      suite,
      verificationMethod: shape.verificationMethod,
      proofValue: p.proofValue as string, // decoded by decodeProofSignature above
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
  /**
   * The verification time: a proof `created` later than this plus `maxClockSkewSeconds` fails
   * with `ERR_PROOF_CREATED_INVALID`. Not checked when absent.
   */
  readonly now?: Date
  readonly maxClockSkewSeconds?: number
  /** The credential's end of validity: a proof created after it (plus skew) fails too. */
  readonly validUntil?: Date
  /**
   * The credential's start of validity. The "created in the future" rule applies only when the
   * credential already claims to be valid at `now`; verifying as of a time before `validFrom`
   * reports `ERR_VALIDITY_NOT_YET_VALID` instead.
   */
  readonly validFrom?: Date
  /** Proof count and canonicalization bounds (defaults: 8 proofs, work factor 1, 5 s). */
  readonly limits?: {
    readonly maxProofs?: number
    readonly maxWorkFactor?: number
    readonly canonicalizationTimeoutMs?: number
  }
  /**
   * From the contexts check (`checkContextsOf`) on this same, unchanged document: the unsecured
   * document is then canonicalized without being expanded again.
   */
  readonly unsecuredExpansion?: UnsecuredExpansion | undefined
}

/** Where in a proof a problem reported by a library error points. */
const PROOF_ERROR_FIELDS: Partial<Record<ErrorCode, string>> = {
  ERR_PROOF_CHAIN_DANGLING: 'previousProof',
  ERR_PROOF_CHAIN_CYCLE: 'previousProof',
  ERR_PROOF_MALFORMED: 'previousProof',
  ERR_PROOF_SIGNATURE_MALLEABLE: 'proofValue',
  ERR_KEY_INVALID: 'verificationMethod',
}

function createdBounds(options: ProofCheckOptions): CreatedBounds {
  const skew = (options.maxClockSkewSeconds ?? 300) * 1000
  const now = options.now?.getTime()
  const claimsValidNow =
    now !== undefined &&
    (options.validFrom === undefined || options.validFrom.getTime() <= now + skew)
  return {
    ...(now !== undefined && claimsValidNow ? { latest: now + skew } : {}),
    ...(options.validUntil === undefined
      ? {}
      : { notAfterExpiry: options.validUntil.getTime() + skew }),
  }
}

/** Runs the `proof` and `key-binding` checks. */
export async function checkProofAndKeyBinding(
  document: Record<string, unknown>,
  options: ProofCheckOptions,
): Promise<{ proof: CheckResult; keyBinding: CheckResult }> {
  const { proofs, problems } = inspectProofs(
    document,
    options.suites,
    'assertionMethod',
    options.limits?.maxProofs ?? 8,
    createdBounds(options),
  )
  if (problems.length > 0) {
    return {
      proof: checkResult('proof', problems),
      keyBinding: skipped('key-binding', 'The proofs are malformed or not allowed (see proof).'),
    }
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
    // The key itself, strictly: canonical multibase, a curve point of large order.
    const keyProblem = ed25519PublicKeyMultibaseProblem(vm.publicKeyMultibase)
    if (keyProblem !== undefined) {
      bindingProblems.push(problem('ERR_KEY_INVALID', keyProblem, at))
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
    return {
      proof: skipped(
        'proof',
        'A signing key could not be resolved or is unusable (see key-binding).',
      ),
      keyBinding,
    }
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
  const limits = {
    ...(options.limits?.maxWorkFactor === undefined
      ? {}
      : { maxWorkFactor: options.limits.maxWorkFactor }),
    ...(options.limits?.canonicalizationTimeoutMs === undefined
      ? {}
      : { timeoutMs: options.limits.canonicalizationTimeoutMs }),
  }
  try {
    ;({ outcomes } = await verifyDocumentProofs(document, {
      suites: suiteNames.map((name) => createSuite(name, { limits })),
      documentLoader: keyLoader,
      purpose: { term: 'assertionMethod' },
      unsecuredExpansion: options.unsecuredExpansion,
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
  // Every proof must verify: one outcome per proof, matched by its index.
  const byIndex = new Map(outcomes.map((o) => [o.index, o]))
  for (const p of proofs) {
    const outcome = byIndex.get(p.index)
    if (outcome === undefined) {
      proofProblems.push(problem('ERR_PROOF_INVALID', 'No suite could verify this proof.', p.path))
    } else if (!outcome.signatureValid) {
      const coded = findCertifyError(outcome.signatureError)
      if (coded !== undefined && coded.code !== 'ERR_DOCUMENT_NOT_FOUND') {
        const field = PROOF_ERROR_FIELDS[coded.code]
        proofProblems.push(
          problem(coded.code, coded.message, field === undefined ? p.path : `${p.path}/${field}`),
        )
        continue
      }
      // A JSON-LD safe-mode failure (a proof term no context defines) keeps its own code.
      const safeMode = (outcome.signatureError as { details?: { event?: unknown } } | undefined)
        ?.details?.event
      if (safeMode !== undefined) {
        const e = toJsonLdError(outcome.signatureError)
        proofProblems.push(problem(e.code, e.message, p.path))
        continue
      }
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
