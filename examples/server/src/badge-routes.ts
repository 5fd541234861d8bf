/**
 * The programs' badge images, at stable URLs: `GET /certify/badges/<code>.svg` and `.png` (code
 * in lower case), and the PNG also at the path of the catalog's `achievement.image` URL
 * (`/images/badges/<code>.png`), so that the image a credential names is served when this server
 * is the Institute. The SVG is `programBadgeSvg` of @certify-vc/context, the PNG its rendering
 * shipped with @certify-vc/issuer.
 *
 * An SVG opened on its own is a document that could run script: these responses carry a CSP that
 * allows none (`default-src 'none'; style-src 'unsafe-inline'`) and `nosniff`, although the badges
 * hold no script.
 *
 * @module
 */
import { CATALOG, PROGRAM_CODES, programBadgeSvg } from '@certify-vc/context'
import { programBadgePng } from '@certify-vc/issuer'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { errorBody } from './errors.js'

const BADGE_CSP = "default-src 'none'; style-src 'unsafe-inline'"

function imageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', BADGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('cross-origin-resource-policy', 'cross-origin')
    .header('access-control-allow-origin', '*')
    .header('cache-control', 'public, max-age=86400')
}

/** Registers the badge image routes. */
export function registerBadgeRoutes(app: FastifyInstance): void {
  const svgs = new Map(PROGRAM_CODES.map((code) => [code.toLowerCase(), programBadgeSvg(code)]))
  const codes = new Map(PROGRAM_CODES.map((code) => [code.toLowerCase(), code]))

  app.get<{ Params: { file: string } }>('/certify/badges/:file', async (request, reply) => {
    const match = /^([a-z]+)\.(svg|png)$/.exec(request.params.file)
    const code = match === null ? undefined : codes.get(match[1] ?? '')
    if (match === null || code === undefined) {
      return reply.code(404).send(errorBody('ERR_SERVER_NOT_FOUND', 'No such badge.'))
    }
    if (match[2] === 'svg') {
      return imageHeaders(reply).type('image/svg+xml; charset=utf-8').send(svgs.get(match[1]!))
    }
    return imageHeaders(reply)
      .type('image/png')
      .send(Buffer.from(await programBadgePng(code)))
  })

  for (const code of PROGRAM_CODES) {
    const path = new URL(CATALOG.programs[code].image).pathname
    if (path.startsWith('/certify/badges/')) continue
    app.get(path, async (_request, reply) =>
      imageHeaders(reply)
        .type('image/png')
        .send(Buffer.from(await programBadgePng(code))),
    )
  }
}
