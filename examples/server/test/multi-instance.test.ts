/**
 * Two server processes (`node examples/server/dist/main.js`, built in beforeAll) on one
 * PostgreSQL database and one DATA_DIR, as behind a load balancer. 2,000 program credentials are
 * issued over both at concurrency 20, each request with its own Idempotency-Key, while one
 * instance is killed with SIGKILL and restarted; a failed request is retried (same key) on the
 * other instance. Then: every credential answered 2xx is fetched from both instances, ids and
 * status indices are distinct, none is lost, every allocation is delivered or voided; a retried
 * key gets the same credential; a challenge made on one instance is consumed on the other and
 * refused on replay on both; a revocation through one instance is in the list the other serves.
 * The figures (duration, throughput, failures at the killed instance, retries) are printed.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createPresentation, decodeStatusList, getStatus, signPresentation } from '@certify-vc/core'
import { generateIssuerKey } from '@certify-vc/issuer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from './helpers.js'
import {
  PG_SKIP_REASON,
  dropSchema,
  newDatabaseUrl,
  withClient,
} from './storage/postgres-helpers.js'

const REPO = fileURLToPath(new URL('../../..', import.meta.url))
const MAIN = join(REPO, 'examples/server/dist/main.js')
const TOTAL = 2_000
const CONCURRENCY = 20
const KILL_AFTER = 600
const DOWN_MS = 1_500
const TOKEN = `multi-${randomBytes(16).toString('hex')}`

type Json = Record<string, unknown>

interface Instance {
  readonly name: 'A' | 'B'
  readonly port: number
  readonly url: string
  process?: ChildProcess
  log: string
}

describe.skipIf(PG_SKIP_REASON !== undefined)('two instances on one PostgreSQL', () => {
  let dataDir: string
  let schema: string
  let databaseUrl: string
  let publicBaseUrl: string
  const instances: Instance[] = []

  function start(instance: Instance): Promise<void> {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        PORT: String(instance.port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        PUBLIC_BASE_URL: publicBaseUrl,
        DATABASE_URL: databaseUrl,
        CERTIFY_WRITE_TOKEN: TOKEN,
        LOG_LEVEL: 'warn',
        // A dead attempt may be taken over after 3 s; one nobody retries is voided after 20 s.
        CERTIFY_ISSUE_LEASE_SECONDS: '3',
        CERTIFY_ISSUE_ABANDON_SECONDS: '20',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    instance.process = child
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (instance.log += c))
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (instance.log += c))
    return waitReady(instance)
  }

  async function waitReady(instance: Instance): Promise<void> {
    const until = Date.now() + 30_000
    for (;;) {
      try {
        if ((await fetch(`${instance.url}/certify/server-info`)).ok) return
      } catch {
        // not listening yet
      }
      if (Date.now() > until || instance.process?.exitCode != null) {
        throw new Error(`instance ${instance.name} did not start:\n${instance.log}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  beforeAll(async () => {
    // Asynchronous: a blocked worker thread would time out vitest's RPC while tsc waits on the lock.
    await promisify(execFile)(
      'flock',
      ['/tmp/certify-tsc.lock', 'pnpm', 'exec', 'tsc', '-b', 'examples/server'],
      { cwd: REPO },
    )
    dataDir = await mkdtemp(join(tmpdir(), 'certify-multi-'))
    ;({ url: databaseUrl, schema } = newDatabaseUrl('multi'))
    const ports = [await freePort(), await freePort()]
    publicBaseUrl = `http://localhost:${ports[0]}`
    for (const [i, name] of (['A', 'B'] as const).entries()) {
      instances.push({ name, port: ports[i] ?? 0, url: `http://127.0.0.1:${ports[i]}`, log: '' })
    }
    // Started together: one creates the key and migrates, the other waits for it.
    await Promise.all(instances.map(start))
  }, 180_000)

  afterAll(async () => {
    for (const instance of instances) instance.process?.kill('SIGKILL')
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true })
    if (schema !== undefined) await dropSchema(schema)
  })

  async function post(
    instance: Instance,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${instance.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as Json }
  }

  it('issues 2,000 credentials over both at concurrency 20 through a kill -9 and restart, losing none', async () => {
    const [a, b] = instances as [Instance, Instance]
    const figures = {
      requests: TOTAL,
      attempts: 0,
      retries: 0,
      created201: 0,
      replayed200: 0,
      inProgress409: 0,
      sentToKilledAndFailed: 0,
      otherFailures: 0,
      durationMs: 0,
      throughputPerSecond: 0,
      killedAtMs: 0,
      backAtMs: 0,
    }
    const results = new Map<number, { status: number; vc: Json }>()
    let next = 0
    let done = 0
    let killed: Promise<void> | undefined
    let bDown = false
    const started = Date.now()

    const bodyOf = (i: number) => ({
      program: (['AIDA', 'CAAE', 'AIMA'] as const)[i % 3],
      recipient: { name: `Learner ${i}`, did: `did:example:learner-${i}` },
    })

    async function killAndRestart(): Promise<void> {
      bDown = true
      figures.killedAtMs = Date.now() - started
      b.process?.kill('SIGKILL')
      await new Promise((resolve) => setTimeout(resolve, DOWN_MS))
      await start(b)
      bDown = false
      figures.backAtMs = Date.now() - started
    }

    async function issueOne(i: number): Promise<void> {
      const key = `multi-${i}`
      for (let attempt = 0; ; attempt++) {
        const target = (i + attempt) % 2 === 0 ? a : b
        figures.attempts++
        if (attempt > 0) figures.retries++
        try {
          const res = await post(target, '/certify/credentials', bodyOf(i), {
            'idempotency-key': key,
          })
          if (res.status === 201 || res.status === 200) {
            if (res.status === 201) figures.created201++
            else figures.replayed200++
            results.set(i, { status: res.status, vc: res.body.verifiableCredential as Json })
            return
          }
          if (res.status === 409) figures.inProgress409++
          else if (res.status < 500) {
            throw new Error(`request ${i}: ${res.status} ${JSON.stringify(res.body)}`)
          } else figures.otherFailures++
        } catch (error) {
          if (error instanceof Error && error.message.startsWith(`request ${i}:`)) throw error
          if (target === b && bDown) figures.sentToKilledAndFailed++
          else figures.otherFailures++
        }
        if (attempt > 200) throw new Error(`request ${i} never succeeded`)
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.min(attempt, 10) * 100))
      }
    }

    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < TOTAL) {
          const i = next++
          await issueOne(i)
          done++
          if (done === KILL_AFTER && killed === undefined) killed = killAndRestart()
        }
      }),
    )
    await killed
    figures.durationMs = Date.now() - started
    figures.throughputPerSecond = Math.round((TOTAL / figures.durationMs) * 1000 * 10) / 10
    console.log(`two-instance figures: ${JSON.stringify(figures, null, 2)}`)

    // None lost: every request got one credential; ids and status indices are distinct.
    expect(results.size).toBe(TOTAL)
    const vcs = [...results.values()].map((r) => r.vc)
    const ids = new Set(vcs.map((vc) => vc.id as string))
    expect(ids.size).toBe(TOTAL)
    const slots = new Set(
      vcs.map((vc) => {
        const entry = vc.credentialStatus as {
          statusListCredential: string
          statusListIndex: string
        }
        return `${entry.statusListCredential}#${entry.statusListIndex}`
      }),
    )
    expect(slots.size).toBe(TOTAL)
    expect(figures.sentToKilledAndFailed).toBeGreaterThan(0)

    // Every credential answered is stored, the same from either instance.
    let cursor = 0
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (cursor < vcs.length) {
          const vc = vcs[cursor++] as Json
          for (const instance of instances) {
            const res = await fetch(
              `${instance.url}/credentials/${encodeURIComponent(vc.id as string)}`,
              { headers: { authorization: `Bearer ${TOKEN}` } },
            )
            expect(res.status).toBe(200)
            expect(await res.json()).toEqual(vc)
          }
        }
      }),
    )

    // Every allocation is a delivered credential, or voided with a reason (the index an attempt
    // killed mid-issue had taken): none is left active unexplained.
    const rows = await withClient(
      schema,
      async (client) =>
        (
          await client.query<{ credential_id: string; status: string }>(
            'SELECT credential_id, status FROM credentials',
          )
        ).rows,
    )
    const active = rows.filter((r) => r.status === 'active').map((r) => r.credential_id)
    expect(new Set(active)).toEqual(ids)
    for (const r of rows) expect(['active', 'void']).toContain(r.status)
    console.log(
      `registry: ${rows.length} allocations, ${active.length} delivered, ${rows.length - active.length} voided`,
    )

    // A retry of an issued request, on either instance, gets the same credential.
    const first = results.get(0)?.vc
    for (const instance of instances) {
      const again = await post(instance, '/certify/credentials', bodyOf(0), {
        'idempotency-key': 'multi-0',
      })
      expect(again.status).toBe(200)
      expect(again.body.verifiableCredential).toEqual(first)
    }
  }, 600_000)

  it('a challenge made on one instance is consumed on the other, and refused on replay on both', async () => {
    const [a, b] = instances as [Instance, Instance]
    const holder = await generateIssuerKey()
    const issued = await post(a, '/certify/credentials', {
      program: 'AIDA',
      recipient: { name: 'Holder', did: holder.did },
    })
    expect(issued.status).toBe(201)
    const vc = issued.body.verifiableCredential as Json
    const made = await post(a, '/presentations/challenges', {})
    expect(made.status).toBe(201)
    const { challenge, domain } = made.body as { challenge: string; domain: string }
    const vp = await signPresentation(
      createPresentation({ holder: holder.did, verifiableCredential: [vc] }),
      { signer: holder.signer(), challenge, domain },
    )
    const answer = await post(b, '/certify/verify/presentation', { verifiablePresentation: vp })
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    expect(answer.body).toMatchObject({ verified: true, holderProven: true })
    for (const instance of [a, b]) {
      const replay = await post(instance, '/certify/verify/presentation', {
        verifiablePresentation: vp,
      })
      expect(replay.status).toBe(422)
      expect(replay.body).toMatchObject({
        holderBinding: { problem: { code: 'ERR_CHALLENGE_REUSED' } },
      })
    }
  })

  it('a revocation through one instance is in the status list the other serves', async () => {
    const [a, b] = instances as [Instance, Instance]
    const issued = await post(b, '/certify/credentials', {
      program: 'CAAE',
      recipient: { name: 'Revoked' },
    })
    const vc = issued.body.verifiableCredential as Json
    const entry = vc.credentialStatus as { statusListCredential: string; statusListIndex: string }
    const listPath = new URL(entry.statusListCredential).pathname
    const bit = async (instance: Instance) => {
      const list = (await (await fetch(`${instance.url}${listPath}`)).json()) as {
        credentialSubject: { encodedList: string }
      }
      return getStatus(
        decodeStatusList(list.credentialSubject.encodedList),
        Number(entry.statusListIndex),
      )
    }
    expect(await bit(b)).toBe(0)
    const revoked = await post(
      a,
      `/certify/credentials/${encodeURIComponent(vc.id as string)}/revoke`,
      { reason: 'test' },
    )
    expect(revoked.status).toBe(200)
    expect(await bit(b)).toBe(1)
    expect(await bit(a)).toBe(1)
    const verified = await post(b, '/credentials/verify', { verifiableCredential: vc })
    expect(verified.status).toBe(422)
    expect(JSON.stringify(verified.body)).toContain('ERR_STATUS_REVOKED')
  })
})
