/**
 * Presentations secured as JWTs (VC-JOSE-COSE `vp+jwt`; VC-JWT 1.1, the presentation in `vp`):
 * a compact JWS (text or bytes) or an `EnvelopedVerifiablePresentation` is opened here, and the
 * presentation inside meets the same checks as a Data Integrity one. The JWS is its proof: the
 * header rules and the alg allow-list of credentials, the `kid` through the key step with the
 * `authentication` relationship (of the holder, or of `iss`), the signature through `jose`;
 * `nonce` is the challenge and `aud` the domain, compared by the same binding checks (and codes)
 * as a Data Integrity proof's; `exp` past is `ERR_PROOF_EXPIRED`, `nbf` / `iat` ahead of the
 * clock `ERR_PROOF_CREATED_INVALID`.
 *
 * @see https://www.w3.org/TR/vc-jose-cose/#securing-vps-with-jose
 * @see https://www.w3.org/TR/vc-data-model-1.1/#jwt-encoding
 * @module
 */
import { idOf, isPlainObject, problem, type ErrorCode, type Problem } from '@certify-vc/context'
import {
  JWS_ALGORITHM_KEY_TYPES,
  REGISTERED_CLAIMS,
  credentialOfJwt,
  decodeJwt,
  isEnvelope,
  looksLikeCompactJws,
  openEnvelope,
  resolveProofKey,
  verifyJwsSignature,
  type DecodedJwt,
} from '@certify-vc/core'
import { verificationMethodOfKid } from '../checks/jwt-proof.js'
import { readInput } from '../ingress.js'
import type { PipelineOptions } from '../options.js'
import type { BindingProof } from './binding.js'

/** What {@link readJwtPresentation} found. */
export type ReadJwtPresentation =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'jwt'
      readonly jwt: DecodedJwt
      readonly document: Record<string, unknown>
    }
  | { readonly kind: 'refused-input'; readonly problems: readonly Problem[] }
  | { readonly kind: 'refused-proof'; readonly problems: readonly Problem[] }

function tokenOf(input: unknown, maxBytes: number): string | Problem | undefined {
  if (isPlainObject(input) && isEnvelope(input, 'presentation')) {
    const opened = openEnvelope(input, 'presentation')
    return opened.ok ? opened.token : problem('ERR_JWT_ENVELOPE_INVALID', opened.message, '/id')
  }
  const text =
    typeof input === 'string'
      ? input
      : input instanceof Uint8Array && input.length <= maxBytes
        ? new TextDecoder().decode(input)
        : undefined
  const trimmed = text?.trim()
  if (trimmed === undefined || !trimmed.startsWith('eyJ')) return undefined
  if (trimmed.length > maxBytes) {
    return problem('ERR_INPUT_TOO_LARGE', `The JWT is larger than ${maxBytes} bytes.`, '')
  }
  return looksLikeCompactJws(trimmed)
    ? trimmed
    : problem('ERR_JWT_MALFORMED', 'The text is not a compact JWS (three base64url parts).', '')
}

/** Opens `input` when it is a JWT-secured presentation. Never throws. */
export function readJwtPresentation(input: unknown, opts: PipelineOptions): ReadJwtPresentation {
  const token = tokenOf(input, opts.limits.maxBytes)
  if (token === undefined) return { kind: 'none' }
  const refused = (p: Problem): ReadJwtPresentation =>
    p.code === 'ERR_JWT_MALFORMED' || p.code === 'ERR_INPUT_TOO_LARGE'
      ? { kind: 'refused-input', problems: [p] }
      : { kind: 'refused-proof', problems: [p] }
  if (typeof token !== 'string') return refused(token)
  const decoded = decodeJwt(token, {
    kind: 'presentation',
    maxBytes: opts.limits.maxBytes,
    algorithms: opts.jwtAlgorithms,
  })
  if (!decoded.ok) return refused(decoded.problem)
  const read = readInput(decoded.payloadText, opts.limits, { perCredentialBlankNodes: true })
  if (!read.ok) return { kind: 'refused-input', problems: read.problems }
  const { payload } = decoded
  const legacy = decoded.encoding === 'vc-jwt'
  const document: Record<string, unknown> = structuredClone(
    legacy ? (payload.vp as Record<string, unknown>) : payload,
  )
  if (!legacy) for (const claim of REGISTERED_CLAIMS) delete document[claim]
  // VC 1.1 §6.3.1: iss stands for the holder, jti for the id, when those are left out.
  if (legacy && document.holder === undefined && typeof payload.iss === 'string') {
    document.holder = payload.iss
  }
  if (legacy && document.id === undefined && typeof payload.jti === 'string') {
    document.id = payload.jti
  }
  return { kind: 'jwt', jwt: decoded, document }
}

/** The outcome of {@link checkJwtPresentationProof}. */
export interface JwtPresentationProof {
  readonly problems: readonly Problem[]
  /** The JWS as a proof for the binding checks (none when its key was not named). */
  readonly proofs: readonly BindingProof[]
}

const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** The `proof` check of a JWT presentation: claims, key, signature. Never throws. */
export async function checkJwtPresentationProof(
  jwt: DecodedJwt,
  document: Readonly<Record<string, unknown>>,
  pipeline: PipelineOptions,
): Promise<JwtPresentationProof> {
  const { payload, header } = jwt
  const problems: Problem[] = []
  const fail = (code: ErrorCode, message: string) => problems.push(problem(code, message, ''))
  const holder = idOf(document.holder)
  const iss = payload.iss
  if (iss !== undefined && typeof iss !== 'string')
    fail('ERR_JWT_CLAIMS_INVALID', '"iss" must be a string.')
  else if (iss !== undefined && holder !== undefined && iss !== holder) {
    fail('ERR_JWT_ISS_MISMATCH', `"iss" is ${iss}, the presentation's holder ${holder}.`)
  }
  if (payload.jti !== undefined && payload.jti !== document.id) {
    fail('ERR_JWT_JTI_MISMATCH', `"jti" is not the presentation's id.`)
  }
  if (document.proof !== undefined) {
    fail('ERR_JWT_EMBEDDED_PROOF', 'The presentation inside the JWT also carries a "proof".')
  }
  const now = pipeline.now.getTime() / 1000
  const skew = pipeline.maxClockSkewSeconds
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    const value = payload[claim]
    if (value === undefined) continue
    if (!isNumericDate(value)) {
      fail('ERR_JWT_CLAIMS_INVALID', `"${claim}" must be a NumericDate (seconds).`)
    } else if (claim === 'exp' && value < now - skew) {
      fail(
        'ERR_PROOF_EXPIRED',
        `The presentation expired at ${new Date(value * 1000).toISOString()}.`,
      )
    } else if (claim !== 'exp' && value > now + skew) {
      fail('ERR_PROOF_CREATED_INVALID', `"${claim}" is in the future.`)
    }
  }
  const kid = header.kid
  if (typeof kid !== 'string' || kid === '') {
    fail('ERR_JWT_KID_MISSING', 'The JWS header names no key ("kid").')
    return { problems, proofs: [] }
  }
  const signer = holder ?? (typeof iss === 'string' ? iss : undefined)
  const vmId = verificationMethodOfKid(kid, signer)
  const did = vmId.split('#')[0] ?? ''
  const r = await resolveProofKey(vmId, {
    didResolver: pipeline.didResolver,
    relationship: 'authentication',
    path: '',
    keyTypes: [JWS_ALGORITHM_KEY_TYPES[jwt.alg]],
  })
  const proof: BindingProof = {
    path: '',
    proof: {
      ...(payload.nonce === undefined ? {} : { challenge: payload.nonce }),
      ...(payload.aud === undefined ? {} : { domain: payload.aud }),
    },
    verificationMethod: vmId,
    did,
    ...(r.key === undefined ? {} : { key: r.key.verificationMethod }),
  }
  if (!r.ok) return { problems: [...problems, r.problem], proofs: [proof] }
  const signature = await verifyJwsSignature(
    jwt.token,
    jwt.alg,
    r.key.verificationMethod.publicKeyMultibase,
  )
  return { problems: signature === undefined ? problems : [signature], proofs: [proof] }
}

/**
 * The credential an embedded value stands for: the credential inside an enveloped vc+jwt (for
 * the subject binding, which reads `credentialSubject`), else the value itself. Only used once
 * the credential itself verified through the pipeline.
 */
export function credentialOfEmbedded(value: unknown, pipeline: PipelineOptions): unknown {
  if (!isEnvelope(value)) return value
  const opened = openEnvelope(value)
  if (!opened.ok) return value
  const decoded = decodeJwt(opened.token, {
    kind: 'credential',
    maxBytes: pipeline.limits.maxBytes,
    algorithms: pipeline.jwtAlgorithms,
  })
  return decoded.ok ? credentialOfJwt(decoded).document : value
}
