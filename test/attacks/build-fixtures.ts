/**
 * Builds every attack fixture of test/fixtures/attacks from the deterministic test keys, in
 * memory: `pnpm fixtures:attacks` writes them, and `fixtures.test.ts` checks that the committed
 * files are exactly what this produces (fixed seeds, fixed dates, deterministic Ed25519 and gzip).
 */
import { CATALOG, CONTEXT_URLS, createDocumentLoader } from '@certify-vc/context'
import {
  MIN_STATUS_LIST_ENTRIES,
  createBitstring,
  createSuite,
  encodeStatusList,
  createPresentation,
  setStatus,
  signDocument,
  signPresentation,
  type ProofPurposeOption,
  type Signer,
  type SuiteName,
} from '@certify-vc/core'
import { buildCredential, type IssuerKey } from '@certify-vc/issuer'
import {
  MAX_PRESENTATION_CREDENTIALS,
  type CheckId,
  type PresentationCheckId,
} from '@certify-vc/verifier'
import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { base58btc } from './base58.js'
import { addJwtFixtures } from './jwt-fixtures.js'
import { INSTITUTE_WEB_DID, attackKeys, type AttackKeys } from './keys.js'
import type {
  FixtureEntry,
  FixtureExpectation,
  FixtureInput,
  FixtureManifest,
  FixtureOptions,
} from './manifest.js'

export type Json = Record<string, unknown>
type PathKey = string | number

/** The verification time of every fixture. */
export const NOW = '2026-11-29T12:00:00Z'
/** Issuance time (validFrom, proof created) of every fixture. */
export const ISSUED = '2026-11-01T00:00:00Z'
export const STATUS_BASE = 'https://production-ai.institute/status/attacks'
export const ATTACKER_CONTEXT = 'https://attacker.example/contexts/certify.jsonld'

const loader = createDocumentLoader()
const clone = <T>(v: T): T => structuredClone(v)

// -- path helpers --------------------------------------------------------------------------------

export function getAt(doc: unknown, path: readonly PathKey[]): unknown {
  let cur: unknown = doc
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<PathKey, unknown>)[k]
  }
  return cur
}

export function setAt(doc: unknown, path: readonly PathKey[], value: unknown): void {
  const parent = getAt(doc, path.slice(0, -1)) as Record<PathKey, unknown>
  parent[path[path.length - 1] as PathKey] = value
}

export function deleteAt(doc: unknown, path: readonly PathKey[]): void {
  const parent = getAt(doc, path.slice(0, -1)) as Record<PathKey, unknown>
  delete parent[path[path.length - 1] as PathKey]
}

const edit = (doc: Json, f: (d: Json) => void): Json => {
  const c = clone(doc)
  f(c)
  return c
}

// -- signing -------------------------------------------------------------------------------------

interface SignOptions {
  suite?: SuiteName
  created?: string
  /** The proof's `expires`. */
  expires?: string
  /**
   * Further members of the new proof, written through the suite's proof template (as `expires`
   * is): a `domain` that names several domains, which the authentication purpose cannot write.
   */
  proofMembers?: Json
  purpose?: ProofPurposeOption
  /** Claim this verification method id while signing with `key` (a forged binding). */
  claimVm?: string
  /** Loader for signing (default: the offline loader of the pinned contexts). */
  documentLoader?: ReturnType<typeof createDocumentLoader>
}

/** Signs with the context's suite wiring (no issuer-side checks: attack documents need that). */
export async function signWith(doc: Json, key: IssuerKey, o: SignOptions = {}): Promise<Json> {
  const base = key.signer()
  const signer: Signer =
    o.claimVm === undefined
      ? base
      : { id: o.claimVm, algorithm: 'Ed25519', sign: (input) => base.sign(input) }
  const suite =
    o.suite ??
    ((doc['@context'] as string[])[0] === CONTEXT_URLS.credentialsV1
      ? 'Ed25519Signature2020'
      : 'eddsa-rdfc-2022')
  const instance = createSuite(suite, {
    signer,
    date: o.created ?? ISSUED,
    ...(o.expires === undefined ? {} : { expires: o.expires }),
  })
  if (o.proofMembers !== undefined) {
    const template = instance.implementation as { proof?: Json }
    template.proof = { ...template.proof, ...o.proofMembers }
  }
  try {
    return await signDocument(doc, {
      suite: instance,
      documentLoader: o.documentLoader ?? loader,
      ...(o.purpose === undefined ? {} : { purpose: o.purpose }),
    })
  } catch (error) {
    const details = JSON.stringify((error as { details?: unknown }).details ?? '').slice(0, 400)
    throw new Error(`Cannot sign ${String(doc.id)}: ${String(error)} ${details}`, { cause: error })
  }
}

// -- credentials ---------------------------------------------------------------------------------

interface CredentialOptions {
  program?: 'AIDA' | 'CAAE' | 'AIMA'
  /**
   * The learner's email, hashed into an `identifier` as the issuer does, with a salt derived from
   * the address (the issuer's is random) so that the fixture regenerates byte for byte.
   */
  email?: string
  format?: 'vc2' | 'vc1.1'
  issuer?: IssuerKey
  /** Issuer DID written in the credential (default: the signing key's). */
  issuerDid?: string
  n?: number
  patch?: (c: Json) => void
  status?: unknown
}

let counter = 0

/** An unsigned credential from the issuer's own builder, with a fixed id and fixed dates. */
export function unsignedCredential(keys: AttackKeys, o: CredentialOptions = {}): Json {
  const issuer = o.issuer ?? keys.institute
  const n = o.n ?? ++counter
  const c = buildCredential({
    program: o.program ?? 'AIDA',
    recipient: { name: 'Ada Lovelace', did: keys.learner.did },
    issuerDid: o.issuerDid ?? issuer.did,
    id: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    now: new Date(ISSUED),
    validFrom: new Date(ISSUED),
    ...(o.format === undefined ? {} : { format: o.format }),
  }) as unknown as Json
  if (o.email !== undefined) {
    const salt = createHash('sha256').update(`salt:${o.email}`).digest('hex').slice(0, 32)
    const hash = createHash('sha256')
      .update(o.email + salt)
      .digest('hex')
    ;(c.credentialSubject as Json).identifier = [
      {
        type: 'IdentityObject',
        identityHash: `sha256$${hash}`,
        identityType: 'emailAddress',
        hashed: true,
        salt,
      },
    ]
  }
  if (o.status !== undefined) {
    c.credentialStatus = o.status
    if (o.format === 'vc1.1') {
      ;(c['@context'] as string[]).push(CONTEXT_URLS.bitstringStatusListV1)
    }
  }
  o.patch?.(c)
  return c
}

export async function signedCredential(
  keys: AttackKeys,
  o: CredentialOptions & SignOptions = {},
): Promise<Json> {
  return signWith(unsignedCredential(keys, o), o.issuer ?? keys.institute, o)
}

// -- status lists --------------------------------------------------------------------------------

export const listUrl = (name: string) => `${STATUS_BASE}/${name}`

export function statusEntry(
  url: string,
  index: string | number,
  purpose = 'revocation',
  extra: Json = {},
): Json {
  return {
    id: `${url}#${encodeURIComponent(String(index))}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: index,
    statusListCredential: url,
    ...extra,
  }
}

interface ListOptions {
  purpose?: string
  set?: number[]
  entries?: number
  encodedList?: string
  validFrom?: string
  validUntil?: string
  issuerDid?: string
  patch?: (d: Json) => void
}

export function unsignedList(keys: AttackKeys, url: string, o: ListOptions = {}): Json {
  const bits = createBitstring(o.entries ?? MIN_STATUS_LIST_ENTRIES)
  for (const i of o.set ?? []) setStatus(bits, i, 1)
  const doc: Json = {
    '@context': [CONTEXT_URLS.credentialsV2],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: o.issuerDid ?? keys.institute.did,
    validFrom: o.validFrom ?? '2026-11-29T00:00:00Z',
    validUntil: o.validUntil ?? '2026-12-29T00:00:00Z',
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: o.purpose ?? 'revocation',
      encodedList: o.encodedList ?? encodeStatusList(bits),
      ttl: 300_000,
    },
  }
  o.patch?.(doc)
  return doc
}

// -- the fixture set -----------------------------------------------------------------------------

interface Built {
  entries: FixtureEntry[]
  supporting: { file: string; description: string }[]
  /** file → exact file content. */
  files: Map<string, string | Uint8Array>
}

const text = (value: unknown) => JSON.stringify(value, null, 2) + '\n'

/** Every fixture file and the manifest, keyed by file name. */
export async function buildAttackFixtures(): Promise<Map<string, string | Uint8Array>> {
  counter = 0
  const keys = await attackKeys()
  const { institute, foreign, learner, instituteWeb } = keys
  const built: Built = { entries: [], supporting: [], files: new Map() }
  const trusted = [institute.did]
  const base: FixtureOptions = { trustedIssuers: trusted, now: NOW, status: false }

  const add = (
    file: string,
    attack: string,
    description: string,
    content: unknown,
    expected: FixtureExpectation,
    options: Partial<FixtureOptions> = {},
    input: FixtureInput = 'json',
  ) => {
    if (built.files.has(file)) throw new Error(`duplicate fixture ${file}`)
    const body =
      content instanceof Uint8Array || typeof content === 'string' ? content : text(content)
    built.files.set(file, body)
    built.entries.push({
      file,
      attack,
      description,
      input,
      options: { ...base, ...options },
      expected,
    })
  }
  const support = (file: string, description: string, content: unknown) => {
    if (built.files.has(file)) throw new Error(`duplicate fixture ${file}`)
    built.files.set(file, text(content))
    built.supporting.push({ file, description })
  }
  const fail = (
    check: CheckId | PresentationCheckId,
    codes: string[],
    extra: Partial<FixtureExpectation> = {},
  ) => ({
    verified: false,
    check,
    codes,
    ...extra,
  })

  const valid = await signedCredential(keys, { n: 1 })
  add('A00-valid-aida.pass.json', 'A1', 'Control: the untouched credential verifies.', valid, {
    verified: true,
  })
  const validV11 = await signedCredential(keys, { n: 2, format: 'vc1.1' })
  add('A00-valid-aida-vc11.pass.json', 'A1', 'Control: the VC 1.1 credential verifies.', validV11, {
    verified: true,
  })

  // -- A. Integrity and proof binding --------------------------------------------------------
  const invalidSig = () => fail('proof', ['ERR_PROOF_INVALID'], { path: '/proof/proofValue' })
  add(
    'A01-tampered-achievement-id.fail.json',
    'A1',
    'achievement.id changed from AIDA to CAAE after signing.',
    edit(valid, (d) =>
      setAt(d, ['credentialSubject', 'achievement', 'id'], CATALOG.programs.CAAE.achievementId),
    ),
    invalidSig(),
  )
  add(
    'A01-tampered-subject-name.fail.json',
    'A1',
    'credentialSubject.name changed after signing.',
    edit(valid, (d) => setAt(d, ['credentialSubject', 'name'], 'Mallory')),
    invalidSig(),
  )
  add(
    'A01-tampered-valid-until.fail.json',
    'A1',
    'validUntil added after signing (extends validity).',
    edit(valid, (d) => (d.validUntil = '2099-01-01T00:00:00Z')),
    invalidSig(),
  )
  add(
    'A01-tampered-subject-id.fail.json',
    'A1',
    'credentialSubject.id swapped to another DID after signing.',
    edit(valid, (d) => setAt(d, ['credentialSubject', 'id'], foreign.did)),
    invalidSig(),
  )
  add(
    'A01-tampered-issuer-name.fail.json',
    'A1',
    'issuer.name changed after signing.',
    edit(valid, (d) => setAt(d, ['issuer', 'name'], 'Totally Legit Institute')),
    invalidSig(),
  )
  add(
    'A01-added-type.fail.json',
    'A1',
    'A type (EndorsementCredential) added after signing.',
    edit(valid, (d) => (d.type as string[]).push('EndorsementCredential')),
    invalidSig(),
  )
  add(
    'A01-alias-type-is-neutral.pass.json',
    'A1',
    'Adding "AchievementCredential" is semantically neutral: OB 3.0 maps it to the same IRI as OpenBadgeCredential, so the signed graph is unchanged.',
    edit(valid, (d) => (d.type as string[]).push('AchievementCredential')),
    { verified: true },
  )
  add(
    'A01-tampered-vc11-name.fail.json',
    'A1',
    'VC 1.1 / Ed25519Signature2020: credentialSubject.name changed after signing.',
    edit(validV11, (d) => setAt(d, ['credentialSubject', 'name'], 'Mallory')),
    invalidSig(),
  )

  add(
    'A02-undefined-term-vc11.fail.json',
    'A2',
    'credentialSubject.grade under VC 1.1 (no @vocab): JSON-LD would drop it, so it is unsigned.',
    edit(validV11, (d) => setAt(d, ['credentialSubject', 'grade'], 'A+')),
    fail('contexts', ['ERR_JSONLD_UNDEFINED_TERM'], { path: '/credentialSubject/grade' }),
  )
  add(
    'A03-empty-credential-id.fail.json',
    'A3',
    'Credential id "" (relative IRI).',
    edit(valid, (d) => (d.id = '')),
    fail('structure', ['ERR_STRUCTURE_RELATIVE_IRI'], { path: '/id' }),
  )
  add(
    'A03-relative-subject-id.fail.json',
    'A3',
    'credentialSubject.id "asdasd" (relative IRI).',
    edit(valid, (d) => setAt(d, ['credentialSubject', 'id'], 'asdasd')),
    fail('structure', ['ERR_STRUCTURE_RELATIVE_IRI'], { path: '/credentialSubject/id' }),
  )
  add(
    'A03-relative-evidence-id.fail.json',
    'A3',
    'evidence[0].id "#ev" (relative IRI deep in the document, not an envelope field).',
    edit(valid, (d) => (d.evidence = [{ id: '#ev', type: ['Evidence'], narrative: 'x' }])),
    fail('contexts', ['ERR_STRUCTURE_RELATIVE_IRI'], { path: '/evidence/0/id' }),
  )
  {
    const url = listUrl('a03-relative-id')
    const list = edit(await signWith(unsignedList(keys, url), institute), (d) => (d.id = ''))
    support(
      'A03-status-list-empty-id.list.json',
      'A status list whose id is "" (verifier-plus#135).',
      list,
    )
    add(
      'A03-status-list-empty-id.fail.json',
      'A3',
      'The status list credential has id "" (its encodedList could be edited freely).',
      await signedCredential(keys, { status: statusEntry(url, '5') }),
      fail('status', ['ERR_STATUS_LIST_INVALID'], {
        path: '/credentialStatus/statusListCredential',
      }),
      { status: { lists: { [url]: 'A03-status-list-empty-id.list.json' } } },
    )
  }
  add(
    'A04-safe-mode-off-option-ignored.fail.json',
    'A4',
    'The A2 credential with { safe: false } passed as an option: there is no way to switch safe mode off.',
    edit(validV11, (d) => setAt(d, ['credentialSubject', 'grade'], 'A+')),
    fail('contexts', ['ERR_JSONLD_UNDEFINED_TERM'], { path: '/credentialSubject/grade' }),
    { unknownOptions: { safe: false, safeMode: false, expansionMap: false } },
  )
  add(
    'A05-issuer-dependent-term.fail.json',
    'A5',
    'credentialSubject.level: the pinned VC 2.0 context has no @vocab, so the term is undefined (never signable).',
    edit(valid, (d) => setAt(d, ['credentialSubject', 'level'], 'expert')),
    fail('contexts', ['ERR_JSONLD_UNDEFINED_TERM'], { path: '/credentialSubject/level' }),
  )
  add(
    'A05-misspelt-achievement.fail.json',
    'A5',
    'credentialSubject.achievment (typo) next to the real achievement.',
    edit(valid, (d) =>
      setAt(d, ['credentialSubject', 'achievment'], { id: CATALOG.programs.CAAE.achievementId }),
    ),
    fail('contexts', ['ERR_JSONLD_UNDEFINED_TERM'], { path: '/credentialSubject/achievment' }),
  )
  add(
    'A05-undefined-terms-context.fail.json',
    'A5',
    'The VC 2.0 undefined-terms context (an @vocab catch-all) is not pinned: refused.',
    edit(valid, (d) =>
      (d['@context'] as string[]).push('https://www.w3.org/ns/credentials/undefined-terms/v2'),
    ),
    fail('contexts', ['ERR_CONTEXT_UNKNOWN'], { path: '/@context/3' }),
  )
  {
    const url = 'https://www.w3.org/ns/credentials/undefined-terms/v2'
    const undefinedTerms = {
      '@context': { '@vocab': 'https://www.w3.org/ns/credentials/issuer-dependent#' },
    }
    support(
      'A05-undefined-terms.context.json',
      'The VC 2.0 undefined-terms context (an @vocab catch-all), as a caller might admit it.',
      undefinedTerms,
    )
    const withVocab = createDocumentLoader({
      documents: { [url]: undefinedTerms },
      fallback: loader,
    })
    add(
      'A05-issuer-dependent-term-admitted-context.fail.json',
      'A5',
      'The caller admits the undefined-terms context; credentialSubject.level is then signed, but only as an issuer-dependent term.',
      await signedCredential(keys, {
        documentLoader: withVocab,
        patch: (c) => {
          ;(c['@context'] as string[]).push(url)
          setAt(c, ['credentialSubject', 'level'], 'expert')
        },
      }),
      fail('contexts', ['ERR_JSONLD_ISSUER_DEPENDENT_TERM'], { path: '/credentialSubject/level' }),
      { additionalContexts: { [url]: 'A05-undefined-terms.context.json' } },
    )
  }
  add(
    'A06-unknown-context-url.fail.json',
    'A6',
    'A context URL that is not pinned (attacker-hosted): never fetched.',
    edit(valid, (d) => ((d['@context'] as string[])[2] = ATTACKER_CONTEXT)),
    fail('contexts', ['ERR_CONTEXT_UNKNOWN'], { path: '/@context/2' }),
  )
  add(
    'A07-inline-context-redefines-achievement.fail.json',
    'A7',
    'An inline context entry remapping "achievement".',
    edit(valid, (d) =>
      (d['@context'] as unknown[]).push({ achievement: 'https://attacker.example/vocab#ach' }),
    ),
    fail('contexts', ['ERR_CONTEXT_INLINE'], { path: '/@context/3' }),
  )
  add(
    'A07-embedded-context-in-subject.fail.json',
    'A7',
    'An embedded @context inside credentialSubject.',
    edit(valid, (d) =>
      setAt(d, ['credentialSubject', '@context'], { name: 'https://attacker.example/vocab#name' }),
    ),
    fail('contexts', ['ERR_CONTEXT_INLINE'], { path: '/credentialSubject/@context' }),
  )
  {
    const redefining = {
      '@context': { name: { '@id': 'https://attacker.example/vocab#name' } },
    }
    support(
      'A07-redefining-context.context.json',
      'A context a caller allowed (additionalContexts) that redefines the protected VC 2.0 term "name".',
      redefining,
    )
    add(
      'A07-protected-term-redefinition.fail.json',
      'A7',
      'An allowed extra context redefines the @protected "name": JSON-LD must refuse it.',
      edit(valid, (d) => (d['@context'] as unknown[]).push(ATTACKER_CONTEXT)),
      fail('contexts', ['ERR_JSONLD_INVALID']),
      { additionalContexts: { [ATTACKER_CONTEXT]: 'A07-redefining-context.context.json' } },
    )
  }
  add(
    'A08-missing-context.fail.json',
    'A8',
    'No @context: the verifier must not inject one.',
    edit(valid, (d) => delete d['@context']),
    fail('contexts', ['ERR_CONTEXT_ORDER'], { path: '/@context' }),
  )
  add(
    'A08-vc11-data-integrity-context-missing.fail.json',
    'A8',
    'VC 1.1 credential with a DataIntegrityProof but without the Data Integrity context (would need injection).',
    edit(validV11, (d) => {
      ;(d['@context'] as string[]).splice(3, 1)
      d.proof = clone(valid.proof)
    }),
    fail('contexts', ['ERR_JSONLD_UNDEFINED_TERM']),
  )
  add(
    'A09-no-proof.fail.json',
    'A9',
    'No proof at all.',
    edit(valid, (d) => delete d.proof),
    fail('proof', ['ERR_PROOF_MISSING'], { path: '/proof' }),
  )
  add(
    'A09-unknown-cryptosuite.fail.json',
    'A9',
    'DataIntegrityProof with cryptosuite bbs-2023 (not implemented, so not allow-listed).',
    edit(valid, (d) => setAt(d, ['proof', 'cryptosuite'], 'bbs-2023')),
    fail('proof', ['ERR_PROOF_SUITE_NOT_ALLOWED'], { path: '/proof/cryptosuite' }),
  )
  add(
    'A09-malformed-proof-value.fail.json',
    'A9',
    'proofValue is not multibase.',
    edit(valid, (d) => setAt(d, ['proof', 'proofValue'], 'not-a-signature')),
    fail('proof', ['ERR_PROOF_MALFORMED'], { path: '/proof/proofValue' }),
  )
  {
    const forged = await signWith(unsignedCredential(keys, { n: 1 }), foreign, {
      claimVm: institute.verificationMethodId,
    })
    add(
      'A10-valid-plus-forged-proof.fail.json',
      'A10',
      "Proof set: the Institute's valid proof plus a forged proof claiming the Institute's key.",
      edit(valid, (d) => (d.proof = [valid.proof, forged.proof])),
      fail('proof', ['ERR_PROOF_INVALID'], { path: '/proof/1/proofValue' }),
    )
    add(
      'A10-valid-plus-unknown-suite-proof.fail.json',
      'A10',
      'Proof set: a valid proof plus a bbs-2023 proof (unknown suites are not skipped silently).',
      edit(valid, (d) => {
        const other = { ...(valid.proof as Json), cryptosuite: 'bbs-2023' }
        d.proof = [valid.proof, other]
      }),
      fail('proof', ['ERR_PROOF_SUITE_NOT_ALLOWED'], { path: '/proof/1/cryptosuite' }),
    )
    const both = await signWith(valid, foreign)
    add(
      'A10-second-proof-by-foreign-key.fail.json',
      'A10',
      "Proof set: the Institute's proof plus a valid proof by a foreign key (all proofs must bind to the issuer).",
      both,
      fail('key-binding', ['ERR_KEY_NOT_ISSUER'], { path: '/proof/1/verificationMethod' }),
    )
  }
  {
    const p = valid.proof as Json
    add(
      'A11-previous-proof-dangling.fail.json',
      'A11',
      'A second proof whose previousProof names a proof that is not there.',
      edit(valid, (d) => {
        d.proof = [
          { ...p, id: 'urn:uuid:proof-1' },
          { ...p, id: 'urn:uuid:proof-2', previousProof: 'urn:uuid:proof-0' },
        ]
      }),
      fail('proof', ['ERR_PROOF_CHAIN_DANGLING'], { path: '/proof/1/previousProof' }),
    )
    add(
      'A11-previous-proof-cycle.fail.json',
      'A11',
      'Two proofs whose previousProof references form a cycle.',
      edit(valid, (d) => {
        d.proof = [
          { ...p, id: 'urn:uuid:proof-1', previousProof: 'urn:uuid:proof-2' },
          { ...p, id: 'urn:uuid:proof-2', previousProof: 'urn:uuid:proof-1' },
        ]
      }),
      fail('proof', ['ERR_PROOF_CHAIN_CYCLE']),
    )
  }
  add(
    'A18-proof-listed-twice.pass.json',
    'A18',
    "Proof set: the Institute's proof and an identical copy of it (the copy carries no signature of its own: it verifies, is counted once, never as a second signer, and is noted).",
    edit(valid, (d) => (d.proof = [valid.proof, clone(valid.proof)])),
    { verified: true, warnings: ['ERR_PROOF_DUPLICATE'] },
  )
  add(
    'A12-issuer-did-signed-by-foreign-key.fail.json',
    'A12',
    "issuer is the Institute's DID, but the proof is the attacker's own did:key.",
    await signedCredential(keys, { issuer: foreign, issuerDid: institute.did }),
    fail('key-binding', ['ERR_KEY_NOT_ISSUER'], { path: '/proof/verificationMethod' }),
  )
  add(
    'A12-embedded-verification-method.fail.json',
    'A12',
    'The proof embeds its own key (a Multikey object) instead of referencing the issuer DID.',
    edit(valid, (d) =>
      setAt(d, ['proof', 'verificationMethod'], {
        id: foreign.verificationMethodId,
        type: 'Multikey',
        publicKeyMultibase: foreign.publicKeyMultibase,
      }),
    ),
    fail('contexts', ['ERR_JSONLD_UNDEFINED_TERM'], {
      path: '/proof/verificationMethod/publicKeyMultibase',
    }),
  )
  add(
    'A12-verification-method-object.fail.json',
    'A12',
    'The proof verificationMethod is an object (a node reference), not a DID URL string.',
    edit(valid, (d) =>
      setAt(d, ['proof', 'verificationMethod'], { id: institute.verificationMethodId }),
    ),
    fail('proof', ['ERR_PROOF_MALFORMED'], { path: '/proof/verificationMethod' }),
  )
  {
    const vm = {
      id: instituteWeb.verificationMethodId,
      type: 'Multikey',
      controller: INSTITUTE_WEB_DID,
      publicKeyMultibase: instituteWeb.publicKeyMultibase,
    }
    const didContext = [CONTEXT_URLS.didV1, CONTEXT_URLS.multikeyV1]
    const authOnly = {
      '@context': didContext,
      id: INSTITUTE_WEB_DID,
      verificationMethod: [vm],
      authentication: [vm.id],
    }
    support(
      'A13-did-web-authentication-only.did.json',
      'did:web:institute.test whose key is listed only under authentication.',
      authOnly,
    )
    add(
      'A13-key-only-under-authentication.fail.json',
      'A13',
      "The signing key is in the issuer's DID document, but only under authentication.",
      await signedCredential(keys, { issuer: instituteWeb }),
      fail('key-binding', ['ERR_KEY_NOT_AUTHORIZED'], { path: '/proof/verificationMethod' }),
      {
        trustedIssuers: [INSTITUTE_WEB_DID],
        didDocuments: { [INSTITUTE_WEB_DID]: 'A13-did-web-authentication-only.did.json' },
      },
    )
    const good = { ...authOnly, assertionMethod: [vm.id] }
    support(
      'E02-did-web-institute.did.json',
      'The did:web:institute.test document (correct).',
      good,
    )
    const wrongId = { ...good, id: 'did:web:attacker.example' }
    support(
      'E02-did-web-wrong-id.did.json',
      'A did:web document served for did:web:institute.test whose id is another DID.',
      wrongId,
    )
    const webCred = await signedCredential(keys, { issuer: instituteWeb })
    add(
      'E02-did-web-document-id-mismatch.fail.json',
      'E2',
      'The DID document served for the issuer has id ≠ the DID.',
      webCred,
      fail('key-binding', ['ERR_KEY_UNRESOLVABLE'], { path: '/proof/verificationMethod' }),
      {
        trustedIssuers: [INSTITUTE_WEB_DID],
        didDocuments: { [INSTITUTE_WEB_DID]: 'E02-did-web-wrong-id.did.json' },
      },
    )
    add(
      'E02-did-web-not-resolvable-by-default.fail.json',
      'E2',
      'did:web is never fetched by the default resolver (did:key only): fail closed.',
      webCred,
      fail('key-binding', ['ERR_KEY_UNRESOLVABLE'], { path: '/proof/verificationMethod' }),
      { trustedIssuers: [INSTITUTE_WEB_DID] },
    )
    add(
      'E02-did-web-institute.pass.json',
      'E2',
      'Control: the same credential with the correct DID document verifies.',
      webCred,
      { verified: true },
      {
        trustedIssuers: [INSTITUTE_WEB_DID],
        didDocuments: { [INSTITUTE_WEB_DID]: 'E02-did-web-institute.did.json' },
      },
    )
    const base64urlKey = {
      ...good,
      verificationMethod: [
        {
          ...vm,
          publicKeyMultibase:
            'u' + Buffer.from(base58btc.decode(vm.publicKeyMultibase)).toString('base64url'),
        },
      ],
    }
    support(
      'A16-did-web-base64url-key.did.json',
      'did:web:institute.test whose publicKeyMultibase is base64url ("u…") instead of base58btc.',
      base64urlKey,
    )
    add(
      'A16-public-key-wrong-multibase.fail.json',
      'A16',
      'The verification method key uses the "u" (base64url) multibase prefix.',
      webCred,
      fail('key-binding', ['ERR_KEY_INVALID'], { path: '/proof/verificationMethod' }),
      {
        trustedIssuers: [INSTITUTE_WEB_DID],
        didDocuments: { [INSTITUTE_WEB_DID]: 'A16-did-web-base64url-key.did.json' },
      },
    )
    const x25519Key = {
      ...good,
      verificationMethod: [
        {
          ...vm,
          // multicodec x25519-pub (0xec 0x01) + the same 32 bytes
          publicKeyMultibase: base58btc.encode(
            Uint8Array.from([0xec, 0x01, ...base58btc.decode(vm.publicKeyMultibase).slice(2)]),
          ),
        },
      ],
    }
    support(
      'A16-did-web-x25519-key.did.json',
      'did:web:institute.test whose "Ed25519" verification method holds an X25519 multicodec key.',
      x25519Key,
    )
    add(
      'A16-x25519-multicodec-key.fail.json',
      'A16',
      'The verification method key carries the X25519 multicodec header (0xec01).',
      webCred,
      fail('key-binding', ['ERR_KEY_INVALID'], { path: '/proof/verificationMethod' }),
      {
        trustedIssuers: [INSTITUTE_WEB_DID],
        didDocuments: { [INSTITUTE_WEB_DID]: 'A16-did-web-x25519-key.did.json' },
      },
    )
  }
  add(
    'A14-authentication-purpose-on-vc.fail.json',
    'A14',
    'The credential proof was made for authentication, not assertionMethod.',
    await signWith(unsignedCredential(keys, { n: 1 }), institute, {
      purpose: { term: 'authentication', challenge: 'c0ffee', domain: 'attacker.example' },
    }),
    fail('proof', ['ERR_PROOF_PURPOSE'], { path: '/proof/proofPurpose' }),
  )
  {
    const L = (1n << 252n) + 27742317777372353535851937790883648493n
    const sig = base58btc.decode((valid.proof as Json).proofValue as string)
    let s = 0n
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i] ?? 0)
    const s2 = s + L
    const out = Uint8Array.from(sig)
    let v = s2
    for (let i = 0; i < 32; i++) {
      out[32 + i] = Number(v & 0xffn)
      v >>= 8n
    }
    add(
      'A15-signature-s-plus-l.fail.json',
      'A15',
      'The valid signature with S replaced by S + L (malleable form RFC 8032 forbids).',
      edit(valid, (d) => setAt(d, ['proof', 'proofValue'], base58btc.encode(out))),
      fail('proof', ['ERR_PROOF_SIGNATURE_MALLEABLE'], { path: '/proof/proofValue' }),
    )
    add(
      'A15-signature-63-bytes.fail.json',
      'A15',
      'A 63-byte signature.',
      edit(valid, (d) => setAt(d, ['proof', 'proofValue'], base58btc.encode(sig.slice(0, 63)))),
      fail('proof', ['ERR_PROOF_MALFORMED'], { path: '/proof/proofValue' }),
    )
    // Small-order public key: the identity point (y = 1) as a did:key.
    const identity = new Uint8Array(32)
    identity[0] = 1
    const smallDid = `did:key:${base58btc.encode(Uint8Array.from([0xed, 0x01, ...identity]))}`
    const smallVm = `${smallDid}#${smallDid.slice('did:key:'.length)}`
    const small = edit(valid, (d) => {
      setAt(d, ['issuer', 'id'], smallDid)
      setAt(d, ['proof', 'verificationMethod'], smallVm)
    })
    add(
      'A15-small-order-issuer-key.fail.json',
      'A15',
      'An issuer did:key whose Ed25519 key is a small-order point (the identity), trusted by the caller.',
      small,
      fail('key-binding', ['ERR_KEY_INVALID'], { path: '/proof/verificationMethod' }),
      { trustedIssuers: [smallDid] },
    )
    // X25519 did:key as issuer (multicodec 0xec01).
    const xDid = `did:key:${base58btc.encode(
      Uint8Array.from([0xec, 0x01, ...base58btc.decode(institute.publicKeyMultibase).slice(2)]),
    )}`
    const xVm = `${xDid}#${xDid.slice('did:key:'.length)}`
    add(
      'A16-x25519-did-key-issuer.fail.json',
      'A16',
      'The issuer is an X25519 did:key (z6LS…): not a signing key.',
      await signedCredential(keys, { issuerDid: xDid, claimVm: xVm }),
      fail('key-binding', ['ERR_KEY_UNRESOLVABLE'], { path: '/proof/verificationMethod' }),
      { trustedIssuers: [xDid] },
    )
    add(
      'A16-did-key-fragment-mismatch.fail.json',
      'A16',
      "A did:key verification method whose fragment is another key's (did:key:A#B).",
      await signedCredential(keys, {
        claimVm: `${institute.did}#${foreign.did.slice('did:key:'.length)}`,
      }),
      fail('key-binding', ['ERR_KEY_UNRESOLVABLE'], { path: '/proof/verificationMethod' }),
    )
  }
  await addJwtFixtures(
    keys,
    (n, patch) => unsignedCredential(keys, { n, ...(patch === undefined ? {} : { patch }) }),
    add,
    fail,
  )

  // -- B. Parsing, canonicalization, resource exhaustion -------------------------------------
  {
    const n = 10
    const ids = Array.from({ length: n }, (_, i) => `_:p${i}`)
    const clique = ids.map((id) => ({
      id,
      type: ['Profile'],
      parentOrg: ids.filter((o) => o !== id),
    }))
    add(
      'B01-blank-node-clique.fail.json',
      'B1',
      'A poison graph: a clique of 10 blank-node Profiles (parentOrg), exponential for naive RDFC.',
      edit(valid, (d) => setAt(d, ['issuer', 'parentOrg'], clique)),
      fail('proof', ['ERR_JSONLD_CANONIZE_LIMIT']),
    )
    add(
      'B01-too-many-blank-nodes.fail.json',
      'B1',
      '150 evidence objects without ids (blank nodes; the cap is 100, a real credential has ~10).',
      edit(valid, (d) => {
        d.evidence = Array.from({ length: 150 }, (_, i) => ({
          type: ['Evidence'],
          narrative: `item ${i}`,
        }))
      }),
      fail('input', ['ERR_INPUT_TOO_MANY_BLANK_NODES']),
    )
  }
  add(
    'B02-over-byte-limit.fail.json',
    'B2',
    'A normal credential verified with limits.maxBytes 2048.',
    valid,
    fail('input', ['ERR_INPUT_TOO_LARGE']),
    { limits: { maxBytes: 2048 } },
  )
  add(
    'B02-array-too-long.fail.json',
    'B2',
    'achievement.tag with 1,001 items (the cap is 1,000).',
    edit(valid, (d) =>
      setAt(
        d,
        ['credentialSubject', 'achievement', 'tag'],
        Array.from({ length: 1001 }, (_, i) => `t${i}`),
      ),
    ),
    fail('input', ['ERR_INPUT_ARRAY_TOO_LONG'], { path: '/credentialSubject/achievement/tag' }),
  )
  add(
    'B02-string-too-long.fail.json',
    'B2',
    'A 2,000-character narrative verified with limits.maxStringLength 1,000.',
    edit(valid, (d) =>
      setAt(d, ['credentialSubject', 'achievement', 'criteria', 'narrative'], 'x'.repeat(2000)),
    ),
    fail('input', ['ERR_INPUT_STRING_TOO_LONG'], {
      path: '/credentialSubject/achievement/criteria/narrative',
    }),
    { limits: { maxStringLength: 1000 } },
  )
  add(
    'B04-too-many-contexts.fail.json',
    'B4',
    'An @context array of 17 entries (the cap is 16), all pinned URLs.',
    edit(valid, (d) => {
      const c = d['@context'] as string[]
      d['@context'] = [...c, ...Array.from({ length: 14 }, () => c[2] as string)]
    }),
    fail('input', ['ERR_INPUT_TOO_MANY_CONTEXTS'], { path: '/@context' }),
  )
  add(
    'A10-too-many-proofs.fail.json',
    'A10',
    'Nine copies of the valid proof (the cap is 8 proofs).',
    edit(valid, (d) => (d.proof = Array.from({ length: 9 }, () => valid.proof))),
    fail('proof', ['ERR_PROOF_TOO_MANY'], { path: '/proof' }),
  )
  {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 40; i++) deep = { narrative: deep }
    add(
      'B03-deep-nesting.fail.json',
      'B3',
      '40 levels of nested objects (limit 32).',
      edit(valid, (d) => (d.evidence = [deep])),
      fail('input', ['ERR_INPUT_TOO_DEEP']),
    )
  }
  {
    const bomb =
      'u' +
      Buffer.from(gzipSync(new Uint8Array(24 * 1024 * 1024), { level: 9 })).toString('base64url')
    const url = listUrl('b05-bomb')
    support(
      'B05-status-list-gzip-bomb.list.json',
      'A signed status list whose encodedList inflates to 24 MiB (cap 16 MiB).',
      await signWith(unsignedList(keys, url, { encodedList: bomb }), institute),
    )
    add(
      'B05-status-list-gzip-bomb.fail.json',
      'B5',
      'The status list is a gzip bomb (24 MiB of zeros from ~24 KB).',
      await signedCredential(keys, { status: statusEntry(url, '7') }),
      fail('status', ['ERR_STATUS_LIST_TOO_LARGE'], {
        path: '/credentialStatus/statusListCredential',
      }),
      { status: { lists: { [url]: 'B05-status-list-gzip-bomb.list.json' } } },
    )
    const url2 = listUrl('b05-no-prefix')
    support(
      'B05-status-list-no-multibase-prefix.list.json',
      'A signed BitstringStatusList whose encodedList lacks the "u" multibase prefix.',
      await signWith(
        unsignedList(keys, url2, {
          encodedList: encodeStatusList(createBitstring()).slice(1),
        }),
        institute,
      ),
    )
    add(
      'B05-status-list-no-multibase-prefix.fail.json',
      'B5',
      'The status list encodedList has no "u" prefix.',
      await signedCredential(keys, { status: statusEntry(url2, '7') }),
      fail('status', ['ERR_STATUS_LIST_INVALID'], {
        path: '/credentialStatus/statusListCredential',
      }),
      { status: { lists: { [url2]: 'B05-status-list-no-multibase-prefix.list.json' } } },
    )
  }
  {
    const raw = JSON.stringify(valid, null, 2).replace(
      '"credentialSubject": {',
      '"credentialSubject": {\n    "__proto__": { "polluted": true },',
    )
    add(
      'B06-proto-key.fail.txt',
      'B6',
      'A "__proto__" key inside credentialSubject (JSON text).',
      raw + '\n',
      fail('input', ['ERR_INPUT_FORBIDDEN_KEY'], { path: '/credentialSubject/__proto__' }),
      {},
      'text',
    )
    add(
      'B06-constructor-key.fail.json',
      'B6',
      'A "constructor" key inside the achievement.',
      edit(valid, (d) =>
        setAt(d, ['credentialSubject', 'achievement', 'constructor'], { prototype: { x: 1 } }),
      ),
      fail('input', ['ERR_INPUT_FORBIDDEN_KEY'], {
        path: '/credentialSubject/achievement/constructor',
      }),
    )
    add(
      'B06-proto-id-value.fail.json',
      'B6',
      'An evidence node whose id is "__proto__" (jsonld.flatten pollution vector).',
      edit(valid, (d) => (d.evidence = [{ id: '__proto__', type: ['Evidence'], narrative: 'x' }])),
      fail('input', ['ERR_INPUT_FORBIDDEN_ID'], { path: '/evidence/0/id' }),
    )
    const dup = JSON.stringify(valid, null, 2).replace(
      '"name": "Ada Lovelace"',
      '"name": "Ada Lovelace",\n    "name": "Mallory"',
    )
    add(
      'B07-duplicate-key.fail.txt',
      'B7',
      'credentialSubject.name appears twice (JSON.parse keeps the last).',
      dup + '\n',
      fail('input', ['ERR_INPUT_DUPLICATE_KEY'], { path: '/credentialSubject/name' }),
      {},
      'text',
    )
    const bytes = Buffer.from(JSON.stringify(valid), 'utf8')
    const at = bytes.indexOf(Buffer.from('Ada Lovelace'))
    const bad = Buffer.concat([
      bytes.subarray(0, at),
      Buffer.from([0xc3, 0x28]),
      bytes.subarray(at + 2),
    ])
    add(
      'B08-invalid-utf8.fail.bin',
      'B8',
      'Bytes that are not UTF-8 (0xC3 0x28) inside a string.',
      new Uint8Array(bad),
      fail('input', ['ERR_INPUT_INVALID_UNICODE']),
      {},
      'bytes',
    )
    add(
      'B08-lone-surrogate.fail.txt',
      'B8',
      'credentialSubject.name holds a lone surrogate escape (\\ud800).',
      JSON.stringify(valid, null, 2).replace('"Ada Lovelace"', '"Ada \\ud800 Lovelace"') + '\n',
      fail('input', ['ERR_INPUT_INVALID_UNICODE']),
      {},
      'text',
    )
    const nfc = await signedCredential(keys, {
      patch: (c) => setAt(c, ['credentialSubject', 'name'], 'Ren\u00e9e Dupr\u00e9'),
    })
    add(
      'B08-nfc-signed-nfd-presented.fail.json',
      'B8',
      'Signed with the NFC name "Renée", presented in NFD: the verifier never normalizes.',
      edit(nfc, (d) =>
        setAt(d, ['credentialSubject', 'name'], 'Ren\u00e9e Dupr\u00e9'.normalize('NFD')),
      ),
      invalidSig(),
    )
  }
  add(
    'B09-issuer-array.fail.json',
    'B9',
    'issuer is an array of two profiles.',
    edit(valid, (d) => (d.issuer = [d.issuer, { id: foreign.did, type: ['Profile'] }])),
    fail('structure', ['ERR_STRUCTURE_INVALID'], { path: '/issuer' }),
  )
  add(
    'B09-subject-array.fail.json',
    'B9',
    'credentialSubject is an array (wallets show only the first).',
    edit(valid, (d) => (d.credentialSubject = [d.credentialSubject, d.credentialSubject])),
    fail('structure', ['ERR_STRUCTURE_NOT_OPEN_BADGE'], { path: '/credentialSubject' }),
  )
  add(
    'B09-achievement-array.fail.json',
    'B9',
    'credentialSubject.achievement is an array.',
    edit(valid, (d) => {
      const a = getAt(d, ['credentialSubject', 'achievement'])
      setAt(d, ['credentialSubject', 'achievement'], [a, a])
    }),
    fail('structure', ['ERR_STRUCTURE_NOT_OPEN_BADGE'], { path: '/credentialSubject/achievement' }),
  )
  add(
    'B09-type-string.fail.json',
    'B9',
    'type is the string "OpenBadgeCredential" (not an array, and no VerifiableCredential).',
    edit(valid, (d) => (d.type = 'OpenBadgeCredential')),
    fail('structure', ['ERR_STRUCTURE_INVALID'], { path: '/type' }),
  )
  add(
    'B09-valid-from-number.fail.json',
    'B9',
    'validFrom is a number.',
    edit(valid, (d) => (d.validFrom = 1793577600)),
    fail('structure', ['ERR_STRUCTURE_DATE_INVALID'], { path: '/validFrom' }),
  )

  // -- C. Time -------------------------------------------------------------------------------
  add(
    'C01-expired-vc2.fail.json',
    'C1',
    'validUntil 2026-11-15 (signed): expired at NOW, signature still valid.',
    await signedCredential(keys, { patch: (c) => (c.validUntil = '2026-11-15T00:00:00Z') }),
    fail('validity', ['ERR_VALIDITY_EXPIRED'], {
      path: '/validUntil',
      passed: ['proof', 'key-binding'],
    }),
  )
  add(
    'C01-expired-vc11.fail.json',
    'C1',
    'VC 1.1 expirationDate 2026-11-15 (signed).',
    await signedCredential(keys, {
      format: 'vc1.1',
      patch: (c) => (c.expirationDate = '2026-11-15T00:00:00Z'),
    }),
    fail('validity', ['ERR_VALIDITY_EXPIRED'], {
      path: '/expirationDate',
      passed: ['proof', 'key-binding'],
    }),
  )
  add(
    'C02-not-yet-valid.fail.json',
    'C2',
    'validFrom 2026-12-01 (signed): not valid yet at NOW.',
    await signedCredential(keys, { patch: (c) => (c.validFrom = '2026-12-01T00:00:00Z') }),
    fail('validity', ['ERR_VALIDITY_NOT_YET_VALID'], { path: '/validFrom', passed: ['proof'] }),
  )
  add(
    'C02-within-clock-skew.pass.json',
    'C2',
    'validFrom two minutes after NOW: inside the 300 s skew.',
    await signedCredential(keys, { patch: (c) => (c.validFrom = '2026-11-29T12:02:00Z') }),
    { verified: true },
  )
  add(
    'C02-beyond-clock-skew.fail.json',
    'C2',
    'validFrom six minutes after NOW: beyond the 300 s skew.',
    await signedCredential(keys, { patch: (c) => (c.validFrom = '2026-11-29T12:06:00Z') }),
    fail('validity', ['ERR_VALIDITY_NOT_YET_VALID'], { path: '/validFrom' }),
  )
  for (const [name, value, what] of [
    ['no-timezone', '2026-11-01T00:00:00', 'no time zone'],
    ['lowercase-t-z', '2026-11-01t00:00:00z', 'lowercase t and z'],
    ['space-separator', '2026-11-01 00:00:00Z', 'a space instead of T'],
    ['hour-24', '2026-11-01T24:00:00Z', '24:00:00'],
    ['minute-73', '2026-11-01T19:73:24Z', 'minute 73'],
    ['five-digit-year', '12026-11-01T00:00:00Z', 'a five-digit year'],
  ] as const) {
    add(
      `C03-date-${name}.fail.json`,
      'C3',
      `validFrom with ${what}.`,
      await signedCredential(keys, { patch: (c) => (c.validFrom = value) }),
      fail('structure', ['ERR_STRUCTURE_DATE_INVALID'], { path: '/validFrom' }),
    )
  }
  add(
    'C03-v1-date-names-under-v2.fail.json',
    'C3',
    'VC 2.0 context with the VC 1.1 issuanceDate as well.',
    edit(valid, (d) => (d.issuanceDate = ISSUED)),
    fail('structure', ['ERR_STRUCTURE_INVALID'], { path: '/issuanceDate' }),
  )
  add(
    'C04-proof-created-in-future.fail.json',
    'C4',
    'The proof says it was created on 2027-06-01, after NOW (beyond any skew).',
    await signedCredential(keys, { created: '2027-06-01T00:00:00Z' }),
    fail('proof', ['ERR_PROOF_CREATED_INVALID'], { path: '/proof/created' }),
  )
  add(
    'C04-proof-created-after-valid-until.fail.json',
    'C4',
    'The proof was created after the credential had expired (signed later, back-dated validity).',
    await signedCredential(keys, {
      created: '2026-11-25T00:00:00Z',
      patch: (c) => (c.validUntil = '2026-11-20T00:00:00Z'),
    }),
    // The signature holds; the dates do not: a validity finding, beside the expiry itself.
    fail('validity', ['ERR_PROOF_CREATED_INVALID', 'ERR_VALIDITY_EXPIRED'], {
      path: '/proof/created',
      passed: ['proof', 'key-binding'],
    }),
  )
  add(
    'C04-proof-created-before-valid-from.pass.json',
    'C4',
    'Signed a year before validFrom and verified after it: accepted on purpose. The issuer pre-issues credentials with a future validFrom (created = issuing time), so docs/attacks.md C4\'s "created ≥ validFrom − skew" would refuse its own credentials (decision of the verifier, 16:25 UTC; before validFrom the credential fails validity anyway).',
    await signedCredential(keys, {
      created: '2025-06-01T00:00:00Z',
      patch: (c) => (c.validFrom = '2026-06-01T00:00:00Z'),
    }),
    { verified: true },
  )

  const proofExpired = await signedCredential(keys, { n: 1801, expires: '2026-11-29T11:00:00Z' })
  add(
    'C05-proof-expired.fail.json',
    'C5',
    'The proof expires at 2026-11-29T11:00Z, an hour before NOW; the credential itself is still valid.',
    proofExpired,
    fail('proof', ['ERR_PROOF_EXPIRED'], { path: '/proof/expires' }),
  )
  add(
    'C05-proof-expires-within-clock-skew.pass.json',
    'C5',
    'The proof expired two minutes before NOW: inside the 300 s skew.',
    await signedCredential(keys, { n: 1802, expires: '2026-11-29T11:58:00Z' }),
    { verified: true },
  )
  add(
    'C05-proof-expires-moved.fail.json',
    'C5',
    "The expired proof's expires moved a year later after signing: expires is signed.",
    edit(proofExpired, (d) => setAt(d, ['proof', 'expires'], '2027-11-29T11:00:00Z')),
    fail('proof', ['ERR_PROOF_INVALID'], { path: '/proof/proofValue' }),
  )

  // -- D. Status -----------------------------------------------------------------------------
  const lists: Record<string, string> = {}
  const list = async (
    name: string,
    description: string,
    o: ListOptions & { signer?: IssuerKey; unsigned?: boolean; after?: (d: Json) => void } = {},
  ) => {
    const url = listUrl(name)
    const unsigned = unsignedList(keys, url, o)
    let doc = o.unsigned === true ? unsigned : await signWith(unsigned, o.signer ?? institute)
    if (o.after !== undefined) doc = edit(doc, o.after)
    const file = `D-status-list-${name}.list.json`
    support(file, description, doc)
    lists[url] = file
    return url
  }
  const ok = await list('revocation-clear', 'Signed revocation list, no bit set.')
  const revoked = await list('revocation-4242', 'Signed revocation list with index 4242 set.', {
    set: [4242],
  })
  const suspended = await list('suspension-4242', 'Signed suspension list with index 4242 set.', {
    purpose: 'suspension',
    set: [4242],
  })
  const suspensionClear = await list('suspension-clear', 'Signed suspension list, no bit set.', {
    purpose: 'suspension',
  })
  const unsignedUrl = await list('unsigned', 'A revocation list without a proof.', {
    unsigned: true,
  })
  const tampered = await list(
    'tampered',
    'A signed list whose encodedList was replaced after signing (bit 4242 cleared → all clear).',
    {
      set: [4242],
      after: (d) =>
        setAt(d, ['credentialSubject', 'encodedList'], encodeStatusList(createBitstring())),
    },
  )
  const wrongType = await list(
    'wrong-type',
    'A signed credential at the list URL that is not a BitstringStatusListCredential.',
    {
      patch: (d) => (d.type = ['VerifiableCredential']),
    },
  )
  const foreignList = await list(
    'foreign-issuer',
    'A list issued and signed by the foreign issuer.',
    {
      issuerDid: foreign.did,
      signer: foreign,
    },
  )
  const foreignSigned = await list(
    'foreign-signed',
    'A list naming the Institute as issuer, signed by the foreign key.',
    {
      signer: foreign,
    },
  )
  const expiredList = await list('expired', 'A signed list whose validUntil is 2026-11-20.', {
    validFrom: '2026-10-20T00:00:00Z',
    validUntil: '2026-11-20T00:00:00Z',
  })
  const shortList = await list('short', 'A signed list of 1,000 entries (minimum 131,072).', {
    entries: 1000,
  })
  const cred = (entry: unknown) => signedCredential(keys, { status: entry })
  const withLists = { status: { lists } }
  const statusFail = (code: string, path = '/credentialStatus') =>
    fail('status', [code], { path, passed: ['proof', 'key-binding', 'issuer-trust'] })

  add(
    'D01-revoked.fail.json',
    'D1',
    'The revocation bit of index 4242 is set.',
    await cred(statusEntry(revoked, '4242')),
    statusFail('ERR_STATUS_REVOKED'),
    withLists,
  )
  add(
    'D01-suspended.fail.json',
    'D1',
    'The suspension bit of index 4242 is set.',
    await cred(statusEntry(suspended, '4242', 'suspension')),
    statusFail('ERR_STATUS_SUSPENDED'),
    withLists,
  )
  add(
    'D02-revocation-bit-clear.pass.json',
    'D2',
    'The list verifies and the bit is clear: decide on the bit, not on the list verifying.',
    await cred(statusEntry(revoked, '4243')),
    { verified: true },
    withLists,
  )
  add(
    'D02-list-verifies-bit-set.fail.json',
    'D2',
    'The list verifies (its proof is fine) and the bit is set: still revoked.',
    await cred(statusEntry(revoked, '4242')),
    statusFail('ERR_STATUS_REVOKED'),
    withLists,
  )
  const edtech = 'https://purl.imsglobal.org/spec/vcrl/v1p0/1EdTechRevocationList'
  add(
    'D03-unsupported-status-type.fail.json',
    'D3',
    'A signed 1EdTechRevocationList entry (type as an absolute IRI): unknown types fail closed.',
    await cred({ id: `${ok}#1`, type: edtech }),
    statusFail('ERR_STATUS_UNSUPPORTED', '/credentialStatus/type'),
    withLists,
  )
  add(
    'D03-second-entry-unsupported.fail.json',
    'D3',
    'A good entry first and an unsupported one second: every entry is checked.',
    await cred([statusEntry(ok, '1'), { id: `${ok}#2`, type: edtech }]),
    statusFail('ERR_STATUS_UNSUPPORTED', '/credentialStatus/1/type'),
    withLists,
  )
  add(
    'D03-undefined-status-type.fail.json',
    'D3',
    'An entry type no pinned context defines ("1EdTechRevocationList"): refused before any status work.',
    edit(await cred(statusEntry(ok, '1')), (d) =>
      setAt(d, ['credentialStatus', 'type'], '1EdTechRevocationList'),
    ),
    fail('contexts', ['ERR_JSONLD_UNDEFINED_TERM'], { noStatusFetch: true }),
    withLists,
  )
  add(
    'D04-unsigned-list.fail.json',
    'D4',
    'The status list has no proof.',
    await cred(statusEntry(unsignedUrl, '1')),
    statusFail('ERR_STATUS_LIST_INVALID', '/credentialStatus/statusListCredential'),
    withLists,
  )
  add(
    'D04-tampered-list.fail.json',
    'D4',
    'The status list was edited after signing (a revoked bit cleared).',
    await cred(statusEntry(tampered, '4242')),
    statusFail('ERR_STATUS_LIST_INVALID', '/credentialStatus/statusListCredential'),
    withLists,
  )
  add(
    'D04-not-a-status-list.fail.json',
    'D4',
    'The document at the list URL is not a BitstringStatusListCredential.',
    await cred(statusEntry(wrongType, '1')),
    statusFail('ERR_STATUS_LIST_INVALID', '/credentialStatus/statusListCredential'),
    withLists,
  )
  add(
    'D05-list-from-foreign-issuer.fail.json',
    'D5',
    'The list is issued and signed by another issuer.',
    await cred(statusEntry(foreignList, '1')),
    statusFail('ERR_STATUS_LIST_ISSUER_MISMATCH', '/credentialStatus/statusListCredential'),
    withLists,
  )
  add(
    'D05-list-signed-by-foreign-key.fail.json',
    'D5',
    "The list names the Institute as issuer but is signed with another issuer's key.",
    await cred(statusEntry(foreignSigned, '1')),
    statusFail('ERR_STATUS_LIST_ISSUER_MISMATCH', '/credentialStatus/statusListCredential'),
    withLists,
  )
  add(
    'D06-expired-list.fail.json',
    'D6',
    'The list expired (validUntil 2026-11-20).',
    await cred(statusEntry(expiredList, '1')),
    statusFail('ERR_STATUS_LIST_EXPIRED', '/credentialStatus/statusListCredential'),
    withLists,
  )
  add(
    'D06-unreachable-list.fail.json',
    'D6',
    'The list cannot be obtained: status unknown, never "not revoked".',
    await cred(statusEntry(listUrl('missing'), '1')),
    statusFail('ERR_STATUS_UNKNOWN', '/credentialStatus/statusListCredential'),
    withLists,
  )
  add(
    'D07-purpose-mismatch.fail.json',
    'D7',
    'The entry says revocation, the list says suspension.',
    await cred(statusEntry(suspensionClear, '1')),
    statusFail('ERR_STATUS_PURPOSE_MISMATCH', '/credentialStatus/statusPurpose'),
    withLists,
  )
  add(
    'D07-unknown-purpose.fail.json',
    'D7',
    'statusPurpose "refresh".',
    await cred(statusEntry(ok, '1', 'refresh')),
    statusFail('ERR_STATUS_UNSUPPORTED', '/credentialStatus/statusPurpose'),
    withLists,
  )
  add(
    'D07-status-size-2-without-messages.fail.json',
    'D7',
    'statusSize 2 without statusMessage.',
    await cred(statusEntry(ok, '1', 'revocation', { statusSize: 2 })),
    statusFail('ERR_STATUS_ENTRY_INVALID', '/credentialStatus/statusMessage'),
    withLists,
  )
  for (const [name, index] of [
    ['trailing-letters', '12abc'],
    ['exponent', '1e3'],
    ['leading-space', ' 7'],
    ['plus-sign', '+7'],
    ['leading-zeros', '007'],
    ['negative', '-1'],
    ['fraction', '3.5'],
    ['beyond-2-53', '9007199254740993'],
    ['number-not-string', 7],
  ] as const) {
    add(
      `D08-index-${name}.fail.json`,
      'D8',
      `statusListIndex ${JSON.stringify(index)}.`,
      await cred(statusEntry(ok, index)),
      statusFail('ERR_STATUS_ENTRY_INVALID', '/credentialStatus/statusListIndex'),
      withLists,
    )
  }
  add(
    'D08-index-out-of-range.fail.json',
    'D8',
    'statusListIndex "131072" on a 131,072-entry list.',
    await cred(statusEntry(ok, '131072')),
    statusFail('ERR_STATUS_INDEX_OUT_OF_RANGE', '/credentialStatus/statusListIndex'),
    withLists,
  )
  add(
    'D09-self-referencing-entry.fail.json',
    'D9',
    'credentialStatus.id equals statusListCredential.',
    await cred({ ...statusEntry(ok, '1'), id: ok }),
    statusFail('ERR_STATUS_ENTRY_INVALID', '/credentialStatus/id'),
    withLists,
  )
  add(
    'D10-tampered-credential-status-not-fetched.fail.json',
    'D10',
    'A tampered credential with a status entry: the proof fails and the list is never fetched.',
    edit(await cred(statusEntry(revoked, '4242')), (d) =>
      setAt(d, ['credentialSubject', 'name'], 'Mallory'),
    ),
    fail('proof', ['ERR_PROOF_INVALID'], { noStatusFetch: true }),
    withLists,
  )
  add(
    'D10-untrusted-issuer-status-not-fetched.fail.json',
    'D10',
    'A foreign self-issued credential with a status URL: untrusted, so the list is never fetched.',
    await signedCredential(keys, { issuer: foreign, status: statusEntry(foreignList, '1') }),
    fail('issuer-trust', ['ERR_ISSUER_UNTRUSTED'], { noStatusFetch: true }),
    withLists,
  )
  add(
    'D11-short-list.fail.json',
    'D11',
    'The list has 1,000 entries (< 131,072: correlation).',
    await cred(statusEntry(shortList, '1')),
    statusFail('ERR_STATUS_LIST_TOO_SHORT', '/credentialStatus/statusListCredential'),
    withLists,
  )
  add(
    'D13-revocation-and-suspension-suspended.fail.json',
    'D13',
    'Two entries (revocation clear, suspension set): both are checked.',
    await cred([statusEntry(ok, '4242'), statusEntry(suspended, '4242', 'suspension')]),
    statusFail('ERR_STATUS_SUSPENDED', '/credentialStatus/1'),
    withLists,
  )
  add(
    'D13-revocation-and-suspension-clear.pass.json',
    'D13',
    'Two entries, both clear: verifies.',
    await cred([statusEntry(ok, '4242'), statusEntry(suspensionClear, '4242', 'suspension')]),
    { verified: true },
    withLists,
  )
  add(
    'D13-too-many-entries.fail.json',
    'D13',
    'Nine status entries (at most 8).',
    await cred(Array.from({ length: 9 }, (_, i) => statusEntry(ok, String(i)))),
    statusFail('ERR_STATUS_ENTRY_INVALID', '/credentialStatus'),
    withLists,
  )

  {
    // Its own list, so that the other fixtures' options do not change.
    const url = listUrl('proof-expired')
    const file = 'D-status-list-proof-expired.list.json'
    support(
      file,
      'A signed revocation list whose proof expired at 2026-11-29T06:00Z (its validUntil is later).',
      await signWith(unsignedList(keys, url), institute, {
        created: '2026-11-29T00:00:00Z',
        expires: '2026-11-29T06:00:00Z',
      }),
    )
    add(
      'C05-status-list-proof-expired.fail.json',
      'C5',
      'The status list is signed, but its proof is past its expires: the status is unknown, never "not revoked".',
      await signedCredential(keys, { n: 1803, status: statusEntry(url, '7') }),
      statusFail('ERR_STATUS_LIST_INVALID', '/credentialStatus/statusListCredential'),
      { status: { lists: { [url]: file } } },
    )
  }

  // -- E. Network ----------------------------------------------------------------------------
  add(
    'E01-status-url-metadata-host.fail.json',
    'E1',
    'statusListCredential on a host that resolves to 169.254.169.254 (cloud metadata); verified with the hardened fetcher.',
    await cred(statusEntry('https://metadata.attacker.example/latest/meta-data', '1')),
    statusFail('ERR_STATUS_UNKNOWN', '/credentialStatus/statusListCredential'),
    { status: { lists: {} } },
  )

  // -- G. Semantics and trust ----------------------------------------------------------------
  add(
    'G01-foreign-self-issued-caae.fail.json',
    'G1',
    "A foreign did:key self-issues a CAAE copying the Institute's name, url and image.",
    await signedCredential(keys, { program: 'CAAE', issuer: foreign }),
    fail('issuer-trust', ['ERR_ISSUER_UNTRUSTED'], {
      path: '/issuer',
      passed: ['proof', 'key-binding'],
    }),
  )
  add(
    'G02-caae-text-aida-achievement-id.fail.json',
    'G2',
    "Signed by the Institute: CAAE name and texts, AIDA's achievement id.",
    await signedCredential(keys, {
      program: 'CAAE',
      patch: (c) =>
        setAt(c, ['credentialSubject', 'achievement', 'id'], CATALOG.programs.AIDA.achievementId),
    }),
    fail('program', ['ERR_PROGRAM_MISMATCH'], { passed: ['proof', 'issuer-trust'] }),
  )
  add(
    'G02-foreign-achievement-id.fail.json',
    'G2',
    'Signed by the Institute, but the achievement id is not one of the catalog\'s ("Coffee Stop").',
    await signedCredential(keys, {
      patch: (c) =>
        setAt(
          c,
          ['credentialSubject', 'achievement', 'id'],
          'https://coffee.example/badges/coffee-stop',
        ),
    }),
    fail('program', ['ERR_PROGRAM_UNKNOWN'], { path: '/credentialSubject/achievement/id' }),
  )
  add(
    'G02-foreign-issuer-reuses-achievement-id.fail.json',
    'G2',
    "A foreign issuer reuses the Institute's AIDA achievement id.",
    await signedCredential(keys, { issuer: foreign }),
    fail('issuer-trust', ['ERR_ISSUER_UNTRUSTED'], { path: '/issuer' }),
  )
  add(
    'G05-foreign-script-and-javascript-url.fail.json',
    'G5',
    'A foreign credential with a <script> narrative and a javascript: issuer url.',
    await signedCredential(keys, {
      issuer: foreign,
      patch: (c) => {
        setAt(
          c,
          ['credentialSubject', 'achievement', 'criteria', 'narrative'],
          '<script>alert(1)</script>[x](javascript:alert(1))',
        )
        setAt(c, ['issuer', 'url'], 'javascript:alert(1)')
      },
    }),
    fail('issuer-trust', ['ERR_ISSUER_UNTRUSTED'], { path: '/issuer' }),
  )

  // -- F. Presentations ---------------------------------------------------------------------------
  {
    const CHALLENGE = 'attack-fixture-challenge-0001'
    const DOMAIN = 'employer.example'
    const vpOptions = (o: Partial<NonNullable<FixtureOptions['presentation']>> = {}) => ({
      presentation: { challenge: CHALLENGE, domain: DOMAIN, ...o },
    })
    const vp = async (
      credentials: Json[],
      o: { holder?: string; signer?: IssuerKey; challenge?: string; domain?: string } = {},
    ) =>
      signPresentation(
        createPresentation({
          holder: o.holder ?? learner.did,
          verifiableCredential: credentials,
          id: 'urn:uuid:00000000-0000-4000-9000-000000000001',
        }),
        {
          signer: (o.signer ?? learner).signer(),
          challenge: o.challenge ?? CHALLENGE,
          ...(o.domain === undefined
            ? { domain: DOMAIN }
            : o.domain === ''
              ? {}
              : { domain: o.domain }),
          date: NOW,
        },
      )
    const good = await vp([valid])
    add(
      'F00-valid-presentation.pass.json',
      'F1',
      'Control: the learner presents their credential for the expected challenge and domain.',
      good,
      { verified: true },
      vpOptions(),
    )
    add(
      'F01-challenge-mismatch.fail.json',
      'F1',
      "A presentation made for another session's challenge.",
      await vp([valid], { challenge: 'some-other-session' }),
      fail('challenge', ['ERR_CHALLENGE_MISMATCH']),
      vpOptions(),
    )
    add(
      'F01-challenge-removed.fail.json',
      'F1',
      'The challenge deleted from the presentation proof.',
      edit(good, (d) => deleteAt(d, ['proof', 'challenge'])),
      fail('challenge', ['ERR_CHALLENGE_MISSING']),
      vpOptions(),
    )
    add(
      'F02-domain-mismatch.fail.json',
      'F2',
      'A presentation made for another site (domain attacker.example).',
      await vp([valid], { domain: 'attacker.example' }),
      fail('domain', ['ERR_DOMAIN_MISMATCH']),
      vpOptions(),
    )
    add(
      'F02-domain-missing.fail.json',
      'F2',
      'A presentation proof without a domain, verified by a verifier that expects one.',
      await vp([valid], { domain: '' }),
      fail('domain', ['ERR_DOMAIN_MISSING']),
      vpOptions(),
    )
    const otherSubject = await signedCredential(keys, {
      patch: (c) => setAt(c, ['credentialSubject', 'id'], foreign.did),
    })
    add(
      'F03-subject-is-not-holder.fail.json',
      'F3',
      'The learner presents a credential issued to someone else.',
      await vp([otherSubject]),
      fail('subject-binding', ['ERR_HOLDER_SUBJECT_MISMATCH']),
      vpOptions(),
    )
    const foreignSignedVp = await signWith(
      createPresentation({ holder: learner.did, verifiableCredential: [valid] }),
      foreign,
      { created: NOW, purpose: { term: 'authentication', challenge: CHALLENGE, domain: DOMAIN } },
    )
    add(
      'F03-holder-key-not-holders.fail.json',
      'F3',
      "holder is the learner's DID, but the presentation is signed with another key.",
      foreignSignedVp,
      fail('holder-binding', ['ERR_HOLDER_KEY_MISMATCH']),
      vpOptions(),
    )
    add(
      'F04-unsigned-presentation.fail.json',
      'F4',
      'A presentation without a proof (only for "share this file" flows, never as holder proof).',
      edit(good, (d) => delete d.proof),
      fail('proof', ['ERR_PRESENTATION_UNSIGNED']),
      vpOptions(),
    )
    add(
      'F05-valid-and-tampered-credential.fail.json',
      'F5',
      'A valid presentation carrying one valid and one tampered credential.',
      await vp([
        valid,
        edit(valid, (d) =>
          setAt(d, ['credentialSubject', 'achievement', 'id'], CATALOG.programs.CAAE.achievementId),
        ),
      ]),
      fail('credentials', ['ERR_PRESENTATION_CREDENTIAL_INVALID'], {
        passed: ['proof', 'holder-binding', 'challenge', 'domain'],
      }),
      vpOptions(),
    )
    add(
      'F05-tampered-presentation-valid-credential.fail.json',
      'F5',
      'A valid credential inside a presentation whose own proof no longer verifies: the presentation proof is checked first and the credentials are not vouched for.',
      edit(good, (d) => (d.id = 'urn:uuid:00000000-0000-4000-9000-000000000002')),
      fail('proof', ['ERR_PROOF_INVALID'], { skipped: ['credentials'] }),
      vpOptions(),
    )
    add(
      'F05-expired-credential.fail.json',
      'F5',
      'A valid presentation cannot upgrade an expired credential.',
      await vp([
        await signedCredential(keys, { patch: (c) => (c.validUntil = '2026-11-15T00:00:00Z') }),
      ]),
      fail('credentials', ['ERR_PRESENTATION_CREDENTIAL_INVALID']),
      vpOptions(),
    )
    const vmWeb = {
      id: instituteWeb.verificationMethodId,
      type: 'Multikey',
      controller: INSTITUTE_WEB_DID,
      publicKeyMultibase: instituteWeb.publicKeyMultibase,
    }
    support(
      'F06-did-web-assertion-only.did.json',
      'did:web:institute.test whose key is listed only under assertionMethod.',
      {
        '@context': [CONTEXT_URLS.didV1, CONTEXT_URLS.multikeyV1],
        id: INSTITUTE_WEB_DID,
        verificationMethod: [vmWeb],
        assertionMethod: [vmWeb.id],
      },
    )
    const webSubject = await signedCredential(keys, {
      patch: (c) => setAt(c, ['credentialSubject', 'id'], INSTITUTE_WEB_DID),
    })
    add(
      'F06-presentation-key-assertion-only.fail.json',
      'F6',
      "The presentation is signed with a key listed only under the holder's assertionMethod.",
      await vp([webSubject], { holder: INSTITUTE_WEB_DID, signer: instituteWeb }),
      fail('proof', ['ERR_PRESENTATION_KEY_NOT_AUTHORIZED']),
      {
        ...vpOptions(),
        didDocuments: { [INSTITUTE_WEB_DID]: 'F06-did-web-assertion-only.did.json' },
      },
    )
    const assertionVp = await signDocument(
      createPresentation({ holder: learner.did, verifiableCredential: [valid] }) as unknown as Json,
      {
        suite: createSuite('eddsa-rdfc-2022', { signer: learner.signer(), date: NOW }),
        documentLoader: loader,
      },
    )
    add(
      'A14-assertion-purpose-on-presentation.fail.json',
      'A14',
      'A presentation whose proof is for assertionMethod, not authentication.',
      assertionVp,
      fail('proof', ['ERR_PRESENTATION_PURPOSE']),
      vpOptions(),
    )

    // Proof lifetimes and the presentation doors.
    const holderProof = (o: SignOptions) =>
      signWith(
        createPresentation({
          holder: learner.did,
          verifiableCredential: [valid],
          id: 'urn:uuid:00000000-0000-4000-9000-000000000001',
        }),
        learner,
        o,
      )
    add(
      'C05-presentation-proof-expired.fail.json',
      'C5',
      'A holder proof for the expected challenge and domain, created two hours before NOW, that expired an hour before NOW.',
      await holderProof({
        created: '2026-11-29T10:00:00Z',
        expires: '2026-11-29T11:00:00Z',
        purpose: { term: 'authentication', challenge: CHALLENGE, domain: DOMAIN },
      }),
      fail('proof', ['ERR_PROOF_EXPIRED'], { path: '/proof/expires', skipped: ['credentials'] }),
      vpOptions(),
    )
    add(
      'A18-presentation-proof-listed-twice.pass.json',
      'A18',
      "The holder's proof and an identical copy of it: holder-proven once, the copy noted.",
      edit(good, (d) => (d.proof = [good.proof, clone(good.proof)])),
      { verified: true, warnings: ['ERR_PROOF_DUPLICATE'] },
      vpOptions(),
    )
    // "Share this file": nothing is demanded that only a proof could answer.
    const shareFile = {
      domain: null,
      unsignedPresentation: 'allow',
      holderBinding: 'if-present',
    } as const
    const unsignedWith = (credential: Json) =>
      createPresentation({
        holder: learner.did,
        verifiableCredential: [credential],
        id: 'urn:uuid:00000000-0000-4000-9000-000000000003',
      })
    const refusedInside = fail(
      'credentials',
      ['ERR_PRESENTATION_CREDENTIAL_INVALID', 'ERR_ISSUER_UNTRUSTED'],
      { path: '/verifiableCredential/0' },
    )
    add(
      'F07-unsigned-carrying-self-issued-caae.fail.json',
      'F7',
      'An unsigned presentation carrying a CAAE the learner signed about themself: refused as it is on its own (ERR_ISSUER_UNTRUSTED).',
      unsignedWith(await signedCredential(keys, { n: 1804, program: 'CAAE', issuer: learner })),
      refusedInside,
      { presentation: shareFile },
    )
    add(
      'F07-unsigned-carrying-foreign-caae.fail.json',
      'F7',
      'An unsigned presentation carrying a CAAE about the learner from an untrusted third party.',
      unsignedWith(await signedCredential(keys, { n: 1805, program: 'CAAE', issuer: foreign })),
      refusedInside,
      { presentation: shareFile },
    )
    add(
      'F07-unsigned-carrying-institute-caae.pass.json',
      'F7',
      "Control: the same unsigned presentation carrying the Institute's CAAE verifies (the holder is not proven).",
      unsignedWith(await signedCredential(keys, { n: 1806, program: 'CAAE' })),
      { verified: true },
      { presentation: shareFile },
    )
    const unsignedDemand = fail('proof', ['ERR_PRESENTATION_UNSIGNED'], {
      path: '/proof',
      skipped: ['credentials'],
    })
    add(
      'F08-unsigned-challenge-demanded.fail.json',
      'F8',
      'An unsigned presentation where the verifier demands a challenge: only a proof answers one.',
      unsignedWith(valid),
      unsignedDemand,
      { presentation: { ...shareFile, challenge: CHALLENGE } },
    )
    add(
      'F08-unsigned-domain-demanded.fail.json',
      'F8',
      'An unsigned presentation where the verifier demands a domain: only a proof is bound to one.',
      unsignedWith(valid),
      unsignedDemand,
      { presentation: { ...shareFile, domain: DOMAIN } },
    )
    const programs = ['AIDA', 'CAAE', 'AIMA'] as const
    const heavy: Json[] = []
    for (let i = 0; i <= MAX_PRESENTATION_CREDENTIALS; i++) {
      heavy.push(
        await signedCredential(keys, {
          n: 1810 + i,
          program: programs[i % programs.length] ?? 'AIDA',
          email: `ada.${i}@example.com`,
        }),
      )
    }
    add(
      'F09-32-credentials.pass.json',
      'F9',
      'The documented maximum: 32 Institute credentials (AIDA, CAAE, AIMA; each recipient with a DID and a hashed email, the most objects without an id an Institute credential has) in one signed presentation.',
      await vp(heavy.slice(0, MAX_PRESENTATION_CREDENTIALS)),
      { verified: true },
      vpOptions(),
    )
    add(
      'F09-33-credentials.fail.json',
      'F9',
      'One credential over the documented maximum: refused with the presentation-size code, not an input-limit code.',
      await vp(heavy),
      fail('structure', ['ERR_PRESENTATION_TOO_MANY_CREDENTIALS'], {
        path: '/verifiableCredential',
        passed: ['input'],
        skipped: ['credentials'],
      }),
      vpOptions(),
    )
    const domainSet = (domains: string[]) =>
      holderProof({
        created: NOW,
        proofMembers: { domain: domains },
        purpose: { term: 'authentication', challenge: CHALLENGE },
      })
    add(
      'F10-domain-set-naming-this-verifier.pass.json',
      'F10',
      'A holder proof whose domain is the set ["jobs.example", "employer.example"]: made for this verifier among others, accepted.',
      await domainSet(['jobs.example', DOMAIN]),
      { verified: true },
      vpOptions(),
    )
    add(
      'F10-domain-set-without-this-verifier.fail.json',
      'F10',
      'A holder proof whose domain is a set of two other sites.',
      await domainSet(['jobs.example', 'attacker.example']),
      fail('domain', ['ERR_DOMAIN_MISMATCH'], { path: '/proof/domain', skipped: ['credentials'] }),
      vpOptions(),
    )
  }

  const manifest: FixtureManifest = {
    description:
      'Attack fixtures for docs/attacks.md (groups A–H). Regenerate with `pnpm fixtures:attacks`; test/attacks/fixtures.test.ts checks they are current. TEST keys only (fixed seeds).',
    generator: 'test/attacks/build-fixtures.ts',
    keys: {
      institute: institute.did,
      foreign: foreign.did,
      learner: learner.did,
      instituteWeb: INSTITUTE_WEB_DID,
    },
    fixtures: built.entries,
    supporting: built.supporting,
  }
  built.files.set('manifest.json', text(manifest))
  return built.files
}
