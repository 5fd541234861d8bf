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
 * With an `Idempotency-Key` header (as on `POST /certify/credentials`), the offer is made at most
 * once per key on any instance (the key is unique in the shared `credential_offers` table): the
 * same request again answers `200` with the same offer and `Idempotent-Replayed: true` (and, for
 * an offer with a transaction code that is still claimable, a new code replacing the old one);
 * the key with a different request is `422 ERR_ISSUE_IDEMPOTENCY_CONFLICT`.
 *
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { problem } from '@certify-vc/context'
import { fingerprintOf, idempotencyKeyOf } from '../issuing/idempotent-issue.js'
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
    const key = idempotencyKeyOf(request.headers['idempotency-key'])
    if (typeof key === 'object') return reply.code(400).send({ errors: [key] })
    const checked = checkOfferRequest(request.body, services.did)
    if ('problem' in checked) {
      return reply.code(checked.status).send({ errors: [checked.problem] })
    }
    const made = await createOffer(
      services,
      checked,
      key === undefined
        ? undefined
        : { key, fingerprint: fingerprintOf(OFFERS_PATH, request.body) },
    )
    if (made.kind === 'conflict') {
      return reply.code(422).send({
        errors: [
          problem(
            'ERR_ISSUE_IDEMPOTENCY_CONFLICT',
            'This Idempotency-Key was used for a different offer request; no offer was made.',
          ),
        ],
      })
    }
    const { offer, txCode } = made
    // Audit trail: which program was offered, never to whom.
    reply.log.info(
      { audit: 'offer', offer: offer.offerId.slice(0, 6), program: offer.program, kind: made.kind },
      made.kind === 'made' ? 'credential offer made' : 'credential offer replayed',
    )
    if (made.kind === 'replayed') void reply.header('idempotent-replayed', 'true')
    return reply
      .code(made.kind === 'made' ? 201 : 200)
      .header('cache-control', 'no-store')
      .send({ ...offerLinks(offer, base), ...(txCode === undefined ? {} : { txCode }) })
  })

  registerExchangeRoutes(app, options)
  registerClaimPage(app, services)
  await app.register(oid4vciRoutes, options)
}
