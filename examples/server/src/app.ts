/**
 * The Institute's server as a Fastify app: `buildServer(config)` builds it without listening.
 *
 * @module
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import { createTokenCheck } from './auth.js'
import type { ServerConfig } from './config.js'
import { errorBody } from './errors.js'
import { parseStrictJson } from './json-body.js'
import { registerBadgeRoutes } from './badge-routes.js'
import { registerPublicRoutes } from './public-routes.js'
import { createServices } from './services.js'
import { registerVcApi } from './vc-api/routes.js'
import { verificationPage } from './verification-page/plugin.js'
import { presentationExchange, presentationDomainsFromEnv } from './presentation-exchange/plugin.js'

/**
 * Builds the server (routes registered, storage opened, keys loaded or created) without
 * listening: call `app.listen({ port, host })`, or `app.inject()` in tests. `app.close()` closes
 * the storage.
 *
 * @throws {TypeError} for a bad configuration (e.g. a write token shorter than 16 characters).
 */
export async function buildServer(config: ServerConfig): Promise<FastifyInstance> {
  const tokenMatches = createTokenCheck(config.writeToken)
  const services = await createServices(config)
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
    ...(config.tls === undefined ? {} : { https: { cert: config.tls.cert, key: config.tls.key } }),
    return503OnClosing: true,
  }) as unknown as FastifyInstance
  app.addHook('onClose', async () => services.close())
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
      const code = status === 413 ? 'ERR_INPUT_TOO_LARGE' : 'ERR_SERVER_BAD_REQUEST'
      const body = errorBody(code, error.message)
      return reply
        .code(status)
        .send(request.url.endsWith('/verify') ? { verified: false, ...body } : body)
    }
    request.log.error({ err: error }, 'request failed')
    return reply.code(500).send(errorBody('ERR_SERVER_BAD_REQUEST', 'Internal error.'))
  })
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send(errorBody('ERR_SERVER_NOT_FOUND', 'Not found.')),
  )

  registerVcApi(app, {
    services,
    authorize(request, reply, what) {
      if (what === 'issue' && config.allowUnauthenticatedIssue) return true
      if (tokenMatches(request.headers.authorization)) return true
      void reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send(errorBody('ERR_SERVER_UNAUTHORIZED', 'A valid bearer token is required.'))
      return false
    },
  })
  registerPublicRoutes(app, services)
  registerBadgeRoutes(app)

  await app.register(verificationPage, {
    trustedIssuers: [...services.trustedIssuers],
    publicBaseUrl: config.publicBaseUrl,
    lookupCredential: (id: string) => Promise.resolve(services.store.directoryCredential(id)),
    verify: (doc: unknown) => services.verifyOpenBadge(doc),
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
  })
  return app
}
