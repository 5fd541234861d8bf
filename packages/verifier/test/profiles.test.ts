/**
 * The profiles (institute, open-badges, vc) of the one pipeline: every profile accepts every
 * structure the specifications allow; they differ in trust, program, suites, co-signers, inline
 * contexts and the earlier Open Badges contexts. And the trust-list pins (verification methods,
 * per-program keys, the status-list signer, status-list URL prefixes).
 */
import {
  CATALOG,
  CONTEXT_URLS,
  EARLIER_OPEN_BADGES_CONTEXT_URLS,
  createDocumentLoader,
} from '@certify-vc/context'
import { createSuite, signDocument } from '@certify-vc/core'
import {
  createOfflineStatusListSource,
  verifyCredential,
  type ProfileName,
  type VerifyCredentialOptions,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  NOW,
  codes,
  loader,
  makeIssuer,
  sign,
  signedCredential,
  unsignedCredential,
  type TestIssuer,
} from './helpers.js'
import { entry, recordingSource, revocationUrl, signedList } from './status-fixtures.js'

let institute: TestIssuer
let other: TestIssuer
let cosigner: TestIssuer

beforeAll(async () => {
  institute = await makeIssuer(1)
  other = await makeIssuer(61)
  cosigner = await makeIssuer(62)
})

const PROFILES: readonly ProfileName[] = ['institute', 'open-badges', 'vc']

function check(result: VerifyCredentialResult, id: string) {
  const c = result.checks.find((x) => x.id === id)
  if (c === undefined) throw new Error(`no check ${id}`)
  return c
}

function options(
  profile: ProfileName,
  extra: Partial<VerifyCredentialOptions> = {},
): VerifyCredentialOptions {
  return { profile, trustedIssuers: [institute.did], now: NOW, status: false, ...extra }
}

/** Another issuer's Open Badge: its own achievement, a URI issuer and no name (OB 3.0 allows both). */
function foreignBadge(patch: (c: Record<string, unknown>) => void = () => undefined) {
  const c = unsignedCredential(other.did)
  c.issuer = other.did
  delete c.name
  const subject = c.credentialSubject as Record<string, Record<string, unknown>>
  subject.achievement = {
    id: 'https://badges.example.org/achievements/rust-101',
    type: ['Achievement'],
    name: 'Rust 101',
    description: 'Writes safe Rust.',
    criteria: { narrative: 'Passed the Rust 101 exam.' },
  }
  patch(c)
  return c
}

describe('every profile accepts every spec-legal Open Badges 3.0 structure', () => {
  it('a URI issuer and no name: the structure passes under every profile', async () => {
    const vc = await sign(foreignBadge(), other)
    for (const profile of PROFILES) {
      const r = await verifyCredential(vc, options(profile))
      expect(check(r, 'structure').outcome, profile).toBe('passed')
      expect(check(r, 'proof').outcome, profile).toBe('passed')
    }
  })

  it('an Institute credential without name verifies under the institute profile (name is 0..1)', async () => {
    const vc = await signedCredential(institute, { patch: (c) => void delete c.name })
    const r = await verifyCredential(vc, options('institute'))
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
    expect(r.credential.program?.code).toBe('AIDA')
  })

  it('VC 1.1 Open Badges (the legacy AchievementCredentialv1p1) need a name and a Profile issuer', async () => {
    for (const [patch, path] of [
      [(c: Record<string, unknown>) => void delete c.name, '/name'],
      [(c: Record<string, unknown>) => void (c.issuer = institute.did), '/issuer'],
    ] as const) {
      const vc = await signedCredential(institute, { format: 'vc1.1', patch })
      const r = await verifyCredential(vc, options('open-badges'))
      expect(check(r, 'structure').problems).toContainEqual(
        expect.objectContaining({ code: 'ERR_STRUCTURE_NOT_OPEN_BADGE', path }),
      )
    }
  })
})

describe('trust and program by profile', () => {
  it("another issuer's badge: verified with a warning under open-badges and vc, untrusted under institute", async () => {
    const vc = await sign(foreignBadge(), other)
    for (const profile of ['open-badges', 'vc'] as const) {
      const r = await verifyCredential(vc, options(profile))
      expect(r.problems).toEqual([])
      expect(r.verified).toBe(true)
      expect(r.profile).toBe(profile)
      expect(check(r, 'issuer-trust').outcome).toBe('skipped')
      expect(check(r, 'program').outcome).toBe('skipped')
      expect(r.warnings).toEqual([
        expect.objectContaining({ code: 'ERR_ISSUER_UNTRUSTED', path: '/issuer' }),
      ])
    }
    const strict = await verifyCredential(vc, options('institute'))
    expect(strict.verified).toBe(false)
    expect(codes(strict)).toEqual(['ERR_ISSUER_UNTRUSTED'])
    expect(strict.warnings).toEqual([])
  })

  it("a catalog program's achievement from an untrusted issuer fails under every profile", async () => {
    // A self-issued "CAAE": only a trusted issuer awards the catalog's programs.
    const vc = await signedCredential(other, { program: 'CAAE' })
    for (const profile of PROFILES) {
      const r = await verifyCredential(vc, options(profile))
      expect(r.verified, profile).toBe(false)
      expect(check(r, 'issuer-trust').problems, profile).toEqual([
        expect.objectContaining({ code: 'ERR_ISSUER_UNTRUSTED', path: '/issuer' }),
      ])
    }
  })

  it("the trusted issuer's program shows under every profile, and a mismatch fails under every profile", async () => {
    const vc = await signedCredential(institute, { program: 'CAAE' })
    for (const profile of PROFILES) {
      const r = await verifyCredential(vc, options(profile))
      expect(r.verified, profile).toBe(true)
      expect(r.credential.program?.code, profile).toBe('CAAE')
    }
    const renamed = await signedCredential(institute, {
      program: 'AIDA',
      patch: (c) => void (c.name = CATALOG.programs.CAAE.name),
    })
    for (const profile of PROFILES) {
      const r = await verifyCredential(renamed, options(profile))
      expect(check(r, 'program').problems, profile).toContainEqual(
        expect.objectContaining({ code: 'ERR_PROGRAM_MISMATCH', path: '/name' }),
      )
    }
  })

  it('a trusted issuer with an achievement outside the catalog: program skipped (open-badges, vc), unknown (institute)', async () => {
    const c = foreignBadge()
    c.issuer = institute.did
    const vc = await sign(c, institute)
    for (const profile of ['open-badges', 'vc'] as const) {
      const r = await verifyCredential(vc, options(profile))
      expect(r.verified, profile).toBe(true)
      expect(check(r, 'program').outcome).toBe('skipped')
      expect(r.warnings).toEqual([])
    }
    const strict = await verifyCredential(vc, options('institute'))
    expect(codes(strict)).toEqual(['ERR_PROGRAM_UNKNOWN'])
  })
})

describe('suites, co-signers, contexts by profile', () => {
  it('eddsa-jcs-2022: refused under institute (ERR_PROOF_SUITE_NOT_ALLOWED), accepted under open-badges and vc', async () => {
    const vc = await sign(foreignBadge(), other, 'eddsa-jcs-2022')
    const strict = await verifyCredential(vc, options('institute'))
    expect(check(strict, 'proof').problems).toEqual([
      expect.objectContaining({ code: 'ERR_PROOF_SUITE_NOT_ALLOWED', path: '/proof/cryptosuite' }),
    ])
    for (const profile of ['open-badges', 'vc'] as const) {
      const r = await verifyCredential(vc, options(profile))
      expect(r.verified, profile).toBe(true)
    }
  })

  it("a co-signer (a did:key proof beside the issuer's): open-badges and vc accept it, institute refuses it", async () => {
    const issued = await signedCredential(institute)
    const cosigned = await signDocument(issued, {
      suite: createSuite('eddsa-rdfc-2022', {
        signer: cosigner.signer,
        date: '2026-11-02T00:00:00Z',
      }),
      documentLoader: loader,
    })
    for (const profile of ['open-badges', 'vc'] as const) {
      const r = await verifyCredential(cosigned, options(profile))
      expect(r.problems, profile).toEqual([])
    }
    const strict = await verifyCredential(cosigned, options('institute'))
    expect(check(strict, 'key-binding').problems).toEqual([
      expect.objectContaining({
        code: 'ERR_KEY_NOT_ISSUER',
        path: '/proof/1/verificationMethod',
      }),
    ])
  })

  it('an inline context after the named ones: accepted under vc (VC 2.0 §4.3), refused under the Open Badges profiles', async () => {
    const c = foreignBadge()
    ;(c['@context'] as unknown[]).push({ rustLevel: 'https://badges.example.org/vocab#rustLevel' })
    ;(c.credentialSubject as Record<string, unknown>).rustLevel = 'advanced'
    const vc = await sign(c, other)
    const r = await verifyCredential(vc, options('vc'))
    expect(r.problems).toEqual([])
    for (const profile of ['institute', 'open-badges'] as const) {
      const strict = await verifyCredential(vc, options(profile))
      expect(check(strict, 'contexts').problems, profile).toEqual([
        expect.objectContaining({ code: 'ERR_CONTEXT_INLINE', path: '/@context/3' }),
      ])
    }
  })

  it.each(EARLIER_OPEN_BADGES_CONTEXT_URLS)(
    'the earlier Open Badges context %s: accepted under open-badges and vc, not under institute',
    async (url) => {
      // These contexts were written for VC 1.1 (3.0.0 and 3.0.1 redefine terms the VC 2.0
      // context protects): a VC 1.1 badge, with the name and Profile issuer OB 3.0 asks of it.
      const c = foreignBadge()
      c['@context'] = [CONTEXT_URLS.credentialsV1, url, CONTEXT_URLS.ed25519Signature2020V1]
      c.issuanceDate = c.validFrom
      delete c.validFrom
      c.name = 'Rust 101'
      c.issuer = { id: other.did, type: ['Profile'], name: 'Badges Example' }
      const vc = await signDocument(c, {
        suite: createSuite('Ed25519Signature2020', {
          signer: other.signer,
          date: '2026-11-01T00:00:00Z',
        }),
        documentLoader: createDocumentLoader(),
      })
      for (const profile of ['open-badges', 'vc'] as const) {
        const r = await verifyCredential(vc, options(profile))
        expect(r.problems, `${profile} ${url}`).toEqual([])
      }
      const strict = await verifyCredential(vc, options('institute'))
      expect(check(strict, 'contexts').problems).toEqual([
        expect.objectContaining({ code: 'ERR_CONTEXT_UNKNOWN', path: '/@context/1' }),
      ])
    },
  )
})

describe('trust-list pins', () => {
  it("verificationMethods: a key of the issuer's DID that the entry does not name fails (ERR_ISSUER_KEY_NOT_PINNED)", async () => {
    const vc = await signedCredential(institute)
    const pinned = await verifyCredential(vc, {
      ...options('institute'),
      trustedIssuers: [{ id: institute.did, verificationMethods: [institute.vmId] }],
    })
    expect(pinned.verified).toBe(true)
    const elsewhere = await verifyCredential(vc, {
      ...options('institute'),
      trustedIssuers: [{ id: institute.did, verificationMethods: [`${institute.did}#other`] }],
    })
    expect(elsewhere.verified).toBe(false)
    expect(check(elsewhere, 'issuer-trust').problems).toEqual([
      expect.objectContaining({ code: 'ERR_ISSUER_KEY_NOT_PINNED', path: '/proof' }),
    ])
    // Nothing after a failed trust check shows the program as established.
    expect(elsewhere.credential.program).toBeUndefined()
  })

  it('programs: the key of one program cannot sign another (ERR_ISSUER_KEY_NOT_PINNED in program)', async () => {
    const vc = await signedCredential(institute, { program: 'CAAE' })
    const trust = (vms: string[]) => [
      { id: institute.did, programs: { CAAE: vms, AIDA: [institute.vmId] } },
    ]
    const ok = await verifyCredential(vc, {
      ...options('institute'),
      trustedIssuers: trust([institute.vmId]),
    })
    expect(ok.verified).toBe(true)
    const r = await verifyCredential(vc, {
      ...options('institute'),
      trustedIssuers: trust([`${institute.did}#caae-key`]),
    })
    expect(check(r, 'program').problems).toEqual([
      expect.objectContaining({ code: 'ERR_ISSUER_KEY_NOT_PINNED', path: '/proof' }),
    ])
  })

  it('statusListUrlPrefixes: a list outside them is refused before anything is fetched', async () => {
    const vc = await signedCredential(institute, {
      patch: (c) => void (c.credentialStatus = entry('https://lists.example.net/status/1', 7)),
    })
    const source = recordingSource()
    const r = await verifyCredential(vc, {
      ...options('institute'),
      trustedIssuers: [
        { id: institute.did, statusListUrlPrefixes: ['https://production-ai.institute/status/'] },
      ],
      status: { source, cache: false },
    })
    expect(check(r, 'status').problems).toEqual([
      expect.objectContaining({
        code: 'ERR_STATUS_LIST_URL_NOT_ALLOWED',
        path: '/credentialStatus/statusListCredential',
      }),
    ])
    expect(source.calls).toEqual([])
  })

  it('statusListVerificationMethods: a list signed by another key of the issuer is refused', async () => {
    const vc = await signedCredential(institute, {
      patch: (c) => void (c.credentialStatus = entry(revocationUrl(), 7)),
    })
    const list = await signedList(institute, revocationUrl())
    const status = { source: createOfflineStatusListSource([list]), cache: false } as const
    const ok = await verifyCredential(vc, {
      ...options('institute'),
      trustedIssuers: [{ id: institute.did, statusListVerificationMethods: [institute.vmId] }],
      status,
    })
    expect(ok.problems).toEqual([])
    const r = await verifyCredential(vc, {
      ...options('institute'),
      trustedIssuers: [
        { id: institute.did, statusListVerificationMethods: [`${institute.did}#status-key`] },
      ],
      status,
    })
    expect(check(r, 'status').problems).toEqual([
      expect.objectContaining({ code: 'ERR_STATUS_LIST_ISSUER_MISMATCH' }),
    ])
  })

  it('bad trust entries are caller mistakes (TypeError)', async () => {
    const vc = await signedCredential(institute)
    for (const trustedIssuers of [
      [{ id: '' }],
      [{ id: institute.did, verificationMethods: 'x' }],
      [{ id: institute.did, pins: [] }],
      [{ id: institute.did }, { id: institute.did }],
    ]) {
      await expect(
        verifyCredential(vc, { ...options('institute'), trustedIssuers } as never),
      ).rejects.toBeInstanceOf(TypeError)
    }
    await expect(
      verifyCredential(vc, { ...options('institute'), profile: 'strict' as ProfileName }),
    ).rejects.toBeInstanceOf(TypeError)
  })
})

describe('the proof dates', () => {
  it('a proof past its own expires fails (ERR_PROOF_EXPIRED), within the clock skew it does not', async () => {
    const c = unsignedCredential(institute.did)
    const vc = await signDocument(c, {
      suite: createSuite('eddsa-rdfc-2022', {
        signer: institute.signer,
        date: '2026-11-01T00:00:00Z',
        expires: '2026-11-29T11:00:00Z',
      }),
      documentLoader: loader,
    })
    expect((vc.proof as Record<string, unknown>).expires).toBe('2026-11-29T11:00:00Z')
    const r = await verifyCredential(vc, options('institute'))
    expect(check(r, 'proof').problems).toEqual([
      expect.objectContaining({ code: 'ERR_PROOF_EXPIRED', path: '/proof/expires' }),
    ])
    const within = await verifyCredential(vc, {
      ...options('institute'),
      now: new Date('2026-11-29T11:04:00Z'),
    })
    expect(within.problems).toEqual([])
    // The expires member is signed: moving it later breaks the signature.
    const moved = structuredClone(vc)
    ;(moved.proof as Record<string, unknown>).expires = '2027-01-01T00:00:00Z'
    expect(codes(await verifyCredential(moved, options('institute')))).toEqual([
      'ERR_PROOF_INVALID',
    ])
  })

  it('a malformed expires or an hour-24 created fails', async () => {
    for (const [member, value, code] of [
      ['expires', '2027-01-01', 'ERR_PROOF_EXPIRED'],
      ['expires', '2027-01-01T24:00:00Z', 'ERR_PROOF_EXPIRED'],
      ['created', '2026-11-01T24:00:00Z', 'ERR_PROOF_CREATED_INVALID'],
    ] as const) {
      const vc = await signedCredential(institute)
      ;(vc.proof as Record<string, unknown>)[member] = value
      const r = await verifyCredential(vc, options('institute'))
      expect(check(r, 'proof').problems, `${member} ${value}`).toEqual([
        expect.objectContaining({ code, path: `/proof/${member}` }),
      ])
    }
  })

  it('a proof set listing the same proof twice verifies, the copy counted once and noted (ERR_PROOF_DUPLICATE)', async () => {
    // Data Integrity: every proof of a set must verify; an issuer signing twice within one
    // second with Ed25519 makes two identical proofs (the W3C eddsa suite's proof-set test does).
    const vc = await signedCredential(institute)
    const doubled = { ...vc, proof: [vc.proof, structuredClone(vc.proof)] }
    for (const profile of ['institute', 'vc'] as const) {
      const r = await verifyCredential(doubled, options(profile))
      expect(r.problems).toEqual([])
      expect(r.verified).toBe(true)
      expect(r.warnings).toEqual([
        expect.objectContaining({ code: 'ERR_PROOF_DUPLICATE', path: '/proof/1' }),
      ])
    }
    // A copy altered in any member is another proof, and it must verify on its own.
    const altered = structuredClone(vc.proof) as Record<string, unknown>
    altered.created = '2020-01-01T00:00:00Z'
    const r = await verifyCredential({ ...vc, proof: [vc.proof, altered] }, options('vc'))
    expect(r.verified).toBe(false)
    expect(check(r, 'proof').problems).toEqual([
      expect.objectContaining({ code: 'ERR_PROOF_INVALID', path: '/proof/1/proofValue' }),
    ])
  })
})

describe('a status list proof past its expires', () => {
  it('makes the status unknown (ERR_STATUS_LIST_INVALID), never "not revoked"', async () => {
    const vc = await signedCredential(institute, {
      patch: (c) => void (c.credentialStatus = entry(revocationUrl(), 7)),
    })
    const unsigned = (await import('./status-fixtures.js')).unsignedList(institute, revocationUrl())
    const list = await signDocument(unsigned, {
      suite: createSuite('eddsa-rdfc-2022', {
        signer: institute.signer,
        date: '2026-11-29T00:00:00Z',
        expires: '2026-11-29T06:00:00Z',
      }),
      documentLoader: loader,
    })
    const r = await verifyCredential(vc, {
      ...options('institute'),
      status: { source: createOfflineStatusListSource([list]), cache: false },
    })
    expect(check(r, 'status').problems).toEqual([
      expect.objectContaining({
        code: 'ERR_STATUS_LIST_INVALID',
        message: expect.stringContaining('ERR_PROOF_EXPIRED') as unknown,
      }),
    ])
  })
})

describe('VC 1.1 Open Badges context order', () => {
  it('the Institute credentials name OB 3.0.3 second (as OB 3.0 requires)', () => {
    for (const format of ['vc2', 'vc1.1'] as const) {
      expect((unsignedCredential(institute.did, { format })['@context'] as string[])[1]).toBe(
        CONTEXT_URLS.openBadgesV3,
      )
    }
  })
})
