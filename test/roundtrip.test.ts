import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CATALOG, PROGRAM_CODES, createCatalog } from '@certify-vc/context'
import {
  generateIssuerKey,
  issueCredential,
  loadIssuerKey,
  saveIssuerKey,
  type IssuerKey,
} from '@certify-vc/issuer'
import { verifyCredential } from '@certify-vc/verifier'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let key: IssuerKey
const dir = mkdtempSync(join(tmpdir(), 'certify-vc-roundtrip-'))
beforeAll(async () => {
  key = await generateIssuerKey()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('issuer → verifier', () => {
  for (const program of PROGRAM_CODES) {
    for (const format of ['vc2', 'vc1.1'] as const) {
      it(`${program} (${format}) issued by the issuer verifies`, async () => {
        const credential = await issueCredential({
          program,
          format,
          key,
          recipient: {
            name: 'Ada Lovelace',
            did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
          },
        })
        const result = await verifyCredential(credential, { trustedIssuers: [key.did] })
        expect(result.problems).toEqual([])
        expect(result.verified).toBe(true)
        expect(result.credential).toMatchObject({
          format,
          issuer: key.did,
          subject: { name: 'Ada Lovelace' },
          program: { code: program, name: CATALOG.programs[program].name },
        })
        // survives a trip through JSON text, as a file would
        expect(
          (await verifyCredential(JSON.stringify(credential), { trustedIssuers: [key.did] }))
            .verified,
        ).toBe(true)
      })
    }
  }

  it('an email-only learner verifies, and the email is nowhere in the credential', async () => {
    const credential = await issueCredential({
      program: 'AIDA',
      key,
      recipient: { name: 'Ada', email: 'ada@example.org' },
    })
    expect(JSON.stringify(credential)).not.toContain('ada@example.org')
    expect((await verifyCredential(credential, { trustedIssuers: [key.did] })).verified).toBe(true)
  })

  it('a key saved to a file and loaded again signs credentials that verify', async () => {
    const path = join(dir, 'issuer-key.json')
    await saveIssuerKey(path, key)
    const loaded = await loadIssuerKey(path)
    expect(loaded.did).toBe(key.did)
    const credential = await issueCredential({
      program: 'CAAE',
      key: loaded,
      recipient: { name: 'Alan Turing' },
    })
    expect((await verifyCredential(credential, { trustedIssuers: [key.did] })).verified).toBe(true)
  })

  it('an expiring program: valid now, expired after its validity', async () => {
    const catalog = createCatalog({ validity: { CAAE: { expires: true, days: 730 } } })
    const validFrom = new Date('2026-11-29T12:00:00Z')
    const credential = await issueCredential({
      program: 'CAAE',
      key,
      recipient: { name: 'Ada' },
      catalog,
      validFrom,
      now: validFrom,
    })
    expect(credential.validUntil).toBe('2028-11-28T12:00:00Z')
    const opts = { trustedIssuers: [key.did], catalog }
    expect(
      (await verifyCredential(credential, { ...opts, now: new Date('2027-06-01T00:00:00Z') }))
        .verified,
    ).toBe(true)
    const later = await verifyCredential(credential, {
      ...opts,
      now: new Date('2028-12-01T00:00:00Z'),
    })
    expect(later.verified).toBe(false)
    expect(later.problems).toContainEqual(
      expect.objectContaining({ code: 'ERR_VALIDITY_EXPIRED', path: '/validUntil' }),
    )
  })
})
