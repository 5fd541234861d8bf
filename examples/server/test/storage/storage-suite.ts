/**
 * The server storage suite, written once for every backend: {@link describeServerStorage} runs
 * it on a backend's factory (SQLite in sqlite-storage.test.ts, PostgreSQL in
 * postgres-storage.test.ts); {@link describeChallengeRecords} also runs on the in-memory records.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type {
  ChallengeRecords,
  IssuedRecord,
  NewIssueClaim,
  NewOffer,
  ServerStorage,
} from '../../src/storage/types.js'

/** What the suite needs from a backend. */
export interface StorageBackend {
  readonly name: string
  /** A fresh, empty location and how to remove it. */
  newLocation(): Promise<{ location: string; cleanup: () => Promise<void> }>
  /** Opens the storage at `location` (creating it on first use). */
  open(location: string): Promise<ServerStorage>
}

const T0 = Date.parse('2026-11-29T12:00:00Z')

function newClaim(overrides: Partial<NewIssueClaim> = {}): NewIssueClaim {
  return {
    credentialId: `urn:uuid:${randomUUID()}`,
    fingerprint: 'sha256:aa',
    owner: randomUUID(),
    now: T0,
    ...overrides,
  }
}

function record(credentialId: string, overrides: Partial<IssuedRecord> = {}): IssuedRecord {
  return {
    credentialId,
    verificationMethod: 'did:web:example.test#key-1',
    issuedAt: '2026-11-29T12:00:00.000Z',
    validUntil: null,
    managedStatus: true,
    ...overrides,
  }
}

/** The challenge tests for any {@link ChallengeRecords}. */
export function describeChallengeRecords(
  name: string,
  open: () => Promise<{ records: ChallengeRecords; again: () => Promise<ChallengeRecords> }>,
): void {
  describe(`challenge records on ${name}`, () => {
    const a = { client: '192.0.2.1', network: '192.0.2.0/24' }
    const b = { client: '192.0.2.2', network: '192.0.2.0/24' }
    const c = { client: '2001:db8:1:2::/64', network: '2001:db8:1::/48' }

    it('is used exactly once: the first markUsed sees it unused, later ones see when', async () => {
      const { records } = await open()
      await records.insert({ challenge: 'u1', domain: 'example.test', expiresAt: T0 + 300_000 }, a)
      expect(await records.markUsed('u1', T0 + 1)).toEqual({
        challenge: 'u1',
        domain: 'example.test',
        expiresAt: T0 + 300_000,
      })
      expect(await records.markUsed('u1', T0 + 2)).toEqual({
        challenge: 'u1',
        domain: 'example.test',
        expiresAt: T0 + 300_000,
        usedAt: T0 + 1,
      })
      expect(await records.markUsed('never', T0)).toBeUndefined()
      await records.insert({ challenge: 'u2', expiresAt: T0 + 300_000 }, a)
      expect(await records.markUsed('u2', T0)).toEqual({ challenge: 'u2', expiresAt: T0 + 300_000 })
    })

    it('of concurrent uses (also through a second connection), exactly one sees it unused', async () => {
      const { records, again } = await open()
      const other = await again()
      await records.insert({ challenge: 'race', expiresAt: T0 + 300_000 }, a)
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) => (i % 2 ? other : records).markUsed('race', T0 + i)),
      )
      expect(results.filter((r) => r !== undefined && r.usedAt === undefined)).toHaveLength(1)
    })

    it('counts unused, unexpired challenges in all, per client and per network; forgets expired ones', async () => {
      const { records } = await open()
      await records.insert({ challenge: 'a1', expiresAt: T0 + 100 }, a)
      await records.insert({ challenge: 'a2', expiresAt: T0 + 200 }, a)
      await records.insert({ challenge: 'b1', expiresAt: T0 + 200 }, b)
      await records.insert({ challenge: 'c1', expiresAt: T0 + 200 }, c)
      await records.markUsed('a2', T0)
      expect(await records.countOutstanding(T0)).toBe(3)
      expect(await records.countOutstandingFor(a, T0)).toEqual({ client: 1, network: 2 })
      expect(await records.countOutstandingFor(c, T0)).toEqual({ client: 1, network: 1 })
      expect(await records.countOutstanding(T0 + 100)).toBe(2)
      await records.deleteExpired(T0 + 100)
      expect(await records.markUsed('a1', T0)).toBeUndefined()
      expect((await records.markUsed('a2', T0))?.usedAt).toBe(T0)
      await records.deleteExpired(T0 + 200)
      expect(await records.countOutstanding(0)).toBe(0)
    })
  })
}

/** Defines the server storage tests for one backend. */
export function describeServerStorage(backend: StorageBackend): void {
  describe(`server storage on ${backend.name}`, () => {
    const cleanups: (() => Promise<void>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    async function fresh(): Promise<{ storage: ServerStorage; location: string }> {
      const { location, cleanup } = await backend.newLocation()
      const storage = await backend.open(location)
      cleanups.push(cleanup, () => storage.close())
      return { storage, location }
    }

    async function reopen(location: string): Promise<ServerStorage> {
      const storage = await backend.open(location)
      cleanups.push(() => storage.close())
      return storage
    }

    describe('issue claims', () => {
      it('one claim per credential id and per idempotency key; the existing one is returned', async () => {
        const { storage } = await fresh()
        const first = newClaim({ idempotencyKey: 'key-1' })
        const made = await storage.credentials.claim(first)
        expect(made.claimed).toBe(true)
        expect(made.claim).toMatchObject({
          credentialId: first.credentialId,
          idempotencyKey: 'key-1',
          state: 'pending',
          owner: first.owner,
          claimedAt: T0,
          voided: false,
        })
        // Same key, another generated id: the claim of the key.
        const again = await storage.credentials.claim(newClaim({ idempotencyKey: 'key-1' }))
        expect(again).toMatchObject({ claimed: false, claim: { credentialId: first.credentialId } })
        // Same explicit id, no key: the claim of the id.
        const byId = await storage.credentials.claim(newClaim({ credentialId: first.credentialId }))
        expect(byId).toMatchObject({ claimed: false, claim: { idempotencyKey: 'key-1' } })
        expect((await storage.credentials.claim(newClaim())).claimed).toBe(true)
      })

      it('of concurrent claims for one key, on two connections, exactly one succeeds', async () => {
        const { storage, location } = await fresh()
        const other = await reopen(location)
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? other : storage).credentials.claim(newClaim({ idempotencyKey: 'same' })),
          ),
        )
        expect(outcomes.filter((o) => o.claimed)).toHaveLength(1)
        expect(new Set(outcomes.map((o) => o.claim.credentialId)).size).toBe(1)
      })

      it('complete records the credential (and its directory copy) once, only for the owner', async () => {
        const { storage } = await fresh()
        const c = newClaim()
        await storage.credentials.claim(c)
        const doc = { id: c.credentialId, proof: { type: 'DataIntegrityProof' } }
        expect(
          await storage.credentials.complete('someone else', record(c.credentialId), doc, true),
        ).toBe(false)
        expect(await storage.credentials.getIssued(c.credentialId)).toBeUndefined()
        expect(await storage.credentials.complete(c.owner, record(c.credentialId), doc, true)).toBe(
          true,
        )
        expect(await storage.credentials.complete(c.owner, record(c.credentialId), doc, true)).toBe(
          false,
        )
        expect(await storage.credentials.getIssued(c.credentialId)).toEqual(record(c.credentialId))
        expect(await storage.credentials.getCredential(c.credentialId)).toEqual(doc)
        expect(await storage.credentials.directoryCredential(c.credentialId)).toEqual(doc)
        expect((await storage.credentials.getClaim(c.credentialId))?.state).toBe('issued')

        const unlisted = newClaim()
        await storage.credentials.claim(unlisted)
        await storage.credentials.complete(unlisted.owner, record(unlisted.credentialId), {}, false)
        expect(await storage.credentials.directoryCredential(unlisted.credentialId)).toBeUndefined()
        expect(await storage.credentials.getCredential('urn:uuid:unknown')).toBeUndefined()
      })

      it('a stale claim is taken over once; the old owner can then no longer complete it', async () => {
        const { storage } = await fresh()
        const c = newClaim({ idempotencyKey: 'k' })
        await storage.credentials.claim(c)
        // Fresh (claimed at T0, stale only before T0): not taken.
        expect(await storage.credentials.takeOver(c.credentialId, 'b', T0, T0 + 5)).toBeUndefined()
        const taken = await storage.credentials.takeOver(c.credentialId, 'b', T0 + 1, T0 + 5)
        expect(taken).toMatchObject({ owner: 'b', claimedAt: T0 + 5, state: 'pending' })
        expect(
          await storage.credentials.takeOver(c.credentialId, 'c', T0 + 1, T0 + 6),
        ).toBeUndefined()
        expect(await storage.credentials.complete(c.owner, record(c.credentialId), {}, false)).toBe(
          false,
        )
        expect(await storage.credentials.complete('b', record(c.credentialId), {}, false)).toBe(
          true,
        )
        expect(
          await storage.credentials.takeOver(c.credentialId, 'd', T0 + 99, T0 + 99),
        ).toBeUndefined()
      })

      it('release and reassign act only for the owner of a pending claim', async () => {
        const { storage } = await fresh()
        const c = newClaim({ idempotencyKey: 'r' })
        await storage.credentials.claim(c)
        const moved = `urn:uuid:${randomUUID()}`
        expect(await storage.credentials.reassign(c.credentialId, 'intruder', moved)).toBe(false)
        expect(await storage.credentials.reassign(c.credentialId, c.owner, moved)).toBe(true)
        expect(await storage.credentials.getClaim(c.credentialId)).toBeUndefined()
        expect((await storage.credentials.getClaim(moved))?.idempotencyKey).toBe('r')
        await storage.credentials.release(moved, 'intruder')
        expect(await storage.credentials.getClaim(moved)).toBeDefined()
        await storage.credentials.release(moved, c.owner)
        expect(await storage.credentials.getClaim(moved)).toBeUndefined()
        expect((await storage.credentials.claim(newClaim({ idempotencyKey: 'r' }))).claimed).toBe(
          true,
        )
      })

      it('abandons pending claims older than a cut-off, then lists them until voided', async () => {
        const { storage } = await fresh()
        const old = newClaim({ now: T0 })
        const young = newClaim({ now: T0 + 1000 })
        const done = newClaim({ now: T0 })
        for (const c of [old, young, done]) await storage.credentials.claim(c)
        await storage.credentials.complete(done.owner, record(done.credentialId), {}, false)
        const abandoned = await storage.credentials.abandonStale(T0 + 500)
        expect(abandoned.map((a) => a.credentialId)).toEqual([old.credentialId])
        expect(abandoned[0]?.state).toBe('abandoned')
        expect(await storage.credentials.abandonStale(T0 + 500)).toEqual([])
        expect((await storage.credentials.abandonedToVoid(10)).map((a) => a.credentialId)).toEqual([
          old.credentialId,
        ])
        await storage.credentials.markVoided(old.credentialId)
        expect(await storage.credentials.abandonedToVoid(10)).toEqual([])
        expect(await storage.credentials.getClaim(old.credentialId)).toMatchObject({
          state: 'abandoned',
          voided: true,
        })
        // An abandoned claim is never completed or taken over.
        expect(
          await storage.credentials.complete(old.owner, record(old.credentialId), {}, false),
        ).toBe(false)
        expect(
          await storage.credentials.takeOver(old.credentialId, 'x', T0 + 9e9, T0),
        ).toBeUndefined()
      })

      it('lists the credentials of a key that are still valid; keeps everything across reopen', async () => {
        const { storage, location } = await fresh()
        const vm = 'did:web:example.test#key-1'
        const ids: string[] = []
        for (const validUntil of [null, '2026-12-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z']) {
          const c = newClaim()
          ids.push(c.credentialId)
          await storage.credentials.claim(c)
          await storage.credentials.complete(
            c.owner,
            record(c.credentialId, { validUntil, verificationMethod: vm }),
            { id: c.credentialId },
            false,
          )
        }
        const now = new Date('2026-11-29T12:00:00Z')
        expect((await storage.credentials.outstandingCredentials(vm, now)).sort()).toEqual(
          ids.slice(0, 2).sort(),
        )
        expect(await storage.credentials.outstandingCredentials('other', now)).toEqual([])
        await storage.close()
        const again = await reopen(location)
        expect(await again.credentials.getCredential(ids[0] ?? '')).toEqual({ id: ids[0] })
      })
    })

    describe('public directory', () => {
      const CAAE = 'https://example.test/certify/caae'
      const AIDA = 'https://example.test/certify/aida'

      async function issued(storage: ServerStorage, name: string, achievementId: string) {
        const c = newClaim()
        await storage.credentials.claim(c)
        const doc = {
          id: c.credentialId,
          credentialSubject: { name, achievement: { id: achievementId } },
        }
        await storage.credentials.complete(c.owner, record(c.credentialId), doc, false)
        return { id: c.credentialId, doc }
      }

      it('lists and unlists at once; search finds whole names of one achievement, capped', async () => {
        const { storage } = await fresh()
        const ada = await issued(storage, 'Ada Lovelace', CAAE)
        const adaAida = await issued(storage, 'Ada Lovelace', AIDA)
        const accented = await issued(storage, '  ADÁ   lovelace ', CAAE)
        const other = await issued(storage, 'Ada Lovelace-Byron', CAAE)
        const q = { nameKey: 'ada lovelace', achievementId: CAAE, limit: 10 }
        // Nothing is listed until chosen.
        expect(await storage.credentials.searchDirectory(q)).toEqual([])
        expect(await storage.credentials.directoryCredential(ada.id)).toBeUndefined()
        const at = new Date('2026-11-29T12:00:00Z')
        for (const c of [ada, adaAida, accented, other]) {
          expect(await storage.credentials.setListed(c.id, true, at)).toBe(true)
        }
        expect(await storage.credentials.setListed(ada.id, true, new Date())).toBe(true) // again
        expect(await storage.credentials.directoryCredential(ada.id)).toEqual(ada.doc)
        const found = await storage.credentials.searchDirectory(q)
        expect(found.map((e) => e.credentialId).sort()).toEqual([ada.id, accented.id].sort())
        expect(found.find((e) => e.credentialId === ada.id)?.document).toEqual(ada.doc)
        // Capped.
        expect(await storage.credentials.searchDirectory({ ...q, limit: 1 })).toHaveLength(1)
        // A part of a name finds nothing; another achievement finds only its own.
        expect(await storage.credentials.searchDirectory({ ...q, nameKey: 'ada' })).toEqual([])
        expect(
          (await storage.credentials.searchDirectory({ ...q, achievementId: AIDA })).map(
            (e) => e.credentialId,
          ),
        ).toEqual([adaAida.id])
        // Unlisting removes it from both at once.
        expect(await storage.credentials.setListed(ada.id, false, new Date())).toBe(true)
        expect(await storage.credentials.setListed(ada.id, false, new Date())).toBe(true)
        expect(await storage.credentials.directoryCredential(ada.id)).toBeUndefined()
        expect((await storage.credentials.searchDirectory(q)).map((e) => e.credentialId)).toEqual([
          accented.id,
        ])
        // Only credentials issued here can be listed.
        expect(await storage.credentials.setListed('urn:uuid:unknown', true, at)).toBe(false)
        expect(await storage.credentials.directoryCredential('urn:uuid:unknown')).toBeUndefined()
      })

      it('a credential listed at issue is indexed for search', async () => {
        const { storage } = await fresh()
        const c = newClaim()
        await storage.credentials.claim(c)
        const doc = {
          id: c.credentialId,
          credentialSubject: { name: 'Grace Hopper', achievement: { id: AIDA } },
        }
        await storage.credentials.complete(c.owner, record(c.credentialId), doc, true)
        expect(
          await storage.credentials.searchDirectory({
            nameKey: 'grace hopper',
            achievementId: AIDA,
            limit: 5,
          }),
        ).toEqual([{ credentialId: c.credentialId, document: doc }])
      })
    })

    describeChallengeRecords(backend.name, async () => {
      const { storage, location } = await fresh()
      return {
        records: storage.challenges,
        again: async () => (await reopen(location)).challenges,
      }
    })

    describe('credential offers', () => {
      const offer = (overrides: Partial<NewOffer> = {}): NewOffer => ({
        offerId: `offer-${randomUUID()}`,
        program: 'CAAE',
        request: { recipient: { name: 'Ada' }, format: 'vc2' },
        preAuthorizedCode: `code-${randomUUID()}`,
        txCodeHash: null,
        createdAt: T0,
        expiresAt: T0 + 60_000,
        ...overrides,
      })
      const redeem = (
        storage: ServerStorage,
        code: string,
        overrides: { tx?: string; now?: number; token?: string } = {},
      ) =>
        storage.offers.redeemCode({
          preAuthorizedCode: code,
          txCodeHashOf: () => overrides.tx,
          maxTxCodeFailures: 3,
          accessTokenHash: overrides.token ?? `token-${randomUUID()}`,
          accessTokenExpiresAt: (overrides.now ?? T0) + 300_000,
          now: overrides.now ?? T0,
        })

      it('stores an offer; a code is redeemed once, also by concurrent callers on two connections', async () => {
        const { storage, location } = await fresh()
        const other = await reopen(location)
        const o = offer()
        await storage.offers.create(o)
        expect(await other.offers.get(o.offerId)).toMatchObject({
          ...o,
          txCodeFailures: 0,
          codeRedeemedAt: null,
          holder: null,
          credentialId: null,
        })
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            redeem(i % 2 ? other : storage, o.preAuthorizedCode, { token: `t${i}` }),
          ),
        )
        expect(outcomes.filter((r) => r.outcome === 'redeemed')).toHaveLength(1)
        expect(outcomes.filter((r) => r.outcome === 'used')).toHaveLength(9)
        const winner = outcomes.findIndex((r) => r.outcome === 'redeemed')
        expect((await storage.offers.offerForAccessToken(`t${winner}`, T0))?.offerId).toBe(
          o.offerId,
        )
        expect(await storage.offers.offerForAccessToken(`t${winner}`, T0 + 300_000)).toBeUndefined()
        expect(await storage.offers.offerForAccessToken('nope', T0)).toBeUndefined()
        expect((await redeem(storage, 'never issued')).outcome).toBe('unknown')
        const plain = offer()
        await storage.offers.create(plain)
        expect((await redeem(storage, plain.preAuthorizedCode, { tx: 'x' })).outcome).toBe(
          'tx-code-unexpected',
        )
      })

      it('refuses an expired code, counts wrong transaction codes and locks after the limit', async () => {
        const { storage } = await fresh()
        const late = offer()
        await storage.offers.create(late)
        expect((await redeem(storage, late.preAuthorizedCode, { now: T0 + 60_000 })).outcome).toBe(
          'expired',
        )
        const guarded = offer({ txCodeHash: 'right' })
        await storage.offers.create(guarded)
        expect((await redeem(storage, guarded.preAuthorizedCode)).outcome).toBe('tx-code-missing')
        expect((await redeem(storage, guarded.preAuthorizedCode, { tx: 'wrong' })).outcome).toBe(
          'tx-code-mismatch',
        )
        expect((await redeem(storage, guarded.preAuthorizedCode, { tx: 'right' })).outcome).toBe(
          'redeemed',
        )
        const locked = offer({ txCodeHash: 'right' })
        await storage.offers.create(locked)
        for (let i = 0; i < 3; i++) await redeem(storage, locked.preAuthorizedCode, { tx: 'x' })
        expect((await storage.offers.get(locked.offerId))?.txCodeFailures).toBe(3)
        expect((await redeem(storage, locked.preAuthorizedCode, { tx: 'right' })).outcome).toBe(
          'tx-code-locked',
        )
      })

      it('binds one holder once; vc-api only before the code is redeemed; records the claim', async () => {
        const { storage } = await fresh()
        const o = offer()
        await storage.offers.create(o)
        expect(await storage.offers.setExchangeChallenge(o.offerId, 'ch-1')).toBe(true)
        expect((await storage.offers.get(o.offerId))?.exchangeChallenge).toBe('ch-1')
        expect(await storage.offers.bindHolder(o.offerId, 'did:key:a', 'vc-api')).toBe(true)
        expect(await storage.offers.bindHolder(o.offerId, 'did:key:a', 'vc-api')).toBe(true)
        expect(await storage.offers.bindHolder(o.offerId, 'did:key:b', 'vc-api')).toBe(false)
        expect(await storage.offers.bindHolder(o.offerId, 'did:key:a', 'oid4vci')).toBe(false)
        expect(await storage.offers.setExchangeChallenge(o.offerId, 'ch-2')).toBe(false)
        // A bound offer's code can no longer be redeemed.
        expect((await redeem(storage, o.preAuthorizedCode)).outcome).toBe('used')
        await storage.offers.markClaimed(o.offerId, 'urn:uuid:1', T0 + 5)
        expect(await storage.offers.get(o.offerId)).toMatchObject({
          holder: 'did:key:a',
          claimedVia: 'vc-api',
          credentialId: 'urn:uuid:1',
          claimedAt: T0 + 5,
        })
        expect(await storage.offers.bindHolder(o.offerId, 'did:key:a', 'vc-api')).toBe(false)

        const redeemed = offer()
        await storage.offers.create(redeemed)
        expect((await redeem(storage, redeemed.preAuthorizedCode)).outcome).toBe('redeemed')
        expect(await storage.offers.bindHolder(redeemed.offerId, 'did:key:c', 'vc-api')).toBe(false)
        expect(await storage.offers.bindHolder(redeemed.offerId, 'did:key:c', 'oid4vci')).toBe(true)
      })

      it('stores one offer per idempotency key, also of concurrent creates on two connections', async () => {
        const { storage, location } = await fresh()
        const other = await reopen(location)
        const key = `key-${randomUUID()}`
        const attempts = Array.from({ length: 8 }, () =>
          offer({ idempotencyKey: key, fingerprint: 'sha256:bb' }),
        )
        const outcomes = await Promise.all(
          attempts.map((o, i) => (i % 2 ? other : storage).offers.create(o)),
        )
        expect(outcomes.filter((o) => o.created)).toHaveLength(1)
        const winner = attempts[outcomes.findIndex((o) => o.created)]
        for (const o of outcomes) {
          if (!o.created) {
            expect(o.existing).toMatchObject({
              offerId: winner?.offerId,
              idempotencyKey: key,
              fingerprint: 'sha256:bb',
            })
          }
        }
        // Offers without a key never collide.
        expect((await storage.offers.create(offer())).created).toBe(true)
        expect((await storage.offers.create(offer())).created).toBe(true)
        expect(await storage.offers.get(winner?.offerId ?? '')).toMatchObject({
          idempotencyKey: key,
        })
      })

      it('replaces the transaction code of a claimable offer only', async () => {
        const { storage } = await fresh()
        const o = offer({ txCodeHash: 'first' })
        await storage.offers.create(o)
        await redeem(storage, o.preAuthorizedCode, { tx: 'wrong' })
        expect(await storage.offers.replaceTxCode(o.offerId, 'second', T0)).toBe(true)
        // Wrong codes already counted stay counted; the old code no longer redeems.
        expect(await storage.offers.get(o.offerId)).toMatchObject({
          txCodeHash: 'second',
          txCodeFailures: 1,
        })
        expect((await redeem(storage, o.preAuthorizedCode, { tx: 'first' })).outcome).toBe(
          'tx-code-mismatch',
        )
        expect(await storage.offers.replaceTxCode(o.offerId, 'third', T0 + 60_000)).toBe(false)
        expect((await redeem(storage, o.preAuthorizedCode, { tx: 'second' })).outcome).toBe(
          'redeemed',
        )
        expect(await storage.offers.replaceTxCode(o.offerId, 'third', T0)).toBe(false)
        const plain = offer()
        await storage.offers.create(plain)
        expect(await storage.offers.replaceTxCode(plain.offerId, 'x', T0)).toBe(false)
        const bound = offer({ txCodeHash: 'first' })
        await storage.offers.create(bound)
        expect(await storage.offers.bindHolder(bound.offerId, 'did:key:a', 'oid4vci')).toBe(true)
        expect(await storage.offers.replaceTxCode(bound.offerId, 'x', T0)).toBe(false)
        expect((await storage.offers.get(bound.offerId))?.txCodeHash).toBe('first')
      })

      it('uses a nonce once (of concurrent uses on two connections, one), never after expiry', async () => {
        const { storage, location } = await fresh()
        const other = await reopen(location)
        await storage.offers.putNonce('n1', T0 + 100)
        const uses = await Promise.all(
          Array.from({ length: 8 }, (_, i) => (i % 2 ? other : storage).offers.useNonce('n1', T0)),
        )
        expect(uses.filter(Boolean)).toHaveLength(1)
        await storage.offers.putNonce('n2', T0 + 100)
        expect(await storage.offers.useNonce('n2', T0 + 100)).toBe(false)
        expect(await storage.offers.useNonce('unknown', T0)).toBe(false)
        await storage.offers.putNonce('n3', T0 + 100)
        await storage.offers.deleteExpired(T0 + 101)
        expect(await storage.offers.useNonce('n3', T0)).toBe(false)
      })
    })

    describe('signed status lists', () => {
      it('keeps the newest revision per URL', async () => {
        const { storage } = await fresh()
        const url = 'https://example.test/status/revocation/1'
        expect(await storage.statusLists.get(url)).toBeUndefined()
        const list = (revision: number, tag: string) => ({
          url,
          revision,
          settings: 's',
          validUntil: T0 + revision,
          document: { id: url, tag },
        })
        await storage.statusLists.put(list(2, 'two'))
        expect(await storage.statusLists.get(url)).toEqual(list(2, 'two'))
        await storage.statusLists.put(list(1, 'stale'))
        expect((await storage.statusLists.get(url))?.document).toEqual({ id: url, tag: 'two' })
        await storage.statusLists.put(list(2, 'resigned'))
        await storage.statusLists.put(list(3, 'three'))
        expect(await storage.statusLists.get(url)).toEqual(list(3, 'three'))
      })
    })
  })
}
