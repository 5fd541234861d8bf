/**
 * The cryptosuites on the fast path: eddsa-rdfc-2022 and Ed25519Signature2020 exactly as the
 * Digital Bazaar libraries implement them, except that (1) canonicalization goes through
 * {@link canonizeFast} first (falling back to the library's own call, with the library's own
 * options, whenever the fast path steps aside) and (2) a public key is imported once and reused,
 * instead of on every verification (docs/design.md §8). With the `'reference'` path the libraries' own
 * objects are used unchanged.
 *
 * @module
 */
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020'
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite'
import { decodeMultibaseBase58btc } from './base58.js'
import { ed25519PublicKeyMultibaseProblem, ed25519SignatureProblem } from './ed25519.js'
import {
  canonizeFast,
  canonizeLimitError,
  rdfCanonizeOptions,
  resolveCanonicalizationLimits,
  resolveCanonicalizationPath,
  type CanonicalizationLimits,
  type CanonicalizationPath,
} from './canonicalize/index.js'
import { nodeCrypto } from './node-crypto.js'
import { CertifyError, type DocumentLoader } from '@certify-vc/context'

/** The options the suites pass to `canonize` (jsonld.js options). */
interface CanonizeCallOptions {
  readonly documentLoader?: DocumentLoader
  readonly [option: string]: unknown
}

interface Verifier {
  readonly id?: string
  readonly algorithm: string
  verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>
}

/** The eddsa-rdfc-2022 cryptosuite object, as `@digitalbazaar/data-integrity` uses it. */
export interface Cryptosuite {
  readonly name: string
  readonly requiredAlgorithm: string
  canonize(input: unknown, options: CanonizeCallOptions): Promise<string>
  createVerifier(input: { verificationMethod: Record<string, unknown> }): Promise<Verifier>
}

const referenceCryptosuite = eddsaRdfc2022 as unknown as Cryptosuite

// --- Checks made before any library call, the same on every path and platform ---------------

/**
 * The verification method's public key, checked strictly: `publicKeyMultibase` with the exact
 * Ed25519 header and length, canonically encoded, a curve point of large order.
 *
 * @throws {CertifyError} `ERR_KEY_INVALID`.
 */
export function assertUsableEd25519Key(verificationMethod: Record<string, unknown>): void {
  const { publicKeyMultibase } = verificationMethod
  if (typeof publicKeyMultibase !== 'string') {
    throw new CertifyError(
      'ERR_KEY_INVALID',
      'The verification method has no publicKeyMultibase (the only key form accepted).',
    )
  }
  const why = ed25519PublicKeyMultibaseProblem(publicKeyMultibase)
  if (why !== undefined) throw new CertifyError('ERR_KEY_INVALID', why)
}

/**
 * Checks a signature before the library sees it: 64 bytes, S < L, canonical R.
 *
 * @throws {CertifyError} `ERR_PROOF_MALFORMED` for a wrong length,
 *   `ERR_PROOF_SIGNATURE_MALLEABLE` for a non-canonical signature.
 */
export function assertCanonicalEd25519Signature(signature: Uint8Array): void {
  const why = ed25519SignatureProblem(signature)
  if (why === undefined) return
  throw new CertifyError(
    signature.length === 64 ? 'ERR_PROOF_SIGNATURE_MALLEABLE' : 'ERR_PROOF_MALFORMED',
    why,
  )
}

/** `verifier` with the signature checked by {@link assertCanonicalEd25519Signature} first. */
function strictVerifier(verifier: Verifier): Verifier {
  return {
    ...(verifier.id === undefined ? {} : { id: verifier.id }),
    algorithm: verifier.algorithm,
    verify(input) {
      assertCanonicalEd25519Signature(input.signature)
      return verifier.verify(input)
    },
  }
}

/** Fast path on: the explicit choice, or `'fast'` when none. */
function fastNow(path: CanonicalizationPath | undefined): boolean {
  return (path ?? resolveCanonicalizationPath(undefined)) === 'fast'
}

// --- Public keys, imported once ----------------------------------------------------------------

/** DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410), as the key library uses. */
const SPKI_ED25519 = Uint8Array.from([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
])
const MAX_CACHED_KEYS = 1024
const verifiers = new Map<string, Promise<Verifier>>()

async function importVerifier(verificationMethod: Record<string, unknown>): Promise<Verifier> {
  // The library's own import and checks, once per distinct verification method.
  const key = await Ed25519Multikey.from(
    verificationMethod as Parameters<typeof Ed25519Multikey.from>[0],
  )
  const library = key.verifier()
  if (nodeCrypto === undefined) return library
  // `raw` is an option of the library's export() that the shared type shim does not declare.
  const exporter = key as unknown as {
    export(options: object): Promise<{ publicKey?: Uint8Array }>
  }
  const exported = await exporter.export({ publicKey: true, raw: true })
  const raw = exported.publicKey
  if (!(raw instanceof Uint8Array) || raw.length !== 32) return library
  const der = new Uint8Array(SPKI_ED25519.length + 32)
  der.set(SPKI_ED25519)
  der.set(raw, SPKI_ED25519.length)
  const publicKey = nodeCrypto.createPublicKey({ key: der, format: 'der', type: 'spki' })
  const crypto = nodeCrypto
  return {
    id: library.id,
    algorithm: library.algorithm,
    verify: ({ data, signature }) =>
      Promise.resolve(crypto.verify(null, data, publicKey, signature)),
  }
}

/**
 * A verifier for `verificationMethod`, imported on first use and then reused. Failures are not
 * cached (the next call fails the same way, from the library).
 */
export function cachedVerifier(verificationMethod: Record<string, unknown>): Promise<Verifier> {
  const cacheKey = JSON.stringify(verificationMethod)
  let verifier = verifiers.get(cacheKey)
  if (verifier === undefined) {
    if (verifiers.size >= MAX_CACHED_KEYS) {
      const oldest = verifiers.keys().next().value
      if (oldest !== undefined) verifiers.delete(oldest)
    }
    verifier = importVerifier(verificationMethod)
    verifiers.set(cacheKey, verifier)
    verifier.catch(() => verifiers.delete(cacheKey))
  }
  return verifier
}

// --- eddsa-rdfc-2022 ---------------------------------------------------------------------------

/** The option names DataIntegrityProof passes to `canonize`; anything else goes to the library. */
const DI_CANONIZE_OPTIONS = new Set(['documentLoader', 'base', 'safe', 'skipExpansion'])

/**
 * The eddsa-rdfc-2022 cryptosuite for {@link CanonicalizationPath} `path` (`undefined`: follow the
 * `'fast'`). On both paths canonicalization runs within `limits`, keys
 * and signatures are checked strictly before the library sees them
 * ({@link assertUsableEd25519Key}, {@link assertCanonicalEd25519Signature}); with `'reference'`
 * the rest is the library's own canonicalization and verifier.
 */
export function eddsaCryptosuite(
  path?: CanonicalizationPath,
  limits?: CanonicalizationLimits,
): Cryptosuite {
  const bounds = resolveCanonicalizationLimits(limits)
  return {
    name: referenceCryptosuite.name,
    requiredAlgorithm: referenceCryptosuite.requiredAlgorithm,
    async canonize(input, options) {
      if (
        path !== 'reference' &&
        fastNow(path) &&
        typeof options.documentLoader === 'function' &&
        options.base === null &&
        options.safe === true &&
        !options.skipExpansion &&
        Object.keys(options).every((name) => DI_CANONIZE_OPTIONS.has(name))
      ) {
        // The library's call: jsonld.toRDF with rdfDirection 'i18n-datatype', then RDFC-1.0.
        const nquads = await canonizeFast(input, {
          documentLoader: options.documentLoader,
          rdfDirection: 'i18n-datatype',
          limits: bounds,
        })
        if (nquads !== undefined) return nquads
      }
      try {
        return await referenceCryptosuite.canonize(input, {
          ...options,
          ...rdfCanonizeOptions(bounds),
        })
      } catch (error) {
        throw canonizeLimitError(error, bounds) ?? error
      }
    },
    async createVerifier(input) {
      assertUsableEd25519Key(input.verificationMethod)
      const verifier =
        path !== 'reference' && fastNow(path)
          ? await cachedVerifier(input.verificationMethod)
          : await referenceCryptosuite.createVerifier(input)
      return strictVerifier(verifier)
    },
  }
}

// --- Ed25519Signature2020 ----------------------------------------------------------------------

/** The jsonld-signatures `LinkedDataSignature` methods overridden below. */
interface LinkedDataSignatureMethods {
  canonize(input: unknown, options: CanonizeCallOptions): Promise<string>
  verifySignature(input: SignatureInput): Promise<boolean>
}
interface SignatureInput {
  verifyData: Uint8Array
  verificationMethod: Record<string, unknown>
  proof: Record<string, unknown>
}
const library2020 = Ed25519Signature2020.prototype as unknown as LinkedDataSignatureMethods

/**
 * `Ed25519Signature2020` with canonicalization within limits (through {@link canonizeFast} on the
 * fast path), keys and signatures checked strictly before the library sees them, and (fast path)
 * verification keys imported once; everything else (proof creation, purpose) is the library's.
 * With `path` `'reference'` canonicalization and verification are the library's own calls.
 */
export class FastEd25519Signature2020 extends Ed25519Signature2020 {
  readonly #path: CanonicalizationPath | undefined
  readonly #limits: Required<CanonicalizationLimits>

  constructor(
    options: ConstructorParameters<typeof Ed25519Signature2020>[0],
    path?: CanonicalizationPath,
    limits?: CanonicalizationLimits,
  ) {
    super(options)
    this.#path = path
    this.#limits = resolveCanonicalizationLimits(limits)
  }

  #fast(): boolean {
    return this.#path !== 'reference' && fastNow(this.#path)
  }

  /** jsonld-signatures `LinkedDataSignature.canonize`, fast when its options allow. */
  async canonize(input: unknown, options: CanonizeCallOptions): Promise<string> {
    const self = this as unknown as {
      canonizeOptions?: Record<string, unknown>
      useNativeCanonize?: unknown
    }
    if (
      this.#fast() &&
      typeof options.documentLoader === 'function' &&
      !options.skipExpansion &&
      options.expansionMap === undefined &&
      self.canonizeOptions === undefined &&
      !self.useNativeCanonize
    ) {
      // The library's call: jsonld.canonize, RDFC-1.0, base null, safe mode.
      const nquads = await canonizeFast(input, {
        documentLoader: options.documentLoader,
        limits: this.#limits,
      })
      if (nquads !== undefined) return nquads
    }
    // The library reads its rdf-canonize options from `this.canonizeOptions`: give it a view of
    // this suite with the bounds (and a fresh timeout signal) added.
    const bounded = Object.create(this, {
      canonizeOptions: {
        value: { ...self.canonizeOptions, ...rdfCanonizeOptions(this.#limits) },
      },
    }) as this
    try {
      return await library2020.canonize.call(bounded, input, options)
    } catch (error) {
      throw canonizeLimitError(error, this.#limits) ?? error
    }
  }

  /** `Ed25519Signature2020.verifySignature` after the strict checks (key imported once, fast path). */
  async verifySignature(input: SignatureInput): Promise<boolean> {
    const { proofValue } = input.proof
    if (!(proofValue && typeof proofValue === 'string')) {
      throw new TypeError('The proof does not include a valid "proofValue" property.')
    }
    if (proofValue[0] !== 'z') throw new Error('Only base58btc multibase encoding is supported.')
    const signature = decodeMultibaseBase58btc(proofValue)
    assertCanonicalEd25519Signature(signature)
    if ((this as unknown as { verifier?: unknown }).verifier === undefined) {
      assertUsableEd25519Key(input.verificationMethod)
    }
    if (!this.#fast() || (this as unknown as { verifier?: unknown }).verifier) {
      return library2020.verifySignature.call(this, input)
    }
    const verifier = await cachedVerifier(input.verificationMethod)
    return verifier.verify({ data: input.verifyData, signature })
  }
}
