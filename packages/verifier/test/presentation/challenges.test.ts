/**
 * createChallengeStore: 128-bit random challenges, single use (atomic), expiry, domain binding,
 * the outstanding cap, and a custom storage.
 */
import { isCertifyError } from '@certify-vc/context'
import {
  createChallengeStore,
  createMemoryChallengeStorage,
  randomChallenge,
  type ChallengeStorage,
} from '@certify-vc/verifier'
import { describe, expect, it } from 'vitest'

const T0 = new Date('2026-11-29T12:00:00Z')

function clock(start = T0) {
  let t = start.getTime()
  return {
    now: () => new Date(t),
    advance: (seconds: number) => {
      t += seconds * 1000
    },
  }
}

describe('randomChallenge', () => {
  it('is "u" + base64url of 16 bytes (22 characters), and never repeats in 10,000 draws', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 10_000; i++) {
      const c = randomChallenge()
      expect(c).toMatch(/^u[A-Za-z0-9_-]{22}$/)
      seen.add(c)
    }
    expect(seen.size).toBe(10_000)
  })

  it('decodes to 16 bytes', () => {
    const c = randomChallenge()
    expect(Buffer.from(c.slice(1), 'base64url')).toHaveLength(16)
  })
})

describe('createChallengeStore', () => {
  it('issues a challenge with its expiry, consumes it once, then says "used"', async () => {
    const c = clock()
    const store = createChallengeStore({ ttlSeconds: 120, now: c.now })
    const issued = await store.issue()
    expect(issued.expiresAt).toBe('2026-11-29T12:02:00.000Z')
    expect(issued).not.toHaveProperty('domain')
    expect(await store.consume(issued.challenge)).toBe('ok')
    expect(await store.consume(issued.challenge)).toBe('used')
  })

  it('says "unknown" for a challenge it never issued, an empty or a huge one', async () => {
    const store = createChallengeStore()
    expect(await store.consume('uNotIssued')).toBe('unknown')
    expect(await store.consume('')).toBe('unknown')
    expect(await store.consume('u'.repeat(5000))).toBe('unknown')
    expect(await store.consume(42 as never)).toBe('unknown')
  })

  it('says "expired" once the lifetime is over (and the challenge cannot be used later)', async () => {
    const c = clock()
    const store = createChallengeStore({ ttlSeconds: 60, now: c.now })
    const { challenge } = await store.issue()
    c.advance(60)
    expect(await store.consume(challenge)).toBe('expired')
    expect(await store.consume(challenge)).toBe('used')
  })

  it('accepts a challenge just before its expiry', async () => {
    const c = clock()
    const store = createChallengeStore({ ttlSeconds: 60, now: c.now })
    const { challenge } = await store.issue()
    c.advance(59)
    expect(await store.consume(challenge)).toBe('ok')
  })

  it('forgets used and expired challenges after the retention time ("unknown", still refused)', async () => {
    const c = clock()
    const store = createChallengeStore({ ttlSeconds: 60, retainSeconds: 60, now: c.now })
    const { challenge } = await store.issue()
    expect(await store.consume(challenge)).toBe('ok')
    c.advance(121)
    await store.issue() // housekeeping runs on issue
    expect(await store.consume(challenge)).toBe('unknown')
  })

  it('binds a challenge to its domain: another domain (or none) gets "unknown"', async () => {
    const store = createChallengeStore()
    const a = await store.issue({ domain: 'employer.example' })
    expect(a.domain).toBe('employer.example')
    expect(await store.consume(a.challenge, { domain: 'evil.example' })).toBe('unknown')
    const b = await store.issue({ domain: 'employer.example' })
    expect(await store.consume(b.challenge)).toBe('unknown')
    const c = await store.issue({ domain: 'employer.example' })
    expect(await store.consume(c.challenge, { domain: 'employer.example' })).toBe('ok')
    // A challenge without a domain is accepted for any domain.
    const d = await store.issue()
    expect(await store.consume(d.challenge, { domain: 'employer.example' })).toBe('ok')
  })

  it('consumption is atomic: of 20 concurrent attempts exactly one is "ok"', async () => {
    const store = createChallengeStore()
    const { challenge } = await store.issue()
    const states = await Promise.all(Array.from({ length: 20 }, () => store.consume(challenge)))
    expect(states.filter((s) => s === 'ok')).toHaveLength(1)
    expect(states.filter((s) => s === 'used')).toHaveLength(19)
  })

  it('refuses to issue past maxOutstanding with ERR_CHALLENGE_LIMIT, and frees room as they are used or expire', async () => {
    const c = clock()
    const store = createChallengeStore({ maxOutstanding: 2, ttlSeconds: 10, now: c.now })
    const a = await store.issue()
    await store.issue()
    const error = await store.issue().catch((e: unknown) => e)
    expect(isCertifyError(error) && error.code).toBe('ERR_CHALLENGE_LIMIT')
    expect(await store.consume(a.challenge)).toBe('ok')
    await store.issue() // a used challenge no longer counts
    await expect(store.issue()).rejects.toThrow(/outstanding/)
    c.advance(10)
    await store.issue() // expired ones do not count either
  })

  it('works with a custom (asynchronous) storage', async () => {
    const memory = createMemoryChallengeStorage()
    const calls: string[] = []
    const storage: ChallengeStorage = {
      insert: async (r) => {
        calls.push('insert')
        await memory.insert(r)
      },
      markUsed: async (challenge, at) => {
        calls.push('markUsed')
        return memory.markUsed(challenge, at)
      },
      countOutstanding: async (now) => memory.countOutstanding(now),
      deleteExpired: async (before) => memory.deleteExpired(before),
    }
    const store = createChallengeStore({ storage })
    const { challenge } = await store.issue()
    expect(await store.consume(challenge)).toBe('ok')
    expect(await store.consume(challenge)).toBe('used')
    expect(calls).toEqual(['insert', 'markUsed', 'markUsed'])
  })

  it.each([
    [{ ttlSeconds: 0 }, /ttlSeconds/],
    [{ ttlSeconds: 1.5 }, /ttlSeconds/],
    [{ ttlSeconds: 100_000 }, /ttlSeconds/],
    [{ maxOutstanding: 0 }, /maxOutstanding/],
    [{ retainSeconds: -1 }, /retainSeconds/],
    [{ now: 'today' }, /now/],
    [{ storage: {} }, /storage/],
  ])('refuses options %j with a TypeError', (options, message) => {
    expect(() => createChallengeStore(options as never)).toThrow(TypeError)
    expect(() => createChallengeStore(options as never)).toThrow(message)
  })

  it('refuses a bad domain with a TypeError', async () => {
    const store = createChallengeStore()
    await expect(store.issue({ domain: '' })).rejects.toThrow(TypeError)
    await expect(store.issue({ domain: 7 as never })).rejects.toThrow(TypeError)
    await expect(store.consume('u1', { domain: '' })).rejects.toThrow(TypeError)
  })
})
