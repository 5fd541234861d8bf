/**
 * Generic VC 1.1 / VC 2.0 checks for the W3C VC API endpoints, where credentials are not Open
 * Badges: the data-model rules the W3C suites test (W3C-SUITES.md §3), JSON-LD safe mode, every
 * proof verified (at least one with a key bound to the issuer; co-signers allowed), relatedResource
 * digests against the bytes the server holds, validity dates, and status from the server's own
 * lists. The Open Badges pipeline of `@certify-vc/verifier` is used for OpenBadgeCredentials.
 *
 * @module
 */
import {
  CONTEXT_URLS,
  asArray,
  createDocumentLoader,
  findCertifyError,
  isAbsoluteIri,
  isPlainObject,
  parseDateTimeStamp,
  pointer,
  problem,
  type DocumentLoader,
  type Problem,
} from '@certify-vc/context'
import {
  SUITE_NAMES,
  createJcsSuite,
  createSuite,
  expandSafely,
  jcsSuiteOfProof,
  suiteOfProof,
  verifyDocumentProofs,
  type OptInSuiteName,
  type SuiteName,
} from '@certify-vc/core'
import type { DidResolver } from '@certify-vc/verifier'
import { checkKnownDigests } from './related-resources.js'

/** `https://www.w3.org/ns/credentials/examples/v2`, which the W3C suites use. */
export const EXAMPLES_V2_URL = 'https://www.w3.org/ns/credentials/examples/v2'
const EXAMPLES_V2 = { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } }

/** The offline loader plus the examples context (the pinned set otherwise). */
export function createServerDocumentLoader(
  documents: ReadonlyMap<string, unknown> = new Map(),
): DocumentLoader {
  return createDocumentLoader({
    documents: new Map([[EXAMPLES_V2_URL, EXAMPLES_V2], ...documents]),
  })
}

const TYPED_MEMBERS = [
  'credentialStatus',
  'termsOfUse',
  'evidence',
  'refreshService',
  'credentialSchema',
] as const

/** The issuer id: the string, or `issuer.id`. */
export function issuerIdOf(issuer: unknown): string | undefined {
  if (typeof issuer === 'string') return issuer
  if (isPlainObject(issuer) && typeof issuer.id === 'string') return issuer.id
  return undefined
}

function hasType(value: unknown, type: string): boolean {
  return value === type || (Array.isArray(value) && value.includes(type))
}

/**
 * The VC data-model rules that JSON-LD safe mode cannot see. `phase` `issue` also refuses a
 * present `proof`. Returns problems (empty when the shape is fine).
 */
export function checkCredentialShape(doc: unknown, phase: 'issue' | 'verify'): Problem[] {
  const out: Problem[] = []
  if (!isPlainObject(doc)) {
    return [problem('ERR_STRUCTURE_INVALID', 'A credential must be a JSON object.', '')]
  }
  const context = doc['@context']
  const contexts = asArray(context)
  if (contexts.length === 0) {
    out.push(problem('ERR_CONTEXT_ORDER', '"@context" is required.', pointer('@context')))
  } else if (
    contexts[0] !== CONTEXT_URLS.credentialsV2 &&
    contexts[0] !== CONTEXT_URLS.credentialsV1
  ) {
    out.push(
      problem(
        'ERR_CONTEXT_ORDER',
        'The first @context must be the VC 2.0 or VC 1.1 base context.',
        pointer('@context', 0),
      ),
    )
  }
  const v1 = contexts[0] === CONTEXT_URLS.credentialsV1
  if (!hasType(doc.type, 'VerifiableCredential')) {
    out.push(
      problem(
        'ERR_STRUCTURE_INVALID',
        '"type" must include "VerifiableCredential".',
        pointer('type'),
      ),
    )
  }
  if (doc.id !== undefined && !isAbsoluteIri(doc.id)) {
    out.push(problem('ERR_STRUCTURE_RELATIVE_IRI', '"id" must be a URL.', pointer('id')))
  }
  const issuer = issuerIdOf(doc.issuer)
  if (issuer === undefined || !isAbsoluteIri(issuer)) {
    out.push(
      problem(
        'ERR_STRUCTURE_INVALID',
        '"issuer" must be a URL or an object with one.',
        pointer('issuer'),
      ),
    )
  }
  const subjects = asArray(doc.credentialSubject)
  if (subjects.length === 0 || !subjects.every(isPlainObject)) {
    out.push(
      problem(
        'ERR_STRUCTURE_INVALID',
        '"credentialSubject" must be an object (or objects).',
        pointer('credentialSubject'),
      ),
    )
  } else {
    subjects.forEach((s, i) => {
      if (isPlainObject(s) && Object.keys(s).length === 0) {
        // "each object MUST be the subject of one or more claims" (VC 2.0 §4.8).
        out.push(
          problem(
            'ERR_STRUCTURE_INVALID',
            'A credentialSubject object must make at least one claim.',
            Array.isArray(doc.credentialSubject)
              ? pointer('credentialSubject', i)
              : pointer('credentialSubject'),
          ),
        )
      } else if (isPlainObject(s) && s.id !== undefined && !isAbsoluteIri(s.id)) {
        out.push(
          problem(
            'ERR_STRUCTURE_RELATIVE_IRI',
            '"credentialSubject.id" must be a URL.',
            Array.isArray(doc.credentialSubject)
              ? pointer('credentialSubject', i, 'id')
              : pointer('credentialSubject', 'id'),
          ),
        )
      }
    })
  }
  const dates = v1 ? ['issuanceDate', 'expirationDate'] : ['validFrom', 'validUntil']
  const parsed: (Date | undefined)[] = []
  for (const name of dates) {
    const value = doc[name]
    const date = value === undefined ? undefined : parseDateTimeStamp(value)
    if (value !== undefined && date === undefined) {
      out.push(
        problem(
          'ERR_STRUCTURE_DATE_INVALID',
          `"${name}" must be an XSD dateTimeStamp (with a time zone).`,
          pointer(name),
        ),
      )
    }
    parsed.push(date)
  }
  if (v1 && doc.issuanceDate === undefined) {
    out.push(
      problem(
        'ERR_STRUCTURE_DATE_INVALID',
        'VC 1.1 needs "issuanceDate".',
        pointer('issuanceDate'),
      ),
    )
  }
  const [from, until] = parsed
  if (from !== undefined && until !== undefined && until.getTime() < from.getTime()) {
    out.push(
      problem(
        'ERR_STRUCTURE_DATE_INVALID',
        `"${dates[1] ?? ''}" is before "${dates[0] ?? ''}".`,
        pointer(dates[1] ?? ''),
      ),
    )
  }
  for (const member of TYPED_MEMBERS) {
    const value = doc[member]
    if (value === undefined) continue
    const items = asArray(value as unknown)
    items.forEach((item, i) => {
      const at = Array.isArray(value) ? pointer(member, i) : pointer(member)
      if (!isPlainObject(item) || item.type === undefined) {
        out.push(problem('ERR_STRUCTURE_INVALID', `"${member}" entries need a "type".`, at))
      } else if (item.id !== undefined && !isAbsoluteIri(item.id)) {
        out.push(problem('ERR_STRUCTURE_RELATIVE_IRI', `"${member}.id" must be a URL.`, at))
      } else if (member === 'credentialSchema' && !isAbsoluteIri(item.id)) {
        out.push(problem('ERR_STRUCTURE_INVALID', '"credentialSchema" needs a URL "id".', at))
      }
    })
  }
  if (doc.relatedResource !== undefined) {
    const items = asArray(doc.relatedResource as unknown)
    const seen = new Set<string>()
    let unknown = false
    items.forEach((item, i) => {
      const at = pointer('relatedResource', i)
      if (!isPlainObject(item) || !isAbsoluteIri(item.id)) {
        out.push(problem('ERR_STRUCTURE_INVALID', '"relatedResource" entries need a URL "id".', at))
        return
      }
      if (seen.has(item.id)) {
        out.push(problem('ERR_STRUCTURE_INVALID', 'Duplicate "relatedResource" id.', at))
      }
      seen.add(item.id)
      if (item.digestSRI === undefined && item.digestMultibase === undefined) {
        out.push(
          problem(
            'ERR_STRUCTURE_INVALID',
            '"relatedResource" needs digestSRI or digestMultibase.',
            at,
          ),
        )
        return
      }
      const known = checkKnownDigests(item, at)
      if (known === undefined) unknown = true
      else out.push(...known)
    })
    if (phase === 'verify' && unknown) {
      // Resources the server does not hold would have to be fetched to compare digests; it never
      // fetches credential-chosen URLs (ATTACKS E1), so it cannot vouch for them.
      out.push(
        problem(
          'ERR_STRUCTURE_INVALID',
          'A relatedResource this server does not hold cannot be checked offline; the credential is not verified.',
          pointer('relatedResource'),
        ),
      )
    }
  }
  if (phase === 'issue' && doc.proof !== undefined) {
    out.push(
      problem('ERR_STRUCTURE_INVALID', 'The credential already has a proof.', pointer('proof')),
    )
  }
  return out
}

/** JSON-LD safe mode on the whole document: undefined terms, relative IRIs, bad contexts. */
export async function checkJsonLd(
  doc: Record<string, unknown>,
  documentLoader: DocumentLoader,
): Promise<Problem[]> {
  try {
    await expandSafely(doc, documentLoader)
    return []
  } catch (error) {
    const certify = findCertifyError(error)
    if (certify !== undefined) return [certify.toProblem()]
    return [problem('ERR_JSONLD_INVALID', error instanceof Error ? error.message : 'JSON-LD error')]
  }
}

interface ProofShape {
  index: number
  path: string
  suite: SuiteName | OptInSuiteName
  verificationMethod: string
  proofValue: string
}

/** Options of {@link verifyProofs}. */
export interface GenericProofOptions {
  readonly documentLoader: DocumentLoader
  readonly didResolver: DidResolver
  /** Expected `domain` / `challenge` of the proofs, when the caller gives them. */
  readonly domain?: string
  readonly challenge?: string
}

function findMethod(
  doc: Record<string, unknown>,
  vmId: string,
): Record<string, unknown> | undefined {
  const did = typeof doc.id === 'string' ? doc.id : ''
  for (const key of ['verificationMethod', 'assertionMethod']) {
    for (const c of asArray(doc[key])) {
      if (!isPlainObject(c)) continue
      const id = typeof c.id === 'string' && c.id.startsWith('#') ? did + c.id : c.id
      if (id === vmId && typeof c.publicKeyMultibase === 'string') return { ...c, id }
    }
  }
  return undefined
}

function listed(doc: Record<string, unknown>, relationship: string, vmId: string): boolean {
  const did = typeof doc.id === 'string' ? doc.id : ''
  return asArray(doc[relationship]).some((e) => {
    const id = typeof e === 'string' ? e : isPlainObject(e) ? e.id : undefined
    return typeof id === 'string' && (id === vmId || (id.startsWith('#') && did + id === vmId))
  })
}

/**
 * Every proof must be of an allow-listed suite or eddsa-jcs-2022, well formed, made with a key its controller lists
 * under `assertionMethod`, and verify (a `previousProof` must name a proof of the set); at least
 * one of them must be made with a key of the issuer (proof sets and chains with co-signers, Data
 * Integrity §2.1.2–2.1.3). Co-signers must use did:key. Returns problems (empty when all verified).
 */
export async function verifyProofs(
  doc: Record<string, unknown>,
  options: GenericProofOptions,
): Promise<Problem[]> {
  if (!Object.hasOwn(doc, 'proof')) return [problem('ERR_PROOF_MISSING', 'No proof.', '/proof')]
  const raw = doc.proof
  const list = Array.isArray(raw) ? raw : [raw]
  if (list.length === 0) return [problem('ERR_PROOF_MISSING', 'No proof.', '/proof')]
  const proofs: ProofShape[] = []
  const out: Problem[] = []
  const ids = new Set<string>()
  list.forEach((p, i) => {
    const path = Array.isArray(raw) ? pointer('proof', i) : pointer('proof')
    if (!isPlainObject(p)) {
      out.push(problem('ERR_PROOF_MALFORMED', 'A proof must be an object.', path))
      return
    }
    if (typeof p.id === 'string') ids.add(p.id)
    // The allow-listed suites plus eddsa-jcs-2022, which this W3C path opts into.
    const suite = suiteOfProof(p) ?? jcsSuiteOfProof(p)
    if (suite === undefined) {
      out.push(
        problem('ERR_PROOF_SUITE_NOT_ALLOWED', 'Unsupported proof type or cryptosuite.', path),
      )
      return
    }
    if (p.proofPurpose !== 'assertionMethod') {
      out.push(problem('ERR_PROOF_PURPOSE', '"proofPurpose" must be "assertionMethod".', path))
      return
    }
    if (typeof p.verificationMethod !== 'string' || !p.verificationMethod.includes('#')) {
      out.push(problem('ERR_PROOF_MALFORMED', '"verificationMethod" must be a DID URL.', path))
      return
    }
    if (typeof p.proofValue !== 'string' || !/^z[1-9A-HJ-NP-Za-km-z]{80,90}$/.test(p.proofValue)) {
      out.push(problem('ERR_PROOF_MALFORMED', '"proofValue" must be base58btc of 64 bytes.', path))
      return
    }
    if (p.created !== undefined && parseDateTimeStamp(p.created) === undefined) {
      out.push(problem('ERR_PROOF_MALFORMED', '"created" must be an XSD dateTimeStamp.', path))
      return
    }
    if (options.domain !== undefined && p.domain !== options.domain) {
      out.push(problem('ERR_PROOF_PURPOSE', 'The proof\'s "domain" does not match.', path))
      return
    }
    if (options.challenge !== undefined && p.challenge !== options.challenge) {
      out.push(problem('ERR_PROOF_PURPOSE', 'The proof\'s "challenge" does not match.', path))
      return
    }
    proofs.push({
      index: i,
      path,
      suite,
      verificationMethod: p.verificationMethod,
      proofValue: p.proofValue,
    })
  })
  list.forEach((p, i) => {
    if (isPlainObject(p) && p.previousProof !== undefined) {
      for (const ref of asArray(p.previousProof as unknown)) {
        if (typeof ref !== 'string' || !ids.has(ref)) {
          out.push(
            problem(
              'ERR_PROOF_MALFORMED',
              '"previousProof" names an absent proof.',
              Array.isArray(raw) ? pointer('proof', i) : pointer('proof'),
            ),
          )
        }
      }
    }
  })
  if (out.length > 0) return out

  const issuer = issuerIdOf(doc.issuer)
  // Every proof must verify with a key its own controller lists under assertionMethod; at least
  // one of them must be the issuer's. Other proofs (co-signers, a chain's earlier links) are
  // verified like the issuer's but prove nothing about who issued the credential.
  if (!proofs.some((p) => p.verificationMethod.split('#')[0] === issuer)) {
    return [
      problem(
        'ERR_KEY_NOT_ISSUER',
        'No proof is made with a key controlled by the issuer.',
        proofs[0]?.path ?? '/proof',
      ),
    ]
  }
  const documents = new Map<string, unknown>()
  for (const p of proofs) {
    const did = p.verificationMethod.split('#')[0] ?? ''
    if (did !== issuer && !did.startsWith('did:key:')) {
      // Co-signers are resolved offline only: a credential must not make the server fetch
      // one DID document per proof from hosts it names (ATTACKS E1).
      out.push(
        problem(
          'ERR_KEY_UNRESOLVABLE',
          'A proof by someone other than the issuer must use a did:key (resolved offline).',
          p.path,
        ),
      )
      continue
    }
    let didDocument: unknown
    try {
      const r = await options.didResolver.resolve(did)
      didDocument = r.didResolutionMetadata.error === undefined ? r.didDocument : undefined
    } catch {
      didDocument = undefined
    }
    if (!isPlainObject(didDocument) || didDocument.id !== did) {
      out.push(problem('ERR_KEY_UNRESOLVABLE', `Cannot resolve ${did}.`, p.path))
      continue
    }
    const vm = findMethod(didDocument, p.verificationMethod)
    if (vm === undefined) {
      out.push(
        problem(
          'ERR_KEY_UNRESOLVABLE',
          'The verification method is not in the DID document.',
          p.path,
        ),
      )
      continue
    }
    if (vm.controller !== did) {
      out.push(
        problem('ERR_KEY_NOT_ISSUER', 'The key is not controlled by the DID it names.', p.path),
      )
      continue
    }
    if (!listed(didDocument, 'assertionMethod', p.verificationMethod)) {
      out.push(problem('ERR_KEY_NOT_AUTHORIZED', 'The key is not under assertionMethod.', p.path))
      continue
    }
    documents.set(did, didDocument)
    documents.set(p.verificationMethod, { '@context': CONTEXT_URLS.multikeyV1, ...vm })
  }
  if (out.length > 0) return out
  const loader = createDocumentLoader({
    documents,
    resolveDidKey: false,
    fallback: options.documentLoader,
  })
  let outcomes: Awaited<ReturnType<typeof verifyDocumentProofs>>['outcomes']
  try {
    ;({ outcomes } = await verifyDocumentProofs(doc, {
      suites: [
        ...SUITE_NAMES.filter((s) => proofs.some((p) => p.suite === s)).map((s) => createSuite(s)),
        ...(proofs.some((p) => p.suite === 'eddsa-jcs-2022') ? [createJcsSuite()] : []),
      ],
      documentLoader: loader,
      purpose: { term: 'assertionMethod' },
    }))
  } catch (error) {
    return [problem('ERR_PROOF_INVALID', error instanceof Error ? error.message : 'Proof error.')]
  }
  for (const p of proofs) {
    const outcome = outcomes.find((o) => o.index === p.index)
    if (outcome === undefined || !outcome.verified) {
      // A chain fault (dangling or cyclic previousProof …) keeps its own code.
      const coded = findCertifyError(outcome?.signatureError)
      out.push(
        coded !== undefined && coded.code !== 'ERR_PROOF_INVALID'
          ? problem(coded.code, coded.message, p.path)
          : problem('ERR_PROOF_INVALID', 'The signature does not verify.', p.path + '/proofValue'),
      )
    }
  }
  return out
}

/** The validity window against `now` (no skew for the W3C API). */
export function checkValidityWindow(doc: Record<string, unknown>, now: Date): Problem[] {
  const v1 = asArray(doc['@context'])[0] === CONTEXT_URLS.credentialsV1
  const from = parseDateTimeStamp(v1 ? doc.issuanceDate : doc.validFrom)
  const until = parseDateTimeStamp(v1 ? doc.expirationDate : doc.validUntil)
  if (from !== undefined && from.getTime() > now.getTime()) {
    return [problem('ERR_VALIDITY_NOT_YET_VALID', 'The credential is not valid yet.')]
  }
  if (until !== undefined && until.getTime() < now.getTime()) {
    return [problem('ERR_VALIDITY_EXPIRED', 'The credential has expired.')]
  }
  return []
}
