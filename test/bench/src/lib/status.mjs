/**
 * The status side of the benchmark: a SQLite status registry (131,072-entry lists), credentials
 * issued with status entries, the signed lists published and served offline, and certify-vc's
 * verifier with a shared status-list cache (lists verified and decoded once per URL within
 * their ttl).
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { PROGRAMS, recipientFor } from './fixtures.mjs'
import { load } from './modules.mjs'

export const STATUS_BASE_URL = 'https://production-ai.institute/status'

/** @param {{ key: { did: string } }} fixtures */
export async function createStatusBench(fixtures) {
  const issuer = await load('@certify-vc/issuer')
  const verifier = await load('@certify-vc/verifier')
  const dir = await mkdtemp(join(tmpdir(), 'certify-vc-bench-'))
  const registry = await issuer.openSqliteRegistry(join(dir, 'registry.sqlite'))
  const { key } = fixtures

  /** Issues credential n with a status entry (and a suspension entry for every third). */
  const issueOne = (n) =>
    issuer.issueCredential({
      program: PROGRAMS[n % PROGRAMS.length],
      recipient: recipientFor(n),
      key,
      format: n % 2 === 0 ? 'vc2' : 'vc1.1',
      status: { registry, baseUrl: STATUS_BASE_URL, suspension: n % 3 === 0 },
    })

  // The credentials to verify: both formats, one and two status entries.
  const credentials = []
  for (let n = 0; n < 6; n++) credentials.push(JSON.stringify(await issueOne(n)))
  const lists = await issuer.publishStatusLists({ registry, key, baseUrl: STATUS_BASE_URL })
  const source = verifier.createOfflineStatusListSource(lists.map((l) => l.credential))
  const cache = verifier.createStatusListCache()
  const withStatus = { trustedIssuers: [key.did], status: { source, cache } }
  const withoutStatus = { trustedIssuers: [key.did], status: false }

  return {
    credentials,
    /** The registry's default list length (the spec's minimum, for herd privacy). */
    listLength: (await load('@certify-vc/core')).MIN_STATUS_LIST_ENTRIES,
    lists: lists.length,
    /** @param {string} text */
    async verifyWithStatus(text) {
      const result = await verifier.verifyCredential(text, withStatus)
      return (
        result.verified && result.checks.some((c) => c.id === 'status' && c.outcome === 'passed')
      )
    },
    /** @param {string} text */
    async verifyWithoutStatus(text) {
      return (await verifier.verifyCredential(text, withoutStatus)).verified
    },
    /** Issues `count` credentials one after the other, each allocated in the registry. */
    async issueBatch(count) {
      const start = performance.now()
      for (let n = 0; n < count; n++) await issueOne(1000 + n)
      const ms = performance.now() - start
      return { count, ms, opsPerSec: (count * 1000) / ms }
    },
    async close() {
      await registry.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
