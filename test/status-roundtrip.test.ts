/**
 * Revocation and suspension end to end through the real packages: the issuer's registry and
 * published lists, the verifier's status check reading those lists offline.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  generateIssuerKey,
  issueCredential,
  openSqliteRegistry,
  publishStatusLists,
  type IssuerKey,
  type StatusRegistry,
} from '@certify-vc/issuer'
import {
  createOfflineStatusListSource,
  verifyCredential,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const BASE = 'https://production-ai.institute/status'
const dir = mkdtempSync(join(tmpdir(), 'certify-vc-status-'))
let key: IssuerKey
let registry: StatusRegistry

beforeAll(async () => {
  key = await generateIssuerKey()
  registry = await openSqliteRegistry(join(dir, 'registry.sqlite'))
})
afterAll(async () => {
  await registry.close()
  rmSync(dir, { recursive: true, force: true })
})

async function verifyNow(credential: object): Promise<VerifyCredentialResult> {
  const lists = await publishStatusLists({ registry, key, baseUrl: BASE })
  const source = createOfflineStatusListSource(lists.map((l) => l.credential))
  return verifyCredential(credential, {
    trustedIssuers: [key.did],
    status: { source, cache: false },
  })
}

function statusCodes(result: VerifyCredentialResult): string[] {
  return result.checks.find((c) => c.id === 'status')?.problems.map((p) => p.code) ?? []
}

describe('status through published lists', () => {
  for (const format of ['vc2', 'vc1.1'] as const) {
    it(`revoke (${format}): ✓ before, ✗ ERR_STATUS_REVOKED after, and it stays revoked`, async () => {
      const vc = await issueCredential({
        program: 'AIDA',
        format,
        key,
        recipient: { name: 'Ada' },
        status: { registry, baseUrl: BASE },
      })
      const before = await verifyNow(vc)
      expect(before.problems).toEqual([])
      expect(before.verified).toBe(true)
      await registry.revoke(vc.id, 'misconduct')
      const after = await verifyNow(vc)
      expect(after.verified).toBe(false)
      expect(statusCodes(after)).toEqual(['ERR_STATUS_REVOKED'])
      await expect(registry.unsuspend(vc.id, 'undo?')).rejects.toMatchObject({
        code: 'ERR_REGISTRY_TRANSITION',
      })
      expect(statusCodes(await verifyNow(vc))).toEqual(['ERR_STATUS_REVOKED'])
    })
  }

  it('suspend → ✗ ERR_STATUS_SUSPENDED, unsuspend → ✓, both entries checked', async () => {
    const vc = await issueCredential({
      program: 'CAAE',
      key,
      recipient: { name: 'Ada' },
      status: { registry, baseUrl: BASE, suspension: true },
    })
    expect(Array.isArray(vc.credentialStatus)).toBe(true)
    expect((await verifyNow(vc)).verified).toBe(true)
    await registry.suspend(vc.id, 'renewal pending')
    const suspended = await verifyNow(vc)
    expect(suspended.verified).toBe(false)
    expect(statusCodes(suspended)).toEqual(['ERR_STATUS_SUSPENDED'])
    await registry.unsuspend(vc.id, 'renewed')
    expect((await verifyNow(vc)).verified).toBe(true)
    await registry.revoke(vc.id, 'fraud')
    expect(statusCodes(await verifyNow(vc))).toContain('ERR_STATUS_REVOKED')
  })

  it('revoking one credential never flips another', async () => {
    const a = await issueCredential({
      program: 'AIMA',
      key,
      recipient: { name: 'A' },
      status: { registry, baseUrl: BASE },
    })
    const b = await issueCredential({
      program: 'AIMA',
      key,
      recipient: { name: 'B' },
      status: { registry, baseUrl: BASE },
    })
    await registry.revoke(a.id, 'x')
    expect((await verifyNow(b)).verified).toBe(true)
    expect(statusCodes(await verifyNow(a))).toEqual(['ERR_STATUS_REVOKED'])
  })

  it('lists signed by another issuer are ERR_STATUS_LIST_ISSUER_MISMATCH, never "not revoked"', async () => {
    const vc = await issueCredential({
      program: 'AIDA',
      key,
      recipient: { name: 'Ada' },
      status: { registry, baseUrl: BASE },
    })
    const impostor = await generateIssuerKey()
    const forged = await publishStatusLists({ registry, key: impostor, baseUrl: BASE })
    const source = createOfflineStatusListSource(forged.map((l) => l.credential))
    const r = await verifyCredential(vc, {
      trustedIssuers: [key.did],
      status: { source, cache: false },
    })
    expect(r.verified).toBe(false)
    expect(statusCodes(r)).toContain('ERR_STATUS_LIST_ISSUER_MISMATCH')
  })

  it('no list available: ERR_STATUS_UNKNOWN', async () => {
    const vc = await issueCredential({
      program: 'AIDA',
      key,
      recipient: { name: 'Ada' },
      status: { registry, baseUrl: BASE },
    })
    const r = await verifyCredential(vc, {
      trustedIssuers: [key.did],
      status: { source: createOfflineStatusListSource([]), cache: false },
    })
    expect(r.verified).toBe(false)
    expect(statusCodes(r)).toEqual(['ERR_STATUS_UNKNOWN'])
  })
})
