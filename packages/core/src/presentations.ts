/**
 * Verifiable Presentations, holder side: build one around chosen credentials
 * ({@link createPresentation}) and sign it with the holder's key for `authentication`, bound to a
 * verifier's `challenge` and `domain` ({@link signPresentation}). Shared by the tests, the wallet
 * and the server; the verifier side is `verifyPresentation` in `@certify-vc/verifier`.
 *
 * @see https://www.w3.org/TR/vc-data-model-2.0/#verifiable-presentations
 * @see https://www.w3.org/TR/vc-data-integrity/#proof-purposes
 * @module
 */
import type { CanonicalizationPath } from './canonicalize/index.js'
import { SUITE_NAMES, createSuite, signDocument, type Signer, type SuiteName } from './suites.js'
import {
  CONTEXT_URLS,
  createDocumentLoader,
  type DocumentLoader,
  CertifyError,
  isAbsoluteIri,
  isPlainObject,
  type JsonObject,
} from '@certify-vc/context'

/** The envelope of a presentation: VC Data Model 2.0 or 1.1. */
export type PresentationFormat = 'vc2' | 'vc1.1'

/** A credential as embedded in a presentation: a JSON object (never a string or URL). */
export type EmbeddedCredential = JsonObject

/**
 * An unsigned presentation as {@link createPresentation} builds it. Plain JSON (assignable to
 * `JsonObject`); the arrays are fresh copies the caller may change.
 */
export type UnsignedPresentation = {
  '@context': string[]
  id?: string
  type: string[]
  holder: string
  verifiableCredential?: EmbeddedCredential[]
}

/** The proof {@link signPresentation} adds. */
export type PresentationProof = {
  /** `DataIntegrityProof` (with `cryptosuite`) or `Ed25519Signature2020`. */
  type: 'DataIntegrityProof' | 'Ed25519Signature2020'
  cryptosuite?: 'eddsa-rdfc-2022'
  created: string
  /** The holder's key: `did:key:z6Mk…#z6Mk…`. */
  verificationMethod: string
  proofPurpose: 'authentication'
  challenge: string
  domain?: string
  proofValue: string
}

/** A signed presentation. Other members of the input presentation are kept as they were. */
export type VerifiablePresentation = UnsignedPresentation & {
  proof: PresentationProof
}

/** Options of {@link createPresentation}. */
export interface CreatePresentationOptions {
  /** The holder: an absolute IRI, normally the holder's DID (`did:key:z6Mk…`). */
  readonly holder: string
  /** The credentials to present (objects, as issued; typed ones such as OB credentials too). */
  readonly verifiableCredential?: readonly object[]
  /** `'vc2'` (default) or `'vc1.1'` (for wallets that sign with Ed25519Signature2020). */
  readonly format?: PresentationFormat
  /** An identifier for the presentation (absolute IRI, e.g. `urn:uuid:…`). Default none. */
  readonly id?: string
}

/** Options of {@link signPresentation}. */
export interface SignPresentationOptions {
  /** The holder's signer; its `id` is the verification method (`did:key:z6Mk…#z6Mk…`). */
  readonly signer: Signer
  /** The verifier's challenge, exactly as received. */
  readonly challenge: string
  /** The verifier's domain (its origin or relying-party id), exactly as received. */
  readonly domain?: string
  /**
   * The suite. Default: `eddsa-rdfc-2022` for a VC 2.0 presentation, `Ed25519Signature2020` for a
   * VC 1.1 one.
   */
  readonly suite?: SuiteName
  /** The proof's `created` time. Default now. */
  readonly date?: Date | string
  /** Loader for contexts. Default: the offline loader. */
  readonly documentLoader?: DocumentLoader
  /** JSON-LD → RDF implementation (see `createSuite`). Default `'fast'`. */
  readonly canonicalization?: CanonicalizationPath
}

const BASE_CONTEXT: Record<PresentationFormat, string> = {
  vc2: CONTEXT_URLS.credentialsV2,
  'vc1.1': CONTEXT_URLS.credentialsV1,
}

/** The context a suite needs on top of the base context, by envelope. */
function suiteContext(format: PresentationFormat, suite: SuiteName): string | undefined {
  if (suite === 'Ed25519Signature2020') return CONTEXT_URLS.ed25519Signature2020V1
  return format === 'vc1.1' ? CONTEXT_URLS.dataIntegrityV2 : undefined
}

function formatOfPresentation(presentation: Record<string, unknown>): PresentationFormat {
  const contexts = presentation['@context']
  const first = Array.isArray(contexts) ? (contexts as unknown[])[0] : contexts
  if (first === CONTEXT_URLS.credentialsV2) return 'vc2'
  if (first === CONTEXT_URLS.credentialsV1) return 'vc1.1'
  throw new TypeError(
    `The presentation's first @context must be ${CONTEXT_URLS.credentialsV2} or ${CONTEXT_URLS.credentialsV1}.`,
  )
}

function checkCredentials(credentials: unknown): readonly EmbeddedCredential[] {
  if (!Array.isArray(credentials)) {
    throw new TypeError('"verifiableCredential" must be an array of credential objects.')
  }
  credentials.forEach((c: unknown, i) => {
    if (!isPlainObject(c)) {
      throw new TypeError(
        `"verifiableCredential[${i}]" must be a credential object (never a string or URL).`,
      )
    }
  })
  return credentials as EmbeddedCredential[]
}

/**
 * Builds an unsigned presentation: the base context of `format`, type `VerifiablePresentation`,
 * the `holder` and copies of the chosen credentials.
 *
 * @example
 * const vp = createPresentation({ holder: 'did:key:z6Mk…', verifiableCredential: [aida] })
 *
 * @throws {TypeError} for a holder that is not an absolute IRI, a credential that is not an
 *   object, an unknown format or an id that is not an absolute IRI.
 */
export function createPresentation(options: CreatePresentationOptions): UnsignedPresentation {
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  const { holder, format = 'vc2', id } = options
  if (typeof holder !== 'string' || !isAbsoluteIri(holder)) {
    throw new TypeError('"holder" must be an absolute IRI (the holder\'s DID).')
  }
  if (format !== 'vc2' && format !== 'vc1.1') {
    throw new TypeError('"format" must be "vc2" or "vc1.1".')
  }
  if (id !== undefined && (typeof id !== 'string' || !isAbsoluteIri(id))) {
    throw new TypeError('"id" must be an absolute IRI.')
  }
  const credentials =
    options.verifiableCredential === undefined
      ? undefined
      : checkCredentials(options.verifiableCredential)
  return {
    '@context': [BASE_CONTEXT[format]],
    ...(id === undefined ? {} : { id }),
    type: ['VerifiablePresentation'],
    holder,
    ...(credentials === undefined || credentials.length === 0
      ? {}
      : { verifiableCredential: credentials.map((c) => structuredClone(c)) }),
  }
}

function holderIdOf(holder: unknown): string | undefined {
  if (typeof holder === 'string') return holder
  if (isPlainObject(holder) && typeof holder.id === 'string') return holder.id
  return undefined
}

/**
 * Signs a presentation with the holder's key: proof purpose `authentication`, bound to the
 * verifier's `challenge` and `domain`. The input is not modified. For a VC 1.1 presentation
 * the suite's context is appended when missing (the Ed25519 2020 or Data Integrity v2 context).
 *
 * The holder must be the DID that controls `signer` (`did:key:z6Mk…` for `…#z6Mk…`), or the
 * verifier would refuse the presentation (`ERR_HOLDER_KEY_MISMATCH`); that is checked here.
 *
 * @example
 * const vp = await signPresentation(
 *   createPresentation({ holder: key.did, verifiableCredential: [aida] }),
 *   { signer: key.signer(), challenge, domain: 'employer.example' },
 * )
 *
 * @throws {TypeError} for bad options, a presentation that is not an object, has the wrong first
 *   context, already has a proof, or names a holder that does not control the signer.
 * @throws {CertifyError} `ERR_PRESENTATION_SIGNING_FAILED` when the suite cannot sign (for
 *   example a term no context defines, refused in JSON-LD safe mode).
 */
export async function signPresentation(
  presentation: UnsignedPresentation | Readonly<Record<string, unknown>>,
  options: SignPresentationOptions,
): Promise<VerifiablePresentation> {
  if (!isPlainObject(presentation)) throw new TypeError('"presentation" must be an object.')
  if (!isPlainObject(options)) throw new TypeError('"options" must be an object.')
  const { signer, challenge, domain, date, canonicalization } = options
  if (
    typeof signer !== 'object' ||
    signer === null ||
    typeof signer.id !== 'string' ||
    typeof (signer as { sign?: unknown }).sign !== 'function'
  ) {
    throw new TypeError('"signer" must be a Signer with an id (verification method) and sign().')
  }
  if (typeof challenge !== 'string' || challenge.length === 0) {
    throw new TypeError('"challenge" must be the non-empty challenge given by the verifier.')
  }
  if (domain !== undefined && (typeof domain !== 'string' || domain.length === 0)) {
    throw new TypeError('"domain" must be a non-empty string when given.')
  }
  if (options.documentLoader !== undefined && typeof options.documentLoader !== 'function') {
    throw new TypeError('"documentLoader" must be a function.')
  }
  if ('proof' in presentation) {
    throw new TypeError('The presentation already has a proof; sign an unsigned presentation.')
  }
  const format = formatOfPresentation(presentation)
  const suiteName = options.suite ?? (format === 'vc2' ? 'eddsa-rdfc-2022' : 'Ed25519Signature2020')
  if (!SUITE_NAMES.includes(suiteName)) {
    throw new TypeError(`"suite" must be one of ${SUITE_NAMES.join(', ')}.`)
  }
  const types = Array.isArray(presentation.type)
    ? (presentation.type as unknown[])
    : [presentation.type]
  if (!types.includes('VerifiablePresentation')) {
    throw new TypeError('The presentation "type" must include "VerifiablePresentation".')
  }
  const holder = holderIdOf(presentation.holder)
  const controller = signer.id.split('#')[0]
  if (holder === undefined || !isAbsoluteIri(holder)) {
    throw new TypeError('The presentation must name its "holder" (an absolute IRI).')
  }
  if (holder !== controller) {
    throw new TypeError(
      `The holder ${holder} does not control the signing key ${signer.id}; verifiers would refuse it.`,
    )
  }
  if (presentation.verifiableCredential !== undefined) {
    const vcs = presentation.verifiableCredential
    checkCredentials(Array.isArray(vcs) ? vcs : [vcs])
  }

  const document = structuredClone(presentation) as Record<string, unknown>
  const contexts = Array.isArray(document['@context'])
    ? [...(document['@context'] as unknown[])]
    : [document['@context']]
  const extra = suiteContext(format, suiteName)
  if (extra !== undefined && !contexts.includes(extra)) contexts.push(extra)
  document['@context'] = contexts

  const suite = createSuite(suiteName, {
    signer,
    ...(date === undefined ? {} : { date }),
    ...(canonicalization === undefined ? {} : { canonicalization }),
  })
  try {
    const signed = await signDocument(document, {
      suite,
      documentLoader: options.documentLoader ?? (defaultLoader ??= createDocumentLoader()),
      purpose: {
        term: 'authentication',
        challenge,
        ...(domain === undefined ? {} : { domain }),
      },
    })
    return signed as unknown as VerifiablePresentation
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause)
    throw new CertifyError(
      'ERR_PRESENTATION_SIGNING_FAILED',
      `The presentation could not be signed: ${why}`,
      { cause },
    )
  }
}

let defaultLoader: DocumentLoader | undefined
