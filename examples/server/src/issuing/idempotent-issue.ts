/**
 * Issuing exactly once, on any instance: every issue request first claims its credential id
 * (and its `Idempotency-Key`, when sent) in the shared database, whose unique keys let only one
 * of any number of concurrent requests through. A retry of the same request (same route and
 * body) gets the credential already issued, byte for byte, with 200; the same key or id with a
 * different request is refused. A claim whose instance died is taken over by a retry after the
 * lease; one nobody retries is abandoned later and its status index voided (see
 * `interrupted-issues.ts`), so no allocation stays active unexplained.
 *
 * @module
 */
import { createHash, randomUUID } from 'node:crypto'
import { problem, type ErrorCode, type Problem } from '@certify-vc/context'
import type { CredentialStore, IssueClaim, IssuedRecord } from '../storage/types.js'

/** How long issuing may take before a retry may take the request over. */
export const DEFAULT_ISSUE_LEASE_SECONDS = 30
/** After how long a claim nobody completed is abandoned and its index voided. */
export const DEFAULT_ISSUE_ABANDON_SECONDS = 900
/** How long a request waits for a concurrent one with the same key before answering 409. */
const WAIT_FOR_CONCURRENT_MS = 5_000
const POLL_MS = 100
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/** What the work of an issue route produced. */
export type IssueOutcome =
  | {
      readonly kind: 'issued'
      readonly signed: Record<string, unknown>
      readonly record: IssuedRecord
      /** List it in the public directory. */
      readonly listed: boolean
    }
  | {
      readonly kind: 'refused'
      readonly status: number
      readonly body: Record<string, unknown>
      /**
       * Keep the claim (an allocation may be left that could not be voided): the sweeper
       * abandons it later and voids the allocation. Default: the claim is released, so that the
       * request can be sent again.
       */
      readonly keepClaim?: boolean
    }

/** What the work gets besides the credential id. */
export interface IssueContext {
  /**
   * `true` when an earlier attempt of this request held the claim and died: it may have
   * allocated a status index for this credential id.
   */
  readonly resumed: boolean
  /**
   * Moves the claim to `newCredentialId` (after voiding what the earlier attempt allocated for
   * the old id). Resolves `false` when this attempt no longer holds the claim.
   */
  reassign(newCredentialId: string): Promise<boolean>
}

/** An issue request. */
export interface IssueRequest {
  /** The route path, part of the request's fingerprint. */
  readonly route: string
  /** The parsed body. */
  readonly body: unknown
  /** The `Idempotency-Key` header, checked by {@link idempotencyKeyOf}. */
  readonly idempotencyKey?: string
  /** The credential id the caller chose, if any. */
  readonly credentialId?: string
}

/** The HTTP answer. */
export interface IssueAnswer {
  readonly status: number
  readonly body: Record<string, unknown>
  readonly headers?: Record<string, string>
}

/** Options of {@link issueOnce}. */
export interface IssueOnceOptions {
  readonly store: CredentialStore
  readonly leaseSeconds: number
  /** The clock, ms since the epoch. */
  readonly now?: () => number
}

/**
 * The `Idempotency-Key` header: `undefined` when absent, a problem when malformed (1 to 255
 * visible ASCII characters, one header).
 */
export function idempotencyKeyOf(header: unknown): string | Problem | undefined {
  if (header === undefined) return undefined
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
    return problem(
      'ERR_SERVER_BAD_REQUEST',
      'The Idempotency-Key header must be 1 to 255 visible ASCII characters.',
    )
  }
  return header
}

/** JSON with object keys sorted, so that equal requests have equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    )
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** SHA-256 of the route and the canonical body. */
export function fingerprintOf(route: string, body: unknown): string {
  return `sha256:${createHash('sha256')
    .update(canonicalJson([route, body]), 'utf8')
    .digest('hex')}`
}

function refusal(status: number, code: ErrorCode, message: string, path?: string): IssueAnswer {
  return { status, body: { errors: [problem(code, message, path)] } }
}

function inProgress(): IssueAnswer {
  return {
    ...refusal(
      409,
      'ERR_ISSUE_IN_PROGRESS',
      'This request is being issued by another attempt; retry shortly for its result.',
    ),
    headers: { 'retry-after': '1' },
  }
}

/**
 * Runs `work` at most once per request across instances and answers: 201 with the new
 * credential, 200 with the one issued earlier for the same request (header
 * `idempotent-replayed: true`), 409 while another attempt is issuing it
 * (`ERR_ISSUE_IN_PROGRESS`, `Retry-After`) or when an abandoned attempt was voided
 * (`ERR_ISSUE_INTERRUPTED`), 422 when the key or id belongs to a different request.
 */
export async function issueOnce(
  options: IssueOnceOptions,
  request: IssueRequest,
  work: (credentialId: string, context: IssueContext) => Promise<IssueOutcome>,
): Promise<IssueAnswer> {
  const { store } = options
  const clock = options.now ?? Date.now
  const fingerprint = fingerprintOf(request.route, request.body)
  const owner = randomUUID()
  let credentialId = request.credentialId ?? `urn:uuid:${randomUUID()}`
  const { claimed, claim } = await store.claim({
    credentialId,
    ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
    fingerprint,
    owner,
    now: clock(),
  })
  let resumed = false
  if (!claimed) {
    if (claim.fingerprint !== fingerprint) return conflict(claim, request)
    if (claim.state !== 'pending') return settled(store, claim)
    const taken = await store.takeOver(
      claim.credentialId,
      owner,
      clock() - options.leaseSeconds * 1000,
      clock(),
    )
    if (taken === undefined) return waitFor(store, claim.credentialId, clock)
    credentialId = taken.credentialId
    resumed = true
  }

  const context: IssueContext = {
    resumed,
    async reassign(newCredentialId) {
      const moved = await store.reassign(credentialId, owner, newCredentialId)
      if (moved) credentialId = newCredentialId
      return moved
    },
  }
  const outcome = await work(credentialId, context)
  if (outcome.kind === 'refused') {
    if (outcome.keepClaim !== true) await store.release(credentialId, owner)
    return { status: outcome.status, body: outcome.body }
  }
  if (!(await store.complete(owner, outcome.record, outcome.signed, outcome.listed))) {
    // Another attempt took the request over meanwhile: only its credential may be delivered.
    return waitFor(store, credentialId, clock)
  }
  return { status: 201, body: { verifiableCredential: outcome.signed } }
}

/** The answer for a key or id already used by a different request. */
function conflict(claim: IssueClaim, request: IssueRequest): IssueAnswer {
  if (request.idempotencyKey !== undefined && claim.idempotencyKey === request.idempotencyKey) {
    return refusal(
      422,
      'ERR_ISSUE_IDEMPOTENCY_CONFLICT',
      'This Idempotency-Key was used for a different request; nothing was issued.',
    )
  }
  return refusal(
    422,
    'ERR_ISSUE_INVALID_INPUT',
    'A credential with this id was issued already (by a different request).',
    '/id',
  )
}

/** The answer for a claim that is issued or abandoned. */
async function settled(store: CredentialStore, claim: IssueClaim): Promise<IssueAnswer> {
  if (claim.state === 'abandoned') {
    return refusal(
      409,
      'ERR_ISSUE_INTERRUPTED',
      'An earlier attempt of this request was interrupted and its status index voided; nothing ' +
        'was delivered. Send the request again with a new Idempotency-Key (and a new id).',
    )
  }
  const signed = await store.getCredential(claim.credentialId)
  if (signed === undefined) {
    return refusal(
      503,
      'ERR_SERVER_STORAGE',
      'The credential issued for this request cannot be read back; retry later.',
    )
  }
  return {
    status: 200,
    body: { verifiableCredential: signed },
    headers: { 'idempotent-replayed': 'true' },
  }
}

/** Waits a little for another attempt of the same request, then answers its result or 409. */
async function waitFor(
  store: CredentialStore,
  credentialId: string,
  clock: () => number,
): Promise<IssueAnswer> {
  const until = clock() + WAIT_FOR_CONCURRENT_MS
  for (;;) {
    const claim = await store.getClaim(credentialId)
    if (claim !== undefined && claim.state !== 'pending') return settled(store, claim)
    if (claim === undefined || clock() >= until) return inProgress()
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}
