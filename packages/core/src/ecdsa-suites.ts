/**
 * The W3C ECDSA cryptosuites (vc-di-ecdsa), as the Digital Bazaar libraries implement them:
 *
 * - **ecdsa-rdfc-2019** (P-256 with SHA-256, P-384 with SHA-384): RDFC-1.0 of the document and
 *   of the proof options, each hashed, then signed (raw r‖s). For P-384 the hash RDFC-1.0 uses
 *   internally is SHA-384 too (vc-di-ecdsa §3.1), which changes the blank node labels and so the
 *   canonical N-Quads of any document with blank nodes: the fast path is given the same hash and
 *   stays byte-identical to the library (a differential test compares them). Keys are imported
 *   once; keys and signatures are checked strictly before the library sees them.
 * - **ecdsa-sd-2023** (P-256, selective disclosure): the issuer signs a *base proof* (every
 *   statement signed by an ephemeral key, the mandatory ones hashed under the issuer's
 *   signature); the holder *derives* a disclosure proof for the statements they reveal; a
 *   verifier accepts only a derived proof. The library canonicalizes itself (skolemized and
 *   HMAC-relabelled copies of the document): its canonicalizations run at rdf-canonize's default
 *   work factor (1), and the document is first canonicalized once through the bounded path
 *   (work factor and time limit of the caller), which bounds the library's work on the same
 *   statements.
 *
 * @see https://www.w3.org/TR/vc-di-ecdsa/
 * @module
 */
import { DataIntegrityProof } from '@digitalbazaar/data-integrity'
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey'
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite'
import {
  createDiscloseCryptosuite,
  createSignCryptosuite,
  createVerifyCryptosuite,
} from '@digitalbazaar/ecdsa-sd-2023-cryptosuite'
import { CertifyError, type DocumentLoader } from '@certify-vc/context'
import {
  canonizeFast,
  canonizeLimitError,
  rdfCanonizeOptions,
  resolveCanonicalizationLimits,
  resolveCanonicalizationPath,
  type CanonicalizationLimits,
  type CanonicalizationPath,
} from './canonicalize/index.js'
import { ecdsaSignatureProblem, isEcdsaCurve, type EcdsaCurve } from './ecdsa.js'
import { canonize as boundedCanonize } from './jsonld.js'
import { multikeyProblem } from './multikey.js'
import { nodeCrypto } from './node-crypto.js'

interface Verifier {
  readonly id?: string
  readonly algorithm: string
  verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>
}

/** The hash of each curve (vc-di-ecdsa §3.3.4: SHA-256 for P-256, SHA-384 for P-384). */
const HASH_OF: Readonly<Record<EcdsaCurve, 'SHA-256' | 'SHA-384'>> = {
  'P-256': 'SHA-256',
  'P-384': 'SHA-384',
}

// --- Keys and signatures, checked before any library call --------------------------------------

/**
 * The curve of a verification method's key, checked strictly (a compressed point on the curve)
 * and against the curves the suite signs with.
 *
 * @throws {CertifyError} `ERR_KEY_INVALID`.
 */
export function ecdsaCurveOf(
  verificationMethod: Record<string, unknown>,
  curves: readonly EcdsaCurve[],
): EcdsaCurve {
  const { publicKeyMultibase } = verificationMethod
  if (typeof publicKeyMultibase !== 'string') {
    throw new CertifyError(
      'ERR_KEY_INVALID',
      'The verification method has no publicKeyMultibase (the only key form accepted).',
    )
  }
  const { type, problem } = multikeyProblem(publicKeyMultibase)
  if (problem !== undefined) throw new CertifyError('ERR_KEY_INVALID', problem)
  if (!isEcdsaCurve(type) || !curves.includes(type)) {
    throw new CertifyError(
      'ERR_KEY_INVALID',
      `The key is ${type === undefined ? 'of an unknown type' : `a ${type} key`}; the suite needs ${curves.join(' or ')}.`,
    )
  }
  return type
}

/**
 * Checks a signature before the library sees it: the P1363 length of the key's curve, and
 * 1 ≤ r, s < n.
 *
 * @throws {CertifyError} `ERR_PROOF_MALFORMED`, with `path` `/proofValue` (relative to the proof).
 */
export function assertEcdsaSignature(curve: EcdsaCurve, signature: Uint8Array): void {
  const why = ecdsaSignatureProblem(curve, signature)
  if (why !== undefined) {
    throw new CertifyError('ERR_PROOF_MALFORMED', why, { path: '/proofValue' })
  }
}

/** SubjectPublicKeyInfo DER headers for a compressed point (RFC 5480), as the key library uses. */
const SPKI_HEADERS: Readonly<Record<EcdsaCurve, Uint8Array>> = {
  'P-256': Uint8Array.from([
    0x30, 0x39, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x22, 0x00,
  ]),
  'P-384': Uint8Array.from([
    0x30, 0x46, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b,
    0x81, 0x04, 0x00, 0x22, 0x03, 0x32, 0x00,
  ]),
}

const MAX_CACHED_KEYS = 1024
const verifiers = new Map<string, Promise<Verifier>>()

async function importVerifier(
  verificationMethod: Record<string, unknown>,
  curve: EcdsaCurve,
): Promise<Verifier> {
  // The library's own import (WebCrypto), once per distinct verification method.
  const key = await EcdsaMultikey.from(
    verificationMethod as Parameters<typeof EcdsaMultikey.from>[0],
  )
  const library = key.verifier()
  if (nodeCrypto === undefined) return library
  const exported = await key.export({ publicKey: true, raw: true })
  const raw = exported.publicKey
  const header = SPKI_HEADERS[curve]
  if (!(raw instanceof Uint8Array) || raw.length !== (curve === 'P-256' ? 33 : 49)) return library
  const der = new Uint8Array(header.length + raw.length)
  der.set(header)
  der.set(raw, header.length)
  const publicKey = nodeCrypto.createPublicKey({ key: der, format: 'der', type: 'spki' })
  const crypto = nodeCrypto
  const hash = curve === 'P-256' ? 'sha256' : 'sha384'
  return {
    ...(library.id === undefined ? {} : { id: library.id }),
    algorithm: library.algorithm,
    // The same check WebCrypto makes (ECDSA with the curve's hash over `data`), synchronously.
    verify: ({ data, signature }) =>
      Promise.resolve(
        crypto.verify(hash, data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature),
      ),
  }
}

/** A verifier for `verificationMethod`, imported on first use and then reused. */
function cachedEcdsaVerifier(
  verificationMethod: Record<string, unknown>,
  curve: EcdsaCurve,
): Promise<Verifier> {
  const cacheKey = JSON.stringify(verificationMethod)
  let verifier = verifiers.get(cacheKey)
  if (verifier === undefined) {
    if (verifiers.size >= MAX_CACHED_KEYS) {
      const oldest = verifiers.keys().next().value
      if (oldest !== undefined) verifiers.delete(oldest)
    }
    verifier = importVerifier(verificationMethod, curve)
    verifiers.set(cacheKey, verifier)
    verifier.catch(() => verifiers.delete(cacheKey))
  }
  return verifier
}

/** Fast path on: the explicit choice, or `'fast'` when none. */
function fastNow(path: CanonicalizationPath | undefined): boolean {
  return path !== 'reference' && (path ?? resolveCanonicalizationPath(undefined)) === 'fast'
}

/** SHA-256 / SHA-384 of a string's UTF-8 bytes. */
async function sha(algorithm: 'SHA-256' | 'SHA-384', text: string): Promise<Uint8Array> {
  const hash = nodeCrypto?.hash
  if (hash !== undefined) {
    const hex = hash(algorithm === 'SHA-256' ? 'sha256' : 'sha384', text, 'hex')
    const out = new Uint8Array(hex.length / 2)
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
    return out
  }
  return new Uint8Array(await crypto.subtle.digest(algorithm, new TextEncoder().encode(text)))
}

// --- ecdsa-rdfc-2019 ---------------------------------------------------------------------------

/** The option names the suite passes to `canonize`; anything else goes to the library. */
const CANONIZE_OPTIONS = new Set([
  'documentLoader',
  'base',
  'safe',
  'skipExpansion',
  'messageDigestAlgorithm',
])

interface CanonizeOptions {
  readonly documentLoader?: DocumentLoader
  readonly [option: string]: unknown
}

/** What `DataIntegrityProof` gives `createVerifyData`. */
interface VerifyDataInput {
  readonly cryptosuite: { canonize(input: unknown, options: CanonizeOptions): Promise<string> }
  readonly document: Record<string, unknown>
  readonly proof: Record<string, unknown>
  readonly documentLoader: DocumentLoader
  readonly dataIntegrityProof: {
    readonly signer?: { readonly algorithm?: string }
    ensureSuiteContext(input: { document: object; addSuiteContext: boolean }): void
  }
  readonly verificationMethod?: Record<string, unknown>
}

/**
 * The ecdsa-rdfc-2019 cryptosuite for `DataIntegrityProof` on {@link CanonicalizationPath}
 * `path`: canonicalization within `limits` (through the fast path when its options allow, with
 * the curve's RDFC-1.0 hash), keys and signatures checked strictly, keys imported once (fast
 * path). With `'reference'`, canonicalization and the verifier are the library's own.
 */
export function ecdsaRdfcCryptosuite(
  path?: CanonicalizationPath,
  limits?: CanonicalizationLimits,
): object {
  const bounds = resolveCanonicalizationLimits(limits)
  const library = ecdsaRdfc2019
  const suite = {
    name: library.name,
    requiredAlgorithm: ['P-256', 'P-384'],
    async canonize(input: unknown, options: CanonizeOptions): Promise<string> {
      const digest = options.messageDigestAlgorithm
      if (
        fastNow(path) &&
        typeof options.documentLoader === 'function' &&
        options.base === null &&
        options.safe === true &&
        !options.skipExpansion &&
        (digest === undefined || digest === 'SHA-256' || digest === 'SHA-384') &&
        Object.keys(options).every((name) => CANONIZE_OPTIONS.has(name))
      ) {
        // The library's call: jsonld.toRDF with rdfDirection 'i18n-datatype', then RDFC-1.0
        // with the message digest named.
        const nquads = await canonizeFast(input, {
          documentLoader: options.documentLoader,
          rdfDirection: 'i18n-datatype',
          ...(digest === undefined ? {} : { messageDigestAlgorithm: digest }),
          limits: bounds,
        })
        if (nquads !== undefined) return nquads
      }
      try {
        return await library.canonize(input, { ...options, ...rdfCanonizeOptions(bounds) })
      } catch (error) {
        throw canonizeLimitError(error, bounds) ?? error
      }
    },
    async createVerifier(input: { verificationMethod: Record<string, unknown> }) {
      const curve = ecdsaCurveOf(input.verificationMethod, ['P-256', 'P-384'])
      const verifier = fastNow(path)
        ? await cachedEcdsaVerifier(input.verificationMethod, curve)
        : await library.createVerifier(input)
      return {
        ...(verifier.id === undefined ? {} : { id: verifier.id }),
        algorithm: verifier.algorithm,
        verify(data: { data: Uint8Array; signature: Uint8Array }) {
          assertEcdsaSignature(curve, data.signature)
          return verifier.verify(data)
        },
      }
    },
    /**
     * vc-di-ecdsa §3.3.4 (hashing): the hash of the canonical proof options followed by the hash
     * of the canonical document, with the curve's hash, as the library's `createVerifyData`
     * computes it, except that the curve is read from the key's multicodec header (or the
     * signer) instead of importing the key once more for each proof.
     */
    async createVerifyData(input: VerifyDataInput): Promise<Uint8Array> {
      const { document, proof, documentLoader, dataIntegrityProof, verificationMethod } = input
      const curve =
        verificationMethod === undefined
          ? dataIntegrityProof.signer?.algorithm
          : ecdsaCurveOf(verificationMethod, ['P-256', 'P-384'])
      if (!isEcdsaCurve(curve)) {
        throw new TypeError('ecdsa-rdfc-2019 signs with a P-256 or P-384 key only.')
      }
      const algorithm = HASH_OF[curve]
      const options = {
        documentLoader,
        safe: true,
        base: null,
        skipExpansion: false,
        messageDigestAlgorithm: algorithm,
      }
      // The proof options carry the document's context; `proofValue` is not signed.
      const proofOptions: Record<string, unknown> = { '@context': document['@context'], ...proof }
      dataIntegrityProof.ensureSuiteContext({ document: proofOptions, addSuiteContext: true })
      delete proofOptions.proofValue
      const [proofHash, documentHash] = await Promise.all([
        suite.canonize(proofOptions, options).then((c) => sha(algorithm, c)),
        suite.canonize(document, options).then((c) => sha(algorithm, c)),
      ])
      const out = new Uint8Array(proofHash.length + documentHash.length)
      out.set(proofHash)
      out.set(documentHash, proofHash.length)
      return out
    },
  }
  return suite
}

// --- ecdsa-sd-2023 -----------------------------------------------------------------------------

/** The 3-byte CBOR tag headers of ecdsa-sd-2023 proof values (vc-di-ecdsa §3.5.2, §3.5.7). */
const SD_BASE_HEADER = [0xd9, 0x5d, 0x00] as const
const SD_DERIVED_HEADER = [0xd9, 0x5d, 0x01] as const

/** `'base'` or `'derived'` for an ecdsa-sd-2023 `proofValue`, `undefined` for anything else. */
export function sdProofKind(proofValue: unknown): 'base' | 'derived' | undefined {
  if (typeof proofValue !== 'string' || !proofValue.startsWith('u')) return undefined
  const text = proofValue.slice(1, 9)
  if (!/^[A-Za-z0-9_-]{4,}$/.test(text)) return undefined
  let head: string
  try {
    head = atob(text.slice(0, 4).replaceAll('-', '+').replaceAll('_', '/'))
  } catch {
    return undefined
  }
  const bytes = [...head].map((c) => c.charCodeAt(0))
  const starts = (header: readonly number[]) => header.every((b, i) => bytes[i] === b)
  if (starts(SD_BASE_HEADER)) return 'base'
  if (starts(SD_DERIVED_HEADER)) return 'derived'
  return undefined
}

/** Canonicalizes `document` once through the bounded path (see the module note). */
async function boundedFirst(
  document: unknown,
  documentLoader: DocumentLoader,
  path: CanonicalizationPath | undefined,
  limits: Required<CanonicalizationLimits>,
): Promise<void> {
  await boundedCanonize(document, documentLoader, {
    ...(path === undefined ? {} : { canonicalization: path }),
    limits,
  })
}

/** The ecdsa-sd-2023 cryptosuite that signs base proofs with `mandatoryPointers` disclosed. */
export function sdSignCryptosuite(
  mandatoryPointers: readonly string[],
  path?: CanonicalizationPath,
  limits?: CanonicalizationLimits,
): object {
  const bounds = resolveCanonicalizationLimits(limits)
  const library = createSignCryptosuite({ mandatoryPointers: [...mandatoryPointers] })
  return {
    ...library,
    async createVerifyData(input: VerifyDataInput) {
      await boundedFirst(input.document, input.documentLoader, path, bounds)
      try {
        return await library.createVerifyData({ ...input, cryptosuite: library })
      } catch (error) {
        throw canonizeLimitError(error, bounds) ?? error
      }
    },
    createProofValue: (input: Record<string, unknown>) =>
      (library.createProofValue as (i: Record<string, unknown>) => Promise<string>)({
        ...input,
        cryptosuite: library,
      }),
  }
}

/**
 * The ecdsa-sd-2023 cryptosuite that verifies derived (disclosure) proofs: the key checked
 * strictly (P-256 only), a base proof refused with `ERR_PROOF_BASE_NOT_DERIVED` (vc-di-ecdsa
 * §3.5.7: the proof value must start with the disclosure header), the document canonicalized
 * once through the bounded path, then the library's verification.
 */
export function sdVerifyCryptosuite(
  path?: CanonicalizationPath,
  limits?: CanonicalizationLimits,
): object {
  const bounds = resolveCanonicalizationLimits(limits)
  const library = createVerifyCryptosuite()
  return {
    name: library.name,
    requiredAlgorithm: library.requiredAlgorithm,
    async createVerifier(input: { verificationMethod: Record<string, unknown> }) {
      ecdsaCurveOf(input.verificationMethod, ['P-256'])
      return library.createVerifier(input)
    },
    async createVerifyData(input: VerifyDataInput) {
      const kind = sdProofKind(input.proof.proofValue)
      if (kind === 'base') {
        throw new CertifyError(
          'ERR_PROOF_BASE_NOT_DERIVED',
          'This is an ecdsa-sd-2023 base proof, meant for the holder: present a derived proof.',
        )
      }
      if (kind === undefined) {
        throw new CertifyError(
          'ERR_PROOF_MALFORMED',
          'An ecdsa-sd-2023 proofValue is "u" + base64url of a CBOR value tagged 0xd95d01.',
          { path: '/proofValue' },
        )
      }
      await boundedFirst(input.document, input.documentLoader, path, bounds)
      try {
        return await library.createVerifyData({ ...input, cryptosuite: library })
      } catch (error) {
        throw canonizeLimitError(error, bounds) ?? error
      }
    },
  }
}

/** A `DataIntegrityProof` that derives a disclosure proof revealing `selectivePointers`. */
export function sdDeriveSuite(selectivePointers: readonly string[], proofId?: string): object {
  return new DataIntegrityProof({
    cryptosuite: createDiscloseCryptosuite({
      selectivePointers: [...selectivePointers],
      ...(proofId === undefined ? {} : { proofId }),
    }),
  })
}
