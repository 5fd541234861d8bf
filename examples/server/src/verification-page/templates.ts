/**
 * Server-rendered HTML of the verification page: the checker (`/certify/verify`) and the
 * no-JavaScript lookup pages (`/certify/verify/<credential-id>`). Every value is escaped by
 * `toHtml`; there is no inline script or style (the CSP forbids both).
 *
 * @module
 */
import type { VerifyCredentialResult } from '@certify-vc/verifier'
import { renderResult } from './credential-view.js'
import type { DisplayContext } from './verdict.js'
import { PAGE_CONFIG_ELEMENT_ID, serializePageConfig, type PageConfig } from './page-config.js'
import { h, toHtml, type ViewNode } from './view.js'

/** URLs and integrity hashes of the page's assets. */
export interface PageAssets {
  readonly scriptUrl: string
  readonly scriptIntegrity: string
  readonly styleUrl: string
  readonly styleIntegrity: string
}

/** The path of the checker page. */
export const PAGE_PATH = '/certify/verify'

function layout(
  title: string,
  assets: PageAssets | undefined,
  body: readonly ViewNode[],
  head: { script?: boolean; config?: PageConfig; robots?: string } = {},
): string {
  const headNodes: ViewNode[] = [
    h('meta', { charset: 'utf-8' }),
    h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    h('meta', { name: 'referrer', content: 'no-referrer' }),
    // No favicon request (and no 404 for it).
    h('link', { rel: 'icon', href: 'data:,' }),
    head.robots === undefined ? [] : h('meta', { name: 'robots', content: head.robots }),
    h('title', {}, title),
    assets === undefined
      ? []
      : h('link', { rel: 'stylesheet', href: assets.styleUrl, integrity: assets.styleIntegrity }),
    head.script === true && assets !== undefined
      ? h('script', { type: 'module', src: assets.scriptUrl, integrity: assets.scriptIntegrity })
      : [],
  ].flat()
  // The configuration is a JSON data block (never executed), escaped by serializePageConfig.
  const config =
    head.config === undefined
      ? ''
      : `<script type="application/json" id="${PAGE_CONFIG_ELEMENT_ID}">${serializePageConfig(head.config)}</script>`
  const bodyHtml = toHtml(
    h(
      'body',
      {},
      h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
      h(
        'header',
        { class: 'site-header' },
        h('p', { class: 'brand' }, 'Production AI Institute'),
        h('p', { class: 'tagline' }, 'Credential verification'),
      ),
      h('main', { id: 'main', tabindex: '-1' }, ...body),
      h(
        'footer',
        { class: 'site-footer' },
        h(
          'p',
          {},
          'Credentials are W3C Verifiable Credentials (Open Badges 3.0). Machines can verify them at ',
          h('code', {}, 'POST /credentials/verify'),
          '.',
        ),
      ),
    ),
  )
  return `<!doctype html>\n<html lang="en"><head>${headNodes.map(toHtml).join('')}${config}</head>${bodyHtml}</html>\n`
}

function lookupForm(): ViewNode {
  return h(
    'section',
    { class: 'lookup', 'aria-labelledby': 'lookup-title' },
    h('h2', { id: 'lookup-title' }, 'Look up a listed credential'),
    h(
      'p',
      {},
      'A holder may choose to list a credential publicly. Enter its id to see it checked by the server; this works without JavaScript.',
    ),
    h(
      'form',
      { method: 'get', action: PAGE_PATH, class: 'lookup-form' },
      h('label', { for: 'lookup-id' }, 'Credential id'),
      h(
        'div',
        { class: 'row' },
        h('input', {
          id: 'lookup-id',
          name: 'id',
          type: 'text',
          required: true,
          maxlength: '2048',
          autocomplete: 'off',
          spellcheck: 'false',
          placeholder: 'urn:uuid:…',
        }),
        h('button', { type: 'submit' }, 'Look up'),
      ),
    ),
  )
}

/**
 * The employer's request (hidden until the script runs): a single-use challenge from
 * `POST /presentations/challenges`, shown with the learner's wallet command.
 */
function requestSection(): ViewNode {
  return h(
    'section',
    { id: 'request-section', class: 'request', hidden: true, 'aria-labelledby': 'request-title' },
    h('h2', { id: 'request-title' }, 'Ask a candidate to prove they hold it'),
    h(
      'p',
      {},
      'A credential file can be copied. To know that the person you are talking to holds it, request a presentation: this site issues a one-time challenge, the candidate’s wallet signs it, and you check the answer below.',
    ),
    h('button', { type: 'button', id: 'request-button' }, 'Request a presentation'),
    h('div', { id: 'request', class: 'request-slot', 'aria-live': 'polite' }),
  )
}

/** The checker page. Without `assets` (bundle not built) it says so instead of the checker. */
export function renderCheckerPage(config: PageConfig, assets: PageAssets | undefined): string {
  const body: ViewNode[] = [
    h('h1', {}, 'Verify a credential'),
    h(
      'p',
      { class: 'lead' },
      'Check that a credential from the Production AI Institute is genuine, unaltered, issued to the person named, and still stands.',
    ),
    assets === undefined
      ? h(
          'p',
          { class: 'notice', id: 'js-required' },
          'The file checker is not available on this server right now (its script is not built). You can still look up a listed credential below.',
        )
      : h(
          'p',
          { class: 'notice', id: 'js-required' },
          'Checking a file needs JavaScript. Without it you can still look up a listed credential below.',
        ),
    h(
      'form',
      { id: 'checker', class: 'checker', hidden: true, 'aria-describedby': 'privacy-note' },
      h('input', {
        type: 'file',
        id: 'file',
        class: 'file-input',
        accept:
          '.json,.jsonld,application/json,application/ld+json,application/vc+ld+json,.png,image/png,image/jpeg,image/gif,image/webp',
      }),
      h(
        'label',
        { for: 'file', id: 'drop-zone', class: 'drop-zone' },
        h(
          'span',
          { class: 'drop-title' },
          h('span', { class: 'for-pointer' }, 'Drop the credential file here'),
          h('span', { class: 'for-touch' }, 'Choose the credential file'),
        ),
        h(
          'span',
          { class: 'drop-hint' },
          h(
            'span',
            { class: 'for-pointer' },
            'or select this area to choose a file (.json, or a wallet QR code image)',
          ),
          h(
            'span',
            { class: 'for-touch' },
            'a .json file or a wallet QR code image; it stays on this device',
          ),
        ),
      ),
      h(
        'p',
        { id: 'privacy-note', class: 'privacy' },
        'The file is checked in this browser and is never uploaded. Only the Institute’s public key and revocation lists are fetched, from this site.',
      ),
      h('label', { for: 'paste', class: 'paste-label' }, 'Or paste the credential (JSON)'),
      h(
        'p',
        { id: 'paste-hint', class: 'paste-hint' },
        'A credential, a presentation, or the text of a wallet QR code (VP1-…).',
      ),
      h('textarea', {
        id: 'paste',
        'aria-describedby': 'paste-hint',
        name: 'credential',
        rows: '6',
        spellcheck: 'false',
        autocomplete: 'off',
        autocapitalize: 'off',
      }),
      h('button', { type: 'submit' }, 'Check the pasted credential'),
    ),
    requestSection(),
    // Screen readers hear the verdict from here; sighted users see the result below.
    h('div', {
      id: 'announcer',
      class: 'visually-hidden',
      role: 'status',
      'aria-live': 'polite',
      'aria-atomic': 'true',
    }),
    h('div', { id: 'result', class: 'result-slot' }),
    lookupForm(),
  ]
  return layout('Verify a credential · Production AI Institute', assets, body, {
    script: true,
    config,
  })
}

/** The lookup page of a listed credential, as the server verified it. */
export function renderListedPage(
  result: VerifyCredentialResult,
  display: DisplayContext,
  assets: PageAssets | undefined,
  checkedAt: Date,
): string {
  const body: ViewNode[] = [
    h('h1', {}, 'Listed credential'),
    h(
      'p',
      { class: 'lead' },
      'Its holder chose to list this credential. The server has just checked it:',
    ),
    h(
      'div',
      { class: 'result-slot' },
      renderResult(result, display, {
        source: `Checked by the server on ${checkedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC.`,
      }),
    ),
    h('p', {}, h('a', { href: PAGE_PATH }, 'Check a credential file instead')),
  ]
  return layout('Listed credential · Production AI Institute', assets, body)
}

/** The same page for every id that is not listed (unknown, private, or malformed). */
export function renderNotListedPage(assets: PageAssets | undefined): string {
  const body: ViewNode[] = [
    h('h1', {}, 'Not listed'),
    h(
      'p',
      { class: 'lead' },
      'There is no public listing at this address. Credentials appear here only when their holder chooses to list them.',
    ),
    h(
      'p',
      {},
      'If you have the credential file, ',
      h('a', { href: PAGE_PATH }, 'check it on the verification page'),
      '.',
    ),
    lookupForm(),
  ]
  return layout('Not listed · Production AI Institute', assets, body, { robots: 'noindex' })
}

/** A page for when the server cannot check a listed credential right now. */
export function renderUnavailablePage(assets: PageAssets | undefined): string {
  const body: ViewNode[] = [
    h('h1', {}, 'Cannot check right now'),
    h('p', { class: 'lead' }, 'The credential could not be checked right now. Try again later.'),
    h('p', {}, h('a', { href: PAGE_PATH }, 'Back to the verification page')),
  ]
  return layout('Cannot check right now · Production AI Institute', assets, body, {
    robots: 'noindex',
  })
}
