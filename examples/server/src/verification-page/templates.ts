/**
 * Server-rendered HTML of the Institute's public pages: the certification directory
 * (`/certify`), the checker and public verification directory (`/certify/verify`, with the
 * search by name and program), the no-JavaScript lookup pages (`/certify/verify/<credential-id>`)
 * and the shared credential pages (`/certify/credential/<credential-id>`). Every value is escaped
 * by `toHtml`; there is no inline script or style (the CSP forbids both). Links and images come
 * from the catalog and this server only, never from a credential (docs/attacks.md G5, E4).
 *
 * @module
 */
import { CONTROL_AREAS, PROGRAM_CODES, type Catalog, type Program } from '@certify-vc/context'
import type { VerifyCredentialResult } from '@certify-vc/verifier'
import {
  badgeNode,
  checkedAtNode,
  dateNode,
  programLabel,
  renderResult,
  skillsNode,
  validityWords,
} from './credential-view.js'
import { verdictOf, type DisplayContext } from './verdict.js'
import {
  PAGE_CONFIG_ELEMENT_ID,
  SHARED_CREDENTIAL_ELEMENT_ID,
  serializePageConfig,
  type PageConfig,
} from './page-config.js'
import { h, toHtml, type ViewElement, type ViewNode } from './view.js'
import { TONE_ICONS } from './credential-view.js'

/** URLs and integrity hashes of the page's assets. */
export interface PageAssets {
  readonly scriptUrl: string
  readonly scriptIntegrity: string
  readonly styleUrl: string
  readonly styleIntegrity: string
}

/** The path of the checker page. */
export const PAGE_PATH = '/certify/verify'
/** The path of the certification directory. */
export const DIRECTORY_PATH = '/certify'
/** Where a credential its learner published has its page. */
export const SHARE_PATH = '/certify/credential'

/** The least letters and digits a directory search's name needs (spaces and marks aside). */
export const MIN_SEARCH_NAME_LENGTH = 4
/** The most results one directory search shows. */
export const MAX_SEARCH_RESULTS = 5

/** The shared page of a credential id (colons kept readable; everything else encoded). */
export function sharePath(credentialId: string): string {
  return `${SHARE_PATH}/${encodeURIComponent(credentialId).replace(/%3A/gi, ':')}`
}

/** The lookup page of a credential id. */
export function lookupPath(credentialId: string): string {
  return `${PAGE_PATH}/${encodeURIComponent(credentialId)}`
}

/** JSON for a `<script type="application/json">` block (`<`, `>`, `&`, U+2028/9 escaped). */
function jsonBlock(id: string, value: unknown): string {
  const text = JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return `<script type="application/json" id="${id}">${text}</script>`
}

function layout(
  title: string,
  assets: PageAssets | undefined,
  body: readonly ViewNode[],
  head: {
    script?: boolean
    config?: PageConfig
    robots?: string
    data?: { id: string; value: unknown }
  } = {},
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
  // Data blocks are JSON (never executed), escaped so that no value can close the element.
  const blocks =
    (head.config === undefined
      ? ''
      : `<script type="application/json" id="${PAGE_CONFIG_ELEMENT_ID}">${serializePageConfig(head.config)}</script>`) +
    (head.data === undefined ? '' : jsonBlock(head.data.id, head.data.value))
  const bodyHtml = toHtml(
    h(
      'body',
      {},
      h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
      h(
        'header',
        { class: 'site-header' },
        h('p', { class: 'brand' }, h('a', { href: DIRECTORY_PATH }, 'Production AI Institute')),
        h(
          'nav',
          { 'aria-label': 'Site' },
          h(
            'ul',
            { class: 'site-nav' },
            h('li', {}, h('a', { href: DIRECTORY_PATH }, 'Certifications')),
            h('li', {}, h('a', { href: PAGE_PATH }, 'Verify a credential')),
          ),
        ),
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
  return `<!doctype html>\n<html lang="en"><head>${headNodes.map(toHtml).join('')}${blocks}</head>${bodyHtml}</html>\n`
}

/** What a directory search answered (rendered under the search form). */
export type SearchView =
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'limited'; readonly retryAfterSeconds: number }
  | {
      readonly kind: 'results'
      readonly programCode: string
      readonly entries: readonly {
        readonly credentialId: string
        readonly result: VerifyCredentialResult
      }[]
      /** More listed credentials matched than are shown. */
      readonly more: boolean
      readonly checkedAt: Date
    }

/** The search form's current values. */
export interface SearchValues {
  readonly name?: string
  readonly program?: string
}

/** The form that looks up one listed credential by its id (`GET /certify/verify?id=…`). */
function lookupForm(label: string): ViewElement {
  return h(
    'form',
    { method: 'get', action: PAGE_PATH, class: 'lookup-form' },
    h('label', { for: 'lookup-id' }, label),
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
  )
}

function directorySearch(
  catalog: Catalog,
  values: SearchValues,
  search: SearchView | undefined,
  display: DisplayContext,
): ViewNode {
  return h(
    'section',
    { id: 'directory', class: 'lookup', 'aria-labelledby': 'directory-title' },
    h('h2', { id: 'directory-title' }, 'Find a listed credential'),
    h(
      'p',
      {},
      'Learners may choose to list their credentials. Search by the holder’s full name and the program, or by the credential id; every result is checked live. Credentials that are not listed are never shown, and a search cannot tell them from ones that do not exist. This works without JavaScript.',
    ),
    h(
      'form',
      { method: 'get', action: `${PAGE_PATH}#directory`, class: 'lookup-form search-form' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'search-name' }, 'Full name'),
        h(
          'p',
          { id: 'search-name-hint', class: 'hint' },
          `The whole name as on the credential (at least ${MIN_SEARCH_NAME_LENGTH} letters; case and accents do not matter).`,
        ),
        h('input', {
          id: 'search-name',
          name: 'name',
          type: 'text',
          required: true,
          maxlength: '200',
          autocomplete: 'off',
          spellcheck: 'false',
          'aria-describedby': 'search-name-hint',
          value: values.name ?? '',
        }),
      ),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'search-program' }, 'Program'),
        h(
          'select',
          { id: 'search-program', name: 'program', required: true },
          h('option', { value: '' }, 'Choose a program'),
          PROGRAM_CODES.map((code) =>
            h(
              'option',
              { value: code, selected: values.program === code },
              programLabel(catalog.programs[code]),
            ),
          ),
        ),
      ),
      h('button', { type: 'submit' }, 'Search the directory'),
    ),
    lookupForm('Or the credential id'),
    search === undefined ? undefined : renderSearch(search, display),
  )
}

/** A search's answer: the same words whether nothing matched because nothing is listed or nothing exists. */
function renderSearch(search: SearchView, display: DisplayContext): ViewElement {
  if (search.kind === 'refused') {
    return h(
      'div',
      { id: 'directory-results', 'data-search': 'refused', role: 'alert' },
      h('p', { class: 'notice' }, search.message),
    )
  }
  if (search.kind === 'limited') {
    return h(
      'div',
      { id: 'directory-results', 'data-search': 'rate-limited', role: 'alert' },
      h(
        'p',
        { class: 'notice' },
        `Too many searches from this network; try again in ${search.retryAfterSeconds} seconds.`,
      ),
    )
  }
  if (search.entries.length === 0) {
    return h(
      'div',
      { id: 'directory-results', 'data-search': 'none' },
      h(
        'p',
        { class: 'notice' },
        'No listed credential matches this name and program. A credential is found here only if its holder chose to list it; ask the candidate for the credential file or its link instead.',
      ),
    )
  }
  return h(
    'div',
    { id: 'directory-results', 'data-search': 'results' },
    h(
      'p',
      { class: 'search-count' },
      `${search.entries.length} listed credential${search.entries.length === 1 ? '' : 's'} found, each checked by the server at `,
      checkedAtNode(search.checkedAt),
      '.',
      search.more
        ? ` More match than the ${MAX_SEARCH_RESULTS} shown: search by the credential id to find one.`
        : '',
    ),
    h(
      'ol',
      { class: 'directory-results' },
      search.entries.map((e) => renderDirectoryEntry(e.credentialId, e.result, display)),
    ),
  )
}

/** One search result: holder, program, verdict (the same as on every page), dates, its page. */
function renderDirectoryEntry(
  credentialId: string,
  result: VerifyCredentialResult,
  display: DisplayContext,
): ViewElement {
  const verdict = verdictOf(result, display)
  const c = result.credential
  return h(
    'li',
    {
      class: `directory-entry tone-${verdict.tone}`,
      'data-entry-verdict': verdict.kind,
      'data-credential-id': credentialId,
    },
    h('p', { class: 'entry-name' }, c.subject?.name ?? 'No name in the credential'),
    h('p', { class: 'entry-program' }, c.program === undefined ? '' : programLabel(c.program)),
    h(
      'p',
      { class: 'entry-verdict' },
      h('span', { class: 'verdict-icon', 'aria-hidden': 'true' }, TONE_ICONS[verdict.tone]),
      h('strong', {}, verdict.title),
      `: ${verdict.summary}`,
    ),
    h(
      'p',
      { class: 'entry-dates' },
      'Issued ',
      c.validFrom === undefined ? '—' : dateNode(c.validFrom),
      c.validUntil === undefined ? '' : ' · expires ',
      c.validUntil === undefined ? '' : dateNode(c.validUntil),
    ),
    h('p', {}, h('a', { href: sharePath(credentialId) }, 'See the credential and every check')),
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
      'A credential file can be copied. To know that the person you are talking to holds it, request a presentation: this site issues a one-time challenge, the candidate’s wallet signs it, and you check their answer with the file checker or the QR scanner above.',
    ),
    h('button', { type: 'button', id: 'request-button' }, 'Request a presentation'),
    h('div', { id: 'request', class: 'request-slot', 'aria-live': 'polite' }),
  )
}

/**
 * The camera scan of a wallet QR code (hidden until the script runs), with a photo of the code
 * as the fallback when there is no camera or it may not be used.
 */
function scanSection(): ViewNode {
  return h(
    'section',
    { id: 'scan-section', class: 'scan', hidden: true, 'aria-labelledby': 'scan-title' },
    h('h2', { id: 'scan-title' }, 'Scan a wallet QR code'),
    h(
      'p',
      {},
      'A candidate can show their presentation as a QR code (certify-vc wallet qr). Point this device’s camera at it; the picture stays on this device.',
    ),
    h(
      'p',
      { class: 'scan-actions' },
      h('button', { type: 'button', id: 'scan-start' }, 'Scan with the camera'),
      ' ',
      h(
        'button',
        { type: 'button', id: 'scan-stop', class: 'secondary', hidden: true },
        'Stop the camera',
      ),
    ),
    h('video', {
      id: 'scan-video',
      class: 'scan-video',
      hidden: true,
      muted: true,
      playsinline: true,
      'aria-label': 'Camera view',
    }),
    h('p', { id: 'scan-status', class: 'scan-status', role: 'status', 'aria-live': 'polite' }),
    h('label', { for: 'qr-file', class: 'qr-file-label' }, 'Or choose a photo of the QR code'),
    h('input', {
      type: 'file',
      id: 'qr-file',
      accept: 'image/png,image/jpeg,image/gif,image/webp',
    }),
  )
}

/** The checker page. Without `assets` (bundle not built) it says so instead of the checker. */
export function renderCheckerPage(
  config: PageConfig,
  assets: PageAssets | undefined,
  directory: {
    readonly display: DisplayContext
    readonly values?: SearchValues
    readonly search?: SearchView
  } = { display: config },
): string {
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
          'The file checker is not available on this server right now (its script is not built). You can still search the directory of listed credentials below.',
        )
      : h(
          'p',
          { class: 'notice', id: 'js-required' },
          'Checking a file needs JavaScript. Without it you can still search the directory of listed credentials below.',
        ),
    h(
      'form',
      { id: 'checker', class: 'checker', hidden: true, 'aria-describedby': 'privacy-note' },
      h('input', {
        type: 'file',
        id: 'file',
        class: 'file-input',
        accept:
          '.json,.jsonld,application/json,application/ld+json,application/vc+ld+json,.png,image/png,.svg,image/svg+xml,image/jpeg,image/gif,image/webp',
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
            'or select this area to choose a file (.json, a badge image with the credential baked in, or a wallet QR code image)',
          ),
          h(
            'span',
            { class: 'for-touch' },
            'a .json file, a badge image (.png, .svg) or a wallet QR code image; it stays on this device',
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
    // Screen readers hear the verdict from here; sighted users see the result below.
    h('div', {
      id: 'announcer',
      class: 'visually-hidden',
      role: 'status',
      'aria-live': 'polite',
      'aria-atomic': 'true',
    }),
    h('div', { id: 'result', class: 'result-slot' }),
    scanSection(),
    requestSection(),
    directorySearch(config.catalog, directory.values ?? {}, directory.search, directory.display),
  ]
  return layout('Verify a credential · Production AI Institute', assets, body, {
    script: true,
    config,
    ...(directory.search === undefined ? {} : { robots: 'noindex' }),
  })
}

/** The lookup page of a listed credential, as the server verified it. */
export function renderListedPage(
  credentialId: string,
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
        checkedAt,
        checkedBy: 'the server',
        checkAgain: { href: lookupPath(credentialId) },
      }),
    ),
    h(
      'p',
      {},
      h('a', { href: sharePath(credentialId) }, 'Its shared page'),
      ' · ',
      h('a', { href: PAGE_PATH }, 'Check a credential file instead'),
    ),
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
    lookupForm('Credential id'),
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

/** What the shared page offers besides the verdict. */
export interface ShareView {
  readonly credentialId: string
  /** The page's absolute URL (`PUBLIC_BASE_URL` + `sharePath`). */
  readonly url: string
  /** LinkedIn's "add to profile" link, for a genuine credential of a program. */
  readonly linkedInUrl?: string
  /** The credential, for the browser to verify live. */
  readonly credential: unknown
  /** The baked badge's download link (`?download=png`), for a credential of a catalog program. */
  readonly badgeUrl?: string
}

/** LinkedIn's documented "Add to Profile" parameters for a certification. */
export function linkedInAddToProfileUrl(input: {
  readonly name: string
  readonly organizationName: string
  readonly issued?: string
  readonly expires?: string
  readonly certUrl: string
  readonly certId: string
}): string {
  const url = new URL('https://www.linkedin.com/profile/add')
  url.searchParams.set('startTask', 'CERTIFICATION_NAME')
  url.searchParams.set('name', input.name)
  url.searchParams.set('organizationName', input.organizationName)
  for (const [prefix, iso] of [
    ['issue', input.issued],
    ['expiration', input.expires],
  ] as const) {
    const ms = iso === undefined ? Number.NaN : Date.parse(iso)
    if (Number.isNaN(ms)) continue
    const d = new Date(ms)
    url.searchParams.set(`${prefix}Year`, String(d.getUTCFullYear()))
    url.searchParams.set(`${prefix}Month`, String(d.getUTCMonth() + 1))
  }
  url.searchParams.set('certUrl', input.certUrl)
  url.searchParams.set('certId', input.certId)
  return url.href
}

/**
 * The shared page of a credential its learner published: the server's verdict (so that it works
 * without JavaScript and for link previews), replaced by the browser's own live verification when
 * the script runs; and, for the holder, the link to copy, LinkedIn's "add to profile", the
 * credential to download, and print.
 */
export function renderSharePage(
  result: VerifyCredentialResult,
  display: DisplayContext,
  assets: PageAssets | undefined,
  checkedAt: Date,
  share: ShareView,
  config: PageConfig,
): string {
  const c = result.credential
  const title =
    c.subject?.name !== undefined && c.program !== undefined
      ? `${c.subject.name} · ${programLabel(c.program)}`
      : 'Shared credential'
  const body: ViewNode[] = [
    h('h1', {}, title),
    h(
      'p',
      { class: 'lead' },
      'Its holder published this credential. It is checked live: by the server when the page is made, and again in your browser.',
    ),
    h('div', {
      id: 'announcer',
      class: 'visually-hidden',
      role: 'status',
      'aria-live': 'polite',
      'aria-atomic': 'true',
    }),
    h(
      'div',
      { id: 'result', class: 'result-slot', 'data-shared': share.credentialId },
      renderResult(result, display, {
        checkedAt,
        checkedBy: 'the server',
        checkAgain: { href: sharePath(share.credentialId) },
      }),
    ),
    h(
      'section',
      { class: 'share', 'aria-labelledby': 'share-title' },
      h('h2', { id: 'share-title' }, 'Share this credential'),
      h(
        'p',
        {},
        'This page’s address is permanent while the holder keeps the credential published.',
      ),
      h('label', { for: 'share-url' }, 'Link to this page'),
      h(
        'div',
        { class: 'row' },
        h('input', {
          id: 'share-url',
          type: 'text',
          readonly: true,
          value: share.url,
          spellcheck: 'false',
        }),
        h(
          'button',
          { type: 'button', id: 'share-copy', class: 'secondary', hidden: true },
          'Copy link',
        ),
      ),
      h(
        'ul',
        { class: 'share-actions' },
        share.linkedInUrl === undefined
          ? undefined
          : h(
              'li',
              {},
              h(
                'a',
                {
                  id: 'share-linkedin',
                  href: share.linkedInUrl,
                  rel: 'noopener noreferrer',
                  target: '_blank',
                },
                'Add to LinkedIn profile',
              ),
            ),
        h(
          'li',
          {},
          h(
            'a',
            {
              id: 'share-download',
              href: `${sharePath(share.credentialId)}?download=json`,
              download: 'credential.json',
            },
            'Download the credential (.json)',
          ),
        ),
        share.badgeUrl === undefined
          ? undefined
          : h(
              'li',
              {},
              h(
                'a',
                { id: 'share-download-badge', href: share.badgeUrl, download: 'badge.png' },
                'Download the badge image with the credential baked in (.png)',
              ),
            ),
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', id: 'share-print', class: 'secondary', hidden: true },
            'Print',
          ),
        ),
      ),
    ),
    h('p', {}, h('a', { href: PAGE_PATH }, 'Verify another credential')),
  ]
  return layout(`${title} · Production AI Institute`, assets, body, {
    script: true,
    config,
    data: { id: SHARED_CREDENTIAL_ELEMENT_ID, value: share.credential },
  })
}

function programCard(program: Program, display: DisplayContext, catalog: Catalog): ViewElement {
  const path = new URL(program.achievementId).pathname
  const prerequisites = program.prerequisites.map((code) => catalog.programs[code])
  return h(
    'li',
    { class: 'program-card', id: `program-${program.code.toLowerCase()}` },
    h(
      'div',
      { class: 'achievement-head' },
      badgeNode(program, display),
      h(
        'div',
        {},
        h('h2', {}, h('a', { href: path }, programLabel(program))),
        h(
          'p',
          { class: 'achievement-type' },
          `${program.achievementType} · ${program.fee === 'free' ? 'free' : 'paid'}`,
        ),
      ),
    ),
    h(
      'p',
      { class: 'audience' },
      `${program.fee === 'free' ? 'Free' : 'Paid'}; ${
        prerequisites.length === 0
          ? 'open to anyone, with no other program first.'
          : `builds on ${prerequisites.map((p) => p.code).join(', ')}.`
      }`,
    ),
    h('p', {}, program.description),
    h(
      'dl',
      { class: 'achievement-facts' },
      h('dt', {}, 'Requires'),
      h(
        'dd',
        {},
        prerequisites.length === 0
          ? 'Nothing: open to anyone.'
          : `${prerequisites.map((p) => programLabel(p)).join(', ')} first.`,
      ),
      h('dt', {}, 'Criteria'),
      h('dd', {}, program.criteriaNarrative),
      h('dt', {}, 'Control areas'),
      h('dd', {}, skillsNode(program)),
      h('dt', {}, 'Expiry'),
      h('dd', {}, validityWords(program)),
    ),
    h('p', {}, h('a', { href: path }, `The ${program.code} page`)),
  )
}

/** `/certify`: the certification directory, from the catalog only. */
export function renderCertificationsPage(
  catalog: Catalog,
  display: DisplayContext,
  assets: PageAssets | undefined,
): string {
  const programs = PROGRAM_CODES.map((code) => catalog.programs[code])
  const body: ViewNode[] = [
    h('h1', {}, 'Certifications'),
    h(
      'p',
      { class: 'lead' },
      `${catalog.institute.name} awards three credentials. Each is a W3C Verifiable Credential (an Open Badge 3.0) that anyone can verify, with no account, on this site.`,
    ),
    h(
      'section',
      { class: 'path', 'aria-labelledby': 'path-title' },
      h('h2', { id: 'path-title' }, 'The paths'),
      h(
        'ol',
        { class: 'paths' },
        h(
          'li',
          {},
          h('strong', {}, 'Engineering: '),
          `${programLabel(catalog.programs.AIDA)} (free), then ${programLabel(catalog.programs.CAAE)} (paid), which builds on it.`,
        ),
        h(
          'li',
          {},
          h('strong', {}, 'Management: '),
          `${programLabel(catalog.programs.AIMA)} (free), an AI-governance baseline for non-engineering leaders; it needs no other program.`,
        ),
      ),
    ),
    h(
      'ul',
      { class: 'programs' },
      programs.map((p) => programCard(p, display, catalog)),
    ),
    h(
      'section',
      { 'aria-labelledby': 'areas-title' },
      h('h2', { id: 'areas-title' }, 'The control areas'),
      h(
        'p',
        {},
        'Each program is aligned to control areas the Institute teaches (listed in its credentials as alignments):',
      ),
      h(
        'table',
        { class: 'areas' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Control area'),
            programs.map((p) => h('th', { scope: 'col' }, p.code)),
          ),
        ),
        h(
          'tbody',
          {},
          CONTROL_AREAS.map((area) =>
            h(
              'tr',
              {},
              h(
                'th',
                { scope: 'row' },
                h('span', { class: 'skill-name' }, area.name),
                h('span', { class: 'skill-description' }, area.description),
              ),
              programs.map((p) =>
                h(
                  'td',
                  {},
                  p.alignment.includes(area.slug)
                    ? h(
                        'span',
                        {},
                        h('span', { 'aria-hidden': 'true' }, '✓'),
                        h('span', { class: 'visually-hidden' }, 'Aligned'),
                      )
                    : h(
                        'span',
                        {},
                        h('span', { 'aria-hidden': 'true' }, '–'),
                        h('span', { class: 'visually-hidden' }, 'Not aligned'),
                      ),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'verify-title' },
      h('h2', { id: 'verify-title' }, 'How to verify a credential'),
      h(
        'ol',
        {},
        h(
          'li',
          {},
          'Ask the holder for the credential file (.json) or the link to its shared page, and open ',
          h('a', { href: PAGE_PATH }, 'the verification page'),
          '. The file is checked in your browser and never uploaded.',
        ),
        h(
          'li',
          {},
          'Or search ',
          h('a', { href: `${PAGE_PATH}#directory` }, 'the directory of listed credentials'),
          ' by the holder’s full name and program, if they chose to list it.',
        ),
        h(
          'li',
          {},
          'To know that the person you are talking to holds it, request a presentation on the verification page and scan or check their answer.',
        ),
      ),
      h(
        'p',
        {},
        'Genuine means: signed by the Institute, unaltered, issued to the person named, and neither revoked, suspended nor expired at the moment you check.',
      ),
    ),
  ]
  return layout(`Certifications · ${catalog.institute.name}`, assets, body)
}
