/**
 * The JWT door into the credential pipeline: a compact JWS (as text or UTF-8 bytes) or an
 * `EnvelopedVerifiableCredential` (`data:application/vc+jwt,<JWT>`) is opened here, and the
 * credential inside goes on through the same checks as a Data Integrity credential. The token's
 * size is bounded before anything is decoded, its header is checked (alg allow-list, `typ`,
 * `cty`) before any key is looked up, and its payload meets the same ingress scan as any JSON
 * input (duplicate keys, depth, forbidden keys …).
 *
 * @module
 */
import { isPlainObject, problem, type Problem } from '@certify-vc/context'
import {
  credentialOfJwt,
  decodeJwt,
  isEnvelope,
  looksLikeCompactJws,
  openEnvelope,
  type DecodedJwt,
} from '@certify-vc/core'
import { readInput } from '../ingress.js'
import type { PipelineOptions } from '../options.js'

/** A credential read out of a JWT. */
export interface JwtCredential {
  readonly jwt: DecodedJwt
  /** The credential (registered claims taken out, VC-JWT 1.1 members filled in from claims). */
  readonly document: Record<string, unknown>
  /** Claim problems (`ERR_JWT_*_MISMATCH` …), reported by the proof check. */
  readonly claimProblems: readonly Problem[]
}

/** The outcome of {@link readJwtCredential}. */
export type ReadJwtResult =
  /** Not a JWT: the input goes through the JSON door. */
  | { readonly kind: 'none' }
  | { readonly kind: 'jwt'; readonly credential: JwtCredential }
  /** Refused before it was read (`input`: malformed or too large). */
  | { readonly kind: 'refused-input'; readonly problems: readonly Problem[] }
  /** Readable but its header is refused (alg, typ, cty …): a proof failure. */
  | { readonly kind: 'refused-proof'; readonly problems: readonly Problem[] }

const MAX_TEXT_SNIFF = 16

/** The token in `input`, when the input is one (text, bytes or an enveloped credential). */
function tokenOf(input: unknown, maxBytes: number): string | Problem | undefined {
  if (isPlainObject(input) && isEnvelope(input)) {
    const opened = openEnvelope(input)
    return opened.ok ? opened.token : problem('ERR_JWT_ENVELOPE_INVALID', opened.message, '/id')
  }
  let text: string
  if (typeof input === 'string') text = input
  else if (input instanceof Uint8Array) {
    // Only bytes that start like a JWS header ("eyJ", base64url of '{"') are decoded as text.
    const head = new TextDecoder().decode(input.subarray(0, MAX_TEXT_SNIFF)).trimStart()
    if (!head.startsWith('eyJ')) return undefined
    if (input.length > maxBytes) {
      return problem('ERR_INPUT_TOO_LARGE', `The JWT is larger than ${maxBytes} bytes.`, '')
    }
    text = new TextDecoder().decode(input)
  } else return undefined
  const trimmed = text.trim()
  if (!trimmed.startsWith('eyJ')) return undefined
  if (trimmed.length > maxBytes) {
    return problem('ERR_INPUT_TOO_LARGE', `The JWT is larger than ${maxBytes} bytes.`, '')
  }
  return looksLikeCompactJws(trimmed)
    ? trimmed
    : problem('ERR_JWT_MALFORMED', 'The text is not a compact JWS (three base64url parts).', '')
}

/**
 * Opens `input` when it is a JWT-secured credential. Never throws.
 *
 * @param input - what the caller gave the pipeline.
 */
export function readJwtCredential(input: unknown, opts: PipelineOptions): ReadJwtResult {
  const token = tokenOf(input, opts.limits.maxBytes)
  if (token === undefined) return { kind: 'none' }
  if (typeof token !== 'string') {
    return token.code === 'ERR_JWT_ENVELOPE_INVALID'
      ? { kind: 'refused-proof', problems: [token] }
      : { kind: 'refused-input', problems: [token] }
  }
  const decoded = decodeJwt(token, {
    kind: 'credential',
    maxBytes: opts.limits.maxBytes,
    algorithms: opts.jwtAlgorithms,
  })
  if (!decoded.ok) {
    const code = decoded.problem.code
    return code === 'ERR_JWT_MALFORMED' || code === 'ERR_INPUT_TOO_LARGE'
      ? { kind: 'refused-input', problems: [decoded.problem] }
      : { kind: 'refused-proof', problems: [decoded.problem] }
  }
  // The payload meets the ingress rules of any JSON input.
  const read = readInput(decoded.payloadText, opts.limits, { baked: false })
  if (!read.ok) return { kind: 'refused-input', problems: read.problems }
  const { document, problems } = credentialOfJwt(decoded)
  return { kind: 'jwt', credential: { jwt: decoded, document, claimProblems: problems } }
}
