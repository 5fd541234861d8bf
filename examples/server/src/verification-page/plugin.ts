/**
 * The public verification page, as a Fastify plugin:
 *
 * - `GET /certify/verify`: the checker. A dropped, chosen or pasted credential is verified in the
 *   browser by the verifier core (bundled by `scripts/build-page.mjs` into `dist/page/`), so the
 *   file never leaves the employer's machine. `?id=<credential id>` redirects to the lookup.
 * - `GET /certify/verify/<credential-id>`: server-rendered, works without JavaScript. A credential
 *   its learner chose to list (`lookupCredential`) is verified by the server (`verify`, the same
 *   result as `POST /credentials/verify`); any other id gets the same neutral "not listed" page.
 * - `GET /certify/verify/assets/verify.js|verify.css`: the bundle and the style sheet.
 *
 * Every HTML response carries a strict CSP (no inline script or style, scripts and connections to
 * this origin only, Trusted Types required) and never renders credential-supplied HTML, links or
 * images (docs/attacks.md G5, E4).
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CATALOG, type Catalog } from '@certify-vc/context'
import { DEFAULT_MAX_BYTES } from '@certify-vc/verifier'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { HTML_SECURITY_HEADERS, pageCsp } from '../hardening/security-headers.js'
import { asVerifyResult } from './credential-view.js'
import type { DisplayContext } from './verdict.js'
import type { PageConfig } from './page-config.js'
import {
  PAGE_PATH,
  renderCheckerPage,
  renderListedPage,
  renderNotListedPage,
  renderUnavailablePage,
  type PageAssets,
} from './templates.js'

/** What the server gives the verification page. */
export interface VerificationPageOptions {
  /** DIDs whose credentials the page may call genuine (the server's own DID first). */
  trustedIssuers: string[]
  /** The server's public base URL (no trailing slash), e.g. `https://production-ai.institute`. */
  publicBaseUrl: string
  /**
   * The credential a learner chose to list in the public directory, by credential id, or
   * `undefined` (never listed, or unknown).
   */
  lookupCredential(id: string): Promise<unknown>
  /**
   * Server-side verification: the `@certify-vc/verifier` `verifyCredential` result, as
   * `POST /credentials/verify` computes it.
   */
  verify(doc: unknown): Promise<unknown>
  /** The catalog the server verifies against. Default `CATALOG`. */
  catalog?: Catalog
  /** Display names of trusted issuers by DID. Default: the catalog's institute name for all. */
  issuerNames?: Record<string, string>
  /** Folder of the built bundle (`verify.js`, `verify.css`). Default `examples/server/dist/page`. */
  assetsDir?: string
}

/** Where `scripts/build-page.mjs` writes the bundle: `<package>/dist/page/`. */
export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('../../dist/page/', import.meta.url))

/** The longest credential id looked up; longer ids get the "not listed" page. */
export const MAX_LOOKUP_ID_LENGTH = 2048

const ASSETS_PATH = `${PAGE_PATH}/assets`

interface LoadedAsset {
  readonly body: Buffer
  readonly integrity: string
  readonly etag: string
}

interface LoadedAssets {
  readonly script: LoadedAsset
  readonly style: LoadedAsset
  readonly page: PageAssets
}

async function loadAsset(path: string): Promise<LoadedAsset> {
  const body = await readFile(path)
  const integrity = `sha384-${createHash('sha384').update(body).digest('base64')}`
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
  return { body, integrity, etag }
}

async function loadAssets(dir: string): Promise<LoadedAssets | undefined> {
  try {
    const [script, style] = await Promise.all([
      loadAsset(join(dir, 'verify.js')),
      loadAsset(join(dir, 'verify.css')),
    ])
    return {
      script,
      style,
      page: {
        // The hash in the query busts caches when the bundle changes.
        scriptUrl: `${ASSETS_PATH}/verify.js?v=${script.etag.slice(1, 13)}`,
        scriptIntegrity: script.integrity,
        styleUrl: `${ASSETS_PATH}/verify.css?v=${style.etag.slice(1, 13)}`,
        styleIntegrity: style.integrity,
      },
    }
  } catch {
    return undefined
  }
}

/** The Content-Security-Policy of the page's HTML responses (shared by every HTML page). */
export { pageCsp }

function htmlHeaders(reply: FastifyReply, csp: string, cache: string): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .header('content-security-policy', csp)
    .headers(HTML_SECURITY_HEADERS)
    .header('cache-control', cache)
}

function checkOptions(options: VerificationPageOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('"options" must be an object.')
  }
  if (
    !Array.isArray(options.trustedIssuers) ||
    !options.trustedIssuers.every((d) => typeof d === 'string')
  ) {
    throw new TypeError('"trustedIssuers" must be an array of DIDs.')
  }
  if (typeof options.publicBaseUrl !== 'string' || !URL.canParse(options.publicBaseUrl)) {
    throw new TypeError('"publicBaseUrl" must be an absolute URL.')
  }
  if (typeof options.lookupCredential !== 'function' || typeof options.verify !== 'function') {
    throw new TypeError('"lookupCredential" and "verify" must be functions.')
  }
}

/** Registers the verification page routes. */
export const verificationPage: FastifyPluginAsync<VerificationPageOptions> = async (
  app,
  options,
) => {
  checkOptions(options)
  const catalog = options.catalog ?? CATALOG
  const issuerNames = { ...(options.issuerNames ?? {}) }
  const publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '')
  const trustedIssuers = [...options.trustedIssuers]
  const display: DisplayContext = { catalog, issuerNames, trustedIssuers }
  const config: PageConfig = {
    trustedIssuers,
    publicBaseUrl,
    catalog,
    issuerNames,
    maxBytes: DEFAULT_MAX_BYTES,
  }
  const csp = pageCsp(publicBaseUrl)
  const assetsDir = options.assetsDir ?? DEFAULT_ASSETS_DIR

  // Loaded at start; if the bundle is not built yet, retried on later requests.
  let assets = await loadAssets(assetsDir)
  if (assets === undefined) {
    app.log.warn(
      `The verification page bundle is missing in ${assetsDir}; run "pnpm --filter @certify-vc/example-server run build".`,
    )
  }
  const currentAssets = async (): Promise<LoadedAssets | undefined> =>
    (assets ??= await loadAssets(assetsDir))

  app.get<{ Querystring: { id?: string } }>(PAGE_PATH, async (request, reply) => {
    const id = request.query.id
    if (typeof id === 'string' && id.trim() !== '') {
      return reply.redirect(`${PAGE_PATH}/${encodeURIComponent(id.trim())}`, 303)
    }
    const loaded = await currentAssets()
    return htmlHeaders(reply, csp, 'no-cache').send(renderCheckerPage(config, loaded?.page))
  })

  for (const [name, type, pick] of [
    ['verify.js', 'text/javascript; charset=utf-8', (a: LoadedAssets) => a.script],
    ['verify.css', 'text/css; charset=utf-8', (a: LoadedAssets) => a.style],
  ] as const) {
    app.get(`${ASSETS_PATH}/${name}`, async (request, reply) => {
      const loaded = await currentAssets()
      reply.header('x-content-type-options', 'nosniff').header('cache-control', 'no-cache')
      if (loaded === undefined) {
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The verification page bundle is not built.')
      }
      const asset = pick(loaded)
      reply.header('etag', asset.etag)
      if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send()
      return reply.type(type).send(asset.body)
    })
  }

  app.get<{ Params: { '*': string } }>(`${PAGE_PATH}/*`, async (request, reply) => {
    const loaded = await currentAssets()
    // Fastify has already percent-decoded the wildcard (a malformed encoding never gets here).
    const id = request.params['*']
    let listed: unknown
    if (id !== '' && id.length <= MAX_LOOKUP_ID_LENGTH) {
      try {
        listed = await options.lookupCredential(id)
      } catch (error) {
        request.log.error({ err: error }, 'lookupCredential failed')
        return htmlHeaders(reply, csp, 'no-store')
          .code(503)
          .send(renderUnavailablePage(loaded?.page))
      }
    }
    if (listed === undefined || listed === null) {
      return htmlHeaders(reply, csp, 'no-store').code(404).send(renderNotListedPage(loaded?.page))
    }
    let result: ReturnType<typeof asVerifyResult>
    try {
      result = asVerifyResult(await options.verify(listed))
    } catch (error) {
      request.log.error({ err: error }, 'verify failed')
      result = undefined
    }
    if (result === undefined) {
      return htmlHeaders(reply, csp, 'no-store').code(503).send(renderUnavailablePage(loaded?.page))
    }
    return htmlHeaders(reply, csp, 'no-store').send(
      renderListedPage(result, display, loaded?.page, new Date()),
    )
  })
}
