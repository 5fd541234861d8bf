/**
 * Open Badges 3.0 conformance: every credential our issuer produces validates against the
 * AchievementCredential JSON Schema (Draft 2019-09, ajv's 2019 build) that this project wrote
 * from the OB 3.0 data model (see the schema's $comment, docs/ob-v3p0-data-model.md and
 * README.md here), and against 1EdTech's own schema (vendor/, VC 2.0 edition, uncompacted form)
 * with exactly the differences that come from those two limits; and carries the display fields
 * wallets show. The one known violation, the opt-in suspension entry making `credentialStatus`
 * an array where OB allows one object, is asserted exactly.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CATALOG,
  CERTIFY_CONTEXT_URL,
  CONTEXT_URLS,
  PROGRAM_CODES,
  type SignedOpenBadgeCredential,
} from '@certify-vc/context'
import {
  generateIssuerKey,
  issueCredential,
  openSqliteRegistry,
  type IssuerKey,
  type StatusRegistry,
} from '@certify-vc/issuer'
import { errorsAgainstOfficial, errorsAgainstOurs, pathsOf, type SchemaError } from './schemas.js'

const BASE = 'https://production-ai.institute/status'
const DELETE = Symbol('delete')
const LEARNER_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'

const dir = mkdtempSync(join(tmpdir(), 'certify-vc-ob-schema-'))
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

const errorsOf = errorsAgainstOurs

/** The proof(s) as an array: the uncompacted form 1EdTech's schema requires. */
const uncompacted = <T extends { proof?: unknown }>(vc: T): T =>
  vc.proof === undefined || Array.isArray(vc.proof) ? vc : { ...vc, proof: [vc.proof] }

// 1EdTech's schema on our credentials, with the single-object proof our issuer writes (a
// compacted form the spec allows, serialization.md "Compacted document form"):
const PROOF_NOT_ARRAY: SchemaError = {
  instancePath: '/proof',
  keyword: 'type',
  params: { type: 'array' },
}
// and, for VC 1.1 credentials, the two errors of a file that covers only the VC 2.0 edition:
const VC11_EDITION: SchemaError[] = [
  { instancePath: '', keyword: 'required', params: { missingProperty: 'validFrom' } },
  {
    instancePath: '/@context/0',
    keyword: 'enum',
    params: { allowedValues: ['https://www.w3.org/ns/credentials/v2'] },
  },
]
const STATUS_ARRAY: SchemaError = {
  instancePath: '/credentialStatus',
  keyword: 'type',
  params: { type: 'object' },
}

type Variant = {
  label: string
  recipient: { name?: string; did?: string; email?: string }
  format: 'vc2' | 'vc1.1'
  suspension: boolean
}

const VARIANTS: Variant[] = []
for (const format of ['vc2', 'vc1.1'] as const) {
  for (const [who, recipient] of [
    ['did subject', { name: 'Ada Lovelace', did: LEARNER_DID }],
    ['email-only subject', { email: 'ada@example.org' }],
    ['name-only subject', { name: 'Ada Lovelace' }],
  ] as const) {
    for (const suspension of [false, true]) {
      VARIANTS.push({
        label: `${format}, ${who}, ${suspension ? 'revocation + suspension' : 'revocation only'}`,
        recipient,
        format,
        suspension,
      })
    }
  }
}

async function issue(
  program: string,
  variant: Pick<Variant, 'recipient' | 'format' | 'suspension'>,
): Promise<SignedOpenBadgeCredential> {
  return issueCredential({
    program,
    key,
    format: variant.format,
    recipient: variant.recipient,
    status: { registry, baseUrl: BASE, suspension: variant.suspension },
  })
}

describe('every issued credential validates against our OB 3.0 AchievementCredential schema', () => {
  for (const program of PROGRAM_CODES) {
    for (const variant of VARIANTS) {
      it(`${program}, ${variant.label}`, async () => {
        const vc = await issue(program, variant)
        const errors = errorsOf(vc)
        if (!variant.suspension) {
          expect(errors).toEqual([])
          return
        }
        // Documented: OB 3.0 allows one credentialStatus (0..1); the opt-in suspension entry
        // makes it an array of two. That exact violation, and nothing else.
        expect(Array.isArray(vc.credentialStatus)).toBe(true)
        expect(errors).toEqual([
          { instancePath: '/credentialStatus', keyword: 'type', params: { type: 'object' } },
        ])
        const [revocation] = vc.credentialStatus as object[]
        expect(errorsOf({ ...vc, credentialStatus: revocation })).toEqual([])
      })
    }
  }

  it('also without any status entry', async () => {
    for (const format of ['vc2', 'vc1.1'] as const) {
      const vc = await issueCredential({
        program: 'AIMA',
        key,
        format,
        recipient: { name: 'Ada Lovelace', did: LEARNER_DID },
      })
      expect(errorsOf(vc)).toEqual([])
    }
  })
})

describe("1EdTech's schema (vendor/achievementcredential.json) on every issued credential", () => {
  // It renders the VC 2.0 edition in its uncompacted form: our single-object proof is the one
  // difference on VC 2.0 credentials; VC 1.1 credentials also fail its VC 2.0 context and date.
  for (const program of PROGRAM_CODES) {
    for (const variant of VARIANTS) {
      it(`${program}, ${variant.label}`, async () => {
        const vc = await issue(program, variant)
        const status = variant.suspension ? [STATUS_ARRAY] : []
        const edition = variant.format === 'vc1.1' ? VC11_EDITION : []
        expect(errorsAgainstOfficial(vc)).toEqual(
          expect.arrayContaining([...edition, PROOF_NOT_ARRAY, ...status]),
        )
        expect(errorsAgainstOfficial(vc)).toHaveLength(edition.length + 1 + status.length)
        // With the proof as an array, nothing but the edition and the suspension array remains.
        expect(errorsAgainstOfficial(uncompacted(vc))).toEqual(
          expect.arrayContaining([...edition, ...status]),
        )
        expect(errorsAgainstOfficial(uncompacted(vc))).toHaveLength(edition.length + status.length)
      })
    }
  }
})

describe('credentials carry the display fields wallets show, from the catalog', () => {
  for (const program of PROGRAM_CODES) {
    it(`${program}: name, description, criteria narrative, image, issuer name/url/image`, async () => {
      const entry = CATALOG.programs[program]
      const vc = await issue(program, {
        recipient: { did: LEARNER_DID },
        format: 'vc2',
        suspension: false,
      })
      const { achievement } = vc.credentialSubject
      expect(vc.name).toBe(entry.name)
      expect(achievement).toMatchObject({
        name: entry.name,
        description: entry.description,
        criteria: { narrative: entry.criteriaNarrative },
        image: { id: entry.image, type: 'Image' },
      })
      expect(entry.image).toMatch(
        /^https:\/\/production-ai\.institute\/images\/badges\/[a-z]+\.png$/,
      )
      expect(vc.issuer).toMatchObject({
        type: ['Profile'],
        name: CATALOG.institute.name,
        url: CATALOG.institute.url,
        image: { id: CATALOG.institute.image, type: 'Image' },
      })
    })
  }
})

describe('what OB 3.0 allows, both schemas accept; what it forbids, ours refuses where it is broken', () => {
  let base: SignedOpenBadgeCredential
  beforeAll(async () => {
    // A VC 2.0 credential, proof as an array: valid against both schemas as it stands.
    base = uncompacted(
      await issue('CAAE', {
        recipient: { name: 'Ada Lovelace', did: LEARNER_DID },
        format: 'vc2',
        suspension: false,
      }),
    )
  })
  /** A copy of `doc` with `[JSON Pointer, value | DELETE]` edits applied. */
  const edit = (doc: object, ...edits: [string, unknown][]): unknown => {
    const copy = structuredClone(doc) as Record<string, unknown>
    for (const [path, value] of edits) {
      const parts = path.split('/').slice(1)
      const last = parts.pop() ?? ''
      let node = copy
      for (const part of parts) node = node[part] as Record<string, unknown>
      if (value === DELETE) delete node[last]
      else node[last] = value
    }
    return copy
  }
  const mutate = (...edits: [string, unknown][]): unknown => edit(base, ...edits)
  const paths = (doc: unknown) => pathsOf(errorsOf(doc))

  it('the base credential is valid against both', () => {
    expect(errorsOf(base)).toEqual([])
    expect(errorsAgainstOfficial(base)).toEqual([])
  })

  // docs/ob-v3p0-data-model.md: VerifiableCredential.issuer is a ProfileRef, "Either a URI with
  // the Unique URI for the Issuer/Profile file, or a Profile object MUST be supplied."
  it('a VC 2.0 credential whose issuer is a URI (string) validates', () => {
    const doc = mutate(['/issuer', key.did])
    expect(errorsOf(doc)).toEqual([])
    expect(errorsAgainstOfficial(doc)).toEqual([])
  })

  // AchievementCredential.name is [0..1] (it was [1] before 1EdTech made it optional in 2024).
  it('a VC 2.0 credential without a name validates', () => {
    const doc = mutate(['/name', DELETE])
    expect(errorsOf(doc)).toEqual([])
    expect(errorsAgainstOfficial(doc)).toEqual([])
  })

  it('a VC 2.0 credential with a URI issuer and no name validates', () => {
    const doc = mutate(['/issuer', key.did], ['/name', DELETE])
    expect(errorsOf(doc)).toEqual([])
    expect(errorsAgainstOfficial(doc)).toEqual([])
  })

  // Criteria: "Implementations SHOULD provide, at least, one of the `id` or `narrative` fields."
  // A SHOULD, so an empty Criteria object conforms (this schema used to refuse it).
  it('criteria without id or narrative validates (the spec says SHOULD, not MUST)', () => {
    const doc = mutate(['/credentialSubject/achievement/criteria', {}])
    expect(errorsOf(doc)).toEqual([])
    expect(errorsAgainstOfficial(doc)).toEqual([])
  })

  it('a single-object proof (compacted form) validates against ours only', () => {
    const doc = mutate(['/proof', (base.proof as unknown[])[0]])
    expect(errorsOf(doc)).toEqual([])
    expect(errorsAgainstOfficial(doc)).toEqual([PROOF_NOT_ARRAY])
  })

  // The legacy VC 1.1 edition (AchievementCredentialv1p1): name [1], issuer Profilev1p1 [1].
  describe('VC 1.1 edition (AchievementCredentialv1p1)', () => {
    let vc11: SignedOpenBadgeCredential
    beforeAll(async () => {
      vc11 = await issue('CAAE', {
        recipient: { name: 'Ada Lovelace', did: LEARNER_DID },
        format: 'vc1.1',
        suspension: false,
      })
    })
    it('name is required', () => {
      expect(paths(edit(vc11, ['/name', DELETE]))).toEqual([':required', ':if'])
    })
    it('the issuer must be a Profile object, not a URI', () => {
      expect(paths(edit(vc11, ['/issuer', key.did]))).toEqual(['/issuer:type', ':if'])
    })
  })

  // Each row: what is broken, the edit, where our schema fails, and where 1EdTech's fails (null
  // where it does not check that rule). Every row is a MUST of the data model or its prose.
  it.each([
    ['no credentialSubject', '/credentialSubject', DELETE, ':required', ':required'],
    [
      'credentialSubject is an array',
      '/credentialSubject',
      [{}],
      '/credentialSubject:type',
      '/credentialSubject:type',
    ],
    [
      'no achievement',
      '/credentialSubject/achievement',
      DELETE,
      '/credentialSubject:required',
      '/credentialSubject:required',
    ],
    [
      'no achievement criteria',
      '/credentialSubject/achievement/criteria',
      DELETE,
      '/credentialSubject/achievement:required',
      '/credentialSubject/achievement:required',
    ],
    [
      'no achievement name',
      '/credentialSubject/achievement/name',
      DELETE,
      '/credentialSubject/achievement:required',
      '/credentialSubject/achievement:required',
    ],
    [
      'no achievement description',
      '/credentialSubject/achievement/description',
      DELETE,
      '/credentialSubject/achievement:required',
      '/credentialSubject/achievement:required',
    ],
    [
      'no achievement id',
      '/credentialSubject/achievement/id',
      DELETE,
      '/credentialSubject/achievement:required',
      '/credentialSubject/achievement:required',
    ],
    [
      'achievement type without Achievement',
      '/credentialSubject/achievement/type',
      ['Thing'],
      '/credentialSubject/achievement/type:contains',
      '/credentialSubject/achievement/type:contains',
    ],
    ['no credential id', '/id', DELETE, ':required', ':required'],
    ['no issuer', '/issuer', DELETE, ':required', ':required'],
    ['issuer Profile without type', '/issuer/type', DELETE, '/issuer:required', '/issuer:required'],
    ['issuer Profile without id', '/issuer/id', DELETE, '/issuer:required', '/issuer:required'],
    ['issuer neither a string nor an object', '/issuer', 42, '/issuer:oneOf', '/issuer:oneOf'],
    [
      'type without OpenBadgeCredential',
      '/type',
      ['VerifiableCredential'],
      '/type:minItems',
      '/type:contains',
    ],
    ['no validFrom (VC 2.0)', '/validFrom', DELETE, ':required', ':required'],
    [
      'date without a time zone',
      '/validFrom',
      '2026-11-29T12:00:00',
      '/validFrom:pattern',
      '/validFrom:format',
    ],
    [
      'OB context missing',
      '/@context',
      [CONTEXT_URLS.credentialsV2, CERTIFY_CONTEXT_URL],
      '/@context/1:pattern',
      '/@context/1:pattern',
    ],
    [
      'only one context',
      '/@context',
      [CONTEXT_URLS.credentialsV2],
      '/@context:minItems',
      '/@context:minItems',
    ],
    [
      'two credentialStatus entries',
      '/credentialStatus',
      [{}, {}],
      '/credentialStatus:type',
      '/credentialStatus:type',
    ],
    [
      'credentialStatus without id',
      '/credentialStatus/id',
      DELETE,
      '/credentialStatus:required',
      '/credentialStatus:required',
    ],
    [
      'image without type',
      '/credentialSubject/achievement/image/type',
      DELETE,
      '/credentialSubject/achievement/image:required',
      '/credentialSubject/achievement/image:required',
    ],
    [
      'image with an extra property',
      '/issuer/image/width',
      10,
      '/issuer/image:additionalProperties',
      '/issuer/image:additionalProperties',
    ],
    [
      'alignment as a single object, not an array',
      '/credentialSubject/achievement/alignment',
      { type: ['Alignment'], targetName: 'x', targetUrl: 'https://example.org/x' },
      '/credentialSubject/achievement/alignment:type',
      '/credentialSubject/achievement/alignment:type',
    ],
    [
      'alignment without targetUrl',
      '/credentialSubject/achievement/alignment',
      [{ type: ['Alignment'], targetName: 'x' }],
      '/credentialSubject/achievement/alignment/0:required',
      '/credentialSubject/achievement/alignment/0:required',
    ],
    [
      'evidence without type',
      '/evidence',
      [{ id: 'https://example.org/e' }],
      '/evidence/0:required',
      '/evidence/0:required',
    ],
    [
      'subject without id or identifier',
      '/credentialSubject/id',
      DELETE,
      '/credentialSubject:required',
      null,
    ],
  ] as [string, string, unknown, string, string | null][])(
    '%s',
    (_label, path, value, ours, official) => {
      const doc = mutate([path, value])
      expect(paths(doc)).toContain(ours)
      if (official === null) expect(errorsAgainstOfficial(doc)).toEqual([])
      else expect(pathsOf(errorsAgainstOfficial(doc))).toContain(official)
    },
  )

  it('an identity object with an unknown identityType or an unhashed-looking hash fails', () => {
    const bad = mutate(
      ['/credentialSubject/id', DELETE],
      [
        '/credentialSubject/identifier',
        [
          {
            type: 'IdentityObject',
            identityType: 'email',
            hashed: true,
            identityHash: 'ada@example.org',
          },
        ],
      ],
    )
    expect(paths(bad)).toEqual(
      expect.arrayContaining([
        '/credentialSubject/identifier/0/identityType:enum',
        '/credentialSubject/identifier/0/identityHash:pattern',
      ]),
    )
  })
})
