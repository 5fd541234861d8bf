/**
 * `certify-vc issue-batch` (the BUILT CLI, examples/cli/dist, built in beforeAll) killed with
 * SIGKILL at a random point and run again, on SQLite and on PostgreSQL: every roster row ends up
 * issued exactly once, every credential in the registry belongs to a row and has its file, and
 * every file matches the registry.
 */
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { generateIssuerKey, saveIssuerKey } from '../../src/index.js'
import { repoRoot, tempDir } from '../helpers.js'
import { BACKENDS, open, readManifest, writeRoster } from './batch-helpers.js'

const CLI = join(repoRoot, 'examples/cli/dist/main.js')
const ROWS = 400

beforeAll(async () => {
  // Asynchronous: a blocked worker thread would time out vitest's RPC while tsc waits on the lock.
  await promisify(execFile)(
    'flock',
    ['/tmp/certify-tsc.lock', 'pnpm', 'exec', 'tsc', '-b', 'examples/cli'],
    {
      cwd: repoRoot,
    },
  )
}, 300_000)

/** Runs the CLI; with `killAfterFiles`, SIGKILLs it once that many credential files exist. */
function runCli(
  args: string[],
  cwd: string,
  killAfterFiles?: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c))
    let timer: NodeJS.Timeout | undefined
    if (killAfterFiles !== undefined) {
      timer = setInterval(() => {
        readdir(join(cwd, 'out'))
          .then((names) => {
            if (names.filter((n) => n.endsWith('.json')).length >= killAfterFiles) {
              clearInterval(timer)
              child.kill('SIGKILL')
            }
          })
          .catch(() => undefined)
      }, 5)
    }
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearInterval(timer)
      resolve({ code, signal, out, err })
    })
  })
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`issue-batch killed and resumed on ${backend.name}`, () => {
    const cleanups: (() => Promise<void>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    it('SIGKILL at a random point, then a re-run: every row issued exactly once', async () => {
      const { dir, cleanup } = await tempDir()
      cleanups.push(cleanup)
      const { location, cleanup: drop } = await backend.newLocation('crash')
      cleanups.push(drop)
      await saveIssuerKey(join(dir, 'key.json'), await generateIssuerKey())
      await writeRoster(dir, ROWS)
      const args = [
        'issue-batch',
        '--roster',
        'roster.csv',
        '--program',
        'CAAE',
        '--out',
        'out',
        '--key',
        'key.json',
        '--registry',
        location,
        '--chunk-size',
        '15',
        '--suspension',
      ]
      const killAt = 20 + Math.floor(Math.random() * (ROWS - 80))
      const killed = await runCli(args, dir, killAt)
      expect(killed.signal, killed.err).toBe('SIGKILL')

      const registry = await open(location)
      cleanups.push(() => registry.close())
      const beforeResume = await registry.listBatchItems('CAAE/default')
      expect(beforeResume.length).toBeGreaterThanOrEqual(killAt - 15)
      expect(beforeResume.length).toBeLessThan(ROWS)

      const resumed = await runCli(args, dir)
      expect(resumed.code, resumed.err).toBe(0)
      const summary = /(\d+) issued, (\d+) re-created, (\d+) already issued \((\d+) rows\)/.exec(
        resumed.out,
      )
      const [issued, recreated, unchanged, rows] = (summary ?? []).slice(1).map(Number)
      expect(rows).toBe(ROWS)
      expect(issued).toBe(ROWS - beforeResume.length)
      expect((recreated ?? 0) + (unchanged ?? 0)).toBe(beforeResume.length)

      // Every roster row exactly once, in the manifest and in the registry.
      const manifest = await readManifest(join(dir, 'out'))
      expect(manifest.map((m) => m.rowKey)).toEqual(Array.from({ length: ROWS }, (_, i) => `k${i}`))
      expect(new Set(manifest.map((m) => m.credentialId)).size).toBe(ROWS)
      const items = await registry.listBatchItems('CAAE/default')
      expect(items).toHaveLength(ROWS)
      const itemByKey = new Map(items.map((i) => [i.rowKey, i]))
      for (const m of manifest) {
        expect([itemByKey.get(m.rowKey)?.credentialId, itemByKey.get(m.rowKey)?.index]).toEqual([
          m.credentialId,
          m.statusIndex,
        ])
      }
      // No credential in the registry without its row (nothing allocated twice or orphaned).
      const lists = await registry.readStatusLists()
      expect(lists.reduce((n, l) => n + l.allocated, 0)).toBe(ROWS)
      // Every file belongs to a recorded credential and matches it; no temporary file is left.
      const names = await readdir(join(dir, 'out'))
      expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([])
      const files = names.filter((n) => n.endsWith('.json'))
      expect(files).toHaveLength(ROWS)
      const byFile = new Map(manifest.map((m) => [m.file, m]))
      for (const name of files) {
        const credential = JSON.parse(await readFile(join(dir, 'out', name), 'utf8')) as {
          id: string
          credentialStatus: { statusListIndex: string; statusListCredential: string }[]
          proof: unknown
        }
        const m = byFile.get(name)
        expect(credential.id).toBe(m?.credentialId)
        const record = await registry.getCredentialStatus(credential.id)
        expect(credential.credentialStatus.map((s) => s.statusListIndex)).toEqual([
          String(record.index),
          String(record.index),
        ])
        expect(credential.credentialStatus[0]?.statusListCredential).toMatch(
          new RegExp(`/revocation/${record.listNumber}$`),
        )
        expect(credential.proof).toBeDefined()
      }

      // A third run changes nothing.
      const third = await runCli(args, dir)
      expect(third.out).toContain(`0 issued, 0 re-created, ${ROWS} already issued`)
    }, 600_000)

    it('a file lost after the run is re-created with the same id, index and bytes', async () => {
      const { dir, cleanup } = await tempDir()
      cleanups.push(cleanup)
      const { location, cleanup: drop } = await backend.newLocation('crash2')
      cleanups.push(drop)
      await saveIssuerKey(join(dir, 'key.json'), await generateIssuerKey())
      await writeRoster(dir, 5)
      const args = ['issue-batch', '--roster', 'roster.csv', '--program', 'AIMA', '--out', 'out']
      const all = [...args, '--key', 'key.json', '--registry', location]
      expect((await runCli(all, dir)).code).toBe(0)
      const [first] = await readManifest(join(dir, 'out'))
      const path = join(dir, 'out', first?.file ?? '')
      const original = await readFile(path, 'utf8')
      await writeFile(path, original.slice(0, 100))
      const again = await runCli(all, dir)
      expect(again.out).toContain('0 issued, 1 re-created, 4 already issued')
      expect(await readFile(path, 'utf8')).toBe(original)
    }, 120_000)
  })
}
