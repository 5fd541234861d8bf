/**
 * Security headers: every HTML page gets the verification page's set (a strict CSP, no framing,
 * no sniffing, no referrer, an isolated browsing context, no powerful features), and every
 * response `X-Content-Type-Options: nosniff`, so that no JSON body is ever sniffed into HTML.
 * A route may set its own CSP (e.g. with a hash for an inline style); the others are filled in.
 *
 * @module
 */
import type { FastifyInstance } from 'fastify'

/** The Content-Security-Policy of the server's HTML pages. */
export function pageCsp(
  publicBaseUrl: string,
  extra: { styleHashes?: readonly string[] } = {},
): string {
  const origin = new URL(publicBaseUrl).origin
  const styles = (extra.styleHashes ?? []).map((h) => ` '${h}'`).join('')
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self'${styles}`,
    "img-src 'self' data:",
    // did.json and status lists: this origin, and the public base URL's if it differs.
    `connect-src 'self' ${origin}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ')
}

/** The headers of every HTML response besides its CSP. */
export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
}

/** Adds the headers to every response of `app` (an onSend hook, so 404 and error pages too). */
export function addSecurityHeaders(app: FastifyInstance, publicBaseUrl: string): void {
  const csp = pageCsp(publicBaseUrl)
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('x-content-type-options'))
      reply.header('x-content-type-options', 'nosniff')
    const type = String(reply.getHeader('content-type') ?? '')
    if (/^text\/html/i.test(type)) {
      if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', csp)
      for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) {
        if (!reply.hasHeader(name)) reply.header(name, value)
      }
    }
    done(null, payload)
  })
}
