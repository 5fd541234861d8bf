/**
 * The employer ↔ wallet request/response flow (docs/design.md §4 step 8, docs/attacks.md F1–F6), as a Fastify
 * plugin:
 *
 * - `POST /presentations/challenges` (public): issues a single-use challenge of 128 random bits,
 *   bound to a domain: the server's public host, or a requested domain from the allow-list.
 *   `201 { challenge, domain, expiresAt }`; `429 ERR_CHALLENGE_LIMIT` when `maxOutstanding`
 *   challenges are unused and unexpired, or the client's or its network's share of them is;
 *   `400` for a domain off the allow-list. Challenges live in `records` (the server's
 *   database: issued on one instance, consumed once on any).
 * - `POST /certify/verify/presentation` (public): `{ verifiablePresentation, challenge?, domain? }`.
 *   Verifies the presentation with `verifyPresentation` against the challenge store (the
 *   challenge is consumed atomically, once the holder's signature verified), requiring the
 *   `authentication` purpose, the challenge, the domain, a key the holder controls and
 *   credentials about the holder, and every credential with the server's full Open Badges
 *   pipeline (trust list, program, status). `200` when everything holds, `422` otherwise, with
 *   `holderProven`, the `holderBinding` verdict (its first problem's code when not proven) and
 *   each credential's result.
 *
 * @module
 */
import { CertifyError, isPlainObject, problem, type Problem } from '@certify-vc/context'
import {
  createChallengeStore,
  verifyPresentation,
  type ChallengeStorage,
  type ChallengeStore,
  type VerifyCredentialOptions,
  type VerifyPresentationResult,
} from '@certify-vc/verifier'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { bucketsOf } from '../hardening/client-address.js'
import { createMemoryChallengeRecords } from '../storage/memory-challenges.js'
import type { ChallengeRecords, ClientBuckets } from '../storage/types.js'

/** Where the challenge endpoint lives. */
export const CHALLENGES_PATH = '/presentations/challenges'
/** Where presentations answering a challenge are verified. */
export const PRESENTATION_VERIFY_PATH = '/certify/verify/presentation'

/** Default challenge lifetime, seconds. */
export const DEFAULT_REQUEST_TTL_SECONDS = 300
/** Default cap on unused, unexpired challenges. */
export const DEFAULT_MAX_OUTSTANDING = 1000
/** Default challenges one client address may request per minute. */
export const DEFAULT_PER_CLIENT_PER_MINUTE = 30
/** Client addresses tracked at once by the per-client limit (oldest forgotten first). */
const MAX_TRACKED_CLIENTS = 10_000

/** The checks that make up the holder binding, in the verifier's order. */
export const HOLDER_BINDING_CHECKS = [
  'input',
  'structure',
  'contexts',
  'proof',
  'holder-binding',
  'challenge',
  'domain',
  'subject-binding',
] as const

/** Options of {@link presentationExchange}. */
export interface PresentationExchangeOptions {
  /** The server's public base URL; its host (`host[:port]`) is the default domain. */
  publicBaseUrl: string
  /** Further domains a requester may ask for (e.g. `jobs.example`). Default none. */
  allowedDomains?: readonly string[]
  /**
   * The credential options of the server's verifier (trust list, DID resolver, document loader,
   * status source): each presented credential is verified exactly as `/credentials/verify` does.
   */
  verifierOptions: VerifyCredentialOptions
  /** Challenge lifetime, 1..86,400 s. Default 300. */
  ttlSeconds?: number
  /** Unused, unexpired challenges allowed at once (over every instance). Default 1000. */
  maxOutstanding?: number
  /**
   * Of those, what one network (an IPv4 /24, an IPv6 /48) may hold, so that one population of
   * clients cannot use up `maxOutstanding` for everyone. Default `maxOutstanding` (no share).
   */
  maxOutstandingPerNetwork?: number
  /** Of those, what one client (an IPv4 address, an IPv6 /64) may hold. Default `maxOutstanding`. */
  maxOutstandingPerClient?: number
  /**
   * Challenges one client (an IPv4 address or an IPv6 /64 of `request.ip`; behind a proxy
   * configure Fastify's `trustProxy`) may request per minute. Default 30.
   */
  perClientPerMinute?: number
  /**
   * Where challenges are kept: the server's database, so that a challenge issued by one
   * instance is consumed by any other, once. Default: in this process's memory.
   */
  records?: ChallengeRecords
  /** The clock (tests inject one). Default `() => new Date()`. */
  now?: () => Date
}

/** What `POST /certify/verify/presentation` answers. */
export interface PresentationExchangeResult {
  /** The presentation and every credential in it hold. */
  readonly verified: boolean
  /** The holder's signature, challenge (consumed here), domain and key binding hold. */
  readonly holderProven: boolean
  /** The verdict on the holder for this request. */
  readonly holderBinding: {
    /** `holderProven` and every credential is about the holder. */
    readonly proven: boolean
    /** The holder DID, as the presentation names it. */
    readonly holder?: string
    /** The domain the presentation had to be made for. */
    readonly domain: string
    /** The first problem when not proven. */
    readonly problem?: Problem
    /** The checks that make up the holder binding. */
    readonly checks: VerifyPresentationResult['checks']
  }
  /** Every credential's own verdict. */
  readonly credentials: readonly {
    readonly index: number
    readonly id?: string
    readonly verified: boolean
    readonly problems: readonly Problem[]
  }[]
  /** The full `verifyPresentation` result. */
  readonly result: VerifyPresentationResult
}

const DOMAIN_PATTERN = /^[a-z0-9.-]{1,253}(?::[0-9]{1,5})?$/

/**
 * Reads `CERTIFY_PRESENTATION_DOMAINS` (comma-separated `host[:port]` list) from `env`.
 *
 * @throws {TypeError} for an entry that is not a lower-case host name with an optional port.
 */
export function presentationDomainsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const raw = env.CERTIFY_PRESENTATION_DOMAINS ?? ''
  const out = raw
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '')
  for (const d of out) {
    if (!DOMAIN_PATTERN.test(d)) {
      throw new TypeError(
        `CERTIFY_PRESENTATION_DOMAINS: ${JSON.stringify(d)} is not a lower-case host[:port].`,
      )
    }
  }
  return out
}

function badRequest(message: string, path?: string): { errors: Problem[] } {
  return { errors: [problem('ERR_SERVER_BAD_REQUEST', message, path)] }
}

/** The holder-binding verdict of a `verifyPresentation` result. */
export function holderBindingOf(
  result: VerifyPresentationResult,
  domain: string,
): PresentationExchangeResult['holderBinding'] {
  const checks = result.checks.filter((c) =>
    (HOLDER_BINDING_CHECKS as readonly string[]).includes(c.id),
  )
  const subjectOk = result.checks.find((c) => c.id === 'subject-binding')?.outcome === 'passed'
  const proven = result.holderProven && subjectOk
  let first: Problem | undefined
  if (!proven) {
    first =
      checks.find((c) => c.outcome === 'failed')?.problems[0] ??
      problem(
        'ERR_PRESENTATION_INVALID',
        result.presentation.signed
          ? 'The holder binding could not be established.'
          : 'The presentation is unsigned: it proves nothing about its holder.',
      )
  }
  return {
    proven,
    ...(result.presentation.holder === undefined ? {} : { holder: result.presentation.holder }),
    domain,
    ...(first === undefined ? {} : { problem: first }),
    checks,
  }
}

/** Registers the challenge and presentation endpoints. */
export const presentationExchange: FastifyPluginAsync<PresentationExchangeOptions> = (
  app,
  options,
) => {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('"options" must be an object.')
  }
  if (typeof options.publicBaseUrl !== 'string' || !URL.canParse(options.publicBaseUrl)) {
    throw new TypeError('"publicBaseUrl" must be an absolute URL.')
  }
  if (!isPlainObject(options.verifierOptions)) {
    throw new TypeError('"verifierOptions" must be the verifier options.')
  }
  const defaultDomain = new URL(options.publicBaseUrl).host.toLowerCase()
  const allowed = new Set([defaultDomain, ...(options.allowedDomains ?? [])])
  for (const d of allowed) {
    if (typeof d !== 'string' || !DOMAIN_PATTERN.test(d)) {
      throw new TypeError(`"allowedDomains": ${JSON.stringify(d)} is not a lower-case host[:port].`)
    }
  }
  const records = options.records ?? createMemoryChallengeRecords()
  const maxOutstanding = options.maxOutstanding ?? DEFAULT_MAX_OUTSTANDING
  const perNetworkCap = options.maxOutstandingPerNetwork ?? maxOutstanding
  const perClientCap = options.maxOutstandingPerClient ?? maxOutstanding
  for (const [name, value] of [
    ['maxOutstandingPerNetwork', perNetworkCap],
    ['maxOutstandingPerClient', perClientCap],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`"${name}" must be a positive integer.`)
    }
  }
  /** The verifier's store over the records; `buckets` tags the challenges it issues. */
  const storeFor = (buckets: ClientBuckets): ChallengeStore => {
    const storage: ChallengeStorage = {
      insert: (record) => records.insert(record, buckets),
      markUsed: (challenge, usedAt) => records.markUsed(challenge, usedAt),
      countOutstanding: (at) => records.countOutstanding(at),
      deleteExpired: (before) => records.deleteExpired(before),
    }
    return createChallengeStore({
      ttlSeconds: options.ttlSeconds ?? DEFAULT_REQUEST_TTL_SECONDS,
      maxOutstanding,
      storage,
      ...(options.now === undefined ? {} : { now: options.now }),
    })
  }
  // Consuming needs no buckets: any instance consumes any challenge, once.
  const store = storeFor({ client: 'consume', network: 'consume' })
  const clientOf = (request: FastifyRequest): ClientBuckets => bucketsOf(request.ip)
  const verifierOptions = options.verifierOptions
  const now = options.now
  const perClient = options.perClientPerMinute ?? DEFAULT_PER_CLIENT_PER_MINUTE
  if (!Number.isSafeInteger(perClient) || perClient < 1) {
    throw new TypeError('"perClientPerMinute" must be a positive integer.')
  }
  // Fixed one-minute windows per client address; the Map keeps insertion order, so the oldest
  // entries are dropped first when too many addresses are tracked.
  const windows = new Map<string, { start: number; count: number }>()
  function allow(client: string): boolean {
    const at = (now ?? (() => new Date()))().getTime()
    const entry = windows.get(client)
    if (entry === undefined || at - entry.start >= 60_000) {
      windows.delete(client)
      if (windows.size >= MAX_TRACKED_CLIENTS) {
        const oldest = windows.keys().next().value
        if (oldest !== undefined) windows.delete(oldest)
      }
      windows.set(client, { start: at, count: 1 })
      return true
    }
    entry.count++
    return entry.count <= perClient
  }

  /** The requested domain, or an error message. */
  function domainOf(value: unknown): { domain: string } | { error: string } {
    if (value === undefined) return { domain: defaultDomain }
    if (typeof value !== 'string' || !allowed.has(value)) {
      return {
        error: `"domain" must be one of this server's presentation domains (${[...allowed].join(', ')}).`,
      }
    }
    return { domain: value }
  }

  app.post(CHALLENGES_PATH, async (request, reply) => {
    const body: unknown = request.body ?? {}
    if (!isPlainObject(body)) return reply.code(400).send(badRequest('The body must be an object.'))
    const extra = Object.keys(body).filter((k) => k !== 'domain')
    if (extra.length > 0) {
      return reply
        .code(400)
        .send(badRequest(`Unknown member ${JSON.stringify(extra[0])}.`, `/${extra[0]}`))
    }
    const picked = domainOf(body.domain)
    if ('error' in picked) return reply.code(400).send(badRequest(picked.error, '/domain'))
    const buckets = clientOf(request)
    if (!allow(buckets.client)) {
      return reply
        .code(429)
        .header('retry-after', '60')
        .send({
          errors: [
            problem(
              'ERR_CHALLENGE_LIMIT',
              `At most ${perClient} challenges a minute per client; try again in a minute.`,
            ),
          ],
        })
    }
    // Each population's share of the cap, counted over every instance.
    const at = (now ?? (() => new Date()))().getTime()
    const held = await records.countOutstandingFor(buckets, at)
    if (held.client >= perClientCap || held.network >= perNetworkCap) {
      return reply
        .code(429)
        .header('retry-after', '30')
        .send({
          errors: [
            problem(
              'ERR_CHALLENGE_LIMIT',
              held.client >= perClientCap
                ? `This client holds ${perClientCap} unused challenges; use or let some expire first.`
                : `Clients of this network hold ${perNetworkCap} unused challenges; try again later.`,
            ),
          ],
        })
    }
    let issued: Awaited<ReturnType<ChallengeStore['issue']>>
    try {
      issued = await storeFor(buckets).issue({ domain: picked.domain })
    } catch (error) {
      if (error instanceof CertifyError && error.code === 'ERR_CHALLENGE_LIMIT') {
        return reply
          .code(429)
          .header('retry-after', '30')
          .send({ errors: [error.toProblem()] })
      }
      throw error
    }
    return reply
      .code(201)
      .header('cache-control', 'no-store')
      .send({ challenge: issued.challenge, domain: picked.domain, expiresAt: issued.expiresAt })
  })

  app.post(PRESENTATION_VERIFY_PATH, async (request, reply) => {
    const body: unknown = request.body
    if (!isPlainObject(body)) {
      return reply.code(400).send({ verified: false, ...badRequest('The body must be an object.') })
    }
    const extra = Object.keys(body).filter(
      (k) => k !== 'verifiablePresentation' && k !== 'challenge' && k !== 'domain',
    )
    if (extra.length > 0) {
      return reply.code(400).send({
        verified: false,
        ...badRequest(`Unknown member ${JSON.stringify(extra[0])}.`, `/${extra[0]}`),
      })
    }
    const vp = body.verifiablePresentation
    if (!isPlainObject(vp)) {
      return reply.code(400).send({
        verified: false,
        ...badRequest('"verifiablePresentation" must be an object.', '/verifiablePresentation'),
      })
    }
    const picked = domainOf(body.domain)
    if ('error' in picked) {
      return reply.code(400).send({ verified: false, ...badRequest(picked.error, '/domain') })
    }
    const challenge = body.challenge
    if (
      challenge !== undefined &&
      (typeof challenge !== 'string' || challenge.length === 0 || challenge.length > 1024)
    ) {
      return reply.code(400).send({
        verified: false,
        ...badRequest('"challenge" must be a non-empty string.', '/challenge'),
      })
    }
    const result = await verifyPresentation(vp, {
      ...verifierOptions,
      ...(now === undefined || verifierOptions.now !== undefined ? {} : { now: now() }),
      challengeStore: store,
      ...(challenge === undefined ? {} : { challenge }),
      domain: picked.domain,
      unsignedPresentation: 'reject',
      holderBinding: 'required',
      subjectBinding: 'required',
    })
    const answer: PresentationExchangeResult = {
      verified: result.verified,
      holderProven: result.holderProven,
      holderBinding: holderBindingOf(result, picked.domain),
      credentials: result.credentials.map((c) => ({
        index: c.index,
        ...(c.id === undefined ? {} : { id: c.id }),
        verified: c.verified,
        problems: c.result.problems,
      })),
      result,
    }
    return reply
      .code(result.verified ? 200 : 422)
      .header('cache-control', 'no-store')
      .send(answer)
  })
  return Promise.resolve()
}
