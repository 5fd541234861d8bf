/**
 * The error base class and the plain-JSON problem record shared by issuer and verifier.
 *
 * Three channels (docs/design.md §5): caller mistakes throw `TypeError`; issuing failures throw a
 * {@link CertifyError} with a stable `code`; problems in data being verified are returned as
 * {@link Problem} records, never thrown.
 *
 * @module
 */
import { ERROR_CODES, type ErrorCode, type SpecProblemType } from './error-codes.js'

/** One problem found in a document: plain JSON, safe to serialise and show. */
export interface Problem {
  /** Stable code, e.g. `ERR_PROOF_INVALID`. */
  readonly code: ErrorCode
  /** For humans; may change in any release. */
  readonly message: string
  /** The specification's problem type, when one applies. */
  readonly type?: SpecProblemType
  /** JSON Pointer (RFC 6901) to the offending field in the input, when there is one. */
  readonly path?: string
}

/** Builds a {@link Problem}, filling in the spec type from the code table. */
export function problem(code: ErrorCode, message: string, path?: string): Problem {
  const info = ERROR_CODES[code]
  const type: SpecProblemType | undefined = 'specType' in info ? info.specType : undefined
  return {
    code,
    message,
    ...(type === undefined ? {} : { type }),
    ...(path === undefined ? {} : { path }),
  }
}

/** Base class of every error certify-vc throws on purpose. `code` is API; `message` is not. */
export class CertifyError extends Error {
  readonly code: ErrorCode
  readonly path: string | undefined

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; path?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'CertifyError'
    this.code = code
    this.path = options?.path
  }

  /** This error as a plain {@link Problem}. */
  toProblem(): Problem {
    return problem(this.code, this.message, this.path)
  }
}

/** Type guard for {@link CertifyError} that also works across duplicated package copies. */
export function isCertifyError(value: unknown): value is CertifyError {
  return (
    value instanceof CertifyError ||
    (value instanceof Error &&
      value.name === 'CertifyError' &&
      typeof (value as { code?: unknown }).code === 'string')
  )
}

/**
 * Finds the first {@link CertifyError} in `error` or its `cause` chain (jsonld.js and the Digital
 * Bazaar libraries wrap the errors our loaders throw). Returns `undefined` when there is none.
 */
export function findCertifyError(error: unknown, maxDepth = 8): CertifyError | undefined {
  let current: unknown = error
  for (let i = 0; i < maxDepth && current !== undefined && current !== null; i++) {
    if (isCertifyError(current)) return current
    if (typeof current !== 'object') return undefined
    const record = current as { cause?: unknown; details?: { cause?: unknown } }
    current = record.cause ?? record.details?.cause
  }
  return undefined
}
