/**
 * Acceptance by the Digital Credentials Consortium's verifier (`@digitalcredentials/verifier-core`
 * 1.0.0-beta.11, the verifier behind the DCC's wallet and VerifierPlus), run on Node 20 against
 * AIDA, CAAE and AIMA credentials from our issuer, both formats, with our status lists served by
 * a loopback HTTP server. What it reports is pinned here step by step and written down in
 * test/conformance/README.md.
 *
 * verifier-core builds its document loader once, at import, with remote context fetching on
 * (`securityLoader({ fetchRemoteContexts: true })`), so contexts it does not bundle are fetched
 * with the global `fetch`. It bundles the VC, Data Integrity, Ed25519-2020, Bitstring and OB 3.0
 * contexts, not ours. The test therefore replaces `globalThis.fetch` for its duration: our
 * context URL is answered from @certify-vc/context's pinned copy, loopback URLs (the status lists
 * and a local issuer registry) go to the test server, and every other URL is refused and
 * recorded: nothing leaves the machine. Its schema check fetches the 1EdTech schema from the
 * network, so offline it reports `INVALID_SCHEMA - possibly not a valid url`; that is pinned too.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  verifyCredential as dccVerifyCredential,
  verifyPresentation as dccVerifyPresentation,
} from '@digitalcredentials/verifier-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  CERTIFY_CONTEXT_URL,
  PROGRAM_CODES,
  contexts,
  type SignedOpenBadgeCredential,
} from '@certify-vc/context'
import { createPresentation, signPresentation } from '@certify-vc/core'
import {
  generateIssuerKey,
  issueCredential,
  openSqliteRegistry,
  publishStatusLists,
  type IssuerKey,
  type StatusRegistry,
} from '@certify-vc/issuer'
import { startServer, type TestServer } from '../../packages/verifier/test/http-server.js'

const LEARNER_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
const SCHEMA_OFFLINE = [
  { id: 'schema_check', results: 'INVALID_SCHEMA - possibly not a valid url' },
]
const NOT_REGISTERED = {
  id: 'registered_issuer',
  valid: false,
  matchingIssuers: [],
  uncheckedRegistries: [],
}

const dir = mkdtempSync(join(tmpdir(), 'certify-vc-dcc-'))
const lists = new Map<string, unknown>()
let registryDocument: unknown = { registry: {} }
let serveOurContext = true
const refused: string[] = []
let server: TestServer
let key: IssuerKey
let registry: StatusRegistry
let statusBase: string
const realFetch = globalThis.fetch

function send(res: ServerResponse, body: unknown): void {
  if (body === undefined) {
    res.writeHead(404).end()
    return
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = req.url ?? ''
    send(res, path === '/registry.json' ? registryDocument : lists.get(path))
  })
  statusBase = server.url('/status')
  key = await generateIssuerKey()
  registry = await openSqliteRegistry(join(dir, 'registry.sqlite'))
  const guarded: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    if (url === CERTIFY_CONTEXT_URL && serveOurContext) {
      return new Response(JSON.stringify(contexts.get(url)), {
        headers: { 'content-type': 'application/ld+json' },
      })
    }
    if (url.startsWith(server.url('/'))) return realFetch(input, init)
    refused.push(url)
    throw new TypeError(`offline test: ${url} refused`)
  }
  vi.stubGlobal('fetch', guarded)
  // verifier-core logs the failed schema fetch with console.log / console.error.
  vi.spyOn(console, 'log').mockImplementation(() => undefined)
  vi.spyOn(console, 'error').mockImplementation(() => undefined)
})
afterAll(async () => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  await registry.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

async function publish(): Promise<void> {
  for (const list of await publishStatusLists({ registry, key, baseUrl: statusBase })) {
    lists.set(new URL(list.url).pathname, list.credential)
  }
}

async function issue(
  program: string,
  format: 'vc2' | 'vc1.1',
  suspension = false,
): Promise<SignedOpenBadgeCredential> {
  const vc = await issueCredential({
    program,
    key,
    format,
    recipient: { name: 'Ada Lovelace', did: LEARNER_DID },
    status: { registry, baseUrl: statusBase, suspension },
  })
  await publish()
  return vc
}

/** verifier-core's result without the echoed credential and with errors as { name, message }. */
async function dcc(credential: unknown, knownDIDRegistries: unknown[] = []): Promise<unknown> {
  const result = (await dccVerifyCredential({
    credential: credential as never,
    knownDIDRegistries: knownDIDRegistries,
  })) as Record<string, unknown>
  const { credential: _echo, errors, ...rest } = result
  return {
    ...rest,
    ...(Array.isArray(errors)
      ? {
          errors: (errors as { name: string; message: string }[]).map(({ name, message }) => ({
            name,
            message,
          })),
        }
      : {}),
  }
}

describe('@digitalcredentials/verifier-core accepts our credentials', () => {
  for (const program of PROGRAM_CODES) {
    for (const format of ['vc2', 'vc1.1'] as const) {
      it(`${program} ${format}: signature ✓, status ✓, not expired ✓; issuer not in any registry`, async () => {
        const vc = await issue(program, format)
        expect(await dcc(vc)).toEqual({
          log: [
            { id: 'valid_signature', valid: true },
            { id: 'revocation_status', valid: true },
            { id: 'expiration', valid: true },
            NOT_REGISTERED,
          ],
          additionalInformation: SCHEMA_OFFLINE,
        })
      })
    }
  }

  it('with suspension (status array): both entries are checked', async () => {
    const vc = await issue('CAAE', 'vc2', true)
    expect(await dcc(vc)).toEqual({
      log: [
        { id: 'valid_signature', valid: true },
        { id: 'revocation_status', valid: true },
        { id: 'suspension_status', valid: true },
        { id: 'expiration', valid: true },
        NOT_REGISTERED,
      ],
      additionalInformation: SCHEMA_OFFLINE,
    })
    await registry.suspend(vc.id, 'renewal pending')
    await publish()
    expect(await dcc(vc)).toMatchObject({
      log: [
        { id: 'valid_signature', valid: true },
        { id: 'revocation_status', valid: true },
        { id: 'suspension_status', valid: false },
        { id: 'expiration', valid: true },
        NOT_REGISTERED,
      ],
    })
  })

  it('registered_issuer turns valid when a (local) DCC-legacy registry lists our DID', async () => {
    const vc = await issue('AIDA', 'vc2')
    const url = server.url('/registry.json')
    registryDocument = {
      registry: {
        [key.did]: {
          name: 'Production AI Institute',
          url: 'https://production-ai.institute',
          location: 'Test registry',
        },
      },
    }
    const result = await dcc(vc, [{ type: 'dcc-legacy', name: 'Local test registry', url }])
    expect(result).toEqual({
      log: [
        { id: 'valid_signature', valid: true },
        { id: 'revocation_status', valid: true },
        { id: 'expiration', valid: true },
        {
          id: 'registered_issuer',
          valid: true,
          matchingIssuers: [
            {
              issuer: {
                federation_entity: {
                  organization_name: 'Production AI Institute',
                  homepage_uri: 'https://production-ai.institute',
                  location: 'Test registry',
                },
              },
              registry: {
                type: 'dcc-legacy',
                federation_entity: { organization_name: 'Local test registry' },
                institution_additional_information: { legacy_list: url },
              },
            },
          ],
          uncheckedRegistries: [],
        },
      ],
      additionalInformation: SCHEMA_OFFLINE,
    })
  })
})

describe('@digitalcredentials/verifier-core rejects what it should', () => {
  it('revoked: revocation_status false (both formats)', async () => {
    for (const format of ['vc2', 'vc1.1'] as const) {
      const vc = await issue('CAAE', format)
      await registry.revoke(vc.id, 'misconduct')
      await publish()
      expect(await dcc(vc)).toEqual({
        log: [
          { id: 'valid_signature', valid: true },
          { id: 'revocation_status', valid: false },
          { id: 'expiration', valid: true },
          NOT_REGISTERED,
        ],
        additionalInformation: SCHEMA_OFFLINE,
      })
    }
  })

  it('tampered: a fatal invalid_signature and no log', async () => {
    for (const format of ['vc2', 'vc1.1'] as const) {
      const vc = structuredClone(await issue('AIDA', format))
      vc.credentialSubject.achievement.name = 'Certified AI Application Engineer (CAAE)'
      expect(await dcc(vc)).toEqual({
        errors: [{ name: 'invalid_signature', message: 'The signature is not valid.' }],
      })
    }
  })

  it('when our context URL cannot be fetched, it says invalid_signature (misleading, but fatal)', async () => {
    const vc = await issue('AIMA', 'vc2')
    serveOurContext = false
    try {
      // The JSON-LD expansion fails on the unreachable context; verifier-core reports that as a
      // bad signature. Our context must therefore be served at its URL for DCC wallets.
      expect(await dcc(vc)).toEqual({
        errors: [{ name: 'invalid_signature', message: 'The signature is not valid.' }],
      })
      expect(refused).toContain(CERTIFY_CONTEXT_URL)
    } finally {
      serveOurContext = true
    }
  })

  it('nothing but our context and the 1EdTech schemas was asked of the network', () => {
    expect([...new Set(refused)].sort()).toEqual([
      CERTIFY_CONTEXT_URL,
      'https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_anyachievementcredential_schema.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json',
    ])
  })
})

describe('@digitalcredentials/verifier-core on presentations signed as our wallet signs them', () => {
  it('authentication proofs are refused: it verifies presentations with the assertionMethod purpose', async () => {
    const holder = await generateIssuerKey()
    for (const format of ['vc2', 'vc1.1'] as const) {
      const vc = await issueCredential({
        program: 'CAAE',
        key,
        format,
        recipient: { name: 'Ada Lovelace', did: holder.did },
        status: { registry, baseUrl: statusBase },
      })
      await publish()
      const vp = await signPresentation(
        createPresentation({ holder: holder.did, verifiableCredential: [vc], format }),
        { signer: holder.signer(), challenge: 'uQ2hhbGxlbmdl', domain: 'jobs.example' },
      )
      const result = (await dccVerifyPresentation({
        presentation: vp as never,
        challenge: 'uQ2hhbGxlbmdl',
        knownDIDRegistries: [],
      })) as {
        presentationResult?: { signature: string; errors?: { message: unknown }[] }
        credentialResults?: Record<string, unknown>[]
      }
      expect(result.presentationResult?.signature).toBe('invalid')
      const [error] = result.presentationResult?.errors ?? []
      const inner = (error?.message as { errors?: { name: string; message: string }[] }).errors
      expect(inner?.map(({ name, message }) => ({ name, message }))).toEqual([
        {
          name: 'NotFoundError',
          message:
            'Did not verify any proofs; insufficient proofs matched the acceptable suite(s) and required purpose(s).',
        },
      ])
      // The embedded credential itself is still accepted.
      const [credential] = result.credentialResults ?? []
      expect(credential?.log).toEqual([
        { id: 'valid_signature', valid: true },
        { id: 'revocation_status', valid: true },
        { id: 'expiration', valid: true },
        NOT_REGISTERED,
      ])
    }
  })
})
