/**
 * The SQLite registry under several processes: child processes import the BUILT package
 * (packages/issuer/dist, built in beforeAll) and allocate on one file at the same time.
 */
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { MIN_STATUS_LIST_ENTRIES } from '@certify-vc/core'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openSqliteRegistry } from '../../src/index.js'
import { repoRoot, tempDir } from '../helpers.js'
import { fillSqliteList, inspectSqliteRegistry } from './sqlite-helpers.js'

const WORKER = fileURLToPath(new URL('./allocate-worker.mjs', import.meta.url))
const DIST = pathToFileURL(join(repoRoot, 'packages/issuer/dist/index.js')).href
const PROCESSES = 4
const PER_PROCESS = 2000

interface BatchReport {
  worker: string
  startedAt: number
  endedAt: number
  allocations: [string, number, number][]
}

/** Runs a worker to completion; resolves to its parsed report. */
function runBatch(path: string, worker: string, count: number): Promise<BatchReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, DIST, path, worker, String(count), 'batch'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`worker ${worker} exited with ${code}: ${err}`))
      else resolve(JSON.parse(out) as BatchReport)
    })
  })
}

let cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  cleanups = []
})
async function newPath(): Promise<string> {
  const { dir, cleanup } = await tempDir()
  cleanups.push(cleanup)
  return join(dir, 'certify-vc.sqlite')
}

beforeAll(async () => {
  // Under the shared build lock, and asynchronous (a blocked worker times out vitest's RPC).
  await promisify(execFile)(
    'flock',
    ['/tmp/certify-tsc.lock', 'pnpm', 'exec', 'tsc', '-b', 'packages/issuer'],
    { cwd: repoRoot },
  )
}, 300_000)

describe('SQLite registry shared by several processes', () => {
  it(`${PROCESSES} processes × ${PER_PROCESS} allocations on one new file: all distinct, none lost`, async () => {
    const path = await newPath()
    const started = performance.now()
    const reports = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) => runBatch(path, `w${i}`, PER_PROCESS)),
    )
    const wallMs = performance.now() - started
    const total = PROCESSES * PER_PROCESS

    const reported = reports.flatMap((r) => r.allocations)
    expect(reported).toHaveLength(total)
    expect(new Set(reported.map(([, list, index]) => `${list}:${index}`)).size).toBe(total)
    const inspection = inspectSqliteRegistry(path)
    expect(inspection).toMatchObject({
      integrity: 'ok',
      credentials: total,
      distinctSlots: total,
      badListCounters: 0,
      badBlockCounters: 0,
      badHistories: 0,
    })
    for (const [id, list, index] of reported)
      expect(inspection.slots.get(id)).toBe(`${list}:${index}`)

    // Allocation time only: from the first worker's first allocation to the last one's end.
    const firstStart = Math.min(...reports.map((r) => r.startedAt))
    const lastEnd = Math.max(...reports.map((r) => r.endedAt))
    const allocMs = lastEnd - firstStart
    console.log(
      [
        `registry concurrency: ${PROCESSES} processes × ${PER_PROCESS} allocations = ${total}`,
        `  allocating: ${allocMs} ms, ${Math.round((total / allocMs) * 1000)} allocations/s`,
        `  wall time incl. process start-up: ${Math.round(wallMs)} ms,` +
          ` ${Math.round((total / wallMs) * 1000)} allocations/s`,
        ...reports.map(
          (r) =>
            `  ${r.worker}: ${r.endedAt - r.startedAt} ms, ` +
            `${Math.round((PER_PROCESS / (r.endedAt - r.startedAt)) * 1000)} allocations/s`,
        ),
        `  (synchronous=FULL, WAL, BEGIN IMMEDIATE, ${process.platform} ${process.version})`,
      ].join('\n'),
    )
  }, 240_000)

  it('rolls over to list 2 while several processes allocate', async () => {
    const path = await newPath()
    await (await openSqliteRegistry(path)).close()
    // 600 free indices left in list 1; 4 × 300 allocations fill it and spill into list 2.
    const free = Array.from({ length: 600 }, (_, i) => i * 211)
    fillSqliteList(path, 1, MIN_STATUS_LIST_ENTRIES, free)
    const reports = await Promise.all(
      Array.from({ length: 4 }, (_, i) => runBatch(path, `r${i}`, 300)),
    )
    const reported = reports.flatMap((r) => r.allocations)
    const inList1 = reported.filter(([, list]) => list === 1).map(([, , index]) => index)
    expect(inList1.sort((a, b) => a - b)).toEqual(free)
    expect(reported.filter(([, list]) => list === 2)).toHaveLength(600)
    const inspection = inspectSqliteRegistry(path)
    expect(inspection).toMatchObject({
      integrity: 'ok',
      credentials: MIN_STATUS_LIST_ENTRIES + 600,
      distinctSlots: MIN_STATUS_LIST_ENTRIES + 600,
      badListCounters: 0,
      badBlockCounters: 0,
    })
  }, 240_000)

  it('survives a process killed (SIGKILL) mid-batch: nothing lost or duplicated, work continues', async () => {
    const path = await newPath()
    await (await openSqliteRegistry(path)).close()
    const seen: string[] = []
    const exit = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const child = spawn(process.execPath, [WORKER, DIST, path, 'killed', '1000000', 'stream'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let buffer = ''
      let killed = false
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk
        const lines = buffer.split('\n')
        buffer = lines.pop() ?? ''
        seen.push(...lines)
        // Kill at a random point after a few hundred committed allocations.
        if (!killed && seen.length >= 300 + Math.floor(Math.random() * 200)) {
          killed = true
          child.kill('SIGKILL')
        }
      })
      child.on('error', reject)
      child.on('close', (_code, signal) => resolve(signal))
    })
    expect(exit).toBe('SIGKILL')
    expect(seen.length).toBeGreaterThanOrEqual(300)

    const inspection = inspectSqliteRegistry(path)
    expect(inspection).toMatchObject({
      integrity: 'ok',
      badListCounters: 0,
      badBlockCounters: 0,
      badHistories: 0,
    })
    expect(inspection.distinctSlots).toBe(inspection.credentials)
    // Every allocation the process reported had committed: none lost.
    for (const line of seen) {
      const [id, list, index] = line.split(' ')
      expect(inspection.slots.get(id ?? '')).toBe(`${list}:${index}`)
    }
    // At most the one in flight when the process died was committed without being reported.
    expect(inspection.credentials - seen.length).toBeLessThanOrEqual(1)

    // A new process carries on with the same file.
    const report = await runBatch(path, 'after', 200)
    const after = inspectSqliteRegistry(path)
    expect(after).toMatchObject({
      integrity: 'ok',
      credentials: inspection.credentials + 200,
      distinctSlots: inspection.credentials + 200,
      badListCounters: 0,
      badBlockCounters: 0,
    })
    const before = new Set(inspection.slots.values())
    for (const [, list, index] of report.allocations)
      expect(before.has(`${list}:${index}`)).toBe(false)
  }, 240_000)
})
