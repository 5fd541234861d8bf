import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { IssuerKey } from '@certify-vc/issuer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verify } from '../src/commands/verify.js'
import { CONFIG_ENV, TRUST_ENV, isDid, loadTrust } from '../src/trust.js'
import { UsageError } from '../src/usage.js'
import { credentialFor, jsonText, makeTempDir, removeTempDir, savedKey, testIo } from './helpers.js'

describe('trusted issuers', () => {
  let dir: string
  let key: IssuerKey
  let keyPath: string
  let other: IssuerKey
  beforeAll(async () => {
    dir = await makeTempDir()
    ;({ key, path: keyPath } = await savedKey(dir))
    ;({ key: other } = await savedKey(dir, 'other-key.json'))
    await writeFile(join(dir, 'aida.json'), jsonText(await credentialFor(key)))
    await writeFile(join(dir, 'one-did.txt'), `# the Institute\n${key.did}\n`)
    await writeFile(join(dir, 'dids.json'), JSON.stringify([other.did, key.did]))
    await writeFile(join(dir, 'not-a-did.txt'), 'https://example.org\n')
    await mkdir(join(dir, 'with-config'))
    await writeFile(
      join(dir, 'with-config', 'certify-vc.config.json'),
      JSON.stringify({ trustedIssuers: [key.did] }),
    )
    await writeFile(join(dir, 'custom.json'), JSON.stringify({ trustedIssuers: [key.did] }))
    await writeFile(join(dir, 'bad-config.json'), JSON.stringify({ trustedIssuers: 'did:key:x' }))
  })
  afterAll(() => removeTempDir(dir))

  const verifyIn = async (argv: string[], env: Record<string, string> = {}, cwd = dir) => {
    const io = testIo({ cwd, env })
    return { code: await verify(['aida.json', ...argv], io), io }
  }

  it('takes --trust as a DID, a file with a DID, a JSON array, or an issuer key file', async () => {
    for (const value of [key.did, 'one-did.txt', 'dids.json', keyPath]) {
      const { code, io } = await verifyIn(['--trust', value])
      expect(code, value).toBe(0)
      expect(io.out()).toContain('from --trust')
    }
  })

  it('reads only the public part of a key file, whatever its mode, and never prints the secret', async () => {
    const secret = (JSON.parse(await readFile(keyPath, 'utf8')) as Record<string, string>)
      .secretKeyMultibase as string
    if (process.platform !== 'win32') await chmod(keyPath, 0o644)
    const { code, io } = await verifyIn(['--trust', 'issuer-key.json'])
    expect(code).toBe(0)
    expect(io.out() + io.err()).not.toContain(secret)
    if (process.platform !== 'win32') await chmod(keyPath, 0o600)
  })

  it('accepts --trust several times', async () => {
    const { code, io } = await verifyIn(['--trust', other.did, '-t', key.did])
    expect(code).toBe(0)
    expect(io.out()).toContain('2 trusted issuers from --trust')
  })

  it(`falls back to ${TRUST_ENV}`, async () => {
    const { code, io } = await verifyIn([], { [TRUST_ENV]: ` ${other.did} , ${key.did},` })
    expect(code).toBe(0)
    expect(io.out()).toContain(`2 trusted issuers from ${TRUST_ENV}`)
  })

  it('falls back to certify-vc.config.json in the working directory', async () => {
    const cwd = join(dir, 'with-config')
    await writeFile(join(cwd, 'aida.json'), await readFile(join(dir, 'aida.json')))
    const { code, io } = await verifyIn([], {}, cwd)
    expect(code).toBe(0)
    expect(io.out()).toContain('1 trusted issuer from config file')
  })

  it(`falls back to the file named by ${CONFIG_ENV}`, async () => {
    const { code, io } = await verifyIn([], { [CONFIG_ENV]: 'custom.json' })
    expect(code).toBe(0)
    expect(io.out()).toContain(`config file ${join(dir, 'custom.json')}`)
  })

  it('prefers --trust to the environment, and the environment to the config file', async () => {
    expect((await verifyIn(['--trust', other.did], { [TRUST_ENV]: key.did })).code).toBe(1)
    expect((await verifyIn([], { [TRUST_ENV]: other.did, [CONFIG_ENV]: 'custom.json' })).code).toBe(
      1,
    )
    const cwd = join(dir, 'with-config')
    const io = testIo({ cwd, env: { [TRUST_ENV]: other.did } })
    expect(await verify(['aida.json'], io)).toBe(1)
    expect(io.out()).toContain('ERR_ISSUER_UNTRUSTED')
  })

  const bad: [string, string[], Record<string, string>][] = [
    ['a --trust value that is neither a DID nor a file', ['--trust', 'institute'], {}],
    ['a malformed DID', ['--trust', 'did:key'], {}],
    ['a trust file without DIDs', ['--trust', 'not-a-did.txt'], {}],
    ['a folder as trust file', ['--trust', 'with-config'], {}],
    [`a non-DID in ${TRUST_ENV}`, [], { [TRUST_ENV]: 'not-a-did' }],
    [`a missing ${CONFIG_ENV} file`, [], { [CONFIG_ENV]: 'missing.json' }],
    ['a malformed config file', [], { [CONFIG_ENV]: 'bad-config.json' }],
    ['a config file that is not JSON', [], { [CONFIG_ENV]: 'one-did.txt' }],
  ]
  it.each(bad)('exits 2 for %s', async (_, argv, env) => {
    const { code, io } = await verifyIn(argv, env)
    expect(code).toBe(2)
    expect(io.out()).toBe('')
    expect(io.err()).toMatch(/^certify-vc verify: /)
  })

  it('loadTrust: nothing configured is an empty list, not an error', async () => {
    await expect(loadTrust([], { env: {}, cwd: dir })).resolves.toEqual({
      dids: [],
      source: 'nothing',
    })
    await expect(loadTrust(['nope'], { env: {}, cwd: dir })).rejects.toBeInstanceOf(UsageError)
  })

  it('isDid accepts DIDs only, without fragment, query or path', () => {
    expect(isDid(key.did)).toBe(true)
    expect(isDid('did:web:production-ai.institute')).toBe(true)
    expect(isDid('did:web:example.com%3A8443:issuers:1')).toBe(true)
    for (const value of [
      `${key.did}#key-1`,
      'did:key:',
      'DID:key:z6Mk',
      'did:web:a/b',
      'did:web:a b',
      42,
    ]) {
      expect(isDid(value), String(value)).toBe(false)
    }
  })
})
