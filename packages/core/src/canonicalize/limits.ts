/**
 * Bounds on one RDFC-1.0 canonicalization (a poison graph can make it exponential; docs/attacks.md B1
 * in the project's attack catalog): a work factor and a time limit, applied on the fast and the
 * reference path alike, and the error a breach becomes.
 *
 * @see https://www.w3.org/TR/rdf-canon/#dataset-poisoning
 * @module
 */
import { CertifyError, findCertifyError } from '@certify-vc/context'

/** Bounds on one RDFC-1.0 canonicalization. */
export interface CanonicalizationLimits {
  /**
   * rdf-canonize `maxWorkFactor`, 0..3: at most n^factor deep iterations, n the number of blank
   * nodes the first pass cannot tell apart. Default 1 (linear), rdf-canonize's own default.
   */
  readonly maxWorkFactor?: number
  /** Time allowed for one canonicalization, in ms (`AbortSignal.timeout`). Default 5,000. */
  readonly timeoutMs?: number
}

/** The defaults of {@link CanonicalizationLimits}. */
export const DEFAULT_CANONICALIZATION_LIMITS: Required<CanonicalizationLimits> = Object.freeze({
  maxWorkFactor: 1,
  timeoutMs: 5000,
})

/** Validated limits with defaults applied. @throws {TypeError} */
export function resolveCanonicalizationLimits(
  limits: CanonicalizationLimits | undefined,
): Required<CanonicalizationLimits> {
  if (limits === undefined) return DEFAULT_CANONICALIZATION_LIMITS
  if (typeof limits !== 'object' || limits === null) {
    throw new TypeError('"limits" must be an object.')
  }
  const {
    maxWorkFactor = DEFAULT_CANONICALIZATION_LIMITS.maxWorkFactor,
    timeoutMs = DEFAULT_CANONICALIZATION_LIMITS.timeoutMs,
  } = limits
  if (!Number.isSafeInteger(maxWorkFactor) || maxWorkFactor < 0 || maxWorkFactor > 3) {
    throw new TypeError('"limits.maxWorkFactor" must be an integer from 0 to 3.')
  }
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw new TypeError('"limits.timeoutMs" must be a positive integer (milliseconds).')
  }
  return { maxWorkFactor, timeoutMs }
}

/**
 * The rdf-canonize options for one canonicalization under `limits`. rdf-canonize polls
 * `signal.aborted` (and reads `reason`) between batches of permutations, where it also yields to
 * the event loop; a deadline read on each poll is the same as `AbortSignal.timeout` there, without
 * a timer per call (`AbortSignal.timeout` costs tens of microseconds, on every canonicalization).
 */
export function rdfCanonizeOptions(limits: Required<CanonicalizationLimits>): {
  maxWorkFactor: number
  signal: AbortSignal
} {
  const signal = new DeadlineSignal(Date.now() + limits.timeoutMs, limits.timeoutMs)
  return { maxWorkFactor: limits.maxWorkFactor, signal: signal as unknown as AbortSignal }
}

/** The part of `AbortSignal` rdf-canonize reads, for a deadline (a class: one shape, no timer). */
class DeadlineSignal {
  constructor(
    private readonly deadline: number,
    private readonly timeoutMs: number,
  ) {}

  get aborted(): boolean {
    return Date.now() > this.deadline
  }

  get reason(): string {
    return `timeout after ${this.timeoutMs} ms`
  }
}

/**
 * `error` (from rdf-canonize, possibly wrapped) as `ERR_JSONLD_CANONIZE_LIMIT` when it reports a
 * breached work factor or an abort; otherwise `undefined`.
 */
export function canonizeLimitError(
  error: unknown,
  limits: Required<CanonicalizationLimits>,
): CertifyError | undefined {
  const ours = findCertifyError(error)
  if (ours !== undefined) return ours.code === 'ERR_JSONLD_CANONIZE_LIMIT' ? ours : undefined
  let current: unknown = error
  for (let i = 0; i < 8 && current instanceof Error; i++) {
    const message = current.message
    if (message.startsWith('Maximum deep iterations exceeded')) {
      return new CertifyError(
        'ERR_JSONLD_CANONIZE_LIMIT',
        `Canonicalization needs more work than allowed (work factor ${limits.maxWorkFactor}).`,
        { cause: error },
      )
    }
    if (
      message.startsWith('Abort signal received') ||
      current.name === 'TimeoutError' ||
      current.name === 'AbortError'
    ) {
      return new CertifyError(
        'ERR_JSONLD_CANONIZE_LIMIT',
        `Canonicalization took longer than ${limits.timeoutMs} ms.`,
        { cause: error },
      )
    }
    current = current.cause
  }
  return undefined
}
