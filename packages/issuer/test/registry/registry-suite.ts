/**
 * The status registry test suite, written once for every storage backend: call
 * {@link describeRegistryBackend} with a backend's factory (SQLite in sqlite-registry.test.ts;
 * PostgreSQL in postgres-registry.test.ts).
 *
 * @module
 */
import { CertifyError } from '@certify-vc/context'
import { MIN_STATUS_LIST_ENTRIES } from '@certify-vc/core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createStatusRegistry,
  type AllocateStatusOptions,
  type CreateStatusRegistryOptions,
  type RegistryStore,
  type StatusRegistry,
} from '../../src/index.js'

/** What the suite needs from a storage backend. */
export interface RegistryBackend {
  readonly name: string
  /** A fresh, empty location (file path, database URL …) and how to remove it. */
  newLocation(): Promise<{ location: string; cleanup: () => Promise<void> }>
  /** Opens the store at `location` (creating it on first use). */
  open(location: string): Promise<RegistryStore>
  /**
   * Test-only, straight into storage (already opened once): creates list `listNumber` with
   * `length` entries if needed and marks every index except `free` as taken (with consistent
   * counters).
   */
  fillList(
    location: string,
    listNumber: number,
    length: number,
    free: readonly number[],
  ): Promise<void>
}

/** Asserts that `promise` rejects with a CertifyError of `code`. */
export async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(CertifyError)
  expect((error as CertifyError).code).toBe(code)
}

let counter = 0
/** A fresh credential id. */
export function credentialId(): string {
  counter++
  return `urn:uuid:00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`
}

/** Allocation options for a fresh credential id. */
export function allocation(overrides: Partial<AllocateStatusOptions> = {}): AllocateStatusOptions {
  return {
    credentialId: credentialId(),
    program: 'AIDA',
    recipient: { name: 'Ada Lovelace' },
    suspension: false,
    ...overrides,
  }
}

const HASH = `sha256$${'ab'.repeat(32)}`
const LEARNER_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'

/** Defines the registry tests for one backend. */
export function describeRegistryBackend(backend: RegistryBackend): void {
  describe(`status registry on ${backend.name}`, () => {
    const cleanups: (() => Promise<void>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    async function fresh(
      options: CreateStatusRegistryOptions = {},
    ): Promise<{ registry: StatusRegistry; location: string }> {
      const { location, cleanup } = await backend.newLocation()
      const registry = createStatusRegistry(await backend.open(location), options)
      cleanups.push(cleanup, () => registry.close())
      return { registry, location }
    }

    async function reopen(location: string): Promise<StatusRegistry> {
      const registry = createStatusRegistry(await backend.open(location))
      cleanups.push(() => registry.close())
      return registry
    }

    describe('allocateStatus', () => {
      it('records the credential and hands out an index in list 1', async () => {
        const at = new Date('2026-11-29T12:00:00.250Z')
        const { registry } = await fresh()
        const options = allocation({
          program: 'CAAE',
          recipient: { name: 'Ada Lovelace', did: LEARNER_DID, identityHash: HASH },
          suspension: true,
          issuedAt: at,
        })
        const { listNumber, index } = await registry.allocateStatus(options)
        expect(listNumber).toBe(1)
        expect(Number.isSafeInteger(index) && index >= 0 && index < MIN_STATUS_LIST_ENTRIES).toBe(
          true,
        )
        expect(await registry.getCredentialStatus(options.credentialId)).toEqual({
          credentialId: options.credentialId,
          program: 'CAAE',
          recipient: { name: 'Ada Lovelace', did: LEARNER_DID, identityHash: HASH },
          issuedAt: '2026-11-29T12:00:00.250Z',
          listNumber: 1,
          index,
          suspension: true,
          status: 'active',
          history: [
            {
              at: '2026-11-29T12:00:00.250Z',
              action: 'issue',
              from: null,
              to: 'active',
              reason: null,
            },
          ],
        })
        const [list] = await registry.readStatusLists()
        expect(list).toEqual({
          listNumber: 1,
          length: MIN_STATUS_LIST_ENTRIES,
          purposes: ['revocation', 'suspension'],
          allocated: 1,
          createdAt: '2026-11-29T12:00:00.250Z',
          revoked: [],
          suspended: [],
        })
      })

      it('hands out distinct, randomly spread indices (herd privacy)', async () => {
        const { registry } = await fresh()
        const indices: number[] = []
        for (let i = 0; i < 1000; i++) {
          const a = await registry.allocateStatus(allocation())
          expect(a.listNumber).toBe(1)
          indices.push(a.index)
        }
        expect(new Set(indices).size).toBe(1000)
        // Not a counter: no long runs of consecutive values, and spread over the whole list.
        const ascendingSteps = indices.filter((v, i) => i > 0 && v === (indices[i - 1] ?? -2) + 1)
        expect(ascendingSteps.length).toBeLessThan(5)
        const sorted = [...indices].sort((a, b) => a - b)
        expect(sorted[0]).toBeLessThan(MIN_STATUS_LIST_ENTRIES / 10)
        expect(sorted.at(-1)).toBeGreaterThan((MIN_STATUS_LIST_ENTRIES * 9) / 10)
        // Each eighth of the list holds roughly an eighth of the indices.
        const eighths = new Array<number>(8).fill(0)
        for (const v of indices) {
          const e = Math.floor((v * 8) / MIN_STATUS_LIST_ENTRIES)
          eighths[e] = (eighths[e] ?? 0) + 1
        }
        for (const count of eighths) expect(count).toBeGreaterThan(70)
        const lists = await registry.readStatusLists()
        expect(lists.map((l) => [l.listNumber, l.allocated, l.purposes])).toEqual([
          [1, 1000, ['revocation']],
        ])
      })

      it('refuses an id that is already recorded, and changes nothing', async () => {
        const { registry } = await fresh()
        const options = allocation()
        const first = await registry.allocateStatus(options)
        await rejectsWithCode(registry.allocateStatus(options), 'ERR_ISSUE_INVALID_INPUT')
        const record = await registry.getCredentialStatus(options.credentialId)
        expect([record.listNumber, record.index, record.history.length]).toEqual([
          first.listNumber,
          first.index,
          1,
        ])
        expect((await registry.readStatusLists())[0]?.allocated).toBe(1)
      })

      it('stamps with the registry clock unless issuedAt is given', async () => {
        const { registry } = await fresh({ clock: () => new Date('2027-01-02T03:04:05.006Z') })
        const options = allocation()
        await registry.allocateStatus(options)
        expect((await registry.getCredentialStatus(options.credentialId)).issuedAt).toBe(
          '2027-01-02T03:04:05.006Z',
        )
      })

      it('fills the last free indices exactly, then rolls over to list 2', async () => {
        const { registry, location } = await fresh()
        const free = [0, 1023, 1024, 70_000, MIN_STATUS_LIST_ENTRIES - 1]
        await backend.fillList(location, 1, MIN_STATUS_LIST_ENTRIES, free)
        const got: number[] = []
        for (let i = 0; i < free.length; i++) {
          const a = await registry.allocateStatus(allocation())
          expect(a.listNumber).toBe(1)
          got.push(a.index)
        }
        expect(got.sort((a, b) => a - b)).toEqual(free)
        const next = await registry.allocateStatus(allocation({ suspension: true }))
        expect(next.listNumber).toBe(2)
        const lists = await registry.readStatusLists()
        expect(lists.map((l) => [l.listNumber, l.length, l.allocated, l.purposes])).toEqual([
          [1, MIN_STATUS_LIST_ENTRIES, MIN_STATUS_LIST_ENTRIES, ['revocation']],
          [2, MIN_STATUS_LIST_ENTRIES, 1, ['revocation', 'suspension']],
        ])
      })

      it('creates new lists with the configured length; old lists keep theirs', async () => {
        const { location, cleanup } = await backend.newLocation()
        cleanups.push(cleanup)
        const store = await backend.open(location)
        await backend.fillList(location, 1, MIN_STATUS_LIST_ENTRIES, [])
        const registry = createStatusRegistry(store, { listLength: 2 * MIN_STATUS_LIST_ENTRIES })
        cleanups.push(() => registry.close())
        const a = await registry.allocateStatus(allocation())
        expect(a.listNumber).toBe(2)
        const lists = await registry.readStatusLists()
        expect(lists.map((l) => l.length)).toEqual([
          MIN_STATUS_LIST_ENTRIES,
          2 * MIN_STATUS_LIST_ENTRIES,
        ])
      })

      it('keeps indices distinct across two stores open on the same location', async () => {
        const { registry, location } = await fresh()
        const other = await reopen(location)
        const results = await Promise.all(
          Array.from({ length: 400 }, (_, i) =>
            (i % 2 === 0 ? registry : other).allocateStatus(allocation()),
          ),
        )
        expect(new Set(results.map((r) => `${r.listNumber}:${r.index}`)).size).toBe(400)
        expect((await registry.readStatusLists())[0]?.allocated).toBe(400)
      })
    })

    describe('status list base URLs', () => {
      const X = 'https://certify.example.test/status'
      const Y = 'https://production-ai.institute/status'

      it('records the base URL with the list; another base URL (or none) gets its own list', async () => {
        const { registry } = await fresh()
        const a = allocation({ statusBaseUrl: X })
        const b = allocation({ statusBaseUrl: `${X}/` })
        const c = allocation({ statusBaseUrl: Y })
        const d = allocation()
        expect((await registry.allocateStatus(a)).listNumber).toBe(1)
        expect((await registry.allocateStatus(b)).listNumber).toBe(1)
        expect((await registry.allocateStatus(c)).listNumber).toBe(2)
        expect((await registry.allocateStatus(d)).listNumber).toBe(3)
        // One call with two base URLs: each credential goes to its own base URL's list.
        const [e, f] = await registry.allocateStatuses([
          allocation({ statusBaseUrl: Y }),
          allocation({ statusBaseUrl: X }),
        ])
        expect([e?.listNumber, f?.listNumber]).toEqual([2, 1])
        const lists = await registry.readStatusLists()
        expect(lists.map((l) => [l.listNumber, l.baseUrl, l.allocated])).toEqual([
          [1, X, 3],
          [2, Y, 2],
          [3, undefined, 1],
        ])
        expect((await registry.getCredentialStatus(b.credentialId)).statusBaseUrl).toBe(X)
        expect((await registry.getCredentialStatus(c.credentialId)).statusBaseUrl).toBe(Y)
        expect(await registry.getCredentialStatus(d.credentialId)).not.toHaveProperty(
          'statusBaseUrl',
        )
      })

      it('a full list of one base URL rolls over to the next free list number', async () => {
        const { registry, location } = await fresh()
        await registry.allocateStatus(allocation({ statusBaseUrl: Y })) // list 1, base URL Y
        await backend.fillList(location, 2, MIN_STATUS_LIST_ENTRIES, []) // list 2, none, full
        const next = await registry.allocateStatus(allocation())
        expect(next.listNumber).toBe(3)
        expect((await registry.allocateStatus(allocation({ statusBaseUrl: Y }))).listNumber).toBe(1)
      })

      it('refuses a malformed base URL before recording anything', async () => {
        const { registry } = await fresh()
        await rejectsWithCode(
          registry.allocateStatus(allocation({ statusBaseUrl: 'ftp://x.example/status' })),
          'ERR_ISSUE_INVALID_INPUT',
        )
        await rejectsWithCode(
          registry.allocateStatus(allocation({ statusBaseUrl: `${X}?q=1` })),
          'ERR_ISSUE_INVALID_INPUT',
        )
        await expect(
          registry.allocateStatus(allocation({ statusBaseUrl: 42 as unknown as string })),
        ).rejects.toThrow(TypeError)
        expect(await registry.readStatusLists()).toEqual([])
      })
    })

    describe('allocateStatuses and batch items', () => {
      it('allocates many in one call: distinct indices, each recorded with its batch item', async () => {
        const { registry } = await fresh()
        const options = Array.from({ length: 300 }, (_, i) =>
          allocation({
            suspension: i % 3 === 0,
            batchItem: { batch: 'CAAE', rowKey: `row-${i}`, payload: JSON.stringify({ i }) },
          }),
        )
        const slots = await registry.allocateStatuses(options)
        expect(slots).toHaveLength(300)
        expect(new Set(slots.map((a) => `${a.listNumber}:${a.index}`)).size).toBe(300)
        for (const [i, option] of options.entries()) {
          const record = await registry.getCredentialStatus(option.credentialId)
          expect([record.listNumber, record.index, record.suspension]).toEqual([
            slots[i]?.listNumber,
            slots[i]?.index,
            i % 3 === 0,
          ])
        }
        const item = await registry.getBatchItem('CAAE', 'row-7')
        expect(item).toEqual({
          batch: 'CAAE',
          rowKey: 'row-7',
          credentialId: options[7]?.credentialId,
          listNumber: slots[7]?.listNumber,
          index: slots[7]?.index,
          status: 'active',
          recordedAt: item?.recordedAt,
          payload: '{"i":7}',
        })
        expect(item?.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
        expect(await registry.getBatchItem('CAAE', 'row-300')).toBeUndefined()
        expect(await registry.getBatchItem('AIDA', 'row-7')).toBeUndefined()
        const items = await registry.listBatchItems('CAAE')
        expect(items).toHaveLength(300)
        expect(items.every((i) => i.payload === '')).toBe(true)
        expect(items.map((i) => i.rowKey)).toEqual(
          options.map((_, i) => `row-${i}`).sort((a, b) => (a < b ? -1 : 1)),
        )
        const [list] = await registry.readStatusLists()
        expect([list?.allocated, list?.purposes]).toEqual([300, ['revocation', 'suspension']])
      })

      it('all or nothing: a recorded row key or credential id refuses the whole call', async () => {
        const { registry } = await fresh()
        const first = allocation({ batchItem: { batch: 'B', rowKey: 'k1', payload: '{}' } })
        await registry.allocateStatus(first)
        await rejectsWithCode(
          registry.allocateStatus(
            allocation({ batchItem: { batch: 'B', rowKey: 'k1', payload: '{}' } }),
          ),
          'ERR_BATCH_ROW_RECORDED',
        )
        await rejectsWithCode(
          registry.allocateStatuses([
            allocation({ batchItem: { batch: 'B', rowKey: 'k2', payload: '{}' } }),
            allocation({ batchItem: { batch: 'B', rowKey: 'k1', payload: '{}' } }),
          ]),
          'ERR_BATCH_ROW_RECORDED',
        )
        await rejectsWithCode(
          registry.allocateStatuses([
            allocation(),
            allocation({ credentialId: first.credentialId }),
          ]),
          'ERR_ISSUE_INVALID_INPUT',
        )
        expect(await registry.getBatchItem('B', 'k2')).toBeUndefined()
        expect((await registry.readStatusLists())[0]?.allocated).toBe(1)
        // The same row key in another batch is another item.
        await registry.allocateStatus(
          allocation({ batchItem: { batch: 'C', rowKey: 'k1', payload: '{}' } }),
        )
        expect((await registry.listBatchItems('C')).map((i) => i.rowKey)).toEqual(['k1'])
        expect(await registry.allocateStatuses([])).toEqual([])
      })

      it('rolls over to the next list in the middle of one call', async () => {
        const { registry, location } = await fresh()
        const free = [5, 77_777, MIN_STATUS_LIST_ENTRIES - 2]
        await backend.fillList(location, 1, MIN_STATUS_LIST_ENTRIES, free)
        const slots = await registry.allocateStatuses(Array.from({ length: 5 }, () => allocation()))
        expect(
          slots
            .filter((a) => a.listNumber === 1)
            .map((a) => a.index)
            .sort((a, b) => a - b),
        ).toEqual(free)
        expect(slots.filter((a) => a.listNumber === 2)).toHaveLength(2)
      })

      it('refuses malformed batch items and calls', async () => {
        const { registry } = await fresh()
        const bad = (batchItem: unknown) =>
          registry.allocateStatus({ ...allocation(), batchItem } as AllocateStatusOptions)
        await expect(bad({ batch: 'B', rowKey: 'k' })).rejects.toThrow(TypeError)
        await expect(bad({ batch: '', rowKey: 'k', payload: '{}' })).rejects.toThrow(TypeError)
        await expect(bad({ batch: 'B', rowKey: 'a\nb', payload: '{}' })).rejects.toThrow(TypeError)
        await expect(bad({ batch: 'B', rowKey: 'k', payload: 'not json' })).rejects.toThrow(
          TypeError,
        )
        await expect(bad({ batch: 'B', rowKey: 'k', payload: '{}', x: 1 })).rejects.toThrow(
          TypeError,
        )
        await expect(
          registry.allocateStatuses('x' as unknown as AllocateStatusOptions[]),
        ).rejects.toThrow(TypeError)
        await expect(
          registry.allocateStatuses(Array.from({ length: 1001 }, () => allocation())),
        ).rejects.toThrow(TypeError)
        await expect(registry.getBatchItem('', 'k')).rejects.toThrow(TypeError)
        await expect(registry.listBatchItems(42 as unknown as string)).rejects.toThrow(TypeError)
        expect(await registry.readStatusLists()).toEqual([])
      })
    })

    describe('list revisions and publications', () => {
      it('bumps a purpose revision only when one of its bits changes', async () => {
        const { registry } = await fresh()
        const revisions = async () =>
          (await registry.readPublicationStates()).map((s) => [s.listNumber, s.purpose, s.revision])
        const a = allocation({ suspension: true })
        const b = allocation()
        await registry.allocateStatuses([a, b])
        expect(await revisions()).toEqual([
          [1, 'revocation', 1],
          [1, 'suspension', 1],
        ])
        await registry.allocateStatus(allocation())
        await registry.suspend(a.credentialId, 'pending')
        expect(await revisions()).toEqual([
          [1, 'revocation', 1],
          [1, 'suspension', 2],
        ])
        await registry.suspend(a.credentialId, 'again (no change)')
        await registry.unsuspend(a.credentialId, 'renewed')
        expect(await revisions()).toEqual([
          [1, 'revocation', 1],
          [1, 'suspension', 3],
        ])
        await registry.suspend(a.credentialId, 'pending')
        await registry.revoke(a.credentialId, 'misconduct') // suspended -> revoked: both bits
        expect(await revisions()).toEqual([
          [1, 'revocation', 2],
          [1, 'suspension', 5],
        ])
        await registry.voidCredential(b.credentialId, 'signing failed')
        expect(await revisions()).toEqual([
          [1, 'revocation', 3],
          [1, 'suspension', 5],
        ])
      })

      it('records and replaces publications', async () => {
        const { registry, location } = await fresh()
        await registry.allocateStatus(allocation())
        const publication = {
          listNumber: 1,
          purpose: 'revocation' as const,
          revision: 1,
          publishedAt: '2026-11-29T12:00:00Z',
          validUntil: '2026-12-06T12:00:00Z',
          settings: 'sha256:aa',
          digest: 'sha256:bb',
        }
        await registry.recordPublications([publication])
        await registry.recordPublications([{ ...publication, revision: 1, digest: 'sha256:cc' }])
        const again = await reopen(location)
        expect(await again.readPublicationStates()).toEqual([
          {
            listNumber: 1,
            purpose: 'revocation',
            revision: 1,
            published: {
              revision: 1,
              publishedAt: '2026-11-29T12:00:00Z',
              validUntil: '2026-12-06T12:00:00Z',
              settings: 'sha256:aa',
              digest: 'sha256:cc',
            },
          },
        ])
        await expect(
          registry.recordPublications([{ ...publication, purpose: 'x' as 'revocation' }]),
        ).rejects.toThrow(TypeError)
        await expect(
          registry.recordPublications([{ ...publication, validUntil: 'soon' }]),
        ).rejects.toThrow(TypeError)
        await expect(registry.recordPublications('x' as unknown as [])).rejects.toThrow(TypeError)
      })
    })

    describe('status messages (statusSize 2)', () => {
      it('records a message value at the allocation, changes it with history, and bumps only the message revision', async () => {
        const { registry, location } = await fresh()
        const a = allocation({ messages: true })
        const b = allocation()
        await registry.allocateStatuses([a, b])
        const revisions = async () =>
          (await registry.readPublicationStates()).map((s) => [s.listNumber, s.purpose, s.revision])
        expect(await revisions()).toEqual([
          [1, 'message', 1],
          [1, 'revocation', 1],
        ])
        expect((await registry.getCredentialStatus(a.credentialId)).message).toBe(0)
        expect((await registry.getCredentialStatus(b.credentialId)).message).toBeUndefined()
        expect(await registry.setStatusMessage(a.credentialId, 2, 'renewal overdue')).toEqual({
          credentialId: a.credentialId,
          previous: 0,
          value: 2,
          changed: true,
        })
        expect((await registry.setStatusMessage(a.credentialId, 2, 'again')).changed).toBe(false)
        expect(await revisions()).toEqual([
          [1, 'message', 2],
          [1, 'revocation', 1],
        ])
        const [list] = await registry.readStatusLists()
        expect(list?.purposes).toEqual(['message', 'revocation'])
        const { index } = await registry.getCredentialStatus(a.credentialId)
        expect(list?.messages).toEqual([{ index, value: 2 }])
        const publication = {
          listNumber: 1,
          purpose: 'message' as const,
          revision: 2,
          publishedAt: '2026-11-29T12:00:00Z',
          validUntil: '2026-12-06T12:00:00Z',
          settings: 'sha256:aa',
          digest: 'sha256:bb',
        }
        await registry.recordPublications([publication])
        const again = await reopen(location)
        expect((await again.readPublicationStates())[0]).toEqual({
          listNumber: 1,
          purpose: 'message',
          revision: 2,
          published: {
            revision: 2,
            publishedAt: '2026-11-29T12:00:00Z',
            validUntil: '2026-12-06T12:00:00Z',
            settings: 'sha256:aa',
            digest: 'sha256:bb',
          },
        })
        expect((await again.getCredentialStatus(a.credentialId)).message).toBe(2)
      })

      it('refuses a credential without a message entry, an unknown id and bad values', async () => {
        const { registry } = await fresh()
        const plain = allocation()
        await registry.allocateStatus(plain)
        await rejectsWithCode(
          registry.setStatusMessage(plain.credentialId, 1, 'x'),
          'ERR_REGISTRY_TRANSITION',
        )
        await rejectsWithCode(
          registry.setStatusMessage(credentialId(), 1, 'x'),
          'ERR_REGISTRY_NOT_FOUND',
        )
        for (const value of [4, -1, 0.5, '1', null]) {
          await expect(
            registry.setStatusMessage(plain.credentialId, value as number, 'x'),
          ).rejects.toThrow(TypeError)
        }
        await expect(
          registry.allocateStatus({ ...allocation(), messages: 'yes' as unknown as boolean }),
        ).rejects.toThrow(TypeError)
      })
    })

    describe('persistence', () => {
      it('keeps credentials, statuses and lists across close and reopen', async () => {
        const { registry, location } = await fresh()
        const a = allocation({ suspension: true })
        const b = allocation()
        const slotA = await registry.allocateStatus(a)
        const slotB = await registry.allocateStatus(b)
        await registry.suspend(a.credentialId, 'renewal pending')
        await registry.revoke(b.credentialId, 'misconduct')
        const before = await registry.getCredentialStatus(a.credentialId)
        await registry.close()

        const again = await reopen(location)
        expect(await again.getCredentialStatus(a.credentialId)).toEqual(before)
        expect((await again.getCredentialStatus(b.credentialId)).status).toBe('revoked')
        expect(await again.readStatusLists()).toEqual([
          expect.objectContaining({
            listNumber: 1,
            allocated: 2,
            revoked: [slotB.index],
            suspended: [slotA.index],
          }),
        ])
        const c = await again.allocateStatus(allocation())
        expect(c.listNumber).toBe(1)
        expect([slotA.index, slotB.index]).not.toContain(c.index)
      })
    })

    describe('revoke, suspend, unsuspend', () => {
      it('round trip with history, reasons and idempotency', async () => {
        let tick = Date.parse('2026-11-29T12:00:00Z')
        const { registry } = await fresh({ clock: () => new Date((tick += 1000)) })
        const options = allocation({ suspension: true })
        const { index } = await registry.allocateStatus(options)
        const id = options.credentialId

        expect(await registry.suspend(id, '  renewal pending ')).toEqual({
          credentialId: id,
          previous: 'active',
          status: 'suspended',
          changed: true,
        })
        expect((await registry.readStatusLists())[0]?.suspended).toEqual([index])
        expect(await registry.suspend(id, 'again')).toEqual({
          credentialId: id,
          previous: 'suspended',
          status: 'suspended',
          changed: false,
        })
        expect(await registry.unsuspend(id, 'renewed')).toMatchObject({
          status: 'active',
          changed: true,
        })
        expect(await registry.unsuspend(id, 'renewed')).toMatchObject({
          status: 'active',
          changed: false,
        })
        expect((await registry.readStatusLists())[0]?.suspended).toEqual([])
        expect(await registry.revoke(id, 'misconduct')).toMatchObject({
          previous: 'active',
          status: 'revoked',
          changed: true,
        })
        expect(await registry.revoke(id, 'misconduct')).toMatchObject({
          previous: 'revoked',
          status: 'revoked',
          changed: false,
        })
        const record = await registry.getCredentialStatus(id)
        expect(record.status).toBe('revoked')
        expect(record.history).toEqual([
          {
            at: '2026-11-29T12:00:01.000Z',
            action: 'issue',
            from: null,
            to: 'active',
            reason: null,
          },
          {
            at: '2026-11-29T12:00:02.000Z',
            action: 'suspend',
            from: 'active',
            to: 'suspended',
            reason: 'renewal pending',
          },
          {
            at: '2026-11-29T12:00:04.000Z',
            action: 'unsuspend',
            from: 'suspended',
            to: 'active',
            reason: 'renewed',
          },
          {
            at: '2026-11-29T12:00:06.000Z',
            action: 'revoke',
            from: 'active',
            to: 'revoked',
            reason: 'misconduct',
          },
        ])
        expect((await registry.readStatusLists())[0]?.revoked).toEqual([index])
      })

      it('revocation is final', async () => {
        const { registry } = await fresh()
        const options = allocation({ suspension: true })
        await registry.allocateStatus(options)
        await registry.suspend(options.credentialId, 'pending')
        await registry.revoke(options.credentialId, 'misconduct')
        await rejectsWithCode(
          registry.unsuspend(options.credentialId, 'appeal'),
          'ERR_REGISTRY_TRANSITION',
        )
        await rejectsWithCode(
          registry.suspend(options.credentialId, 'x'),
          'ERR_REGISTRY_TRANSITION',
        )
        const record = await registry.getCredentialStatus(options.credentialId)
        expect(record.status).toBe('revoked')
        expect(record.history.map((h) => h.action)).toEqual(['issue', 'suspend', 'revoke'])
        const [list] = await registry.readStatusLists()
        expect([list?.revoked.length, list?.suspended.length]).toEqual([1, 0])
      })

      it('suspension needs a credential issued with suspension', async () => {
        const { registry } = await fresh()
        const options = allocation({ suspension: false })
        await registry.allocateStatus(options)
        await rejectsWithCode(
          registry.suspend(options.credentialId, 'pending'),
          'ERR_REGISTRY_TRANSITION',
        )
        await rejectsWithCode(
          registry.unsuspend(options.credentialId, 'pending'),
          'ERR_REGISTRY_TRANSITION',
        )
        expect(await registry.revoke(options.credentialId, 'misconduct')).toMatchObject({
          status: 'revoked',
        })
      })

      it('an unknown id is ERR_REGISTRY_NOT_FOUND', async () => {
        const { registry } = await fresh()
        const id = credentialId()
        await rejectsWithCode(registry.revoke(id, 'x'), 'ERR_REGISTRY_NOT_FOUND')
        await rejectsWithCode(registry.suspend(id, 'x'), 'ERR_REGISTRY_NOT_FOUND')
        await rejectsWithCode(registry.unsuspend(id, 'x'), 'ERR_REGISTRY_NOT_FOUND')
        await rejectsWithCode(registry.voidCredential(id, 'x'), 'ERR_REGISTRY_NOT_FOUND')
        await rejectsWithCode(registry.getCredentialStatus(id), 'ERR_REGISTRY_NOT_FOUND')
        await rejectsWithCode(
          registry.getCredentialStatus('not even an IRI'),
          'ERR_REGISTRY_NOT_FOUND',
        )
      })

      it('void: only from active, final, idempotent, and its revocation bit is set', async () => {
        const { registry } = await fresh()
        const options = allocation({ suspension: true })
        const { index } = await registry.allocateStatus(options)
        const id = options.credentialId
        expect(await registry.voidCredential(id, 'signing failed')).toMatchObject({
          previous: 'active',
          status: 'void',
          changed: true,
        })
        expect(await registry.voidCredential(id, 'signing failed')).toMatchObject({
          changed: false,
        })
        await rejectsWithCode(registry.revoke(id, 'x'), 'ERR_REGISTRY_TRANSITION')
        await rejectsWithCode(registry.suspend(id, 'x'), 'ERR_REGISTRY_TRANSITION')
        expect((await registry.readStatusLists())[0]?.revoked).toEqual([index])

        const revoked = allocation()
        await registry.allocateStatus(revoked)
        await registry.revoke(revoked.credentialId, 'misconduct')
        await rejectsWithCode(
          registry.voidCredential(revoked.credentialId, 'x'),
          'ERR_REGISTRY_TRANSITION',
        )
        // The void index is never handed out again.
        for (let i = 0; i < 50; i++) {
          expect((await registry.allocateStatus(allocation())).index).not.toBe(index)
        }
      })
    })

    describe('bad input', () => {
      it('createStatusRegistry refuses a non-store and bad options', async () => {
        expect(() => createStatusRegistry({} as RegistryStore)).toThrow(TypeError)
        expect(() => createStatusRegistry(null as unknown as RegistryStore)).toThrow(TypeError)
        const { location, cleanup } = await backend.newLocation()
        cleanups.push(cleanup)
        const store = await backend.open(location)
        cleanups.push(() => store.close())
        for (const options of [
          { listLength: MIN_STATUS_LIST_ENTRIES - 8 },
          { listLength: MIN_STATUS_LIST_ENTRIES + 1 },
          { listLength: 2 ** 40 },
          { listLength: '131072' },
          { clock: 'now' },
          { size: 1 },
        ]) {
          expect(() =>
            createStatusRegistry(store, options as unknown as CreateStatusRegistryOptions),
          ).toThrow(TypeError)
        }
      })

      it('allocateStatus refuses malformed options', async () => {
        const { registry } = await fresh()
        const bad = (o: unknown) => registry.allocateStatus(o as AllocateStatusOptions)
        await expect(bad(null)).rejects.toThrow(TypeError)
        await expect(bad({ ...allocation(), extra: 1 })).rejects.toThrow(TypeError)
        await expect(bad({ ...allocation(), credentialId: 42 })).rejects.toThrow(TypeError)
        await expect(bad({ ...allocation(), program: '' })).rejects.toThrow(TypeError)
        await expect(bad({ ...allocation(), program: 'A B' })).rejects.toThrow(TypeError)
        await expect(bad({ ...allocation(), suspension: 'yes' })).rejects.toThrow(TypeError)
        await expect(bad({ ...allocation(), suspension: undefined })).rejects.toThrow(TypeError)
        await expect(bad({ ...allocation(), recipient: 'Ada' })).rejects.toThrow(TypeError)
        await expect(bad({ ...allocation(), issuedAt: '2026-01-01' })).rejects.toThrow(TypeError)
        await expect(
          bad({ ...allocation(), recipient: { name: 'Ada', email: 'ada@example.org' } }),
        ).rejects.toThrow(/never stores a plain email/)
        await rejectsWithCode(
          bad({ ...allocation(), credentialId: 'relative/1' }),
          'ERR_STRUCTURE_RELATIVE_IRI',
        )
        await rejectsWithCode(
          bad({ ...allocation(), recipient: { did: 'did:example' } }),
          'ERR_ISSUE_RECIPIENT_INVALID',
        )
        await rejectsWithCode(
          bad({ ...allocation(), recipient: { identityHash: 'ada@example.org' } }),
          'ERR_ISSUE_RECIPIENT_INVALID',
        )
        await rejectsWithCode(
          bad({ ...allocation(), recipient: { name: 'Ada\nLovelace' } }),
          'ERR_ISSUE_RECIPIENT_INVALID',
        )
        await rejectsWithCode(
          bad({ ...allocation(), issuedAt: new Date(Number.NaN) }),
          'ERR_STRUCTURE_DATE_INVALID',
        )
        expect(await registry.readStatusLists()).toEqual([])
      })

      it('revoke, suspend, unsuspend, voidCredential, getCredentialStatus refuse bad arguments', async () => {
        const { registry } = await fresh()
        const options = allocation({ suspension: true })
        await registry.allocateStatus(options)
        const id = options.credentialId
        const reg = registry as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>
        for (const method of ['revoke', 'suspend', 'unsuspend', 'voidCredential']) {
          const call = (...a: unknown[]) => reg[method]?.(...a) ?? Promise.resolve()
          await expect(call(42, 'reason')).rejects.toThrow(TypeError)
          await expect(call('', 'reason')).rejects.toThrow(TypeError)
          await expect(call(id)).rejects.toThrow(TypeError)
          await expect(call(id, '   ')).rejects.toThrow(TypeError)
          await expect(call(id, 'two\nlines')).rejects.toThrow(TypeError)
          await expect(call(id, 'x'.repeat(1001))).rejects.toThrow(TypeError)
        }
        await expect(reg.getCredentialStatus?.(undefined)).rejects.toThrow(TypeError)
        await expect(reg.getCredentialStatus?.('')).rejects.toThrow(TypeError)
        expect((await registry.getCredentialStatus(id)).history).toHaveLength(1)
      })

      it('a closed registry refuses every call; close is idempotent', async () => {
        const { registry } = await fresh()
        await registry.close()
        await registry.close()
        await expect(registry.allocateStatus(allocation())).rejects.toThrow(TypeError)
        await expect(registry.revoke(credentialId(), 'x')).rejects.toThrow(TypeError)
        await expect(registry.getCredentialStatus(credentialId())).rejects.toThrow(TypeError)
        await expect(registry.readStatusLists()).rejects.toThrow(TypeError)
      })
    })
  })
}
