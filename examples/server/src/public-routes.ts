/**
 * Public, read-only routes: the DID document, the hosted status lists, the Institute's JSON-LD
 * context, the achievement pages, and a small server-info document.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import {
  CATALOG,
  CERTIFY_CONTEXT_URL,
  PROGRAM_CODES,
  achievementFor,
  contexts,
  type Program,
} from '@certify-vc/context'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ecdsaDids } from './ecdsa-keys.js'
import { errorBody } from './errors.js'
import { pageCsp } from './hardening/security-headers.js'
import { didDocumentPath } from './identity.js'
import type { Services } from './services.js'
import { STATUS_TTL_SECONDS } from './status-lists.js'

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function wantsJson(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '')
  return /application\/(ld\+)?json/.test(accept) && !/text\/html/.test(accept.split(',')[0] ?? '')
}

/** The path of `url` when it lies under `publicBaseUrl` (same origin), else undefined. */
function localPath(url: string, publicBaseUrl: string): string | undefined {
  if (!url.startsWith(`${publicBaseUrl}/`)) return undefined
  const origin = new URL(publicBaseUrl).origin
  return url.slice(origin.length)
}

/** The achievement pages' only style, inline; the CSP allows exactly it by its hash. */
const ACHIEVEMENT_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}'
const ACHIEVEMENT_STYLE_HASH = `sha256-${createHash('sha256').update(ACHIEVEMENT_STYLE).digest('base64')}`

function achievementPage(program: Program): string {
  const a = achievementFor(program, CATALOG)
  const alignments = (a.alignment ?? [])
    .map((x) => `<li>${escapeHtml(String(x.targetName))}</li>`)
    .join('')
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(program.name)} — ${escapeHtml(CATALOG.institute.name)}</title>
<style>${ACHIEVEMENT_STYLE}</style>
</head>
<body>
<main>
<p>${escapeHtml(CATALOG.institute.name)}</p>
<h1>${escapeHtml(program.name)}</h1>
<p>${escapeHtml(program.description)}</p>
<h2>Criteria</h2>
<p>${escapeHtml(program.criteriaNarrative)}</p>
${alignments === '' ? '' : `<h2>Aligned control areas</h2><ul>${alignments}</ul>`}
<p>Achievement id: <code>${escapeHtml(program.achievementId)}</code></p>
<p><a href="/certify/verify">Verify a credential</a></p>
</main>
</body>
</html>
`
}

/** Registers the public routes. */
export function registerPublicRoutes(app: FastifyInstance, services: Services): void {
  const base = services.config.publicBaseUrl

  if (services.config.didMethod === 'web') {
    app.get(didDocumentPath(base), async (_request, reply) => {
      return reply
        .header('access-control-allow-origin', '*')
        .header('cache-control', 'max-age=300')
        .type('application/json')
        .send(await services.didDocument())
    })
  }

  app.get('/certify/server-info', async (_request, reply) => {
    return reply.header('access-control-allow-origin', '*').send({
      did: services.did,
      verificationMethod: services.ring.current.key.verificationMethodId,
      // The issuers of the ECDSA issue routes (/ecdsa-rdfc-2019/P-256/credentials/issue …).
      ecdsaDids: ecdsaDids(services.ecdsaKeys),
      statusBaseUrl: services.statusLists.baseUrl,
      trustedIssuers: services.trustedIssuers,
      publicBaseUrl: base,
      verificationPage: `${base}/certify/verify`,
      // `certify-vc trust --from` records a server only when it says so (see development.ts).
      development: services.config.development === true,
    })
  })

  const statusPath = localPath(services.statusLists.baseUrl, base)
  if (statusPath !== undefined) {
    app.get<{ Params: { purpose: string; number: string } }>(
      `${statusPath}/:purpose/:number`,
      async (request, reply) => {
        const { purpose, number } = request.params
        if (
          (purpose !== 'revocation' && purpose !== 'suspension' && purpose !== 'message') ||
          !/^[1-9]\d{0,8}$/.test(number)
        ) {
          return reply.code(404).send(errorBody('ERR_SERVER_NOT_FOUND', 'No such status list.'))
        }
        const list = await services.statusLists.get(
          `${services.statusLists.baseUrl}/${purpose}/${number}`,
        )
        if (list === undefined) {
          return reply.code(404).send(errorBody('ERR_SERVER_NOT_FOUND', 'No such status list.'))
        }
        return reply
          .header('access-control-allow-origin', '*')
          .header('cache-control', `public, max-age=${STATUS_TTL_SECONDS}`)
          .type('application/vc+ld+json')
          .send(list)
      },
    )
  }

  // The Institute's context, at its own URL's path when this server is the Institute.
  const contextPath = localPath(CERTIFY_CONTEXT_URL, base) ?? new URL(CERTIFY_CONTEXT_URL).pathname
  app.get(contextPath, async (_request, reply) => {
    return reply
      .header('access-control-allow-origin', '*')
      .header('cache-control', 'public, max-age=86400')
      .type('application/ld+json')
      .send(contexts.get(CERTIFY_CONTEXT_URL))
  })

  const achievementCsp = pageCsp(base, { styleHashes: [ACHIEVEMENT_STYLE_HASH] })
  for (const code of PROGRAM_CODES) {
    const program = CATALOG.programs[code]
    const path = new URL(program.achievementId).pathname
    app.get(path, async (request: FastifyRequest, reply: FastifyReply) => {
      reply.header('vary', 'accept').header('cache-control', 'public, max-age=3600')
      if (wantsJson(request)) {
        return reply
          .header('access-control-allow-origin', '*')
          .type('application/ld+json')
          .send({
            '@context': [
              'https://www.w3.org/ns/credentials/v2',
              'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
            ],
            ...achievementFor(program, CATALOG),
          })
      }
      // The other security headers of every HTML page are added by the onSend hook.
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', achievementCsp)
        .send(achievementPage(program))
    })
  }
}
