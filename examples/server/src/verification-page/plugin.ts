/**
 * The Institute's public pages, as a Fastify plugin:
 *
 * - `GET /certify`: the certification directory, from the catalog (server-rendered, no script).
 * - `GET /certify/verify`: the checker. A dropped, chosen, pasted or camera-scanned credential or
 *   presentation is verified in the browser by the verifier core (bundled by
 *   `scripts/build-page.mjs` into `dist/page/`), so the file never leaves the employer's machine.
 *   It is also the public directory (issue 19): `?name=<full name>&program=<code>` searches the
 *   credentials their learners chose to list, each verified live by the server, with the
 *   defences against enumeration of `directory-search.ts`; `?id=<credential id>` redirects to
 *   the lookup.
 * - `GET /certify/verify/<credential-id>`: server-rendered, works without JavaScript. A credential
 *   its learner chose to list (`lookupCredential`) is verified by the server (`verify`, the same
 *   result as `POST /credentials/verify`); any other id gets the same neutral "not listed" page.
 * - `GET /certify/credential/<credential-id>`: the shared page of a listed credential (issue 16
 *   item 2): the server's verdict, verified again live in the browser, with copy link, LinkedIn
 *   "add to profile", download (`?download=json`, or baked into the program's badge: `?download=png`) and print; the same neutral page otherwise.
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
import { CATALOG, PROGRAM_CODES, type Catalog, type ProgramCode } from '@certify-vc/context'
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_IMAGE_BYTES,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import { bakeCredential } from '@certify-vc/issuer'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { bucketsOf } from '../hardening/client-address.js'
import { createRateLimiter, type RateLimiter } from '../hardening/rate-limit.js'
import { HTML_SECURITY_HEADERS, pageCsp } from '../hardening/security-headers.js'
import type { DirectoryEntry, DirectoryQuery } from '../storage/types.js'
import { badgeImagePath } from './badge-image.js'
import { asVerifyResult, programLabel } from './credential-view.js'
import { searchDirectory } from './directory-search.js'
import { issuerDisplayName, verdictOf, type DisplayContext } from './verdict.js'
import type { PageConfig } from './page-config.js'
import {
  DIRECTORY_PATH,
  PAGE_PATH,
  SHARE_PATH,
  linkedInAddToProfileUrl,
  renderCertificationsPage,
  renderCheckerPage,
  renderListedPage,
  renderNotListedPage,
  renderSharePage,
  renderUnavailablePage,
  sharePath,
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
  /**
   * The public directory's search: listed credentials by folded name and achievement id (the
   * server's storage). Without it the page offers the search but finds nothing.
   */
  searchDirectory?(query: DirectoryQuery): Promise<readonly DirectoryEntry[]>
  /** Per-client limiter of directory searches. Default: 10 a minute, 5 at once. */
  searchLimiter?: RateLimiter
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

/**
 * The checker's Permissions-Policy: the camera for this origin only (the QR scan), nothing else.
 * Every other page keeps `camera=()`.
 */
const CHECKER_PERMISSIONS = 'camera=(self), microphone=(), geolocation=(), interest-cohort=()'

/** A query parameter as one string (repeated or missing parameters are `undefined`). */
function param(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name]
  return typeof value === 'string' ? value : undefined
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

/** Registers the public pages. */
export const verificationPage: FastifyPluginAsync<VerificationPageOptions> = async (
  app,
  options,
) => {
  checkOptions(options)
  const catalog = options.catalog ?? CATALOG
  /** A listed credential baked into its program's PNG badge; `undefined` when it has no program. */
  const bakedBadge = async (document: object): Promise<Uint8Array | undefined> => {
    try {
      return await bakeCredential({ credential: document, format: 'png', catalog })
    } catch {
      return undefined
    }
  }
  const issuerNames = { ...(options.issuerNames ?? {}) }
  const publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '')
  const trustedIssuers = [...options.trustedIssuers]
  const csp = pageCsp(publicBaseUrl)
  const assetsDir = options.assetsDir ?? DEFAULT_ASSETS_DIR
  const limiter = options.searchLimiter ?? createRateLimiter({ perMinute: 10, burst: 5 })

  // The badge images this server serves (badge-image.ts), found once every route is registered.
  let badges: Partial<Record<ProgramCode, string>> | undefined
  const badgeImages = (): Partial<Record<ProgramCode, string>> => {
    if (badges !== undefined) return badges
    const found: Partial<Record<ProgramCode, string>> = {}
    for (const code of PROGRAM_CODES) {
      const path = badgeImagePath(catalog.programs[code])
      if (app.hasRoute({ method: 'GET', url: path })) found[code] = path
    }
    return (badges = found)
  }
  const display = (): DisplayContext => ({
    catalog,
    issuerNames,
    trustedIssuers,
    badgeImages: badgeImages(),
  })
  const pageConfig = (): PageConfig => ({
    trustedIssuers,
    publicBaseUrl,
    catalog,
    issuerNames,
    maxBytes: DEFAULT_MAX_BYTES,
    maxImageBytes: DEFAULT_MAX_IMAGE_BYTES,
    badgeImages: badgeImages(),
  })

  // Loaded at start; if the bundle is not built yet, retried on later requests.
  let assets = await loadAssets(assetsDir)
  if (assets === undefined) {
    app.log.warn(
      `The verification page bundle is missing in ${assetsDir}; run "pnpm --filter @certify-vc/example-server run build".`,
    )
  }
  const currentAssets = async (): Promise<LoadedAssets | undefined> =>
    (assets ??= await loadAssets(assetsDir))

  /** The server's verification of a listed credential, or `undefined` when it failed. */
  async function verifyListed(
    request: FastifyRequest,
    document: unknown,
  ): Promise<VerifyCredentialResult | undefined> {
    try {
      return asVerifyResult(await options.verify(document))
    } catch (error) {
      request.log.error({ err: error }, 'verify failed')
      return undefined
    }
  }

  /** The listed credential of a path id, `null` when not listed, `undefined` when storage failed. */
  async function listed(request: FastifyRequest, id: string): Promise<unknown> {
    if (id === '' || id.length > MAX_LOOKUP_ID_LENGTH) return null
    try {
      return (await options.lookupCredential(id)) ?? null
    } catch (error) {
      request.log.error({ err: error }, 'lookupCredential failed')
      return undefined
    }
  }

  app.get(DIRECTORY_PATH, async (_request, reply) => {
    const loaded = await currentAssets()
    return htmlHeaders(reply, csp, 'no-cache').send(
      renderCertificationsPage(catalog, display(), loaded?.page),
    )
  })

  app.get(PAGE_PATH, async (request, reply) => {
    const id = param(request.query, 'id')
    if (typeof id === 'string' && id.trim() !== '') {
      return reply.redirect(`${PAGE_PATH}/${encodeURIComponent(id.trim())}`, 303)
    }
    const loaded = await currentAssets()
    const name = param(request.query, 'name')
    const program = param(request.query, 'program')
    const searched =
      Object.hasOwn(request.query as object, 'name') ||
      Object.hasOwn(request.query as object, 'program')
    const search = searched
      ? await searchDirectory(
          { name, program },
          {
            catalog,
            take: () => limiter.take(bucketsOf(request.ip).client),
            search: (q) => options.searchDirectory?.(q) ?? Promise.resolve([]),
            verify: (doc) => verifyListed(request, doc),
          },
        )
      : undefined
    if (search?.kind === 'unavailable') {
      return htmlHeaders(reply, csp, 'no-store').code(503).send(renderUnavailablePage(loaded?.page))
    }
    const status =
      search === undefined || search.kind === 'results'
        ? 200
        : search.kind === 'refused'
          ? 400
          : 429
    if (search?.kind === 'limited') reply.header('retry-after', String(search.retryAfterSeconds))
    return htmlHeaders(reply, csp, search === undefined ? 'no-cache' : 'no-store')
      .header('permissions-policy', CHECKER_PERMISSIONS)
      .code(status)
      .send(
        renderCheckerPage(pageConfig(), loaded?.page, {
          display: display(),
          values: {
            ...(name === undefined ? {} : { name }),
            ...(program === undefined ? {} : { program }),
          },
          ...(search === undefined ? {} : { search }),
        }),
      )
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
    const document = await listed(request, id)
    if (document === undefined) {
      return htmlHeaders(reply, csp, 'no-store').code(503).send(renderUnavailablePage(loaded?.page))
    }
    if (document === null) {
      return htmlHeaders(reply, csp, 'no-store').code(404).send(renderNotListedPage(loaded?.page))
    }
    const result = await verifyListed(request, document)
    if (result === undefined) {
      return htmlHeaders(reply, csp, 'no-store').code(503).send(renderUnavailablePage(loaded?.page))
    }
    return htmlHeaders(reply, csp, 'no-store').send(
      renderListedPage(id, result, display(), loaded?.page, new Date()),
    )
  })

  app.get<{ Params: { '*': string } }>(`${SHARE_PATH}/*`, async (request, reply) => {
    const loaded = await currentAssets()
    const id = request.params['*']
    const document = await listed(request, id)
    if (document === undefined) {
      return htmlHeaders(reply, csp, 'no-store').code(503).send(renderUnavailablePage(loaded?.page))
    }
    // Unlisted, unknown and malformed ids: the same neutral page as the lookup's.
    if (document === null) {
      return htmlHeaders(reply, csp, 'no-store').code(404).send(renderNotListedPage(loaded?.page))
    }
    if (param(request.query, 'download') === 'json') {
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="credential.json"')
        .type('application/json; charset=utf-8')
        .send(`${JSON.stringify(document, null, 2)}\n`)
    }
    if (param(request.query, 'download') === 'png') {
      // The program's badge with this credential baked in (Open Badges 3.0 §5.3), made on request
      // from the listed credential: nothing new is signed, the image only carries it.
      const png = await bakedBadge(document)
      if (png === undefined) {
        return htmlHeaders(reply, csp, 'no-store').code(404).send(renderNotListedPage(loaded?.page))
      }
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="badge.png"')
        .header('x-content-type-options', 'nosniff')
        .type('image/png')
        .send(Buffer.from(png))
    }
    const result = await verifyListed(request, document)
    if (result === undefined) {
      return htmlHeaders(reply, csp, 'no-store').code(503).send(renderUnavailablePage(loaded?.page))
    }
    const context = display()
    const url = `${publicBaseUrl}${sharePath(id)}`
    const c = result.credential
    const issuer = issuerDisplayName(result, context)
    const linkedInUrl =
      verdictOf(result, context).kind === 'genuine' &&
      c.program !== undefined &&
      issuer !== undefined
        ? linkedInAddToProfileUrl({
            name: programLabel(c.program),
            organizationName: issuer,
            ...(c.validFrom === undefined ? {} : { issued: c.validFrom }),
            ...(c.validUntil === undefined ? {} : { expires: c.validUntil }),
            certUrl: url,
            certId: id,
          })
        : undefined
    return htmlHeaders(reply, csp, 'no-store').send(
      renderSharePage(
        result,
        context,
        loaded?.page,
        new Date(),
        {
          credentialId: id,
          url,
          credential: document,
          ...(linkedInUrl === undefined ? {} : { linkedInUrl }),
          ...(c.program === undefined ? {} : { badgeUrl: `${sharePath(id)}?download=png` }),
        },
        pageConfig(),
      ),
    )
  })
}
