/**
 * The learner's claim page, `GET /certify/claim/<offer>`: server-rendered with the verification
 * page's view helpers (every value escaped), the same security headers and CSP as every other
 * page (its one inline style allowed by hash; no script). It says in plain words which credential
 * is offered and by whom, shows a QR code of the OpenID4VCI offer (any OpenID4VCI wallet) and one
 * of the Learner Credential Wallet link, and gives the same links for a wallet on this device.
 * An expired or claimed offer says so, without its links; an unknown one is a 404 page.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { pageCsp } from '../hardening/security-headers.js'
import type { Services } from '../services.js'
import type { OfferRecord } from '../storage/types.js'
import { h, toHtml, type ViewNode } from '../verification-page/view.js'
import { CLAIM_PATH, TX_CODE_LENGTH, offerLinks, programDisplay } from './offers.js'
import { qrDataUrl } from './qr.js'

/** The page's only style, inline; the CSP allows exactly it by its hash. */
const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}' +
  '.qr{display:block;max-width:100%;height:auto;image-rendering:pixelated;border:1px solid #ccc}' +
  '.wallets{display:flex;flex-wrap:wrap;gap:2rem}.wallets section{flex:1 1 18rem}' +
  '.button{display:inline-block;padding:.6rem 1rem;background:#12355b;color:#fff;border-radius:.4rem;text-decoration:none}' +
  '.note{color:#555}'
const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`

function page(title: string, body: readonly ViewNode[]): string {
  const head = [
    h('meta', { charset: 'utf-8' }),
    h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    h('meta', { name: 'referrer', content: 'no-referrer' }),
    h('meta', { name: 'robots', content: 'noindex, nofollow' }),
    h('link', { rel: 'icon', href: 'data:,' }),
    h('title', {}, title),
  ]
  return (
    `<!doctype html>\n<html lang="en"><head>${head.map(toHtml).join('')}<style>${STYLE}</style></head>` +
    `${toHtml(h('body', {}, h('main', { id: 'main' }, ...body)))}</html>\n`
  )
}

function when(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, ' UTC')
    .replace('T', ' ')
}

/** The page for an offer at `now`. */
export function renderClaimPage(offer: OfferRecord, base: string, now: number): string {
  const program = programDisplay(offer.program)
  const title = `Claim your ${program.name} credential`
  const intro = [
    h('p', { class: 'note' }, program.issuer),
    h('h1', {}, title),
    h(
      'p',
      {},
      `The ${program.issuer} is offering you the `,
      h('strong', {}, program.name),
      ` credential. ${program.description}`,
    ),
  ]
  if (offer.credentialId !== null) {
    return page(title, [
      ...intro,
      h(
        'p',
        { id: 'offer-state' },
        'This offer has been claimed: the credential is in the wallet that claimed it. ' +
          'An offer can be claimed once. If that was not you, contact the Institute.',
      ),
    ])
  }
  if (offer.expiresAt <= now) {
    return page(title, [
      ...intro,
      h(
        'p',
        { id: 'offer-state' },
        `This offer expired on ${when(offer.expiresAt)}. Ask the Institute for a new one.`,
      ),
    ])
  }
  const links = offerLinks(offer, base)
  const offerQr = qrDataUrl(links.offerUri)
  const sections: ViewNode[] = [
    h(
      'section',
      { 'aria-labelledby': 'oid4vci-title' },
      h('h2', { id: 'oid4vci-title' }, 'With an OpenID4VCI wallet'),
      h(
        'p',
        {},
        'Open your wallet app (for example an EU digital identity wallet, Sphereon, walt.id or ' +
          'Lissi) and scan this code.',
      ),
      h('img', {
        id: 'offer-qr',
        class: 'qr',
        src: offerQr.url,
        width: String(offerQr.size),
        height: String(offerQr.size),
        alt: 'QR code of your credential offer, for a wallet app',
      }),
      h(
        'p',
        {},
        'On this phone already? ',
        h(
          'a',
          { id: 'offer-link', class: 'button', href: links.offerUri },
          'Open in my wallet app',
        ),
      ),
      offer.txCodeHash === null
        ? false
        : h(
            'p',
            {},
            `Your wallet will ask for a ${TX_CODE_LENGTH}-digit code. The Institute sent it to ` +
              'you separately; it is not on this page.',
          ),
    ),
  ]
  if (links.lcwDeepLink !== undefined) {
    const lcwQr = qrDataUrl(links.lcwDeepLink)
    sections.push(
      h(
        'section',
        { 'aria-labelledby': 'lcw-title' },
        h('h2', { id: 'lcw-title' }, 'With the Learner Credential Wallet'),
        h(
          'p',
          {},
          "Scan this code with your phone's camera; it opens the Learner Credential Wallet.",
        ),
        h('img', {
          id: 'lcw-qr',
          class: 'qr',
          src: lcwQr.url,
          width: String(lcwQr.size),
          height: String(lcwQr.size),
          alt: 'QR code that opens the Learner Credential Wallet with your credential offer',
        }),
        h(
          'p',
          {},
          'On this phone already? ',
          h(
            'a',
            { id: 'lcw-link', class: 'button', href: links.lcwDeepLink },
            'Open in the Learner Credential Wallet',
          ),
        ),
      ),
    )
  }
  return page(title, [
    ...intro,
    h(
      'p',
      { id: 'offer-state' },
      `Your wallet will ask you to accept the credential. It is issued to the key your wallet ` +
        `holds, so only you can present it. This offer can be claimed once, until ${when(offer.expiresAt)}.`,
    ),
    h('div', { class: 'wallets' }, ...sections),
    h(
      'p',
      { class: 'note' },
      'Keep this page to yourself: whoever has it can claim the credential.',
    ),
  ])
}

/** Registers `GET /certify/claim/<offer>`. */
export function registerClaimPage(app: FastifyInstance, services: Services): void {
  const base = services.config.publicBaseUrl
  const csp = pageCsp(base, { styleHashes: [STYLE_HASH] })
  app.get<{ Params: { id: string } }>(`${CLAIM_PATH}/:id`, async (request, reply) => {
    const offer = /^[A-Za-z0-9_-]{1,64}$/.test(request.params.id)
      ? await services.storage.offers.get(request.params.id)
      : undefined
    // The other security headers of every HTML page are added by the onSend hook.
    void reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', csp)
      .header('cache-control', 'no-store')
    if (offer === undefined) {
      return reply
        .code(404)
        .send(
          page('Credential offer not found', [
            h('h1', {}, 'Credential offer not found'),
            h(
              'p',
              { id: 'offer-state' },
              'There is no credential offer at this address. Check the link the Institute sent you.',
            ),
          ]),
        )
    }
    return reply.send(renderClaimPage(offer, base, Date.now()))
  })
}
