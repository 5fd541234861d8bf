/**
 * The presentations of the W3C VC Data Model 2.0 test suite (w3c/vc-data-model-2.0-test-suite,
 * `tests/data-generator.js` `createLocalVp`, `tests/input/presentation-*.json`), rebuilt here the
 * way the suite builds them: embedded credentials issued with `@digitalbazaar/vc` `issue` and the
 * presentation signed with `signPresentation`, eddsa-rdfc-2022, by the suite's published test key
 * did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj, with its challenge and domain. The
 * negative fixtures are posted unsigned, as the suite does.
 *
 * They are generic VC 2.0 presentations (no holder, subjects that are not the holder, plain
 * credentials): verifyPresentation accepts them with the generic options a VC API server uses,
 * and still refuses them under the default certify-vc options.
 */
import { CONTEXT_URLS, createDocumentLoader } from '@certify-vc/context'
import { createSuite } from '@certify-vc/core'
import { verifyPresentation, type VerifyPresentationOptions } from '@certify-vc/verifier'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import * as vc from '@digitalbazaar/vc'
import { beforeAll, describe, expect, it } from 'vitest'
import { NOW } from '../helpers.js'
import { check, expectFailure } from './fixtures.js'

/** The suite's own test key (public test data in data-generator.js). */
const SUITE_KEY = {
  publicKeyMultibase: 'z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj',
  secretKeyMultibase:
    'zrv1a6V2qqSGkBz7QPw4yJedKc8X9dEdug7c3MEzNUDVEmkyVcXtTWNLQLArgKXzN7LbGMTVjqE2CbdrqpnxqtxmY1M',
}
const SUITE_DID = `did:key:${SUITE_KEY.publicKeyMultibase}`
const CHALLENGE = 'uZ2VuZXJpYy1jaGFsbGVuZ2UtMTI4'
const DOMAIN = 'github.com/w3c/vc-data-model-2.0-test-suite'
const V2 = CONTEXT_URLS.credentialsV2

const loader = createDocumentLoader()
let signer: Awaited<ReturnType<typeof Ed25519Multikey.from>> extends infer K
  ? K extends { signer(): infer S }
    ? S
    : never
  : never

beforeAll(async () => {
  const pair = await Ed25519Multikey.from({ id: SUITE_DID, controller: SUITE_DID, ...SUITE_KEY })
  signer = pair.signer()
  signer.id = `${SUITE_DID}#${SUITE_KEY.publicKeyMultibase}`
})

/** A fresh jsigs suite object, reference canonicalization (the published libraries' own path). */
const suite = () =>
  createSuite('eddsa-rdfc-2022', {
    signer,
    canonicalization: 'reference',
    // The suite signs at the current time; a fixed time before NOW keeps `created` in the past.
    date: '2026-11-29T11:00:00Z',
  }).implementation

const plainVc = (subject = 'did:example:subject') => ({
  '@context': [V2],
  type: ['VerifiableCredential'],
  issuer: 'did:example:issuer',
  credentialSubject: { id: subject },
})

/** createLocalVp: issue the credentials with the suite key, then sign the presentation. */
async function createLocalVp(presentation: Record<string, unknown>) {
  const vp = structuredClone(presentation)
  if (Array.isArray(vp.verifiableCredential)) {
    vp.verifiableCredential = await Promise.all(
      (vp.verifiableCredential as Record<string, unknown>[]).map((credential) =>
        vc.issue({
          credential: { ...credential, issuer: SUITE_DID },
          suite: suite(),
          documentLoader: loader,
        }),
      ),
    )
  }
  return (await vc.signPresentation({
    presentation: vp,
    suite: suite(),
    documentLoader: loader,
    challenge: CHALLENGE,
    domain: DOMAIN,
  })) as Record<string, unknown>
}

/** What a VC API server passes for POST /presentations/verify. */
const GENERIC: VerifyPresentationOptions = {
  challenge: CHALLENGE,
  domain: DOMAIN,
  unsignedPresentation: 'allow',
  holderBinding: 'if-present',
  subjectBinding: 'off',
  profile: 'vc',
  requireCredentials: false,
  allowInlineContexts: true,
  trustedIssuers: [SUITE_DID],
  now: NOW,
  status: false,
}

const VP = { '@context': [V2], type: ['VerifiablePresentation'] }
const POSITIVE: [string, Record<string, unknown>][] = [
  ['presentation-ok', VP],
  ['presentation-id-ok', { ...VP, id: 'urn:uuid:9c9a36f8-518f-4976-a934-6649502d0008' }],
  ['presentation-holder-ok', { ...VP, holder: SUITE_DID, verifiableCredential: [plainVc()] }],
  [
    'presentation-holder-object-ok',
    { ...VP, holder: { id: SUITE_DID }, verifiableCredential: [plainVc()] },
  ],
  [
    'presentation-multiple-vc-ok',
    { ...VP, verifiableCredential: [plainVc(), plainVc('did:example:other-subject')] },
  ],
  ['presentation-vc-ok', { ...VP, verifiableCredential: [plainVc()] }],
  [
    'presentation-context-combo2-ok (an inline context)',
    {
      '@context': [
        V2,
        { ExampleVerifiablePresentation: 'https://example.org/#ExampleVerifiablePresentation' },
      ],
      type: ['VerifiablePresentation', 'ExampleVerifiablePresentation'],
      holder: SUITE_DID,
      verifiableCredential: [plainVc()],
    },
  ],
  [
    'presentation-optional-type-ok',
    {
      '@context': [
        V2,
        {
          CredentialManagerPresentation:
            'https://example.org/examples#CredentialManagerPresentation',
        },
      ],
      type: ['VerifiablePresentation', 'CredentialManagerPresentation'],
    },
  ],
]

describe('W3C vc2.0 suite presentations, generic options', () => {
  it.each(POSITIVE)('%s verifies', async (_name, presentation) => {
    const vp = await createLocalVp(presentation)
    const r = await verifyPresentation(vp, GENERIC)
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
    expect(check(r, 'proof').outcome).toBe('passed')
    expect(check(r, 'challenge').outcome).toBe('passed')
    expect(check(r, 'domain').outcome).toBe('passed')
    expect(r.credentials.every((c) => c.verified)).toBe(true)
    // The holder is proven only when the presentation names one.
    expect(r.holderProven).toBe(vp.holder !== undefined)
  })

  it('the embedded credentials are verified for real: a tampered one fails', async () => {
    const vp = await createLocalVp({ ...VP, verifiableCredential: [plainVc()] })
    const credentials = vp.verifiableCredential as Record<string, unknown>[]
    ;(credentials[0]?.credentialSubject as Record<string, unknown>).id = 'did:example:mallory'
    // Re-sign the presentation over the tampered credential: the VP proof is valid.
    delete vp.proof
    const resigned = (await vc.signPresentation({
      presentation: vp,
      suite: suite(),
      documentLoader: loader,
      challenge: CHALLENGE,
      domain: DOMAIN,
    })) as Record<string, unknown>
    const r = await verifyPresentation(resigned, GENERIC)
    expect(check(r, 'proof').outcome).toBe('passed')
    expectFailure(r, 'credentials', 'ERR_PROOF_INVALID', '/verifiableCredential/0/proof/proofValue')
  })

  it('an issuer that is not trusted is a warning under the vc profile, a failure under institute', async () => {
    const vp = await createLocalVp({ ...VP, verifiableCredential: [plainVc()] })
    const r = await verifyPresentation(vp, { ...GENERIC, trustedIssuers: [] })
    expect(r.verified).toBe(true)
    expect(r.credentials[0]?.result.warnings).toEqual([
      expect.objectContaining({ code: 'ERR_ISSUER_UNTRUSTED', path: '/issuer' }),
    ])
    const strict = await verifyPresentation(vp, {
      ...GENERIC,
      profile: 'institute',
      trustedIssuers: [],
    })
    // A plain VC is not an Open Badge: the institute profile refuses it before trust.
    expectFailure(strict, 'credentials', 'ERR_STRUCTURE_NOT_OPEN_BADGE')
  })

  it('the default (certify-vc) options refuse the same presentation, each reason with its code', async () => {
    const vp = await createLocalVp({
      ...VP,
      holder: SUITE_DID,
      verifiableCredential: [plainVc()],
    })
    const r = await verifyPresentation(vp, {
      challenge: CHALLENGE,
      domain: DOMAIN,
      trustedIssuers: [SUITE_DID],
      now: NOW,
      status: false,
    })
    expectFailure(r, 'credentials', 'ERR_STRUCTURE_NOT_OPEN_BADGE')
    expectFailure(
      r,
      'subject-binding',
      'ERR_HOLDER_SUBJECT_MISMATCH',
      '/verifiableCredential/0/credentialSubject/id',
    )
    expect(r.holderProven).toBe(true)
  })

  it('a presentation with an inline context fails with ERR_CONTEXT_INLINE unless allowed', async () => {
    const [, presentation] = POSITIVE[6] ?? []
    const vp = await createLocalVp(presentation ?? {})
    const r = await verifyPresentation(vp, { ...GENERIC, allowInlineContexts: false })
    expectFailure(r, 'contexts', 'ERR_CONTEXT_INLINE', '/@context/1')
  })
})

describe('W3C vc2.0 suite presentations that must fail, generic options', () => {
  it('a valid presentation with its @context deleted', async () => {
    const vp = await createLocalVp(VP)
    delete vp['@context']
    expectFailure(await verifyPresentation(vp, GENERIC), 'structure', 'ERR_CONTEXT_ORDER')
  })

  it('a valid presentation with the base context not first', async () => {
    const vp = await createLocalVp(VP)
    vp['@context'] = ['https://www.w3.org/ns/credentials/examples/v2', V2]
    expectFailure(
      await verifyPresentation(vp, GENERIC),
      'structure',
      'ERR_CONTEXT_ORDER',
      '/@context',
    )
  })

  it.each([
    ['https://example.com', 'ERR_CONTEXT_UNKNOWN'],
    ['https ://not-a-url/contexts/example/v1', 'ERR_CONTEXT_UNKNOWN'],
    [123192875, 'ERR_CONTEXT_UNKNOWN'],
  ])('a valid presentation with @context[1] = %j', async (value, code) => {
    const vp = await createLocalVp({ ...VP, verifiableCredential: [plainVc()] })
    ;(vp['@context'] as unknown[])[1] = value
    expectFailure(await verifyPresentation(vp, GENERIC), 'contexts', code, '/@context/1')
  })

  it('a valid presentation whose proofValue is replaced', async () => {
    const vp = await createLocalVp(VP)
    ;(vp.proof as Record<string, unknown>).proofValue = 'z5nmMBw2u9TGKd9NxxHJtyZKgjN2Eh'
    expectFailure(
      await verifyPresentation(vp, GENERIC),
      'proof',
      'ERR_PROOF_MALFORMED',
      '/proof/proofValue',
    )
  })

  it('a valid presentation answering another challenge, or for another domain', async () => {
    const vp = await createLocalVp(VP)
    expectFailure(
      await verifyPresentation(vp, { ...GENERIC, challenge: 'uOther' }),
      'challenge',
      'ERR_CHALLENGE_MISMATCH',
    )
    expectFailure(
      await verifyPresentation(vp, { ...GENERIC, domain: 'other.example' }),
      'domain',
      'ERR_DOMAIN_MISMATCH',
    )
  })

  it.each([
    ['presentation-no-type-fail', { '@context': [V2] }, 'structure', 'ERR_PRESENTATION_INVALID'],
    [
      'presentation-missing-required-type-fail',
      {
        '@context': [
          V2,
          {
            CredentialManagerPresentation:
              'https://example.org/examples#CredentialManagerPresentation',
          },
        ],
        type: ['CredentialManagerPresentation'],
      },
      'structure',
      'ERR_PRESENTATION_INVALID',
    ],
    [
      'presentation-missing-base-context-fail',
      {
        '@context': ['https://www.w3.org/ns/credentials/examples/v2'],
        type: ['VerifiablePresentation'],
      },
      'structure',
      'ERR_CONTEXT_ORDER',
    ],
    [
      'presentation-context-order-fail',
      {
        '@context': [
          {
            CredentialManagerPresentation:
              'https://example.org/examples#CredentialManagerPresentation',
          },
          V2,
        ],
        type: ['VerifiablePresentation', 'CredentialManagerPresentation'],
      },
      'structure',
      'ERR_CONTEXT_ORDER',
    ],
    [
      'a NonconformingDocument',
      { type: ['NonconformingDocument'] },
      'structure',
      'ERR_PRESENTATION_INVALID',
    ],
    [
      'presentation-holder-fail (not a URL)',
      { ...VP, holder: SUITE_KEY.publicKeyMultibase, verifiableCredential: [plainVc()] },
      'structure',
      'ERR_STRUCTURE_RELATIVE_IRI',
    ],
    [
      'presentation-holder-name-fail (an object without id)',
      { ...VP, holder: { name: 'Acme' }, verifiableCredential: [plainVc()] },
      'structure',
      'ERR_STRUCTURE_RELATIVE_IRI',
    ],
    [
      'presentation-holder-object-fail',
      { ...VP, holder: { id: SUITE_KEY.publicKeyMultibase }, verifiableCredential: [plainVc()] },
      'structure',
      'ERR_STRUCTURE_RELATIVE_IRI',
    ],
    [
      'a credential given as a string',
      { ...VP, verifiableCredential: ['https://example.com/credentials/3732'] },
      'structure',
      'ERR_PRESENTATION_INVALID',
    ],
    [
      'an unsigned credential',
      { ...VP, verifiableCredential: [plainVc()] },
      'credentials',
      'ERR_PROOF_MISSING',
    ],
  ])('unsigned %s', async (_name, presentation, id, code) => {
    // As the suite posts them: with its challenge, which an unsigned presentation cannot answer.
    const asked = await verifyPresentation(presentation, GENERIC)
    expect(asked.verified).toBe(false)
    expect(asked.holderProven).toBe(false)
    if (id !== 'credentials') expectFailure(asked, id, code)
    expectFailure(asked, 'proof', 'ERR_PRESENTATION_UNSIGNED', '/proof')
    // Shared as a file (nothing asked that only a proof proves): the data model still decides.
    const { challenge: _challenge, ...fileShare } = GENERIC
    const r = await verifyPresentation(presentation, { ...fileShare, domain: null })
    expectFailure(r, id, code)
    expect(r.holderProven).toBe(false)
  })
})
