import { chmod, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PROGRAM_CODES } from '@certify-vc/context'
import type { IssuerKey } from '@certify-vc/issuer'
import { createDirectoryStatusListSource, verifyCredential } from '@certify-vc/verifier'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issue } from '../src/commands/issue.js'
import { status } from '../src/commands/status.js'
import { makeTempDir, removeTempDir, savedKey, testIo } from './helpers.js'

describe('certify-vc issue', () => {
  let dir: string
  let key: IssuerKey
  beforeAll(async () => {
    dir = await makeTempDir()
    ;({ key } = await savedKey(dir))
  })
  afterAll(() => removeTempDir(dir))

  /** Publishes the registry's lists into `<dir>/lists` and verifies `text` against them offline. */
  async function verifyWithLists(text: string) {
    const io = testIo({ cwd: dir })
    expect(
      await status(['publish', '--out', 'lists', '--key', 'issuer-key.json'], io),
      io.err(),
    ).toBe(0)
    const source = createDirectoryStatusListSource(join(dir, 'lists'))
    return verifyCredential(text, { trustedIssuers: [key.did], status: { source, cache: false } })
  }

  const cases = PROGRAM_CODES.flatMap((program) =>
    (['vc2', 'vc1.1'] as const).map((format) => [program, format] as const),
  )
  it.each(cases)('issues %s as %s to stdout, and it verifies', async (program, format) => {
    const io = testIo({ cwd: dir })
    const argv = ['--program', program, '--name', 'Ada Lovelace', '--key', 'issuer-key.json']
    expect(await issue([...argv, '--format', format], io)).toBe(0)
    expect(io.err()).toBe('')
    const result = await verifyWithLists(io.out())
    expect(result.problems).toEqual([])
    expect(result.verified).toBe(true)
    expect(result.checks.find((c) => c.id === 'status')?.outcome).toBe('passed')
    expect(result.credential.program?.code).toBe(program)
    expect(result.credential.format).toBe(format)
    expect(result.credential.subject?.name).toBe('Ada Lovelace')
  })

  it('writes --out, accepts a lower-case program, a subject DID and an email (hashed)', async () => {
    const io = testIo({ cwd: dir })
    const code = await issue(
      [
        '-p',
        'caae',
        '--name',
        'Grace Hopper',
        '--subject',
        'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
        '--email',
        'grace@example.org',
        '-k',
        'issuer-key.json',
        '-o',
        'grace.json',
      ],
      io,
    )
    expect(code).toBe(0)
    expect(io.out()).toBe('')
    expect(io.err()).toContain(join(dir, 'grace.json'))
    const text = await readFile(join(dir, 'grace.json'), 'utf8')
    expect(text).not.toContain('grace@example.org')
    const credential = JSON.parse(text) as { credentialSubject: Record<string, unknown> }
    expect(credential.credentialSubject.id).toBe(
      'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    )
    expect(credential.credentialSubject.identifier).toBeDefined()
    expect((await verifyWithLists(text)).verified).toBe(true)
  })

  const usage: [string, string[], string?][] = [
    ['no --program', ['--name', 'A', '--key', 'issuer-key.json']],
    [
      'an unknown program',
      ['--program', 'XYZ', '--name', 'A', '--key', 'issuer-key.json'],
      'ERR_ISSUE_PROGRAM_UNKNOWN',
    ],
    ['no --key', ['--program', 'AIDA', '--name', 'A']],
    ['no recipient', ['--program', 'AIDA', '--key', 'issuer-key.json']],
    [
      'a bad --format',
      ['--program', 'AIDA', '--name', 'A', '--key', 'issuer-key.json', '--format', 'jwt'],
    ],
    ['an unknown option', ['--program', 'AIDA', '--name', 'A', '--key', 'issuer-key.json', '--x']],
    ['a positional', ['AIDA', '--name', 'A', '--key', 'issuer-key.json']],
    [
      '--out naming the key file',
      ['-p', 'AIDA', '-n', 'A', '-k', 'issuer-key.json', '-o', './issuer-key.json'],
    ],
  ]
  it.each(usage)('exits 2 for %s', async (_, argv, code) => {
    const io = testIo({ cwd: dir })
    expect(await issue(argv, io)).toBe(2)
    expect(io.out()).toBe('')
    expect(io.err()).toContain("Run 'certify-vc issue --help'")
    if (code !== undefined) expect(io.err()).toContain(code)
  })

  it('exits 1 with ERR_KEY_FILE for a missing or too open key file', async () => {
    const missing = testIo({ cwd: dir })
    expect(await issue(['--program', 'AIDA', '--name', 'A', '--key', 'nope.json'], missing)).toBe(1)
    expect(missing.err()).toMatch(/error ERR_KEY_FILE: .*does not exist/)

    if (process.platform !== 'win32') {
      const { path } = await savedKey(dir, 'open-key.json')
      await chmod(path, 0o644)
      const open = testIo({ cwd: dir })
      expect(await issue(['--program', 'AIDA', '--name', 'A', '--key', path], open)).toBe(1)
      expect(open.err()).toContain('ERR_KEY_FILE')
    }
  })

  it('exits 1 with the library code for a malformed recipient', async () => {
    const io = testIo({ cwd: dir })
    const argv = ['--program', 'AIDA', '--subject', 'not-a-did', '--key', 'issuer-key.json']
    expect(await issue(argv, io)).toBe(1)
    expect(io.err()).toContain('error ERR_ISSUE_RECIPIENT_INVALID:')
    expect(io.out()).toBe('')
  })

  it('exits 1 when --out cannot be written', async () => {
    const io = testIo({ cwd: dir })
    const argv = [
      '--program',
      'AIDA',
      '--name',
      'A',
      '--key',
      'issuer-key.json',
      '--out',
      'no/such/dir.json',
    ]
    expect(await issue(argv, io)).toBe(1)
    expect(io.err()).toContain('Cannot write')
  })

  it('prints its help', async () => {
    const io = testIo({ cwd: dir })
    expect(await issue(['-h'], io)).toBe(0)
    expect(io.out()).toContain('Usage: certify-vc issue')
  })
})
