/**
 * Argument parsing and error reporting shared by the commands: `node:util` `parseArgs` with its
 * errors turned into {@link UsageError}s, and one place that maps errors to exit codes.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { explainErrorCode, isCertifyError, isErrorCode } from '@certify-vc/context'
import { sanitize } from './format.js'
import { EXIT, type CliIo } from './io.js'

/** A mistake in the command line or its inputs: reported with a hint, exit code 2. */
export class UsageError extends Error {
  /** A certify-vc error code that names the mistake, when one does (`ERR_ISSUE_PROGRAM_UNKNOWN`). */
  readonly code: string | undefined

  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'UsageError'
    this.code = options?.code
  }
}

/** The parsed arguments of `config`, precisely typed. */
export type Parsed<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>

/**
 * `parseArgs` in strict mode; its errors (unknown option, missing value, stray positional) become
 * {@link UsageError}s.
 *
 * @throws {UsageError}
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): Parsed<T> {
  try {
    return parseArgs<T>({ strict: true, ...config })
  } catch (error) {
    if (
      error instanceof TypeError &&
      String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')
    ) {
      throw new UsageError(error.message)
    }
    throw error
  }
}

/** The value of a string option, or a {@link UsageError} when it is missing or empty. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required.`)
  return value
}

/**
 * Writes `error` to stderr and returns the exit code: 2 for a {@link UsageError}, 1 for anything
 * else. A `CertifyError` is shown with its code and the code's one-line explanation.
 */
export function reportError(command: string, error: unknown, io: CliIo): number {
  const prefix = command === '' ? 'certify-vc' : `certify-vc ${command}`
  if (error instanceof UsageError) {
    const code = error.code === undefined ? '' : `error ${error.code}: `
    io.stderr.write(`${prefix}: ${code}${sanitize(error.message)}\n`)
    io.stderr.write(`Run '${prefix} --help' for usage.\n`)
    return EXIT.usage
  }
  if (isCertifyError(error)) {
    const explanation = isErrorCode(error.code) ? ` (${explainErrorCode(error.code)})` : ''
    io.stderr.write(`${prefix}: error ${error.code}: ${sanitize(error.message)}${explanation}\n`)
    return EXIT.failed
  }
  const message = error instanceof Error ? error.message : String(error)
  io.stderr.write(`${prefix}: ${sanitize(message)}\n`)
  return EXIT.failed
}

/** The `code` of a Node.js system error (`ENOENT`, `EACCES`, …), if any. */
export function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { code } = error as { code?: unknown }
  return typeof code === 'string' ? code : undefined
}

/** A short human reason for a failed file operation. */
export function describeFileError(error: unknown): string {
  switch (systemErrorCode(error)) {
    case 'ENOENT':
      return 'no such file or directory'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EISDIR':
      return 'is a directory'
    case 'ENOTDIR':
      return 'a parent is not a directory'
    default:
      return systemErrorCode(error) ?? (error instanceof Error ? error.message : 'error')
  }
}
