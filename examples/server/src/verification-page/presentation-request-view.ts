/**
 * An employer's presentation request (challenge and domain from `POST /presentations/challenges`)
 * as the page shows it, the wallet command that answers it, and whether a presentation's holder
 * answered it (the holder binding). Pure and browser-safe.
 *
 * @module
 */
import { type Problem } from '@certify-vc/verifier'
import { h, type ViewElement } from './view.js'
import { isProblem } from './credential-view.js'
import type { PresentationResultView } from './presentation-view.js'
import { explainCode } from './verdict.js'

/** An employer's request, as `POST /presentations/challenges` answers it. */
export interface PresentationRequestView {
  readonly challenge: string
  readonly domain: string
  readonly expiresAt: string
}

/** Narrows the challenge endpoint's answer, or `undefined`. */
export function asPresentationRequest(value: unknown): PresentationRequestView | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const r = value as Record<string, unknown>
  if (
    typeof r.challenge !== 'string' ||
    !/^[A-Za-z0-9_-]{1,1024}$/.test(r.challenge) ||
    typeof r.domain !== 'string' ||
    !/^[a-z0-9.-]{1,253}(?::[0-9]{1,5})?$/.test(r.domain) ||
    typeof r.expiresAt !== 'string' ||
    Number.isNaN(Date.parse(r.expiresAt))
  ) {
    return undefined
  }
  return { challenge: r.challenge, domain: r.domain, expiresAt: r.expiresAt }
}

/** The learner's command for `request` (`certify-vc wallet present`). */
export function walletCommand(request: PresentationRequestView): string {
  return `certify-vc wallet present --challenge ${request.challenge} --domain ${request.domain} --credential <credential>`
}

/**
 * The open request: challenge and domain (copyable), the learner's command, and what happens to
 * a presentation while it is open. `used` once a presentation answered it.
 */
export function renderPresentationRequest(
  request: PresentationRequestView,
  state: 'open' | 'used',
): ViewElement {
  return h(
    'div',
    { class: `request-card request-${state}`, 'data-request-state': state },
    h(
      'p',
      { class: 'request-status' },
      state === 'open'
        ? `Request open until ${request.expiresAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}. It can be answered once.`
        : 'This request has been answered: its challenge is used up. Any further presentation for it is refused as a replay.',
    ),
    h(
      'dl',
      { class: 'request-values' },
      h('dt', {}, 'Challenge'),
      h('dd', {}, h('code', { id: 'request-challenge' }, request.challenge)),
      h('dt', {}, 'Domain'),
      h('dd', {}, h('code', { id: 'request-domain' }, request.domain)),
    ),
    h('p', {}, 'Send the candidate this command for their certify-vc wallet:'),
    h(
      'pre',
      { class: 'request-command' },
      h('code', { id: 'request-command' }, walletCommand(request)),
    ),
    h(
      'p',
      { class: 'request-actions' },
      h('button', { type: 'button', id: 'request-copy' }, 'Copy the command'),
      ' ',
      h(
        'button',
        { type: 'button', id: 'request-copy-values', class: 'secondary' },
        'Copy challenge and domain',
      ),
    ),
    h(
      'p',
      { class: 'privacy' },
      'While a request is open, a presentation you check here is also sent to this site once, so that the challenge is used up (single use) and the holder is proven; the credentials inside are still checked in this browser.',
    ),
  )
}

/** The holder-binding verdict the server gives for a request (`/certify/verify/presentation`). */
export interface HolderBindingView {
  readonly proven: boolean
  readonly holder?: string
  readonly domain: string
  readonly problem?: Problem
  /** The server's presentation checks (proof, holder binding, challenge, domain, subjects…). */
  readonly checks?: PresentationResultView['checks']
}

/** Narrows the server's `holderBinding`, or `undefined`. */
export function asHolderBinding(value: unknown): HolderBindingView | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const r = value as Record<string, unknown>
  if (typeof r.proven !== 'boolean' || typeof r.domain !== 'string') return undefined
  if (r.holder !== undefined && typeof r.holder !== 'string') return undefined
  if (r.problem !== undefined && !isProblem(r.problem)) return undefined
  if (!r.proven && r.problem === undefined) return undefined
  const checks = r.checks
  const checksOk =
    Array.isArray(checks) &&
    (checks as unknown[]).every((c) => {
      if (typeof c !== 'object' || c === null) return false
      const check = c as Record<string, unknown>
      return (
        typeof check.id === 'string' &&
        (check.outcome === 'passed' || check.outcome === 'failed' || check.outcome === 'skipped') &&
        Array.isArray(check.problems) &&
        (check.problems as unknown[]).every(isProblem)
      )
    })
  return {
    ...(checksOk ? { checks: checks as PresentationResultView['checks'] } : {}),
    proven: r.proven,
    domain: r.domain,
    ...(typeof r.holder === 'string' ? { holder: r.holder } : {}),
    ...(r.problem === undefined ? {} : { problem: r.problem }),
  }
}

/**
 * What the page can say about the holder: proven for this request (✓), not proven with the
 * reason and code (✗), or not requested (no challenge of ours, so not proven).
 */
export function renderHolderBinding(
  binding: HolderBindingView | { readonly error: string } | undefined,
  holderName?: string,
): ViewElement {
  if (binding === undefined) {
    return h(
      'div',
      { class: 'holder holder-not-requested', 'data-holder': 'not-requested' },
      h('p', { class: 'holder-title' }, 'Holder not proven'),
      h(
        'p',
        {},
        'This page did not request this presentation, so it cannot prove who sent it or that it is not a copy. To prove the holder, use “Request a presentation” and have the candidate answer that request.',
      ),
    )
  }
  if ('error' in binding) {
    return h(
      'div',
      { class: 'holder holder-not-proven', 'data-holder': 'error' },
      h(
        'p',
        { class: 'holder-title' },
        h('span', { 'aria-hidden': 'true' }, '✗ '),
        'Holder not proven',
      ),
      h('p', {}, `The server could not check the request: ${binding.error}`),
    )
  }
  if (binding.proven) {
    return h(
      'div',
      { class: 'holder holder-proven', 'data-holder': 'proven' },
      h(
        'p',
        { class: 'holder-title' },
        h('span', { 'aria-hidden': 'true' }, '✓ '),
        'Holder proven for this request',
      ),
      h(
        'p',
        {},
        `${holderName ?? 'The holder'} signed this presentation for ${binding.domain}, answering your challenge (now used up), with a key they control, and every credential inside is about them.`,
      ),
      binding.holder === undefined
        ? undefined
        : h(
            'p',
            { class: 'holder-did' },
            'Their DID: ',
            h('code', { class: 'did' }, binding.holder),
          ),
    )
  }
  const p = binding.problem
  return h(
    'div',
    {
      class: 'holder holder-not-proven',
      'data-holder': 'not-proven',
      'data-holder-code': p?.code ?? '',
    },
    h(
      'p',
      { class: 'holder-title' },
      h('span', { 'aria-hidden': 'true' }, '✗ '),
      'Holder not proven for this request',
    ),
    p === undefined ? undefined : h('p', {}, explainCode(p.code)),
    p === undefined ? undefined : h('p', { class: 'code' }, h('code', {}, p.code), ' ', p.message),
  )
}
