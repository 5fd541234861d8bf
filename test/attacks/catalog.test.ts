/**
 * The attack catalog (docs/attacks.md, groups A–H) as tests: every attack id has at least
 * one test asserting the exact failing check and error code. Fixture-driven cases come from
 * test/fixtures/attacks/manifest.json; the rest (network, issuer side, presentations) are below.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { VerifyCredentialResult, VerifyPresentationResult } from '@certify-vc/verifier'
import { describe, expect, it } from 'vitest'
import { registerLiveCases } from './live-cases.js'
import type { FixtureEntry } from './manifest.js'
import { loadManifest, verifyFixture } from './run-fixture.js'

const manifest = loadManifest()
const covered = new Set<string>()

/** Registers a test for one attack id (the coverage test below reads the registrations). */
function attack(id: string, name: string, fn: () => Promise<void> | void, timeout?: number) {
  covered.add(id)
  it(`${id}: ${name}`, fn, timeout)
}

function summary(entry: FixtureEntry): string {
  const e = entry.expected
  return e.verified ? 'verifies' : `${e.check ?? '?'} ${(e.codes ?? []).join(', ')}`
}

/** Asserts a result against a fixture expectation. */
export function expectOutcome(
  result: VerifyCredentialResult | VerifyPresentationResult,
  expected: FixtureEntry['expected'],
): void {
  if (expected.verified) {
    expect(result.problems).toEqual([])
    expect(result.verified).toBe(true)
    expect(result.warnings.map((w) => w.code)).toEqual(expected.warnings ?? [])
    return
  }
  const check = result.checks.find((c) => c.id === expected.check)
  expect(check, `check ${String(expected.check)}`).toBeDefined()
  expect({
    check: check?.id,
    outcome: check?.outcome,
    codes: check?.problems.map((p) => p.code),
  }).toMatchObject({ check: expected.check, outcome: 'failed' })
  for (const code of expected.codes ?? []) {
    expect(check?.problems.map((p) => p.code)).toContain(code)
  }
  const first = expected.codes?.[0]
  if (expected.path !== undefined && first !== undefined) {
    expect(check?.problems.find((p) => p.code === first)?.path).toBe(expected.path)
  }
  for (const id of expected.skipped ?? []) {
    expect(result.checks.find((c) => c.id === id)?.outcome, `${id} skipped`).toBe('skipped')
  }
  for (const id of expected.passed ?? []) {
    expect(result.checks.find((c) => c.id === id)?.outcome, `${id} passed`).toBe('passed')
  }
  expect(result.verified).toBe(false)
}

describe('attack fixtures (manifest.json)', () => {
  for (const entry of manifest.fixtures) {
    attack(entry.attack, `${entry.file} → ${summary(entry)}`, async () => {
      const { result, statusCalls } = await verifyFixture(entry)
      expectOutcome(result, entry.expected)
      if (entry.expected.noStatusFetch === true) expect(statusCalls).toEqual([])
    })
  }
})

registerLiveCases(attack)

describe('catalog coverage', () => {
  const attacksFile = fileURLToPath(new URL('../../docs/attacks.md', import.meta.url))
  it('every attack id in docs/attacks.md has a test', () => {
    const ids = [...readFileSync(attacksFile, 'utf8').matchAll(/^\| ([A-H][0-9]{1,2}) +\|/gm)].map(
      (m) => m[1] as string,
    )
    expect(ids.length).toBeGreaterThanOrEqual(65)
    expect(ids.filter((id) => !covered.has(id))).toEqual([])
  })
})
