import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { decodeStatusList, getStatus } from '@certify-vc/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { issue } from '../src/commands/issue.js'
import { revoke, suspend, unsuspend } from '../src/commands/status-change.js'
import { status } from '../src/commands/status.js'
import { verify } from '../src/commands/verify.js'
import { makeTempDir, removeTempDir, savedKey, testIo } from './helpers.js'

let dir: string
let keyPath: string

beforeEach(async () => {
  dir = await makeTempDir()
  ;({ path: keyPath } = await savedKey(dir))
})
afterEach(() => removeTempDir(dir))

async function issued(program: string, extra: string[] = []) {
  const io = testIo({ cwd: dir })
  const out = `${program.toLowerCase()}.json`
  const code = await issue(
    ['--program', program, '--name', 'Ada', '--key', keyPath, '--out', out, ...extra],
    io,
  )
  expect(code, io.err()).toBe(0)
  return JSON.parse(await readFile(join(dir, out), 'utf8')) as {
    id: string
    '@context': string[]
    credentialStatus: unknown
  }
}

async function publishedBits(purpose: string) {
  const io = testIo({ cwd: dir })
  expect(await status(['publish', '--out', 'lists', '--key', keyPath], io), io.err()).toBe(0)
  const files = await readdir(join(dir, 'lists'))
  for (const f of files) {
    const list = JSON.parse(await readFile(join(dir, 'lists', f), 'utf8')) as {
      credentialSubject: { statusPurpose: string; encodedList: string }
    }
    if (list.credentialSubject.statusPurpose === purpose)
      return decodeStatusList(list.credentialSubject.encodedList)
  }
  throw new Error(`no ${purpose} list in ${files.join(', ')}`)
}

describe('issue records status', () => {
  it('records the credential in ./certify-vc.sqlite and embeds a BitstringStatusListEntry', async () => {
    const vc = await issued('AIDA')
    expect(vc.credentialStatus).toMatchObject({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListCredential: 'https://production-ai.institute/status/revocation/1',
    })
    await expect(readFile(join(dir, 'certify-vc.sqlite'))).resolves.toBeDefined()
  })

  it('--suspension adds a second entry; --without-status adds none', async () => {
    const caae = await issued('CAAE', ['--suspension'])
    expect(Array.isArray(caae.credentialStatus)).toBe(true)
    expect(caae.credentialStatus).toHaveLength(2)
    const aima = await issued('AIMA', ['--without-status'])
    expect(aima.credentialStatus).toBeUndefined()
  })

  it('the config file chooses suspension per program, the registry and the base URL', async () => {
    const { writeFile } = await import('node:fs/promises')
    await writeFile(
      join(dir, 'certify-vc.config.json'),
      JSON.stringify({
        suspension: ['CAAE'],
        registry: 'reg.sqlite',
        statusBaseUrl: 'https://certs.example.org/s',
      }),
    )
    const caae = await issued('CAAE')
    expect(caae.credentialStatus).toEqual([
      expect.objectContaining({
        statusPurpose: 'revocation',
        statusListCredential: 'https://certs.example.org/s/revocation/1',
      }),
      expect.objectContaining({
        statusPurpose: 'suspension',
        statusListCredential: 'https://certs.example.org/s/suspension/1',
      }),
    ])
    await expect(readFile(join(dir, 'reg.sqlite'))).resolves.toBeDefined()
  })

  it('refuses a non-https base URL and --without-status with --suspension (exit 2)', async () => {
    const io = testIo({ cwd: dir })
    expect(
      await issue(
        [
          '--program',
          'AIDA',
          '--name',
          'A',
          '--key',
          keyPath,
          '--base-url',
          'http://example.org/s',
        ],
        io,
      ),
    ).toBe(2)
    const io2 = testIo({ cwd: dir })
    expect(
      await issue(
        ['--program', 'AIDA', '--name', 'A', '--key', keyPath, '--without-status', '--suspension'],
        io2,
      ),
    ).toBe(2)
  })
})

describe('revoke, suspend, unsuspend, status publish/show', () => {
  it('revoke by file sets the bit in the published revocation list; repeating is harmless', async () => {
    const vc = await issued('AIDA')
    const entry = vc.credentialStatus as { statusListIndex: string }
    const index = Number(entry.statusListIndex)
    expect(getStatus(await publishedBits('revocation'), index)).toBe(0)
    const io = testIo({ cwd: dir })
    expect(await revoke(['aida.json', '--reason', 'exam misconduct'], io), io.err()).toBe(0)
    expect(io.out()).toContain('revoked')
    expect(getStatus(await publishedBits('revocation'), index)).toBe(1)
    const again = testIo({ cwd: dir })
    expect(await revoke([vc.id, '--reason', 'again'], again)).toBe(0)
    expect(again.out()).toContain('already revoked')
    const show = testIo({ cwd: dir })
    expect(await status(['show', 'aida.json'], show)).toBe(0)
    expect(show.out()).toContain('revoked')
    expect(show.out()).toContain('exam misconduct')
  })

  it('suspend then unsuspend flips the suspension bit', async () => {
    const vc = await issued('CAAE', ['--suspension'])
    const index = Number((vc.credentialStatus as { statusListIndex: string }[])[1]?.statusListIndex)
    expect(await suspend(['caae.json', '--reason', 'renewal pending'], testIo({ cwd: dir }))).toBe(
      0,
    )
    expect(getStatus(await publishedBits('suspension'), index)).toBe(1)
    expect(await unsuspend(['caae.json', '--reason', 'renewed'], testIo({ cwd: dir }))).toBe(0)
    expect(getStatus(await publishedBits('suspension'), index)).toBe(0)
  })

  it('revocation is final: unsuspend after revoke exits 1 with ERR_REGISTRY_TRANSITION', async () => {
    await issued('CAAE', ['--suspension'])
    expect(await revoke(['caae.json', '--reason', 'fraud'], testIo({ cwd: dir }))).toBe(0)
    const io = testIo({ cwd: dir })
    expect(await unsuspend(['caae.json', '--reason', 'oops'], io)).toBe(1)
    expect(io.err()).toContain('ERR_REGISTRY_TRANSITION')
  })

  it('an unknown credential exits 1 with ERR_REGISTRY_NOT_FOUND', async () => {
    await issued('AIDA')
    const io = testIo({ cwd: dir })
    expect(
      await revoke(['urn:uuid:00000000-0000-4000-8000-000000000000', '--reason', 'x'], io),
    ).toBe(1)
    expect(io.err()).toContain('ERR_REGISTRY_NOT_FOUND')
  })

  it.each([
    [['aida.json'], 'no --reason'],
    [['--reason', 'x'], 'no credential'],
    [['not an id', '--reason', 'x'], 'not an id nor a file'],
  ])('usage errors exit 2: %j (%s)', async (args) => {
    await issued('AIDA')
    expect(await revoke(args, testIo({ cwd: dir }))).toBe(2)
  })

  it('publishes at the base URL recorded at issue: a publish without --base-url still serves the credential, another --base-url is refused', async () => {
    const base = 'https://certify.example.test'
    const vc = await issued('AIDA', ['--base-url', base])
    expect(vc.credentialStatus).toMatchObject({
      statusListCredential: `${base}/revocation/1`,
    })
    // No --base-url (the default would be https://production-ai.institute/status): the list is
    // signed at the URL the credential points to, and the credential verifies against it.
    const io = testIo({ cwd: dir })
    expect(await status(['publish', '--out', 'lists', '--key', keyPath], io), io.err()).toBe(0)
    expect(io.out()).toContain(`${base}/revocation/1`)
    const list = JSON.parse(await readFile(join(dir, 'lists', 'revocation-1.json'), 'utf8')) as {
      id: string
    }
    expect(list.id).toBe(`${base}/revocation/1`)
    const check = testIo({ cwd: dir })
    expect(
      await verify(['aida.json', '--trust', keyPath, '--status-dir', 'lists'], check),
      check.out() + check.err(),
    ).toBe(0)
    // Revoked, published again without --base-url: the same URL now says revoked.
    expect(await revoke(['aida.json', '--reason', 'misconduct'], testIo({ cwd: dir }))).toBe(0)
    expect(
      await status(['publish', '--out', 'lists', '--key', keyPath], testIo({ cwd: dir })),
    ).toBe(0)
    const revoked = testIo({ cwd: dir })
    expect(
      await verify(['aida.json', '--trust', keyPath, '--status-dir', 'lists', '--json'], revoked),
    ).toBe(1)
    expect(revoked.out()).toContain('ERR_STATUS_REVOKED')
    // An explicit other base URL is refused clearly, naming the recorded URL; nothing changes.
    const before = await readFile(join(dir, 'lists', 'revocation-1.json'), 'utf8')
    const refused = testIo({ cwd: dir })
    expect(
      await status(
        [
          'publish',
          '--out',
          'lists',
          '--key',
          keyPath,
          '--all',
          '--base-url',
          'https://production-ai.institute/status',
        ],
        refused,
      ),
    ).toBe(1)
    expect(refused.err()).toContain('ERR_REGISTRY_URL_MISMATCH')
    expect(refused.err()).toContain(`${base}/revocation/1`)
    expect(await readFile(join(dir, 'lists', 'revocation-1.json'), 'utf8')).toBe(before)
  })

  it('status usage errors exit 2', async () => {
    expect(await status([], testIo({ cwd: dir }))).toBe(2)
    expect(await status(['frobnicate'], testIo({ cwd: dir }))).toBe(2)
    expect(await status(['publish', '--key', keyPath], testIo({ cwd: dir }))).toBe(2)
    expect(
      await status(
        ['publish', '--out', 'x', '--key', keyPath, '--ttl-hours', '-1'],
        testIo({ cwd: dir }),
      ),
    ).toBe(2)
  })
})
