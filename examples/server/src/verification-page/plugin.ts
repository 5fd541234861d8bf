/**
 * Placeholder for the public verification page (`/certify/verify`): the verification-page work
 * replaces this file. The options type is the contract between the server and the page.
 *
 * @module
 */
import type { FastifyPluginAsync } from 'fastify'

/** What the server gives the verification page. */
export interface VerificationPageOptions {
  /** DIDs whose credentials the page may call genuine. */
  trustedIssuers: string[]
  /** The server's public base URL (no trailing slash), e.g. `https://production-ai.institute`. */
  publicBaseUrl: string
  /**
   * The credential a learner chose to list in the public directory, by credential id, or
   * `undefined` (never listed, or unknown).
   */
  lookupCredential(id: string): Promise<unknown | undefined>
  /** Server-side verification, the same result as `POST /credentials/verify` computes. */
  verify(doc: unknown): Promise<unknown>
}

/** Registers `GET /certify/verify` (placeholder). */
export const verificationPage: FastifyPluginAsync<VerificationPageOptions> = async (app) => {
  app.get('/certify/verify', async (_request, reply) => {
    return reply.type('text/plain; charset=utf-8').send('page coming')
  })
}
