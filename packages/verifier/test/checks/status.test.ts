/**
 * The status check through verifyCredential, with offline sources: revocation, suspension,
 * message, legacy lists, every attack on the status list credential (docs/attacks.md D1–D10, B5),
 * and the cache.
 */
import { CONTEXT_URLS } from '@certify-vc/context'
import {
  encodeStatusList,
  decodeStatusList,
  setStatus,
  signDocument,
  createSuite,
} from '@certify-vc/core'
import {
  createOfflineStatusListSource,
  createStatusListCache,
  verifyCredential,
  type StatusListSource,
  type VerifyCredentialOptions,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  NOW,
  makeIssuer,
  sign,
  signedCredential,
  unsignedCredential,
  type TestIssuer,
} from '../helpers.js'
import {
  LIST_VALID_FROM,
  RL2020_CONTEXT_URL,
  entry,
  recordingSource,
  revocationUrl,
  rl2020Loader,
  signedList,
  signedRevocationList2020,
  signedStatusList2021,
  suspensionUrl,
  unsignedList,
} from '../status-fixtures.js'

const STATUS_LEGACY = 'https://production-ai.institute/status-2021'

let issuer: TestIssuer
let other: TestIssuer

beforeAll(async () => {
  issuer = await makeIssuer(1)
  other = await makeIssuer(2)
})

function check(result: VerifyCredentialResult, id: string) {
  const c = result.checks.find((x) => x.id === id)
  if (c === undefined) throw new Error(`no check ${id}`)
  return c
}

/** Asserts the status check failed with exactly `code` at `path`, and verified is false. */
function expectStatus(result: VerifyCredentialResult, code: string, path: string) {
  expect(result.verified).toBe(false)
  const status = check(result, 'status')
  expect(status.outcome).toBe('failed')
  expect(status.problems).toContainEqual(expect.objectContaining({ code, path }))
  // Every other check passed: the failure is the status alone.
  for (const c of result.checks) {
    // The credentials here name no relatedResource: that check does not apply.
    if (c.id === 'related-resources') expect(c.outcome).toBe('skipped')
    else if (c.id !== 'status') expect(c.outcome).toBe('passed')
  }
}

function expectPassed(result: VerifyCredentialResult) {
  expect(result.problems).toEqual([])
  expect(check(result, 'status').outcome).toBe('passed')
  expect(result.verified).toBe(true)
}

function options(source: StatusListSource, extra: Partial<VerifyCredentialOptions> = {}) {
  return {
    trustedIssuers: [issuer.did],
    now: NOW,
    status: { source, cache: false as const },
    ...extra,
  }
}

async function credentialWith(status: unknown, format: 'vc2' | 'vc1.1' = 'vc2') {
  return signedCredential(issuer, {
    format,
    patch: (c) => {
      c.credentialStatus = status
      if (format === 'vc1.1') (c['@context'] as string[]).push(CONTEXT_URLS.bitstringStatusListV1)
    },
  })
}

const offline = (...docs: unknown[]) => createOfflineStatusListSource(docs)

describe('status: revocation and suspension (BitstringStatusList)', () => {
  it('a credential whose bit is clear verifies, and the summary says what was read', async () => {
    const vc = await credentialWith(entry(revocationUrl(), 94567))
    const r = await verifyCredential(
      vc,
      options(offline(await signedList(issuer, revocationUrl()))),
    )
    expectPassed(r)
    expect(r.credential.status).toEqual([
      {
        path: '/credentialStatus',
        type: 'BitstringStatusListEntry',
        purpose: 'revocation',
        statusListCredential: revocationUrl(),
        statusListIndex: 94567,
        value: 0,
        message: 'unset',
      },
    ])
  })

  it('a revoked credential fails with ERR_STATUS_REVOKED', async () => {
    const vc = await credentialWith(entry(revocationUrl(), 94567))
    const list = await signedList(issuer, revocationUrl(), { set: [94567] })
    const r = await verifyCredential(vc, options(offline(list)))
    expectStatus(r, 'ERR_STATUS_REVOKED', '/credentialStatus')
    expect(r.credential.status?.[0]).toMatchObject({ value: 1, message: 'set' })
  })

  it('a neighbouring revoked index does not affect the credential', async () => {
    const vc = await credentialWith(entry(revocationUrl(), 8))
    const list = await signedList(issuer, revocationUrl(), { set: [7, 9] })
    expectPassed(await verifyCredential(vc, options(offline(list))))
  })

  it('a VC 1.1 credential with a BitstringStatusListEntry (status/v1 context) is checked too', async () => {
    const vc = await credentialWith(entry(revocationUrl(), 3), 'vc1.1')
    const list = await signedList(issuer, revocationUrl(), { set: [3] })
    expectStatus(
      await verifyCredential(vc, options(offline(list))),
      'ERR_STATUS_REVOKED',
      '/credentialStatus',
    )
  })

  it('two entries are both checked: suspended, then unsuspended (bit cleared)', async () => {
    const vc = await credentialWith([
      entry(revocationUrl(), 1234),
      entry(suspensionUrl(), 1234, 'suspension'),
    ])
    const revocation = await signedList(issuer, revocationUrl())
    const source = recordingSource(
      new Map([
        [revocationUrl(), revocation],
        [
          suspensionUrl(),
          await signedList(issuer, suspensionUrl(), { purpose: 'suspension', set: [1234] }),
        ],
      ]),
    )
    const suspended = await verifyCredential(vc, options(source))
    expectStatus(suspended, 'ERR_STATUS_SUSPENDED', '/credentialStatus/1')
    expect(suspended.problems).toHaveLength(1)
    expect(source.calls.sort()).toEqual([revocationUrl(), suspensionUrl()])
    expect(suspended.credential.status?.map((s) => [s.purpose, s.value])).toEqual([
      ['revocation', 0],
      ['suspension', 1],
    ])

    source.documents.set(
      suspensionUrl(),
      await signedList(issuer, suspensionUrl(), { purpose: 'suspension' }),
    )
    expectPassed(await verifyCredential(vc, options(source)))
  })

  it('two entries: the revocation entry is checked even when the suspension entry passes', async () => {
    const vc = await credentialWith([
      entry(revocationUrl(), 42),
      entry(suspensionUrl(), 42, 'suspension'),
    ])
    const source = offline(
      await signedList(issuer, revocationUrl(), { set: [42] }),
      await signedList(issuer, suspensionUrl(), { purpose: 'suspension' }),
    )
    const r = await verifyCredential(vc, options(source))
    expectStatus(r, 'ERR_STATUS_REVOKED', '/credentialStatus/0')
    expect(r.problems.map((p) => p.code)).toEqual(['ERR_STATUS_REVOKED'])
  })

  it('revoked and suspended at once reports both codes', async () => {
    const vc = await credentialWith([
      entry(revocationUrl(), 42),
      entry(suspensionUrl(), 42, 'suspension'),
    ])
    const source = offline(
      await signedList(issuer, revocationUrl(), { set: [42] }),
      await signedList(issuer, suspensionUrl(), { purpose: 'suspension', set: [42] }),
    )
    const r = await verifyCredential(vc, options(source))
    expect(r.verified).toBe(false)
    expect(check(r, 'status').problems.map((p) => [p.code, p.path])).toEqual([
      ['ERR_STATUS_REVOKED', '/credentialStatus/0'],
      ['ERR_STATUS_SUSPENDED', '/credentialStatus/1'],
    ])
  })

  it('a list may declare several purposes (statusPurpose array)', async () => {
    const url = `${revocationUrl()}-both`
    const vc = await credentialWith([entry(url, 5), entry(url, 5, 'suspension')])
    const list = await signedList(issuer, url, { purpose: ['revocation', 'suspension'], set: [5] })
    const r = await verifyCredential(vc, options(offline(list)))
    expect(check(r, 'status').problems.map((p) => p.code)).toEqual([
      'ERR_STATUS_REVOKED',
      'ERR_STATUS_SUSPENDED',
    ])
  })
})

describe('status: message purpose (statusSize > 1)', () => {
  const url = `${revocationUrl()}-messages`
  const messageEntry = (extra: Record<string, unknown> = {}) => ({
    ...entry(url, 77, 'message'),
    statusSize: 2,
    statusMessage: [
      { status: '0x0', message: 'pending_review' },
      { status: '0x1', message: 'accepted' },
      { status: '0x2', message: 'rejected' },
      { status: '0x3', message: 'undefined' },
    ],
    ...extra,
  })

  it('reports the message for the value and does not fail verification', async () => {
    const vc = await credentialWith(messageEntry())
    const list = await signedList(issuer, url, {
      purpose: 'message',
      statusSize: 2,
      set: { 77: 2 },
    })
    const r = await verifyCredential(vc, options(offline(list)))
    expectPassed(r)
    expect(r.credential.status?.[0]).toMatchObject({
      purpose: 'message',
      value: 2,
      message: 'rejected',
    })
  })

  it('a statusMessage without one item per possible value (2^statusSize) is ERR_STATUS_ENTRY_INVALID', async () => {
    const vc = await credentialWith(
      messageEntry({
        statusMessage: [
          { status: '0x0', message: 'pending_review' },
          { status: '0x1', message: 'accepted' },
        ],
      }),
    )
    const list = await signedList(issuer, url, {
      purpose: 'message',
      statusSize: 2,
      set: { 77: 3 },
    })
    expectStatus(
      await verifyCredential(vc, options(offline(list))),
      'ERR_STATUS_ENTRY_INVALID',
      '/credentialStatus/statusMessage',
    )
  })

  it('statusSize > 1 without statusMessage is ERR_STATUS_ENTRY_INVALID (no fetch)', async () => {
    const vc = await credentialWith(messageEntry({ statusMessage: undefined }))
    const source = recordingSource()
    expectStatus(
      await verifyCredential(vc, options(source)),
      'ERR_STATUS_ENTRY_INVALID',
      '/credentialStatus/statusMessage',
    )
    expect(source.calls).toEqual([])
  })

  it('the list length is checked in entries of statusSize bits', async () => {
    const vc = await credentialWith(messageEntry())
    // 131,072 bits hold only 65,536 two-bit entries.
    const list = await signedList(issuer, url, {
      purpose: 'message',
      entries: 131_072 / 2,
      statusSize: 2,
    })
    expectStatus(
      await verifyCredential(vc, options(offline(list))),
      'ERR_STATUS_LIST_TOO_SHORT',
      '/credentialStatus/statusListCredential',
    )
  })
})

describe('status: the status list credential is verified', () => {
  const url = revocationUrl()
  const vcAt = (index: number | string = 10) => credentialWith(entry(url, index))

  it('an unsigned list: ERR_STATUS_LIST_INVALID', async () => {
    const r = await verifyCredential(await vcAt(), options(offline(unsignedList(issuer, url))))
    expectStatus(r, 'ERR_STATUS_LIST_INVALID', '/credentialStatus/statusListCredential')
  })

  it('a forged list (signature by another key under the issuer’s key id): ERR_STATUS_LIST_INVALID', async () => {
    const genuine = await signedList(issuer, url)
    const forged = await signedList(issuer, url, { signer: other })
    // Keep the genuine proof's key id, swap in the other key's signature value.
    const proof = genuine.proof as Record<string, unknown>
    proof.proofValue = (forged.proof as Record<string, unknown>).proofValue
    const r = await verifyCredential(await vcAt(), options(offline(genuine)))
    expectStatus(r, 'ERR_STATUS_LIST_INVALID', '/credentialStatus/statusListCredential')
  })

  it('a tampered encodedList (bit flipped after signing): ERR_STATUS_LIST_INVALID', async () => {
    const list = await signedList(issuer, url, { set: [10] })
    const subject = list.credentialSubject as Record<string, unknown>
    const bits = decodeStatusList(subject.encodedList)
    setStatus(bits, 10, 0)
    subject.encodedList = encodeStatusList(bits) // "un-revoke" without the key
    const r = await verifyCredential(await vcAt(10), options(offline(list)))
    expectStatus(r, 'ERR_STATUS_LIST_INVALID', '/credentialStatus/statusListCredential')
    expect(r.problems.map((p) => p.code)).not.toContain('ERR_STATUS_REVOKED')
  })

  it('a list signed by another issuer (naming ours): ERR_STATUS_LIST_ISSUER_MISMATCH', async () => {
    const list = await signedList(issuer, url, { signer: other })
    expectStatus(
      await verifyCredential(await vcAt(), options(offline(list))),
      'ERR_STATUS_LIST_ISSUER_MISMATCH',
      '/credentialStatus/statusListCredential',
    )
  })

  it('a list naming and signed by another issuer: ERR_STATUS_LIST_ISSUER_MISMATCH', async () => {
    const list = await signedList(other, url)
    expectStatus(
      await verifyCredential(await vcAt(), options(offline(list))),
      'ERR_STATUS_LIST_ISSUER_MISMATCH',
      '/credentialStatus/statusListCredential',
    )
  })

  it('a list naming another issuer but signed by ours: ERR_STATUS_LIST_ISSUER_MISMATCH', async () => {
    const list = await signedList(issuer, url, {
      patch: (d) => void (d.issuer = other.did),
    })
    expectStatus(
      await verifyCredential(await vcAt(), options(offline(list))),
      'ERR_STATUS_LIST_ISSUER_MISMATCH',
      '/credentialStatus/statusListCredential',
    )
  })

  it('an expired list: ERR_STATUS_LIST_EXPIRED', async () => {
    const list = await signedList(issuer, url, {
      validFrom: '2026-10-01T00:00:00Z',
      validUntil: '2026-11-01T00:00:00Z',
    })
    expectStatus(
      await verifyCredential(await vcAt(), options(offline(list))),
      'ERR_STATUS_LIST_EXPIRED',
      '/credentialStatus/statusListCredential',
    )
  })

  it('a list not valid yet: ERR_STATUS_LIST_EXPIRED', async () => {
    const list = await signedList(issuer, url, {
      validFrom: '2026-12-01T00:00:00Z',
      validUntil: '2027-01-01T00:00:00Z',
    })
    expectStatus(
      await verifyCredential(await vcAt(), options(offline(list))),
      'ERR_STATUS_LIST_EXPIRED',
      '/credentialStatus/statusListCredential',
    )
  })

  it('a list whose id is not the entry URL: ERR_STATUS_LIST_INVALID', async () => {
    const elsewhere = await signedList(issuer, revocationUrl(2)) // served under /revocation/1
    const source = createOfflineStatusListSource(new Map([[url, elsewhere]]))
    expectStatus(
      await verifyCredential(await vcAt(), options(source)),
      'ERR_STATUS_LIST_INVALID',
      '/credentialStatus/statusListCredential',
    )
  })

  it('a suspension list for a revocation entry: ERR_STATUS_PURPOSE_MISMATCH', async () => {
    const list = await signedList(issuer, url, { purpose: 'suspension', set: [10] })
    const r = await verifyCredential(await vcAt(), options(offline(list)))
    expectStatus(r, 'ERR_STATUS_PURPOSE_MISMATCH', '/credentialStatus/statusPurpose')
    expect(r.problems.map((p) => p.code)).toEqual(['ERR_STATUS_PURPOSE_MISMATCH'])
  })

  it('a gzip bomb is refused while inflating: ERR_STATUS_LIST_TOO_LARGE', async () => {
    const bomb = encodeStatusList(new Uint8Array(20 * 1024 * 1024)) // 20 MiB of zeros, ~20 KB
    expect(bomb.length).toBeLessThan(100_000)
    const list = await signedList(issuer, url, {
      patch: (d) => void ((d.credentialSubject as Record<string, unknown>).encodedList = bomb),
    })
    expectStatus(
      await verifyCredential(await vcAt(), options(offline(list))),
      'ERR_STATUS_LIST_TOO_LARGE',
      '/credentialStatus/statusListCredential',
    )
  })

  it('the decoded size cap is configurable (maxListBytes)', async () => {
    const list = await signedList(issuer, url)
    const r = await verifyCredential(await vcAt(), {
      ...options(offline(list)),
      status: { source: offline(list), cache: false, maxListBytes: 1024 },
    })
    expectStatus(r, 'ERR_STATUS_LIST_TOO_LARGE', '/credentialStatus/statusListCredential')
  })

  it('a list shorter than 131,072 entries: ERR_STATUS_LIST_TOO_SHORT', async () => {
    const list = await signedList(issuer, url, { entries: 1024 })
    expectStatus(
      await verifyCredential(await vcAt(5), options(offline(list))),
      'ERR_STATUS_LIST_TOO_SHORT',
      '/credentialStatus/statusListCredential',
    )
  })

  it('an encodedList without the multibase prefix: ERR_STATUS_LIST_INVALID', async () => {
    const list = await signedList(issuer, url, {
      patch: (d) => {
        const s = d.credentialSubject as Record<string, unknown>
        s.encodedList = (s.encodedList as string).slice(1)
      },
    })
    expectStatus(
      await verifyCredential(await vcAt(), options(offline(list))),
      'ERR_STATUS_LIST_INVALID',
      '/credentialStatus/statusListCredential',
    )
  })

  it('a document that is not a status list credential: ERR_STATUS_LIST_INVALID', async () => {
    const notAList = await signedCredential(issuer, { patch: (c) => void (c.id = url) })
    expectStatus(
      await verifyCredential(await vcAt(), options(offline(notAList))),
      'ERR_STATUS_LIST_INVALID',
      '/credentialStatus/statusListCredential',
    )
  })

  it('a list with an unknown context is refused before any proof work: ERR_STATUS_LIST_INVALID', async () => {
    const list = await signedList(issuer, url)
    ;(list['@context'] as string[]).push('https://evil.example/context')
    const r = await verifyCredential(await vcAt(), options(offline(list)))
    expectStatus(r, 'ERR_STATUS_LIST_INVALID', '/credentialStatus/statusListCredential')
    expect(r.problems[0]?.message).toContain('ERR_CONTEXT_UNKNOWN')
  })

  it('a list with a __proto__ key is refused: ERR_STATUS_LIST_INVALID', async () => {
    const list = await signedList(issuer, url)
    const text = JSON.stringify(list).replace(
      '"credentialSubject":{',
      '"credentialSubject":{"__proto__":{},',
    )
    const r = await verifyCredential(await vcAt(), options(offline(JSON.parse(text))))
    expectStatus(r, 'ERR_STATUS_LIST_INVALID', '/credentialStatus/statusListCredential')
  })

  it('a source answering with garbage: ERR_STATUS_LIST_INVALID', async () => {
    const source = createOfflineStatusListSource(new Map([[url, 'not a credential']]))
    expectStatus(
      await verifyCredential(await vcAt(), options(source)),
      'ERR_STATUS_LIST_INVALID',
      '/credentialStatus/statusListCredential',
    )
  })
})

describe('status: the entry is checked strictly (before any fetch)', () => {
  const url = revocationUrl()

  it.each([
    ['"12abc"', '12abc'],
    ['"-1"', '-1'],
    ['"1e3"', '1e3'],
    ['" 7"', ' 7'],
    ['"+7"', '+7'],
    ['"007"', '007'],
    ['"3.5"', '3.5'],
    ['a number', 7],
    ['2^53 + 1', '9007199254740993'],
  ])('statusListIndex %s: ERR_STATUS_ENTRY_INVALID', async (_name, index) => {
    const source = recordingSource()
    const vc = await credentialWith({ ...entry(url, 7), statusListIndex: index })
    expectStatus(
      await verifyCredential(vc, options(source)),
      'ERR_STATUS_ENTRY_INVALID',
      '/credentialStatus/statusListIndex',
    )
    expect(source.calls).toEqual([])
  })

  it('an index in the second entry is reported at /credentialStatus/1/statusListIndex', async () => {
    const vc = await credentialWith([
      entry(url, 5),
      { ...entry(suspensionUrl(), 5, 'suspension'), statusListIndex: '5x' },
    ])
    const r = await verifyCredential(vc, options(offline(await signedList(issuer, url))))
    expectStatus(r, 'ERR_STATUS_ENTRY_INVALID', '/credentialStatus/1/statusListIndex')
    expect(r.credential.status).toHaveLength(1) // the first entry was still checked
  })

  it('an index beyond the list: ERR_STATUS_INDEX_OUT_OF_RANGE', async () => {
    const vc = await credentialWith(entry(url, 131_072))
    expectStatus(
      await verifyCredential(vc, options(offline(await signedList(issuer, url)))),
      'ERR_STATUS_INDEX_OUT_OF_RANGE',
      '/credentialStatus/statusListIndex',
    )
  })

  it('the last index of the list is in range', async () => {
    const vc = await credentialWith(entry(url, 131_071))
    const list = await signedList(issuer, url, { set: [131_071] })
    expectStatus(
      await verifyCredential(vc, options(offline(list))),
      'ERR_STATUS_REVOKED',
      '/credentialStatus',
    )
  })

  it('an entry whose id is the list URL (self reference): ERR_STATUS_ENTRY_INVALID', async () => {
    const vc = await credentialWith({ ...entry(url, 5), id: url })
    expectStatus(
      await verifyCredential(vc, options(recordingSource())),
      'ERR_STATUS_ENTRY_INVALID',
      '/credentialStatus/id',
    )
  })

  it('a missing statusPurpose: ERR_STATUS_ENTRY_INVALID', async () => {
    const { statusPurpose: _drop, ...rest } = entry(url, 5)
    const vc = await credentialWith(rest)
    expectStatus(
      await verifyCredential(vc, options(recordingSource())),
      'ERR_STATUS_ENTRY_INVALID',
      '/credentialStatus/statusPurpose',
    )
  })

  it('an unsupported purpose ("refresh"): ERR_STATUS_UNSUPPORTED', async () => {
    const vc = await credentialWith({ ...entry(url, 5), statusPurpose: 'refresh' })
    expectStatus(
      await verifyCredential(vc, options(recordingSource())),
      'ERR_STATUS_UNSUPPORTED',
      '/credentialStatus/statusPurpose',
    )
  })

  it('an unsupported status type: ERR_STATUS_UNSUPPORTED, nothing fetched', async () => {
    const source = recordingSource()
    const vc = await credentialWith({
      id: `${url}#5`,
      type: 'https://example.com/vocab#OtherStatusEntry',
    })
    expectStatus(
      await verifyCredential(vc, options(source)),
      'ERR_STATUS_UNSUPPORTED',
      '/credentialStatus/type',
    )
    expect(source.calls).toEqual([])
  })

  it('an unsupported type next to a clean entry still fails closed', async () => {
    const vc = await credentialWith([
      entry(url, 5),
      { id: `${url}#6`, type: 'https://example.com/vocab#OtherStatusEntry' },
    ])
    const r = await verifyCredential(vc, options(offline(await signedList(issuer, url))))
    expectStatus(r, 'ERR_STATUS_UNSUPPORTED', '/credentialStatus/1/type')
  })

  it('an empty credentialStatus array: ERR_STATUS_ENTRY_INVALID', async () => {
    const vc = await credentialWith([])
    expectStatus(
      await verifyCredential(vc, options(recordingSource())),
      'ERR_STATUS_ENTRY_INVALID',
      '/credentialStatus',
    )
  })

  it('too many entries: ERR_STATUS_ENTRY_INVALID, nothing fetched', async () => {
    const source = recordingSource()
    const vc = await credentialWith(
      Array.from({ length: 9 }, (_, i) => entry(revocationUrl(i + 1), 5)),
    )
    expectStatus(
      await verifyCredential(vc, options(source)),
      'ERR_STATUS_ENTRY_INVALID',
      '/credentialStatus',
    )
    expect(source.calls).toEqual([])
  })
})

describe('status: legacy StatusList2021 and RevocationList2020', () => {
  const url = `${STATUS_LEGACY}/1`
  const sl2021Entry = (index: number, purpose = 'revocation') => ({
    id: `${url}#${index}`,
    type: 'StatusList2021Entry',
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: url,
  })
  const vc11 = (status: unknown, extraContext: string) =>
    signedCredential(issuer, {
      format: 'vc1.1',
      patch: (c) => {
        c.credentialStatus = status
        ;(c['@context'] as string[]).push(extraContext)
      },
    })

  it('StatusList2021: not revoked verifies', async () => {
    const vc = await vc11(sl2021Entry(99), CONTEXT_URLS.statusList2021V1)
    const list = await signedStatusList2021(issuer, url, { set: [98, 100] })
    const r = await verifyCredential(vc, options(offline(list)))
    expectPassed(r)
    expect(r.credential.status?.[0]).toMatchObject({ type: 'StatusList2021Entry', value: 0 })
  })

  it('StatusList2021: revoked fails with ERR_STATUS_REVOKED', async () => {
    const vc = await vc11(sl2021Entry(99), CONTEXT_URLS.statusList2021V1)
    const list = await signedStatusList2021(issuer, url, { set: [99] })
    expectStatus(
      await verifyCredential(vc, options(offline(list))),
      'ERR_STATUS_REVOKED',
      '/credentialStatus',
    )
  })

  it('StatusList2021: suspended fails with ERR_STATUS_SUSPENDED', async () => {
    const vc = await vc11(sl2021Entry(99, 'suspension'), CONTEXT_URLS.statusList2021V1)
    const list = await signedStatusList2021(issuer, url, { purpose: 'suspension', set: [99] })
    expectStatus(
      await verifyCredential(vc, options(offline(list))),
      'ERR_STATUS_SUSPENDED',
      '/credentialStatus',
    )
  })

  it('StatusList2021: a list signed by another issuer is ERR_STATUS_LIST_ISSUER_MISMATCH', async () => {
    const vc = await vc11(sl2021Entry(99), CONTEXT_URLS.statusList2021V1)
    const list = await signedStatusList2021(issuer, url, { signer: other })
    expectStatus(
      await verifyCredential(vc, options(offline(list))),
      'ERR_STATUS_LIST_ISSUER_MISMATCH',
      '/credentialStatus/statusListCredential',
    )
  })

  it('a StatusList2021 entry pointing at a BitstringStatusList is ERR_STATUS_LIST_INVALID', async () => {
    const vc = await vc11(sl2021Entry(99), CONTEXT_URLS.statusList2021V1)
    const list = await signedList(issuer, url)
    expectStatus(
      await verifyCredential(vc, options(offline(list))),
      'ERR_STATUS_LIST_INVALID',
      '/credentialStatus/statusListCredential',
    )
  })

  describe('RevocationList2020 (its context is not bundled)', () => {
    const rlEntry = (index: number) => ({
      id: `${url}#${index}`,
      type: 'RevocationList2020Status',
      revocationListIndex: String(index),
      revocationListCredential: url,
    })
    const vcRl = async (index: number) => {
      const c = unsignedCredential(issuer.did, { format: 'vc1.1' })
      c.credentialStatus = rlEntry(index)
      ;(c['@context'] as string[]).splice(2, 0, RL2020_CONTEXT_URL)
      return signDocument(c, {
        suite: createSuite('Ed25519Signature2020', {
          signer: issuer.signer,
          date: '2026-11-01T00:00:00Z',
        }),
        documentLoader: rl2020Loader,
      })
    }
    const withContext = (source: StatusListSource) =>
      options(source, {
        additionalContexts: [RL2020_CONTEXT_URL],
        documentLoader: rl2020Loader,
      })

    it('by default the credential fails closed (context not pinned) and nothing is fetched', async () => {
      const source = recordingSource()
      const r = await verifyCredential(await vcRl(4), options(source))
      expect(r.verified).toBe(false)
      expect(check(r, 'contexts').problems).toContainEqual(
        expect.objectContaining({ code: 'ERR_CONTEXT_UNKNOWN' }),
      )
      expect(check(r, 'status').outcome).toBe('skipped')
      expect(source.calls).toEqual([])
    })

    it('with the context supplied by the caller: not revoked verifies', async () => {
      const list = await signedRevocationList2020(issuer, url, { set: [5] })
      const r = await verifyCredential(await vcRl(4), withContext(offline(list)))
      expectPassed(r)
      expect(r.credential.status?.[0]).toMatchObject({ purpose: 'revocation', value: 0 })
    })

    it('with the context supplied by the caller: revoked fails with ERR_STATUS_REVOKED', async () => {
      const list = await signedRevocationList2020(issuer, url, { set: [4] })
      expectStatus(
        await verifyCredential(await vcRl(4), withContext(offline(list))),
        'ERR_STATUS_REVOKED',
        '/credentialStatus',
      )
    })

    it('a bad revocationListIndex: ERR_STATUS_ENTRY_INVALID', async () => {
      const list = await signedRevocationList2020(issuer, url)
      const vc = await vcRl(4)
      ;(vc.credentialStatus as Record<string, unknown>).revocationListIndex = '4a'
      const r = await verifyCredential(vc, withContext(offline(list)))
      // The proof no longer verifies either; the status check never runs on a broken proof.
      expect(r.verified).toBe(false)
      expect(check(r, 'status').outcome).toBe('skipped')
    })
  })
})

describe('status: retrieval, gating and skipping', () => {
  const url = revocationUrl()

  it('an unreachable list is ERR_STATUS_UNKNOWN, never "not revoked"', async () => {
    const source = recordingSource()
    source.failing = true
    const r = await verifyCredential(await credentialWith(entry(url, 5)), options(source))
    expectStatus(r, 'ERR_STATUS_UNKNOWN', '/credentialStatus/statusListCredential')
    expect(r.problems[0]?.type).toBe('STATUS_RETRIEVAL_ERROR')
  })

  it('a source that never answers times out: ERR_STATUS_UNKNOWN', async () => {
    let aborted = false
    const hanging: StatusListSource = {
      get: (_url, { signal }) =>
        new Promise(() => {
          signal?.addEventListener('abort', () => (aborted = true))
        }),
    }
    const r = await verifyCredential(await credentialWith(entry(url, 5)), {
      ...options(hanging),
      status: { source: hanging, cache: false, timeoutMs: 50 },
    })
    expectStatus(r, 'ERR_STATUS_UNKNOWN', '/credentialStatus/statusListCredential')
    expect(aborted).toBe(true)
  })

  it('no list is fetched for a credential from an untrusted issuer (status skipped)', async () => {
    const source = recordingSource()
    const vc = await signedCredential(other, {
      patch: (c) => void (c.credentialStatus = entry(url, 5)),
    })
    const r = await verifyCredential(vc, options(source))
    expect(r.verified).toBe(false)
    expect(check(r, 'status').outcome).toBe('skipped')
    expect(source.calls).toEqual([])
  })

  it('no list is fetched when the proof does not verify (status skipped)', async () => {
    const source = recordingSource()
    const vc = await credentialWith(entry(url, 5))
    ;(vc.credentialStatus as Record<string, unknown>).statusListCredential =
      'https://attacker.example/x'
    const r = await verifyCredential(vc, options(source))
    expect(check(r, 'proof').outcome).toBe('failed')
    expect(check(r, 'status').outcome).toBe('skipped')
    expect(source.calls).toEqual([])
  })

  it('status: false skips the check on purpose (skipped, and verified may be true)', async () => {
    const vc = await credentialWith(entry(url, 5))
    const r = await verifyCredential(vc, { trustedIssuers: [issuer.did], now: NOW, status: false })
    expect(check(r, 'status').outcome).toBe('skipped')
    expect(r.verified).toBe(true)
  })

  it('results stay plain JSON', async () => {
    const list = await signedList(issuer, url, { set: [5] })
    const r = await verifyCredential(await credentialWith(entry(url, 5)), options(offline(list)))
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })
})

describe('status: the cache of verified lists', () => {
  // Each test uses its own list URL so that nothing leaks between tests.
  let n = 100
  const nextUrl = () => revocationUrl(n++)

  function clock(start = 0) {
    const c = { t: start, now: () => c.t }
    return c
  }

  it('within ttl the list is served from the cache, without fetching or verifying again', async () => {
    const url = nextUrl()
    const source = recordingSource(new Map([[url, await signedList(issuer, url, { ttl: 60_000 })]]))
    const time = clock()
    const cache = createStatusListCache({ now: time.now })
    const opts = { trustedIssuers: [issuer.did], now: NOW, status: { source, cache } }
    const vc = await credentialWith(entry(url, 5))
    expectPassed(await verifyCredential(vc, opts))
    time.t = 59_999
    source.documents.clear() // a re-fetch would now fail
    expectPassed(await verifyCredential(vc, opts))
    expect(source.calls).toEqual([url])
    expect(cache.size).toBe(1)
  })

  it('past ttl with the source failing: ERR_STATUS_UNKNOWN, never the stale copy', async () => {
    const url = nextUrl()
    const source = recordingSource(new Map([[url, await signedList(issuer, url, { ttl: 60_000 })]]))
    const time = clock()
    const cache = createStatusListCache({ now: time.now })
    const opts = { trustedIssuers: [issuer.did], now: NOW, status: { source, cache } }
    const vc = await credentialWith(entry(url, 5))
    expectPassed(await verifyCredential(vc, opts))
    time.t = 60_000
    source.failing = true
    const r = await verifyCredential(vc, opts)
    expectStatus(r, 'ERR_STATUS_UNKNOWN', '/credentialStatus/statusListCredential')
    expect(r.problems[0]?.message).toContain('stale')
    expect(source.calls).toEqual([url, url])
  })

  it('past ttl the list is fetched again, and a new revocation is seen', async () => {
    const url = nextUrl()
    const source = recordingSource(new Map([[url, await signedList(issuer, url, { ttl: 1000 })]]))
    const time = clock()
    const cache = createStatusListCache({ now: time.now })
    const opts = { trustedIssuers: [issuer.did], now: NOW, status: { source, cache } }
    const vc = await credentialWith(entry(url, 5))
    expectPassed(await verifyCredential(vc, opts))
    source.documents.set(
      url,
      await signedList(issuer, url, { ttl: 1000, set: [5], validFrom: '2026-11-29T06:00:00Z' }),
    )
    expectPassed(await verifyCredential(vc, opts)) // still within ttl: the cached copy
    time.t = 1000
    expectStatus(await verifyCredential(vc, opts), 'ERR_STATUS_REVOKED', '/credentialStatus')
  })

  it('validUntil bounds the cache even when ttl is longer', async () => {
    const url = nextUrl()
    const validUntil = Date.parse('2026-11-29T13:00:00Z')
    const list = await signedList(issuer, url, {
      ttl: 86_400_000,
      validUntil: '2026-11-29T13:00:00Z',
    })
    const source = recordingSource(new Map([[url, list]]))
    const time = clock(NOW.getTime())
    const cache = createStatusListCache({ now: time.now })
    await verifyCredential(await credentialWith(entry(url, 5)), {
      trustedIssuers: [issuer.did],
      now: NOW,
      status: { source, cache },
    })
    expect(cache.get(url)?.expiresAt).toBe(validUntil)
  })

  it('a cached list is not reused past its validUntil: the refetched expired list is ERR_STATUS_LIST_EXPIRED', async () => {
    const url = nextUrl()
    const list = await signedList(issuer, url, {
      ttl: 86_400_000,
      validUntil: '2026-11-30T00:00:00Z',
    })
    const source = recordingSource(new Map([[url, list]]))
    const cache = createStatusListCache({ now: () => 0 }) // the cache clock never moves
    const vc = await credentialWith(entry(url, 5))
    const at = (now: Date) => ({ trustedIssuers: [issuer.did], now, status: { source, cache } })
    expectPassed(await verifyCredential(vc, at(NOW)))
    const later = new Date('2026-12-01T00:00:00Z')
    expectStatus(
      await verifyCredential(vc, at(later)),
      'ERR_STATUS_LIST_EXPIRED',
      '/credentialStatus/statusListCredential',
    )
    expect(source.calls).toEqual([url, url])
  })

  it('a re-fetched list older than the cached copy is refused (replay): ERR_STATUS_UNKNOWN', async () => {
    const url = nextUrl()
    const newer = await signedList(issuer, url, { ttl: 0, validFrom: '2026-11-29T10:00:00Z' })
    const older = await signedList(issuer, url, { ttl: 0, validFrom: LIST_VALID_FROM })
    const source = recordingSource(new Map([[url, newer]]))
    const cache = createStatusListCache({ now: () => 0 })
    const opts = { trustedIssuers: [issuer.did], now: NOW, status: { source, cache } }
    const vc = await credentialWith(entry(url, 5))
    expectPassed(await verifyCredential(vc, opts))
    source.documents.set(url, older)
    expectStatus(
      await verifyCredential(vc, opts),
      'ERR_STATUS_UNKNOWN',
      '/credentialStatus/statusListCredential',
    )
  })

  it('a cached list of another issuer is still ERR_STATUS_LIST_ISSUER_MISMATCH', async () => {
    const url = nextUrl()
    const source = recordingSource(new Map([[url, await signedList(issuer, url)]]))
    const cache = createStatusListCache()
    const vc = await credentialWith(entry(url, 5))
    expectPassed(
      await verifyCredential(vc, {
        trustedIssuers: [issuer.did],
        now: NOW,
        status: { source, cache },
      }),
    )
    const foreign = await signedCredential(other, {
      patch: (c) => void (c.credentialStatus = entry(url, 5)),
    })
    const r = await verifyCredential(foreign, {
      trustedIssuers: [other.did],
      now: NOW,
      status: { source, cache },
    })
    expectStatus(r, 'ERR_STATUS_LIST_ISSUER_MISMATCH', '/credentialStatus/statusListCredential')
    expect(source.calls).toEqual([url])
  })

  it('a list verified under a wider suite allow-list is verified again for a narrower one', async () => {
    const url = nextUrl()
    const unsigned = unsignedList(issuer, url)
    ;(unsigned['@context'] as string[]).push(CONTEXT_URLS.ed25519Signature2020V1)
    const list = await sign(unsigned, issuer, 'Ed25519Signature2020')
    const source = recordingSource(new Map([[url, list]]))
    const cache = createStatusListCache()
    const vc = await credentialWith(entry(url, 5))
    const all = { trustedIssuers: [issuer.did], now: NOW, status: { source, cache } }
    expectPassed(await verifyCredential(vc, all))
    const narrow = await verifyCredential(vc, { ...all, suites: ['eddsa-rdfc-2022' as const] })
    expect(source.calls).toEqual([url, url])
    expectStatus(narrow, 'ERR_STATUS_LIST_INVALID', '/credentialStatus/statusListCredential')
  })

  it('failures are not cached', async () => {
    const url = nextUrl()
    const source = recordingSource()
    const cache = createStatusListCache()
    const opts = { trustedIssuers: [issuer.did], now: NOW, status: { source, cache } }
    const vc = await credentialWith(entry(url, 5))
    await verifyCredential(vc, opts)
    source.documents.set(url, await signedList(issuer, url))
    expectPassed(await verifyCredential(vc, opts))
    expect(cache.size).toBe(1)
  })

  it('the default cache is shared across calls (no cache option)', async () => {
    const url = nextUrl()
    const source = recordingSource(new Map([[url, await signedList(issuer, url)]]))
    const vc = await credentialWith(entry(url, 5))
    const opts = { trustedIssuers: [issuer.did], now: NOW, status: { source } }
    expectPassed(await verifyCredential(vc, opts))
    expectPassed(await verifyCredential(vc, opts))
    expect(source.calls).toEqual([url])
  })

  it('cache: false fetches every time', async () => {
    const url = nextUrl()
    const source = recordingSource(new Map([[url, await signedList(issuer, url)]]))
    const vc = await credentialWith(entry(url, 5))
    await verifyCredential(vc, options(source))
    await verifyCredential(vc, options(source))
    expect(source.calls).toEqual([url, url])
  })

  it('is an LRU bounded by maxLists', () => {
    const cache = createStatusListCache({ maxLists: 2, now: () => 0 })
    const list = (url: string) => ({
      url,
      kind: 'BitstringStatusList' as const,
      issuer: issuer.did,
      purposes: ['revocation'],
      bitstring: new Uint8Array(16),
      suites: [],
      contexts: [],
      verificationMethods: [],
    })
    cache.set('a', list('a'))
    cache.set('b', list('b'))
    cache.get('a')
    cache.set('c', list('c'))
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')?.list.url).toBe('a')
    expect(cache.size).toBe(2)
    expect(cache.get('a')?.expiresAt).toBe(300_000) // default ttl
  })

  it('rejects bad options with TypeError', () => {
    expect(() => createStatusListCache({ maxLists: 0 })).toThrow(TypeError)
    expect(() => createStatusListCache({ defaultTtlMs: -1 })).toThrow(TypeError)
    expect(() => createStatusListCache({ now: 5 as never })).toThrow(TypeError)
  })
})

describe('createOfflineStatusListSource', () => {
  it('serves copies by URL from a Map, an object, or an array matched by id', async () => {
    const doc = { id: 'https://x.example/1', a: 1 }
    for (const source of [
      createOfflineStatusListSource(new Map([['https://x.example/1', doc]])),
      createOfflineStatusListSource({ 'https://x.example/1': doc }),
      createOfflineStatusListSource([doc, { nope: true }]),
    ]) {
      const got = await source.get('https://x.example/1', {})
      expect(got).toEqual(doc)
      expect(got).not.toBe(doc)
      await expect(source.get('https://x.example/2', {})).rejects.toThrow(/No offline copy/)
    }
  })

  it('rejects two documents with one id, and non-collections, with TypeError', () => {
    expect(() => createOfflineStatusListSource([{ id: 'u' }, { id: 'u' }])).toThrow(TypeError)
    expect(() => createOfflineStatusListSource('x' as never)).toThrow(TypeError)
  })
})
