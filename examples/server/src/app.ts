/**
 * The Institute's server as a Fastify app: `buildServer(config)` builds it without listening.
 *
 * @module
 */
import Fastify, { type FastifyInstance } from 'fastify'
import type { ServerConfig } from './config.js'
import { verificationPage } from './verification-page/plugin.js'

/**
 * Builds the server (routes registered, storage opened, keys loaded) without listening: call
 * `app.listen({ port, host })`, or `app.inject()` in tests. `app.close()` closes the storage.
 */
export async function buildServer(config: ServerConfig): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: config.bodyLimit,
    logger:
      config.logLevel === false
        ? false
        : { level: config.logLevel, redact: ['req.headers.authorization'] },
    ...(config.tls === undefined ? {} : { https: config.tls }),
  }) as unknown as FastifyInstance

  await app.register(verificationPage, {
    trustedIssuers: [...config.trustedIssuers],
    publicBaseUrl: config.publicBaseUrl,
    lookupCredential: () => Promise.resolve(undefined),
    verify: () => Promise.resolve({ verified: false }),
  })
  return app
}
