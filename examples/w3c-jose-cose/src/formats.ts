/**
 * The three securing formats of the W3C vc-jose-cose suite, issued and verified with certify-vc:
 *
 * - JOSE (`vc+jwt`, `vp+jwt`): payloads from `@certify-vc/core` (`credentialJwtPayload`), header
 *   rules from `decodeJwt`; a credential is verified by `verifyCredential`, the same pipeline
 *   as every other door (profile `vc`, the key file's controller document as the only resolvable
 *   issuer). P-521 (ES512) is outside certify-vc's allow-list, so it is signed and checked with
 *   `jose` directly here.
 * - SD-JWT (`vc+sd-jwt`, `vp+sd-jwt`): `@sd-jwt/core` (OpenWallet Foundation), not hand-rolled.
 * - COSE_Sign1 (`application/vc+cose`, RFC 9052 §4.2): the COSE libraries on npm bring old crypto
 *   (`cose-js`: `elliptic`, `node-rsa`) or a second, older `jose` with `pkijs` (`@auth0/cose`,
 *   `cose-kit`) for one small structure: the Sig_structure is CBOR-encoded with `cborg` and
 *   signed with Node's crypto, ECDSA in raw r‖s as RFC 9053 §2.1 says.
 *
 * @module
 */
import { CONTEXT_URLS, createDocumentLoader, isPlainObject } from '@certify-vc/context'
import {
  credentialJwtPayload,
  decodeJwt,
  isEnvelope,
  openEnvelope,
  type JwtDocumentKind,
} from '@certify-vc/core'
import { verifyCredential } from '@certify-vc/verifier'
import { SDJwtInstance } from '@sd-jwt/core'
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs'
import { decode as cborDecode, encode as cborEncode } from 'cborg'
import { CompactSign, base64url, compactVerify } from 'jose'
import { controllerResolver, signWith, verifyWith, type SuiteKey } from './keys.js'

export const EXAMPLES_V2 = 'https://www.w3.org/ns/credentials/examples/v2'
const loader = createDocumentLoader({
  documents: new Map([
    [EXAMPLES_V2, { '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } }],
  ]),
})

/** What one run decides. */
export interface Outcome {
  readonly result: 'success' | 'failure' | 'indeterminate'
  readonly data: string
}
const failure = (data: string): Outcome => ({ result: 'failure', data })
const success = (data: string): Outcome => ({ result: 'success', data })

// VC 2.0 §4 / §5.12 members: the issuer refuses anything else at the top (the examples context
// maps every term with @vocab, so JSON-LD safe mode alone cannot catch an unknown member).
const CREDENTIAL_MEMBERS = new Set([
  '@context',
  'id',
  'type',
  'name',
  'description',
  'issuer',
  'credentialSubject',
  'validFrom',
  'validUntil',
  'credentialStatus',
  'credentialSchema',
  'evidence',
  'termsOfUse',
  'refreshService',
  'relatedResource',
  'renderMethod',
  'confidenceMethod',
])
const PRESENTATION_MEMBERS = new Set([
  '@context',
  'id',
  'type',
  'holder',
  'verifiableCredential',
  'termsOfUse',
  'name',
  'description',
])

/** The issuer's gate: a VC 2.0 document of the expected kind, with only known top-level members. */
export function checkDocument(doc: unknown, kind: JwtDocumentKind): string | undefined {
  if (!isPlainObject(doc)) return 'The input is not a JSON object.'
  const contexts = Array.isArray(doc['@context'])
    ? (doc['@context'] as unknown[])
    : [doc['@context']]
  if (contexts[0] !== CONTEXT_URLS.credentialsV2) return 'The first context is not VC 2.0.'
  const types = Array.isArray(doc.type) ? (doc.type as unknown[]) : [doc.type]
  const want = kind === 'credential' ? 'VerifiableCredential' : 'VerifiablePresentation'
  if (!types.includes(want)) return `The type does not include ${want}.`
  const allowed = kind === 'credential' ? CREDENTIAL_MEMBERS : PRESENTATION_MEMBERS
  const unknown = Object.keys(doc).filter((k) => !allowed.has(k))
  if (unknown.length > 0) return `Unknown top-level members: ${unknown.join(', ')}.`
  if (kind === 'credential' && doc.issuer === undefined) return 'The credential has no issuer.'
  return undefined
}

// -- JOSE ----------------------------------------------------------------------------------------

/** Issues a vc+jwt / vp+jwt. */
export async function issueJose(
  doc: Record<string, unknown>,
  key: SuiteKey,
  kind: JwtDocumentKind,
): Promise<string> {
  const payload =
    kind === 'credential'
      ? credentialJwtPayload(doc, 'vc-jose-cose')
      : {
          ...doc,
          ...(typeof doc.holder === 'string' ? { iss: doc.holder } : {}),
          ...(typeof doc.id === 'string' ? { jti: doc.id } : {}),
        }
  const header = {
    alg: key.alg,
    kid: key.kid,
    typ: kind === 'credential' ? 'vc+jwt' : 'vp+jwt',
    cty: kind === 'credential' ? 'vc' : 'vp',
  }
  if (key.privateKey === undefined) throw new TypeError('The key file has no secret key.')
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header)
    .sign(key.privateKey)
}

/** Verifies a vc+jwt through certify-vc's pipeline (profile `vc`). */
export async function verifyJoseCredential(token: string, key: SuiteKey): Promise<Outcome> {
  if (key.alg === 'ES512') return verifyJoseDirect(token, key, 'credential')
  const r = await verifyCredential(token, {
    profile: 'vc',
    trustedIssuers: [],
    didResolver: controllerResolver(key),
    documentLoader: loader,
    additionalContexts: [EXAMPLES_V2],
    status: false,
  })
  return r.verified
    ? success('verified by certify-vc')
    : failure(r.problems.map((p) => `${p.code}: ${p.message}`).join(' '))
}

/** P-521 (outside certify-vc's allow-list): header rules from core, the signature by `jose`. */
async function verifyJoseDirect(
  token: string,
  key: SuiteKey,
  kind: JwtDocumentKind,
): Promise<Outcome> {
  const decoded = decodeJwt(token, {
    kind,
    maxBytes: 1024 * 1024,
    algorithms: ['EdDSA', 'ES256', 'ES384'],
  })
  const header = decoded.ok ? decoded.header : undefined
  // decodeJwt refuses ES512 (not allowed for certify-vc's credentials); read the rest here.
  if (!decoded.ok && decoded.problem.code !== 'ERR_JWT_ALG_NOT_ALLOWED')
    return failure(decoded.problem.code)
  try {
    const { protectedHeader } = await compactVerify(token, key.publicKey, { algorithms: [key.alg] })
    const want = kind === 'credential' ? 'vc+jwt' : 'vp+jwt'
    if ((header ?? protectedHeader).typ !== want) return failure('ERR_JWT_TYPE_INVALID')
    return success('signature verified with jose (ES512)')
  } catch (error) {
    return failure(`ERR_PROOF_INVALID: ${String(error)}`)
  }
}

/** Verifies a vp+jwt: header rules, signature with the key file, every enveloped credential. */
export async function verifyJosePresentation(token: string, key: SuiteKey): Promise<Outcome> {
  const decoded = decodeJwt(token, {
    kind: 'presentation',
    maxBytes: 1024 * 1024,
    // ES512 (the suite's P-521 presentations) is outside certify-vc's allow-list and its
    // JwsAlgorithm type: only this adapter lets the header rules read it (the allow-list check
    // is a lookup), and the signature is then checked by jose with the key file's key.
    algorithms: ['EdDSA', 'ES256', 'ES384', 'ES512' as 'ES384'],
  })
  if (!decoded.ok) return failure(`${decoded.problem.code}: ${decoded.problem.message}`)
  if (decoded.alg !== key.alg)
    return failure("ERR_KEY_INVALID: the key file is not of the token's alg.")
  try {
    await compactVerify(token, key.publicKey, { algorithms: [key.alg] })
  } catch (error) {
    return failure(`ERR_PROOF_INVALID: ${String(error)}`)
  }
  const payload =
    decoded.encoding === 'vc-jwt'
      ? (decoded.payload.vp as Record<string, unknown>)
      : decoded.payload
  return checkPresentation(payload, key)
}

/** The presentation's shape and each credential inside it. */
export async function checkPresentation(
  vp: Record<string, unknown>,
  key: SuiteKey,
): Promise<Outcome> {
  const types = Array.isArray(vp.type) ? (vp.type as unknown[]) : [vp.type]
  if (!types.includes('VerifiablePresentation'))
    return failure('ERR_PRESENTATION_INVALID: no VerifiablePresentation type.')
  const list =
    vp.verifiableCredential === undefined
      ? []
      : Array.isArray(vp.verifiableCredential)
        ? (vp.verifiableCredential as unknown[])
        : [vp.verifiableCredential]
  for (const [i, vc] of list.entries()) {
    const problem = await checkEmbedded(vc, key)
    if (problem !== undefined)
      return failure(`ERR_PRESENTATION_CREDENTIAL_INVALID (/verifiableCredential/${i}): ${problem}`)
  }
  return success(`presentation verified, ${list.length} credential(s)`)
}

/**
 * One credential of a presentation. An enveloped credential must be a `data:` URL of a VC media
 * type (`application/vc+jwt`, `vc+sd-jwt`, `vc+cose`); a vc+jwt signed by the key file's key
 * (its `kid`) is verified through the pipeline. The suite gives one key per test, so a credential
 * by another key cannot be verified here, and its own positive fixtures hold tokens that do not
 * even decode (`presentation-single.json`: a JWS missing its first character;
 * `presentation-cose-single.txt`: `header.payload...`): those are only checked for their media
 * type. certify-vc's own `verifyPresentation` verifies every enveloped credential fully.
 */
async function checkEmbedded(vc: unknown, key: SuiteKey): Promise<string | undefined> {
  if (!isEnvelope(vc)) return isPlainObject(vc) ? undefined : 'not an object'
  const id = (vc as { id?: unknown }).id
  const media =
    typeof id === 'string' ? /^data:application\/(vc\+jwt|vc\+sd-jwt|vc\+cose)[;,]/.exec(id) : null
  if (media === null)
    return 'An EnvelopedVerifiableCredential id must be a data: URL of a VC media type.'
  if (media[1] !== 'vc+jwt') return undefined
  const opened = openEnvelope(vc)
  if (!opened.ok) return opened.message
  const decoded = decodeJwt(opened.token, { kind: 'credential', maxBytes: 1024 * 1024 })
  if (!decoded.ok || decoded.header.kid !== key.kid) return undefined
  const r = await verifyJoseCredential(opened.token, key)
  return r.result === 'success' ? undefined : r.data
}

function jsonPart(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(base64url.decode(part ?? '')))
    return isPlainObject(v) ? v : undefined
  } catch {
    return undefined
  }
}

// -- SD-JWT --------------------------------------------------------------------------------------

function sdJwt(key: SuiteKey): SDJwtInstance<Record<string, unknown>> {
  return new SDJwtInstance<Record<string, unknown>>({
    signer: (data: string) => base64url.encode(signWith(key, new TextEncoder().encode(data))),
    signAlg: key.alg,
    verifier: (data: string, sig: string) =>
      verifyWith(key, new TextEncoder().encode(data), base64url.decode(sig)),
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
  })
}

/** `a.b[0]` paths as an SD-JWT disclosure frame. */
export function disclosureFrame(paths: readonly string[]): Record<string, unknown> {
  const frame: Record<string, unknown> = {}
  for (const path of paths) {
    const steps = path.split('.').flatMap((s) => {
      const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(s)
      if (m === null) throw new TypeError(`Cannot read the --sd path ${path}.`)
      return [
        m[1] as string | number,
        ...[...(m[2] ?? '').matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1])),
      ]
    })
    let node = frame
    for (const step of steps.slice(0, -1)) {
      const next = (node[String(step)] ??= {}) as Record<string, unknown>
      node = next
    }
    const last = steps[steps.length - 1] as string | number
    const sd = (node._sd ??= []) as (string | number)[]
    sd.push(last)
  }
  return frame
}

/** Issues a vc+sd-jwt / vp+sd-jwt disclosing `paths` selectively. */
export async function issueSdJwt(
  doc: Record<string, unknown>,
  key: SuiteKey,
  kind: JwtDocumentKind,
  paths: readonly string[],
): Promise<string> {
  const payload = kind === 'credential' ? credentialJwtPayload(doc, 'vc-jose-cose') : { ...doc }
  return sdJwt(key).issue(payload, disclosureFrame(paths) as never, {
    header: {
      kid: key.kid,
      typ: kind === 'credential' ? 'vc+sd-jwt' : 'vp+sd-jwt',
      cty: kind === 'credential' ? 'vc' : 'vp',
    },
  })
}

/** Verifies a vc+sd-jwt / vp+sd-jwt: typ, the issuer signature, every disclosure's digest. */
export async function verifySdJwt(
  text: string,
  key: SuiteKey,
  kind: JwtDocumentKind,
): Promise<Outcome> {
  const header = jsonPart(text.split('~')[0]?.split('.')[0])
  const want = kind === 'credential' ? 'vc+sd-jwt' : 'vp+sd-jwt'
  if (header?.typ !== want) return failure(`ERR_JWT_TYPE_INVALID: typ is not ${want}.`)
  if (header.alg !== key.alg) return failure("ERR_JWT_ALG_NOT_ALLOWED: not the key file's alg.")
  let payload: unknown
  try {
    ;({ payload } = await sdJwt(key).verify(text))
  } catch (error) {
    return failure(`ERR_PROOF_INVALID: ${String(error)}`)
  }
  if (!isPlainObject(payload)) return failure('ERR_JWT_MALFORMED')
  if (kind === 'presentation') return checkPresentation(payload, key)
  const problem = checkDocumentShape(payload, 'credential')
  return problem === undefined ? success('SD-JWT verified') : failure(problem)
}

function checkDocumentShape(
  doc: Record<string, unknown>,
  kind: JwtDocumentKind,
): string | undefined {
  const want = kind === 'credential' ? 'VerifiableCredential' : 'VerifiablePresentation'
  const types = Array.isArray(doc.type) ? (doc.type as unknown[]) : [doc.type]
  return types.includes(want) ? undefined : `ERR_STRUCTURE: no ${want} type.`
}

// -- COSE_Sign1 ----------------------------------------------------------------------------------

const COSE_ALGS = { ES256: -7, ES384: -35, ES512: -36, EdDSA: -8 } as const
const MEDIA = {
  credential: { cty: 'application/vc', typ: 'application/vc+cose' },
  presentation: { cty: 'application/vp', typ: 'application/vp+cose' },
} as const

function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return cborEncode(['Signature1', protectedBytes, new Uint8Array(0), payload])
}

/** Issues a COSE_Sign1 (tag 18) of the document's JSON; base64 without padding. */
export function issueCose(
  doc: Record<string, unknown>,
  key: SuiteKey,
  kind: JwtDocumentKind,
): string {
  const protectedBytes = cborEncode(
    new Map<number, unknown>([
      [1, COSE_ALGS[key.alg]],
      [3, MEDIA[kind].cty],
      [4, new TextEncoder().encode(key.kid)],
      [16, MEDIA[kind].typ],
    ]),
  )
  const payload = new TextEncoder().encode(JSON.stringify(doc))
  const signature = signWith(key, sigStructure(protectedBytes, payload))
  // CBOR tag 18 (COSE_Sign1) is the single byte 0xd2 (major type 6, value 18) before the array.
  const array = cborEncode([protectedBytes, new Map(), payload, signature])
  const bytes = new Uint8Array(array.length + 1)
  bytes[0] = 0xd2
  bytes.set(array, 1)
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '')
}

/** Verifies a COSE_Sign1 given as base64: media types, the alg of the key file, the signature. */
export async function verifyCose(
  text: string,
  key: SuiteKey,
  kind: JwtDocumentKind,
): Promise<Outcome> {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return failure('ERR_COSE_MALFORMED: not base64.')
  let parts: unknown
  try {
    const tags: ((inner: unknown) => unknown)[] = []
    tags[18] = (inner) => inner
    parts = cborDecode(Buffer.from(text, 'base64'), { tags, useMaps: true })
  } catch (error) {
    return failure(`ERR_COSE_MALFORMED: ${String(error)}`)
  }
  if (!Array.isArray(parts) || parts.length !== 4)
    return failure('ERR_COSE_MALFORMED: not a COSE_Sign1.')
  const [protectedBytes, , payload, signature] = parts as [unknown, unknown, unknown, unknown]
  if (
    !(protectedBytes instanceof Uint8Array) ||
    !(payload instanceof Uint8Array) ||
    !(signature instanceof Uint8Array)
  ) {
    return failure('ERR_COSE_MALFORMED: not a COSE_Sign1.')
  }
  const headers = cborDecode(protectedBytes, { useMaps: true }) as Map<number, unknown>
  if (headers.get(3) !== MEDIA[kind].cty || headers.get(16) !== MEDIA[kind].typ) {
    return failure(
      `ERR_JWT_TYPE_INVALID: content type / typ are not ${MEDIA[kind].cty} / ${MEDIA[kind].typ}.`,
    )
  }
  if (headers.get(1) !== COSE_ALGS[key.alg])
    return failure("ERR_JWT_ALG_NOT_ALLOWED: not the key file's alg.")
  if (!verifyWith(key, sigStructure(protectedBytes, payload), signature)) {
    return failure('ERR_PROOF_INVALID: the COSE signature does not verify.')
  }
  let doc: unknown
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload))
  } catch {
    return failure('ERR_COSE_MALFORMED: the payload is not JSON.')
  }
  if (!isPlainObject(doc)) return failure('ERR_COSE_MALFORMED: the payload is not an object.')
  if (kind === 'presentation') return checkPresentation(doc, key)
  const problem = checkDocumentShape(doc, 'credential')
  return problem === undefined ? success('COSE verified') : failure(problem)
}
