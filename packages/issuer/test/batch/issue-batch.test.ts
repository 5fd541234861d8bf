/**
 * issueBatch on both registry backends: validation first with every bad row reported, idempotent
 * re-runs, re-created files, email-only learners, the manifest.
 */
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  RosterInvalidError,
  issueBatch,
  type BatchProgress,
  type IssueBatchOptions,
  type IssuerKey,
  type StatusRegistry,
} from '../../src/index.js'
import { fixedKey, tempDir } from '../helpers.js'
import { BACKENDS, open, readCredentials, readManifest, writeRoster } from './batch-helpers.js'

const BASE = 'https://production-ai.institute/status'
const NOW = new Date('2026-11-29T12:00:00Z')

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`issueBatch on ${backend.name}`, () => {
    const cleanups: (() => Promise<void>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    async function setup(): Promise<{
      dir: string
      registry: StatusRegistry
      location: string
      key: IssuerKey
      base: (o: Partial<IssueBatchOptions>) => IssueBatchOptions
    }> {
      const { dir, cleanup } = await tempDir()
      cleanups.push(cleanup)
      const { location, cleanup: drop } = await backend.newLocation('batch')
      cleanups.push(drop)
      const registry = await open(location)
      cleanups.push(() => registry.close())
      const key = await fixedKey()
      const base = (o: Partial<IssueBatchOptions>): IssueBatchOptions => ({
        roster: join(dir, 'roster.csv'),
        program: 'CAAE',
        key,
        registry,
        baseUrl: BASE,
        outDir: join(dir, 'out'),
        now: NOW,
        ...o,
      })
      return { dir, registry, location, key, base }
    }

    it('issues one credential per row, records each with its row key, writes a manifest', async () => {
      const { dir, registry, base } = await setup()
      const roster = await writeRoster(dir, 30)
      const events: BatchProgress[] = []
      const result = await issueBatch(
        base({ roster, chunkSize: 7, suspension: true, onProgress: (p) => events.push(p) }),
      )
      expect(result).toMatchObject({
        rows: 30,
        issued: 30,
        recreated: 0,
        unchanged: 0,
        problems: [],
      })
      const manifest = await readManifest(join(dir, 'out'))
      expect(manifest.map((m) => m.line)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2))
      expect(manifest.map((m) => m.rowKey)).toEqual(Array.from({ length: 30 }, (_, i) => `k${i}`))
      const credentials = await readCredentials(join(dir, 'out'))
      expect(credentials.size).toBe(30)
      for (const m of manifest) {
        const credential = credentials.get(m.file)
        expect(credential?.id).toBe(m.credentialId)
        const record = await registry.getCredentialStatus(m.credentialId)
        expect([record.listNumber, record.index, record.program, record.suspension]).toEqual([
          m.listNumber,
          m.statusIndex,
          'CAAE',
          true,
        ])
        const status = credential?.credentialStatus as { statusListIndex: string }[]
        expect(status.map((s) => s.statusListIndex)).toEqual([
          String(m.statusIndex),
          String(m.statusIndex),
        ])
        const item = await registry.getBatchItem('CAAE/default', m.rowKey)
        expect(item?.credentialId).toBe(m.credentialId)
      }
      // Email-only learners: a salted identityHash, never the address.
      const emailOnly = credentials.get(manifest[1]?.file ?? '')
      const text = JSON.stringify(emailOnly)
      expect(text).not.toContain('learner1@example.org')
      const subject = emailOnly?.credentialSubject as {
        identifier: { identityType: string; hashed: boolean; identityHash: string; salt: string }[]
        name?: string
      }
      expect(subject.name).toBeUndefined()
      expect(subject.identifier).toEqual([
        expect.objectContaining({ identityType: 'emailAddress', hashed: true }),
      ])
      expect(subject.identifier[0]?.identityHash).toMatch(/^sha256\$[0-9a-f]{64}$/)
      expect(
        (await registry.getCredentialStatus(manifest[1]?.credentialId ?? '')).recipient,
      ).toEqual({
        identityHash: subject.identifier[0]?.identityHash,
      })
      // Per-learner fields and the quoted CSV name.
      const named = credentials.get(manifest[2]?.file ?? '')
      expect((named?.credentialSubject as { name: string; term: string }).name).toBe(
        'Lovelace, Ada 2',
      )
      expect((named?.credentialSubject as { term: string }).term).toBe('2026-Q4')
      expect(events.at(-1)).toMatchObject({ phase: 'issue', done: 30, total: 30, issued: 30 })
      expect(events.some((e) => e.phase === 'validate')).toBe(true)
    })

    it('is idempotent: a re-run issues nothing; a lost or damaged file is re-created identically', async () => {
      const { dir, registry, base } = await setup()
      const roster = await writeRoster(dir, 12)
      await issueBatch(base({ roster, chunkSize: 5 }))
      const out = join(dir, 'out')
      const before = await readManifest(out)
      const original = await readFile(join(out, before[3]?.file ?? ''), 'utf8')
      await rm(join(out, before[3]?.file ?? ''))
      await writeFile(join(out, before[4]?.file ?? ''), '{"truncated":')
      const again = await issueBatch(
        base({ roster, chunkSize: 5, now: new Date('2027-01-01T00:00:00Z') }),
      )
      expect(again).toMatchObject({ issued: 0, recreated: 2, unchanged: 10 })
      expect(await readFile(join(out, before[3]?.file ?? ''), 'utf8')).toBe(original)
      const after = await readManifest(out)
      expect(after.map((m) => [m.rowKey, m.credentialId, m.statusIndex])).toEqual(
        before.map((m) => [m.rowKey, m.credentialId, m.statusIndex]),
      )
      expect(after.filter((m) => m.outcome === 'recreated').map((m) => m.rowKey)).toEqual([
        'k3',
        'k4',
      ])
      expect((await registry.readStatusLists())[0]?.allocated).toBe(12)

      // More rows appended to the roster: only those are issued.
      const bigger = await writeRoster(dir, 15)
      expect(await issueBatch(base({ roster: bigger }))).toMatchObject({
        issued: 3,
        unchanged: 12,
      })
      expect((await registry.readStatusLists())[0]?.allocated).toBe(15)
      // Another batch name issues the same learners again.
      expect(await issueBatch(base({ roster: bigger, batch: 'cohort-2027' }))).toMatchObject({
        issued: 15,
      })
    })

    it('validates every row first: reports all bad rows and issues nothing', async () => {
      const { dir, registry, base } = await setup()
      const roster = join(dir, 'roster.csv')
      await writeFile(
        roster,
        [
          'key,name,email,did,validFrom',
          'a,Ada,,,',
          'b,,not-an-email,,',
          'c,,,did:example,',
          ',,,,',
          'd,,,,',
          'e,Eve,,,2026-02-31',
          'a,Again,,,',
          'f,"Fay",fay@example.org,,2026-12-01',
          'g,Gus,,,,extra',
          'h,"Hal\nNewline",,,',
        ].join('\n'),
      )
      const error: unknown = await issueBatch(base({ roster })).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RosterInvalidError)
      const problems = (error as RosterInvalidError).problems
      expect((error as RosterInvalidError).code).toBe('ERR_BATCH_ROSTER_INVALID')
      expect(problems.map((p) => [p.line, p.field, p.code])).toEqual([
        [3, 'email', 'ERR_ISSUE_RECIPIENT_INVALID'],
        [4, 'did', 'ERR_ISSUE_RECIPIENT_INVALID'],
        [6, 'row', 'ERR_ISSUE_RECIPIENT_INVALID'],
        [7, 'validFrom', 'ERR_STRUCTURE_DATE_INVALID'],
        [8, 'key', 'ERR_BATCH_ROSTER_INVALID'],
        [10, 'row', 'ERR_BATCH_ROSTER_INVALID'],
        [11, 'name', 'ERR_ISSUE_RECIPIENT_INVALID'],
      ])
      expect(problems.every((p) => p.reason.length > 0)).toBe(true)
      expect(await registry.readStatusLists()).toEqual([])

      const skipped = await issueBatch(base({ roster, skipInvalid: true }))
      expect(skipped).toMatchObject({ issued: 2, problems: expect.any(Array) as unknown })
      expect(skipped.problems).toHaveLength(7)
      expect((await readManifest(join(dir, 'out'))).map((m) => m.rowKey)).toEqual(['a', 'f'])
      const fay = (await readCredentials(join(dir, 'out'))).get(
        (await readManifest(join(dir, 'out')))[1]?.file ?? '',
      )
      expect(fay?.validFrom).toBe('2026-12-01T00:00:00Z')
    })

    it('refuses an unusable file even with skipInvalid; JSON Lines rosters', async () => {
      const { dir, base } = await setup()
      const bad = join(dir, 'bad.csv')
      await writeFile(bad, 'key,fullname\n1,Ada\n')
      for (const skipInvalid of [false, true]) {
        const error = (await issueBatch(base({ roster: bad, skipInvalid })).catch(
          (e: unknown) => e,
        )) as RosterInvalidError
        expect(error.problems.map((p) => [p.line, p.field])).toEqual([
          [1, 'fullname'],
          [1, 'file'],
        ])
      }
      await writeFile(join(dir, 'empty.csv'), '')
      const empty = (await issueBatch(base({ roster: join(dir, 'empty.csv') })).catch(
        (e: unknown) => e,
      )) as RosterInvalidError
      expect(empty.problems.map((p) => p.field)).toEqual(['file'])

      const jsonl = join(dir, 'roster.jsonl')
      await writeFile(
        jsonl,
        [
          '{"key":"j1","name":"Ada","awardedDate":"2026-11-20"}',
          '',
          '[1]',
          '{"name":"Bob","colour":"red"}',
          '{"name":42}',
          '{not json',
          '{"email":"eve@example.org","did":"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK","role":"Lead"}',
        ].join('\n'),
      )
      const error = (await issueBatch(base({ roster: jsonl })).catch(
        (e: unknown) => e,
      )) as RosterInvalidError
      expect(error.problems.map((p) => [p.line, p.field])).toEqual([
        [3, 'row'],
        [4, 'colour'],
        [5, 'name'],
        [6, 'row'],
      ])
      const result = await issueBatch(base({ roster: jsonl, skipInvalid: true }))
      expect(result).toMatchObject({ rows: 6, issued: 2 })
      const manifest = await readManifest(join(dir, 'out'))
      expect(manifest.map((m) => m.line)).toEqual([1, 7])
    })

    it('refuses bad options with TypeError, an unknown program with its code', async () => {
      const { base } = await setup()
      const bad = (o: Partial<IssueBatchOptions> & Record<string, unknown>) => issueBatch(base(o))
      await expect(bad({ roster: 'roster.txt' })).rejects.toThrow(TypeError)
      await expect(bad({ roster: 42 as unknown as string })).rejects.toThrow(TypeError)
      await expect(bad({ batch: 'a b' })).rejects.toThrow(TypeError)
      await expect(bad({ chunkSize: 0 })).rejects.toThrow(TypeError)
      await expect(bad({ skipInvalid: 'yes' as unknown as boolean })).rejects.toThrow(TypeError)
      await expect(bad({ extra: 1 })).rejects.toThrow(TypeError)
      await expect(bad({ registry: {} as StatusRegistry })).rejects.toThrow(TypeError)
      await expect(bad({ program: 'XYZ', roster: [] })).rejects.toMatchObject({
        code: 'ERR_ISSUE_PROGRAM_UNKNOWN',
      })
      await expect(bad({ baseUrl: 'ftp://x', roster: [] })).rejects.toMatchObject({
        code: 'ERR_ISSUE_INVALID_INPUT',
      })
    })
  })
}
