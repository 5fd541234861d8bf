/**
 * Every error in the server's JSON format (`{"errors": [{code, message}]}`), also those the
 * framework and Node answer by themselves: a malformed URL (bad percent-encoding), a URL or
 * header block too long (414 / 431), a request that did not arrive in time (408), an unknown
 * path (404), and a known path with the wrong method (405 with `Allow`, not 404). No message
 * repeats the URL: an 8 KB path is never echoed back.
 *
 * @module
 */
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import { problem, type ErrorCode } from '@certify-vc/context'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** The longest request target accepted (414 above): generous for any credential id lookup. */
export const MAX_URL_LENGTH = 4096

/** The body of one problem, `verified: false` first on the verify endpoints (their shape). */
export function errorPayload(
  url: string,
  code: ErrorCode,
  message: string,
): Record<string, unknown> {
  const body = { errors: [problem(code, message)] }
  return /\/verify(?:\/presentation)?(?:\?|$)/.test(url) ? { verified: false, ...body } : body
}

/**
 * Marks the connection to be closed after this answer when the request has a body the server
 * did not read (refused before parsing: 401, 413, 415, 429 …). Kept alive, it would wait,
 * neither idle nor done, until a timeout, also holding up a graceful shutdown.
 */
export function closeIfBodyUnread(request: FastifyRequest, reply: FastifyReply): void {
  const length = request.headers['content-length']
  const hasBody =
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  if (hasBody && !request.raw.complete) void reply.header('connection', 'close')
}

/** Sends one problem as JSON with `status`. */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
): FastifyReply {
  closeIfBodyUnread(request, reply)
  return (
    reply
      .code(status)
      .type('application/json; charset=utf-8')
      // Also where no onSend hook runs (the router's own errors).
      .header('x-content-type-options', 'nosniff')
      .send(errorPayload(request.url, code, message))
  )
}

/**
 * Fastify's `frameworkErrors`: the router could not even match the URL (bad percent-encoding,
 * a parameter over `maxParamLength`).
 */
export function frameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void sendError(request, reply, 414, 'ERR_INPUT_TOO_LARGE', 'The URL is too long.')
    return
  }
  void sendError(
    request,
    reply,
    400,
    'ERR_SERVER_BAD_REQUEST',
    error.code === 'FST_ERR_BAD_URL'
      ? 'The URL is malformed (bad percent-encoding).'
      : 'The request could not be routed.',
  )
}

/**
 * Node's `clientError` (before Fastify sees a request): written to the socket by hand, in the
 * same JSON format, then the connection is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  let status = 400
  let code: ErrorCode = 'ERR_SERVER_BAD_REQUEST'
  let message = 'The request is malformed.'
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408
    code = 'ERR_SERVER_TIMEOUT'
    message = 'The request did not arrive completely in time.'
  } else if (error.code === 'HPE_HEADER_OVERFLOW') {
    status = 431
    code = 'ERR_INPUT_TOO_LARGE'
    message = 'The request line and headers are too large.'
  }
  const body = JSON.stringify({ errors: [problem(code, message)] })
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\n` +
        `Connection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy()
}

/** A registered route's path as a matcher: `:param` one segment, `*` the rest. */
function matcherOf(url: string): RegExp {
  const pattern = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*'
      if (segment.startsWith(':')) return '[^/]+'
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('/')
  return new RegExp(`^${pattern}$`)
}

/** Which methods the registered routes accept for a path. */
export interface RouteIndex {
  /**
   * The methods of every route whose pattern matches `path` (as sent, or percent-decoded),
   * leaving out the route registered as `except`.
   */
  methodsFor(path: string, except?: string): string[]
}

/**
 * Records every route as it is registered (call before registering any), so that the 404
 * handler can tell a wrong method (405, with `Allow`) from an unknown path; and refuses URLs over
 * {@link MAX_URL_LENGTH} with 414 before anything else runs.
 */
export function addRouteErrors(app: FastifyInstance): RouteIndex {
  const routes: { url: string; matcher: RegExp; methods: Set<string> }[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const url = route.url ?? route.path
    const known = routes.find((r) => r.url === url)
    if (known === undefined)
      routes.push({ url, matcher: matcherOf(url), methods: new Set(methods) })
    else for (const m of methods) known.methods.add(m)
  })
  const index: RouteIndex = {
    methodsFor(path, except) {
      let decoded = path
      try {
        decoded = decodeURI(path)
      } catch {
        // Matched as sent.
      }
      const matching = routes.filter(
        (r) => r.url !== except && (r.matcher.test(path) || r.matcher.test(decoded)),
      )
      // A path registered as such (`/credentials/issue`) is that route's, not a pattern's
      // (`/credentials/:id`), as the router decides.
      const literal = matching.filter((r) => !/[:*]/.test(r.url))
      const allowed = new Set<string>()
      for (const route of literal.length > 0 ? literal : matching) {
        for (const m of route.methods) allowed.add(m)
      }
      return [...allowed].sort()
    },
  }
  app.addHook('onRequest', (request, reply, done) => {
    if ((request.raw.url ?? '').length > MAX_URL_LENGTH) {
      void sendError(request, reply, 414, 'ERR_INPUT_TOO_LARGE', 'The URL is too long.')
      return
    }
    done()
  })
  app.setNotFoundHandler((request, reply) => {
    const allowed = index.methodsFor((request.raw.url ?? '').split('?')[0] ?? '')
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      return methodNotAllowed(request, reply, allowed)
    }
    return sendError(request, reply, 404, 'ERR_SERVER_NOT_FOUND', 'Not found.')
  })
  return index
}

/** 405 with the `Allow` header. */
export function methodNotAllowed(
  request: FastifyRequest,
  reply: FastifyReply,
  allowed: readonly string[],
): FastifyReply {
  void reply.header('allow', allowed.join(', '))
  return sendError(
    request,
    reply,
    405,
    'ERR_SERVER_METHOD_NOT_ALLOWED',
    `This URL accepts ${allowed.join(', ')} only.`,
  )
}
