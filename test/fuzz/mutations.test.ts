/**
 * Random mutations of valid signed credentials never verify, unless the mutation is one of the
 * semantically neutral kinds this file models explicitly:
 * - reordering the keys of an object (JSON objects are unordered; the signature is over RDF);
 * - reordering an array other than `@context` (JSON-LD arrays are sets unless `@list`);
 * - wrapping a single value in a one-item array (JSON-LD reads `"x"` and `["x"]` alike);
 * - adding a member whose value is `null`, `[]` or arrays of those (JSON-LD drops them: no
 *   triple is added, so the signed graph is unchanged).
 * A neutral mutation may verify or not (the structure check reads JSON); every other mutation —
 * changing, deleting or adding a value at any path, changing a value's JSON type, reordering
 * `@context` — must leave `verified` false.
 */
import { verifyCredential, verifyPresentation } from '@certify-vc/verifier'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { readJsonFixture } from '../attacks/run-fixture.js'
import { SEED, expectWellFormed, params, timeout } from './fuzz-helpers.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Path = (string | number)[]

const NOW = new Date('2026-11-29T12:00:00Z')
const FIXTURES = ['A00-valid-aida.pass.json', 'A00-valid-aida-vc11.pass.json']
let valid: { doc: Json; trusted: string }[] = []
let presentation: Json

beforeAll(() => {
  presentation = readJsonFixture('F00-valid-presentation.pass.json') as Json
  valid = FIXTURES.map((file) => {
    const doc = readJsonFixture(file) as Json
    const issuer = (doc as { issuer: { id: string } }).issuer.id
    return { doc, trusted: issuer }
  })
})

/** Every path in `doc` (containers and leaves), `[]` excluded. */
function paths(doc: Json, prefix: Path = []): Path[] {
  const out: Path[] = []
  if (Array.isArray(doc)) {
    doc.forEach((v, i) => {
      out.push([...prefix, i], ...paths(v, [...prefix, i]))
    })
  } else if (doc !== null && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) out.push([...prefix, k], ...paths(v, [...prefix, k]))
  }
  return out
}

function get(doc: Json, path: Path): Json {
  let cur: Json = doc
  for (const k of path) cur = (cur as Record<string | number, Json>)[k] as Json
  return cur
}

function parentOf(doc: Json, path: Path): Record<string | number, Json> {
  return get(doc, path.slice(0, -1)) as Record<string | number, Json>
}

type Mutation =
  | { kind: 'replace'; path: Path; value: Json }
  | { kind: 'delete'; path: Path }
  | { kind: 'add'; path: Path; key: string; value: Json }
  | { kind: 'retype'; path: Path; to: 'number' | 'string' | 'object' | 'boolean' | 'null' }
  | { kind: 'reorder-keys'; path: Path; seed: number }
  | { kind: 'reorder-array'; path: Path; seed: number }
  | { kind: 'wrap'; path: Path }

/** Explicitly neutral kinds (may verify); the property allows either outcome for them. */
/** JSON-LD expands `null`, `[]` and arrays of only those to nothing. */
function expandsToNothing(value: Json): boolean {
  return value === null || (Array.isArray(value) && value.every(expandsToNothing))
}

function isNeutral(m: Mutation, doc: Json): boolean {
  if (m.kind === 'reorder-keys' || m.kind === 'wrap') return true
  if (m.kind === 'add') return expandsToNothing(m.value)
  if (m.kind === 'reorder-array') return !m.path.includes('@context')
  if (m.kind === 'replace' || m.kind === 'retype') {
    const before = get(doc, m.path)
    const after = m.kind === 'replace' ? m.value : retyped(before, m.to)
    return JSON.stringify(before) === JSON.stringify(after)
  }
  return false
}

function retyped(value: Json, to: 'number' | 'string' | 'object' | 'boolean' | 'null'): Json {
  switch (to) {
    case 'number':
      return typeof value === 'number' ? value + 1 : 42
    case 'string':
      return typeof value === 'string' ? value + ' ' : JSON.stringify(value)
    case 'object':
      return { value }
    case 'boolean':
      return typeof value === 'boolean' ? !value : true
    case 'null':
      return null
  }
}

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items]
  let s = seed >>> 0 || 1
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  // A shuffle that changes nothing is not a reordering: rotate instead.
  if (JSON.stringify(out) === JSON.stringify(items) && out.length > 1) out.push(out.shift() as T)
  return out
}

function apply(doc: Json, m: Mutation): Json {
  const copy = structuredClone(doc)
  const parent = m.path.length === 0 ? undefined : parentOf(copy, m.path)
  const last = m.path[m.path.length - 1] as string | number
  switch (m.kind) {
    case 'replace':
      ;(parent as Record<string | number, Json>)[last] = m.value
      break
    case 'retype':
      ;(parent as Record<string | number, Json>)[last] = retyped(get(copy, m.path), m.to)
      break
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last as number, 1)
      else delete (parent as Record<string, Json>)[last]
      break
    case 'add': {
      const target = get(copy, m.path) as Record<string, Json>
      target[m.key] = m.value
      break
    }
    case 'reorder-keys': {
      const target = get(copy, m.path) as Record<string, Json>
      const entries = shuffle(Object.entries(target), m.seed)
      for (const k of Object.keys(target)) delete target[k]
      for (const [k, v] of entries) target[k] = v
      break
    }
    case 'reorder-array': {
      const target = get(copy, m.path) as Json[]
      const reordered = shuffle(target, m.seed)
      target.splice(0, target.length, ...reordered)
      break
    }
    case 'wrap':
      ;(parent as Record<string | number, Json>)[last] = [get(copy, m.path)]
      break
  }
  return copy
}

/** Terms the contexts define, so that added keys are not all refused as undefined terms. */
const KNOWN_TERMS = [
  'description',
  'name',
  'tag',
  'humanCode',
  'image',
  'url',
  'email',
  'evidence',
  'awardedDate',
  'narrative',
  'id',
  'type',
  'result',
  'creator',
  'version',
  'inLanguage',
]

const leafValue: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.webUrl(),
  fc.constant('did:key:z6MkqGC3nWZhYieEVTVDKW5v588CiGfsDSmRVG9ZwwWTvLSK'),
  fc
    .date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') })
    .map((d) => d.toISOString().replace('.000', '')),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
)

function mutation(doc: Json): fc.Arbitrary<Mutation> {
  const all = paths(doc)
  const objects = [[] as Path, ...all].filter((p) => {
    const v = get(doc, p)
    return v !== null && typeof v === 'object' && !Array.isArray(v)
  })
  const arrays = all.filter((p) => Array.isArray(get(doc, p)) && (get(doc, p) as Json[]).length > 1)
  const singles = all.filter(
    (p) => !Array.isArray(get(doc, p)) && typeof p[p.length - 1] === 'string',
  )
  const path = fc.constantFrom(...all)
  const kinds: fc.Arbitrary<Mutation>[] = [
    fc.record({ kind: fc.constant('replace' as const), path, value: leafValue }),
    fc.record({ kind: fc.constant('delete' as const), path }),
    fc
      .record({
        kind: fc.constant('add' as const),
        path: fc.constantFrom(...objects),
        key: fc.oneof(fc.constantFrom(...KNOWN_TERMS), fc.stringMatching(/^[a-z][a-zA-Z]{0,11}$/)),
        value: leafValue,
      })
      .filter((m) => !Object.hasOwn(get(doc, m.path) as object, m.key)),
    fc.record({
      kind: fc.constant('retype' as const),
      path,
      to: fc.constantFrom(
        'number' as const,
        'string' as const,
        'object' as const,
        'boolean' as const,
        'null' as const,
      ),
    }),
    fc.record({
      kind: fc.constant('reorder-keys' as const),
      path: fc.constantFrom(...objects),
      seed: fc.nat(),
    }),
  ]
  if (arrays.length > 0)
    kinds.push(
      fc.record({
        kind: fc.constant('reorder-array' as const),
        path: fc.constantFrom(...arrays),
        seed: fc.nat(),
      }),
    )
  if (singles.length > 0)
    kinds.push(fc.record({ kind: fc.constant('wrap' as const), path: fc.constantFrom(...singles) }))
  return fc.oneof(...kinds)
}

describe(`fuzz: mutations of valid signed credentials (seed ${SEED})`, () => {
  it('the untouched credentials verify (the property starts from a true positive)', async () => {
    for (const { doc, trusted } of valid) {
      const r = await verifyCredential(doc, { trustedIssuers: [trusted], now: NOW, status: false })
      expect(r.problems).toEqual([])
      expect(r.verified).toBe(true)
    }
  })

  it(
    'no non-neutral mutation at any path verifies; every result is well formed',
    async () => {
      const tally: Record<string, number> = {}
      const arbitrary = fc.integer({ min: 0, max: FIXTURES.length - 1 }).chain((i) => {
        const v = valid[i] as { doc: Json; trusted: string }
        return fc.tuple(fc.constant(v), mutation(v.doc))
      })
      await fc.assert(
        fc.asyncProperty(arbitrary, async ([{ doc, trusted }, m]) => {
          const mutated = apply(doc, m)
          const r = await verifyCredential(mutated, {
            trustedIssuers: [trusted],
            now: NOW,
            status: false,
          })
          expectWellFormed(r, 'credential')
          tally[m.kind] = (tally[m.kind] ?? 0) + 1
          if (!isNeutral(m, doc)) {
            expect(r.verified, `${m.kind} at /${m.path.join('/')} verified`).toBe(false)
          }
        }),
        params(300),
      )
      // Every kind was exercised.
      expect(Object.keys(tally).sort()).toEqual(
        ['add', 'delete', 'reorder-array', 'reorder-keys', 'replace', 'retype', 'wrap'].sort(),
      )
    },
    timeout(),
  )

  it(
    'reordering object keys never changes the outcome (modelled as neutral, and it is)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...FIXTURES.map((_, i) => i)),
          fc.nat(),
          async (i, seed) => {
            const { doc, trusted } = valid[i] as { doc: Json; trusted: string }
            let mutated = doc
            for (const p of [[] as Path, ...paths(doc)]) {
              const v = get(mutated, p)
              if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
                mutated = apply(mutated, { kind: 'reorder-keys', path: p, seed: seed + p.length })
              }
            }
            const r = await verifyCredential(mutated, {
              trustedIssuers: [trusted],
              now: NOW,
              status: false,
            })
            expect(r.problems).toEqual([])
            expect(r.verified).toBe(true)
          },
        ),
        params(50),
      )
    },
    timeout(),
  )

  it(
    'no non-neutral mutation of a signed presentation verifies',
    async () => {
      const trusted = (valid[0] as { trusted: string }).trusted
      const options = {
        trustedIssuers: [trusted],
        now: NOW,
        status: false,
        challenge: 'attack-fixture-challenge-0001',
        domain: 'employer.example',
      } as const
      const untouched = await verifyPresentation(presentation, options)
      expect(untouched.problems).toEqual([])
      expect(untouched.verified).toBe(true)
      await fc.assert(
        fc.asyncProperty(mutation(presentation), async (m) => {
          const r = await verifyPresentation(apply(presentation, m), options)
          expectWellFormed(r, 'presentation')
          if (!isNeutral(m, presentation)) {
            expect(r.verified, `${m.kind} at /${m.path.join('/')} verified`).toBe(false)
          }
        }),
        params(80),
      )
    },
    timeout(),
  )
})
