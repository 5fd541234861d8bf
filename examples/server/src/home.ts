/**
 * `GET /`: where a person who opens the server's address lands. For now the public verification
 * page; the one place to change when the Institute gets a directory page at `/certify`.
 *
 * @module
 */
import type { FastifyInstance } from 'fastify'

/** Where `GET /` leads. */
export const HOME_TARGET = '/certify/verify'

/**
 * Registers `GET /` (and HEAD) as a 302 to {@link HOME_TARGET}: temporary on purpose, so that
 * browsers do not remember it when the target changes.
 */
export function registerHomeRedirect(app: FastifyInstance): void {
  app.get('/', async (_request, reply) => reply.redirect(HOME_TARGET, 302))
}
