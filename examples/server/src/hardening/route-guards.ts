/**
 * Guards attached to routes as they are registered, both running in `onRequest`, before the
 * body is read or parsed:
 *
 * - write routes (issue, status changes, reading an issued credential) need the bearer token: a
 *   large body without it is answered 401 without being parsed;
 * - every other POST route (the public verify and challenge endpoints), the public directory
 *   lookup `GET /certify/verify/<id>` and the shared credential page `GET /certify/credential/<id>`
 *   (the server verifies the listed credential, which costs as much as a POST), is rate limited
 *   per client (see `client-address.ts` for what a client is), 429 with `Retry-After`. (The
 *   directory's name search has a tighter limiter of its own, in the page plugin.)
 *
 * @module
 */
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RouteOptions,
  onRequestHookHandler,
} from 'fastify'
import { bucketsOf } from './client-address.js'
import { sendError } from './http-errors.js'
import type { RateLimiter } from './rate-limit.js'

/** The GET routes that run a full verification: the directory lookup and the shared page. */
const VERIFIES_ON_READ = new Set(['/certify/verify/*', '/certify/credential/*'])

/** What a write route needs: `issue` may be opened for W3C suite runs, `status` and `offer` never. */
export type WriteKind = 'issue' | 'status' | 'offer'

/** The write kind of a route, or undefined for a public route. */
export function writeKindOf(method: string, url: string): WriteKind | undefined {
  if (method === 'POST' && (url.endsWith('/credentials/issue') || url === '/certify/credentials')) {
    return 'issue'
  }
  if (
    method === 'POST' &&
    (url === '/credentials/status' || url.startsWith('/certify/credentials/'))
  ) {
    return 'status'
  }
  if (method === 'POST' && url === '/certify/offers') return 'offer'
  // Reading back what was issued is for the issuer, as issuing is.
  if ((method === 'GET' || method === 'HEAD') && url === '/credentials/:id') return 'status'
  return undefined
}

/** Options of {@link addRouteGuards}. */
export interface RouteGuardOptions {
  /** Whether the `Authorization` header carries the write token. */
  readonly tokenMatches: (header: string | undefined) => boolean
  /** `CERTIFY_ALLOW_UNAUTHENTICATED_ISSUE`: issue routes pass without a token. */
  readonly allowUnauthenticatedIssue: boolean
  /** The per-client limiter of public POST routes, or undefined for none. */
  readonly limiter: RateLimiter | undefined
}

/** Answers 401 in the server's format (the handlers' own check answers the same). */
export function unauthorized(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  void reply.header('www-authenticate', 'Bearer')
  return sendError(
    request,
    reply,
    401,
    'ERR_SERVER_UNAUTHORIZED',
    'A valid bearer token is required.',
  )
}

type OnRequest = NonNullable<RouteOptions['onRequest']>

/** `guard` first, then the route's own onRequest hooks. */
function withFirst(existing: OnRequest | undefined, guard: onRequestHookHandler): OnRequest {
  if (existing === undefined) return [guard]
  return [guard, ...(Array.isArray(existing) ? existing : [existing])] as OnRequest
}

/** Attaches the guards to every route registered on `app` after this call. */
export function addRouteGuards(app: FastifyInstance, options: RouteGuardOptions): void {
  const { limiter } = options
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const kind = methods.map((m) => writeKindOf(m, route.url ?? route.path)).find((k) => k)
    if (kind !== undefined) {
      const url = route.url ?? route.path
      const guard: onRequestHookHandler = (request, reply, done) => {
        if (kind === 'issue' && options.allowUnauthenticatedIssue) return done()
        // Not a credential id (ids are absolute IRIs): `GET /credentials/verify` is answered
        // 405 by the handler without reading anything, as any wrong method is.
        if (
          url === '/credentials/:id' &&
          !String((request.params as { id?: unknown }).id).includes(':')
        ) {
          return done()
        }
        if (options.tokenMatches(request.headers.authorization)) return done()
        void unauthorized(request, reply)
      }
      route.onRequest = withFirst(route.onRequest, guard)
      return
    }
    const verifiesOnRead = VERIFIES_ON_READ.has(route.url ?? route.path)
    if (limiter !== undefined && (methods.includes('POST') || verifiesOnRead)) {
      const guard: onRequestHookHandler = (request, reply, done) => {
        const decision = limiter.take(bucketsOf(request.ip).client)
        if (decision.allowed) return done()
        void reply.header('retry-after', String(decision.retryAfterSeconds))
        void sendError(
          request,
          reply,
          429,
          'ERR_SERVER_RATE_LIMITED',
          `Too many requests from this client; retry in ${decision.retryAfterSeconds} s.`,
        )
      }
      route.onRequest = withFirst(route.onRequest, guard)
    }
  })
}
