/**
 * Open Badges 3.0 conformance: every credential our issuer produces validates against the
 * AchievementCredential JSON Schema (Draft 2019-09, ajv's 2019 build) that this project wrote
 * from the OB 3.0 data model (see the schema's $comment and README.md here), and carries the
 * display fields wallets show. The one known violation, the opt-in suspension entry making
 * `credentialStatus` an array where OB allows one object, is asserted exactly.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js'
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

const SCHEMA = JSON.parse(
  readFileSync(new URL('./ob-v3p0-achievementcredential.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>
const BASE = 'https://production-ai.institute/status'
const DELETE = Symbol('delete')
const LEARNER_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'

const dir = mkdtempSync(join(tmpdir(), 'certify-vc-ob-schema-'))
let key: IssuerKey
let registry: StatusRegistry
let validate: ValidateFunction

beforeAll(async () => {
  key = await generateIssuerKey()
  registry = await openSqliteRegistry(join(dir, 'registry.sqlite'))
  // Strict, except: strictTuples (@context is an open tuple: VC context, OB context, then more)
  // and strictRequired (conditional `required` lists name properties declared at the top).
  const ajv = new Ajv2019({
    allErrors: true,
    strict: true,
    strictTuples: false,
    strictRequired: false,
  })
  validate = ajv.compile(SCHEMA)
})
afterAll(async () => {
  await registry.close()
  rmSync(dir, { recursive: true, force: true })
})

function errorsOf(document: unknown): Pick<ErrorObject, 'instancePath' | 'keyword' | 'params'>[] {
  const valid = validate(document)
  const errors = (validate.errors ?? []).map(({ instancePath, keyword, params }) => ({
    instancePath,
    keyword,
    params,
  }))
  expect(valid).toBe(errors.length === 0)
  return errors
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

describe('every issued credential validates against the OB 3.0 AchievementCredential schema', () => {
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

describe('the schema is not vacuous: each broken credential fails where it is broken', () => {
  let base: SignedOpenBadgeCredential
  beforeAll(async () => {
    base = await issue('CAAE', {
      recipient: { name: 'Ada Lovelace', did: LEARNER_DID },
      format: 'vc2',
      suspension: false,
    })
  })
  /** A copy of the base credential with `[JSON Pointer, value | DELETE]` edits applied. */
  const mutate = (...edits: [string, unknown][]): unknown => {
    const copy = structuredClone(base) as unknown as Record<string, unknown>
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
  const paths = (doc: unknown) => [
    ...new Set(errorsOf(doc).map((e) => `${e.instancePath}:${e.keyword}`)),
  ]

  it.each([
    [
      'no achievement criteria',
      '/credentialSubject/achievement/criteria',
      DELETE,
      '/credentialSubject/achievement:required',
    ],
    [
      'criteria without id or narrative',
      '/credentialSubject/achievement/criteria',
      {},
      '/credentialSubject/achievement/criteria:required',
    ],
    [
      'no achievement description',
      '/credentialSubject/achievement/description',
      DELETE,
      '/credentialSubject/achievement:required',
    ],
    [
      'image without type',
      '/credentialSubject/achievement/image/type',
      DELETE,
      '/credentialSubject/achievement/image:required',
    ],
    [
      'image with an extra property',
      '/issuer/image/width',
      10,
      '/issuer/image:additionalProperties',
    ],
    ['type without OpenBadgeCredential', '/type', ['VerifiableCredential'], '/type:minItems'],
    [
      'subject without id or identifier',
      '/credentialSubject/id',
      DELETE,
      '/credentialSubject:required',
    ],
    ['no validFrom (VC 2.0)', '/validFrom', DELETE, ':required'],
    ['date without a time zone', '/validFrom', '2026-11-29T12:00:00', '/validFrom:pattern'],
    ['issuer Profile without type', '/issuer/type', DELETE, '/issuer:required'],
    [
      'OB context missing',
      '/@context',
      [CONTEXT_URLS.credentialsV2, CERTIFY_CONTEXT_URL],
      '/@context/1:pattern',
    ],
  ] as [string, string, unknown, string][])('%s', (_label, path, value, expected) => {
    expect(paths(mutate([path, value]))).toContain(expected)
  })

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
