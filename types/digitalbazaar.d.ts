/**
 * Precise declarations for the untyped Digital Bazaar packages and jsonld.js, limited to what
 * certify-vc calls. These are internal: no type from here appears in a public `.d.ts`.
 */

declare module 'jsonld' {
  type DocumentLoader = (url: string) => Promise<{
    contextUrl: string | null
    documentUrl: string
    document: unknown
  }>
  interface JsonLdOptions {
    documentLoader?: DocumentLoader
    base?: string | null
    safe?: boolean
    expandContext?: unknown
  }
  interface CanonizeOptions extends JsonLdOptions {
    algorithm?: 'RDFC-1.0' | 'URDNA2015'
    format?: 'application/n-quads'
    skipExpansion?: boolean
    /** Passed to rdf-canonize (work factor and abort signal). */
    canonizeOptions?: { maxWorkFactor?: number; signal?: AbortSignal }
  }
  const jsonld: {
    expand(input: unknown, options?: JsonLdOptions): Promise<unknown[]>
    canonize(input: unknown, options?: CanonizeOptions): Promise<string>
  }
  export default jsonld
}

/**
 * jsonld.js's JSON-LD → RDF step on already expanded input (`lib/toRdf.js`, CommonJS), as
 * `jsonld.toRDF` calls it after expansion. Only the options it reads are declared.
 */
declare module 'jsonld/lib/toRdf.js' {
  /** One jsonld.js event handler: throws to stop, calls `next()` to pass the event on. */
  type EventHandler = (input: {
    event: { code: string; level: string; message: string }
    next: () => void
  }) => void
  interface Term {
    readonly termType: string
    readonly value: string
  }
  /** One RDF quad (RDF/JS-like objects, as rdf-canonize takes them). */
  export interface Quad {
    readonly subject: Term
    readonly predicate: Term
    readonly object: Term & { readonly datatype?: Term; readonly language?: string }
    readonly graph: Term
  }
  const toRdf: {
    toRDF(
      expanded: unknown,
      options: {
        eventHandler: readonly EventHandler[]
        rdfDirection?: 'i18n-datatype'
        produceGeneralizedRdf: false
      },
    ): Quad[]
  }
  export default toRdf
}

/** rdf-canonize 5 (RDFC-1.0), the version jsonld 9.0.0 uses. */
declare module 'rdf-canonize' {
  const rdfCanonize: {
    canonize(
      dataset: readonly unknown[],
      options: {
        algorithm: 'RDFC-1.0' | 'URDNA2015'
        maxWorkFactor?: number
        signal?: AbortSignal
        /** A message digest factory (hex digests) replacing rdf-canonize's own. */
        createMessageDigest?: () => { update(msg: string): void; digest(): string }
        /** The hash of rdf-canonize's own digest (default `sha256`). */
        messageDigestAlgorithm?: 'sha256' | 'sha384'
      },
    ): Promise<string>
  }
  export default rdfCanonize
}

declare module 'jsonld-signatures' {
  type DocumentLoader = (url: string) => Promise<{
    contextUrl: string | null
    documentUrl: string
    document: unknown
  }>
  export class ProofPurpose {
    readonly term: string
  }
  export interface ProofResult {
    proof: Record<string, unknown>
    verified: boolean
    verificationMethod?: { id?: string; controller?: string }
    error?: Error
    purposeResult?: { valid: boolean; error?: Error }
  }
  export interface VerifyResult {
    verified: boolean
    results?: ProofResult[]
    error?: Error & { errors?: Error[] }
  }
  export function sign<T extends object>(
    document: T,
    options: {
      suite: object
      purpose: ProofPurpose
      documentLoader: DocumentLoader
      addSuiteContext?: boolean
    },
  ): Promise<T & { proof: unknown }>
  export function verify(
    document: object,
    options: { suite: object | object[]; purpose: ProofPurpose; documentLoader: DocumentLoader },
  ): Promise<VerifyResult>
  /** A new document with a proof derived from the document's (selective disclosure). */
  export function derive<T extends object>(
    document: T,
    options: { suite: object; purpose: ProofPurpose; documentLoader: DocumentLoader },
  ): Promise<Record<string, unknown>>
  export const purposes: {
    AssertionProofPurpose: new (options?: {
      controller?: object
      date?: Date | string
      maxTimestampDelta?: number
    }) => ProofPurpose
    AuthenticationProofPurpose: new (options: {
      challenge?: string
      domain?: string | string[]
      controller?: object
      date?: Date | string
      maxTimestampDelta?: number
    }) => ProofPurpose
  }
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: {
    readonly name: 'eddsa-rdfc-2022'
    readonly requiredAlgorithm: 'Ed25519'
  }
}

declare module '@digitalbazaar/eddsa-jcs-2022-cryptosuite' {
  /** What the cryptosuite's `createVerifier` returns (an Ed25519 Multikey verifier). */
  interface JcsVerifier {
    readonly id?: string
    readonly algorithm: string
    verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>
  }
  /** The cryptosuite object `DataIntegrityProof` takes (`cryptosuite` option). */
  interface JcsCryptosuite {
    readonly name: 'eddsa-jcs-2022'
    readonly requiredAlgorithm: 'Ed25519'
    /** JCS (RFC 8785) serialization. */
    canonize(input: unknown): Promise<string>
    createVerifier(input: { verificationMethod: Record<string, unknown> }): Promise<JcsVerifier>
    /**
     * SHA-256 of the JCS proof options (without `proofValue`) followed by SHA-256 of the JCS
     * document; sets `proof['@context']` (sign) or `document['@context']` (verify) in place.
     */
    createVerifyData(input: {
      cryptosuite: { readonly name: string; canonize(input: unknown): Promise<string> }
      document: Record<string, unknown>
      proof: Record<string, unknown>
      [option: string]: unknown
    }): Promise<Uint8Array>
  }
  export function createSignCryptosuite(): JcsCryptosuite
  export function createVerifyCryptosuite(): JcsCryptosuite
}

declare module '@digitalbazaar/ecdsa-multikey' {
  /** An ECDSA Multikey key pair (P-256, P-384). */
  export interface EcdsaMultikeyKeyPair {
    id?: string
    controller?: string
    publicKeyMultibase: string
    secretKeyMultibase?: string
    /** `id` is the key pair's `id` (set it before asking for the signer). */
    signer(): {
      id: string
      algorithm: 'P-256' | 'P-384' | 'P-521'
      sign(input: { data: Uint8Array }): Promise<Uint8Array>
    }
    verifier(): {
      id?: string
      algorithm: 'P-256' | 'P-384' | 'P-521'
      verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>
    }
    export(options: {
      publicKey?: boolean
      secretKey?: boolean
      includeContext?: boolean
      raw?: boolean
    }): Promise<{
      publicKeyMultibase?: string
      secretKeyMultibase?: string
      publicKey?: Uint8Array
      secretKey?: Uint8Array
    }>
  }
  export function generate(options: {
    curve: 'P-256' | 'P-384' | 'P-521'
    id?: string
    controller?: string
  }): Promise<EcdsaMultikeyKeyPair>
  export function from(key: {
    type?: string
    id?: string
    controller?: string
    publicKeyMultibase: string
    secretKeyMultibase?: string
    '@context'?: string | string[]
  }): Promise<EcdsaMultikeyKeyPair>
}

declare module '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite' {
  /** The library's cryptosuite object (`DataIntegrityProof`'s `cryptosuite` option). */
  export const cryptosuite: {
    readonly name: 'ecdsa-rdfc-2019'
    readonly requiredAlgorithm: readonly string[]
    /** jsonld.toRDF, then RDFC-1.0 with the options given (`messageDigestAlgorithm` …). */
    canonize(input: unknown, options: Record<string, unknown>): Promise<string>
    createVerifier(input: { verificationMethod: Record<string, unknown> }): Promise<{
      id?: string
      algorithm: string
      verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>
    }>
    createVerifyData(input: Record<string, unknown>): Promise<Uint8Array>
  }
}

declare module '@digitalbazaar/ecdsa-sd-2023-cryptosuite' {
  /** A cryptosuite object for `DataIntegrityProof` (sign, derive, verify or confirm). */
  interface SdCryptosuite {
    readonly name: 'ecdsa-sd-2023'
    readonly requiredAlgorithm: string
    readonly options?: Record<string, unknown>
    createVerifier(input: { verificationMethod: Record<string, unknown> }): Promise<{
      id?: string
      algorithm: string
      verify(input: { data: unknown }): Promise<boolean>
    }>
    createVerifyData(input: Record<string, unknown>): Promise<unknown>
    createProofValue?(input: Record<string, unknown>): Promise<string>
    derive?(input: Record<string, unknown>): Promise<Record<string, unknown>>
  }
  export function createSignCryptosuite(options?: {
    mandatoryPointers?: readonly string[]
  }): SdCryptosuite
  export function createDiscloseCryptosuite(options?: {
    proofId?: string
    selectivePointers?: readonly string[]
  }): SdCryptosuite
  export function createVerifyCryptosuite(): SdCryptosuite
  export function createConfirmCryptosuite(): SdCryptosuite
}

declare module '@digitalbazaar/data-integrity' {
  interface Signer {
    id: string
    algorithm: string
    sign(input: { data: Uint8Array }): Promise<Uint8Array>
  }
  export class DataIntegrityProof {
    constructor(options: { signer?: Signer; cryptosuite: object; date?: Date | string })
    readonly verificationMethod?: string
  }
}

declare module '@digitalbazaar/ed25519-signature-2020' {
  interface Signer {
    id: string
    algorithm: string
    sign(input: { data: Uint8Array }): Promise<Uint8Array>
  }
  export class Ed25519Signature2020 {
    constructor(options?: { signer?: Signer; date?: Date | string })
    readonly verificationMethod?: string
  }
  export const suiteContext: { CONTEXT_URL: string }
}

declare module '@digitalbazaar/ed25519-multikey' {
  export interface Ed25519MultikeyKeyPair {
    id?: string
    controller?: string
    publicKeyMultibase: string
    secretKeyMultibase?: string
    signer(): {
      id: string
      algorithm: 'Ed25519'
      sign(input: { data: Uint8Array }): Promise<Uint8Array>
    }
    verifier(): {
      id: string
      algorithm: 'Ed25519'
      verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>
    }
    export(options: {
      publicKey?: boolean
      secretKey?: boolean
      includeContext?: boolean
    }): Promise<{
      '@context'?: string
      type: 'Multikey'
      id?: string
      controller?: string
      publicKeyMultibase: string
      secretKeyMultibase?: string
    }>
  }
  export function generate(options?: {
    id?: string
    controller?: string
    seed?: Uint8Array
  }): Promise<Ed25519MultikeyKeyPair>
  export function from(key: {
    type?: string
    id?: string
    controller?: string
    publicKeyMultibase: string
    secretKeyMultibase?: string
    '@context'?: string
  }): Promise<Ed25519MultikeyKeyPair>
}

declare module '@digitalbazaar/vc' {
  type DocumentLoader = (url: string) => Promise<{
    contextUrl: string | null
    documentUrl: string
    document: unknown
  }>
  export function issue<T extends object>(options: {
    credential: T
    suite: object
    documentLoader: DocumentLoader
    now?: Date | string
    maxClockSkew?: number
  }): Promise<T & { proof: unknown }>
  export function verifyCredential(options: {
    credential: object
    suite: object | object[]
    documentLoader: DocumentLoader
    now?: Date | string
    maxClockSkew?: number
  }): Promise<{ verified: boolean; results?: unknown[]; error?: unknown }>
  /** A credential with a proof derived from its base proof (selective disclosure). */
  export function derive(options: {
    verifiableCredential: object
    suite: object
    documentLoader: DocumentLoader
  }): Promise<Record<string, unknown>>
  export function signPresentation<T extends object>(options: {
    presentation: T
    suite: object
    documentLoader: DocumentLoader
    challenge: string
    domain?: string
  }): Promise<T & { proof: unknown }>
}

declare module '@digitalbazaar/vpqr' {
  /** What `toQrCode` / `fromQrCode` accept as a document loader (the jsonld.js shape). */
  type VpqrDocumentLoader = (url: string) => Promise<{ document: unknown }>
  export function toQrCode(options: {
    vp: object
    documentLoader: VpqrDocumentLoader
    format?: 'cbor-ld-1.0' | 'legacy-range' | 'legacy-singleton'
    registryEntryId?: number
    moduleSize?: number
    margin?: number
    qrMultibaseEncoding?: 'R' | 'B'
    qrErrorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H'
    qrVersion?: number
  }): Promise<{
    payload: string
    imageDataUrl: string
    encodedCborld: string
    rawCborldBytes: Uint8Array
    version: number
  }>
  export function fromQrCode(options: {
    text: string
    documentLoader: VpqrDocumentLoader
  }): Promise<{ vp: unknown }>
}
