import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keygen } from '../src/commands/keygen.js'
import { makeTempDir, removeTempDir, testIo } from './helpers.js'

describe('certify-vc keygen', () => {
  let dir: string
  beforeAll(async () => {
    dir = await makeTempDir()
  })
  afterAll(() => removeTempDir(dir))

  it('writes a 0600 key file and prints its DID, never the secret', async () => {
    const io = testIo({ cwd: dir })
    expect(await keygen(['--out', 'issuer-key.json'], io)).toBe(0)
    const file = JSON.parse(await readFile(join(dir, 'issuer-key.json'), 'utf8')) as Record<
      string,
      string
    >
    expect(io.out()).toBe(`${file.controller}\n`)
    expect(file.controller).toMatch(/^did:key:z6Mk/)
    expect(typeof file.secretKeyMultibase).toBe('string')
    expect(io.out() + io.err()).not.toContain(file.secretKeyMultibase)
    if (process.platform !== 'win32') {
      expect((await stat(join(dir, 'issuer-key.json'))).mode & 0o777).toBe(0o600)
    }
  })

  it.each([
    ['P-256', /^did:key:zDna/],
    ['P-384', /^did:key:z82L/],
    ['Ed25519', /^did:key:z6Mk/],
  ])(
    '--type %s writes a 0600 key file of that type, never printing the secret',
    async (type, did) => {
      const io = testIo({ cwd: dir })
      const name = `key-${type}.json`
      expect(await keygen(['--out', name, '--type', type], io)).toBe(0)
      const file = JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, string>
      expect(file.controller).toMatch(did)
      expect(io.out()).toBe(`${file.controller}\n`)
      expect(io.out() + io.err()).not.toContain(file.secretKeyMultibase)
      if (process.platform !== 'win32') {
        expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600)
      }
    },
  )

  it('refuses to replace an existing file (exit 1) unless --force', async () => {
    const path = join(dir, 'existing.json')
    await writeFile(path, 'precious')
    const refused = testIo({ cwd: dir })
    expect(await keygen(['--out', path], refused)).toBe(1)
    expect(refused.err()).toContain('ERR_KEY_FILE')
    expect(refused.err()).toContain('--force')
    expect(await readFile(path, 'utf8')).toBe('precious')

    const forced = testIo({ cwd: dir })
    expect(await keygen(['--out', path, '--force'], forced)).toBe(0)
    expect(forced.out()).toMatch(/^did:key:z6Mk\w+\n$/)
    expect(await readFile(path, 'utf8')).toContain('secretKeyMultibase')
  })

  it('exits 1 when the folder does not exist', async () => {
    const io = testIo({ cwd: dir })
    expect(await keygen(['--out', join(dir, 'missing', 'key.json')], io)).toBe(1)
    expect(io.err()).toContain('ERR_KEY_FILE')
  })

  it.each([
    [[]],
    [['--out']],
    [['--out', '-']],
    [['--out', 'k.json', '--bogus']],
    [['k.json']],
    [['--out', 'k.json', '--type', 'P-521']],
  ])('exits 2 for the usage error %j', async (argv) => {
    const io = testIo({ cwd: dir })
    expect(await keygen(argv, io)).toBe(2)
    expect(io.err()).toContain("Run 'certify-vc keygen --help'")
    expect(io.out()).toBe('')
  })

  it('prints its help', async () => {
    const io = testIo({ cwd: dir })
    expect(await keygen(['--help'], io)).toBe(0)
    expect(io.out()).toContain('Usage: certify-vc keygen')
  })
})
