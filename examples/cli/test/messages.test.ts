/**
 * What a new user is told when something is off: each message says what is wrong and what to do
 * (a key file that is a credential, a missing --key, a did:key that is no key, no trust at all,
 * status lists out of reach, an option a wallet subcommand would ignore, a credential issued to a
 * name only).
 */
import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { IssuerKey } from '@certify-vc/issuer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/cli.js'
import { TRUST_ENV } from '../src/trust.js'
import { credentialFor, jsonText, makeTempDir, removeTempDir, savedKey, testIo } from './helpers.js'

let dir: string
let key: IssuerKey
const run = async (args: string[], env: Record<string, string> = {}) => {
  const io = testIo({ cwd: dir, env })
  const code = await runCli(args, io)
  return { code, out: io.out(), err: io.err() }
}

beforeAll(async () => {
  dir = await makeTempDir()
  ;({ key } = await savedKey(dir))
  await writeFile(join(dir, 'aida.json'), jsonText(await credentialFor(key, 'AIDA')))
})
afterAll(() => removeTempDir(dir))

const KEYGEN = 'certify-vc keygen --out issuer-key.json'
const ISSUE = ['issue', '--program', 'AIDA', '--name', 'Ada', '--without-status']

describe('--key', () => {
  it('a credential given as --key is called a credential, with how to make a key (not "chmod 600")', async () => {
    for (const mode of [0o644, 0o600]) {
      if (process.platform !== 'win32') await chmod(join(dir, 'aida.json'), mode)
      const result = await run([...ISSUE, '--key', 'aida.json'])
      expect(result.code).toBe(1)
      expect(result.err).toContain(
        'error ERR_KEY_FILE: --key aida.json is a verifiable credential, not an issuer key file.',
      )
      expect(result.err).toContain(KEYGEN)
      expect(result.err).not.toContain('chmod')
      expect(result.err).not.toContain('Unexpected key file property')
    }
  })

  it('other files that are no key say what they are', async () => {
    await writeFile(join(dir, 'notes.txt'), 'hello')
    await writeFile(join(dir, 'public.json'), JSON.stringify(key.toJSON()))
    const text = await run([...ISSUE, '--key', 'notes.txt'])
    expect(text.err).toContain('--key notes.txt is not JSON, not an issuer key file.')
    const pub = await run([...ISSUE, '--key', 'public.json'])
    expect(pub.err).toContain('the public part of a key only')
    expect(pub.err).toContain(KEYGEN)
  })

  it('a missing --key points to keygen (issue, issue-batch, status publish)', async () => {
    for (const args of [
      ISSUE,
      ['issue-batch', '--roster', 'r.csv', '--program', 'AIDA', '--out', 'out'],
      ['status', 'publish', '--out', 'lists'],
    ]) {
      const result = await run(args)
      expect(result.code, args[0]).toBe(2)
      expect(result.err).toContain('--key is required: the issuer key file that signs.')
      expect(result.err).toContain(KEYGEN)
    }
  })
})

describe('--trust', () => {
  it.each([
    ['did:key:bogus', 'Malformed did:key'],
    // A well-formed did:key of a secp256k1 key (multicodec 0xe7): not a supported key.
    ['did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme', 'not a usable did:key'],
  ])('%s is a usage error, not a silently useless trust entry', async (did, why) => {
    for (const [args, env] of [
      [['verify', 'aida.json', '--trust', did], {}],
      [['verify', 'aida.json'], { [TRUST_ENV]: did }],
    ] as const) {
      const result = await run([...args], env)
      expect(result.code).toBe(2)
      expect(result.out).toBe('')
      expect(result.err).toContain(why)
      expect(result.err).toContain("as 'certify-vc keygen' prints it")
    }
    await writeFile(join(dir, 'trust.json'), JSON.stringify({ trustedIssuers: [did] }))
    expect((await run(['verify', 'aida.json', '--trust', 'trust.json'])).code).toBe(2)
  })

  it('with no trust at all, the heading says none was given and where one would come from', async () => {
    const result = await run(['verify', 'aida.json'])
    expect(result.code).toBe(1)
    expect(result.out).toContain(
      'Verifying aida.json (no trusted issuer given: no --trust, CERTIFY_VC_TRUSTED_ISSUERS or certify-vc.config.json)',
    )
    expect(result.out).not.toContain('from nothing')
    await writeFile(join(dir, 'empty.json'), JSON.stringify({ trustedIssuers: [] }))
    const empty = await run(['verify', 'aida.json', '--trust', 'empty.json'])
    expect(empty.out).toContain('(no trusted issuer: --trust lists none)')
  })
})

describe('status lists out of reach', () => {
  it('suggests --status-dir and status publish when the lists cannot be fetched', async () => {
    // .invalid never resolves (RFC 6761 §6.4): the fetch fails as it does offline.
    const issued = await run([
      'issue',
      '--program',
      'AIMA',
      '--name',
      'Ada',
      '--key',
      'issuer-key.json',
      '--base-url',
      'https://status.invalid/lists',
      '--registry',
      'registry.sqlite',
      '--out',
      'aima.json',
    ])
    expect(issued.code).toBe(0)
    const result = await run(['verify', 'aima.json', '--trust', key.did])
    expect(result.code).toBe(1)
    expect(result.out).toContain('ERR_STATUS_UNKNOWN')
    expect(result.out).toContain('The status lists could not be fetched from their URLs')
    expect(result.out).toContain('certify-vc verify <file> --status-dir <dir>')
    expect(result.out).toContain("'certify-vc status publish --out <dir> --key <key file>'")
    const json = await run(['verify', 'aima.json', '--trust', key.did, '--json'])
    expect(JSON.parse(json.out)).toMatchObject({ verified: false })
    expect(json.err).toContain('--status-dir <dir>')
    // With the lists at hand, no hint, and it verifies.
    await run([
      'status',
      'publish',
      '--out',
      'lists',
      '--key',
      'issuer-key.json',
      '--registry',
      'registry.sqlite',
      '--base-url',
      'https://status.invalid/lists',
    ])
    const offline = await run(['verify', 'aima.json', '--trust', key.did, '--status-dir', 'lists'])
    expect(offline.code).toBe(0)
    expect(offline.out).not.toContain('could not be fetched')
  })
})

describe('wallet', () => {
  it('refuses --trust on import (it would be ignored) and options of other subcommands', async () => {
    const wallet = ['--wallet-dir', 'w1']
    expect((await run(['wallet', 'init', ...wallet, '--trust', key.did])).code).toBe(0)
    const trust = await run(['wallet', 'import', 'aida.json', ...wallet, '--trust', key.did])
    expect(trust.code).toBe(2)
    expect(trust.err).toContain("--trust applies to 'wallet init' only")
    const challenge = await run(['wallet', 'import', 'aida.json', ...wallet, '--challenge', 'x'])
    expect(challenge.code).toBe(2)
    expect(challenge.err).toContain(
      "--challenge does not apply to 'wallet import' (it is for 'wallet present')",
    )
    expect((await run(['wallet', 'list', ...wallet, '--png', 'x.png'])).code).toBe(2)
  })

  it('a credential issued to a name only: ask for one issued to your DID, which it names', async () => {
    const wallet = ['--wallet-dir', 'w2']
    const init = await run(['wallet', 'init', ...wallet, '--trust', key.did])
    const holder = /Your DID: (did:key:\S+)/.exec(init.out)?.[1]
    expect(holder).toBeDefined()
    expect(
      (await run([...ISSUE, '--key', 'issuer-key.json', '--out', 'name-only.json'])).code,
    ).toBe(0)
    const refused = await run(['wallet', 'import', 'name-only.json', ...wallet])
    expect(refused.code).toBe(1)
    expect(refused.out).toContain('ERR_WALLET_SUBJECT_MISMATCH')
    expect(refused.out).toContain('issued to a name or an email, not to a DID')
    expect(refused.out).toContain(`Ask the issuer for a credential issued to your DID: ${holder}`)
    expect(refused.out).toContain("'certify-vc wallet init' printed it")
  })
})
