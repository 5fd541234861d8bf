import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { explainErrorCode, type ErrorCode } from '@certify-vc/context'
import type { IssuerKey } from '@certify-vc/issuer'
import { verifyCredential } from '@certify-vc/verifier'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseNow, verify } from '../src/commands/verify.js'
import {
  credentialFor,
  hasAnsi,
  jsonText,
  makeTempDir,
  removeTempDir,
  savedKey,
  tampered,
  testIo,
} from './helpers.js'

describe('certify-vc verify', () => {
  let dir: string
  let key: IssuerKey
  let trust: string[]
  beforeAll(async () => {
    dir = await makeTempDir()
    ;({ key } = await savedKey(dir))
    trust = ['--trust', key.did]
    const aida = await credentialFor(key, 'AIDA')
    await writeFile(join(dir, 'aida.json'), jsonText(aida))
    await writeFile(join(dir, 'aida-tampered.json'), jsonText(tampered(aida)))
    await writeFile(
      join(dir, 'aima-vc11.json'),
      jsonText(await credentialFor(key, 'AIMA', 'vc1.1')),
    )
    await writeFile(join(dir, 'broken.json'), '{"@context": [')
    await mkdir(join(dir, 'folder.json'))
  })
  afterAll(() => removeTempDir(dir))

  it('exits 0 for a genuine credential and lists every check', async () => {
    const io = testIo({ cwd: dir })
    expect(await verify(['aida.json', ...trust], io)).toBe(0)
    const out = io.out()
    for (const id of [
      'input',
      'structure',
      'contexts',
      'proof',
      'key-binding',
      'validity',
      'issuer-trust',
      'program',
    ]) {
      expect(out).toMatch(new RegExp(`^  ✓ ${id} `, 'm'))
    }
    expect(out).toMatch(/^ {2}– status /m)
    expect(out).toContain(
      `VERIFIED: AIDA — AI Deployment Awareness (AIDA), issued to Ada Lovelace by ${key.did}\n`,
    )
    expect(out).not.toContain('NOT VERIFIED')
    expect(io.err()).toBe('')
  })

  it('exits 0 for a VC 1.1 credential', async () => {
    const io = testIo({ cwd: dir })
    expect(await verify(['aima-vc11.json', ...trust], io)).toBe(0)
    expect(io.out()).toContain('VERIFIED: AIMA — AI Management Awareness (AIMA)')
  })

  it('exits 1 for a tampered credential and names the failing check, code, explanation and path', async () => {
    const io = testIo({ cwd: dir })
    expect(await verify(['aida-tampered.json', ...trust], io)).toBe(1)
    const out = io.out()
    expect(out).toMatch(/^ {2}✗ proof /m)
    expect(out).toContain(`ERR_PROOF_INVALID: ${explainErrorCode('ERR_PROOF_INVALID')}`)
    expect(out).toMatch(/\(at \/proof[^)]*\)/)
    expect(out).toContain('NOT VERIFIED: proof failed — ERR_PROOF_INVALID')
    expect(out).not.toMatch(/^VERIFIED/m)
  })

  it('exits 1 for an issuer that is not trusted, even with a valid signature', async () => {
    const { key: other } = await savedKey(dir, 'other-key.json')
    const io = testIo({ cwd: dir })
    expect(await verify(['aida.json', '--trust', other.did], io)).toBe(1)
    const out = io.out()
    expect(out).toMatch(/^ {2}✓ proof /m)
    expect(out).toMatch(/^ {2}✗ issuer-trust /m)
    expect(out).toContain('NOT VERIFIED: issuer-trust failed — ERR_ISSUER_UNTRUSTED')
    expect(out).toContain(`--trust ${key.did}`)
  })

  it('exits 1 with no trust configured, and says how to configure it', async () => {
    const io = testIo({ cwd: dir })
    expect(await verify(['aida.json'], io)).toBe(1)
    const out = io.out()
    expect(out).toContain(
      '(no trusted issuer given: no --trust, CERTIFY_VC_TRUSTED_ISSUERS or certify-vc.config.json)',
    )
    expect(out).toContain('ERR_ISSUER_UNTRUSTED')
    expect(out).toContain('No trusted issuers are configured')
    expect(out).toContain('CERTIFY_VC_TRUSTED_ISSUERS')
    expect(out).toContain('certify-vc.config.json')
  })

  it('exits 1 for input that is not JSON (bad data is a verdict, not a usage error)', async () => {
    const io = testIo({ cwd: dir })
    expect(await verify(['broken.json', ...trust], io)).toBe(1)
    expect(io.out()).toContain('NOT VERIFIED: input failed — ERR_INPUT_NOT_JSON')
  })

  it('exits 1 outside the validity period (--now)', async () => {
    const io = testIo({ cwd: dir })
    expect(await verify(['aida.json', ...trust, '--now', '2020-01-01'], io)).toBe(1)
    expect(io.out()).toContain('NOT VERIFIED: validity failed — ERR_VALIDITY_NOT_YET_VALID')
  })

  it('reads stdin for -', async () => {
    const aida = await credentialFor(key, 'CAAE')
    const io = testIo({ cwd: dir, stdin: JSON.stringify(aida) })
    expect(await verify(['-', ...trust], io)).toBe(0)
    expect(io.out()).toContain('Verifying stdin')
    expect(io.out()).toContain('VERIFIED: CAAE')

    const bad = testIo({ cwd: dir, stdin: JSON.stringify(tampered(aida)) })
    expect(await verify(['-', ...trust], bad)).toBe(1)
  })

  it('--json prints exactly the verifier result, each problem explained, nothing else', async () => {
    const now = '2030-01-01T00:00:00Z'
    for (const [file, exit] of [
      ['aida.json', 0],
      ['aida-tampered.json', 1],
    ] as const) {
      const io = testIo({ cwd: dir })
      expect(await verify([file, ...trust, '--json', '--now', now], io)).toBe(exit)
      const result = await verifyCredential(await readFile(join(dir, file)), {
        trustedIssuers: [key.did],
        now: new Date(now),
      })
      // The verifier's result, with the code's one-line explanation added to every problem.
      const explain = (p: { code: ErrorCode }) => ({ ...p, explanation: explainErrorCode(p.code) })
      const expected = {
        ...result,
        checks: result.checks.map((c) => ({ ...c, problems: c.problems.map(explain) })),
        problems: result.problems.map(explain),
      }
      expect(JSON.parse(io.out())).toEqual(expected)
      expect(io.out()).toBe(`${JSON.stringify(expected, null, 2)}\n`)
      expect(io.err()).toBe('')
    }
  })

  it('--json and the human report give code, explanation and pointer of each failure', async () => {
    const json = testIo({ cwd: dir })
    expect(await verify(['aida-tampered.json', ...trust, '--json'], json)).toBe(1)
    const parsed = JSON.parse(json.out()) as {
      checks: { id: string; outcome: string; reason?: string }[]
      problems: { code: string; explanation: string; path: string }[]
    }
    expect(parsed.problems).toEqual([
      expect.objectContaining({
        code: 'ERR_PROOF_INVALID',
        explanation: explainErrorCode('ERR_PROOF_INVALID'),
        path: '/proof/proofValue',
      }),
    ])
    expect(parsed.checks.find((c) => c.id === 'validity')).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(/proof did not verify/) as unknown,
    })
    const human = testIo({ cwd: dir })
    expect(await verify(['aida-tampered.json', ...trust], human)).toBe(1)
    expect(human.out()).toContain(`ERR_PROOF_INVALID: ${explainErrorCode('ERR_PROOF_INVALID')}`)
    expect(human.out()).toContain('(at /proof/proofValue)')
    expect(human.out()).toMatch(/– validity .*\n\s+skipped: The proof did not verify/)
  })

  it('--json without trust keeps stdout pure JSON and advises on stderr', async () => {
    const io = testIo({ cwd: dir })
    expect(await verify(['aida.json', '--json'], io)).toBe(1)
    expect((JSON.parse(io.out()) as { verified: boolean }).verified).toBe(false)
    expect(io.err()).toContain('No trusted issuers are configured')
  })

  it('uses colour on a terminal only, and never with NO_COLOR', async () => {
    const tty = testIo({ cwd: dir, tty: true })
    expect(await verify(['aida-tampered.json', ...trust], tty)).toBe(1)
    expect(hasAnsi(tty.out())).toBe(true)

    const noColor = testIo({ cwd: dir, tty: true, env: { NO_COLOR: '1' } })
    expect(await verify(['aida-tampered.json', ...trust], noColor)).toBe(1)
    expect(hasAnsi(noColor.out())).toBe(false)
    expect(noColor.out()).toContain('✗ proof')

    const pipe = testIo({ cwd: dir, tty: false })
    expect(await verify(['aida.json', ...trust], pipe)).toBe(0)
    expect(hasAnsi(pipe.out())).toBe(false)
  })

  const usage: [string, string[]][] = [
    ['no file argument', []],
    ['two file arguments', ['aida.json', 'aida.json']],
    ['a missing file', ['missing.json']],
    ['a folder', ['folder.json']],
    ['a bad --now', ['aida.json', '--now', 'yesterday']],
    ['an unknown option', ['aida.json', '--fast']],
    ['--trust without a value', ['aida.json', '--trust']],
  ]
  it.each(usage)('exits 2 for %s', async (_, argv) => {
    const io = testIo({ cwd: dir })
    expect(await verify(argv, io)).toBe(2)
    expect(io.out()).toBe('')
    expect(io.err()).toContain("Run 'certify-vc verify --help'")
  })

  it('prints its help', async () => {
    const io = testIo({ cwd: dir })
    expect(await verify(['--help'], io)).toBe(0)
    expect(io.out()).toContain('Usage: certify-vc verify')
  })
})

describe('parseNow', () => {
  it('accepts date-times with a zone and plain dates (midnight UTC)', () => {
    expect(parseNow('2027-01-01T10:00:00+01:00').toISOString()).toBe('2027-01-01T09:00:00.000Z')
    expect(parseNow('2027-01-01').toISOString()).toBe('2027-01-01T00:00:00.000Z')
  })

  it.each(['2027-01-01T10:00:00', '2027-02-30', 'tomorrow', ''])('rejects %j', (value) => {
    expect(() => parseNow(value)).toThrow(/--now/)
  })
})
