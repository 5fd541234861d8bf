import { parseJsonStrictly, verifyCredential } from '@certify-vc/verifier'
import { describe, expect, it } from 'vitest'
import { readInput, resolveLimits } from '../src/ingress.js'
import { NOW, makeIssuer, signedCredential } from './helpers.js'

const limits = resolveLimits(undefined)
const utf8 = new TextEncoder()

function problemOf(input: unknown, overrides = {}) {
  const r = readInput(input, resolveLimits(overrides))
  if (r.ok) throw new Error('expected a problem')
  expect(r.problems).toHaveLength(1)
  return r.problems[0]
}

describe('readInput: duplicate keys', () => {
  it.each([
    ['top level', '{"a":1,"a":2}', '/a'],
    [
      'nested, with the pointer',
      '{"credentialSubject":{"id":"x","name":"A","name":"B"}}',
      '/credentialSubject/name',
    ],
    ['inside an array', '{"proof":[{"type":"x"},{"type":"y","type":"z"}]}', '/proof/1/type'],
    ['spelled with an escape', '{"id":"urn:a","\\u0069d":"urn:b"}', '/id'],
    ['keys needing pointer escapes', '{"a/b":1,"a/b":2}', '/a~1b'],
  ])('%s', (_name, text, path) => {
    const p = problemOf(text)
    expect(p).toMatchObject({ code: 'ERR_INPUT_DUPLICATE_KEY', path })
    // And the same from UTF-8 bytes.
    expect(problemOf(utf8.encode(text))).toMatchObject({ code: 'ERR_INPUT_DUPLICATE_KEY', path })
  })

  it('found however many keys come before the duplicate (list, then set, and at the switch)', () => {
    for (const before of [0, 1, 15, 16, 17, 40]) {
      for (const dupOf of before === 0 ? [] : [0, Math.floor(before / 2), before - 1]) {
        const keys = Array.from({ length: before }, (_, i) => `k${i}`)
        const text = `{${[...keys, `k${dupOf}`].map((k, i) => `"${k}":${i}`).join(',')}}`
        expect(problemOf(text), `${before} keys, repeat of k${dupOf}`).toMatchObject({
          code: 'ERR_INPUT_DUPLICATE_KEY',
          path: `/k${dupOf}`,
        })
      }
      const distinct = `{${Array.from({ length: before + 1 }, (_, i) => `"k${i}":${i}`).join(',')}}`
      expect(readInput(distinct, limits).ok).toBe(true)
    }
  })

  it('an object with 20,000 distinct keys is read in linear time (no quadratic check)', () => {
    const text = `{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":0`).join(',')}}`
    const wide = resolveLimits({ maxBytes: 1024 * 1024 })
    expect(readInput(text, wide).ok).toBe(true)
    expect(readInput(text.slice(0, -1) + ',"k19999":1}', wide)).toMatchObject({
      ok: false,
      problems: [{ code: 'ERR_INPUT_DUPLICATE_KEY', path: '/k19999' }],
    })
  })

  it('equal keys in different objects are fine', () => {
    expect(readInput('{"a":{"id":1},"b":{"id":2}}', limits)).toEqual({
      ok: true,
      document: { a: { id: 1 }, b: { id: 2 } },
    })
  })
})

describe('readInput: Unicode', () => {
  it.each([
    ['escaped lone high surrogate', '{"name":"\\ud800"}', '/name'],
    ['escaped lone low surrogate', '{"name":"a\\udc00b"}', '/name'],
    ['high surrogate then a letter', '{"x":["\\ud83dA"]}', '/x/0'],
    ['raw lone surrogate', '{"name":"\ud800"}', '/name'],
    ['lone surrogate in a key', '{"\\udfff":1}', ''],
  ])('%s is refused', (_name, text, path) => {
    expect(problemOf(text)).toMatchObject({ code: 'ERR_INPUT_INVALID_UNICODE', path })
  })

  it('a lone surrogate in a parsed value is refused too', () => {
    expect(problemOf({ name: 'a\udc00' })).toMatchObject({
      code: 'ERR_INPUT_INVALID_UNICODE',
      path: '/name',
    })
  })

  it.each([
    ['escaped pair', '{"n":"\\ud83d\\ude00"}'],
    ['raw pair', '{"n":"\ud83d\ude00"}'],
    ['raw high, escaped low', '{"n":"\ud83d\\ude00"}'],
  ])('a surrogate pair is fine (%s)', (_name, text) => {
    expect(readInput(text, limits)).toEqual({ ok: true, document: { n: '😀' } })
  })

  it.each([
    ['invalid byte', [0x7b, 0xff, 0x7d]],
    ['overlong encoding', [0x22, 0xc0, 0xaf, 0x22]],
    ['encoded surrogate (CESU-8)', [0x22, 0xed, 0xa0, 0x80, 0x22]],
    ['truncated sequence', [0x22, 0xe2, 0x82, 0x22]],
  ])('invalid UTF-8 bytes are refused (%s)', (_name, bytes) => {
    expect(problemOf(new Uint8Array(bytes))).toMatchObject({
      code: 'ERR_INPUT_INVALID_UNICODE',
      path: '',
    })
  })
})

describe('readInput: caps', () => {
  it('array length', () => {
    const text = JSON.stringify({ alignment: [{ list: Array.from({ length: 11 }, () => 1) }] })
    expect(problemOf(text, { maxArrayLength: 10 })).toMatchObject({
      code: 'ERR_INPUT_ARRAY_TOO_LONG',
      path: '/alignment/0/list',
    })
    expect(readInput(text, resolveLimits({ maxArrayLength: 11 })).ok).toBe(true)
    const big = JSON.stringify({ x: Array.from({ length: 1001 }, () => 0) })
    expect(problemOf(big)).toMatchObject({ code: 'ERR_INPUT_ARRAY_TOO_LONG', path: '/x' })
  })

  it('string length, for values and keys, counting escapes once', () => {
    expect(problemOf({ a: { b: 'x'.repeat(11) } }, { maxStringLength: 10 })).toMatchObject({
      code: 'ERR_INPUT_STRING_TOO_LONG',
      path: '/a/b',
    })
    expect(problemOf({ a: { ['k'.repeat(11)]: 1 } }, { maxStringLength: 10 })).toMatchObject({
      code: 'ERR_INPUT_STRING_TOO_LONG',
      path: '/a',
    })
    expect(readInput('{"a":"\\u0041\\u0041"}', resolveLimits({ maxStringLength: 2 })).ok).toBe(true)
  })

  it('@context entries', () => {
    const ctx = Array.from({ length: 17 }, (_, i) => `https://example.com/${i}`)
    expect(problemOf({ '@context': ctx })).toMatchObject({
      code: 'ERR_INPUT_TOO_MANY_CONTEXTS',
      path: '/@context',
    })
    expect(problemOf({ a: { '@context': ctx.slice(0, 4) } }, { maxContexts: 3 })).toMatchObject({
      code: 'ERR_INPUT_TOO_MANY_CONTEXTS',
      path: '/a/@context',
    })
    expect(readInput({ '@context': ctx.slice(0, 16) }, limits).ok).toBe(true)
  })

  it('blank nodes: objects without an id, outside @context and value objects', () => {
    const nodes = (n: number) => ({
      id: 'urn:x',
      '@context': [{ a: { '@id': 'urn:a' }, b: {}, c: {} }],
      v: { '@value': 'x' },
      list: Array.from({ length: n }, () => ({ name: 'n' })),
    })
    expect(readInput(nodes(5), resolveLimits({ maxBlankNodes: 5 })).ok).toBe(true)
    expect(problemOf(nodes(6), { maxBlankNodes: 5 })).toMatchObject({
      code: 'ERR_INPUT_TOO_MANY_BLANK_NODES',
      path: '/list/5',
    })
    const many = { id: 'urn:x', a: Array.from({ length: 101 }, () => ({})) }
    expect(problemOf(many)).toMatchObject({ code: 'ERR_INPUT_TOO_MANY_BLANK_NODES' })
  })

  it('depth still reports its pointer', () => {
    expect(problemOf({ a: { b: { c: {} } } }, { maxDepth: 3 })).toMatchObject({
      code: 'ERR_INPUT_TOO_DEEP',
      path: '/a/b/c',
    })
  })
})

describe('readInput: forbidden keys and ids', () => {
  it.each([
    ['@id', '{"@graph":[{"@id":"__proto__"}]}', '/@graph/0/@id'],
    ['id', '{"credentialSubject":{"id":"constructor"}}', '/credentialSubject/id'],
    ['blank node id', '{"a":{"id":"_:prototype"}}', '/a/id'],
    ['escaped', '{"id":"\\u005f_proto__"}', '/id'],
  ])('"%s" naming a prototype property is refused', (_name, text, path) => {
    expect(problemOf(text)).toMatchObject({ code: 'ERR_INPUT_FORBIDDEN_ID', path })
  })

  it('ids inside @context and ordinary ids are fine', () => {
    expect(
      readInput('{"@context":{"id":"@id"},"id":"urn:uuid:1","name":"__proto__"}', limits).ok,
    ).toBe(true)
  })

  it('forbidden keys carry their pointer', () => {
    expect(problemOf('{"a":[{"__proto__":{}}]}')).toMatchObject({
      code: 'ERR_INPUT_FORBIDDEN_KEY',
      path: '/a/0/__proto__',
    })
  })
})

describe('readInput: syntax', () => {
  it.each(['{"a":', '{"a" 1}', '[1,]', '{"a":1}x', "{'a':1}", '"\\x"', '', '{"a":"\n"}'])(
    '%j is not JSON',
    (text) => {
      expect(problemOf(text)).toMatchObject({ code: 'ERR_INPUT_NOT_JSON', path: '' })
    },
  )

  it('parses what it accepts exactly like JSON.parse', () => {
    const text = ' { "a" : [ 1, -2.5e3, true, false, null, "\\"\\\\\\/\\b\\f\\n\\r\\t" ] } '
    expect(readInput(text, limits)).toEqual({ ok: true, document: JSON.parse(text) as unknown })
  })
})

describe('verifyCredential: ingress', () => {
  it('refuses a signed credential re-serialised with a duplicate key, at the input check', async () => {
    const issuer = await makeIssuer(1)
    const vc = await signedCredential(issuer)
    const text = JSON.stringify(vc).replace(
      '"name":"Ada Lovelace"',
      '"name":"Ada Lovelace","name":"Mallory"',
    )
    expect(text).toContain('"Mallory"')
    const r = await verifyCredential(text, { trustedIssuers: [issuer.did], now: NOW })
    expect(r.verified).toBe(false)
    expect(r.checks[0]).toMatchObject({ id: 'input', outcome: 'failed' })
    expect(r.problems).toEqual([
      expect.objectContaining({ code: 'ERR_INPUT_DUPLICATE_KEY', path: '/credentialSubject/name' }),
    ])
    expect(r.checks.slice(1).every((c) => c.outcome === 'skipped')).toBe(true)
  })

  it('the limits are options, checked for sense', async () => {
    const issuer = await makeIssuer(1)
    const vc = await signedCredential(issuer)
    const r = await verifyCredential(vc, {
      trustedIssuers: [issuer.did],
      now: NOW,
      limits: { maxContexts: 2 },
    })
    expect(r.problems).toEqual([
      expect.objectContaining({ code: 'ERR_INPUT_TOO_MANY_CONTEXTS', path: '/@context' }),
    ])
    for (const bad of [
      { maxArrayLength: 0 },
      { maxStringLength: 1.5 },
      { maxContexts: -1 },
      { maxBlankNodes: Number.NaN },
      { maxProofs: 0 },
      { maxWorkFactor: 4 },
      { canonicalizationTimeoutMs: 0 },
    ]) {
      await expect(verifyCredential(vc, { trustedIssuers: [], limits: bad })).rejects.toThrow(
        TypeError,
      )
    }
  })
})

describe('unsigned empty members and the byte order mark', () => {
  it('a null or empty-array member added to a signed credential is refused (JSON-LD drops it)', async () => {
    const issuer = await makeIssuer(1)
    const options = { trustedIssuers: [issuer.did], now: NOW }
    const vc = await signedCredential(issuer)
    const withNull = structuredClone(vc)
    ;(withNull.credentialSubject as Record<string, unknown>).description = null
    const r1 = await verifyCredential(withNull, options)
    expect(r1.verified).toBe(false)
    expect(r1.checks.find((c) => c.id === 'structure')?.problems).toEqual([
      expect.objectContaining({
        code: 'ERR_STRUCTURE_INVALID',
        path: '/credentialSubject/description',
      }),
    ])
    const withEmpty = structuredClone(vc)
    withEmpty.evidence = []
    expect((await verifyCredential(withEmpty, options)).problems).toEqual([
      expect.objectContaining({ code: 'ERR_STRUCTURE_INVALID', path: '/evidence' }),
    ])
  })

  it('a leading BOM is ignored in text as it is in bytes', async () => {
    const issuer = await makeIssuer(1)
    const options = { trustedIssuers: [issuer.did], now: NOW }
    const text = '\ufeff' + JSON.stringify(await signedCredential(issuer))
    expect((await verifyCredential(text, options)).verified).toBe(true)
    expect((await verifyCredential(utf8.encode(text), options)).verified).toBe(true)
    expect(problemOf('\ufeff\ufeff{}')).toMatchObject({ code: 'ERR_INPUT_NOT_JSON' })
  })
})

describe('readInput: credentials embedded in a presentation', () => {
  // A credential nested to exactly maxDepth: accepted alone, so accepted inside a presentation
  // (where it starts two levels down), and refused in both places one level deeper.
  const nested = (levels: number): Record<string, unknown> => {
    let value: Record<string, unknown> = {}
    for (let i = 1; i < levels; i++) value = { id: `urn:l${i}`, n: value }
    return { id: 'urn:vc', ...value }
  }
  const presentation = (vc: unknown) => ({
    type: 'VerifiablePresentation',
    verifiableCredential: [vc],
  })
  const perCredential = { perCredentialBlankNodes: true }

  it('count their depth from their own root', () => {
    const limits3 = resolveLimits({ maxDepth: 3 })
    expect(readInput(nested(3), limits3).ok).toBe(true)
    expect(readInput(presentation(nested(3)), limits3, perCredential).ok).toBe(true)
    const tooDeep = readInput(presentation(nested(4)), limits3, perCredential)
    expect(tooDeep.ok).toBe(false)
    if (!tooDeep.ok) {
      expect(tooDeep.problems[0]).toMatchObject({
        code: 'ERR_INPUT_TOO_DEEP',
        path: '/verifiableCredential/0/n/n/n',
      })
    }
    expect(problemOf(nested(4), { maxDepth: 3 })).toMatchObject({ code: 'ERR_INPUT_TOO_DEEP' })
  })

  it('the envelope itself keeps the limit, outside the credentials', () => {
    const deepEnvelope = { type: 'VerifiablePresentation', extra: { a: { b: {} } } }
    expect(readInput(deepEnvelope, resolveLimits({ maxDepth: 3 }), perCredential)).toMatchObject({
      ok: false,
      problems: [{ code: 'ERR_INPUT_TOO_DEEP', path: '/extra/a/b' }],
    })
  })
})

describe('parseJsonStrictly', () => {
  it('refuses what the verifier refuses, with its codes', () => {
    expect(parseJsonStrictly('{"a":1,"a":2}', { maxBytes: 1000, maxDepth: 8 })).toMatchObject({
      ok: false,
      problems: [{ code: 'ERR_INPUT_DUPLICATE_KEY', path: '/a' }],
    })
    expect(parseJsonStrictly('{"constructor":{}}', { maxBytes: 1000, maxDepth: 8 })).toMatchObject({
      ok: false,
      problems: [{ code: 'ERR_INPUT_FORBIDDEN_KEY' }],
    })
    expect(parseJsonStrictly('[[[]]]', { maxBytes: 1000, maxDepth: 2 })).toMatchObject({
      ok: false,
      problems: [{ code: 'ERR_INPUT_TOO_DEEP' }],
    })
    expect(parseJsonStrictly('{"a":', { maxBytes: 1000, maxDepth: 8 })).toMatchObject({
      ok: false,
      problems: [{ code: 'ERR_INPUT_NOT_JSON' }],
    })
    expect(parseJsonStrictly('"x"', { maxBytes: 2, maxDepth: 8 })).toMatchObject({
      ok: false,
      problems: [{ code: 'ERR_INPUT_TOO_LARGE' }],
    })
  })

  it('applies no JSON-LD limit (contexts, blank nodes): those are per credential', () => {
    const text = JSON.stringify({
      '@context': Array.from({ length: 40 }, (_, i) => `urn:c${i}`),
      items: Array.from({ length: 500 }, () => ({})),
    })
    const read = parseJsonStrictly(text, { maxBytes: 100_000, maxDepth: 8 })
    expect(read.ok).toBe(true)
  })
})
