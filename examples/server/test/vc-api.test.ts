/**
 * The W3C VC API routes against a real server on a loopback port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestServer, type TestServer } from './helpers.js'

let server: TestServer
let did: string

function vc2(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://www.w3.org/ns/credentials/examples/v2',
    ],
    type: ['VerifiableCredential', 'ExampleDegreeCredential'],
    issuer: did,
    credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', degree: 'BSc' },
    ...overrides,
  }
}

function vc11(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': [
      'https://www.w3.org/2018/credentials/v1',
      'https://www.w3.org/ns/credentials/examples/v2',
    ],
    type: ['VerifiableCredential'],
    issuer: { id: did, name: 'Example' },
    issuanceDate: '2026-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:abc', alumniOf: 'Example University' },
    ...overrides,
  }
}

type Body = Record<string, unknown> & {
  verifiableCredential?: Record<string, unknown>
  errors?: { code: string }[]
  verified?: boolean
}

async function issue(credential: unknown, path = '/credentials/issue', options?: unknown) {
  const res = await postJson(server, path, { credential, ...(options ? { options } : {}) })
  return { status: res.status, body: res.body as Body, headers: res.headers }
}

async function verify(verifiableCredential: unknown, options?: unknown) {
  const res = await postJson(
    server,
    '/credentials/verify',
    { verifiableCredential, ...(options === undefined ? {} : { options }) },
    { token: null },
  )
  return { status: res.status, body: res.body as Body }
}

function codes(body: Body): string[] {
  return (body.errors ?? []).map((e) => e.code)
}

beforeAll(async () => {
  server = await startTestServer()
  const res = await fetch(`${server.baseUrl}/certify/server-info`)
  did = ((await res.json()) as { did: string }).did
})
afterAll(async () => {
  await server.close()
})

describe('POST /credentials/issue', () => {
  it('signs a VC 2.0 credential with eddsa-rdfc-2022 and adds a BitstringStatusListEntry', async () => {
    const { status, body, headers } = await issue(vc2())
    expect(status).toBe(201)
    expect(headers.get('content-type')).toMatch(/^application\/json/)
    const signed = body.verifiableCredential as Record<string, unknown>
    expect(signed['@context']).toEqual(vc2()['@context'])
    expect(signed.credentialSubject).toEqual(vc2().credentialSubject)
    expect(String(signed.id)).toMatch(/^urn:uuid:/)
    const entry = signed.credentialStatus as Record<string, string>
    expect(entry.type).toBe('BitstringStatusListEntry')
    expect(entry.statusPurpose).toBe('revocation')
    expect(entry.statusListIndex).toMatch(/^(0|[1-9]\d*)$/)
    expect(entry.statusListCredential).toBe(`${server.baseUrl}/status/revocation/1`)
    expect(entry.id).toBe(`${entry.statusListCredential}#${entry.statusListIndex}`)
    expect(entry.statusReference).toBe(`${server.baseUrl}/certify/verify`)
    const proof = signed.proof as Record<string, string>
    expect(proof.type).toBe('DataIntegrityProof')
    expect(proof.cryptosuite).toBe('eddsa-rdfc-2022')
    expect(proof.proofPurpose).toBe('assertionMethod')
    expect(proof.verificationMethod).toBe(`${did}#key-1`)
    expect(proof.proofValue).toMatch(/^z[1-9A-HJ-NP-Za-km-z]{80,90}$/)
  })

  it('keeps an issuer object and the given id', async () => {
    const credential = vc2({
      id: 'urn:uuid:2f1d3c52-3f0b-4f5e-9a0e-6f5d1e0c9a11',
      issuer: { id: did, name: 'X' },
    })
    const { status, body } = await issue(credential)
    expect(status).toBe(201)
    expect(body.verifiableCredential?.id).toBe(credential.id)
    expect(body.verifiableCredential?.issuer).toEqual({ id: did, name: 'X' })
  })

  it('signs VC 1.1 with Ed25519Signature2020 by default, adding its context (no status unless asked)', async () => {
    const { status, body } = await issue(vc11())
    expect(status).toBe(201)
    const signed = body.verifiableCredential as Record<string, unknown>
    expect(signed['@context']).toEqual([
      'https://www.w3.org/2018/credentials/v1',
      'https://www.w3.org/ns/credentials/examples/v2',
      'https://w3id.org/security/suites/ed25519-2020/v1',
    ])
    expect(signed.credentialStatus).toBeUndefined()
    expect((signed.proof as { type: string }).type).toBe('Ed25519Signature2020')
  })

  it('adds status entries (and the status context) to VC 1.1 on request', async () => {
    const { status, body } = await issue(vc11(), '/credentials/issue', { suspension: true })
    expect(status).toBe(201)
    const signed = body.verifiableCredential as Record<string, unknown>
    expect(signed['@context']).toContain('https://www.w3.org/ns/credentials/status/v1')
    const entries = signed.credentialStatus as Record<string, string>[]
    expect(entries.map((e) => e.statusReference)).toEqual([
      `${server.baseUrl}/certify/verify`,
      `${server.baseUrl}/certify/verify`,
    ])
    expect((await verify(signed)).status).toBe(200)
  })

  it('signs VC 1.1 with a DataIntegrityProof on the eddsa path, appending data-integrity/v2', async () => {
    const { status, body } = await issue(vc11(), '/eddsa-rdfc-2022/credentials/issue')
    expect(status).toBe(201)
    const signed = body.verifiableCredential as Record<string, unknown>
    expect((signed['@context'] as string[]).slice(0, 3)).toEqual([
      'https://www.w3.org/2018/credentials/v1',
      'https://www.w3.org/ns/credentials/examples/v2',
      'https://w3id.org/security/data-integrity/v2',
    ])
    expect(signed.proof).toMatchObject({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
    })
  })

  it('signs VC 2.0 with Ed25519Signature2020 on its path', async () => {
    const { status, body } = await issue(vc2(), '/Ed25519Signature2020/credentials/issue')
    expect(status).toBe(201)
    expect((body.verifiableCredential?.proof as { type: string }).type).toBe('Ed25519Signature2020')
    expect(body.verifiableCredential?.['@context']).toContain(
      'https://w3id.org/security/suites/ed25519-2020/v1',
    )
  })

  it('issues on /status/credentials/issue too (the bitstring suite path), with a message entry', async () => {
    const { status, body } = await issue(vc2(), '/status/credentials/issue')
    expect(status).toBe(201)
    // A revocation entry, and a message entry (statusSize 2): see status-messages.test.ts.
    expect(body.verifiableCredential?.credentialStatus).toMatchObject([
      { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
      { type: 'BitstringStatusListEntry', statusPurpose: 'message', statusSize: 2 },
    ])
  })

  it('adds a suspension entry on request', async () => {
    const { status, body } = await issue(vc2(), '/credentials/issue', { suspension: true })
    expect(status).toBe(201)
    const entries = body.verifiableCredential?.credentialStatus as { statusPurpose: string }[]
    expect(entries.map((e) => e.statusPurpose)).toEqual(['revocation', 'suspension'])
  })

  it('keeps a credentialStatus the caller gave (and does not manage it)', async () => {
    const credentialStatus = {
      id: 'https://example.com/status/3#94567',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '94567',
      statusListCredential: 'https://example.com/status/3',
    }
    const { status, body } = await issue(vc2({ credentialStatus }))
    expect(status).toBe(201)
    expect(body.verifiableCredential?.credentialStatus).toEqual(credentialStatus)
  })

  it.each([
    [
      'another issuer',
      { issuer: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' },
      'ERR_SERVER_ISSUER_MISMATCH',
    ],
    [
      'an issuer object with another id',
      { issuer: { id: 'did:example:other' } },
      'ERR_SERVER_ISSUER_MISMATCH',
    ],
    ['no issuer', { issuer: undefined }, 'ERR_STRUCTURE_INVALID'],
    ['a null issuer', { issuer: null }, 'ERR_STRUCTURE_INVALID'],
    ['an issuer that is not a URL', { issuer: 'not a url' }, 'ERR_STRUCTURE_RELATIVE_IRI'],
    ['no credentialSubject', { credentialSubject: undefined }, 'ERR_STRUCTURE_INVALID'],
    ['an empty credentialSubject', { credentialSubject: {} }, 'ERR_STRUCTURE_INVALID'],
    [
      'an empty subject in a set',
      { credentialSubject: [{ id: 'did:example:1', name: 'x' }, {}] },
      'ERR_STRUCTURE_INVALID',
    ],
    ['no @context', { '@context': undefined }, 'ERR_CONTEXT_ORDER'],
    ['an empty @context', { '@context': [] }, 'ERR_CONTEXT_ORDER'],
    [
      'a wrong first context',
      {
        '@context': [
          'https://www.w3.org/ns/credentials/examples/v2',
          'https://www.w3.org/ns/credentials/v2',
        ],
      },
      'ERR_CONTEXT_ORDER',
    ],
    ['no type', { type: undefined }, 'ERR_STRUCTURE_INVALID'],
    ['no VerifiableCredential type', { type: ['ExampleCredential'] }, 'ERR_STRUCTURE_INVALID'],
    ['an id that is not a URL', { id: 'not a url' }, 'ERR_STRUCTURE_RELATIVE_IRI'],
    [
      'a validFrom without time zone',
      { validFrom: '2026-01-01T00:00:00' },
      'ERR_STRUCTURE_DATE_INVALID',
    ],
    [
      'validUntil before validFrom',
      { validFrom: '2026-02-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' },
      'ERR_STRUCTURE_DATE_INVALID',
    ],
    [
      'a credentialStatus without type',
      { credentialStatus: { id: 'https://example.com/s#1' } },
      'ERR_STRUCTURE_INVALID',
    ],
    [
      'a credentialSchema without id',
      { credentialSchema: { type: 'JsonSchema' } },
      'ERR_STRUCTURE_INVALID',
    ],
    [
      'termsOfUse without type',
      { termsOfUse: [{ id: 'https://example.com/tou' }] },
      'ERR_STRUCTURE_INVALID',
    ],
    [
      'relatedResource without digest',
      { relatedResource: [{ id: 'https://example.com/r' }] },
      'ERR_STRUCTURE_INVALID',
    ],
    [
      'an undefined term (safe mode)',
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        credentialSubject: { id: 'did:example:1', undefinedTerm: 'x' },
      },
      'ERR_JSONLD_UNDEFINED_TERM',
    ],
    ['a proof already', { proof: { type: 'DataIntegrityProof' } }, 'ERR_ISSUE_INVALID_INPUT'],
  ])('refuses %s with 422 and the exact code', async (_name, overrides, code) => {
    const { status, body } = await issue(vc2(overrides))
    expect(status).toBe(422)
    expect(codes(body)).toContain(code)
  })

  it('refuses a credential id issued before for a different credential; a retry of the same request gets the one issued (200)', async () => {
    // Before idempotent issuing, a second identical request was refused too; now an explicit
    // id makes the retry return the credential already issued, and only a different
    // credential with the same id is refused.
    const credential = vc2({ id: 'urn:uuid:7c1b7e9e-1111-4d2a-8a4c-0c9e3b5e7f01' })
    const first = await issue(credential)
    expect(first.status).toBe(201)
    const again = await issue(credential)
    expect(again.status).toBe(200)
    expect(again.body).toEqual(first.body)
    const other = await issue({ ...credential, name: 'Another credential' })
    expect(other.status).toBe(422)
    expect(codes(other.body)).toEqual(['ERR_ISSUE_INVALID_INPUT'])
  })

  it.each([
    ['a string body', 'hello'],
    ['credential as a string', { credential: 'x' }],
    ['no credential', {}],
    ['an unknown option', { credential: {}, options: { sign: 'raw' } }],
    ['a non-boolean option', { credential: {}, options: { publicDirectory: 'yes' } }],
    ['options as an array', { credential: {}, options: [] }],
  ])('answers 400 for %s', async (_name, body) => {
    const res = await postJson(server, '/credentials/issue', body)
    expect(res.status).toBe(400)
    expect(codes(res.body as Body)).toEqual(['ERR_SERVER_BAD_REQUEST'])
  })
})

describe('authorization of writes', () => {
  it.each([
    ['no token', null],
    ['a wrong token', 'x'.repeat(48)],
    ['the token with a suffix', 'SUFFIX'],
  ])('answers 401 JSON for %s on every write route', async (_name, token) => {
    const t = token === 'SUFFIX' ? `${server.token}x` : token
    for (const path of [
      '/credentials/issue',
      '/eddsa-rdfc-2022/credentials/issue',
      '/Ed25519Signature2020/credentials/issue',
      '/status/credentials/issue',
      '/credentials/status',
    ]) {
      const res = await postJson(server, path, { credential: vc2() }, { token: t })
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('Bearer')
      expect(codes(res.body as Body)).toEqual(['ERR_SERVER_UNAUTHORIZED'])
    }
  })

  // The scheme name is case-insensitive now (hardening.test.ts: "bearer <token>" is accepted);
  // "bearer<token>" stays refused because it has no space.
  it('refuses a Basic scheme, a scheme run into the token, and a double space', async () => {
    for (const header of [
      `Basic ${server.token}`,
      `bearer${server.token}`,
      `Bearer  ${server.token}`,
    ]) {
      const res = await fetch(`${server.baseUrl}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: header },
        body: JSON.stringify({ credential: vc2() }),
      })
      expect(res.status).toBe(401)
    }
  })

  it('lets issue through without a token only with allowUnauthenticatedIssue, never status', async () => {
    const open = await startTestServer({ allowUnauthenticatedIssue: true })
    try {
      const info = (await (await fetch(`${open.baseUrl}/certify/server-info`)).json()) as {
        did: string
      }
      const res = await postJson(
        open,
        '/credentials/issue',
        { credential: { ...vc2(), issuer: info.did } },
        { token: null },
      )
      expect(res.status).toBe(201)
      const id = (res.body as Body).verifiableCredential?.id
      const status = await postJson(
        open,
        '/credentials/status',
        { credentialId: id, action: 'revoke' },
        { token: null },
      )
      expect(status.status).toBe(401)
    } finally {
      await open.close()
    }
  })
})

describe('POST /credentials/verify', () => {
  let signed: Record<string, unknown>
  let signed11: Record<string, unknown>
  beforeAll(async () => {
    signed = (await issue(vc2())).body.verifiableCredential as Record<string, unknown>
    signed11 = (await issue(vc11())).body.verifiableCredential as Record<string, unknown>
  })

  it('answers exactly 200 with verified, checks, warnings and errors', async () => {
    const { status, body } = await verify(signed, { checks: ['proof'] })
    expect(status).toBe(200)
    // The VC API's members, and the whole certify-vc result beside them.
    expect(body).toEqual({
      verified: true,
      checks: [
        'input',
        'structure',
        'contexts',
        'proof',
        'key-binding',
        'validity',
        'issuer-trust',
        'status',
      ],
      warnings: [],
      errors: [],
      certify: expect.objectContaining({ verified: true, profile: 'vc' }) as unknown,
    })
  })

  it('verifies VC 1.1 with Ed25519Signature2020', async () => {
    const { status, body } = await verify(signed11)
    expect(status).toBe(200)
    expect(body.verified).toBe(true)
  })

  it.each([
    [
      'a tampered subject',
      (c: Record<string, unknown>) => ({
        ...c,
        credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', degree: 'PhD' },
      }),
      'ERR_PROOF_INVALID',
    ],
    ['no proof', (c: Record<string, unknown>) => ({ ...c, proof: undefined }), 'ERR_PROOF_MISSING'],
    [
      'a null proof',
      (c: Record<string, unknown>) => ({ ...c, proof: null }),
      'ERR_PROOF_MALFORMED',
    ],
    [
      'a proof that is a string',
      (c: Record<string, unknown>) => ({ ...c, proof: 'x' }),
      'ERR_PROOF_MALFORMED',
    ],
    [
      'an unknown proof type',
      (c: Record<string, unknown>) => ({ ...c, proof: { ...(c.proof as object), type: 'Foo' } }),
      'ERR_PROOF_SUITE_NOT_ALLOWED',
    ],
    [
      'an unknown cryptosuite',
      (c: Record<string, unknown>) => ({
        ...c,
        proof: { ...(c.proof as object), cryptosuite: 'eddsa-2099' },
      }),
      'ERR_PROOF_SUITE_NOT_ALLOWED',
    ],
    [
      'a wrong proofPurpose',
      (c: Record<string, unknown>) => ({
        ...c,
        proof: { ...(c.proof as object), proofPurpose: 'authentication' },
      }),
      'ERR_PROOF_PURPOSE',
    ],
    [
      'no verificationMethod',
      (c: Record<string, unknown>) => ({
        ...c,
        proof: { ...(c.proof as object), verificationMethod: undefined },
      }),
      'ERR_PROOF_MALFORMED',
    ],
    [
      'a proofValue that is not base58btc',
      (c: Record<string, unknown>) => ({
        ...c,
        proof: { ...(c.proof as object), proofValue: 'uAAAA' },
      }),
      'ERR_PROOF_MALFORMED',
    ],
    [
      'a previousProof naming an absent proof',
      (c: Record<string, unknown>) => ({
        ...c,
        proof: { ...(c.proof as object), previousProof: 'urn:uuid:missing' },
      }),
      'ERR_PROOF_CHAIN_DANGLING',
    ],
    [
      'a key of another DID than the issuer',
      (c: Record<string, unknown>) => ({
        ...c,
        proof: {
          ...(c.proof as object),
          verificationMethod:
            'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
        },
      }),
      'ERR_KEY_NOT_ISSUER',
    ],
    [
      'an unknown key of the issuer',
      (c: Record<string, unknown>) => ({
        ...c,
        proof: { ...(c.proof as object), verificationMethod: `${did}#key-99` },
      }),
      'ERR_KEY_UNRESOLVABLE',
    ],
    [
      'an undefined term',
      (c: Record<string, unknown>) => ({
        ...c,
        '@context': ['https://www.w3.org/ns/credentials/v2'],
      }),
      'ERR_JSONLD_UNDEFINED_TERM',
    ],
  ])('answers 422 for %s with the exact code', async (_name, mutate, code) => {
    const { status, body } = await verify(JSON.parse(JSON.stringify(mutate(signed))))
    expect(status).toBe(422)
    expect(body.verified).toBe(false)
    expect(codes(body)).toContain(code)
  })

  it.each([
    // VC 2.0 §4.9: validUntil "could be a date and time in the past", so the VC API issues it;
    // signed today, its proof postdates its validity (docs/attacks.md C4), which is reported too.
    [
      'expired',
      { validUntil: '2020-01-01T00:00:00Z', validFrom: '2019-01-01T00:00:00Z' },
      ['ERR_VALIDITY_EXPIRED', 'ERR_PROOF_CREATED_INVALID'],
    ],
    ['not yet valid', { validFrom: '2999-01-01T00:00:00Z' }, ['ERR_VALIDITY_NOT_YET_VALID']],
  ])('answers 422 for a signed credential that is %s', async (_name, dates, expected) => {
    const issued = await issue(vc2(dates))
    expect(issued.status).toBe(201)
    const { status, body } = await verify(issued.body.verifiableCredential)
    expect(status).toBe(422)
    expect(codes(body)).toEqual(expected)
  })

  it('answers 422 when the domain or challenge asked for is not in the proof', async () => {
    for (const [options, code] of [
      [{ domain: 'example.org' }, 'ERR_DOMAIN_MISSING'],
      [{ challenge: 'abc' }, 'ERR_CHALLENGE_MISSING'],
    ] as const) {
      const { status, body } = await verify(signed, options)
      expect(status).toBe(422)
      expect(codes(body)).toEqual([code])
    }
  })

  it.each([
    ['a VC given as a string', { verifiableCredential: 'eyJ' }],
    ['a null VC', { verifiableCredential: null }],
    ['no VC', {}],
    ['an array body', [1, 2]],
    ['options.domain as a number', { verifiableCredential: {}, options: { domain: 1 } }],
  ])('answers 400 for %s', async (_name, body) => {
    const res = await postJson(server, '/credentials/verify', body, { token: null })
    expect(res.status).toBe(400)
    expect((res.body as Body).verified).toBe(false)
    expect(codes(res.body as Body)).toEqual(['ERR_SERVER_BAD_REQUEST'])
  })

  it('does not vouch for foreign status lists (fail closed)', async () => {
    const foreign = (
      await issue(
        vc2({
          credentialStatus: {
            type: 'BitstringStatusListEntry',
            statusPurpose: 'revocation',
            statusListIndex: '1',
            statusListCredential: 'https://example.com/status/1',
          },
        }),
      )
    ).body.verifiableCredential
    const { status, body } = await verify(foreign)
    expect(status).toBe(422)
    expect(codes(body)).toEqual(['ERR_STATUS_UNKNOWN'])
  })
})

describe('POST /credentials/status and the hosted lists', () => {
  it('revokes through the registry, republishes, and verification then fails', async () => {
    const signed = (await issue(vc2())).body.verifiableCredential as Record<string, unknown>
    const entry = signed.credentialStatus as { statusListCredential: string }
    const before = await fetch(entry.statusListCredential)
    expect(before.status).toBe(200)
    const res = await postJson(server, '/credentials/status', {
      credentialId: signed.id,
      action: 'revoke',
      reason: 'test',
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toMatchObject({
      credentialId: signed.id,
      status: 'revoked',
      changed: true,
      action: 'revoke',
    })
    const { status, body } = await verify(signed)
    expect(status).toBe(422)
    expect(codes(body)).toEqual(['ERR_STATUS_REVOKED'])
    const again = await postJson(server, '/credentials/status', {
      credentialId: signed.id,
      action: 'revoke',
    })
    expect(again.body).toMatchObject({ status: 'revoked', changed: false })
    const unsuspend = await postJson(server, '/credentials/status', {
      credentialId: signed.id,
      action: 'unsuspend',
    })
    expect(unsuspend.status).toBe(422)
    expect(codes(unsuspend.body as Body)).toEqual(['ERR_REGISTRY_TRANSITION'])
  })

  it('suspends and reinstates a credential issued with suspension', async () => {
    const signed = (await issue(vc2(), '/credentials/issue', { suspension: true })).body
      .verifiableCredential as Record<string, unknown>
    expect((await verify(signed)).status).toBe(200)
    const s = await postJson(server, '/credentials/status', {
      credentialId: signed.id,
      action: 'suspend',
    })
    expect(s.body).toMatchObject({ status: 'suspended' })
    const suspended = await verify(signed)
    expect(suspended.status).toBe(422)
    expect(codes(suspended.body)).toEqual(['ERR_STATUS_SUSPENDED'])
    const u = await postJson(server, '/credentials/status', {
      credentialId: signed.id,
      action: 'unsuspend',
    })
    expect(u.body).toMatchObject({ status: 'active' })
    expect((await verify(signed)).status).toBe(200)
  })

  it('refuses suspension of a credential issued without it', async () => {
    const signed = (await issue(vc2())).body.verifiableCredential as Record<string, unknown>
    const res = await postJson(server, '/credentials/status', {
      credentialId: signed.id,
      action: 'suspend',
    })
    expect(res.status).toBe(422)
    expect(codes(res.body as Body)).toEqual(['ERR_REGISTRY_TRANSITION'])
  })

  it.each([
    [
      'an unknown credential',
      { credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000000', action: 'revoke' },
      404,
      'ERR_SERVER_NOT_FOUND',
    ],
    [
      'an unknown action',
      { credentialId: 'urn:uuid:x', action: 'delete' },
      400,
      'ERR_SERVER_BAD_REQUEST',
    ],
    ['no credentialId', { action: 'revoke' }, 400, 'ERR_SERVER_BAD_REQUEST'],
    [
      'a reason that is not a string',
      { credentialId: 'urn:uuid:x', action: 'revoke', reason: 1 },
      400,
      'ERR_SERVER_BAD_REQUEST',
    ],
  ])('answers for %s', async (_name, body, status, code) => {
    const res = await postJson(server, '/credentials/status', body)
    expect(res.status).toBe(status)
    expect(codes(res.body as Body)).toEqual([code])
  })

  it('serves status lists with Cache-Control from their ttl, CORS, and a JSON media type', async () => {
    const res = await fetch(`${server.baseUrl}/status/revocation/1`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/vc\+ld\+json/)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    const list = (await res.json()) as {
      '@context': string[]
      type: string[]
      issuer: string
      credentialSubject: {
        id: string
        type: string
        statusPurpose: string
        encodedList: string
        ttl: number
      }
      proof: { type: string; verificationMethod: string }
    }
    expect(res.headers.get('cache-control')).toBe(
      `public, max-age=${list.credentialSubject.ttl / 1000}`,
    )
    expect(list['@context']).toContain('https://www.w3.org/ns/credentials/v2')
    expect(list.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential'])
    expect(list.issuer).toBe(did)
    expect(list.credentialSubject).toMatchObject({
      id: `${server.baseUrl}/status/revocation/1#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
    })
    expect(list.credentialSubject.encodedList).toMatch(/^u[A-Za-z0-9_-]+$/)
    expect(list.proof.verificationMethod).toBe(`${did}#key-1`)
    const suspension = await fetch(`${server.baseUrl}/status/suspension/1`)
    expect(suspension.status).toBe(200)
    for (const path of [
      '/status/revocation/2',
      '/status/other/1',
      '/status/revocation/01',
      '/status/revocation/x',
    ]) {
      const missing = await fetch(`${server.baseUrl}${path}`)
      expect(missing.status).toBe(404)
      expect(((await missing.json()) as Body).errors?.[0]?.code).toBe('ERR_SERVER_NOT_FOUND')
    }
  })
})

describe('HTTP hygiene', () => {
  it('refuses non-JSON content types with 415 JSON, malformed JSON and __proto__ with 400', async () => {
    const send = (body: string, type: string) =>
      fetch(`${server.baseUrl}/credentials/verify`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      })
    const plain = await send('{}', 'text/plain')
    expect(plain.status).toBe(415)
    expect(((await plain.json()) as Body).errors?.[0]?.code).toBe('ERR_SERVER_BAD_REQUEST')
    const broken = await send('{"a":', 'application/json')
    expect(broken.status).toBe(400)
    // The verifier's own input codes: the body reads as the credential in it would.
    expect(await broken.json()).toMatchObject({
      verified: false,
      errors: [{ code: 'ERR_INPUT_NOT_JSON' }],
    })
    const proto = await send(
      '{"verifiableCredential":{"__proto__":{"admin":true}}}',
      'application/json',
    )
    expect(proto.status).toBe(400)
    expect(await proto.json()).toMatchObject({
      verified: false,
      errors: [{ code: 'ERR_INPUT_FORBIDDEN_KEY' }],
    })
  })

  it('refuses duplicate keys (a credential id given twice), forbidden keys and deep nesting with 400', async () => {
    const send = (body: string) =>
      fetch(`${server.baseUrl}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body,
      })
    const twice = JSON.stringify({ credential: vc2({ id: 'urn:uuid:1' }) }).replace(
      '"id":"urn:uuid:1"',
      '"id":"urn:uuid:1","id":"urn:uuid:2"',
    )
    expect(twice).toContain('"id":"urn:uuid:1","id":"urn:uuid:2"')
    for (const [body, code] of [
      [twice, 'ERR_INPUT_DUPLICATE_KEY'],
      ['{"credential":{"a":1,"a":2}}', 'ERR_INPUT_DUPLICATE_KEY'],
      ['{"credential":{"constructor":{}}}', 'ERR_INPUT_FORBIDDEN_KEY'],
      ['{"credential":' + '['.repeat(100) + ']'.repeat(100) + '}', 'ERR_INPUT_TOO_DEEP'],
    ]) {
      const res = await send(body as string)
      expect(res.status).toBe(400)
      expect(((await res.json()) as Body).errors?.[0]?.code).toBe(code)
    }
    // Equal keys in different objects are fine; so are escaped look-alikes of different keys.
    const ok = await send(
      JSON.stringify({
        credential: vc2({ evidence: [{ id: 'https://e.example/1', type: 'Evidence' }] }),
      }),
    )
    expect(ok.status).toBe(201)
  })

  it('refuses a body over the limit with 413 JSON', async () => {
    const small = await startTestServer({ bodyLimit: 1024 })
    try {
      const res = await postJson(
        small,
        '/credentials/verify',
        { verifiableCredential: { pad: 'x'.repeat(2048) } },
        { token: null },
      )
      expect(res.status).toBe(413)
      expect(codes(res.body as Body)).toEqual(['ERR_INPUT_TOO_LARGE'])
    } finally {
      await small.close()
    }
  })

  it('answers unknown routes with 404 JSON', async () => {
    const res = await fetch(`${server.baseUrl}/nope`)
    expect(res.status).toBe(404)
    expect(((await res.json()) as Body).errors?.[0]?.code).toBe('ERR_SERVER_NOT_FOUND')
  })

  it('never answers 500 to a set of bad inputs (small fuzz)', async () => {
    let seed = 42
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const signed = (await issue(vc2())).body.verifiableCredential as Record<string, unknown>
    const atoms: unknown[] = [
      null,
      true,
      0,
      -1,
      1e308,
      '',
      'x',
      'did:web:localhost',
      'https://a/b',
      [],
      {},
      [null],
      { '@id': 'x' },
      { '@context': 5 },
    ]
    const mutate = (value: unknown, depth: number): unknown => {
      if (depth > 3 || rand() < 0.2) return atoms[Math.floor(rand() * atoms.length)]
      if (Array.isArray(value))
        return (value as unknown[]).map((v) => (rand() < 0.3 ? mutate(v, depth + 1) : v))
      if (value !== null && typeof value === 'object') {
        const out: Record<string, unknown> = {}
        for (const [k, v] of Object.entries(value)) {
          const r = rand()
          if (r < 0.1) continue
          out[r < 0.15 ? `${k}x` : k] = r < 0.4 ? mutate(v, depth + 1) : v
        }
        return out
      }
      return atoms[Math.floor(rand() * atoms.length)]
    }
    const statuses = new Set<number>()
    for (let i = 0; i < 60; i++) {
      const doc = mutate(signed, 0)
      const v = await postJson(
        server,
        '/credentials/verify',
        { verifiableCredential: doc },
        { token: null },
      )
      const s = await postJson(server, '/credentials/issue', { credential: mutate(vc2(), 0) })
      const p = await postJson(server, '/credentials/status', {
        credentialId: mutate('x', 3),
        action: mutate('revoke', 3),
      })
      for (const r of [v, s, p]) {
        statuses.add(r.status)
        expect(r.status, JSON.stringify(r.body)).toBeLessThan(500)
        expect(r.headers.get('content-type')).toMatch(/^application\/json/)
      }
    }
    expect(statuses.has(422) || statuses.has(400)).toBe(true)
  })
})
