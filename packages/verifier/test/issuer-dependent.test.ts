/**
 * docs/attacks.md A5: with a catch-all `@vocab` (the VC 2.0 undefined-terms context), a typo'd or shadow
 * field is signed but means nothing. The pinned contexts have no `@vocab`, so this only arises
 * when a caller admits such a context; even then our types refuse it.
 */
import { createDocumentLoader, type DocumentLoader } from '@certify-vc/context'
import { createSuite, signDocument } from '@certify-vc/core'
import { verifyCredential } from '@certify-vc/verifier'
import { beforeAll, describe, expect, it } from 'vitest'
import { NOW, makeIssuer, unsignedCredential, type TestIssuer } from './helpers.js'

const UNDEFINED_TERMS = 'https://www.w3.org/ns/credentials/undefined-terms/v2'
const undefinedTerms = Object.freeze({
  '@context': Object.freeze({ '@vocab': 'https://www.w3.org/ns/credentials/issuer-dependent#' }),
})
const base = createDocumentLoader()
const loader: DocumentLoader = (url) =>
  url === UNDEFINED_TERMS
    ? Promise.resolve({ contextUrl: null, documentUrl: url, document: undefinedTerms })
    : base(url)

let issuer: TestIssuer
beforeAll(async () => {
  issuer = await makeIssuer(1)
})

async function signedWith(patch: (c: Record<string, unknown>) => void) {
  const c = unsignedCredential(issuer.did)
  c['@context'] = [...(c['@context'] as string[]), UNDEFINED_TERMS]
  patch(c)
  return signDocument(c, {
    suite: createSuite('eddsa-rdfc-2022', { signer: issuer.signer, date: '2026-11-01T00:00:00Z' }),
    documentLoader: loader,
  })
}

const options = () => ({
  trustedIssuers: [issuer.did],
  now: NOW,
  documentLoader: loader,
  additionalContexts: [UNDEFINED_TERMS],
})

describe('A5: terms that only fall through to the issuer-dependent vocabulary', () => {
  it('the undefined-terms context alone is harmless: the credential verifies', async () => {
    const vc = await signedWith(() => undefined)
    const r = await verifyCredential(vc, options())
    expect(r.problems).toEqual([])
    expect(r.verified).toBe(true)
  })

  it('a misspelt field (achievment) is refused with its pointer', async () => {
    const vc = await signedWith((c) => {
      const subject = c.credentialSubject as Record<string, unknown>
      subject.achievment = { id: 'https://example.com/fake', type: ['Achievement'] }
    })
    const r = await verifyCredential(vc, options())
    expect(r.verified).toBe(false)
    expect(r.checks.find((c) => c.id === 'contexts')).toMatchObject({
      outcome: 'failed',
      problems: [
        expect.objectContaining({
          code: 'ERR_JSONLD_ISSUER_DEPENDENT_TERM',
          path: '/credentialSubject/achievment',
        }),
      ],
    })
    expect(r.checks.find((c) => c.id === 'proof')).toMatchObject({ outcome: 'skipped' })
  })

  it('a shadow field (credentialSubject.level) and an undefined type are refused', async () => {
    const shadow = await signedWith((c) => {
      ;(c.credentialSubject as Record<string, unknown>).level = 'expert'
    })
    expect((await verifyCredential(shadow, options())).problems).toEqual([
      expect.objectContaining({
        code: 'ERR_JSONLD_ISSUER_DEPENDENT_TERM',
        path: '/credentialSubject/level',
      }),
    ])
    const typed = await signedWith((c) => {
      c.type = [...(c.type as string[]), 'PremiumBadge']
    })
    expect((await verifyCredential(typed, options())).problems).toEqual([
      expect.objectContaining({ code: 'ERR_JSONLD_ISSUER_DEPENDENT_TERM', path: '/type/2' }),
    ])
  })

  it('without the caller admitting that context, it is an unknown context', async () => {
    const vc = await signedWith(() => undefined)
    const r = await verifyCredential(vc, { trustedIssuers: [issuer.did], now: NOW })
    expect(r.problems).toEqual([
      expect.objectContaining({ code: 'ERR_CONTEXT_UNKNOWN', path: '/@context/3' }),
    ])
  })
})
