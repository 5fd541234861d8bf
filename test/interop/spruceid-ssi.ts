/**
 * Open Badges 3.0 credentials signed, and verified, by SpruceID's ssi (Rust) through a WASM build
 * of its DIDKit.
 *
 * SpruceID's own npm build, `@spruceid/didkit-wasm-node` 0.2.1, cannot sign an OB 3.0 credential:
 * it knows a fixed list of contexts (neither the VC 2.0 context nor any OB 3.0 context), refuses
 * the VC 2.0 context as "Invalid context", fails on the OB context with "loading remote context
 * failed" without calling `fetch`, and takes no document loader or context map (pinned in
 * other-stacks.test.ts). So the credentials come from the same ssi/DIDKit code built by
 * LearnCard (`@learncard/didkit-plugin` 1.9.10, DIDKit 0.4.0), whose `issueCredential` and
 * `verifyCredential` take a context map: it is filled from certify-vc's pinned contexts, so
 * nothing is fetched. Only the WASM module and its wasm-bindgen glue are used, not LearnCard's
 * plugin layer.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { contexts } from '@certify-vc/context'
import {
  VARIANTS,
  unsignedOpenBadge,
  type InteropFormat,
  type InteropSuite,
} from './ob-template.js'
import type { InteropCredential } from './types.js'

/** The package and the DIDKit version it reports (`getVersion()`). */
export const SSI_STACK = '@learncard/didkit-plugin@1.9.10 (SpruceID ssi/DIDKit 0.4.0, WASM)'

/** The part of the DIDKit WASM API used here (didkit_wasm.d.ts of the package). */
interface DidkitWasm {
  initSync(options: { module: BufferSource }): unknown
  getVersion(): string
  generateEd25519KeyFromBytes(bytes: Uint8Array): string
  keyToDID(methodPattern: string, jwk: string): string
  keyToVerificationMethod(methodPattern: string, jwk: string): Promise<string>
  issueCredential(
    credential: string,
    proofOptions: string,
    key: string,
    contextMap: string,
  ): Promise<unknown>
  verifyCredential(vc: string, proofOptions: string, contextMap: string): Promise<unknown>
}

let loaded: Promise<DidkitWasm> | undefined

/**
 * The DIDKit WASM module, instantiated once from the bytes in the package. The package exports
 * only its `.wasm` files, so the glue beside them is imported by file URL. (Its default
 * initializer would download the module from LearnCard's CDN; `initSync` with the packaged bytes
 * never does.)
 */
export function loadDidkit(): Promise<DidkitWasm> {
  loaded ??= (async () => {
    const wasmPath = createRequire(import.meta.url).resolve(
      '@learncard/didkit-plugin/dist/didkit/didkit_wasm_bg.wasm',
    )
    const glue = pathToFileURL(join(dirname(wasmPath), 'didkit_wasm.js')).href
    const didkit = (await import(glue)) as DidkitWasm
    didkit.initSync({ module: readFileSync(wasmPath) })
    return didkit
  })()
  return loaded
}

/**
 * Every context certify-vc pins, as the context map DIDKit takes (URL → the document's JSON
 * text). DIDKit accepts no loader function, so this map is its whole world: offline.
 */
export const CONTEXT_MAP = JSON.stringify(
  Object.fromEntries([...contexts].map(([url, document]) => [url, JSON.stringify(document)])),
)

/** The proof options DIDKit takes for `suite` (`type`, and `cryptosuite` for Data Integrity). */
function proofOptions(suite: InteropSuite, verificationMethod: string): Record<string, string> {
  const common = { proofPurpose: 'assertionMethod', verificationMethod }
  if (suite === 'Ed25519Signature2020') return { ...common, type: 'Ed25519Signature2020' }
  return { ...common, type: 'DataIntegrityProof', cryptosuite: suite }
}

/** DIDKit returns JSON text from some calls and objects from others (by version): both here. */
function parsed(value: unknown): Record<string, unknown> {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>
}

async function signOne(
  format: InteropFormat,
  suite: InteropSuite,
  variant: (typeof VARIANTS)[number],
): Promise<InteropCredential> {
  const didkit = await loadDidkit()
  // A fresh key from 32 random bytes (DIDKit's own generateEd25519Key needs a CommonJS `module`
  // for its randomness under Node, which an ES module does not have).
  const jwk = didkit.generateEd25519KeyFromBytes(randomBytes(32))
  const did = didkit.keyToDID('key', jwk)
  const verificationMethod = await didkit.keyToVerificationMethod('key', jwk)
  const unsigned = unsignedOpenBadge({ format, issuer: did, ...variant, stack: 'SpruceID ssi' })
  const credential = parsed(
    await didkit.issueCredential(
      JSON.stringify(unsigned),
      JSON.stringify(proofOptions(suite, verificationMethod)),
      jwk,
      CONTEXT_MAP,
    ),
  )
  return {
    name: `spruceid-ssi ${suite} ${format} ${variant.issuerKind} issuer${variant.hasName ? ', named' : ', no name'}`,
    credential,
    stack: 'spruceid-ssi',
    stackVersion: SSI_STACK,
    format,
    suite,
    ...variant,
    issuer: did,
  }
}

/**
 * OB 3.0 credentials signed by SpruceID's ssi (DIDKit WASM), each with a fresh did:key: a URI
 * issuer without `name` and a Profile issuer with `name`, in eddsa-rdfc-2022 (VC 2.0) and in
 * Ed25519Signature2020 (VC 1.1).
 */
export async function* spruceIdSsiCredentials(): AsyncGenerator<InteropCredential> {
  for (const variant of VARIANTS) yield await signOne('vc2', 'eddsa-rdfc-2022', variant)
  for (const variant of VARIANTS) yield await signOne('vc1.1', 'Ed25519Signature2020', variant)
}

/** Verifies `credential` with DIDKit (same context map): its `errors`, empty when verified. */
export async function verifyWithSsi(
  credential: object,
): Promise<{ verified: boolean; errors: unknown[] }> {
  const didkit = await loadDidkit()
  const result = parsed(
    await didkit.verifyCredential(
      JSON.stringify(credential),
      JSON.stringify({ proofPurpose: 'assertionMethod' }),
      CONTEXT_MAP,
    ),
  ) as { checks?: unknown[]; errors?: unknown[] }
  const errors = result.errors ?? []
  return { verified: errors.length === 0 && (result.checks ?? []).includes('proof'), errors }
}
