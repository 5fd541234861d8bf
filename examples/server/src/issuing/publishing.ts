/**
 * Publishing a credential to its shared page and the public directory (issue 16 item 2, issue
 * 19): nothing issued here is public unless its learner chose it. Three ways in, all ending in
 * `CredentialStore.setListed` (at once on every instance):
 *
 * - At issue (claim time): `publicDirectory: true` in `POST /certify/credentials` or the VC API's
 *   `options`, when the Institute issues on a learner's request that asked for it.
 * - By the Institute on the learner's request: `POST /certify/credentials/{id}/publish` and
 *   `…/unpublish` (bearer token, like every write; `publishAction` below, called by the issuing
 *   routes).
 * - By the learner alone, with their wallet: `POST /certify/listing`
 *   `{ verifiablePresentation, challenge, listed }`. The presentation must answer a challenge of
 *   this server (`POST /presentations/challenges`, single use, bound to this server's domain)
 *   with an `authentication` proof by a key of the holder's DID, and every credential in it must
 *   be about the holder (docs/attacks.md F1–F6) and issued here. To publish, every credential
 *   must verify in full (trust, program, status: a revoked credential is not published); to
 *   unpublish, it is enough that they are genuinely the holder's (a revoked one can be taken
 *   down). Learners whose credential names no DID ask the Institute (the route above).
 *
 * @module
 */
import { isPlainObject, problem, type Problem } from '@certify-vc/context'
import {
  createChallengeStore,
  verifyPresentation,
  type ChallengeStore,
  type VerifyPresentationResult,
} from '@certify-vc/verifier'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Services } from '../services.js'
import { sharePath } from '../verification-page/templates.js'

/** Where a learner publishes or unpublishes with a signed presentation. */
export const LISTING_PATH = '/certify/listing'
/** The actions `POST /certify/credentials/{id}/{action}` takes besides the status changes. */
export const PUBLISH_ACTIONS = ['publish', 'unpublish'] as const
/** One of {@link PUBLISH_ACTIONS}. */
export type PublishAction = (typeof PUBLISH_ACTIONS)[number]

/** The answer of a publishing request. */
export type PublishAnswer =
  | {
      readonly status: 200
      readonly body: {
        readonly listed: boolean
        readonly credentials: readonly { readonly id: string; readonly url: string }[]
      }
    }
  | { readonly status: number; readonly body: { readonly errors: Problem[] } }

function notIssuedHere(): PublishAnswer {
  return {
    status: 404,
    body: {
      errors: [problem('ERR_SERVER_NOT_FOUND', 'No credential with this id was issued here.')],
    },
  }
}

/** Lists or unlists credentials issued here; logs an audit line (ids only, never names). */
async function setListed(
  services: Services,
  ids: readonly string[],
  listed: boolean,
  via: string,
  log: FastifyBaseLogger,
): Promise<PublishAnswer> {
  for (const id of ids) {
    if ((await services.store.getCredential(id)) === undefined) return notIssuedHere()
  }
  for (const id of ids) {
    if (!(await services.store.setListed(id, listed, new Date()))) return notIssuedHere()
    log.info({ audit: listed ? 'publish' : 'unpublish', credentialId: id, via }, 'listing changed')
  }
  const base = services.config.publicBaseUrl.replace(/\/+$/, '')
  return {
    status: 200,
    body: { listed, credentials: ids.map((id) => ({ id, url: `${base}${sharePath(id)}` })) },
  }
}

/** `POST /certify/credentials/{id}/publish|unpublish` (the Institute, on the learner's request). */
export function publishAction(
  services: Services,
  credentialId: string,
  action: PublishAction,
  log: FastifyBaseLogger,
): Promise<PublishAnswer> {
  return setListed(services, [credentialId], action === 'publish', 'institute', log)
}

function bad(message: string, path?: string): PublishAnswer {
  return { status: 400, body: { errors: [problem('ERR_SERVER_BAD_REQUEST', message, path)] } }
}

/** Whether every credential of a holder-proven presentation may be (un)listed by its holder. */
function holderMay(
  result: VerifyPresentationResult,
  listed: boolean,
  issuer: string,
): Problem | undefined {
  const failed = result.checks.find((c) => c.outcome === 'failed' && c.id !== 'credentials')
  if (!result.holderProven || failed !== undefined) {
    return (
      failed?.problems[0] ??
      problem('ERR_PRESENTATION_INVALID', 'The presentation does not prove its holder.')
    )
  }
  if (result.credentials.length === 0) {
    return problem('ERR_PRESENTATION_INVALID', 'The presentation holds no credential.')
  }
  for (const c of result.credentials) {
    const r = c.result
    const passed = (id: string) => r.checks.find((k) => k.id === id)?.outcome === 'passed'
    if (r.credential.issuer !== issuer || !passed('proof') || !passed('key-binding')) {
      return problem(
        'ERR_ISSUER_UNTRUSTED',
        'Only credentials issued by this server can be listed here.',
      )
    }
    if (listed && !c.verified) {
      return (
        r.problems[0] ??
        problem('ERR_PRESENTATION_CREDENTIAL_INVALID', 'A credential does not verify.')
      )
    }
  }
  return undefined
}

/** Registers `POST /certify/listing` (the learner's own publish and unpublish). */
export function registerPublishingRoutes(app: FastifyInstance, services: Services): void {
  const records = services.storage.challenges
  // Consuming a challenge needs no client buckets: any instance consumes any challenge, once.
  const store: ChallengeStore = createChallengeStore({
    storage: {
      insert: (record) => records.insert(record, { client: 'consume', network: 'consume' }),
      markUsed: (challenge, usedAt) => records.markUsed(challenge, usedAt),
      countOutstanding: (at) => records.countOutstanding(at),
      deleteExpired: (before) => records.deleteExpired(before),
    },
  })
  const domain = new URL(services.config.publicBaseUrl).host.toLowerCase()

  app.post(LISTING_PATH, async (request, reply) => {
    const body: unknown = request.body
    let answer: PublishAnswer
    if (!isPlainObject(body)) {
      answer = bad('The body must be an object.')
    } else if (
      Object.keys(body).some((k) => !['verifiablePresentation', 'challenge', 'listed'].includes(k))
    ) {
      answer = bad('The body takes verifiablePresentation, challenge and listed.')
    } else if (!isPlainObject(body.verifiablePresentation)) {
      answer = bad('"verifiablePresentation" must be an object.', '/verifiablePresentation')
    } else if (
      typeof body.challenge !== 'string' ||
      body.challenge.length === 0 ||
      body.challenge.length > 1024
    ) {
      answer = bad('"challenge" must be the challenge the presentation answers.', '/challenge')
    } else if (typeof body.listed !== 'boolean') {
      answer = bad('"listed" must be true (publish) or false (unpublish).', '/listed')
    } else {
      const result = await verifyPresentation(body.verifiablePresentation, {
        ...services.verifierOptions('institute'),
        challengeStore: store,
        challenge: body.challenge,
        domain,
        unsignedPresentation: 'reject',
        holderBinding: 'required',
        subjectBinding: 'required',
      })
      const refusal = holderMay(result, body.listed, services.did)
      if (refusal !== undefined) {
        answer = { status: 422, body: { errors: [refusal] } }
      } else {
        const ids = result.credentials.map((c) => c.result.credential.id)
        answer = ids.every((id): id is string => typeof id === 'string')
          ? await setListed(services, ids, body.listed, 'holder', reply.log)
          : notIssuedHere()
      }
    }
    return reply.code(answer.status).header('cache-control', 'no-store').send(answer.body)
  })
}
