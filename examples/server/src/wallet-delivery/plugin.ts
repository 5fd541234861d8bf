/**
 * Delivering credentials into learners' wallets: `POST /certify/offers` (bearer token) makes an
 * offer; the learner claims it with an OpenID4VCI wallet (`oid4vci.ts`), the Learner Credential
 * Wallet (a VC API exchange, `exchange.ts`), or from the claim page (`claim-page.ts`).
 *
 * `POST /certify/offers` `{ program, recipient: { name?, email? }, txCode?, expiresInSeconds?,
 * suspension?, publicDirectory? }` → `201 { offerId, program, offerUri, offerByReferenceUri,
 * credentialOffer, txCode?, exchangeUrl?, lcwDeepLink?, claimUrl, expiresAt }`. The transaction
 * code is in this answer only (the server keeps its hash): deliver it to the learner apart from
 * the offer. Nothing is allocated until the offer is claimed.
 *
 * @module
 */
import type { FastifyInstance } from 'fastify'
import type { Services } from '../services.js'
import { registerClaimPage } from './claim-page.js'
import { registerExchangeRoutes } from './exchange.js'
import { oid4vciRoutes } from './oid4vci.js'
import { OFFERS_PATH, checkOfferRequest, createOffer, offerLinks } from './offers.js'

/** Options of {@link registerWalletDelivery}. */
export interface WalletDeliveryOptions {
  readonly services: Services
  readonly leaseSeconds: number
  readonly maxOutstandingChallenges: number
}

/** Registers the offer route, OpenID4VCI, the VC API exchanges and the claim page. */
export async function registerWalletDelivery(
  app: FastifyInstance,
  options: WalletDeliveryOptions,
): Promise<void> {
  const { services } = options
  const base = services.config.publicBaseUrl

  app.post(OFFERS_PATH, async (request, reply) => {
    const checked = checkOfferRequest(request.body, services.did)
    if ('problem' in checked) {
      return reply.code(checked.status).send({ errors: [checked.problem] })
    }
    const { offer, txCode } = await createOffer(services, checked)
    // Audit trail: which program was offered, never to whom.
    reply.log.info(
      { audit: 'offer', offer: offer.offerId.slice(0, 6), program: offer.program },
      'credential offer made',
    )
    return reply
      .code(201)
      .header('cache-control', 'no-store')
      .send({ ...offerLinks(offer, base), ...(txCode === undefined ? {} : { txCode }) })
  })

  registerExchangeRoutes(app, options)
  registerClaimPage(app, services)
  await app.register(oid4vciRoutes, options)
}
