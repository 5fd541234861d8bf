import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  VC11_MAX_INPUT_BYTES,
  checkVc11Credential,
  checkVc11Presentation,
  runVc11Generator,
} from '../src/vc11-generator.js'
import { makeTempDir, removeTempDir, testIo } from './helpers.js'

/** A VC 1.1 credential as the W3C suite sends them: a foreign issuer, a placeholder proof. */
function credential(): Record<string, unknown> {
  return {
    '@context': [
      'https://www.w3.org/2018/credentials/v1',
      'https://www.w3.org/2018/credentials/examples/v1',
    ],
    id: 'http://example.edu/credentials/1872',
    type: ['VerifiableCredential', 'AlumniCredential'],
    issuer: 'https://example.edu/issuers/565049',
    issuanceDate: '2010-01-01T19:23:24Z',
    credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', alumniOf: 'Example U' },
    proof: { type: 'RsaSignature2018' },
  }
}

function presentation(): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/2018/credentials/v1'],
    id: 'urn:uuid:3978344f-8596-4c3a-a978-8fcaba3903c5',
    type: ['VerifiablePresentation'],
    holder: 'did:example:ebfeb1f712ebc6f1c276e12ec21',
    verifiableCredential: [credential()],
    proof: [{ type: 'RsaSignature2018' }],
  }
}

function codes(problems: readonly { code: string; path?: string }[]): string[] {
  return problems.map((p) => `${p.code} ${p.path ?? ''}`)
}

describe('checkVc11Credential', () => {
  it('accepts a VC 1.1 credential from any issuer, with the optional members', () => {
    expect(checkVc11Credential(credential())).toEqual([])
    const full = {
      ...credential(),
      '@context': [
        'https://www.w3.org/2018/credentials/v1',
        { image: { '@id': 'schema:image', '@type': '@id' } },
      ],
      issuer: { id: 'did:example:76e12ec712ebc6f1c221ebfeb1f', name: 'Example U' },
      issuanceDate: '2010-01-01T19:23:24+02:00',
      expirationDate: '2030-01-01T19:23:24Z',
      credentialSubject: [{ id: 'did:example:a' }, { name: 'no id is fine' }],
      credentialStatus: { id: 'https://example.edu/status/24', type: 'CredentialStatusList2017' },
      credentialSchema: [
        { id: 'https://example.org/degree.json', type: 'JsonSchemaValidator2018' },
      ],
      refreshService: { id: 'https://example.edu/refresh/3732', type: 'ManualRefreshService2018' },
      termsOfUse: [{ type: 'IssuerPolicy' }],
      evidence: [{ id: 'https://example.edu/evidence/1', type: ['DocumentVerification'] }],
      proof: [{ type: 'RsaSignature2018' }, { type: 'Ed25519Signature2020' }],
    }
    expect(checkVc11Credential(full)).toEqual([])
  })

  it.each([
    ['no @context', { '@context': undefined }, 'ERR_CONTEXT_ORDER /@context'],
    ['empty @context', { '@context': [] }, 'ERR_CONTEXT_ORDER /@context'],
    [
      'wrong first context',
      {
        '@context': [
          'https://www.w3.org/2018/credentials/examples/v1',
          'https://www.w3.org/2018/credentials/v1',
        ],
      },
      'ERR_CONTEXT_ORDER /@context/0',
    ],
    [
      'VC 2.0 first context',
      { '@context': ['https://www.w3.org/ns/credentials/v2'] },
      'ERR_CONTEXT_ORDER /@context/0',
    ],
    [
      'a context that is neither URI nor object',
      { '@context': ['https://www.w3.org/2018/credentials/v1', 42] },
      'ERR_STRUCTURE_INVALID /@context/1',
    ],
    ['two ids', { id: ['http://a.example/1', 'http://a.example/2'] }, 'ERR_STRUCTURE_INVALID /id'],
    ['a relative id', { id: 'credentials/1' }, 'ERR_STRUCTURE_RELATIVE_IRI /id'],
    ['empty type', { type: [] }, 'ERR_STRUCTURE_INVALID /type'],
    ['no type', { type: undefined }, 'ERR_STRUCTURE_INVALID /type'],
    [
      'type without VerifiableCredential',
      { type: ['AlumniCredential'] },
      'ERR_STRUCTURE_INVALID /type',
    ],
    [
      'no credentialSubject',
      { credentialSubject: undefined },
      'ERR_STRUCTURE_INVALID /credentialSubject',
    ],
    [
      'empty credentialSubject',
      { credentialSubject: [] },
      'ERR_STRUCTURE_INVALID /credentialSubject',
    ],
    [
      'a credentialSubject that is a string',
      { credentialSubject: 'did:example:a' },
      'ERR_STRUCTURE_INVALID /credentialSubject',
    ],
    [
      'a relative subject id',
      { credentialSubject: [{ id: 'did:example:a' }, { id: 'me' }] },
      'ERR_STRUCTURE_RELATIVE_IRI /credentialSubject/1/id',
    ],
    ['no issuer', { issuer: undefined }, 'ERR_STRUCTURE_INVALID /issuer'],
    ['issuer not a URI', { issuer: 'example' }, 'ERR_STRUCTURE_RELATIVE_IRI /issuer'],
    [
      'two issuers',
      { issuer: ['https://example.edu/issuers/1', 'https://example.edu/issuers/2'] },
      'ERR_STRUCTURE_INVALID /issuer',
    ],
    [
      'issuer object without id',
      { issuer: { name: 'U' } },
      'ERR_STRUCTURE_RELATIVE_IRI /issuer/id',
    ],
    ['no issuanceDate', { issuanceDate: undefined }, 'ERR_STRUCTURE_INVALID /issuanceDate'],
    [
      'issuanceDate not RFC 3339',
      { issuanceDate: '01/01/2010' },
      'ERR_STRUCTURE_DATE_INVALID /issuanceDate',
    ],
    [
      'issuanceDate without time zone',
      { issuanceDate: '2010-01-01T19:23:24' },
      'ERR_STRUCTURE_DATE_INVALID /issuanceDate',
    ],
    [
      'two issuanceDates',
      { issuanceDate: ['2010-01-01T19:23:24Z', '2011-01-01T19:23:24Z'] },
      'ERR_STRUCTURE_DATE_INVALID /issuanceDate',
    ],
    [
      'expirationDate not RFC 3339',
      { expirationDate: '2020' },
      'ERR_STRUCTURE_DATE_INVALID /expirationDate',
    ],
    [
      'two expirationDates',
      { expirationDate: ['2020-01-01T19:23:24Z', '2021-01-01T19:23:24Z'] },
      'ERR_STRUCTURE_DATE_INVALID /expirationDate',
    ],
    [
      'credentialStatus without id',
      { credentialStatus: { type: 'CredentialStatusList2017' } },
      'ERR_STRUCTURE_INVALID /credentialStatus/id',
    ],
    [
      'credentialStatus without type',
      { credentialStatus: { id: 'https://example.edu/status/24' } },
      'ERR_STRUCTURE_INVALID /credentialStatus/type',
    ],
    [
      'credentialSchema without type',
      { credentialSchema: [{ id: 'https://example.org/degree.json' }] },
      'ERR_STRUCTURE_INVALID /credentialSchema/0/type',
    ],
    [
      'credentialSchema with a relative id',
      { credentialSchema: { id: 'degree.json', type: 'JsonSchemaValidator2018' } },
      'ERR_STRUCTURE_RELATIVE_IRI /credentialSchema/id',
    ],
    [
      'refreshService without id',
      { refreshService: { type: 'ManualRefreshService2018' } },
      'ERR_STRUCTURE_INVALID /refreshService/id',
    ],
    [
      'termsOfUse without type',
      { termsOfUse: [{ id: 'http://example.com/p/4' }] },
      'ERR_STRUCTURE_INVALID /termsOfUse/0/type',
    ],
    [
      'evidence that is a string',
      { evidence: 'DriversLicense' },
      'ERR_STRUCTURE_INVALID /evidence',
    ],
    ['empty evidence', { evidence: [] }, 'ERR_STRUCTURE_INVALID /evidence'],
    [
      'proof without type',
      { proof: { created: '2017-06-18T21:19:10Z' } },
      'ERR_PROOF_MALFORMED /proof/type',
    ],
    ['proof null', { proof: null }, 'ERR_PROOF_MALFORMED /proof'],
    ['proof a string', { proof: ['z3FXQ'] }, 'ERR_PROOF_MALFORMED /proof/0'],
  ])('rejects %s', (_name, change, expected) => {
    const document: Record<string, unknown> = { ...credential(), ...change }
    for (const [key, value] of Object.entries(change)) if (value === undefined) delete document[key]
    expect(codes(checkVc11Credential(document))).toEqual([expected])
  })

  it('rejects what is not an object', () => {
    expect(codes(checkVc11Credential('{"type":"VerifiableCredential"}'))).toEqual([
      'ERR_STRUCTURE_INVALID ',
    ])
    expect(codes(checkVc11Credential([credential()]))).toEqual(['ERR_STRUCTURE_INVALID '])
  })
})

describe('checkVc11Presentation', () => {
  it('accepts a presentation with and without credentials', () => {
    expect(checkVc11Presentation(presentation())).toEqual([])
    const { verifiableCredential: _, ...bare } = presentation()
    expect(checkVc11Presentation(bare)).toEqual([])
  })

  it('rejects a wrong type, a proof without type, a bad holder and a bad embedded credential', () => {
    expect(codes(checkVc11Presentation({ ...presentation(), type: ['VerifiablePreso'] }))).toEqual([
      'ERR_STRUCTURE_INVALID /type',
    ])
    expect(codes(checkVc11Presentation({ ...presentation(), proof: [{}] }))).toEqual([
      'ERR_PROOF_MALFORMED /proof/0/type',
    ])
    expect(codes(checkVc11Presentation({ ...presentation(), holder: 'me' }))).toEqual([
      'ERR_STRUCTURE_RELATIVE_IRI /holder',
    ])
    const { issuer: _, ...noIssuer } = credential()
    expect(
      codes(
        checkVc11Presentation({
          ...presentation(),
          verifiableCredential: [credential(), noIssuer],
        }),
      ),
    ).toEqual(['ERR_STRUCTURE_INVALID /verifiableCredential/1/issuer'])
    expect(
      codes(
        checkVc11Presentation({
          ...presentation(),
          verifiableCredential: 'https://a.example/vc/1',
        }),
      ),
    ).toEqual(['ERR_STRUCTURE_INVALID /verifiableCredential'])
    expect(codes(checkVc11Presentation(null))).toEqual(['ERR_PRESENTATION_INVALID '])
  })
})

describe('runVc11Generator', () => {
  let dir: string
  beforeAll(async () => {
    dir = await makeTempDir()
  })
  afterAll(async () => {
    await removeTempDir(dir)
  })

  async function file(name: string, content: string | Uint8Array): Promise<string> {
    await writeFile(join(dir, name), content)
    return name
  }

  it('echoes a valid credential on stdout with exit 0 and nothing on stderr', async () => {
    const input = credential()
    const io = testIo({ cwd: dir })
    expect(await runVc11Generator([await file('ok.json', JSON.stringify(input))], io)).toBe(0)
    expect(io.err()).toBe('')
    expect(JSON.parse(io.out())).toEqual(input)
  })

  it('reads stdin for -', async () => {
    const io = testIo({ cwd: dir, stdin: JSON.stringify(credential()) })
    expect(await runVc11Generator(['-'], io)).toBe(0)
    expect(JSON.parse(io.out())).toEqual(credential())
  })

  it('echoes a valid presentation with --presentation', async () => {
    const io = testIo({ cwd: dir })
    const name = await file('vp.json', JSON.stringify(presentation()))
    expect(await runVc11Generator(['--presentation', name], io)).toBe(0)
    expect(io.err()).toBe('')
    expect(JSON.parse(io.out())).toEqual(presentation())
  })

  it('checks a presentation as a presentation only with --presentation', async () => {
    const name = await file('vp2.json', JSON.stringify(presentation()))
    const io = testIo({ cwd: dir })
    expect(await runVc11Generator([name], io)).toBe(1)
    expect(io.out()).toBe('')
    expect(io.err()).toContain('ERR_STRUCTURE_INVALID at /type')
  })

  it('reports every problem on stderr with exit 1 and nothing on stdout', async () => {
    const { issuanceDate: _, ...bad }: Record<string, unknown> = {
      ...credential(),
      issuer: 'example',
    }
    const io = testIo({ cwd: dir })
    expect(await runVc11Generator([await file('bad.json', JSON.stringify(bad))], io)).toBe(1)
    expect(io.out()).toBe('')
    expect(io.err().trim().split('\n')).toEqual([
      'vc11-generator: error ERR_STRUCTURE_RELATIVE_IRI at /issuer: "issuer" must be a URI.',
      'vc11-generator: error ERR_STRUCTURE_INVALID at /issuanceDate: "issuanceDate" is required.',
    ])
  })

  it('rejects input that is not JSON, not UTF-8, or too large', async () => {
    for (const [name, content, code] of [
      ['text.json', '{"@context": [', 'ERR_INPUT_NOT_JSON'],
      ['latin1.json', new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]), 'ERR_INPUT_NOT_JSON'],
      ['big.json', `"${'a'.repeat(VC11_MAX_INPUT_BYTES)}"`, 'ERR_INPUT_TOO_LARGE'],
    ] as const) {
      const io = testIo({ cwd: dir })
      expect(await runVc11Generator([await file(name, content)], io)).toBe(1)
      expect(io.out()).toBe('')
      expect(io.err()).toContain(`error ${code}`)
    }
  })

  it('gives exit 2 for usage errors: no file, two files, unknown flags, unreadable file', async () => {
    for (const argv of [[], ['a.json', 'b.json'], ['--jwt', 'abc', 'a.json'], ['missing.json']]) {
      const io = testIo({ cwd: dir })
      expect(await runVc11Generator(argv, io)).toBe(2)
      expect(io.out()).toBe('')
      expect(io.err()).toContain("Run 'vc11-generator --help' for usage.")
    }
  })

  it('prints help on stdout', async () => {
    const io = testIo({ cwd: dir })
    expect(await runVc11Generator(['--help'], io)).toBe(0)
    expect(io.out()).toContain('Usage: vc11-generator [--presentation] <file|->')
  })
})
