/**
 * Attack cases that are not a fixed file: network (an in-process HTTP server on loopback, tests
 * only, reached through the hardened fetcher), single-use challenges, the issuer side, and
 * limits that need megabytes of input. Registered by catalog.test.ts.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { createDocumentLoader, isErrorCode, type DocumentLoader } from '@certify-vc/context'
import { canonize, createPresentation, decodeStatusList, signPresentation } from '@certify-vc/core'
import * as issuerApi from '@certify-vc/issuer'
import {
  issueCredential,
  openSqliteRegistry,
  publishStatusLists,
  saveIssuerKey,
  signCredential,
  type StatusRegistry,
} from '@certify-vc/issuer'
import {
  PROFILE_NAMES,
  createChallengeStore,
  createHardenedDidResolver,
  createHardenedStatusListSource,
  createStatusListCache,
  didWebDocumentUrl,
  verifyCredential,
  verifyPresentation,
  type ResolvedAddress,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { json, startServer, type TestServer } from '../../packages/verifier/test/http-server.js'
import {
  ATTACKER_CONTEXT,
  NOW,
  listUrl,
  setAt,
  signWith,
  signedCredential,
  statusEntry,
  unsignedList,
} from './build-fixtures.js'
import { attackKeys, type AttackKeys } from './keys.js'
import { loadManifest, readJsonFixture, verifyFixture } from './run-fixture.js'

type Register = (id: string, name: string, fn: () => Promise<void> | void, timeout?: number) => void

const now = new Date(NOW)

function failsWith(
  result: {
    verified: boolean
    checks: readonly {
      id: string
      outcome: string
      problems: readonly { code: string; path?: string }[]
    }[]
  },
  check: string,
  code: string,
): void {
  const c = result.checks.find((x) => x.id === check)
  expect({ outcome: c?.outcome, codes: c?.problems.map((p) => p.code) }).toMatchObject({
    outcome: 'failed',
  })
  expect(c?.problems.map((p) => p.code)).toContain(code)
  expect(result.verified).toBe(false)
}

/** A resolver answering one address for every name (the hardened fetcher's `lookup`). */
function fakeDns(address: string) {
  const asked: string[] = []
  return {
    asked,
    lookup: (hostname: string): Promise<readonly ResolvedAddress[]> => {
      asked.push(hostname)
      return Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }])
    },
  }
}

export function registerLiveCases(attack: Register): void {
  let keys: AttackKeys
  let server: TestServer
  const routes = new Map<string, (res: Parameters<Parameters<typeof startServer>[0]>[1]) => void>()
  const dir = mkdtempSync(join(tmpdir(), 'certify-vc-attacks-'))
  let registry: StatusRegistry

  beforeAll(async () => {
    keys = await attackKeys()
    server = await startServer((req, res) => {
      const route = routes.get(req.url ?? '')
      if (route === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' })
        res.end('not found')
        return
      }
      route(res)
    })
    registry = await openSqliteRegistry(join(dir, 'registry.sqlite'))
  })
  afterAll(async () => {
    await server.close()
    await registry.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const trusted = () => ({ trustedIssuers: [keys.institute.did], now })

  describe('A. integrity and proof binding (live)', () => {
    attack(
      'A1',
      'after a fatal proof failure, validity, issuer-trust, program and status are skipped, never "passed" (GAP-A1)',
      async () => {
        const entries = loadManifest().fixtures.filter(
          (e) => e.attack === 'A1' && e.file.endsWith('.fail.json'),
        )
        expect(entries.length).toBeGreaterThanOrEqual(6)
        for (const entry of entries) {
          const { result } = await verifyFixture(entry)
          failsWith(result, 'proof', 'ERR_PROOF_INVALID')
          for (const id of ['validity', 'issuer-trust', 'program', 'status']) {
            expect(result.checks.find((c) => c.id === id)?.outcome, `${entry.file}: ${id}`).toBe(
              'skipped',
            )
          }
        }
      },
    )

    attack(
      'A4',
      'safe mode cannot be switched off: canonize() ignores a smuggled { safe: false } and still refuses an undefined term',
      async () => {
        const doc = readJsonFixture('A02-undefined-term-vc11.fail.json') as Record<string, unknown>
        const loader = createDocumentLoader()
        const smuggled = { safe: false, canonicalization: 'reference' } as unknown as Parameters<
          typeof canonize
        >[2]
        await expect(canonize(doc, loader, smuggled)).rejects.toMatchObject({
          code: 'ERR_JSONLD_UNDEFINED_TERM',
        })
        await expect(canonize(doc, loader)).rejects.toMatchObject({
          code: 'ERR_JSONLD_UNDEFINED_TERM',
        })
      },
    )

    attack(
      'A6',
      'contexts are never loaded from the network: an unknown context URL is refused before the loader is asked for it',
      async () => {
        const asked: string[] = []
        const base = createDocumentLoader()
        const spy: DocumentLoader = (url) => {
          asked.push(url)
          return base(url)
        }
        const entry = loadManifest().fixtures.find(
          (e) => e.file === 'A06-unknown-context-url.fail.json',
        )
        if (entry === undefined) throw new Error('fixture missing')
        const { result } = await verifyFixture(entry, { documentLoader: spy })
        failsWith(result, 'contexts', 'ERR_CONTEXT_UNKNOWN')
        expect(asked).not.toContain(ATTACKER_CONTEXT)
      },
    )
  })

  describe('B. parsing and resource limits (live)', () => {
    attack(
      'B2',
      'a 600 KB input is refused at the default 512 KiB cap → input ERR_INPUT_TOO_LARGE',
      async () => {
        const big = JSON.stringify({ padding: 'x'.repeat(600 * 1024) })
        failsWith(await verifyCredential(big, trusted()), 'input', 'ERR_INPUT_TOO_LARGE')
        failsWith(
          await verifyCredential(new TextEncoder().encode(big), trusted()),
          'input',
          'ERR_INPUT_TOO_LARGE',
        )
      },
    )

    attack(
      'B3',
      '100,000 nested arrays as text never overflow the stack → input ERR_INPUT_TOO_DEEP',
      async () => {
        const text = '['.repeat(100_000) + ']'.repeat(100_000)
        failsWith(await verifyCredential(text, trusted()), 'input', 'ERR_INPUT_TOO_DEEP')
      },
    )

    attack(
      'B6',
      'verifying the __proto__ / constructor fixtures leaves Object.prototype untouched',
      async () => {
        for (const file of ['B06-proto-key.fail.txt', 'B06-constructor-key.fail.json']) {
          const entry = loadManifest().fixtures.find((e) => e.file === file)
          if (entry === undefined) throw new Error(`fixture ${file} missing`)
          const { result } = await verifyFixture(entry)
          failsWith(result, 'input', 'ERR_INPUT_FORBIDDEN_KEY')
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        expect(Object.prototype).not.toHaveProperty('x')
      },
    )
  })

  describe('D. status (live)', () => {
    attack(
      'D1',
      'revocation is final in the issuer registry: unsuspend after revoke → ERR_REGISTRY_TRANSITION',
      async () => {
        const vc = await issueCredential({
          program: 'AIDA',
          key: keys.institute,
          recipient: { name: 'Ada' },
          now,
          status: { registry, baseUrl: 'https://production-ai.institute/status' },
        })
        await registry.revoke(vc.id, 'fraud')
        await expect(registry.unsuspend(vc.id, 'undo')).rejects.toMatchObject({
          code: 'ERR_REGISTRY_TRANSITION',
        })
        expect((await registry.getCredentialStatus(vc.id)).status).toBe('revoked')
      },
    )

    attack(
      'D6',
      'a status host answering HTTP 500 (hardened fetcher, loopback allowed for the test) → status ERR_STATUS_UNKNOWN',
      async () => {
        routes.set('/status/500', (res) => {
          res.writeHead(500, { 'content-type': 'text/plain' })
          res.end('boom')
        })
        const vc = await signedCredential(keys, {
          status: statusEntry(server.url('/status/500'), '1'),
        })
        const r = await verifyCredential(vc, {
          ...trusted(),
          status: {
            source: createHardenedStatusListSource({ allowHttp: true, allowLoopback: true }),
            cache: false,
          },
        })
        failsWith(r, 'status', 'ERR_STATUS_UNKNOWN')
        expect(server.requests.filter((q) => q.includes('/status/500'))).toHaveLength(1)
      },
    )

    attack(
      'D6',
      'a cached list is never used past its ttl: once stale, a failing host gives ERR_STATUS_UNKNOWN, not the old "not revoked"',
      async () => {
        const url = listUrl('d6-ttl')
        const clear = await signWith(unsignedList(keys, url), keys.institute)
        let clock = now.getTime()
        let up = true
        const source = {
          get: (u: string) =>
            up && u === url
              ? Promise.resolve(structuredClone(clear))
              : Promise.reject(new Error('503 from the status host')),
        }
        const cache = createStatusListCache({ now: () => clock })
        const vc = await signedCredential(keys, { status: statusEntry(url, '9') })
        const verify = () => verifyCredential(vc, { ...trusted(), status: { source, cache } })
        expect((await verify()).verified).toBe(true)
        up = false
        expect((await verify()).verified).toBe(true) // within ttl (300 s): the cached copy
        clock += 301_000
        failsWith(await verify(), 'status', 'ERR_STATUS_UNKNOWN')
      },
    )

    attack(
      'D11',
      'the issuer allocates random indices in lists of ≥ 131,072 entries (no issuance order leaks)',
      async () => {
        const issued = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            issueCredential({
              program: 'AIMA',
              key: keys.institute,
              recipient: { name: `Learner ${i}` },
              now,
              status: { registry, baseUrl: 'https://production-ai.institute/status' },
            }),
          ),
        )
        const indices = issued.map((vc) =>
          Number((vc.credentialStatus as { statusListIndex: string }).statusListIndex),
        )
        const sorted = [...indices].sort((a, b) => a - b)
        expect(indices).not.toEqual(sorted.map((_, i) => (sorted[0] ?? 0) + i)) // not a sequence
        const lists = await publishStatusLists({
          registry,
          key: keys.institute,
          baseUrl: 'https://production-ai.institute/status',
          now,
        })
        for (const l of lists) {
          const bits = decodeStatusList(l.credential.credentialSubject.encodedList)
          expect(bits.byteLength * 8).toBeGreaterThanOrEqual(131_072)
        }
      },
    )

    attack(
      'D12',
      '50 concurrent issuances on one registry never share a status index',
      async () => {
        const issued = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            issueCredential({
              program: 'AIDA',
              key: keys.institute,
              recipient: { name: `Concurrent ${i}` },
              now,
              status: { registry, baseUrl: 'https://production-ai.institute/status' },
            }),
          ),
        )
        const slots = issued.map((vc) => {
          const e = vc.credentialStatus as { statusListCredential: string; statusListIndex: string }
          return `${e.statusListCredential}#${e.statusListIndex}`
        })
        expect(new Set(slots).size).toBe(50)
      },
      60_000,
    )
  })

  describe('E. network (live, loopback only)', () => {
    attack(
      'E1',
      'a status URL whose host resolves to 169.254.169.254 is refused by the hardened fetcher before connecting → status ERR_STATUS_UNKNOWN',
      async () => {
        const entry = loadManifest().fixtures.find(
          (e) => e.file === 'E01-status-url-metadata-host.fail.json',
        )
        if (entry === undefined) throw new Error('fixture missing')
        const dns = fakeDns('169.254.169.254')
        const { result } = await verifyFixture(entry, {
          status: { source: createHardenedStatusListSource({ lookup: dns.lookup }), cache: false },
        })
        failsWith(result, 'status', 'ERR_STATUS_UNKNOWN')
        expect(dns.asked).toEqual(['metadata.attacker.example'])
        expect(result.problems.find((p) => p.code === 'ERR_STATUS_UNKNOWN')?.message).toMatch(
          /link-local|169\.254/,
        )
      },
    )

    attack(
      'E1',
      'a status URL on loopback (http://127.0.0.1) is refused by default: the server never sees a request',
      async () => {
        routes.set('/status/loopback', (res) => json(res, { never: 'served' }))
        const before = server.requests.length
        const vc = await signedCredential(keys, {
          status: statusEntry(server.url('/status/loopback'), '1'),
        })
        const r = await verifyCredential(vc, {
          ...trusted(),
          status: { source: createHardenedStatusListSource({ allowHttp: true }), cache: false },
        })
        failsWith(r, 'status', 'ERR_STATUS_UNKNOWN')
        expect(server.requests.length).toBe(before)
      },
    )

    attack(
      'E1',
      'a status host redirecting to another URL is not followed → status ERR_STATUS_UNKNOWN',
      async () => {
        routes.set('/status/redirect', (res) => {
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' })
          res.end()
        })
        const vc = await signedCredential(keys, {
          status: statusEntry(server.url('/status/redirect'), '1'),
        })
        const r = await verifyCredential(vc, {
          ...trusted(),
          status: {
            source: createHardenedStatusListSource({ allowHttp: true, allowLoopback: true }),
            cache: false,
          },
        })
        failsWith(r, 'status', 'ERR_STATUS_UNKNOWN')
        expect(server.requests.filter((q) => q.includes('meta-data'))).toEqual([])
      },
    )

    attack(
      'E2',
      'did:web parsing refuses IP literals, empty and dot segments, mixed-case hosts and encoded hosts',
      () => {
        for (const did of [
          'did:web:127.0.0.1',
          'did:web:169.254.169.254',
          'did:web:example.com::users',
          'did:web:example.com:..:admin',
          'did:web:example.com:%2E%2E',
          'did:web:Example.com',
          'did:web:exa%6Dple.com',
          'did:web:',
        ]) {
          expect(didWebDocumentUrl(did), did).toHaveProperty('error')
        }
        expect(didWebDocumentUrl('did:web:example.com%3A8443:users:alice')).toEqual({
          url: 'https://example.com:8443/users/alice/did.json',
        })
      },
    )

    attack(
      'E2',
      'did:web through the hardened resolver (loopback server, tests only): an off-domain redirect and a document whose id is another DID → key-binding ERR_KEY_UNRESOLVABLE; the right document verifies',
      async () => {
        const did = `did:web:institute.test%3A${server.port}`
        const file = issuerApi.exportIssuerKeyFile(keys.instituteWeb)
        const key = await issuerApi.importIssuerKey({
          ...file,
          id: `${did}#key-1`,
          controller: did,
        })
        const vm = {
          id: key.verificationMethodId,
          type: 'Multikey',
          controller: did,
          publicKeyMultibase: key.publicKeyMultibase,
        }
        const doc = {
          '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
          id: did,
          verificationMethod: [vm],
          assertionMethod: [vm.id],
        }
        const vc = await signedCredential(keys, { issuer: key })
        const resolve = () =>
          verifyCredential(vc, {
            trustedIssuers: [did],
            now,
            status: false,
            didResolver: createHardenedDidResolver({
              allowHttp: true,
              allowLoopback: true,
              lookup: fakeDns('127.0.0.1').lookup,
              cacheTtlMs: 0,
            }),
          })
        routes.set('/.well-known/did.json', (res) => {
          res.writeHead(302, { location: 'https://attacker.example/.well-known/did.json' })
          res.end()
        })
        failsWith(await resolve(), 'key-binding', 'ERR_KEY_UNRESOLVABLE')
        routes.set('/.well-known/did.json', (res) =>
          json(res, { ...doc, id: 'did:web:attacker.example' }),
        )
        failsWith(await resolve(), 'key-binding', 'ERR_KEY_UNRESOLVABLE')
        routes.set('/.well-known/did.json', (res) => json(res, doc))
        const ok = await resolve()
        expect(ok.problems).toEqual([])
        expect(ok.verified).toBe(true)
        expect(server.requests.filter((q) => q.includes('attacker.example'))).toEqual([])
      },
    )

    attack(
      'E3',
      'a did:key issuer cannot be taken over: a replacement key is another DID (credential naming the Institute, signed by it) → key-binding ERR_KEY_NOT_ISSUER',
      async () => {
        const vc = await signedCredential(keys, {
          issuer: keys.foreign,
          issuerDid: keys.institute.did,
          program: 'CAAE',
        })
        failsWith(await verifyCredential(vc, trusted()), 'key-binding', 'ERR_KEY_NOT_ISSUER')
      },
    )

    attack(
      'E4',
      'no beacon: image, evidence, credentialSchema and refreshService URLs are never dereferenced by the verifier (only the status list is fetched)',
      async () => {
        routes.set('/status/e4', (res) => json(res, listBody))
        const url = server.url('/status/e4')
        const listBody = await signWith(unsignedList(keys, url), keys.institute)
        const before = server.requests.length
        const vc = await signedCredential(keys, {
          status: statusEntry(url, '3'),
          patch: (c) => {
            setAt(c, ['issuer', 'image', 'id'], server.url('/beacon/issuer.png'))
            setAt(c, ['credentialSubject', 'achievement', 'image'], {
              id: server.url('/beacon/achievement.svg'),
              type: 'Image',
            })
            c.evidence = [{ id: server.url('/beacon/evidence'), type: ['Evidence'] }]
            c.credentialSchema = [{ id: server.url('/beacon/schema.json'), type: 'JsonSchema' }]
          },
        })
        const r = await verifyCredential(vc, {
          ...trusted(),
          status: {
            source: createHardenedStatusListSource({ allowHttp: true, allowLoopback: true }),
            cache: false,
          },
        })
        expect(r.problems).toEqual([])
        expect(r.verified).toBe(true)
        expect(server.requests.slice(before)).toEqual([`GET 127.0.0.1:${server.port} /status/e4`])
      },
    )
  })

  describe('F. presentations (live)', () => {
    const present = async (challenge: string, domain: string) =>
      signPresentation(
        createPresentation({
          holder: keys.learner.did,
          verifiableCredential: [
            readJsonFixture('A00-valid-aida.pass.json') as Record<string, unknown>,
          ],
        }),
        { signer: keys.learner.signer(), challenge, domain, date: NOW },
      )

    attack(
      'F1',
      'a replayed presentation (same single-use challenge twice) → challenge ERR_CHALLENGE_REUSED',
      async () => {
        const store = createChallengeStore({ now: () => now })
        const { challenge } = await store.issue({ domain: 'employer.example' })
        const vp = await present(challenge, 'employer.example')
        const opts = {
          ...trusted(),
          status: false as const,
          domain: 'employer.example',
          challengeStore: store,
        }
        const first = await verifyPresentation(vp, opts)
        expect(first.problems).toEqual([])
        expect(first.verified).toBe(true)
        failsWith(await verifyPresentation(vp, opts), 'challenge', 'ERR_CHALLENGE_REUSED')
      },
    )

    attack(
      'F1',
      'a challenge this verifier never issued → challenge ERR_CHALLENGE_UNKNOWN',
      async () => {
        const store = createChallengeStore({ now: () => now })
        const vp = await present('made-up-by-the-attacker-0123456789', 'employer.example')
        failsWith(
          await verifyPresentation(vp, {
            ...trusted(),
            status: false,
            domain: 'employer.example',
            challengeStore: store,
          }),
          'challenge',
          'ERR_CHALLENGE_UNKNOWN',
        )
      },
    )

    attack('F1', 'an expired challenge → challenge ERR_CHALLENGE_EXPIRED', async () => {
      let clock = now
      const store = createChallengeStore({ now: () => clock, ttlSeconds: 60 })
      const { challenge } = await store.issue({ domain: 'employer.example' })
      const vp = await present(challenge, 'employer.example')
      clock = new Date(now.getTime() + 120_000)
      failsWith(
        await verifyPresentation(vp, {
          ...trusted(),
          status: false,
          domain: 'employer.example',
          challengeStore: store,
        }),
        'challenge',
        'ERR_CHALLENGE_EXPIRED',
      )
    })

    attack(
      'F4',
      'an unsigned presentation accepted on purpose (unsignedPresentation: allow) never proves the holder: holderProven false',
      async () => {
        const vp = createPresentation({
          holder: keys.learner.did,
          verifiableCredential: [
            readJsonFixture('A00-valid-aida.pass.json') as Record<string, unknown>,
          ],
        })
        // A "share this file" verification: nothing only a proof could answer is asked for.
        const r = await verifyPresentation(vp, {
          ...trusted(),
          status: false,
          domain: null,
          holderBinding: 'if-present',
          unsignedPresentation: 'allow',
        })
        expect(r.verified).toBe(true)
        expect(r.holderProven).toBe(false)
        expect(r.checks.find((c) => c.id === 'proof')?.outcome).toBe('skipped')
        // With 'allow', a demanded domain still needs a proof: the caller asked for a binding.
        failsWith(
          await verifyPresentation(vp, {
            ...trusted(),
            status: false,
            domain: 'employer.example',
            unsignedPresentation: 'allow',
          }),
          'proof',
          'ERR_PRESENTATION_UNSIGNED',
        )
        failsWith(
          await verifyPresentation(vp, {
            ...trusted(),
            status: false,
            domain: 'employer.example',
            challenge: 'x',
          }),
          'proof',
          'ERR_PRESENTATION_UNSIGNED',
        )
      },
    )
  })

  describe('G. semantics and trust (live)', () => {
    attack(
      'G3',
      "another key (e.g. a compromised pipeline key on its own DID) cannot mint a CAAE in the Institute's name → key-binding ERR_KEY_NOT_ISSUER",
      async () => {
        const vc = await signedCredential(keys, {
          program: 'CAAE',
          issuer: keys.foreign,
          issuerDid: keys.institute.did,
        })
        const r = await verifyCredential(vc, trusted())
        failsWith(r, 'key-binding', 'ERR_KEY_NOT_ISSUER')
        expect(r.credential.program).toBeUndefined()
      },
    )

    attack(
      'G4',
      'a credential-chosen schema is never fetched; the bundled checks decide (achievement without criteria) → structure ERR_STRUCTURE_NOT_OPEN_BADGE',
      async () => {
        routes.set('/schema/permissive.json', (res) => json(res, { type: 'object' }))
        const before = server.requests.length
        const vc = await signedCredential(keys, {
          patch: (c) => {
            c.credentialSchema = [{ id: server.url('/schema/permissive.json'), type: 'JsonSchema' }]
            delete (c.credentialSubject as { achievement: Record<string, unknown> }).achievement
              .criteria
          },
        })
        failsWith(
          await verifyCredential(vc, trusted()),
          'structure',
          'ERR_STRUCTURE_NOT_OPEN_BADGE',
        )
        expect(server.requests.length).toBe(before)
      },
    )

    attack(
      'G5',
      'display data never comes from an untrusted credential: the result carries no script, javascript: URL or narrative; the issuer refuses a javascript: issuer url → ERR_ISSUE_INVALID_INPUT',
      async () => {
        const entry = loadManifest().fixtures.find(
          (e) => e.file === 'G05-foreign-script-and-javascript-url.fail.json',
        )
        if (entry === undefined) throw new Error('fixture missing')
        const { result } = await verifyFixture(entry)
        failsWith(result, 'issuer-trust', 'ERR_ISSUER_UNTRUSTED')
        const { credential } = result as VerifyCredentialResult
        expect(JSON.stringify(credential)).not.toMatch(/script|javascript:/i)
        expect(credential.program).toBeUndefined()
        await expect(
          issueCredential({
            program: 'AIDA',
            key: keys.institute,
            recipient: { name: 'Ada' },
            issuerProfile: { url: 'javascript:alert(1)' },
          }),
        ).rejects.toMatchObject({ code: 'ERR_ISSUE_INVALID_INPUT' })
      },
    )

    attack(
      'G6',
      'not applicable (this verifier never refreshes): a refreshService on a trusted credential is never dereferenced and changes nothing',
      async () => {
        routes.set('/refresh', (res) => json(res, { refreshed: true }))
        const before = server.requests.length
        const vc = await signedCredential(keys, {
          patch: (c) =>
            (c.refreshService = {
              id: server.url('/refresh'),
              type: 'https://w3id.org/vc-refresh-service#VerifiableCredentialRefreshService2021',
            }),
        })
        const r = await verifyCredential(vc, trusted())
        expect(r.problems).toEqual([])
        expect(server.requests.length).toBe(before)
      },
    )

    attack(
      'G7',
      'an embedded (endorsement) credential is not vouched for by the outer one: verified alone it fails proof ERR_PROOF_INVALID, and the outer result reports no endorsement',
      async () => {
        const endorsement = readJsonFixture('A01-tampered-subject-name.fail.json') as Record<
          string,
          unknown
        >
        failsWith(await verifyCredential(endorsement, trusted()), 'proof', 'ERR_PROOF_INVALID')
        const outer = await verifyCredential(readJsonFixture('A00-valid-aida.pass.json'), trusted())
        expect(outer.verified).toBe(true)
        expect(JSON.stringify(outer.credential)).not.toMatch(/endorsement/i)
      },
    )

    attack(
      'G8',
      'an email recipient is a salted SHA-256 (≥ 128-bit salt, fresh per credential); the address never appears',
      async () => {
        const issue = () =>
          issueCredential({
            program: 'AIDA',
            key: keys.institute,
            recipient: { email: 'Ada@Example.org' },
            now,
          })
        const [a, b] = [await issue(), await issue()]
        for (const vc of [a, b]) {
          expect(JSON.stringify(vc).toLowerCase()).not.toContain('ada@example.org')
          const id = (vc.credentialSubject.identifier ?? [])[0]
          expect(id).toMatchObject({ identityType: 'emailAddress', hashed: true })
          expect(id?.identityHash).toMatch(/^sha256\$[0-9a-f]{64}$/)
          expect(id?.salt).toMatch(/^[0-9a-f]{32,}$/)
        }
        expect(a.credentialSubject.identifier?.[0]?.salt).not.toBe(
          b.credentialSubject.identifier?.[0]?.salt,
        )
      },
    )
  })

  describe('H. issuer side (live)', () => {
    attack(
      'H1',
      'the issuer refuses to sign what it did not validate: an undefined term → ERR_JSONLD_UNDEFINED_TERM, a relative id → ERR_STRUCTURE_RELATIVE_IRI',
      async () => {
        await expect(
          issueCredential({
            program: 'AIDA',
            key: keys.institute,
            recipient: { name: 'Ada' },
            extensions: { subject: { grade: 'A+' } },
          }),
        ).rejects.toMatchObject({ code: 'ERR_JSONLD_UNDEFINED_TERM' })
        await expect(
          issueCredential({
            program: 'AIDA',
            key: keys.institute,
            recipient: { name: 'Ada' },
            extensions: { credential: { evidence: [{ id: '#relative', type: ['Evidence'] }] } },
          }),
        ).rejects.toMatchObject({ code: 'ERR_STRUCTURE_RELATIVE_IRI' })
        const issued = await issueCredential({
          program: 'CAAE',
          key: keys.institute,
          recipient: { name: 'Ada', did: keys.learner.did },
          now,
        })
        const r: VerifyCredentialResult = await verifyCredential(issued, trusted())
        expect(r.problems).toEqual([])
      },
    )

    attack(
      'H2',
      'no raw signing oracle: the issuer exports no sign()/signDocument, and signCredential refuses unvalidated JSON (undefined term → ERR_JSONLD_UNDEFINED_TERM, already signed → ERR_ISSUE_INVALID_INPUT)',
      async () => {
        expect(Object.keys(issuerApi)).not.toEqual(expect.arrayContaining(['sign']))
        expect(Object.keys(issuerApi)).not.toContain('signDocument')
        const doc = readJsonFixture('A02-undefined-term-vc11.fail.json') as Record<string, unknown>
        delete doc.proof
        await expect(signCredential(doc, { key: keys.institute })).rejects.toMatchObject({
          code: 'ERR_JSONLD_UNDEFINED_TERM',
        })
        const signed = readJsonFixture('A00-valid-aida.pass.json') as Record<string, unknown>
        await expect(signCredential(signed, { key: keys.institute })).rejects.toMatchObject({
          code: 'ERR_ISSUE_INVALID_INPUT',
        })
      },
    )

    attack(
      'H3',
      'the secret key never shows (JSON, inspect, String) and key files are written with mode 0600',
      async () => {
        const file = issuerApi.exportIssuerKeyFile(keys.institute)
        const secret = file.secretKeyMultibase
        for (const shown of [
          JSON.stringify(keys.institute),
          inspect(keys.institute, { depth: 5 }),
          // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the point of the test
          String(keys.institute),
        ]) {
          expect(shown).not.toContain(secret)
        }
        const path = join(dir, 'issuer-key.json')
        await saveIssuerKey(path, keys.institute)
        expect(statSync(path).mode & 0o777).toBe(0o600)
      },
    )

    attack(
      'H4',
      'publishing again keeps the list length and the signing key, and moves validFrom forward',
      async () => {
        const base = 'https://production-ai.institute/status'
        const first = await publishStatusLists({
          registry,
          key: keys.institute,
          baseUrl: base,
          now,
        })
        const later = new Date(now.getTime() + 3_600_000)
        const second = await publishStatusLists({
          registry,
          key: keys.institute,
          baseUrl: base,
          now: later,
        })
        expect(second.map((l) => l.url)).toEqual(first.map((l) => l.url))
        second.forEach((l, i) => {
          const before = first[i]
          if (before === undefined) throw new Error('list missing')
          const len = (c: typeof l.credential) =>
            decodeStatusList(c.credentialSubject.encodedList).byteLength
          expect(len(l.credential)).toBe(len(before.credential))
          const vm = (c: typeof l.credential) =>
            (Array.isArray(c.proof) ? c.proof[0] : c.proof)?.verificationMethod
          expect(vm(l.credential)).toBe(vm(before.credential))
          expect(vm(l.credential)).toBe(keys.institute.verificationMethodId)
          expect(Date.parse(l.credential.validFrom)).toBeGreaterThan(
            Date.parse(before.credential.validFrom),
          )
        })
        expect(isErrorCode('ERR_REGISTRY_TRANSITION')).toBe(true)
      },
    )
  })

  describe('proof lifetimes and the presentation doors (live)', () => {
    const DOMAIN = 'employer.example'
    const aida = () => readJsonFixture('A00-valid-aida.pass.json') as Record<string, unknown>
    const holderProof = (o: Parameters<typeof signWith>[2]) =>
      signWith(
        createPresentation({ holder: keys.learner.did, verifiableCredential: [aida()] }),
        keys.learner,
        o,
      )
    /** "Share this file": nothing is demanded that only a proof could answer. */
    const shareFile = {
      domain: null,
      unsignedPresentation: 'allow',
      holderBinding: 'if-present',
    } as const

    attack(
      'C5',
      'the issuer never signs a dead proof: expires at or before created, or already past (even with a back-dated created) → ERR_ISSUE_INVALID_INPUT; a later expires is signed, and verifies until then',
      async () => {
        const doc = aida()
        delete doc.proof
        for (const dates of [
          { created: NOW, expires: '2026-11-29T11:00:00Z' },
          { created: NOW, expires: NOW },
          { created: '2026-11-01T00:00:00Z', expires: '2026-11-30T00:00:00Z' },
          { expires: '2026-01-01T00:00:00Z' },
        ]) {
          await expect(
            signCredential(doc, { key: keys.institute, ...dates }),
            JSON.stringify(dates),
          ).rejects.toMatchObject({ code: 'ERR_ISSUE_INVALID_INPUT' })
        }
        const signed = await signCredential(doc, {
          key: keys.institute,
          created: '2026-11-01T00:00:00Z',
          expires: '2099-01-01T00:00:00Z',
        })
        expect((await verifyCredential(signed, trusted())).problems).toEqual([])
        failsWith(
          await verifyCredential(signed, { ...trusted(), now: new Date('2099-01-02T00:00:00Z') }),
          'proof',
          'ERR_PROOF_EXPIRED',
        )
      },
    )

    attack(
      'C5',
      'an expired holder proof answering a single-use challenge → proof ERR_PROOF_EXPIRED, and the challenge is not used up',
      async () => {
        const store = createChallengeStore({ now: () => now })
        const { challenge } = await store.issue({ domain: DOMAIN })
        const opts = { ...trusted(), status: false as const, domain: DOMAIN, challengeStore: store }
        const expired = await holderProof({
          created: '2026-11-29T10:00:00Z',
          expires: '2026-11-29T11:00:00Z',
          purpose: { term: 'authentication', challenge, domain: DOMAIN },
        })
        const r = await verifyPresentation(expired, opts)
        failsWith(r, 'proof', 'ERR_PROOF_EXPIRED')
        expect(r.holderProven).toBe(false)
        const live = await holderProof({
          created: NOW,
          purpose: { term: 'authentication', challenge, domain: DOMAIN },
        })
        const ok = await verifyPresentation(live, opts)
        expect(ok.problems).toEqual([])
        expect(ok.holderProven).toBe(true)
      },
    )

    attack(
      'F7',
      'one verdict per credential: inside an unsigned presentation each F07 credential gets exactly the result verifyCredential gives it alone, under every profile',
      async () => {
        for (const file of [
          'F07-unsigned-carrying-self-issued-caae.fail.json',
          'F07-unsigned-carrying-foreign-caae.fail.json',
          'F07-unsigned-carrying-institute-caae.pass.json',
        ]) {
          const vp = readJsonFixture(file) as { verifiableCredential: unknown[] }
          for (const profile of PROFILE_NAMES) {
            const options = { ...trusted(), status: false as const, profile }
            const alone = await verifyCredential(vp.verifiableCredential[0], options)
            const inside = await verifyPresentation(vp, { ...options, ...shareFile })
            expect(inside.credentials[0]?.result, `${file} ${profile}`).toEqual(alone)
            expect(inside.verified).toBe(alone.verified)
            expect(inside.holderProven).toBe(false)
          }
        }
      },
    )

    attack(
      'F8',
      'a challenge store demanded of an unsigned presentation (no expected challenge) → proof ERR_PRESENTATION_UNSIGNED, credentials not verified',
      async () => {
        const vp = readJsonFixture('F08-unsigned-challenge-demanded.fail.json')
        const r = await verifyPresentation(vp, {
          ...trusted(),
          status: false,
          ...shareFile,
          challengeStore: createChallengeStore({ now: () => now }),
        })
        failsWith(r, 'proof', 'ERR_PRESENTATION_UNSIGNED')
        expect(r.checks.find((c) => c.id === 'credentials')?.outcome).toBe('skipped')
      },
    )

    attack(
      'F9',
      'the blank-node budget is per credential: the 32-credential presentation verifies with maxBlankNodes 8 (its heaviest credential) and fails at its first credential with 7',
      async () => {
        const entry = loadManifest().fixtures.find((f) => f.file === 'F09-32-credentials.pass.json')
        if (entry === undefined) throw new Error('no F09 fixture')
        const eight = await verifyFixture(entry, { limits: { maxBlankNodes: 8 } })
        expect(eight.result.problems).toEqual([])
        const seven = await verifyFixture(entry, { limits: { maxBlankNodes: 7 } })
        failsWith(seven.result, 'input', 'ERR_INPUT_TOO_MANY_BLANK_NODES')
        expect(seven.result.problems[0]?.path).toMatch(/^\/verifiableCredential\/0\//)
      },
      60_000,
    )

    attack(
      'F10',
      'a domain set answering a single-use challenge: accepted once for our domain; a challenge our store issued for another domain is ERR_CHALLENGE_UNKNOWN',
      async () => {
        const store = createChallengeStore({ now: () => now })
        const opts = { ...trusted(), status: false as const, domain: DOMAIN, challengeStore: store }
        const signedFor = (challenge: string) =>
          holderProof({
            created: NOW,
            proofMembers: { domain: ['jobs.example', DOMAIN] },
            purpose: { term: 'authentication', challenge },
          })
        const ours = await signedFor((await store.issue({ domain: DOMAIN })).challenge)
        const first = await verifyPresentation(ours, opts)
        expect(first.problems).toEqual([])
        expect(first.holderProven).toBe(true)
        failsWith(await verifyPresentation(ours, opts), 'challenge', 'ERR_CHALLENGE_REUSED')
        const theirs = await signedFor((await store.issue({ domain: 'jobs.example' })).challenge)
        failsWith(await verifyPresentation(theirs, opts), 'challenge', 'ERR_CHALLENGE_UNKNOWN')
      },
    )
  })

  describe('A17. VC-JWT: header attacks are refused before any key is used', () => {
    attack(
      'A17',
      'a JWT with alg HS256 and an embedded jwk header (the key named by the token itself) → proof ERR_JWT_ALG_NOT_ALLOWED',
      async () => {
        const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
        const jwt = `${b64({ alg: 'HS256', jwk: { kty: 'oct', k: 'AAAA' }, kid: 'x' })}.${b64({ iss: keys.institute.did, vc: {} })}.c2ln`
        failsWith(await verifyCredential(jwt, trusted()), 'proof', 'ERR_JWT_ALG_NOT_ALLOWED')
      },
    )
  })
}
