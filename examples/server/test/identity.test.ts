/**
 * did:web identity: the DID document, key rotation, and old credentials still verifying through
 * did:web resolution over the hardened fetcher against the running server.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildCredential } from '@certify-vc/issuer'
import {
  createHardenedDidResolver,
  createHardenedStatusListSource,
  verifyCredential,
} from '@certify-vc/verifier'
import { afterEach, describe, expect, it } from 'vitest'
import { addKey, didWebFromUrl } from '../src/identity.js'
import { freePort, postJson, startTestServer, type TestServer } from './helpers.js'

interface DidDoc {
  id: string
  verificationMethod: { id: string; type: string; controller: string; publicKeyMultibase: string }[]
  assertionMethod: string[]
  authentication: string[]
}

const loopback = { allowHttp: true, allowLoopback: true } as const
const servers: TestServer[] = []
const dirs: string[] = []

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close()
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

async function didDoc(server: TestServer): Promise<{ doc: DidDoc; headers: Headers }> {
  const res = await fetch(`${server.baseUrl}/.well-known/did.json`)
  expect(res.status).toBe(200)
  return { doc: (await res.json()) as DidDoc, headers: res.headers }
}

async function issueBadge(server: TestServer, did: string, name: string) {
  const credential = buildCredential({ program: 'AIDA', recipient: { name }, issuerDid: did })
  const res = await postJson(server, '/credentials/issue', { credential })
  expect(res.status).toBe(201)
  return (res.body as { verifiableCredential: Record<string, unknown> }).verifiableCredential
}

async function verifyRemotely(credential: unknown, did: string) {
  return verifyCredential(credential, {
    trustedIssuers: [did],
    didResolver: createHardenedDidResolver({ ...loopback, cacheTtlMs: 0 }),
    status: { source: createHardenedStatusListSource(loopback), cache: false },
  })
}

describe('did:web', () => {
  it('derives the DID from the public base URL', () => {
    expect(didWebFromUrl('https://production-ai.institute')).toBe('did:web:production-ai.institute')
    expect(didWebFromUrl('http://localhost:8080')).toBe('did:web:localhost%3A8080')
    expect(didWebFromUrl('https://example.com/org/certify')).toBe('did:web:example.com:org:certify')
    expect(() => didWebFromUrl('http://127.0.0.1:8080')).toThrow(TypeError)
    expect(() => didWebFromUrl('https://a.example/x?y')).toThrow(TypeError)
  })

  it('publishes did.json with the key under assertionMethod and authentication, with CORS', async () => {
    const server = await startTestServer()
    servers.push(server)
    const { doc, headers } = await didDoc(server)
    const did = `did:web:localhost%3A${server.config.port}`
    expect(headers.get('access-control-allow-origin')).toBe('*')
    expect(headers.get('content-type')).toMatch(/^application\/json/)
    expect(doc.id).toBe(did)
    // The Ed25519 key, then the P-256 and P-384 keys of the ECDSA issue routes (assertion only).
    expect(doc.verificationMethod).toHaveLength(3)
    expect(doc.verificationMethod[0]).toMatchObject({
      id: `${did}#key-1`,
      type: 'Multikey',
      controller: did,
    })
    expect(doc.verificationMethod[0]?.publicKeyMultibase).toMatch(/^z6Mk/)
    expect(doc.verificationMethod[1]?.publicKeyMultibase).toMatch(/^zDna/)
    expect(doc.verificationMethod[2]?.publicKeyMultibase).toMatch(/^z82L/)
    expect(doc.assertionMethod).toEqual([`${did}#key-1`, `${did}#ecdsa-p256`, `${did}#ecdsa-p384`])
    expect(doc.authentication).toEqual([`${did}#key-1`])
  })

  it('creates the first key on first start as a 0600 file, and keeps it across restarts', async () => {
    const server = await startTestServer()
    const first = (await didDoc(server)).doc
    const keyFile = join(server.dataDir, 'keys', 'key-0001.json')
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
    const text = await readFile(keyFile, 'utf8')
    expect(text).toContain('secretKeyMultibase')
    await server.close({ keepDataDir: true })
    dirs.push(server.dataDir)
    const again = await startTestServer({ dataDir: server.dataDir, port: server.config.port })
    servers.push(again)
    expect((await didDoc(again)).doc).toEqual(first)
  })

  it('rotates: new key signs, the old key stays while its credentials are outstanding, old credentials verify via did:web', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'certify-rotate-'))
    dirs.push(dataDir)
    const port = await freePort()
    let server = await startTestServer({ dataDir, port })
    const did = `did:web:localhost%3A${port}`
    const old = await issueBadge(server, did, 'Ada Lovelace')
    expect((old.proof as { verificationMethod: string }).verificationMethod).toBe(`${did}#key-1`)
    const before = await verifyRemotely(old, did)
    expect(before.problems).toEqual([])
    expect(before.verified).toBe(true)
    await server.close()

    expect(await addKey(dataDir)).toBe(2)
    server = await startTestServer({ dataDir, port })
    servers.push(server)
    const { doc } = await didDoc(server)
    const ecdsa = [`${did}#ecdsa-p256`, `${did}#ecdsa-p384`]
    expect(doc.verificationMethod.map((m) => m.id)).toEqual([
      `${did}#key-1`,
      `${did}#key-2`,
      ...ecdsa,
    ])
    expect(doc.assertionMethod).toEqual([`${did}#key-1`, `${did}#key-2`, ...ecdsa])

    const fresh = await issueBadge(server, did, 'Grace Hopper')
    expect((fresh.proof as { verificationMethod: string }).verificationMethod).toBe(`${did}#key-2`)
    const list = (await (await fetch(`${server.baseUrl}/status/revocation/1`)).json()) as {
      proof: { verificationMethod: string }
    }
    expect(list.proof.verificationMethod).toBe(`${did}#key-2`)

    // The old credential, signed by key 1, still verifies end to end: did:web resolution of the
    // running server, status list (now signed by key 2) through the hardened fetcher.
    const after = await verifyRemotely(old, did)
    expect(after.problems).toEqual([])
    expect(after.verified).toBe(true)
    expect(after.credential.program?.code).toBe('AIDA')
    expect((await verifyRemotely(fresh, did)).verified).toBe(true)

    // Once nothing signed by key 1 is outstanding, did.json drops it.
    const revoked = await postJson(server, '/credentials/status', {
      credentialId: old.id,
      action: 'revoke',
    })
    expect(revoked.status).toBe(200)
    const trimmed = (await didDoc(server)).doc
    expect(trimmed.verificationMethod.map((m) => m.id)).toEqual([`${did}#key-2`, ...ecdsa])
    const gone = await verifyRemotely(old, did)
    expect(gone.verified).toBe(false)
    expect(gone.problems.map((p) => p.code)).toEqual(['ERR_KEY_UNRESOLVABLE'])
  })

  it('the hardened resolver refuses the loopback server unless the test switches are on', async () => {
    const server = await startTestServer()
    servers.push(server)
    const did = `did:web:localhost%3A${server.config.port}`
    const badge = await issueBadge(server, did, 'Ada')
    const result = await verifyCredential(badge, {
      trustedIssuers: [did],
      didResolver: createHardenedDidResolver({ cacheTtlMs: 0 }),
      status: false,
    })
    expect(result.verified).toBe(false)
    expect(result.problems.map((p) => p.code)).toEqual(['ERR_KEY_UNRESOLVABLE'])
  })

  it('serves https with TLS_CERT/TLS_KEY, and did:web resolves over https with the CA pinned', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certify-tls-'))
    dirs.push(dir)
    const keyPath = join(dir, 'key.pem')
    const certPath = join(dir, 'cert.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'ignore' },
    )
    const cert = await readFile(certPath, 'utf8')
    const server = await startTestServer({
      tls: { cert, key: await readFile(keyPath, 'utf8') },
      allowLoopbackFetch: false,
    })
    servers.push(server)
    expect(server.baseUrl).toMatch(/^https:\/\/localhost:/)
    const did = `did:web:localhost%3A${server.config.port}`
    const resolver = createHardenedDidResolver({ allowLoopback: true, ca: cert, cacheTtlMs: 0 })
    const resolved = await resolver.resolve(did)
    expect(resolved.didResolutionMetadata.error).toBeUndefined()
    expect((resolved.didDocument as DidDoc).id).toBe(did)
  })
})
