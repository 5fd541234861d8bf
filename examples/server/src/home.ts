/**
 * `GET /`: where a person who opens the server's address lands: the certification directory at
 * `/certify` (issue 19), which leads on to each program and to the verification page. The one
 * place that decides where `/` goes.
 *
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { DIRECTORY_PATH } from './verification-page/templates.js'

/** Where `GET /` leads. */
export const HOME_TARGET = DIRECTORY_PATH

/**
 * Registers `GET /` (and HEAD) as a 302 to {@link HOME_TARGET}: temporary on purpose, so that
 * browsers do not remember it when the target changes.
 */
export function registerHomeRedirect(app: FastifyInstance): void {
  app.get('/', async (_request, reply) => reply.redirect(HOME_TARGET, 302))
}
