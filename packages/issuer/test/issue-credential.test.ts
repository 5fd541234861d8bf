import { createHash } from 'node:crypto'
import {
  CATALOG,
  CERTIFY_CONTEXT_URL,
  CONTEXT_URLS,
  CertifyError,
  PROGRAM_CODES,
  achievementFor,
  createCatalog,
  createDocumentLoader,
  type DocumentLoader,
  type OpenBadgeCredential,
} from '@certify-vc/context'
import { createSuite, verifyDocumentProofs } from '@certify-vc/core'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import {
  buildCredential,
  issueCredential,
  type CredentialExtensions,
  type IssueCredentialOptions,
  type IssuerKey,
} from '../src/index.js'
import { fixedKey } from './helpers.js'

const NOW = new Date('2026-11-29T12:00:00.250Z')
const NOW_STAMP = '2026-11-29T12:00:00Z'
const LEARNER_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
const loader = createDocumentLoader()

let key: IssuerKey
beforeAll(async () => {
  key = await fixedKey()
})

function options(overrides: Partial<IssueCredentialOptions> = {}): IssueCredentialOptions {
  return {
    program: 'AIDA',
    recipient: { name: 'Ada Lovelace', did: LEARNER_DID },
    key,
    now: NOW,
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

describe('issueCredential: every program in every format', () => {
  describe.each(PROGRAM_CODES.map((code) => [code]))('%s', (code) => {
    const program = CATALOG.programs[code]
    const issuer = {
      id: '',
      type: ['Profile'],
      name: 'Production AI Institute',
      url: 'https://production-ai.institute',
      image: { id: 'https://production-ai.institute/images/institute-logo.png', type: 'Image' },
    }
    const subject = {
      id: LEARNER_DID,
      type: ['AchievementSubject'],
      name: 'Ada Lovelace',
      achievement: achievementFor(program, CATALOG),
    }

    it('vc2: an OB 3.0 credential on VC 2.0 signed with eddsa-rdfc-2022', async () => {
      const credential = await issueCredential(options({ program: code }))
      expect(credential).toEqual({
        '@context': [CONTEXT_URLS.credentialsV2, CONTEXT_URLS.openBadgesV3, CERTIFY_CONTEXT_URL],
        id: expect.stringMatching(/^urn:uuid:[0-9a-f-]{36}$/) as unknown,
        type: ['VerifiableCredential', 'OpenBadgeCredential'],
        name: program.name,
        issuer: { ...issuer, id: key.did },
        validFrom: NOW_STAMP,
        credentialSubject: subject,
        proof: {
          type: 'DataIntegrityProof',
          cryptosuite: 'eddsa-rdfc-2022',
          created: NOW_STAMP,
          verificationMethod: key.verificationMethodId,
          proofPurpose: 'assertionMethod',
          proofValue: expect.stringMatching(/^z[1-9A-HJ-NP-Za-km-z]{80,90}$/) as unknown,
        },
      })
      expect(await proofVerifies(credential)).toBe(true)
    })

    it('vc1.1: the same content on VC 1.1 signed with Ed25519Signature2020', async () => {
      const credential = await issueCredential(options({ program: code, format: 'vc1.1' }))
      expect(credential).toEqual({
        '@context': [
          CONTEXT_URLS.credentialsV1,
          CONTEXT_URLS.openBadgesV3,
          CERTIFY_CONTEXT_URL,
          CONTEXT_URLS.ed25519Signature2020V1,
        ],
        id: expect.stringMatching(/^urn:uuid:/) as unknown,
        type: ['VerifiableCredential', 'OpenBadgeCredential'],
        name: program.name,
        issuer: { ...issuer, id: key.did },
        issuanceDate: NOW_STAMP,
        credentialSubject: subject,
        proof: {
          type: 'Ed25519Signature2020',
          created: NOW_STAMP,
          verificationMethod: key.verificationMethodId,
          proofPurpose: 'assertionMethod',
          proofValue: expect.stringMatching(/^z[1-9A-HJ-NP-Za-km-z]{80,90}$/) as unknown,
        },
      })
      expect(await proofVerifies(credential)).toBe(true)
    })
  })

  it('detects tampering (sanity check of the proofs above)', async () => {
    const credential = await issueCredential(options())
    const tampered = structuredClone(credential)
    tampered.credentialSubject.achievement.id = CATALOG.programs.CAAE.achievementId
    expect(await proofVerifies(tampered)).toBe(false)
  })

  it('uses the given id, a fresh urn:uuid otherwise, and never mutates its options', async () => {
    const opts = options({ id: 'https://production-ai.institute/credentials/42' })
    const snapshot = structuredClone({ ...opts, key: undefined })
    const credential = await issueCredential(opts)
    expect(credential.id).toBe('https://production-ai.institute/credentials/42')
    expect({ ...opts, key: undefined }).toEqual(snapshot)
    const a = await issueCredential(options())
    const b = await issueCredential(options())
    expect(a.id).not.toBe(b.id)
  })

  it('defaults validFrom to now, keeps whole seconds, and honours an explicit validFrom', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000
    const { now: _now, ...withoutNow } = options()
    const credential = await issueCredential(withoutNow)
    const validFrom = Date.parse(String(credential.validFrom))
    expect(validFrom).toBeGreaterThanOrEqual(before)
    expect(validFrom).toBeLessThanOrEqual(Date.now())
    expect(credential.validFrom).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const later = await issueCredential(
      options({ validFrom: new Date('2027-01-01T08:30:00.999Z') }),
    )
    expect(later.validFrom).toBe('2027-01-01T08:30:00Z')
    expect((later.proof as { created: string }).created).toBe(NOW_STAMP)
  })

  it('takes the issuer display data from the catalog, overridable by issuerProfile', async () => {
    const credential = await issueCredential(
      options({
        issuerProfile: {
          name: 'Production AI Institute (EU)',
          image: 'data:image/png;base64,iVBORw0KGgo=',
        },
      }),
    )
    expect(credential.issuer).toEqual({
      id: key.did,
      type: ['Profile'],
      name: 'Production AI Institute (EU)',
      url: 'https://production-ai.institute',
      image: { id: 'data:image/png;base64,iVBORw0KGgo=', type: 'Image' },
    })
    const catalog = createCatalog({ baseUrl: 'https://staging.production-ai.institute' })
    const staging = await issueCredential(options({ catalog }))
    expect(staging.issuer.url).toBe('https://staging.production-ai.institute')
    expect(staging.credentialSubject.achievement.id).toBe(
      'https://staging.production-ai.institute/certify/aida',
    )
  })
})

describe('expiry follows the catalog', () => {
  const catalog = createCatalog({ validity: { CAAE: { expires: true, days: 730 } } })

  it('sets validUntil = validFrom + days only for expiring programs', async () => {
    const caae = await issueCredential(options({ program: 'CAAE', catalog }))
    expect(caae.validFrom).toBe(NOW_STAMP)
    expect(caae.validUntil).toBe('2028-11-28T12:00:00Z')
    const aida = await issueCredential(options({ program: 'AIDA', catalog }))
    expect(aida).not.toHaveProperty('validUntil')
    expect(await issueCredential(options({ program: 'CAAE' }))).not.toHaveProperty('validUntil')
  })

  it('writes expirationDate on VC 1.1', async () => {
    const caae = await issueCredential(options({ program: 'CAAE', catalog, format: 'vc1.1' }))
    expect(caae.issuanceDate).toBe(NOW_STAMP)
    expect(caae.expirationDate).toBe('2028-11-28T12:00:00Z')
    expect(caae).not.toHaveProperty('validFrom')
    expect(caae).not.toHaveProperty('validUntil')
    expect(await proofVerifies(caae)).toBe(true)
  })

  it('refuses an expiry that cannot be written as a date', async () => {
    const long = createCatalog({ validity: { AIDA: { expires: true, days: 36600 } } })
    await expect(
      issueCredential(options({ catalog: long, validFrom: new Date('9950-01-01T00:00:00Z') })),
    ).rejects.toMatchObject({ code: 'ERR_STRUCTURE_DATE_INVALID' })
  })
})

describe('recipients', () => {
  it('name only', async () => {
    const { credentialSubject } = await issueCredential(options({ recipient: { name: ' Ada ' } }))
    // OB 3.0: an AchievementSubject needs an id or an identifier, so the name becomes one.
    expect(credentialSubject).toEqual({
      type: ['AchievementSubject'],
      name: 'Ada',
      identifier: [
        { type: 'IdentityObject', identityHash: 'Ada', identityType: 'name', hashed: false },
      ],
      achievement: achievementFor(CATALOG.programs.AIDA, CATALOG),
    })
  })

  it('DID only', async () => {
    const { credentialSubject } = await issueCredential(
      options({ recipient: { did: LEARNER_DID } }),
    )
    expect(credentialSubject).toEqual({
      id: LEARNER_DID,
      type: ['AchievementSubject'],
      achievement: achievementFor(CATALOG.programs.AIDA, CATALOG),
    })
  })

  it('email only: a salted identityHash, never the address', async () => {
    const email = '  Ada.Lovelace@Example.ORG '
    const normalized = 'ada.lovelace@example.org'
    for (const format of ['vc2', 'vc1.1'] as const) {
      const credential = await issueCredential(options({ recipient: { email }, format }))
      const { credentialSubject } = credential
      expect(credentialSubject).not.toHaveProperty('id')
      expect(credentialSubject).not.toHaveProperty('name')
      expect(credentialSubject.identifier).toEqual([
        {
          type: 'IdentityObject',
          identityHash: expect.stringMatching(/^sha256\$[0-9a-f]{64}$/) as unknown,
          identityType: 'emailAddress',
          hashed: true,
          salt: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
        },
      ])
      const [identity] = credentialSubject.identifier ?? []
      const expected = createHash('sha256')
        .update(normalized + String(identity?.salt))
        .digest('hex')
      expect(identity?.identityHash).toBe(`sha256$${expected}`)
      const json = JSON.stringify(credential).toLowerCase()
      expect(json).not.toContain('lovelace@')
      expect(json).not.toContain('example.org')
      expect(await proofVerifies(credential)).toBe(true)
    }
  })

  it('a fresh salt per credential', async () => {
    const a = await issueCredential(options({ recipient: { email: 'ada@example.org' } }))
    const b = await issueCredential(options({ recipient: { email: 'ada@example.org' } }))
    expect(a.credentialSubject.identifier?.[0]?.salt).not.toBe(
      b.credentialSubject.identifier?.[0]?.salt,
    )
    expect(a.credentialSubject.identifier?.[0]?.identityHash).not.toBe(
      b.credentialSubject.identifier?.[0]?.identityHash,
    )
  })

  it('name, DID and email together', async () => {
    const { credentialSubject } = await issueCredential(
      options({ recipient: { name: 'Ada', did: LEARNER_DID, email: 'ada@example.org' } }),
    )
    expect(credentialSubject).toMatchObject({ id: LEARNER_DID, name: 'Ada' })
    expect(credentialSubject.identifier).toHaveLength(1)
  })

  it.each([
    ['no field', {}],
    ['an empty name', { name: '   ' }],
    ['a name with control characters', { name: 'Ada\u0000Lovelace' }],
    ['a name with a lone surrogate', { name: 'Ada \uD800' }],
    ['a name too long', { name: 'A'.repeat(513) }],
    ['a bare word as DID', { did: 'ada' }],
    ['an incomplete DID', { did: 'did:key' }],
    ['an empty method-specific id', { did: 'did:example:' }],
    ['an upper-case method', { did: 'did:Example:123' }],
    ['a DID URL with fragment', { did: `${LEARNER_DID}#key-1` }],
    ['a DID URL with path', { did: 'did:web:example.org/path' }],
    ['a did:key that is not base58btc', { did: 'did:key:0OIl' }],
    ['spaces in a DID', { did: 'did:web:exa mple.org' }],
    ['an email without @', { email: 'ada.example.org' }],
    ['an email without domain dot', { email: 'ada@localhost' }],
    ['an email with spaces inside', { email: 'ada lovelace@example.org' }],
  ])('refuses %s with ERR_ISSUE_RECIPIENT_INVALID', async (_label, recipient) => {
    await expect(issueCredential(options({ recipient }))).rejects.toMatchObject({
      code: 'ERR_ISSUE_RECIPIENT_INVALID',
    })
  })

  it('throws TypeError for a recipient of the wrong type', async () => {
    for (const recipient of [
      undefined,
      null,
      'Ada',
      { name: 42 },
      { did: ['x'] },
      { nmae: 'Ada' },
    ]) {
      await expect(
        issueCredential(options({ recipient: recipient as IssueCredentialOptions['recipient'] })),
      ).rejects.toThrow(TypeError)
    }
  })
})

describe('programs', () => {
  it.each(['XYZ', 'aida', 'AIDA ', ''])(
    'refuses %j with ERR_ISSUE_PROGRAM_UNKNOWN',
    async (program) => {
      await expect(issueCredential(options({ program }))).rejects.toMatchObject({
        code: 'ERR_ISSUE_PROGRAM_UNKNOWN',
      })
    },
  )

  it('throws TypeError for a program that is not a string', async () => {
    await expect(issueCredential(options({ program: 42 as unknown as string }))).rejects.toThrow(
      TypeError,
    )
  })
})

describe('nothing is signed before every check passed', () => {
  function spyKey(): { key: IssuerKey; signer: ReturnType<typeof vi.fn> } {
    const signer = vi.fn(() => key.signer())
    return { key: { ...key, toJSON: () => key.toJSON(), signer }, signer }
  }

  it.each<[string, Partial<IssueCredentialOptions>, string]>([
    [
      'an undefined credential member',
      { extensions: { credential: { foo: 'bar' } } },
      'ERR_JSONLD_UNDEFINED_TERM',
    ],
    [
      'an undefined subject member',
      { extensions: { subject: { grade: 'A' } } },
      'ERR_JSONLD_UNDEFINED_TERM',
    ],
    [
      'an undefined member on VC 1.1',
      { format: 'vc1.1', extensions: { credential: { foo: 'bar' } } },
      'ERR_JSONLD_UNDEFINED_TERM',
    ],
    [
      'an undefined nested member',
      { extensions: { credential: { evidence: [{ type: ['Evidence'], secretScore: 99 }] } } },
      'ERR_JSONLD_UNDEFINED_TERM',
    ],
    [
      'an undefined type',
      { extensions: { credential: { evidence: [{ type: ['Proofing'] }] } } },
      'ERR_JSONLD_UNDEFINED_TERM',
    ],
    ['a relative credential id', { id: 'credential-1' }, 'ERR_STRUCTURE_RELATIVE_IRI'],
    ['an empty credential id', { id: '' }, 'ERR_STRUCTURE_RELATIVE_IRI'],
    ['a fragment-only credential id', { id: '#list' }, 'ERR_STRUCTURE_RELATIVE_IRI'],
    [
      'a relative IRI inside an extension',
      { extensions: { credential: { evidence: [{ id: 'evidence/1', type: ['Evidence'] }] } } },
      'ERR_STRUCTURE_RELATIVE_IRI',
    ],
    [
      'an undefined type on VC 1.1',
      {
        format: 'vc1.1',
        extensions: { credential: { refreshService: { id: 'https://a.example', type: 'X' } } },
      },
      'ERR_JSONLD_UNDEFINED_TERM',
    ],
  ])('%s', async (_label, overrides, code) => {
    const { key: spy, signer } = spyKey()
    await expect(issueCredential(options({ ...overrides, key: spy }))).rejects.toMatchObject({
      code,
    })
    expect(signer).not.toHaveBeenCalled()
  })
})

describe('extensions', () => {
  const status = {
    id: 'https://production-ai.institute/status/1#94567',
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: '94567',
    statusListCredential: 'https://production-ai.institute/status/1',
  }

  it('adds members the contexts define, to the credential and the subject', async () => {
    const credential = await issueCredential(
      options({
        extensions: {
          credential: { description: 'Awarded at the 2026 cohort.', awardedDate: NOW_STAMP },
          subject: { activityEndDate: '2026-11-20T00:00:00Z' },
        },
      }),
    )
    expect(credential).toMatchObject({
      description: 'Awarded at the 2026 cohort.',
      awardedDate: NOW_STAMP,
      credentialSubject: { activityEndDate: '2026-11-20T00:00:00Z' },
    })
    expect(await proofVerifies(credential)).toBe(true)
  })

  it('carries a BitstringStatusListEntry, adding the status context on VC 1.1', async () => {
    const v2 = await issueCredential(
      options({ extensions: { credential: { credentialStatus: status } } }),
    )
    expect(v2['@context']).toHaveLength(3)
    expect(v2.credentialStatus).toEqual(status)
    const v1 = await issueCredential(
      options({ format: 'vc1.1', extensions: { credential: { credentialStatus: status } } }),
    )
    expect(v1['@context']).toEqual([
      CONTEXT_URLS.credentialsV1,
      CONTEXT_URLS.openBadgesV3,
      CERTIFY_CONTEXT_URL,
      CONTEXT_URLS.ed25519Signature2020V1,
      CONTEXT_URLS.bitstringStatusListV1,
    ])
    expect(await proofVerifies(v1)).toBe(true)
  })

  it.each<[string, CredentialExtensions, string]>([
    [
      'overriding the issuer',
      { credential: { issuer: 'did:key:z6Mkattacker' } },
      'ERR_ISSUE_INVALID_INPUT',
    ],
    [
      'overriding the type',
      { credential: { type: ['VerifiableCredential'] } },
      'ERR_ISSUE_INVALID_INPUT',
    ],
    [
      'overriding validUntil',
      { credential: { validUntil: '2099-01-01T00:00:00Z' } },
      'ERR_ISSUE_INVALID_INPUT',
    ],
    [
      'overriding the achievement',
      { subject: { achievement: { id: 'https://x.example' } } },
      'ERR_ISSUE_INVALID_INPUT',
    ],
    [
      'overriding the subject id',
      { subject: { id: 'did:example:mallory' } },
      'ERR_ISSUE_INVALID_INPUT',
    ],
    [
      'an inline context',
      { credential: { evidence: [{ '@context': { x: 'https://x' } }] } },
      'ERR_CONTEXT_INLINE',
    ],
    ['a JSON-LD keyword', { subject: { '@id': 'did:example:mallory' } }, 'ERR_ISSUE_INVALID_INPUT'],
    ['a lone surrogate', { credential: { description: 'bad \uDC00' } }, 'ERR_ISSUE_INVALID_INPUT'],
    [
      'a __proto__ key',
      {
        credential: JSON.parse('{"evidence":[{"__proto__":{"polluted":true}}]}') as Record<
          string,
          never
        >,
      },
      'ERR_INPUT_FORBIDDEN_KEY',
    ],
    [
      'a constructor key',
      { subject: { result: [{ constructor: 'x' }] } },
      'ERR_INPUT_FORBIDDEN_KEY',
    ],
  ])('refuses %s', async (_label, extensions, code) => {
    await expect(issueCredential(options({ extensions }))).rejects.toMatchObject({ code })
  })

  it('refuses nesting deeper than 32 levels with ERR_INPUT_TOO_DEEP', async () => {
    let deep: Record<string, never> = {}
    for (let i = 0; i < 40; i++) deep = { evidence: deep } as unknown as Record<string, never>
    await expect(
      issueCredential(options({ extensions: { credential: deep } })),
    ).rejects.toMatchObject({
      code: 'ERR_INPUT_TOO_DEEP',
      path: expect.stringMatching(/^\/evidence/) as unknown,
    })
  })

  it('throws TypeError for values that are not JSON', async () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    for (const credential of [
      { description: undefined },
      { description: () => 'x' },
      { awardedDate: new Date() },
      { description: Number.NaN },
      { evidence: [cyclic] },
      { description: 10n },
    ]) {
      await expect(
        issueCredential(
          options({
            extensions: { credential } as unknown as CredentialExtensions,
          }),
        ),
      ).rejects.toThrow(TypeError)
    }
    for (const extensions of ['x', { credential: [] }, { subject: 'x' }, { other: {} }]) {
      await expect(
        issueCredential(options({ extensions: extensions as CredentialExtensions })),
      ).rejects.toThrow(TypeError)
    }
  })
})

describe('bad input to issueCredential', () => {
  it('throws TypeError for caller mistakes', async () => {
    const cases: unknown[] = [
      undefined,
      null,
      'AIDA',
      { ...options(), key: undefined },
      { ...options(), key: {} },
      {
        ...options(),
        key: { did: 'did:key:x', verificationMethodId: 'other#x', signer: () => null },
      },
      { ...options(), format: 'vc3' },
      { ...options(), id: 42 },
      { ...options(), validFrom: '2026-01-01T00:00:00Z' },
      { ...options(), now: Date.now() },
      { ...options(), catalog: {} },
      { ...options(), issuerProfile: 'Institute' },
      { ...options(), issuerProfile: { name: 7 } },
      { ...options(), issuerProfile: { logo: 'https://x.example/l.png' } },
      { ...options(), documentLoader: 'offline' },
      { ...options(), programme: 'AIDA' },
    ]
    for (const bad of cases) {
      await expect(issueCredential(bad as IssueCredentialOptions)).rejects.toThrow(TypeError)
    }
  })

  it('throws TypeError when the key signer is malformed', async () => {
    const broken: IssuerKey = {
      ...key,
      toJSON: () => key.toJSON(),
      signer: () => ({ ...key.signer(), id: 'did:example:other#k' }),
    }
    await expect(issueCredential(options({ key: broken }))).rejects.toThrow(TypeError)
  })

  it.each<[string, Partial<IssueCredentialOptions>, string]>([
    ['an invalid validFrom', { validFrom: new Date('nope') }, 'ERR_STRUCTURE_DATE_INVALID'],
    ['an invalid now', { now: new Date(Number.NaN) }, 'ERR_STRUCTURE_DATE_INVALID'],
    [
      'a validFrom after year 9999',
      { validFrom: new Date('+010000-01-01T00:00:00Z') },
      'ERR_STRUCTURE_DATE_INVALID',
    ],
    ['an empty issuer name', { issuerProfile: { name: ' ' } }, 'ERR_ISSUE_INVALID_INPUT'],
    [
      'an http issuer url',
      { issuerProfile: { url: 'http://production-ai.institute' } },
      'ERR_ISSUE_INVALID_INPUT',
    ],
    [
      'a javascript: issuer url',
      { issuerProfile: { url: 'javascript:alert(1)' } },
      'ERR_ISSUE_INVALID_INPUT',
    ],
    ['a relative issuer url', { issuerProfile: { url: '/about' } }, 'ERR_STRUCTURE_RELATIVE_IRI'],
    [
      'a relative issuer image',
      { issuerProfile: { image: 'logo.png' } },
      'ERR_STRUCTURE_RELATIVE_IRI',
    ],
    ['an id with spaces', { id: 'urn:uuid:not a uuid' }, 'ERR_STRUCTURE_RELATIVE_IRI'],
  ])('refuses %s', async (_label, overrides, code) => {
    await expect(issueCredential(options(overrides))).rejects.toMatchObject({ code })
  })

  it('passes loader failures on with their code', async () => {
    const offline: DocumentLoader = (url) =>
      Promise.reject(new CertifyError('ERR_DOCUMENT_NOT_FOUND', `no ${url}`))
    await expect(issueCredential(options({ documentLoader: offline }))).rejects.toMatchObject({
      code: 'ERR_DOCUMENT_NOT_FOUND',
    })
  })

  it('wraps a signing failure of the key in ERR_KEY_INVALID', async () => {
    const failing: IssuerKey = {
      ...key,
      toJSON: () => key.toJSON(),
      signer: () => ({
        id: key.verificationMethodId,
        algorithm: 'Ed25519',
        sign: () => Promise.reject(new Error('HSM offline')),
      }),
    }
    await expect(issueCredential(options({ key: failing }))).rejects.toMatchObject({
      code: 'ERR_KEY_INVALID',
      cause: { message: 'HSM offline' },
    })
  })
})

describe('buildCredential', () => {
  it('returns the unsigned credential that issueCredential signs', () => {
    const credential: OpenBadgeCredential = buildCredential({
      program: 'AIMA',
      recipient: { name: 'Grace Hopper' },
      issuerDid: 'did:web:production-ai.institute',
      id: 'urn:uuid:00000000-0000-4000-8000-000000000000',
      now: NOW,
    })
    expect(credential).toEqual({
      '@context': [CONTEXT_URLS.credentialsV2, CONTEXT_URLS.openBadgesV3, CERTIFY_CONTEXT_URL],
      id: 'urn:uuid:00000000-0000-4000-8000-000000000000',
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      name: 'AI Management Awareness (AIMA)',
      issuer: {
        id: 'did:web:production-ai.institute',
        type: ['Profile'],
        name: 'Production AI Institute',
        url: 'https://production-ai.institute',
        image: { id: 'https://production-ai.institute/images/institute-logo.png', type: 'Image' },
      },
      validFrom: NOW_STAMP,
      credentialSubject: {
        type: ['AchievementSubject'],
        name: 'Grace Hopper',
        identifier: [
          {
            type: 'IdentityObject',
            identityHash: 'Grace Hopper',
            identityType: 'name',
            hashed: false,
          },
        ],
        achievement: achievementFor(CATALOG.programs.AIMA, CATALOG),
      },
    })
  })

  it('does not run JSON-LD: undefined members pass here and fail in issueCredential', () => {
    const credential = buildCredential({
      program: 'AIDA',
      recipient: { name: 'Ada' },
      issuerDid: key.did,
      extensions: { credential: { foo: 'bar' } },
    })
    expect(credential).toHaveProperty('foo', 'bar')
  })

  it('rejects bad input', () => {
    const base = { program: 'AIDA', recipient: { name: 'Ada' }, issuerDid: key.did }
    expect(() => buildCredential(null as unknown as typeof base)).toThrow(TypeError)
    expect(() => buildCredential({ ...base, issuerDid: 42 as unknown as string })).toThrow(
      TypeError,
    )
    expect(() => buildCredential({ ...base, key } as unknown as typeof base)).toThrow(TypeError)
    expect(() =>
      buildCredential({ ...base, issuerDid: 'https://production-ai.institute' }),
    ).toThrow(expect.objectContaining({ code: 'ERR_ISSUE_INVALID_INPUT' }) as Error)
    expect(() => buildCredential({ ...base, program: 'ABC' })).toThrow(
      expect.objectContaining({ code: 'ERR_ISSUE_PROGRAM_UNKNOWN' }) as Error,
    )
    expect(() => buildCredential({ ...base, recipient: {} })).toThrow(
      expect.objectContaining({ code: 'ERR_ISSUE_RECIPIENT_INVALID' }) as Error,
    )
  })
})
