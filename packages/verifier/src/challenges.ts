/**
 * Single-use presentation challenges (docs/attacks.md F1): a verifier issues a random challenge of 128
 * bits with a short lifetime, the holder signs it into the presentation, and the verifier
 * consumes it exactly once. jsonld-signatures checks only that the challenge is *equal*; single
 * use, expiry and "did we ever issue it" are this store's job.
 *
 * Browser-safe: randomness from `globalThis.crypto.getRandomValues`. The default storage is in
 * memory (one process); a server with several instances passes a {@link ChallengeStorage} backed
 * by its database, whose `markUsed` is one atomic statement.
 *
 * @module
 */
import { CertifyError } from '@certify-vc/context'

/** A challenge as stored. Plain JSON. */
export interface StoredChallenge {
  readonly challenge: string
  /** The domain it was issued for, when one was given. */
  readonly domain?: string
  /** When it stops being accepted, in ms since the epoch. */
  readonly expiresAt: number
  /** When it was consumed (or a consumption was attempted), in ms since the epoch. */
  readonly usedAt?: number
}

/**
 * Where challenges live. Every method may be synchronous or return a promise. `markUsed` must be
 * atomic: of two concurrent calls for one challenge, exactly one may see it unused (in SQL:
 * `UPDATE … SET used_at = ? WHERE challenge = ? RETURNING` with the old `used_at`, in one
 * transaction).
 */
export interface ChallengeStorage {
  /** Stores a new, unused challenge. */
  insert(record: StoredChallenge): void | Promise<void>
  /**
   * Marks `challenge` used at `usedAt` if it is stored and not used yet, and returns the record
   * as it was *before* this call (so `usedAt` is set when it had been used already), or
   * `undefined` when it is not stored.
   */
  markUsed(
    challenge: string,
    usedAt: number,
  ): StoredChallenge | undefined | Promise<StoredChallenge | undefined>
  /** How many stored challenges are unused and expire after `now`. */
  countOutstanding(now: number): number | Promise<number>
  /** Forgets challenges that expired at or before `before` (used or not). */
  deleteExpired(before: number): void | Promise<void>
}

/** The outcome of {@link ChallengeStore.consume}. */
export type ChallengeState = 'ok' | 'unknown' | 'expired' | 'used'

/** An issued challenge. */
export interface IssuedChallenge {
  /** `u` + base64url (no padding) of 16 random bytes (128 bits): the multibase base64url form. */
  readonly challenge: string
  /** ISO 8601 UTC time after which it is refused. */
  readonly expiresAt: string
  /** The domain it is bound to, when one was given. */
  readonly domain?: string
}

/** A store of single-use challenges. */
export interface ChallengeStore {
  /**
   * Issues a new challenge, optionally bound to a domain.
   *
   * @throws {CertifyError} `ERR_CHALLENGE_LIMIT` when `maxOutstanding` challenges are unused
   *   and unexpired.
   */
  issue(options?: { readonly domain?: string }): Promise<IssuedChallenge>
  /**
   * Consumes `challenge` atomically: `'ok'` exactly once for a challenge issued here (for this
   * `domain` when it was bound to one) and not expired; then `'used'`. `'unknown'` for a
   * challenge never issued, forgotten after expiry, or bound to another domain; `'expired'` once
   * its lifetime is over. Every call but `'unknown'` for a never-issued value uses the challenge
   * up: a refused presentation cannot be retried with the same challenge.
   */
  consume(challenge: string, options?: { readonly domain?: string }): Promise<ChallengeState>
}

/** Options of {@link createChallengeStore}. */
export interface ChallengeStoreOptions {
  /** Lifetime of a challenge, 1..86,400 seconds. Default 300. */
  readonly ttlSeconds?: number
  /** Unused, unexpired challenges allowed at once, 1..10,000,000. Default 10,000. */
  readonly maxOutstanding?: number
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date
  /** Where challenges are kept. Default {@link createMemoryChallengeStorage}. */
  readonly storage?: ChallengeStorage
  /**
   * How long a consumed or expired challenge is remembered after its expiry, so that a replay
   * reads `'used'` or `'expired'` rather than `'unknown'` (both are refused). Default: one
   * `ttlSeconds`.
   */
  readonly retainSeconds?: number
}

/** Default challenge lifetime, in seconds. */
export const DEFAULT_CHALLENGE_TTL_SECONDS = 300
/** Default cap on outstanding challenges. */
export const DEFAULT_MAX_OUTSTANDING_CHALLENGES = 10_000
const CHALLENGE_BYTES = 16
const MAX_DOMAIN_LENGTH = 2048

/** An in-memory {@link ChallengeStorage} (one process; lost on restart, which fails closed). */
export function createMemoryChallengeStorage(): ChallengeStorage {
  const records = new Map<string, StoredChallenge>()
  return {
    insert(record) {
      records.set(record.challenge, { ...record })
    },
    markUsed(challenge, usedAt) {
      const before = records.get(challenge)
      if (before === undefined) return undefined
      if (before.usedAt === undefined) records.set(challenge, { ...before, usedAt })
      return { ...before }
    },
    countOutstanding(now) {
      let n = 0
      for (const r of records.values()) if (r.usedAt === undefined && r.expiresAt > now) n++
      return n
    },
    deleteExpired(before) {
      for (const [key, r] of records) if (r.expiresAt <= before) records.delete(key)
    },
  }
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** base64url without padding (RFC 4648 §5), browser-safe. */
function base64url(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0
    const b = bytes[i + 1]
    const c = bytes[i + 2]
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0)
    out += BASE64URL.charAt((n >> 18) & 63) + BASE64URL.charAt((n >> 12) & 63)
    if (b !== undefined) out += BASE64URL.charAt((n >> 6) & 63)
    if (c !== undefined) out += BASE64URL.charAt(n & 63)
  }
  return out
}

/** A fresh random challenge: `u` + base64url of 128 random bits. */
export function randomChallenge(): string {
  const cryptoApi = (globalThis as { crypto?: { getRandomValues?: unknown } }).crypto
  if (typeof cryptoApi?.getRandomValues !== 'function') {
    throw new TypeError('globalThis.crypto.getRandomValues is required to issue challenges.')
  }
  const bytes = new Uint8Array(CHALLENGE_BYTES)
  ;(cryptoApi as { getRandomValues(a: Uint8Array): Uint8Array }).getRandomValues(bytes)
  return 'u' + base64url(bytes)
}

function checkDomain(domain: unknown): string | undefined {
  if (domain === undefined) return undefined
  if (typeof domain !== 'string' || domain.length === 0 || domain.length > MAX_DOMAIN_LENGTH) {
    throw new TypeError(`"domain" must be a non-empty string of at most ${MAX_DOMAIN_LENGTH}.`)
  }
  return domain
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new TypeError(`"${name}" must be an integer from ${min} to ${max}.`)
  }
}

/**
 * Creates a store of single-use, expiring challenges.
 *
 * @example
 * const challenges = createChallengeStore({ ttlSeconds: 300 })
 * const { challenge } = await challenges.issue({ domain: 'employer.example' }) // send to the wallet
 * // … later, with the presentation:
 * await verifyPresentation(vp, { challenge, domain: 'employer.example', challengeStore: challenges, … })
 *
 * @throws {TypeError} for bad options.
 */
export function createChallengeStore(options: ChallengeStoreOptions = {}): ChallengeStore {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('"options" must be an object.')
  }
  const {
    ttlSeconds = DEFAULT_CHALLENGE_TTL_SECONDS,
    maxOutstanding = DEFAULT_MAX_OUTSTANDING_CHALLENGES,
    now = () => new Date(),
    storage = createMemoryChallengeStorage(),
  } = options
  checkRange('ttlSeconds', ttlSeconds, 1, 86_400)
  checkRange('maxOutstanding', maxOutstanding, 1, 10_000_000)
  const retainSeconds = options.retainSeconds ?? ttlSeconds
  checkRange('retainSeconds', retainSeconds, 0, 30 * 86_400)
  if (typeof now !== 'function') throw new TypeError('"now" must be a function returning a Date.')
  if (
    typeof storage !== 'object' ||
    storage === null ||
    typeof storage.insert !== 'function' ||
    typeof storage.markUsed !== 'function' ||
    typeof storage.countOutstanding !== 'function' ||
    typeof storage.deleteExpired !== 'function'
  ) {
    throw new TypeError('"storage" must be a ChallengeStorage.')
  }
  const clock = (): number => {
    const t = now()
    if (!(t instanceof Date) || Number.isNaN(t.getTime())) {
      throw new TypeError('"now" must return a valid Date.')
    }
    return t.getTime()
  }

  return {
    async issue(issueOptions = {}) {
      if (typeof issueOptions !== 'object' || issueOptions === null) {
        throw new TypeError('"options" must be an object.')
      }
      const domain = checkDomain(issueOptions.domain)
      const at = clock()
      await storage.deleteExpired(at - retainSeconds * 1000)
      if ((await storage.countOutstanding(at)) >= maxOutstanding) {
        throw new CertifyError(
          'ERR_CHALLENGE_LIMIT',
          `${maxOutstanding} challenges are outstanding; try again when some are used or expired.`,
        )
      }
      const record: StoredChallenge = {
        challenge: randomChallenge(),
        ...(domain === undefined ? {} : { domain }),
        expiresAt: at + ttlSeconds * 1000,
      }
      await storage.insert(record)
      return {
        challenge: record.challenge,
        expiresAt: new Date(record.expiresAt).toISOString(),
        ...(domain === undefined ? {} : { domain }),
      }
    },

    async consume(challenge, consumeOptions = {}) {
      if (typeof consumeOptions !== 'object' || consumeOptions === null) {
        throw new TypeError('"options" must be an object.')
      }
      const domain = checkDomain(consumeOptions.domain)
      if (typeof challenge !== 'string' || challenge.length === 0 || challenge.length > 1024) {
        return 'unknown'
      }
      const at = clock()
      const before = await storage.markUsed(challenge, at)
      if (before === undefined) return 'unknown'
      if (before.domain !== undefined && before.domain !== domain) return 'unknown'
      if (before.usedAt !== undefined) return 'used'
      if (before.expiresAt <= at) return 'expired'
      return 'ok'
    },
  }
}
