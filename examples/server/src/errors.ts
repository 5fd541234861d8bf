/**
 * Problem bodies for HTTP errors: `{ verified?, errors: [{ code, message, type?, path? }] }`.
 *
 * @module
 */
import { findCertifyError, problem, type ErrorCode, type Problem } from '@certify-vc/context'

/** A JSON error body. */
export interface ErrorBody {
  errors: Problem[]
  [key: string]: unknown
}

/** One problem as a body. */
export function errorBody(code: ErrorCode, message: string, path?: string): ErrorBody {
  return { errors: [problem(code, message, path)] }
}

/** The problem of an error thrown by the issuer package, or undefined if it is not one. */
export function problemOf(error: unknown): Problem | undefined {
  const certify = findCertifyError(error)
  if (certify === undefined) return undefined
  return certify.toProblem()
}
