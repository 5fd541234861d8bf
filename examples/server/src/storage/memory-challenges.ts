/**
 * Challenge records in process memory: what the presentation-exchange plugin uses when it is
 * given no database (one process; a restart forgets open requests, which fails closed).
 *
 * @module
 */
import type { StoredChallenge } from '@certify-vc/verifier'
import type { ChallengeRecords, ClientBuckets } from './types.js'

/** In-memory {@link ChallengeRecords}. */
export function createMemoryChallengeRecords(): ChallengeRecords {
  const records = new Map<string, { record: StoredChallenge; buckets: ClientBuckets }>()
  const open = (r: StoredChallenge, now: number) => r.usedAt === undefined && r.expiresAt > now
  return {
    insert(record, buckets) {
      records.set(record.challenge, { record: { ...record }, buckets })
      return Promise.resolve()
    },
    markUsed(challenge, usedAt) {
      const entry = records.get(challenge)
      if (entry === undefined) return Promise.resolve(undefined)
      const before = { ...entry.record }
      if (before.usedAt === undefined) entry.record = { ...before, usedAt }
      return Promise.resolve(before)
    },
    countOutstanding(now) {
      let n = 0
      for (const { record } of records.values()) if (open(record, now)) n++
      return Promise.resolve(n)
    },
    countOutstandingFor(buckets, now) {
      let client = 0
      let network = 0
      for (const { record, buckets: b } of records.values()) {
        if (!open(record, now)) continue
        if (b.client === buckets.client) client++
        if (b.network === buckets.network) network++
      }
      return Promise.resolve({ client, network })
    },
    deleteExpired(before) {
      for (const [key, { record }] of records) if (record.expiresAt <= before) records.delete(key)
      return Promise.resolve()
    },
  }
}
