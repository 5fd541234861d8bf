/**
 * Incremental publishing after a batch, on both registry backends: only the lists whose bits
 * changed (or whose validUntil is due, settings changed, or file is gone) are re-signed.
 */
import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { decodeStatusList, getStatus } from '@certify-vc/core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  issueBatch,
  publishStatusLists,
  type PublishStatusListsOptions,
  type StatusRegistry,
} from '../../src/index.js'
import { fixedKey, tempDir } from '../helpers.js'
import { BACKENDS, open, readManifest, writeRoster } from './batch-helpers.js'

const BASE = 'https://production-ai.institute/status'
const DAY = 86_400_000
const T0 = new Date('2026-11-29T12:00:00Z')

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`incremental publishing on ${backend.name}`, () => {
    const cleanups: (() => Promise<void>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    it('re-signs only what changed, what is due for refresh, or what was lost', async () => {
      const { dir, cleanup } = await tempDir()
      cleanups.push(cleanup)
      const { location, cleanup: drop } = await backend.newLocation('publish')
      cleanups.push(drop)
      const registry: StatusRegistry = await open(location)
      cleanups.push(() => registry.close())
      const key = await fixedKey()
      const lists = join(dir, 'lists')
      const publish = async (now: Date, extra: Partial<PublishStatusListsOptions> = {}) => {
        const out = await publishStatusLists({
          registry,
          key,
          baseUrl: BASE,
          outDir: lists,
          now,
          incremental: true,
          ...extra,
        })
        return Object.fromEntries(out.map((p) => [`${p.purpose}-${p.listNumber}`, p.resigned]))
      }
      const batch = (count: number) =>
        writeRoster(dir, count).then((roster) =>
          issueBatch({
            roster,
            program: 'CAAE',
            key,
            registry,
            baseUrl: BASE,
            outDir: join(dir, 'out'),
            suspension: true,
            now: T0,
          }),
        )

      await batch(20)
      expect(await publish(T0)).toEqual({ 'revocation-1': true, 'suspension-1': true })
      const first = await readFile(join(lists, 'revocation-1.json'), 'utf8')
      const firstMtime = (await stat(join(lists, 'revocation-1.json'))).mtimeMs

      // Nothing changed: nothing re-signed, files untouched, same credentials returned.
      expect(await publish(new Date(T0.getTime() + 60_000))).toEqual({
        'revocation-1': false,
        'suspension-1': false,
      })
      expect(await readFile(join(lists, 'revocation-1.json'), 'utf8')).toBe(first)
      expect((await stat(join(lists, 'revocation-1.json'))).mtimeMs).toBe(firstMtime)

      // A batch adds credentials but sets no bit: still nothing to re-sign.
      expect(await batch(50)).toMatchObject({ issued: 30 })
      expect(await publish(new Date(T0.getTime() + 120_000))).toEqual({
        'revocation-1': false,
        'suspension-1': false,
      })

      // A revocation changes the revocation list only; its bit is there.
      const manifest = await readManifest(join(dir, 'out'))
      const target = manifest[7]
      await registry.revoke(target?.credentialId ?? '', 'issued in error')
      expect(await publish(new Date(T0.getTime() + 180_000))).toEqual({
        'revocation-1': true,
        'suspension-1': false,
      })
      const revocation = JSON.parse(await readFile(join(lists, 'revocation-1.json'), 'utf8')) as {
        credentialSubject: { encodedList: string }
      }
      const bits = decodeStatusList(revocation.credentialSubject.encodedList)
      expect(getStatus(bits, target?.statusIndex ?? -1)).toBe(1)
      expect(getStatus(bits, manifest[8]?.statusIndex ?? -1)).toBe(0)

      // A suspension changes the suspension list only.
      await registry.suspend(manifest[9]?.credentialId ?? '', 'pending')
      expect(await publish(new Date(T0.getTime() + 240_000))).toEqual({
        'revocation-1': false,
        'suspension-1': true,
      })

      // Less than half the validity left on the revocation list (signed at +180 s): refreshed.
      const later = new Date(T0.getTime() + 180_000 + 3.5 * DAY + 1000)
      expect(await publish(later)).toEqual({ 'revocation-1': true, 'suspension-1': false })

      // A lost or edited file is re-signed; so is everything after a settings change.
      await rm(join(lists, 'suspension-1.json'))
      expect(await publish(later)).toEqual({ 'revocation-1': false, 'suspension-1': true })
      await writeFile(join(lists, 'revocation-1.json'), '{}')
      expect(await publish(later)).toEqual({ 'revocation-1': true, 'suspension-1': false })
      expect(await publish(later, { ttlSeconds: 3600 })).toEqual({
        'revocation-1': true,
        'suspension-1': true,
      })
      expect(await publish(later, { ttlSeconds: 3600 })).toEqual({
        'revocation-1': false,
        'suspension-1': false,
      })
      // Without incremental, everything is re-signed.
      expect(await publish(later, { incremental: false })).toEqual({
        'revocation-1': true,
        'suspension-1': true,
      })
      await expect(
        publishStatusLists({ registry, key, baseUrl: BASE, incremental: true }),
      ).rejects.toThrow(TypeError)
      await expect(
        publishStatusLists({
          registry,
          key,
          baseUrl: BASE,
          outDir: lists,
          incremental: 'yes' as unknown as boolean,
        }),
      ).rejects.toThrow(TypeError)
    })
  })
}
