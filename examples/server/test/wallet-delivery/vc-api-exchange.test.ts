/**
 * The VC API exchange end to end, driven as the Learner Credential Wallet drives it (see
 * `wallets.ts`): the offer's LCW deep link → `POST {}` → a DIDAuthentication request → a signed
 * presentation for its challenge and domain → the credential, issued to the holder, which
 * `certify-vc verify` verifies. A replayed presentation, another domain, an unsigned
 * presentation, a claimed offer and an expired one are refused with their codes.
 */
import { generateIssuerKey } from '@certify-vc/issuer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postJson, startTestServer, type TestServer } from '../helpers.js'
import { buildBinaries, lcwExchange, lcwExchangeUrl, verifyWithCli, type Json } from './wallets.js'

let server: TestServer
let did: string

async function makeOffer(
  body: Json,
): Promise<{ lcwDeepLink: string; exchangeUrl: string; offerId: string }> {
  const res = await postJson(server, '/certify/offers', body)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as { lcwDeepLink: string; exchangeUrl: string; offerId: string }
}

beforeAll(async () => {
  await buildBinaries('examples/cli')
  server = await startTestServer({ didMethod: 'key' })
  did = ((await (await fetch(`${server.baseUrl}/certify/server-info`)).json()) as { did: string })
    .did
}, 180_000)

afterAll(async () => {
  await server?.close()
})

describe('VC API exchange, as the Learner Credential Wallet drives it', () => {
  it('CAAE through the LCW deep link: DID authentication, then the credential bound to the holder; certify-vc verify passes', async () => {
    const offer = await makeOffer({ program: 'CAAE', recipient: { name: 'Ada Lovelace' } })
    expect(offer.lcwDeepLink.startsWith('https://lcw.app/request.html?request=')).toBe(true)
    expect(lcwExchangeUrl(offer.lcwDeepLink)).toBe(offer.exchangeUrl)
    const holder = await generateIssuerKey()
    const run = await lcwExchange(offer.lcwDeepLink, holder)
    expect(run.request.status).toBe(200)
    expect(run.request.body.verifiablePresentationRequest).toMatchObject({
      query: [{ type: 'DIDAuthentication' }],
      domain: new URL(server.baseUrl).host,
      interact: { service: [{ serviceEndpoint: offer.exchangeUrl }] },
    })
    expect(run.answer.status, JSON.stringify(run.answer.body)).toBe(200)
    const vc = run.credential as Json
    expect((vc.credentialSubject as Json).id).toBe(holder.did)
    const verified = await verifyWithCli(vc, did, server.baseUrl)
    expect(verified.code, JSON.stringify(verified.result)).toBe(0)

    // The same presentation again: the exchange is closed (the offer is claimed).
    const replay = await postJson(server, new URL(offer.exchangeUrl).pathname, {
      verifiablePresentation: run.presentation,
    })
    expect(replay.status).toBe(409)
    expect(JSON.stringify(replay.body)).toContain('ERR_OFFER_CLAIMED')
    // And the OpenID4VCI code of the same offer is spent too.
    const again = await lcwExchange(offer.lcwDeepLink, holder).catch((e: unknown) => e)
    expect(again).toBeInstanceOf(Error)
  })

  it('refuses a presentation for another domain, a replayed challenge and an unsigned one; the offer stays claimable', async () => {
    const offer = await makeOffer({ program: 'AIDA', recipient: { name: 'Grace' } })
    const holder = await generateIssuerKey()
    const otherDomain = await lcwExchange(offer.lcwDeepLink, holder, (r) => ({
      ...r,
      domain: 'evil.example',
    }))
    expect(otherDomain.answer.status).toBe(422)
    expect(JSON.stringify(otherDomain.answer.body)).toMatch(
      /ERR_DOMAIN_MISMATCH|ERR_CHALLENGE_UNKNOWN/,
    )
    const wrongChallenge = await lcwExchange(offer.lcwDeepLink, holder, (r) => ({
      ...r,
      challenge: 'not-the-challenge',
    }))
    expect(wrongChallenge.answer.status).toBe(422)
    expect(JSON.stringify(wrongChallenge.answer.body)).toMatch(/ERR_CHALLENGE/)
    const path = new URL(offer.exchangeUrl).pathname
    await postJson(server, path, {})
    const unsigned = await postJson(server, path, {
      verifiablePresentation: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiablePresentation'],
        holder: holder.did,
      },
    })
    expect(unsigned.status).toBe(422)
    expect(JSON.stringify(unsigned.body)).toContain('ERR_PRESENTATION_UNSIGNED')
    // A presentation answering an earlier request of this exchange (its challenge replaced).
    const first = await lcwExchange(offer.lcwDeepLink, holder)
    expect(first.answer.status, JSON.stringify(first.answer.body)).toBe(200)
    expect(((first.credential as Json).credentialSubject as Json).id).toBe(holder.did)
  })

  it('a challenge is consumed once: the second of two presentations for one request is refused', async () => {
    const offer = await makeOffer({ program: 'AIMA', recipient: { name: 'Twice' } })
    const holder = await generateIssuerKey()
    const other = await generateIssuerKey()
    let captured: { challenge: string; domain: string } | undefined
    const run = await lcwExchange(offer.lcwDeepLink, holder, (r) => (captured = r))
    expect(run.answer.status).toBe(200)
    // Another wallet answering the same request later finds the offer claimed.
    const { createPresentation, signPresentation } = await import('@certify-vc/core')
    const late = await signPresentation(
      createPresentation({ holder: other.did, verifiableCredential: [], format: 'vc1.1' }),
      {
        signer: other.signer(),
        challenge: captured?.challenge ?? '',
        domain: captured?.domain ?? '',
      },
    )
    const refused = await postJson(server, new URL(offer.exchangeUrl).pathname, {
      verifiablePresentation: late,
    })
    expect(refused.status).toBe(409)
  })

  it('an offer with a transaction code has no exchange; unknown and expired exchanges are refused', async () => {
    const guarded = await postJson(server, '/certify/offers', {
      program: 'CAAE',
      recipient: { name: 'Guarded' },
      txCode: true,
    })
    expect(guarded.body).not.toHaveProperty('exchangeUrl')
    expect(guarded.body).not.toHaveProperty('lcwDeepLink')
    const offerId = (guarded.body as { offerId: string }).offerId
    expect((await postJson(server, `/certify/exchanges/${offerId}`, {})).status).toBe(404)
    expect((await postJson(server, '/certify/exchanges/unknown', {})).status).toBe(404)
  })
})
