/**
 * The wallet library: init (key file 0600, never shown), verified imports with the refusal
 * codes, the listing (catalog display data, current status) and finding credentials.
 */
import { readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateIssuerKey, issueCredential } from '@certify-vc/issuer'
import { initWallet, openWallet, type Wallet } from '../src/index.js'
import { removeDir, startInstitute, tempDir, type TestInstitute } from './helpers.js'

let dir: string
let institute: TestInstitute
let wallet: Wallet

beforeAll(async () => {
  dir = await tempDir()
  institute = await startInstitute(dir)
  wallet = await initWallet(join(dir, 'wallet'), { trustedIssuers: [institute.key.did] })
})
afterAll(async () => {
  await institute.close()
  await removeDir(dir)
})

describe('initWallet / openWallet', () => {
  it('creates a did:key holder, a 0600 key file and a 0700 folder; reopens the same wallet', async () => {
    expect(wallet.holder).toMatch(/^did:key:z6Mk/)
    const keyInfo = await stat(join(wallet.dir, 'holder-key.json'))
    expect(keyInfo.mode & 0o777).toBe(0o600)
    expect((await stat(wallet.dir)).mode & 0o777).toBe(0o700)
    const config = JSON.parse(await readFile(join(wallet.dir, 'wallet.json'), 'utf8')) as unknown
    expect(config).toMatchObject({
      type: 'CertifyVcWallet',
      version: 1,
      holder: wallet.holder,
      trustedIssuers: [institute.key.did],
    })
    expect(JSON.stringify(config)).not.toContain('secretKeyMultibase')
    const again = await openWallet(wallet.dir)
    expect(again.holder).toBe(wallet.holder)
    expect((await again.key()).did).toBe(wallet.holder)
    // The key object never shows its secret.
    const key = await again.key()
    expect(JSON.stringify(key)).not.toContain('secret')
    expect(inspect(key)).not.toContain('secret')
  })

  it('refuses a second wallet in the same folder, and a folder without one', async () => {
    await expect(
      initWallet(wallet.dir, { trustedIssuers: [institute.key.did] }),
    ).rejects.toMatchObject({
      code: 'ERR_WALLET_EXISTS',
    })
    await expect(openWallet(join(dir, 'nowhere'))).rejects.toMatchObject({
      code: 'ERR_WALLET_NOT_FOUND',
    })
  })

  it('caller mistakes are TypeErrors', async () => {
    await expect(initWallet(join(dir, 'w2'), { trustedIssuers: [] })).rejects.toThrow(TypeError)
    await expect(initWallet(join(dir, 'w3'), { trustedIssuers: ['not-a-did'] })).rejects.toThrow(
      TypeError,
    )
    await expect(wallet.list({ status: false } as never)).rejects.toThrow(TypeError)
  })

  it('trust() adds issuers, kept in wallet.json; a credential from them then imports', async () => {
    const other = await generateIssuerKey()
    const sub = await initWallet(join(dir, 'trusting'), { trustedIssuers: [institute.key.did] })
    const vc = await issueCredential({
      program: 'AIMA',
      key: other,
      recipient: { name: 'Ada Lovelace', did: sub.holder },
    })
    expect((await sub.importCredential(vc)).problems.map((p) => p.code)).toEqual([
      'ERR_ISSUER_UNTRUSTED',
    ])
    expect(await sub.trust([other.did, institute.key.did])).toEqual([institute.key.did, other.did])
    expect((await openWallet(sub.dir)).trustedIssuers).toEqual([institute.key.did, other.did])
    expect((await sub.importCredential(vc)).imported).toBe(true)
    await expect(sub.trust(['nope'])).rejects.toThrow(TypeError)
  })

  it('a malformed wallet.json is ERR_WALLET_CORRUPT', async () => {
    const other = await initWallet(join(dir, 'corrupt'), { trustedIssuers: [institute.key.did] })
    await writeFile(join(other.dir, 'wallet.json'), '{"type":"CertifyVcWallet","version":2}')
    await expect(openWallet(other.dir)).rejects.toMatchObject({ code: 'ERR_WALLET_CORRUPT' })
  })
})

describe('importCredential', () => {
  it('imports a verified credential issued to the holder (both formats), stores it as issued', async () => {
    for (const format of ['vc2', 'vc1.1'] as const) {
      const vc = await institute.issue('AIDA', { did: wallet.holder }, { format })
      const result = await wallet.importCredential(JSON.stringify(vc), {
        status: await institute.status(),
      })
      expect(result.problems).toEqual([])
      expect(result.imported).toBe(true)
      expect(result.localId).toMatch(/^[0-9a-f]{12}$/)
      const stored = JSON.parse(
        await readFile(join(wallet.dir, 'credentials', `${result.localId}.json`), 'utf8'),
      ) as { credential: unknown }
      expect(stored.credential).toEqual(vc)
    }
  })

  it('re-importing the same credential replaces it', async () => {
    const vc = await institute.issue('AIMA', { did: wallet.holder })
    const status = await institute.status()
    expect((await wallet.importCredential(vc, { status })).replaced).toBeUndefined()
    const again = await wallet.importCredential(vc, { status })
    expect(again).toMatchObject({ imported: true, replaced: true })
  })

  it('refuses a tampered credential: ERR_PROOF_INVALID, nothing stored', async () => {
    const vc = await institute.issue('CAAE', { did: wallet.holder })
    const before = (await readdir(join(wallet.dir, 'credentials'))).length
    const tampered = structuredClone(vc)
    tampered.credentialSubject.name = 'Mallory'
    const result = await wallet.importCredential(tampered, { status: await institute.status() })
    expect(result.imported).toBe(false)
    expect(result.problems.map((p) => p.code)).toEqual(['ERR_PROOF_INVALID'])
    expect((await readdir(join(wallet.dir, 'credentials'))).length).toBe(before)
  })

  it('refuses a self-issued lookalike: ERR_ISSUER_UNTRUSTED', async () => {
    const impostor = await generateIssuerKey()
    const vc = await issueCredential({
      program: 'CAAE',
      key: impostor,
      recipient: { name: 'Ada Lovelace', did: wallet.holder },
    })
    const result = await wallet.importCredential(vc, { status: await institute.status() })
    expect(result.imported).toBe(false)
    expect(result.problems.map((p) => p.code)).toEqual(['ERR_ISSUER_UNTRUSTED'])
  })

  it('refuses a revoked credential: ERR_STATUS_REVOKED', async () => {
    const vc = await institute.issue('AIDA', { did: wallet.holder })
    await institute.registry.revoke(vc.id, 'issued in error')
    const result = await wallet.importCredential(vc, { status: await institute.status() })
    expect(result.imported).toBe(false)
    expect(result.problems.map((p) => p.code)).toEqual(['ERR_STATUS_REVOKED'])
  })

  it('refuses when the status cannot be established: ERR_STATUS_UNKNOWN', async () => {
    const vc = await institute.issue('AIDA', { did: wallet.holder })
    const { createOfflineStatusListSource } = await import('@certify-vc/verifier')
    const result = await wallet.importCredential(vc, {
      status: { source: createOfflineStatusListSource([]), cache: false },
    })
    expect(result.problems.map((p) => p.code)).toEqual(['ERR_STATUS_UNKNOWN'])
  })

  it('refuses a credential issued to someone else, or to an email only: ERR_WALLET_SUBJECT_MISMATCH', async () => {
    const status = await institute.status()
    const other = await generateIssuerKey()
    const theirs = await institute.issue('AIDA', { did: other.did })
    const byEmail = await institute.issue('AIDA', { email: 'ada@example.org' })
    for (const vc of [theirs, byEmail]) {
      const result = await wallet.importCredential(vc, { status })
      expect(result.verification.verified).toBe(true)
      expect(result.imported).toBe(false)
      expect(result.problems.map((p) => p.code)).toEqual(['ERR_WALLET_SUBJECT_MISMATCH'])
    }
  })

  it('refuses input that is not JSON: ERR_INPUT_NOT_JSON', async () => {
    const result = await wallet.importCredential('{"oops"', { status: await institute.status() })
    expect(result.problems.map((p) => p.code)).toEqual(['ERR_INPUT_NOT_JSON'])
  })
})

describe('list and find', () => {
  it('lists every credential with catalog display data and its current standing', async () => {
    const sub = await initWallet(join(dir, 'listing'), { trustedIssuers: [institute.key.did] })
    const aida = await institute.issue('AIDA', { did: sub.holder })
    const caae = await institute.issue('CAAE', { did: sub.holder }, { suspension: true })
    const aima = await institute.issue('AIMA', { did: sub.holder }, { format: 'vc1.1' })
    let status = await institute.status()
    for (const vc of [aida, caae, aima]) {
      expect((await sub.importCredential(vc, { status, now: new Date() })).imported).toBe(true)
    }
    await institute.registry.revoke(aida.id, 'misconduct')
    await institute.registry.suspend(caae.id, 'renewal pending')
    status = await institute.status()
    const entries = await sub.list({ status })
    expect(entries.map((e) => [e.program?.code, e.standing, e.codes])).toEqual([
      ['AIDA', 'revoked', ['ERR_STATUS_REVOKED']],
      ['CAAE', 'suspended', ['ERR_STATUS_SUSPENDED']],
      ['AIMA', 'valid', []],
    ])
    const [first] = entries
    expect(first).toMatchObject({
      id: aida.id,
      issuer: { did: institute.key.did, name: 'Production AI Institute' },
      program: { code: 'AIDA', name: 'AI Deployment Awareness (AIDA)' },
      subjectName: 'Ada Lovelace',
      validFrom: aida.validFrom,
    })
    expect(entries[2]?.validFrom).toBe(aima.issuanceDate)

    expect((await sub.find('caae')).credential.id).toBe(caae.id)
    expect((await sub.find(caae.id)).credential.id).toBe(caae.id)
    const local = entries[2]?.localId ?? ''
    expect((await sub.find(local)).credential.id).toBe(aima.id)
    await expect(sub.find('nope')).rejects.toMatchObject({
      code: 'ERR_WALLET_CREDENTIAL_NOT_FOUND',
    })
  })

  it('a credential whose issuer is no longer trusted lists as invalid, without catalog names', async () => {
    const sub = await initWallet(join(dir, 'distrust'), { trustedIssuers: [institute.key.did] })
    const vc = await institute.issue('AIDA', { did: sub.holder })
    const status = await institute.status()
    expect((await sub.importCredential(vc, { status })).imported).toBe(true)
    const config = JSON.parse(await readFile(join(sub.dir, 'wallet.json'), 'utf8')) as Record<
      string,
      unknown
    >
    const other = await generateIssuerKey()
    await writeFile(
      join(sub.dir, 'wallet.json'),
      JSON.stringify({ ...config, trustedIssuers: [other.did] }),
    )
    const [entry] = await (await openWallet(sub.dir)).list({ status })
    expect(entry).toMatchObject({ standing: 'invalid', codes: ['ERR_ISSUER_UNTRUSTED'] })
    expect(entry?.program).toBeUndefined()
    expect(entry?.issuer.name).toBeUndefined()
  })
})

describe('present', () => {
  it('signs a selective presentation for the challenge and domain (both formats), verifiable', async () => {
    const { createChallengeStore, verifyPresentation } = await import('@certify-vc/verifier')
    const sub = await initWallet(join(dir, 'present'), { trustedIssuers: [institute.key.did] })
    const aida = await institute.issue('AIDA', { did: sub.holder }, { format: 'vc1.1' })
    const aima = await institute.issue('AIMA', { did: sub.holder })
    const status = await institute.status()
    for (const vc of [aida, aima])
      expect((await sub.importCredential(vc, { status })).imported).toBe(true)
    const store = createChallengeStore()
    for (const format of ['vc2', 'vc1.1'] as const) {
      const { challenge } = await store.issue({ domain: 'example.com' })
      const vp = await sub.present({
        challenge,
        domain: 'example.com',
        // A VC 2.0 presentation carries both editions; a VC 1.1 one only VC 1.1 credentials.
        credentials: format === 'vc2' ? ['aida', aima.id] : ['aida'],
        format,
      })
      expect(vp.verifiableCredential?.map((c) => c.id)).toEqual(
        format === 'vc2' ? [aida.id, aima.id] : [aida.id],
      )
      expect(vp.proof.type).toBe(format === 'vc2' ? 'DataIntegrityProof' : 'Ed25519Signature2020')
      const result = await verifyPresentation(vp, {
        trustedIssuers: [institute.key.did],
        challenge,
        domain: 'example.com',
        challengeStore: store,
        status,
      })
      expect(result.problems).toEqual([])
      expect(result.verified).toBe(true)
    }
  })

  it('refuses bad requests: no challenge, no domain, nothing chosen, unknown or repeated credentials', async () => {
    const sub = await initWallet(join(dir, 'present-bad'), { trustedIssuers: [institute.key.did] })
    const vc = await institute.issue('AIDA', { did: sub.holder })
    expect((await sub.importCredential(vc, { status: await institute.status() })).imported).toBe(
      true,
    )
    const ok = { challenge: 'uAAAA', domain: 'example.com', credentials: ['AIDA'] }
    await expect(sub.present({ ...ok, challenge: '' })).rejects.toThrow(TypeError)
    await expect(sub.present({ ...ok, domain: ' ' })).rejects.toThrow(TypeError)
    await expect(sub.present({ ...ok, credentials: [] })).rejects.toThrow(TypeError)
    await expect(sub.present({ ...ok, credentials: ['AIDA', vc.id] })).rejects.toThrow(TypeError)
    await expect(sub.present({ ...ok, format: 'vc1.1' })).rejects.toThrow(/use format "vc2"/)
    await expect(sub.present({ ...ok, credentials: ['CAAE'] })).rejects.toMatchObject({
      code: 'ERR_WALLET_CREDENTIAL_NOT_FOUND',
    })
  })
})
