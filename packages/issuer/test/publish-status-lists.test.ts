import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CONTEXT_URLS, createDocumentLoader } from '@certify-vc/context'
import {
  MIN_STATUS_LIST_ENTRIES,
  createSuite,
  decodeStatusList,
  encodeStatusList,
  expandSafely,
  getStatus,
  verifyDocumentProofs,
} from '@certify-vc/core'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  issueCredential,
  openSqliteRegistry,
  publishStatusLists,
  type BitstringStatusListCredential,
  type IssuerKey,
  type PublishStatusListsOptions,
  type StatusRegistry,
} from '../src/index.js'
import { fixedKey, tempDir } from './helpers.js'
import { allocation, rejectsWithCode } from './registry/registry-suite.js'
import { fillSqliteList } from './registry/sqlite-helpers.js'

const NOW = new Date('2026-11-29T12:00:00.750Z')
const BASE = 'https://production-ai.institute/status'
const loader = createDocumentLoader()

let key: IssuerKey
let otherKey: IssuerKey
beforeAll(async () => {
  key = await fixedKey()
  otherKey = await fixedKey(9)
})

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup(): Promise<{ registry: StatusRegistry; path: string; dir: string }> {
  const { dir, cleanup } = await tempDir()
  const path = join(dir, 'certify-vc.sqlite')
  const registry = await openSqliteRegistry(path)
  cleanups.push(cleanup, () => registry.close())
  return { registry, path, dir }
}

/** Indices whose bit is 1. */
function setBits(credential: BitstringStatusListCredential): number[] {
  const bits = decodeStatusList(credential.credentialSubject.encodedList)
  expect(bits.length * 8).toBe(MIN_STATUS_LIST_ENTRIES)
  const out: number[] = []
  for (let i = 0; i < bits.length * 8; i++) if (getStatus(bits, i) === 1) out.push(i)
  return out
}

async function verifies(document: object): Promise<boolean> {
  const { outcomes } = await verifyDocumentProofs(document, {
    suites: [createSuite('eddsa-rdfc-2022')],
    documentLoader: loader,
    purpose: { term: 'assertionMethod' },
  })
  return outcomes.length === 1 && outcomes.every((o) => o.verified)
}

describe('publishStatusLists', () => {
  it('publishes nothing for an empty registry', async () => {
    const { registry } = await setup()
    expect(await publishStatusLists({ registry, key, baseUrl: BASE, now: NOW })).toEqual([])
  })

  it('signs one BitstringStatusListCredential per list and purpose, with the right bits', async () => {
    const { registry } = await setup()
    const slot = async (suspension: boolean) => {
      const options = allocation({ suspension })
      const { index } = await registry.allocateStatus(options)
      return { id: options.credentialId, index }
    }
    const [revoked, suspended, unsuspended, voided, revokedAfterSuspension, active] =
      await Promise.all([slot(false), slot(true), slot(true), slot(false), slot(true), slot(true)])
    await registry.revoke(revoked.id, 'misconduct')
    await registry.suspend(suspended.id, 'renewal pending')
    await registry.suspend(unsuspended.id, 'renewal pending')
    await registry.unsuspend(unsuspended.id, 'renewed')
    await registry.voidCredential(voided.id, 'signing failed')
    await registry.suspend(revokedAfterSuspension.id, 'investigation')
    await registry.revoke(revokedAfterSuspension.id, 'misconduct')

    const published = await publishStatusLists({ registry, key, baseUrl: BASE, now: NOW })
    expect(published.map((p) => [p.url, p.purpose, p.listNumber, p.file])).toEqual([
      [`${BASE}/revocation/1`, 'revocation', 1, undefined],
      [`${BASE}/suspension/1`, 'suspension', 1, undefined],
    ])
    const [revocation, suspension] = published.map((p) => p.credential)
    expect(setBits(revocation!)).toEqual(
      [revoked.index, voided.index, revokedAfterSuspension.index].sort((a, b) => a - b),
    )
    expect(setBits(suspension!)).toEqual([suspended.index])
    expect(setBits(revocation!)).not.toContain(active.index)

    for (const { url, purpose, credential } of published) {
      const { proof, ...unsigned } = credential
      expect(unsigned).toEqual({
        '@context': [CONTEXT_URLS.credentialsV2],
        id: url,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: key.did,
        validFrom: '2026-11-29T12:00:00Z',
        validUntil: '2026-12-06T12:00:00Z',
        credentialSubject: {
          id: `${url}#list`,
          type: 'BitstringStatusList',
          statusPurpose: purpose,
          encodedList: expect.stringMatching(/^u[A-Za-z0-9_-]+$/) as unknown,
          ttl: 86_400_000,
        },
      })
      expect(proof).toMatchObject({
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        created: '2026-11-29T12:00:00Z',
        verificationMethod: key.verificationMethodId,
        proofPurpose: 'assertionMethod',
      })
      expect(await verifies(credential)).toBe(true)
    }
  })

  it('the VC 2.0 context defines every member, ttl included (JSON-LD safe mode)', async () => {
    const { registry } = await setup()
    await registry.allocateStatus(allocation())
    const [list] = await publishStatusLists({ registry, key, baseUrl: BASE, now: NOW })
    const { proof: _proof, ...unsigned } = list!.credential
    const expanded = JSON.stringify(await expandSafely(unsigned, loader))
    for (const iri of [
      'https://www.w3.org/ns/credentials/status#BitstringStatusListCredential',
      'https://www.w3.org/ns/credentials/status#BitstringStatusList',
      'https://www.w3.org/ns/credentials/status#encodedList',
      'https://www.w3.org/ns/credentials/status#statusPurpose',
      'https://www.w3.org/ns/credentials/status#ttl',
    ]) {
      expect(expanded).toContain(iri)
    }
  })

  it('a tampered encodedList or a list re-signed by another key is detectable', async () => {
    const { registry } = await setup()
    const options = allocation()
    await registry.allocateStatus(options)
    const [list] = await publishStatusLists({ registry, key, baseUrl: BASE, now: NOW })
    const tampered = structuredClone(list!.credential)
    const bits = decodeStatusList(tampered.credentialSubject.encodedList)
    bits[0] = 0xff
    tampered.credentialSubject.encodedList = encodeStatusList(bits)
    expect(await verifies(tampered)).toBe(false)

    const [foreign] = await publishStatusLists({ registry, key: otherKey, baseUrl: BASE, now: NOW })
    expect(foreign!.credential.issuer).toBe(otherKey.did)
    expect(foreign!.credential.issuer).not.toBe(list!.credential.issuer)
  })

  it('honours validForSeconds and ttlSeconds (ttl written in milliseconds)', async () => {
    const { registry } = await setup()
    await registry.allocateStatus(allocation())
    const [list] = await publishStatusLists({
      registry,
      key,
      baseUrl: BASE,
      now: NOW,
      validForSeconds: 3600,
      ttlSeconds: 300,
    })
    expect(list!.credential.validUntil).toBe('2026-11-29T13:00:00Z')
    expect(list!.credential.credentialSubject.ttl).toBe(300_000)
  })

  it('publishes every list after a rollover', async () => {
    const { registry, path } = await setup()
    fillSqliteList(path, 1, MIN_STATUS_LIST_ENTRIES, [])
    const { listNumber } = await registry.allocateStatus(allocation({ suspension: true }))
    expect(listNumber).toBe(2)
    const published = await publishStatusLists({ registry, key, baseUrl: BASE, now: NOW })
    expect(published.map((p) => p.url)).toEqual([
      `${BASE}/revocation/1`,
      `${BASE}/revocation/2`,
      `${BASE}/suspension/2`,
    ])
  })

  it('writes one file per list, atomically, and rewrites them on the next publish', async () => {
    const { registry, dir } = await setup()
    const credential = await issueCredential({
      program: 'CAAE',
      recipient: { name: 'Ada Lovelace' },
      key,
      now: NOW,
      status: { registry, baseUrl: BASE, suspension: true },
    })
    const outDir = join(dir, 'public', 'status')
    const first = await publishStatusLists({ registry, key, baseUrl: BASE, now: NOW, outDir })
    expect((await readdir(outDir)).sort()).toEqual(['revocation-1.json', 'suspension-1.json'])
    for (const list of first) {
      expect(list.file).toBe(join(outDir, `${list.purpose}-${list.listNumber}.json`))
      expect(JSON.parse(await readFile(list.file!, 'utf8'))).toEqual(list.credential)
    }

    await registry.revoke(credential.id, 'misconduct')
    const later = new Date(NOW.getTime() + 3_600_000)
    const second = await publishStatusLists({ registry, key, baseUrl: BASE, now: later, outDir })
    expect((await readdir(outDir)).sort()).toEqual(['revocation-1.json', 'suspension-1.json'])
    const written = JSON.parse(
      await readFile(join(outDir, 'revocation-1.json'), 'utf8'),
    ) as BitstringStatusListCredential
    expect(written).toEqual(second[0]!.credential)
    expect(written.validFrom).toBe('2026-11-29T13:00:00Z')
    const { index } = await registry.getCredentialStatus(credential.id)
    expect(setBits(written)).toEqual([index])
  })

  it('publishes each list at the URL recorded at issue, whatever base URL is configured now', async () => {
    const { registry } = await setup()
    const other = 'https://certify.example.test/status'
    const credential = await issueCredential({
      program: 'AIDA',
      recipient: { name: 'Ada Lovelace' },
      key,
      now: NOW,
      status: { registry, baseUrl: other },
    })
    await registry.revoke(credential.id, 'misconduct')
    const entry = credential.credentialStatus as { statusListCredential: string }
    expect(entry.statusListCredential).toBe(`${other}/revocation/1`)
    // Without a base URL, and with only a fallback for unrecorded lists: the recorded URL.
    for (const options of [{}, { legacyBaseUrl: BASE }]) {
      const [list] = await publishStatusLists({ registry, key, now: NOW, ...options })
      expect(list?.url).toBe(entry.statusListCredential)
      expect(list?.credential.id).toBe(entry.statusListCredential)
      expect(setBits(list!.credential)).toEqual([
        (await registry.getCredentialStatus(credential.id)).index,
      ])
      expect(await verifies(list!.credential)).toBe(true)
    }
    // An explicit other base URL is refused, naming the URL the credentials point to, and
    // nothing is signed.
    const error: unknown = await publishStatusLists({
      registry,
      key,
      baseUrl: BASE,
      now: NOW,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_REGISTRY_URL_MISMATCH' })
    expect((error as Error).message).toContain(`${other}/revocation/1`)
    await expect(
      publishStatusLists({ registry, key, baseUrl: BASE, legacyBaseUrl: BASE }),
    ).rejects.toThrow(TypeError)
  })

  it('publishes lists recorded without a URL under the base URL given, and only those asked for', async () => {
    const { registry } = await setup()
    await registry.allocateStatus(allocation({ suspension: true }))
    await expect(publishStatusLists({ registry, key, now: NOW })).rejects.toThrow(
      /recorded without a URL/,
    )
    const only = await publishStatusLists({
      registry,
      key,
      legacyBaseUrl: BASE,
      now: NOW,
      only: [{ listNumber: 1, purpose: 'suspension' }],
    })
    expect(only.map((l) => l.url)).toEqual([`${BASE}/suspension/1`])
    const none = await publishStatusLists({
      registry,
      key,
      baseUrl: BASE,
      only: [{ listNumber: 9, purpose: 'revocation' }],
    })
    expect(none).toEqual([])
    const bad = (only: unknown) =>
      publishStatusLists({ registry, key, baseUrl: BASE, only } as PublishStatusListsOptions)
    await expect(bad({})).rejects.toThrow(TypeError)
    await expect(bad([{ listNumber: 0, purpose: 'revocation' }])).rejects.toThrow(TypeError)
    await expect(bad([{ listNumber: 1, purpose: 'other' }])).rejects.toThrow(TypeError)
  })

  it('reports a folder it cannot write as ERR_REGISTRY_STORAGE', async () => {
    const { registry, dir } = await setup()
    await registry.allocateStatus(allocation())
    const notAFolder = join(dir, 'file.txt')
    await writeFile(notAFolder, 'x')
    await rejectsWithCode(
      publishStatusLists({ registry, key, baseUrl: BASE, now: NOW, outDir: notAFolder }),
      'ERR_REGISTRY_STORAGE',
    )
  })

  it('refuses bad options', async () => {
    const { registry } = await setup()
    await registry.allocateStatus(allocation())
    const good: PublishStatusListsOptions = { registry, key, baseUrl: BASE, now: NOW }
    const bad = (o: unknown) => publishStatusLists(o as PublishStatusListsOptions)
    await expect(bad(undefined)).rejects.toThrow(TypeError)
    await expect(bad({ ...good, colour: 'blue' })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, registry: undefined })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, registry: {} })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, key: undefined })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, key: { did: key.did } })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, baseUrl: undefined })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, outDir: '' })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, outDir: 7 })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, now: '2026-11-29' })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, validForSeconds: -1 })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, validForSeconds: 1.5 })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, validForSeconds: 400 * 86_400 })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, validForSeconds: 60, ttlSeconds: 61 })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, ttlSeconds: '60' })).rejects.toThrow(TypeError)
    await expect(bad({ ...good, documentLoader: 'offline' })).rejects.toThrow(TypeError)
    await rejectsWithCode(bad({ ...good, baseUrl: 'status' }), 'ERR_ISSUE_INVALID_INPUT')
    await rejectsWithCode(
      bad({ ...good, baseUrl: 'http://production-ai.institute/status' }),
      'ERR_ISSUE_INVALID_INPUT',
    )
    await rejectsWithCode(bad({ ...good, now: new Date(Number.NaN) }), 'ERR_STRUCTURE_DATE_INVALID')
  })
})
