/**
 * Shared settings of the property-based tests: a fixed seed (override with FUZZ_SEED), bounded
 * runs (scale with FUZZ_RUNS_FACTOR), and the invariants every verifier result must satisfy.
 */
import { isErrorCode } from '@certify-vc/context'
import { CHECK_IDS, PRESENTATION_CHECK_IDS } from '@certify-vc/verifier'
import { expect } from 'vitest'

/** The seed of every property; fast-check prints it (and the failing path) on failure. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261129)

/** Runs per property, scaled by FUZZ_RUNS_FACTOR (default 1). */
export function runs(n: number): number {
  const factor = Number(process.env.FUZZ_RUNS_FACTOR ?? 1)
  return Math.max(1, Math.round(n * (Number.isFinite(factor) && factor > 0 ? factor : 1)))
}

/** A test timeout that grows with FUZZ_RUNS_FACTOR. */
export function timeout(ms = 60_000): number {
  return runs(ms)
}

/** fast-check parameters: fixed seed, bounded runs, stop at the first failure (seed and path reproduce it). */
export function params(numRuns: number) {
  return { seed: SEED, numRuns: runs(numRuns), endOnFailure: true, maxSkipsPerRun: 100 } as const
}

interface AnyResult {
  readonly verified: boolean
  readonly checks: readonly {
    readonly id: string
    readonly outcome: string
    readonly problems: readonly { readonly code: string }[]
  }[]
  readonly problems: readonly { readonly code: string; readonly message: string }[]
}

/**
 * A result is well formed: every check present in order with a known outcome, every problem has
 * a code from the closed list, `verified` is false whenever a check failed, and it is plain JSON.
 */
export function expectWellFormed(result: AnyResult, kind: 'credential' | 'presentation'): void {
  const ids: readonly string[] = kind === 'credential' ? CHECK_IDS : PRESENTATION_CHECK_IDS
  expect(result.checks.map((c) => c.id)).toEqual(ids)
  for (const c of result.checks) {
    expect(['passed', 'failed', 'skipped']).toContain(c.outcome)
    if (c.outcome === 'failed') expect(c.problems.length).toBeGreaterThan(0)
  }
  for (const p of result.problems) {
    expect(isErrorCode(p.code), `unknown code ${p.code}`).toBe(true)
    expect(typeof p.message).toBe('string')
  }
  if (result.checks.some((c) => c.outcome === 'failed')) expect(result.verified).toBe(false)
  expect(JSON.parse(JSON.stringify(result))).toEqual(result)
}
