/**
 * Bitstring Status List `message` purpose end to end (statusSize 2, statusMessage issued): the
 * issuer records a CAAE with a message entry ("renewal pending" …), sets its value through the
 * registry's status change API, publishes, and the verifier reads the value and shows its
 * message; revocation keeps working beside it. Both VC formats, Ed25519 and P-256 issuers.
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistentry
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
const CAAE_MESSAGES = ['valid', 'renewal pending', 'renewal overdue', 'under review']
const dir = mkdtempSync(join(tmpdir(), 'certify-vc-messages-'))
let registry: StatusRegistry

beforeAll(async () => {
  registry = await openSqliteRegistry(join(dir, 'registry.sqlite'))
})
afterAll(async () => {
  await registry.close()
  rmSync(dir, { recursive: true, force: true })
})

async function verifyNow(credential: object, key: IssuerKey): Promise<VerifyCredentialResult> {
  const lists = await publishStatusLists({ registry, key, baseUrl: BASE })
  const source = createOfflineStatusListSource(lists.map((l) => l.credential))
  return verifyCredential(credential, {
    trustedIssuers: [key.did],
    status: { source, cache: false },
  })
}

const messageOf = (r: VerifyCredentialResult) =>
  r.credential.status?.find((s) => s.purpose === 'message')

describe('status messages: issue → set a value → publish → verify', () => {
  for (const [type, format] of [
    ['Ed25519', 'vc2'],
    ['Ed25519', 'vc1.1'],
    ['P-256', 'vc2'],
  ] as const) {
    it(`${type} ${format}: the message entry is spec-shaped, and the value set shows its message`, async () => {
      const key = await generateIssuerKey({ type })
      const vc = await issueCredential({
        program: 'CAAE',
        key,
        format,
        recipient: { name: 'Ada Lovelace' },
        status: { registry, baseUrl: BASE, messages: CAAE_MESSAGES },
      })
      const entries = vc.credentialStatus as unknown as Record<string, unknown>[]
      expect(entries.map((e) => e.statusPurpose)).toEqual(['revocation', 'message'])
      const entry = entries[1] as Record<string, unknown>
      expect(entry).toMatchObject({ type: 'BitstringStatusListEntry', statusSize: 2 })
      // One message per possible value: 2^statusSize = 4 (Bitstring Status List §2.1).
      expect(entry.statusMessage).toEqual([
        { status: '0x0', message: 'valid' },
        { status: '0x1', message: 'renewal pending' },
        { status: '0x2', message: 'renewal overdue' },
        { status: '0x3', message: 'under review' },
      ])
      expect(String(entry.statusListCredential)).toMatch(/\/status\/message\/\d+$/)

      const fresh = await verifyNow(vc, key)
      expect(fresh.problems).toEqual([])
      expect(fresh.verified).toBe(true)
      expect(messageOf(fresh)).toMatchObject({ value: 0, message: 'valid' })

      const changed = await registry.setStatusMessage(vc.id, 1, 'renewal is due')
      expect(changed).toMatchObject({ previous: 0, value: 1, changed: true })
      expect((await registry.setStatusMessage(vc.id, 1, 'again')).changed).toBe(false)
      expect((await registry.getCredentialStatus(vc.id)).message).toBe(1)
      const pending = await verifyNow(vc, key)
      // A message is information, not a failure: the credential still verifies.
      expect(pending.verified).toBe(true)
      expect(messageOf(pending)).toMatchObject({ value: 1, message: 'renewal pending' })

      await registry.setStatusMessage(vc.id, 3, 'audit')
      expect(messageOf(await verifyNow(vc, key))).toMatchObject({
        value: 3,
        message: 'under review',
      })

      await registry.revoke(vc.id, 'exam misconduct')
      const revoked = await verifyNow(vc, key)
      expect(revoked.verified).toBe(false)
      expect(revoked.problems.map((p) => p.code)).toEqual(['ERR_STATUS_REVOKED'])
      expect(messageOf(revoked)).toMatchObject({ value: 3 })
    })
  }

  it('the status change API refuses bad values, unknown ids and credentials without a message entry', async () => {
    const key = await generateIssuerKey()
    const plain = await issueCredential({
      program: 'AIDA',
      key,
      recipient: { name: 'Ada' },
      status: { registry, baseUrl: BASE },
    })
    await expect(registry.setStatusMessage(plain.id, 1, 'x')).rejects.toMatchObject({
      code: 'ERR_REGISTRY_TRANSITION',
    })
    await expect(registry.setStatusMessage('urn:uuid:nope', 1, 'x')).rejects.toMatchObject({
      code: 'ERR_REGISTRY_NOT_FOUND',
    })
    for (const value of [4, -1, 1.5, '1']) {
      await expect(registry.setStatusMessage(plain.id, value as number, 'x')).rejects.toThrow(
        TypeError,
      )
    }
    await expect(
      issueCredential({
        program: 'CAAE',
        key,
        recipient: { name: 'Ada' },
        status: { registry, baseUrl: BASE, messages: ['only', 'two'] },
      }),
    ).rejects.toThrow(TypeError)
  })
})
