/**
 * Several issuer processes on one registry, on SQLite and on PostgreSQL: child processes import
 * the BUILT package (packages/issuer/dist, built in beforeAll) and allocate, revoke and suspend
 * at the same time; then every index must be distinct and every published bit must belong to
 * the right credential.
 */
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { decodeStatusList, getStatus } from '@certify-vc/core'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openRegistry, publishStatusLists, type AllocateStatusOptions } from '../../src/index.js'
import { fixedKey, repoRoot, tempDir } from '../helpers.js'
import {
  PG_SKIP_REASON,
  dropSchema,
  inspectPostgresRegistry,
  newSchemaLocation,
  schemaOf,
  withClient,
} from './postgres-helpers.js'
import { inspectSqliteRegistry } from './sqlite-helpers.js'

const WORKER = fileURLToPath(new URL('./registry-worker.mjs', import.meta.url))
const DIST = pathToFileURL(join(repoRoot, 'packages/issuer/dist/index.js')).href
const PROCESSES = 4
const PER_PROCESS = 2500

interface Report {
  worker: string
  startedAt: number
  endedAt: number
  allocations?: [string, number, number][]
  changed?: [string, string, string][]
}

function runWorker(args: string[], stdin?: string): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, DIST, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`worker ${args[1]} exited with ${code}: ${err}`))
      else resolve(JSON.parse(out) as Report)
    })
    child.stdin.end(stdin ?? '')
  })
}

interface Row {
  id: string
  list: number
  index: number
  status: string
}

interface Backend {
  name: string
  skip: boolean
  newLocation(): Promise<{ location: string; cleanup: () => Promise<void> }>
  inspect(location: string): Promise<{
    credentials: number
    distinctSlots: number
    badListCounters: number
    badBlockCounters: number
    badHistories: number
  }>
  rows(location: string): Promise<Row[]>
}

const ROWS_SQL =
  'SELECT credential_id AS id, list_number AS list, list_index AS "index", status FROM credentials'

const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    skip: false,
    async newLocation() {
      const { dir, cleanup } = await tempDir()
      return { location: join(dir, 'registry.sqlite'), cleanup }
    },
    inspect: (location) => Promise.resolve(inspectSqliteRegistry(location)),
    rows(location) {
      const db = new Database(location, { readonly: true, timeout: 10_000 })
      try {
        return Promise.resolve(db.prepare(ROWS_SQL).all() as Row[])
      } finally {
        db.close()
      }
    },
  },
  {
    name: 'PostgreSQL',
    skip: PG_SKIP_REASON !== undefined,
    newLocation() {
      const { location, schema } = newSchemaLocation('conc')
      return Promise.resolve({ location, cleanup: () => dropSchema(schema) })
    },
    inspect: (location) => inspectPostgresRegistry(location),
    rows: (location) =>
      withClient(schemaOf(location), async (client) => (await client.query<Row>(ROWS_SQL)).rows),
  },
]

beforeAll(async () => {
  // Asynchronous: a blocked worker thread would time out vitest's RPC while tsc waits on the lock.
  await promisify(execFile)(
    'flock',
    ['/tmp/certify-tsc.lock', 'pnpm', 'exec', 'tsc', '-b', 'packages/issuer'],
    {
      cwd: repoRoot,
    },
  )
}, 300_000)

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`several issuer processes on one ${backend.name} registry`, () => {
    const cleanups: (() => Promise<void>)[] = []
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })
    async function newLocation(): Promise<string> {
      const { location, cleanup } = await backend.newLocation()
      cleanups.push(cleanup)
      // Created (and migrated) once before the workers start.
      await (await openRegistry({ url: location })).close()
      return location
    }

    it(`${PROCESSES} processes × ${PER_PROCESS} issuances: ${PROCESSES * PER_PROCESS} distinct indices, none lost`, async () => {
      const location = await newLocation()
      const started = performance.now()
      // Batch issuers allocate in chunks (one transaction each); one process allocates singly
      // for its first 100, as `certify-vc issue` does.
      const reports = await Promise.all([
        runWorker([location, 'single', 'allocate', '100', '1']).then(async (first) => {
          const rest = await runWorker([
            location,
            'w0',
            'allocate',
            String(PER_PROCESS - 100),
            '25',
          ])
          return {
            ...rest,
            allocations: [...(first.allocations ?? []), ...(rest.allocations ?? [])],
          }
        }),
        ...Array.from({ length: PROCESSES - 1 }, (_, i) =>
          runWorker([location, `w${i + 1}`, 'allocate', String(PER_PROCESS), '25']),
        ),
      ])
      const total = PROCESSES * PER_PROCESS
      const reported = reports.flatMap((r) => r.allocations ?? [])
      expect(reported).toHaveLength(total)
      expect(new Set(reported.map(([id]) => id)).size).toBe(total)
      expect(new Set(reported.map(([, list, index]) => `${list}:${index}`)).size).toBe(total)
      expect(await backend.inspect(location)).toMatchObject({
        credentials: total,
        distinctSlots: total,
        badListCounters: 0,
        badBlockCounters: 0,
        badHistories: 0,
      })
      const stored = new Map(
        (await backend.rows(location)).map((r) => [r.id, `${r.list}:${r.index}`]),
      )
      for (const [id, list, index] of reported) expect(stored.get(id)).toBe(`${list}:${index}`)
      console.log(
        `${backend.name}: ${PROCESSES} processes × ${PER_PROCESS} allocations in ` +
          `${Math.round(performance.now() - started)} ms (chunks of 25; wall time incl. start-up)`,
      )
    }, 600_000)

    it('revocations and suspensions under concurrent issuance set exactly the right bits', async () => {
      const location = await newLocation()
      const registry = await openRegistry({ url: location })
      cleanups.push(() => registry.close())
      const initial: AllocateStatusOptions[] = Array.from({ length: 400 }, (_, i) => ({
        credentialId: `urn:initial:${i}`,
        program: 'CAAE',
        recipient: { name: `Initial ${i}` },
        suspension: i % 2 === 0,
      }))
      for (let i = 0; i < initial.length; i += 100) {
        await registry.allocateStatuses(initial.slice(i, i + 100))
      }
      const toRevoke = initial
        .filter((_, i) => i % 5 === 1 || i % 5 === 2)
        .map((o) => o.credentialId)
      // Disjoint from toRevoke (revocation is final), and only credentials with suspension.
      const toSuspend = initial
        .filter((_, i) => i % 4 === 0 && i % 5 !== 1 && i % 5 !== 2)
        .map((o) => o.credentialId)
      const reports = await Promise.all([
        ...Array.from({ length: 3 }, (_, i) =>
          runWorker([location, `issuer${i}`, 'allocate', '600', '20']),
        ),
        runWorker(
          [location, 'revoker', 'change'],
          JSON.stringify(toRevoke.map((id) => ['revoke', id])),
        ),
        runWorker(
          [location, 'suspender', 'change'],
          JSON.stringify(toSuspend.map((id) => ['suspend', id])),
        ),
      ])
      expect(reports.flatMap((r) => r.allocations ?? [])).toHaveLength(1800)
      expect(reports.flatMap((r) => r.changed ?? [])).toHaveLength(
        toRevoke.length + toSuspend.length,
      )

      const rows = await backend.rows(location)
      expect(rows).toHaveLength(2200)
      const byId = new Map(rows.map((r) => [r.id, r]))
      for (const id of toRevoke) expect(byId.get(id)?.status).toBe('revoked')
      for (const id of toSuspend) expect(byId.get(id)?.status).toBe('suspended')
      const flagged = rows.filter((r) => r.status !== 'active')
      expect(flagged).toHaveLength(toRevoke.length + toSuspend.length)

      // The published lists carry exactly these bits.
      const published = await publishStatusLists({
        registry,
        key: await fixedKey(),
        baseUrl: 'https://production-ai.institute/status',
      })
      const bits = new Map(
        published.map((p) => [
          `${p.purpose}:${p.listNumber}`,
          decodeStatusList(p.credential.credentialSubject.encodedList),
        ]),
      )
      const setBits = (purpose: string): string[] => {
        const out: string[] = []
        for (const [name, bitstring] of bits) {
          if (!name.startsWith(`${purpose}:`)) continue
          const list = name.split(':')[1]
          for (let i = 0; i < bitstring.length * 8; i++) {
            if (getStatus(bitstring, i) === 1) out.push(`${list}:${i}`)
          }
        }
        return out.sort()
      }
      const slot = (id: string) => {
        const r = byId.get(id)
        return `${r?.list}:${r?.index}`
      }
      expect(setBits('revocation')).toEqual(toRevoke.map(slot).sort())
      expect(setBits('suspension')).toEqual(toSuspend.map(slot).sort())
    }, 600_000)
  })
}
