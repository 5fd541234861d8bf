/**
 * The Institute's server as a Fastify app: `buildServer(config)` builds it without listening.
 *
 * @module
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import { createTokenCheck } from './auth.js'
import { registerBadgeRoutes } from './badge-routes.js'
import { resolveLimits, type ServerConfig } from './config.js'
import { checkDevelopmentConfig } from './development.js'
import { problemOf } from './errors.js'
import { createProxyMatcher } from './hardening/client-address.js'
import { limitConnections, serverOptionsOf } from './hardening/connections.js'
import {
  addRouteErrors,
  clientErrorHandler,
  closeIfBodyUnread,
  errorPayload,
  frameworkErrors,
} from './hardening/http-errors.js'
import { createRateLimiter } from './hardening/rate-limit.js'
import { addRouteGuards, unauthorized } from './hardening/route-guards.js'
import { addSecurityHeaders } from './hardening/security-headers.js'
import { createIssueSweeper } from './issuing/interrupted-issues.js'
import { registerPublishingRoutes } from './issuing/publishing.js'
import { registerIssuingRoutes } from './issuing/routes.js'
import { JsonBodyError, parseStrictJson } from './json-body.js'
import { registerHomeRedirect } from './home.js'
import { registerPublicRoutes } from './public-routes.js'
import { createServices } from './services.js'
import { registerVcApi } from './vc-api/routes.js'
import { verificationPage } from './verification-page/plugin.js'
import { presentationExchange, presentationDomainsFromEnv } from './presentation-exchange/plugin.js'
import { registerWalletDelivery } from './wallet-delivery/plugin.js'

/** The longest path parameter (a credential id in a URL). */
const MAX_PARAM_LENGTH = 2048

/**
 * Builds the server (routes registered, storage opened, keys loaded or created) without
 * listening: call `app.listen({ port, host })`, or `app.inject()` in tests. `app.close()` closes
 * the storage.
 *
 * @throws {TypeError} for a bad configuration (e.g. a write token shorter than 16 characters,
 *   a malformed `TRUST_PROXY` entry).
 */
export async function buildServer(config: ServerConfig): Promise<FastifyInstance> {
  if (config.development === true) checkDevelopmentConfig(config)
  const tokenMatches = createTokenCheck(config.writeToken)
  const limits = resolveLimits(config)
  const trustProxy = [...(config.trustProxy ?? [])]
  const isTrustedProxy = createProxyMatcher(trustProxy)
  const services = await createServices(config)
  const serverOptions = serverOptionsOf(limits.http)
  const app = Fastify({
    bodyLimit: config.bodyLimit,
    logger:
      config.logLevel === false
        ? false
        : {
            level: config.logLevel,
            ...(config.logStream === undefined ? {} : { stream: config.logStream }),
            // The token must never reach a log line, whatever serializer is configured.
            redact: {
              paths: ['req.headers.authorization', 'headers.authorization', '*.authorization'],
              censor: '[redacted]',
            },
          },
    ...(config.tls === undefined
      ? { http: serverOptions }
      : { https: { cert: config.tls.cert, key: config.tls.key, ...serverOptions } }),
    requestTimeout: limits.http.requestTimeoutMs,
    connectionTimeout: limits.http.connectionTimeoutMs,
    keepAliveTimeout: limits.http.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.http.maxRequestsPerSocket,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // X-Forwarded-For is read only from these peers; without any it is never trusted.
    trustProxy: trustProxy.length === 0 ? false : trustProxy,
    frameworkErrors,
    clientErrorHandler,
    return503OnClosing: true,
  }) as unknown as FastifyInstance
  limitConnections(app.server, limits.http, isTrustedProxy)
  const sweeper = createIssueSweeper({
    store: services.store,
    registry: services.registry,
    abandonAfterSeconds: limits.issue.abandonSeconds,
    onError: (error) => app.log.error({ err: error }, 'voiding an interrupted issue failed'),
  })
  app.addHook('onReady', async () => {
    // A database that is down at start is reported; the next sweep tries again.
    await sweeper.sweep().catch((error: unknown) => {
      app.log.error({ err: error }, 'sweeping interrupted issues failed')
    })
    sweeper.start(Math.min(60_000, (limits.issue.abandonSeconds * 1000) / 2))
  })
  app.addHook('onClose', async () => {
    sweeper.stop()
    await services.close()
  })
  // JSON only: no text/plain parsing (Fastify's default), so anything else is 415; and strict
  // JSON (no duplicate or prototype keys, bounded depth).
  app.removeContentTypeParser(['text/plain', 'application/json'])
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseStrictJson(body as string))
    } catch (error) {
      done(error as Error, undefined)
    }
  })

  if (config.allowUnauthenticatedIssue) {
    app.log.warn(
      '!!! CERTIFY_ALLOW_UNAUTHENTICATED_ISSUE is on: anyone who reaches this server can have it sign credentials as ' +
        services.did +
        '. Use it only for W3C test-suite runs on loopback. !!!',
    )
  }

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      const code =
        error instanceof JsonBodyError
          ? error.code
          : status === 413
            ? 'ERR_INPUT_TOO_LARGE'
            : 'ERR_SERVER_BAD_REQUEST'
      closeIfBodyUnread(request, reply)
      return reply.code(status).send(errorPayload(request.url, code, error.message))
    }
    const storage = problemOf(error)?.code === 'ERR_REGISTRY_STORAGE' || status === 503
    request.log.error({ err: error }, 'request failed')
    return storage
      ? reply
          .code(503)
          .header('retry-after', '1')
          .send(
            errorPayload(request.url, 'ERR_SERVER_STORAGE', 'The database is unavailable; retry.'),
          )
      : reply.code(500).send(errorPayload(request.url, 'ERR_SERVER_BAD_REQUEST', 'Internal error.'))
  })
  addSecurityHeaders(app, config.publicBaseUrl)
  const routes = addRouteErrors(app)
  addRouteGuards(app, {
    tokenMatches,
    allowUnauthenticatedIssue: config.allowUnauthenticatedIssue,
    limiter:
      limits.rateLimit.perMinute === 0
        ? undefined
        : createRateLimiter({
            perMinute: limits.rateLimit.perMinute,
            burst: limits.rateLimit.burst,
          }),
  })

  registerVcApi(app, {
    services,
    authorize(request, reply, what) {
      if (what === 'issue' && config.allowUnauthenticatedIssue) return true
      if (tokenMatches(request.headers.authorization)) return true
      void unauthorized(request, reply)
      return false
    },
    leaseSeconds: limits.issue.leaseSeconds,
  })
  registerIssuingRoutes(app, { services, leaseSeconds: limits.issue.leaseSeconds, routes })
  registerPublishingRoutes(app, services)
  registerPublicRoutes(app, services)
  registerBadgeRoutes(app)
  registerHomeRedirect(app)
  await registerWalletDelivery(app, {
    services,
    leaseSeconds: limits.issue.leaseSeconds,
    maxOutstandingChallenges: limits.challenges.maxOutstanding,
  })

  await app.register(verificationPage, {
    trustedIssuers: [...services.trustedIssuers],
    publicBaseUrl: config.publicBaseUrl,
    lookupCredential: (id: string) => services.store.directoryCredential(id),
    verify: (doc: unknown) => services.verifyOpenBadge(doc),
    searchDirectory: (query) => services.store.searchDirectory(query),
    searchLimiter: createRateLimiter(limits.searchRateLimit),
  })
  await app.register(presentationExchange, {
    publicBaseUrl: config.publicBaseUrl,
    allowedDomains: presentationDomainsFromEnv(process.env),
    verifierOptions: {
      trustedIssuers: [...services.trustedIssuers],
      didResolver: services.didResolver,
      documentLoader: services.documentLoader,
      status: { source: services.statusSource, cache: false },
    },
    records: services.storage.challenges,
    maxOutstanding: limits.challenges.maxOutstanding,
    maxOutstandingPerNetwork: limits.challenges.perNetwork,
    maxOutstandingPerClient: limits.challenges.perClient,
  })
  return app
}
