/**
 * The page's presentation-request parts without a browser: what it accepts from the challenge
 * endpoint and the server's holder binding, the learner's command, and how the holder binding
 * and a request's verdict render (everything as text).
 */
import { CATALOG, problem } from '@certify-vc/context'
import { describe, expect, it } from 'vitest'
import {
  asHolderBinding,
  asPresentationRequest,
  renderHolderBinding,
  renderPresentationRequest,
  walletCommand,
} from '../../src/verification-page/presentation-request-view.js'
import {
  renderPresentationResult,
  type PresentationResultView,
} from '../../src/verification-page/presentation-view.js'
import type { DisplayContext } from '../../src/verification-page/verdict.js'
import { toHtml } from '../../src/verification-page/view.js'

const REQUEST = {
  challenge: 'uAbCdEfGhIjKlMnOpQrStUv',
  domain: 'localhost:8080',
  expiresAt: '2026-11-29T17:00:00.000Z',
}
const display: DisplayContext = { catalog: CATALOG, issuerNames: {}, trustedIssuers: [] }
const emptyResult: PresentationResultView = {
  verified: false,
  holderProven: false,
  checks: [{ id: 'input', outcome: 'passed', problems: [] }],
  problems: [],
  presentation: { signed: true, holder: 'did:key:z6MkHolder' },
  credentials: [],
}
const REUSED = problem(
  'ERR_CHALLENGE_REUSED',
  'The challenge was already used.',
  '/proof/challenge',
)

describe('asPresentationRequest', () => {
  it('accepts the challenge endpoint answer', () => {
    expect(asPresentationRequest(REQUEST)).toEqual(REQUEST)
  })
  it.each([
    ['a challenge with markup', { ...REQUEST, challenge: 'u<b>x</b>' }],
    ['a challenge with spaces (a shell argument)', { ...REQUEST, challenge: 'u a; rm -rf' }],
    ['a domain with a scheme', { ...REQUEST, domain: 'https://evil.example' }],
    ['a bad date', { ...REQUEST, expiresAt: 'soon' }],
    ['no object', 'x'],
  ])('refuses %s', (_name, value) => {
    expect(asPresentationRequest(value)).toBeUndefined()
  })
  it('gives the wallet command', () => {
    expect(walletCommand(REQUEST)).toBe(
      'certify-vc wallet present --challenge uAbCdEfGhIjKlMnOpQrStUv --domain localhost:8080 --credential <credential>',
    )
    const html = toHtml(renderPresentationRequest(REQUEST, 'open'))
    expect(html).toContain('data-request-state="open"')
    expect(html).toContain('--credential &lt;credential&gt;')
    expect(toHtml(renderPresentationRequest(REQUEST, 'used'))).toContain('used up')
  })
})

describe('asHolderBinding and renderHolderBinding', () => {
  it('refuses a "not proven" without a problem, and bad members', () => {
    expect(asHolderBinding({ proven: false, domain: 'd' })).toBeUndefined()
    expect(asHolderBinding({ proven: true })).toBeUndefined()
    expect(asHolderBinding({ proven: true, domain: 'd', holder: 5 })).toBeUndefined()
    expect(asHolderBinding({ proven: false, domain: 'd', problem: { code: 1 } })).toBeUndefined()
  })
  it('drops malformed checks but keeps the verdict', () => {
    const b = asHolderBinding({ proven: false, domain: 'd', problem: REUSED, checks: [{ id: 1 }] })
    expect(b).toEqual({ proven: false, domain: 'd', problem: REUSED })
  })
  it('renders proven, not proven (with code), not requested, and an error, as text', () => {
    const proven = toHtml(
      renderHolderBinding({ proven: true, domain: 'd', holder: 'did:key:<script>' }),
    )
    expect(proven).toContain('data-holder="proven"')
    expect(proven).toContain('did:key:&lt;script&gt;')
    expect(proven).not.toContain('<script>')
    const notProven = toHtml(renderHolderBinding({ proven: false, domain: 'd', problem: REUSED }))
    expect(notProven).toContain('data-holder="not-proven"')
    expect(notProven).toContain('data-holder-code="ERR_CHALLENGE_REUSED"')
    expect(toHtml(renderHolderBinding(undefined))).toContain('data-holder="not-requested"')
    expect(toHtml(renderHolderBinding({ error: 'HTTP 500.' }))).toContain('data-holder="error"')
  })
})

describe('renderPresentationResult for a request', () => {
  it("says 'holder-not-proven' and lists the server's checks when the holder is not proven", () => {
    const html = toHtml(
      renderPresentationResult(emptyResult, display, {
        request: {
          binding: {
            proven: false,
            domain: 'd',
            problem: REUSED,
            checks: [{ id: 'challenge', outcome: 'failed', problems: [REUSED] }],
          },
        },
      }),
    )
    expect(html).toContain('data-verdict="holder-not-proven"')
    expect(html).toContain('data-checked-by="server"')
    expect(html).toContain('data-check="challenge"')
    expect(html).not.toContain('data-check="input"') // the browser's checks are not shown
    expect(html).not.toContain('presentation-note')
  })
  it('without a request: the browser checks, the signature note and "not requested"', () => {
    const html = toHtml(renderPresentationResult(emptyResult, display))
    expect(html).toContain('data-checked-by="browser"')
    expect(html).toContain('data-holder="not-requested"')
    expect(html).toContain('presentation-note')
    expect(html).not.toContain('holder-not-proven')
  })
})
