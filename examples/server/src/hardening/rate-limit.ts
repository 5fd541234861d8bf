/**
 * A token bucket per client, in this process: `burst` requests at once, then `perMinute`
 * sustained. Each instance keeps its own buckets (behind a load balancer a client gets at most
 * that per instance); what must hold across instances, the cap on outstanding challenges, is
 * counted in the database instead.
 *
 * @module
 */

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  readonly perMinute: number
  readonly burst: number
  /** Clients tracked at once; the least recently seen are forgotten first. Default 100,000. */
  readonly maxClients?: number
  /** The clock, ms. Default `Date.now`. */
  readonly now?: () => number
}

/** The verdict for one request. */
export type RateDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number }

/** A rate limiter: `take(key)` spends one token of the key's bucket. */
export interface RateLimiter {
  take(key: string): RateDecision
}

/**
 * Creates a limiter.
 *
 * @throws {TypeError} for a negative or non-integer rate, or a burst below 1.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { perMinute, burst } = options
  if (!Number.isSafeInteger(perMinute) || perMinute < 1) {
    throw new TypeError('The rate limit must be a positive integer per minute.')
  }
  if (!Number.isSafeInteger(burst) || burst < 1) {
    throw new TypeError('The rate limit burst must be a positive integer.')
  }
  const maxClients = options.maxClients ?? 100_000
  const clock = options.now ?? Date.now
  const perMs = perMinute / 60_000
  // A Map iterates in insertion order: re-inserting on use keeps the oldest first.
  const buckets = new Map<string, { tokens: number; at: number }>()
  return {
    take(key) {
      const now = clock()
      const bucket = buckets.get(key) ?? { tokens: burst, at: now }
      buckets.delete(key)
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * perMs)
      bucket.at = now
      buckets.set(key, bucket)
      if (buckets.size > maxClients) {
        const oldest = buckets.keys().next().value
        if (oldest !== undefined) buckets.delete(oldest)
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return { allowed: true }
      }
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)),
      }
    },
  }
}
