import { createPublicKey, verify } from 'node:crypto'
import { chmod, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { inspect } from 'node:util'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { decodeEd25519PublicKeyMultibase } from '@certify-vc/context'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  exportIssuerKeyFile,
  generateIssuerKey,
  importIssuerKey,
  loadIssuerKey,
  saveIssuerKey,
  type IssuerKey,
} from '../src/index.js'
import { fixedKey, posix, tempDir } from './helpers.js'

// The W3C vc-di-eddsa key pair (TestVectors/keyPair.json), inlined so these tests never skip.
const VECTOR_PUBLIC = 'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2'
const VECTOR_SECRET = 'z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq'
const VECTOR_DID = `did:key:${VECTOR_PUBLIC}`

function verifyWith(key: IssuerKey, data: Uint8Array, signature: Uint8Array): boolean {
  const raw = decodeEd25519PublicKeyMultibase(key.publicKeyMultibase)
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw])
  return verify(null, data, createPublicKey({ key: spki, format: 'der', type: 'spki' }), signature)
}

describe('generateIssuerKey', () => {
  it('makes a did:key Ed25519 key whose signer signs for its verification method', async () => {
    const key = await generateIssuerKey()
    expect(key.publicKeyMultibase).toMatch(/^z6Mk[1-9A-HJ-NP-Za-km-z]+$/)
    expect(key.did).toBe(`did:key:${key.publicKeyMultibase}`)
    expect(key.verificationMethodId).toBe(`${key.did}#${key.publicKeyMultibase}`)
    expect(key.toJSON()).toEqual({
      type: 'Multikey',
      id: key.verificationMethodId,
      controller: key.did,
      publicKeyMultibase: key.publicKeyMultibase,
    })
    const signer = key.signer()
    expect(signer).toMatchObject({ id: key.verificationMethodId, algorithm: 'Ed25519' })
    const data = new TextEncoder().encode('hello')
    const signature = await signer.sign({ data })
    expect(signature).toBeInstanceOf(Uint8Array)
    expect(signature).toHaveLength(64)
    expect(verifyWith(key, data, signature)).toBe(true)
  })

  it('is deterministic for a seed and random without one', async () => {
    const a = await fixedKey(1)
    const b = await fixedKey(1)
    const c = await fixedKey(2)
    expect(a.did).toBe(b.did)
    expect(a.did).not.toBe(c.did)
    expect((await generateIssuerKey()).did).not.toBe((await generateIssuerKey()).did)
  })

  it('rejects bad options with TypeError', async () => {
    await expect(generateIssuerKey({ seed: new Uint8Array(31) })).rejects.toThrow(TypeError)
    await expect(
      generateIssuerKey({ seed: 'x'.repeat(32) as unknown as Uint8Array }),
    ).rejects.toThrow(TypeError)
    await expect(generateIssuerKey(null as unknown as object)).rejects.toThrow(TypeError)
    await expect(generateIssuerKey({ sed: new Uint8Array(32) } as object)).rejects.toThrow(
      TypeError,
    )
  })
})

describe('the secret key is never exposed', () => {
  it('not by JSON.stringify, util.inspect, String(), the signer or property enumeration', async () => {
    const key = await fixedKey()
    const { secretKeyMultibase } = exportIssuerKeyFile(key)
    const views = [
      JSON.stringify(key),
      JSON.stringify({ nested: { key } }),
      inspect(key),
      inspect(key, { showHidden: true, depth: Infinity, getters: true }),
      inspect({ key }, { showHidden: true, depth: Infinity }),
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- IssuerKey has its own
      String(key),
      `${key as unknown as string}`,
      JSON.stringify(key.signer()),
      inspect(key.signer(), { showHidden: true, depth: Infinity }),
      JSON.stringify(Object.entries(key)),
      JSON.stringify({ ...key }),
      Reflect.ownKeys(key).map(String).join(','),
    ]
    for (const view of views) {
      expect(view).not.toContain(secretKeyMultibase)
      expect(view).not.toContain(secretKeyMultibase.slice(1, 20))
      expect(view).not.toMatch(/secret/i)
    }
    expect(Object.keys(key).sort()).toEqual([
      'did',
      'keyType',
      'publicKeyMultibase',
      'verificationMethodId',
    ])
    expect(inspect(key)).toContain(key.did)
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- IssuerKey has its own
    expect(String(key)).toBe(`IssuerKey(${key.verificationMethodId})`)
    expect(Object.isFrozen(key)).toBe(true)
  })
})

describe('exportIssuerKeyFile / importIssuerKey', () => {
  it('round-trips, with the 32-byte seed form of secretKeyMultibase', async () => {
    const key = await fixedKey()
    const file = exportIssuerKeyFile(key)
    expect(Object.keys(file).sort()).toEqual([
      'controller',
      'id',
      'publicKeyMultibase',
      'secretKeyMultibase',
      'type',
    ])
    expect(file).toMatchObject(key.toJSON())
    // multicodec ed25519-priv (0x8026) + 32 bytes in base58btc always starts "z3u2".
    expect(file.secretKeyMultibase).toMatch(/^z3u2[1-9A-HJ-NP-Za-km-z]{40,46}$/)
    const again = await importIssuerKey(JSON.parse(JSON.stringify(file)))
    expect(again.toJSON()).toEqual(key.toJSON())
    const data = new Uint8Array([1, 2, 3])
    expect(await again.signer().sign({ data })).toEqual(await key.signer().sign({ data }))
  })

  it('imports the W3C vector key pair, with or without id, controller and @context', async () => {
    const bare = await importIssuerKey({
      type: 'Multikey',
      publicKeyMultibase: VECTOR_PUBLIC,
      secretKeyMultibase: VECTOR_SECRET,
    })
    expect(bare.did).toBe(VECTOR_DID)
    expect(bare.verificationMethodId).toBe(`${VECTOR_DID}#${VECTOR_PUBLIC}`)
    const full = await importIssuerKey({
      '@context': 'https://w3id.org/security/multikey/v1',
      type: 'Multikey',
      id: `${VECTOR_DID}#${VECTOR_PUBLIC}`,
      controller: VECTOR_DID,
      publicKeyMultibase: VECTOR_PUBLIC,
      secretKeyMultibase: VECTOR_SECRET,
    })
    expect(full.toJSON()).toEqual(bare.toJSON())
    expect(exportIssuerKeyFile(full).secretKeyMultibase).toBe(VECTOR_SECRET)
  })

  it("imports the library's legacy 64-byte secret form and exports the 32-byte form", async () => {
    const pair = await Ed25519Multikey.generate({ seed: new Uint8Array(32).fill(9) })
    const legacy = await pair.export({ publicKey: true, secretKey: true, includeContext: true })
    const key = await importIssuerKey({
      ...legacy,
      controller: `did:key:${pair.publicKeyMultibase}`,
    })
    expect(key.did).toBe(`did:key:${pair.publicKeyMultibase}`)
    expect(exportIssuerKeyFile(key).secretKeyMultibase).toBe(
      exportIssuerKeyFile(await fixedKey(9)).secretKeyMultibase,
    )
  })

  it('keeps a did:web controller and its fragment', async () => {
    const key = await importIssuerKey({
      type: 'Multikey',
      id: 'did:web:production-ai.institute#key-1',
      controller: 'did:web:production-ai.institute',
      publicKeyMultibase: VECTOR_PUBLIC,
      secretKeyMultibase: VECTOR_SECRET,
    })
    expect(key.did).toBe('did:web:production-ai.institute')
    expect(key.verificationMethodId).toBe('did:web:production-ai.institute#key-1')
    expect(key.signer().id).toBe('did:web:production-ai.institute#key-1')
  })

  it('rejects a key file whose public key does not match its secret key', async () => {
    const other = exportIssuerKeyFile(await fixedKey(3))
    const error: unknown = await importIssuerKey({
      type: 'Multikey',
      publicKeyMultibase: VECTOR_PUBLIC,
      secretKeyMultibase: other.secretKeyMultibase,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_KEY_INVALID' })
    expect(String((error as Error).message)).not.toContain(other.secretKeyMultibase)
  })

  const good = {
    type: 'Multikey',
    id: `${VECTOR_DID}#${VECTOR_PUBLIC}`,
    controller: VECTOR_DID,
    publicKeyMultibase: VECTOR_PUBLIC,
    secretKeyMultibase: VECTOR_SECRET,
  }
  const otherDidKey = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'
  it.each([
    ['null', null],
    ['a string', JSON.stringify(good)],
    ['an array', [good]],
    ['no type', { ...good, type: undefined }],
    ['another type', { ...good, type: 'Ed25519VerificationKey2020' }],
    ['an unknown member', { ...good, privateKeyMultibase: VECTOR_SECRET }],
    ['a wrong @context', { ...good, '@context': 'https://example.org/ctx' }],
    ['no public key', { ...good, publicKeyMultibase: undefined }],
    ['no secret key', { ...good, secretKeyMultibase: undefined }],
    ['a numeric secret key', { ...good, secretKeyMultibase: 42 }],
    ['a non-base58btc secret key', { ...good, secretKeyMultibase: 'u' + VECTOR_SECRET.slice(1) }],
    ['invalid base58 characters', { ...good, secretKeyMultibase: 'z0OIl0OIl0OIl' }],
    ['a public key as secret key', { ...good, secretKeyMultibase: VECTOR_PUBLIC }],
    ['a truncated secret key', { ...good, secretKeyMultibase: VECTOR_SECRET.slice(0, -3) }],
    ['a non-Ed25519 public key', { ...good, publicKeyMultibase: VECTOR_SECRET }],
    ['a controller of another did:key', { ...good, controller: otherDidKey }],
    ['a controller that is no DID', { ...good, controller: 'https://example.org' }],
    ['an id of another DID', { ...good, id: `${otherDidKey}#${VECTOR_PUBLIC}` }],
    ['an id with another fragment', { ...good, id: `${VECTOR_DID}#key-1` }],
    ['an id without fragment', { ...good, id: VECTOR_DID }],
    ['a numeric id', { ...good, id: 7 }],
  ])('rejects %s with ERR_KEY_INVALID', async (_label, keyFile) => {
    const input: unknown =
      keyFile !== null && typeof keyFile === 'object' && !Array.isArray(keyFile)
        ? JSON.parse(JSON.stringify(keyFile))
        : keyFile
    await expect(importIssuerKey(input)).rejects.toMatchObject({ code: 'ERR_KEY_INVALID' })
  })

  it('exportIssuerKeyFile rejects anything but an IssuerKey made here with TypeError', async () => {
    const key = await fixedKey()
    expect(() =>
      exportIssuerKeyFile({ ...key, signer: () => key.signer(), toJSON: () => key.toJSON() }),
    ).toThrow(TypeError)
    expect(() => exportIssuerKeyFile(null as unknown as IssuerKey)).toThrow(TypeError)
    expect(() => exportIssuerKeyFile('key' as unknown as IssuerKey)).toThrow(TypeError)
  })
})

describe('saveIssuerKey / loadIssuerKey', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
  })
  afterEach(async () => {
    await cleanup()
  })

  it('writes JSON with mode 0600, leaves no temporary file, and loads it back', async () => {
    const key = await fixedKey()
    const path = join(dir, 'issuer-key.json')
    await saveIssuerKey(path, key)
    if (posix) expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(exportIssuerKeyFile(key))
    expect(await readdir(dir)).toEqual(['issuer-key.json'])
    const loaded = await loadIssuerKey(path)
    expect(loaded.toJSON()).toEqual(key.toJSON())
    const data = new Uint8Array([4, 5, 6])
    expect(await loaded.signer().sign({ data })).toEqual(await key.signer().sign({ data }))
  })

  it('refuses to overwrite an existing file unless overwrite: true', async () => {
    const first = await fixedKey(1)
    const second = await fixedKey(2)
    const path = join(dir, 'issuer-key.json')
    await saveIssuerKey(path, first)
    await expect(saveIssuerKey(path, second)).rejects.toMatchObject({ code: 'ERR_KEY_FILE' })
    await expect(saveIssuerKey(path, second, { overwrite: false })).rejects.toMatchObject({
      code: 'ERR_KEY_FILE',
    })
    expect((await loadIssuerKey(path)).did).toBe(first.did)
    expect(await readdir(dir)).toEqual(['issuer-key.json'])
    await saveIssuerKey(path, second, { overwrite: true })
    expect((await loadIssuerKey(path)).did).toBe(second.did)
    if (posix) expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readdir(dir)).toEqual(['issuer-key.json'])
  })

  it('refuses to overwrite a file it did not write either', async () => {
    const path = join(dir, 'precious.txt')
    await writeFile(path, 'keep me')
    await expect(saveIssuerKey(path, await fixedKey())).rejects.toMatchObject({
      code: 'ERR_KEY_FILE',
    })
    expect(await readFile(path, 'utf8')).toBe('keep me')
  })

  it.skipIf(!posix).each([0o644, 0o640, 0o604, 0o660, 0o666, 0o700 | 0o004])(
    'refuses a key file with mode %o (like ssh)',
    async (mode) => {
      const path = join(dir, 'issuer-key.json')
      await saveIssuerKey(path, await fixedKey())
      await chmod(path, mode)
      const error: unknown = await loadIssuerKey(path).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'ERR_KEY_FILE' })
      expect((error as Error).message).toContain('chmod 600')
    },
  )

  it.skipIf(!posix)('accepts a stricter mode (0400)', async () => {
    const path = join(dir, 'issuer-key.json')
    const key = await fixedKey()
    await saveIssuerKey(path, key)
    await chmod(path, 0o400)
    expect((await loadIssuerKey(path)).did).toBe(key.did)
  })

  async function writeKeyFile(name: string, content: string | Uint8Array): Promise<string> {
    const path = join(dir, name)
    await writeFile(path, content, { mode: 0o600 })
    return path
  }

  it('reports a missing file or a directory as ERR_KEY_FILE', async () => {
    await expect(loadIssuerKey(join(dir, 'nope.json'))).rejects.toMatchObject({
      code: 'ERR_KEY_FILE',
    })
    const sub = join(dir, 'sub')
    await mkdir(sub, { mode: 0o700 })
    await expect(loadIssuerKey(sub)).rejects.toMatchObject({ code: 'ERR_KEY_FILE' })
  })

  it('reports a corrupted file as ERR_KEY_FILE without quoting it', async () => {
    const { secretKeyMultibase } = exportIssuerKeyFile(await fixedKey())
    const text = `{"type":"Multikey","secretKeyMultibase":"${secretKeyMultibase}"` // truncated
    const path = await writeKeyFile('corrupt.json', text)
    const error: unknown = await loadIssuerKey(path).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_KEY_FILE' })
    expect((error as Error).message).not.toContain(secretKeyMultibase.slice(1, 12))
    expect((error as Error).cause).toBeUndefined()
    await expect(loadIssuerKey(await writeKeyFile('empty.json', ''))).rejects.toMatchObject({
      code: 'ERR_KEY_FILE',
    })
    const latin1 = Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x7d])
    await expect(loadIssuerKey(await writeKeyFile('bytes.json', latin1))).rejects.toMatchObject({
      code: 'ERR_KEY_FILE',
    })
    await expect(
      loadIssuerKey(await writeKeyFile('big.json', ' '.repeat(70_000) + '{}')),
    ).rejects.toMatchObject({ code: 'ERR_KEY_FILE' })
  })

  it('reports a file with a mismatched key pair as ERR_KEY_FILE caused by ERR_KEY_INVALID', async () => {
    const a = exportIssuerKeyFile(await fixedKey(1))
    const b = exportIssuerKeyFile(await fixedKey(2))
    const path = await writeKeyFile(
      'mixed.json',
      JSON.stringify({ ...a, secretKeyMultibase: b.secretKeyMultibase }),
    )
    const error: unknown = await loadIssuerKey(path).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_KEY_FILE', cause: { code: 'ERR_KEY_INVALID' } })
    expect((error as Error).message).not.toContain(b.secretKeyMultibase)
  })

  it.skipIf(!posix || process.getuid?.() === 0)(
    'reports an unreadable file as ERR_KEY_FILE',
    async () => {
      const path = join(dir, 'issuer-key.json')
      await saveIssuerKey(path, await fixedKey())
      await chmod(path, 0o000)
      await expect(loadIssuerKey(path)).rejects.toMatchObject({ code: 'ERR_KEY_FILE' })
    },
  )

  it('reports an unwritable location as ERR_KEY_FILE', async () => {
    await expect(
      saveIssuerKey(join(dir, 'missing-dir', 'issuer-key.json'), await fixedKey()),
    ).rejects.toMatchObject({ code: 'ERR_KEY_FILE' })
  })

  it('rejects bad arguments with TypeError', async () => {
    const key = await fixedKey()
    const path = join(dir, 'k.json')
    await expect(saveIssuerKey('', key)).rejects.toThrow(TypeError)
    await expect(saveIssuerKey(42 as unknown as string, key)).rejects.toThrow(TypeError)
    await expect(saveIssuerKey(path, {} as IssuerKey)).rejects.toThrow(TypeError)
    await expect(
      saveIssuerKey(path, { ...key, signer: () => key.signer(), toJSON: () => key.toJSON() }),
    ).rejects.toThrow(TypeError)
    await expect(
      saveIssuerKey(path, key, { overwrite: 'yes' as unknown as boolean }),
    ).rejects.toThrow(TypeError)
    await expect(saveIssuerKey(path, key, { force: true } as object)).rejects.toThrow(TypeError)
    expect(await readdir(dir)).toEqual([])
    await expect(loadIssuerKey('')).rejects.toThrow(TypeError)
    await expect(loadIssuerKey(undefined as unknown as string)).rejects.toThrow(TypeError)
  })
})
