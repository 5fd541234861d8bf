/** The offline folder source (`certify-vc verify --status-dir`): lists matched by `id`. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createDirectoryStatusListSource, verifyCredential } from '../../src/index.node.js'
import { NOW, makeIssuer, signedCredential, type TestIssuer } from '../helpers.js'
import { entry, revocationUrl, signedList, suspensionUrl } from '../status-fixtures.js'

let issuer: TestIssuer
let dir: string

beforeAll(async () => {
  issuer = await makeIssuer(1)
})
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'certify-vc-status-dir-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('createDirectoryStatusListSource', () => {
  it('matches lists by id, whatever the file names, and verifies end to end', async () => {
    writeFileSync(
      join(dir, 'a.json'),
      JSON.stringify(await signedList(issuer, revocationUrl(), { set: [12] })),
    )
    writeFileSync(
      join(dir, 'whatever-name.json'),
      JSON.stringify(await signedList(issuer, suspensionUrl(), { purpose: 'suspension' })),
    )
    writeFileSync(join(dir, 'notes.txt'), 'not a list')
    writeFileSync(join(dir, 'broken.json'), '{"id":')
    mkdirSync(join(dir, 'sub.json'))
    const vc = await signedCredential(issuer, {
      patch: (c) =>
        void (c.credentialStatus = [
          entry(revocationUrl(), 12),
          entry(suspensionUrl(), 12, 'suspension'),
        ]),
    })
    const r = await verifyCredential(vc, {
      trustedIssuers: [issuer.did],
      now: NOW,
      status: { source: createDirectoryStatusListSource(dir), cache: false },
    })
    expect(r.verified).toBe(false)
    expect(r.problems).toEqual([
      expect.objectContaining({ code: 'ERR_STATUS_REVOKED', path: '/credentialStatus/0' }),
    ])
    expect(r.credential.status).toHaveLength(2)
  })

  it('a list missing from the folder is ERR_STATUS_UNKNOWN', async () => {
    const vc = await signedCredential(issuer, {
      patch: (c) => void (c.credentialStatus = entry(revocationUrl(), 12)),
    })
    const r = await verifyCredential(vc, {
      trustedIssuers: [issuer.did],
      now: NOW,
      status: { source: createDirectoryStatusListSource(dir), cache: false },
    })
    expect(r.problems).toEqual([
      expect.objectContaining({
        code: 'ERR_STATUS_UNKNOWN',
        path: '/credentialStatus/statusListCredential',
      }),
    ])
  })

  it('sees files written after it was created', async () => {
    const source = createDirectoryStatusListSource(dir)
    await expect(source.get(revocationUrl(), {})).rejects.toThrow(/No status list/)
    const list = await signedList(issuer, revocationUrl())
    writeFileSync(join(dir, 'late.json'), JSON.stringify(list))
    await expect(source.get(revocationUrl(), {})).resolves.toEqual(list)
  })

  it('refuses to choose between two different files with the same id', async () => {
    writeFileSync(join(dir, 'one.json'), JSON.stringify(await signedList(issuer, revocationUrl())))
    writeFileSync(
      join(dir, 'two.json'),
      JSON.stringify(await signedList(issuer, revocationUrl(), { set: [1] })),
    )
    await expect(createDirectoryStatusListSource(dir).get(revocationUrl(), {})).rejects.toThrow(
      /one\.json, two\.json/,
    )
  })

  it('identical copies under two names are fine', async () => {
    const text = JSON.stringify(await signedList(issuer, revocationUrl()))
    writeFileSync(join(dir, 'one.json'), text)
    writeFileSync(join(dir, 'copy.json'), text)
    await expect(createDirectoryStatusListSource(dir).get(revocationUrl(), {})).resolves.toEqual(
      JSON.parse(text),
    )
  })

  it('ignores files over the size cap', async () => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify(await signedList(issuer, revocationUrl())))
    await expect(
      createDirectoryStatusListSource(dir, { maxFileBytes: 100 }).get(revocationUrl(), {}),
    ).rejects.toThrow(/No status list/)
  })

  it('a missing folder rejects; bad arguments throw TypeError', async () => {
    await expect(
      createDirectoryStatusListSource(join(dir, 'nope')).get(revocationUrl(), {}),
    ).rejects.toThrow()
    expect(() => createDirectoryStatusListSource('')).toThrow(TypeError)
    expect(() => createDirectoryStatusListSource(dir, { maxFileBytes: 0 })).toThrow(TypeError)
  })
})
