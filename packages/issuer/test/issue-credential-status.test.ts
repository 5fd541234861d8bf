import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  CONTEXT_URLS,
  CertifyError,
  createDocumentLoader,
  type BitstringStatusListEntry,
} from '@certify-vc/context'
import { createSuite, verifyDocumentProofs } from '@certify-vc/core'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  buildCredential,
  issueCredential,
  openSqliteRegistry,
  type BuildCredentialOptions,
  type IssueCredentialOptions,
  type IssuerKey,
  type StatusRegistry,
} from '../src/index.js'
import { fixedKey, tempDir } from './helpers.js'
import { rejectsWithCode } from './registry/registry-suite.js'

const NOW = new Date('2026-11-29T12:00:00Z')
const BASE = 'https://production-ai.institute/status'
const LEARNER_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
const loader = createDocumentLoader()

let key: IssuerKey
beforeAll(async () => {
  key = await fixedKey()
})

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function newRegistry(): Promise<{ registry: StatusRegistry; path: string }> {
  const { dir, cleanup } = await tempDir()
  const path = join(dir, 'certify-vc.sqlite')
  const registry = await openSqliteRegistry(path)
  cleanups.push(cleanup, () => registry.close())
  return { registry, path }
}

function options(
  registry: StatusRegistry,
  overrides: Partial<IssueCredentialOptions> = {},
): IssueCredentialOptions {
  return {
    program: 'CAAE',
    recipient: { name: 'Ada Lovelace', did: LEARNER_DID },
    key,
    now: NOW,
    status: { registry, baseUrl: BASE },
    ...overrides,
  }
}

async function proofVerifies(credential: object): Promise<boolean> {
  const { outcomes } = await verifyDocumentProofs(credential, {
    suites: [createSuite('eddsa-rdfc-2022'), createSuite('Ed25519Signature2020')],
    documentLoader: loader,
    purpose: { term: 'assertionMethod' },
  })
  return outcomes.length === 1 && outcomes.every((o) => o.verified)
}

function entry(purpose: string, listNumber: number, index: number): BitstringStatusListEntry {
  const url = `${BASE}/${purpose}/${listNumber}`
  return {
    id: `${url}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: url,
  }
}

describe('issueCredential with status', () => {
  describe.each([['vc2' as const], ['vc1.1' as const]])('%s', (format) => {
    const contexts =
      format === 'vc2'
        ? [CONTEXT_URLS.credentialsV2, CONTEXT_URLS.openBadgesV3, CONTEXT_URLS.certifyV1]
        : [
            CONTEXT_URLS.credentialsV1,
            CONTEXT_URLS.openBadgesV3,
            CONTEXT_URLS.certifyV1,
            CONTEXT_URLS.ed25519Signature2020V1,
            CONTEXT_URLS.bitstringStatusListV1,
          ]

    it('embeds one revocation entry at the allocated index, recorded before signing', async () => {
      const { registry } = await newRegistry()
      const credential = await issueCredential(options(registry, { format }))
      const record = await registry.getCredentialStatus(credential.id)
      expect(credential['@context']).toEqual(contexts)
      expect(credential.credentialStatus).toEqual(entry('revocation', 1, record.index))
      expect(record).toMatchObject({
        program: 'CAAE',
        recipient: { name: 'Ada Lovelace', did: LEARNER_DID },
        issuedAt: NOW.toISOString(),
        listNumber: 1,
        suspension: false,
        status: 'active',
      })
      expect(await proofVerifies(credential)).toBe(true)
      const [list] = await registry.readStatusLists()
      expect(list?.purposes).toEqual(['revocation'])
    })

    it('with suspension: an array of two entries, same list number and index', async () => {
      const { registry } = await newRegistry()
      const credential = await issueCredential(
        options(registry, { format, status: { registry, baseUrl: `${BASE}/`, suspension: true } }),
      )
      const record = await registry.getCredentialStatus(credential.id)
      expect(credential['@context']).toEqual(contexts)
      expect(credential.credentialStatus).toEqual([
        entry('revocation', 1, record.index),
        entry('suspension', 1, record.index),
      ])
      expect(record.suspension).toBe(true)
      expect(await proofVerifies(credential)).toBe(true)
      const tampered = structuredClone(credential)
      const entries = tampered.credentialStatus as BitstringStatusListEntry[]
      entries[0] = { ...entries[0]!, statusListIndex: String((record.index + 1) % 131072) }
      expect(await proofVerifies(tampered)).toBe(false)
    })
  })

  it('gives each credential its own index', async () => {
    const { registry } = await newRegistry()
    const indices = new Set<string>()
    for (let i = 0; i < 5; i++) {
      const credential = await issueCredential(options(registry))
      indices.add((credential.credentialStatus as BitstringStatusListEntry).statusListIndex)
    }
    expect(indices.size).toBe(5)
  })

  it('records the email only as the credential’s salted hash, never in plain text', async () => {
    const { registry, path } = await newRegistry()
    const credential = await issueCredential(
      options(registry, { recipient: { name: 'Ada Lovelace', email: 'Ada@Example.org' } }),
    )
    const record = await registry.getCredentialStatus(credential.id)
    const identifier = credential.credentialSubject.identifier?.[0]
    expect(record.recipient).toEqual({
      name: 'Ada Lovelace',
      identityHash: identifier?.identityHash,
    })
    await registry.close()
    for (const file of [path, `${path}-wal`]) {
      const bytes = await readFile(file).catch(() => Buffer.alloc(0))
      expect(bytes.includes('ada@example.org')).toBe(false)
      expect(bytes.includes('Ada@Example.org')).toBe(false)
      expect(bytes.includes(identifier?.salt ?? '-')).toBe(false)
    }
  })

  it('a credential refused by safe mode uses up no index', async () => {
    const { registry } = await newRegistry()
    await rejectsWithCode(
      issueCredential(
        options(registry, {
          id: 'urn:uuid:6a0b3f0e-0000-4000-8000-000000000001',
          extensions: { credential: { notInContext: 1 } },
        }),
      ),
      'ERR_JSONLD_UNDEFINED_TERM',
    )
    expect(await registry.readStatusLists()).toEqual([])
    await rejectsWithCode(
      registry.getCredentialStatus('urn:uuid:6a0b3f0e-0000-4000-8000-000000000001'),
      'ERR_REGISTRY_NOT_FOUND',
    )
  })

  it('a signing failure after allocation leaves the allocation void, not issued', async () => {
    const { registry } = await newRegistry()
    const broken: IssuerKey = {
      did: key.did,
      verificationMethodId: key.verificationMethodId,
      publicKeyMultibase: key.publicKeyMultibase,
      signer: () => ({
        id: key.verificationMethodId,
        algorithm: 'Ed25519',
        sign: () => Promise.reject(new Error('HSM unavailable')),
      }),
      toJSON: () => key.toJSON(),
    }
    const id = 'urn:uuid:6a0b3f0e-0000-4000-8000-000000000002'
    await rejectsWithCode(
      issueCredential(options(registry, { key: broken, id })),
      'ERR_KEY_INVALID',
    )
    const record = await registry.getCredentialStatus(id)
    expect(record.status).toBe('void')
    expect(record.history.map((h) => [h.action, h.reason])).toEqual([
      ['issue', null],
      ['void', 'signing failed'],
    ])
    expect((await registry.readStatusLists())[0]?.revoked).toEqual([record.index])
    // The id stays taken, and the next credential gets another index.
    await rejectsWithCode(issueCredential(options(registry, { id })), 'ERR_ISSUE_INVALID_INPUT')
    const next = await issueCredential(options(registry))
    expect((next.credentialStatus as BitstringStatusListEntry).statusListIndex).not.toBe(
      String(record.index),
    )
  })

  it('reports a registry that cannot void the allocation after a signing failure', async () => {
    const { registry } = await newRegistry()
    const failing: StatusRegistry = {
      ...registry,
      voidCredential: () => Promise.reject(new Error('disk full')),
    }
    const broken: IssuerKey = {
      ...key,
      did: key.did,
      verificationMethodId: key.verificationMethodId,
      signer: () => ({
        id: key.verificationMethodId,
        algorithm: 'Ed25519',
        sign: () => Promise.reject(new Error('HSM unavailable')),
      }),
    }
    const error: unknown = await issueCredential(
      options(failing, { key: broken, status: { registry: failing, baseUrl: BASE } }),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CertifyError)
    expect((error as CertifyError).code).toBe('ERR_REGISTRY_STORAGE')
    expect((error as CertifyError).cause).toBeInstanceOf(AggregateError)
  })

  it('refuses a credential id already in the registry', async () => {
    const { registry } = await newRegistry()
    const id = 'https://production-ai.institute/credentials/42'
    await issueCredential(options(registry, { id }))
    await rejectsWithCode(issueCredential(options(registry, { id })), 'ERR_ISSUE_INVALID_INPUT')
    expect((await registry.readStatusLists())[0]?.allocated).toBe(1)
  })

  it('accepts http only on a loopback host', async () => {
    const { registry } = await newRegistry()
    const credential = await issueCredential(
      options(registry, { status: { registry, baseUrl: 'http://localhost:8080/status' } }),
    )
    expect((credential.credentialStatus as BitstringStatusListEntry).statusListCredential).toBe(
      'http://localhost:8080/status/revocation/1',
    )
  })

  it('refuses bad status options before allocating anything', async () => {
    const { registry } = await newRegistry()
    const bad = (status: unknown, extra: Partial<IssueCredentialOptions> = {}) =>
      issueCredential(options(registry, { status: status as never, ...extra }))
    await expect(bad(null)).rejects.toThrow(TypeError)
    await expect(bad({ registry, baseUrl: BASE, colour: 1 })).rejects.toThrow(TypeError)
    await expect(bad({ baseUrl: BASE })).rejects.toThrow(TypeError)
    await expect(bad({ registry: {}, baseUrl: BASE })).rejects.toThrow(TypeError)
    await expect(bad({ registry })).rejects.toThrow(TypeError)
    await expect(bad({ registry, baseUrl: 42 })).rejects.toThrow(TypeError)
    await expect(bad({ registry, baseUrl: BASE, suspension: 'yes' })).rejects.toThrow(TypeError)
    await expect(
      bad(
        { registry, baseUrl: BASE },
        { extensions: { credential: { credentialStatus: { ...entry('revocation', 1, 5) } } } },
      ),
    ).rejects.toThrow(/cannot both be set/)
    for (const baseUrl of [
      'status',
      'ftp://production-ai.institute/status',
      'http://production-ai.institute/status',
      'https://production-ai.institute/status?list=1',
      'https://production-ai.institute/status#x',
      'https://user:pw@production-ai.institute/status',
    ]) {
      await rejectsWithCode(bad({ registry, baseUrl }), 'ERR_ISSUE_INVALID_INPUT')
    }
    expect(await registry.readStatusLists()).toEqual([])
  })

  it('buildCredential does not take a status option (it cannot allocate)', async () => {
    const { registry } = await newRegistry()
    expect(() =>
      buildCredential({
        program: 'AIDA',
        recipient: { name: 'Ada' },
        issuerDid: key.did,
        status: { registry, baseUrl: BASE },
      } as BuildCredentialOptions),
    ).toThrow(TypeError)
  })

  it('without status, nothing changes', async () => {
    const credential = await issueCredential({
      program: 'AIDA',
      recipient: { name: 'Ada Lovelace', did: LEARNER_DID },
      key,
      now: NOW,
      format: 'vc1.1',
    })
    expect(credential.credentialStatus).toBeUndefined()
    expect(credential['@context']).not.toContain(CONTEXT_URLS.bitstringStatusListV1)
  })
})
