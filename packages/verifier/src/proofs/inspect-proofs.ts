/**
 * The checks every proof gets before any key is resolved, the same for credentials,
 * presentations and status lists: an object with a `type` of an accepted suite, an absolute
 * `verificationMethod`, the expected `proofPurpose`, a well-formed `proofValue`, a sane
 * `created`, an `expires` that has not passed, a signature of the suite's form, no proof listed
 * twice, and (when the caller asks) the expected `challenge` and `domain`.
 *
 * The signature's form depends on the suite: 64 canonical bytes (S < L, canonical R) for the
 * Ed25519 suites; r‖s of 64 (P-256) or 96 (P-384) bytes with 1 ≤ r, s < n for ecdsa-rdfc-2019
 * (high S accepted; the key's curve must then match the length, checked with the key); for
 * ecdsa-sd-2023 a derived (disclosure) proof value, `u` + base64url of the CBOR tag `0xd95d01`:
 * a base proof is the holder's, not a verifier's (`ERR_PROOF_BASE_NOT_DERIVED`).
 *
 * @see https://www.w3.org/TR/vc-data-integrity/#verify-proof
 * @module
 */
import {
  asArray,
  dateReadingProblem,
  isAbsoluteIri,
  isPlainObject,
  pointer,
  problem,
  readDateTimeStamp,
  type ErrorCode,
  type Problem,
} from '@certify-vc/context'
import {
  decodeMultibaseBase58btc,
  ecdsaSignatureProblem,
  ed25519SignatureProblem,
  sdProofKind,
  suiteOfProof,
  type ProofRelationship,
  type SuiteName,
} from '@certify-vc/core'

/** A proof that passed every check here. */
export interface InspectedProof {
  /** Its index in the proof list (0 for a single proof object). */
  readonly index: number
  /** JSON Pointer of the proof. */
  readonly path: string
  readonly proof: Readonly<Record<string, unknown>>
  readonly suite: SuiteName
  readonly verificationMethod: string
  /** The DID part of the verification method. */
  readonly did: string
}

/** What {@link inspectProofs} checks a document's proofs against. */
export interface ProofPolicy {
  /** The relationship (and proof purpose) the proofs must be made for. */
  readonly purpose: ProofRelationship
  readonly suites: readonly SuiteName[]
  readonly maxProofs: number
  /** Verification time and clock skew, for `created` and `expires`. */
  readonly now: Date
  readonly maxClockSkewSeconds: number
  /**
   * A `created` later than now (plus skew) is refused (docs/attacks.md C4). `false` for documents whose
   * own validity window already bounds them (status lists).
   */
  readonly createdNotInFuture: boolean
  /** The challenge and domain every proof must carry, when the caller expects them. */
  readonly challenge?: string | undefined
  readonly domain?: string | undefined
  /** `"credential"`, `"presentation"`, `"status list"`: for messages. */
  readonly what: string
}

const ED25519_SIGNATURE_BYTES = 64

/** The code of a proof made for the wrong purpose, by the purpose it should have. */
const PURPOSE_CODES: Readonly<Record<ProofRelationship, ErrorCode>> = {
  assertionMethod: 'ERR_PROOF_PURPOSE',
  authentication: 'ERR_PRESENTATION_PURPOSE',
}

/** Decodes a `z` + base58btc `proofValue`, or the `ERR_PROOF_MALFORMED` problem at `path`. */
function decodeBase58Signature(proofValue: unknown, path: string): Uint8Array | Problem {
  if (typeof proofValue !== 'string' || !proofValue.startsWith('z')) {
    return problem(
      'ERR_PROOF_MALFORMED',
      'The proof "proofValue" must be multibase base58btc ("z…").',
      path,
    )
  }
  try {
    return decodeMultibaseBase58btc(proofValue)
  } catch {
    return problem('ERR_PROOF_MALFORMED', 'The proof "proofValue" is not valid base58btc.', path)
  }
}

/**
 * Checks a proof's `proofValue` against the form of its suite (see the module note), before any
 * key is resolved: `undefined` when it has that form, else the problem at `path`
 * (`ERR_PROOF_MALFORMED`, `ERR_PROOF_SIGNATURE_MALLEABLE` or `ERR_PROOF_BASE_NOT_DERIVED`).
 */
export function proofValueProblem(
  suite: SuiteName,
  proofValue: unknown,
  path: string,
): Problem | undefined {
  if (suite === 'ecdsa-sd-2023') {
    const kind = sdProofKind(proofValue)
    if (kind === 'derived') return undefined
    return kind === 'base'
      ? problem(
          'ERR_PROOF_BASE_NOT_DERIVED',
          'This is an ecdsa-sd-2023 base proof, which only the holder uses: a verifier needs a proof derived from it (selective disclosure).',
          path,
        )
      : problem(
          'ERR_PROOF_MALFORMED',
          'An ecdsa-sd-2023 "proofValue" is "u" + base64url of a CBOR value tagged 0xd95d01 (a derived proof).',
          path,
        )
  }
  const signature = decodeBase58Signature(proofValue, path)
  if (!(signature instanceof Uint8Array)) return signature
  if (suite === 'ecdsa-rdfc-2019') {
    if (signature.length !== 64 && signature.length !== 96) {
      return problem(
        'ERR_PROOF_MALFORMED',
        `The signature is ${signature.length} bytes, not 64 (P-256) or 96 (P-384).`,
        path,
      )
    }
    const why = ecdsaSignatureProblem(signature.length === 64 ? 'P-256' : 'P-384', signature)
    return why === undefined ? undefined : problem('ERR_PROOF_MALFORMED', why, path)
  }
  if (signature.length !== ED25519_SIGNATURE_BYTES) {
    return problem(
      'ERR_PROOF_MALFORMED',
      `The signature is ${signature.length} bytes, not ${ED25519_SIGNATURE_BYTES}.`,
      path,
    )
  }
  // Checked here, before any library, so that every environment refuses the same signatures.
  const malleable = ed25519SignatureProblem(signature)
  return malleable === undefined
    ? undefined
    : problem('ERR_PROOF_SIGNATURE_MALLEABLE', malleable, path)
}

/** JSON text of `value` with object members in a fixed order, to compare two proofs. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** JSON Pointer of proof `index` (or of its `key`); `single` when `proof` is one object. */
export function proofPath(single: boolean, index: number, key?: string): string {
  const base: (string | number)[] = single ? ['proof'] : ['proof', index]
  return key === undefined ? pointer(...base) : pointer(...base, key)
}

function dateProblem(
  p: Readonly<Record<string, unknown>>,
  policy: ProofPolicy,
  at: (key: string) => string,
): Problem | undefined {
  const skew = policy.maxClockSkewSeconds * 1000
  const now = policy.now.getTime()
  if (p.created !== undefined) {
    const created = readDateTimeStamp(p.created)
    if (!created.ok) {
      return problem(
        'ERR_PROOF_CREATED_INVALID',
        dateReadingProblem('The proof "created"', created.reason),
        at('created'),
      )
    }
    const time = created.date.getTime()
    if (policy.createdNotInFuture && time > now + skew) {
      return problem(
        'ERR_PROOF_CREATED_INVALID',
        `The ${policy.what} proof was created in the future (${created.date.toISOString()}).`,
        at('created'),
      )
    }
  }
  if (p.expires !== undefined) {
    // Data Integrity §2.1: "expires … the date and time the proof expires"; past it the proof
    // is no longer valid, whatever the signature says.
    const expires = readDateTimeStamp(p.expires)
    if (!expires.ok) {
      return problem(
        'ERR_PROOF_EXPIRED',
        dateReadingProblem('The proof "expires"', expires.reason),
        at('expires'),
      )
    }
    if (expires.date.getTime() + skew < now) {
      return problem(
        'ERR_PROOF_EXPIRED',
        `The ${policy.what} proof expired at ${expires.date.toISOString()}.`,
        at('expires'),
      )
    }
  }
  return undefined
}

function bindingProblem(
  p: Readonly<Record<string, unknown>>,
  policy: ProofPolicy,
  at: (key: string) => string,
): Problem | undefined {
  if (policy.challenge !== undefined && p.challenge !== policy.challenge) {
    return problem(
      p.challenge === undefined ? 'ERR_CHALLENGE_MISSING' : 'ERR_CHALLENGE_MISMATCH',
      p.challenge === undefined
        ? 'The proof carries no challenge, but one is expected.'
        : 'The proof answers another challenge than the one expected.',
      at('challenge'),
    )
  }
  const domain = policy.domain
  if (domain !== undefined) {
    const value = p.domain
    if (value === undefined) {
      return problem(
        'ERR_DOMAIN_MISSING',
        `The proof names no domain; expected ${JSON.stringify(domain)}.`,
        at('domain'),
      )
    }
    if (!(value === domain || (Array.isArray(value) && (value as unknown[]).includes(domain)))) {
      return problem(
        'ERR_DOMAIN_MISMATCH',
        `The proof was made for ${JSON.stringify(value).slice(0, 200)}, not ${JSON.stringify(domain)}.`,
        at('domain'),
      )
    }
  }
  return undefined
}

/** What {@link inspectProofs} found. */
export interface InspectedProofs {
  /** The proofs that passed, each once. */
  readonly proofs: InspectedProof[]
  /** The problems of those that did not (each with its JSON Pointer). */
  readonly problems: Problem[]
  /** What is noted without failing: a proof listed twice (`ERR_PROOF_DUPLICATE`). */
  readonly notes: Problem[]
}

/** Checks the proofs of `document` against `policy`, before any key is resolved. */
export function inspectProofs(
  document: Readonly<Record<string, unknown>>,
  policy: ProofPolicy,
): InspectedProofs {
  const problems: Problem[] = []
  const notes: Problem[] = []
  const proofs: InspectedProof[] = []
  const raw = document.proof
  if (raw === undefined) {
    return {
      proofs,
      notes,
      problems: [
        problem('ERR_PROOF_MISSING', `The ${policy.what} has no proof.`, pointer('proof')),
      ],
    }
  }
  if (raw === null || (Array.isArray(raw) && raw.length === 0)) {
    // Present, but no proof in it: malformed, not missing (a document "without proof" has none).
    return {
      proofs,
      notes,
      problems: [
        problem(
          'ERR_PROOF_MALFORMED',
          `The ${policy.what}'s "proof" is ${raw === null ? 'null' : 'an empty set'}.`,
          pointer('proof'),
        ),
      ],
    }
  }
  if (Array.isArray(raw) && raw.length > policy.maxProofs) {
    return {
      proofs,
      notes,
      problems: [
        problem(
          'ERR_PROOF_TOO_MANY',
          `The ${policy.what} has ${raw.length} proofs; the limit is ${policy.maxProofs}.`,
          pointer('proof'),
        ),
      ],
    }
  }
  const single = !Array.isArray(raw)
  const seen = new Set<string>()
  asArray(raw).forEach((entry: unknown, index) => {
    const at = (key?: string) => proofPath(single, index, key)
    const found = checkOne(entry, policy, at)
    if ('code' in found) {
      problems.push(found)
      return
    }
    // A proof listed twice (the same members and values) is verified once and noted: Data
    // Integrity asks that every proof of a set verify, and a conforming issuer may well sign
    // twice to the same bytes (Ed25519 is deterministic, `created` has a precision of seconds;
    // the W3C suites do so). The copy adds no signature of its own, so nothing may count it.
    const value = canonicalJson(found.proof)
    if (seen.has(value)) {
      notes.push(
        problem(
          'ERR_PROOF_DUPLICATE',
          `This proof repeats an earlier proof of the ${policy.what}; it is counted once.`,
          at(),
        ),
      )
      return
    }
    seen.add(value)
    proofs.push({ ...found, index, path: at() })
  })
  return { proofs, problems, notes }
}

function checkOne(
  p: unknown,
  policy: ProofPolicy,
  at: (key?: string) => string,
): Problem | Omit<InspectedProof, 'index' | 'path'> {
  if (!isPlainObject(p)) return problem('ERR_PROOF_MALFORMED', 'A proof must be an object.', at())
  if (typeof p.type !== 'string') {
    return problem('ERR_PROOF_MALFORMED', 'The proof has no "type".', at('type'))
  }
  const suite = suiteOfProof(p)
  if (suite === undefined || !policy.suites.includes(suite)) {
    const name =
      p.type === 'DataIntegrityProof' ? `DataIntegrityProof/${String(p.cryptosuite)}` : p.type
    return problem(
      'ERR_PROOF_SUITE_NOT_ALLOWED',
      `Proof suite ${JSON.stringify(name)} is not allowed.`,
      at(p.type === 'DataIntegrityProof' ? 'cryptosuite' : 'type'),
    )
  }
  if (typeof p.verificationMethod !== 'string' || !isAbsoluteIri(p.verificationMethod)) {
    return problem(
      'ERR_PROOF_MALFORMED',
      'The proof "verificationMethod" must be an absolute IRI.',
      at('verificationMethod'),
    )
  }
  if (typeof p.proofPurpose !== 'string') {
    return problem('ERR_PROOF_MALFORMED', 'The proof has no "proofPurpose".', at('proofPurpose'))
  }
  if (p.proofPurpose !== policy.purpose) {
    return problem(
      PURPOSE_CODES[policy.purpose],
      policy.purpose === 'authentication'
        ? `The proof purpose is "${p.proofPurpose}"; a presentation must be signed for "authentication".`
        : `The proof purpose is "${p.proofPurpose}", expected "${policy.purpose}".`,
      at('proofPurpose'),
    )
  }
  const malformed = proofValueProblem(suite, p.proofValue, at('proofValue'))
  if (malformed !== undefined && malformed.code !== 'ERR_PROOF_SIGNATURE_MALLEABLE') {
    return malformed
  }
  const dated = dateProblem(p, policy, at)
  if (dated !== undefined) return dated
  if (malformed !== undefined) return malformed
  const bound = bindingProblem(p, policy, at)
  if (bound !== undefined) return bound
  return {
    proof: p,
    suite,
    verificationMethod: p.verificationMethod,
    did: p.verificationMethod.split('#')[0] ?? '',
  }
}
