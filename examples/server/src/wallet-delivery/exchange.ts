/**
 * The VC API exchange of an offer (W3C CCG VC API "workflows and exchanges"), as the DCC Learner
 * Credential Wallet drives it:
 *
 * 1. `POST /certify/exchanges/<offer>` with `{}` → `{verifiablePresentationRequest}`: a
 *    `DIDAuthentication` query with a fresh single-use challenge (the server's challenge store,
 *    shared by every instance) and this server's domain, and `interact.service` pointing back at
 *    the exchange.
 * 2. The same URL with `{verifiablePresentation}`: the wallet's presentation, signed for
 *    `authentication` by a key of its holder, with that challenge and domain. It is verified by
 *    `@certify-vc/verifier`'s `verifyPresentation` (holder binding required, the challenge
 *    consumed once, the domain checked); then the credential is issued to the holder and answered
 *    as `{verifiablePresentation: {verifiableCredential: [credential]}}` (unsigned: the
 *    credential carries its own proof), where the wallet looks for it.
 *
 * Refusals are the server's JSON problems: 404 unknown offer, 410 `ERR_OFFER_EXPIRED`, 409
 * `ERR_OFFER_CLAIMED` (also while a wallet is in the middle of OpenID4VCI for it), 422 with the
 * holder-binding problem for a presentation that does not hold.
 *
 * @module
 */
import { CONTEXT_URLS, isPlainObject, problem } from '@certify-vc/context'
import { createChallengeStore, verifyPresentation, type ChallengeStore } from '@certify-vc/verifier'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { holderBindingOf } from '../presentation-exchange/plugin.js'
import type { Services } from '../services.js'
import type { OfferRecord } from '../storage/types.js'
import { EXCHANGES_PATH, claimOffer } from './offers.js'

/** How long the presentation request's challenge is accepted. */
export const EXCHANGE_CHALLENGE_SECONDS = 300

/** Options of {@link registerExchangeRoutes}. */
export interface ExchangeOptions {
  readonly services: Services
  readonly leaseSeconds: number
  /** Unused, unexpired challenges allowed at once (the server's cap). */
  readonly maxOutstandingChallenges: number
}

function refuse(
  reply: FastifyReply,
  status: number,
  code: Parameters<typeof problem>[0],
  message: string,
) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ errors: [problem(code, message)] })
}

/** Why an offer cannot be exchanged now, or undefined. */
function closed(
  offer: OfferRecord | undefined,
  now: number,
): { status: number; code: Parameters<typeof problem>[0]; message: string } | undefined {
  if (offer === undefined || offer.txCodeHash !== null) {
    return { status: 404, code: 'ERR_SERVER_NOT_FOUND', message: 'No such exchange.' }
  }
  if (offer.credentialId !== null || offer.codeRedeemedAt !== null) {
    return {
      status: 409,
      code: 'ERR_OFFER_CLAIMED',
      message: 'This credential offer was already claimed (or is being claimed by another wallet).',
    }
  }
  if (offer.expiresAt <= now) {
    return {
      status: 410,
      code: 'ERR_OFFER_EXPIRED',
      message: 'This credential offer has expired; ask the Institute for a new one.',
    }
  }
  return undefined
}

/** Registers `POST /certify/exchanges/<offer>`. */
export function registerExchangeRoutes(app: FastifyInstance, options: ExchangeOptions): void {
  const { services, leaseSeconds } = options
  const base = services.config.publicBaseUrl
  const domain = new URL(base).host.toLowerCase()
  const challenges: ChallengeStore = createChallengeStore({
    ttlSeconds: EXCHANGE_CHALLENGE_SECONDS,
    maxOutstanding: options.maxOutstandingChallenges,
    storage: {
      insert: (record) =>
        services.storage.challenges.insert(record, { client: 'exchange', network: 'exchange' }),
      markUsed: (challenge, usedAt) => services.storage.challenges.markUsed(challenge, usedAt),
      countOutstanding: (at) => services.storage.challenges.countOutstanding(at),
      deleteExpired: (before) => services.storage.challenges.deleteExpired(before),
    },
  })

  app.post<{ Params: { id: string } }>(`${EXCHANGES_PATH}/:id`, async (request, reply) => {
    const body: unknown = request.body ?? {}
    if (!isPlainObject(body)) {
      return refuse(reply, 400, 'ERR_SERVER_BAD_REQUEST', 'The body must be a JSON object.')
    }
    const offer = await services.storage.offers.get(request.params.id)
    const shut = closed(offer, Date.now())
    if (offer === undefined || shut !== undefined) {
      const s = shut ?? {
        status: 404,
        code: 'ERR_SERVER_NOT_FOUND' as const,
        message: 'No such exchange.',
      }
      return refuse(reply, s.status, s.code, s.message)
    }
    const exchangeUrl = `${base}${EXCHANGES_PATH}/${encodeURIComponent(offer.offerId)}`

    if (body.verifiablePresentation === undefined) {
      const issued = await challenges.issue({ domain })
      if (!(await services.storage.offers.setExchangeChallenge(offer.offerId, issued.challenge))) {
        return refuse(reply, 409, 'ERR_OFFER_CLAIMED', 'This credential offer was already claimed.')
      }
      return reply.header('cache-control', 'no-store').send({
        verifiablePresentationRequest: {
          query: [
            {
              type: 'DIDAuthentication',
              acceptedMethods: [{ method: 'key' }],
              acceptedCryptosuites: [
                { cryptosuite: 'eddsa-rdfc-2022' },
                { cryptosuite: 'Ed25519Signature2020' },
              ],
            },
          ],
          challenge: issued.challenge,
          domain,
          interact: {
            service: [
              { type: 'UnmediatedHttpPresentationService2021', serviceEndpoint: exchangeUrl },
            ],
          },
        },
      })
    }

    const vp = body.verifiablePresentation
    if (!isPlainObject(vp)) {
      return refuse(
        reply,
        400,
        'ERR_SERVER_BAD_REQUEST',
        '"verifiablePresentation" must be an object.',
      )
    }
    if (offer.exchangeChallenge === null) {
      return refuse(
        reply,
        400,
        'ERR_CHALLENGE_UNKNOWN',
        'Start the exchange first (POST {}) to get its presentation request.',
      )
    }
    const result = await verifyPresentation(vp, {
      ...services.verifierOptions('vc'),
      challenge: offer.exchangeChallenge,
      challengeStore: challenges,
      domain,
      unsignedPresentation: 'reject',
      holderBinding: 'required',
      subjectBinding: 'off',
      requireCredentials: false,
    })
    const holder = result.presentation.holder
    if (!result.verified || !result.holderProven || holder === undefined) {
      const binding = holderBindingOf(result, domain)
      return reply
        .code(422)
        .header('cache-control', 'no-store')
        .send({
          errors: [
            binding.problem ??
              result.problems[0] ??
              problem('ERR_PRESENTATION_INVALID', 'The presentation does not prove its holder.'),
          ],
        })
    }
    const claimed = await claimOffer(services, leaseSeconds, offer, holder, 'vc-api')
    if (claimed.kind === 'claimed-by-another') {
      return refuse(
        reply,
        409,
        'ERR_OFFER_CLAIMED',
        'This credential offer was claimed by another holder.',
      )
    }
    if (claimed.kind === 'failed') {
      return reply
        .code(claimed.status)
        .header('cache-control', 'no-store')
        .send({ errors: claimed.problems })
    }
    reply.log.info(
      {
        audit: 'offer-claimed',
        via: 'vc-api',
        credentialId: claimed.credential.id,
        program: offer.program,
      },
      'credential offer claimed',
    )
    return reply.header('cache-control', 'no-store').send({
      verifiablePresentation: {
        '@context': [CONTEXT_URLS.credentialsV2],
        type: ['VerifiablePresentation'],
        verifiableCredential: [claimed.credential],
      },
    })
  })
}
