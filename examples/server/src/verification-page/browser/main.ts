/**
 * The browser side of `/certify/verify`: a dropped, chosen or pasted credential is verified here,
 * with the same verifier core as the server, and never leaves the machine. Only the Institute's
 * DID document and status lists are fetched, from the server's own origin.
 *
 * Bundled by `scripts/build-page.mjs` (esbuild) into `dist/page/verify.js`.
 *
 * @module
 */
import {
  PROFILE_NAMES,
  verifyCredential,
  verifyPresentation,
  type VerifyCredentialOptions,
  type VerifyPresentationOptions,
} from '@certify-vc/verifier'
import { renderResult } from '../credential-view.js'
import {
  renderPresentationRequest,
  walletCommand,
  type PresentationRequestView,
} from '../presentation-request-view.js'
import {
  asPresentationResult,
  presentationVerdictOf,
  renderPresentationResult,
} from '../presentation-view.js'
import { verdictOf, type DisplayContext } from '../verdict.js'
import type { ViewElement } from '../view.js'
import { PAGE_CONFIG_ELEMENT_ID, parsePageConfig, type PageConfig } from '../page-config.js'
import { h } from '../view.js'
import { toDom } from './dom.js'
import { requestPresentation, submitPresentation } from './exchange.js'
import { createPageDidResolver, createPageStatusSource } from './network.js'
import { isImage, isQrText, presentationFromQrText, readQrImage } from './qr.js'

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id)
  if (!(element instanceof type)) throw new Error(`The page lacks #${id}.`)
  return element
}

function readConfig(): PageConfig {
  const block = document.getElementById(PAGE_CONFIG_ELEMENT_ID)
  if (block === null) throw new Error('The page configuration is missing.')
  return parsePageConfig(JSON.parse(block.textContent ?? '') as unknown)
}

/**
 * The parsed document when `input` parses to an object typed VerifiablePresentation, else
 * `undefined` (also when unsure).
 */
function asPresentation(input: Uint8Array | string, maxBytes: number): object | undefined {
  try {
    const size = typeof input === 'string' ? input.length : input.byteLength
    if (size > maxBytes) return undefined // the verifier refuses it before parsing anyway
    const text = typeof input === 'string' ? input : new TextDecoder().decode(input)
    const doc = JSON.parse(text) as unknown
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined
    const type = (doc as { type?: unknown }).type
    return type === 'VerifiablePresentation' ||
      (Array.isArray(type) && type.includes('VerifiablePresentation'))
      ? doc
      : undefined
  } catch {
    return undefined
  }
}

function start(): void {
  const config = readConfig()
  const display: DisplayContext = {
    catalog: config.catalog,
    issuerNames: config.issuerNames,
    trustedIssuers: config.trustedIssuers,
  }
  // The Institute's page verifies under the institute profile; `?profile=open-badges` (or `vc`)
  // applies the verifier's other profiles, with the same trust list.
  const asked = new URLSearchParams(location.search).get('profile')
  const profile = PROFILE_NAMES.find((p) => p === asked) ?? 'institute'
  const options: VerifyCredentialOptions = {
    profile,
    trustedIssuers: config.trustedIssuers,
    catalog: config.catalog,
    didResolver: createPageDidResolver(config),
    status: { source: createPageStatusSource(config), cache: false },
    limits: { maxBytes: config.maxBytes },
  }

  const form = byId('checker', HTMLFormElement)
  const dropZone = byId('drop-zone', HTMLElement)
  const fileInput = byId('file', HTMLInputElement)
  const paste = byId('paste', HTMLTextAreaElement)
  const announcer = byId('announcer', HTMLElement)
  const output = byId('result', HTMLElement)
  const requestSection = byId('request-section', HTMLElement)
  const requestButton = byId('request-button', HTMLButtonElement)
  const requestSlot = byId('request', HTMLElement)
  form.hidden = false
  requestSection.hidden = false
  byId('js-required', HTMLElement).hidden = true

  // The employer's open request (single use: 'used' once a presentation was sent for it).
  let current: { request: PresentationRequestView; state: 'open' | 'used' } | undefined
  function showRequest(): void {
    requestSlot.replaceChildren(
      current === undefined ? '' : toDom(renderPresentationRequest(current.request, current.state)),
    )
  }
  requestButton.addEventListener('click', () => {
    requestButton.disabled = true
    requestSlot.replaceChildren(toDom(h('p', { class: 'checking' }, 'Requesting a challenge…')))
    requestPresentation()
      .then((request) => {
        current = { request, state: 'open' }
        showRequest()
        announcer.textContent = `Request ready. Challenge ${request.challenge}, domain ${request.domain}.`
      })
      .catch((error: unknown) => {
        current = undefined
        const message = error instanceof Error ? error.message : String(error)
        requestSlot.replaceChildren(
          toDom(h('p', { class: 'notice' }, `No request could be made: ${message}`)),
        )
      })
      .finally(() => {
        requestButton.disabled = false
        requestButton.textContent = 'Request a new presentation'
      })
  })
  requestSlot.addEventListener('click', (event) => {
    const target = event.target
    if (!(target instanceof HTMLButtonElement) || current === undefined) return
    const text =
      target.id === 'request-copy'
        ? walletCommand(current.request)
        : target.id === 'request-copy-values'
          ? `challenge: ${current.request.challenge}\ndomain: ${current.request.domain}`
          : undefined
    if (text === undefined) return
    navigator.clipboard.writeText(text).then(
      () => {
        announcer.textContent = 'Copied.'
        target.textContent = 'Copied ✓'
      },
      () => {
        announcer.textContent = 'Copying is not allowed here; select the text instead.'
      },
    )
  })

  /** Turns a QR image or QR text into the presentation's JSON; anything else as it is. */
  async function unwrapQr(
    input: Uint8Array | string,
  ): Promise<{ input: Uint8Array | string; qr: boolean }> {
    if (typeof input !== 'string' && isImage(input)) {
      return { input: await presentationFromQrText(await readQrImage(input)), qr: true }
    }
    if (typeof input === 'string' && isQrText(input)) {
      return { input: await presentationFromQrText(input), qr: true }
    }
    return { input, qr: false }
  }

  let run = 0
  async function check(input: Uint8Array | string, source: string): Promise<void> {
    const mine = ++run
    output.replaceChildren(toDom(h('p', { class: 'checking' }, 'Checking…')))
    output.setAttribute('aria-busy', 'true')
    announcer.textContent = 'Checking…'
    let rendered: { view: ViewElement; title: string; summary: string } | undefined
    let failure: string | undefined
    try {
      const unwrapped = await unwrapQr(input)
      input = unwrapped.input
      if (unwrapped.qr) source = `${source} Read from a wallet QR code.`
      const presentation = asPresentation(input, config.maxBytes)
      if (presentation !== undefined) {
        // A file carries no challenge of ours: the holder's signature is checked but cannot
        // prove who sent the file, so holder and subject binding are not required; every
        // credential inside goes through the full credential pipeline.
        const presentationOptions: VerifyPresentationOptions = {
          ...options,
          domain: null,
          unsignedPresentation: 'allow',
          holderBinding: 'if-present',
          subjectBinding: 'off',
        }
        // With an open request of this page, the server also checks it: it consumes the
        // challenge (single use) and answers the holder binding.
        const request = current
        if (request !== undefined) request.state = 'used'
        const [raw, binding] = await Promise.all([
          verifyPresentation(input, presentationOptions),
          request === undefined
            ? Promise.resolve(undefined)
            : submitPresentation(presentation, request.request),
        ])
        if (request !== undefined && request === current) showRequest()
        const result = asPresentationResult(raw)
        if (result === undefined) throw new Error('Unexpected presentation result.')
        const verdict = presentationVerdictOf(result, display)
        const holderWords =
          binding === undefined
            ? 'Holder not proven: this page did not request it.'
            : 'error' in binding
              ? 'Holder not proven: the request could not be checked.'
              : binding.proven
                ? 'Holder proven for this request.'
                : `Holder not proven for this request (${binding.problem?.code ?? 'unknown'}).`
        rendered = {
          view: renderPresentationResult(result, display, {
            source,
            ...(binding === undefined ? {} : { request: { binding } }),
          }),
          title: verdict.title,
          summary: `${verdict.summary} ${holderWords}`,
        }
      } else {
        const result = await verifyCredential(input, options)
        const verdict = verdictOf(result, display)
        rendered = {
          view: renderResult(result, display, { source }),
          title: verdict.title,
          summary: verdict.summary,
        }
      }
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error)
    }
    if (mine !== run) return // a newer check started meanwhile
    output.removeAttribute('aria-busy')
    if (rendered === undefined) {
      announcer.textContent = 'The check could not run.'
      output.replaceChildren(
        toDom(
          h(
            'section',
            { class: 'result tone-bad', 'data-verdict': 'error' },
            h('h2', { class: 'verdict-title' }, 'The check could not run'),
            h('p', {}, failure ?? 'Unknown error.'),
          ),
        ),
      )
      return
    }
    announcer.textContent = `${rendered.title}. ${rendered.summary}`
    output.replaceChildren(toDom(rendered.view))
    output.scrollIntoView({ block: 'start' })
  }

  async function checkFile(file: File): Promise<void> {
    // Never read more than one byte past the limit: the verifier then reports ERR_INPUT_TOO_LARGE.
    const blob = file.size > config.maxBytes ? file.slice(0, config.maxBytes + 1) : file
    const bytes = new Uint8Array(await blob.arrayBuffer())
    await check(
      bytes,
      `Checked in this browser: ${file.name} (${file.size.toLocaleString('en')} bytes).`,
    )
  }

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0]
    if (file !== undefined) void checkFile(file)
    fileInput.value = ''
  })

  // A file dropped outside the zone must not make the browser navigate away to it.
  for (const type of ['dragover', 'drop'] as const) {
    window.addEventListener(type, (event) => event.preventDefault())
  }
  dropZone.addEventListener('dragover', (event) => {
    event.preventDefault()
    if (event.dataTransfer !== null) event.dataTransfer.dropEffect = 'copy'
    dropZone.classList.add('dragging')
  })
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'))
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault()
    dropZone.classList.remove('dragging')
    const file = event.dataTransfer?.files[0]
    if (file !== undefined) {
      void checkFile(file)
      return
    }
    const text = event.dataTransfer?.getData('text/plain') ?? ''
    if (text !== '') void check(text, 'Checked in this browser: dropped text.')
  })

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    if (paste.value.trim() === '') {
      announcer.textContent = 'Paste a credential first.'
      output.replaceChildren(toDom(h('p', { class: 'notice' }, 'Paste a credential first.')))
      paste.focus()
      return
    }
    void check(paste.value, 'Checked in this browser: pasted text.')
  })
}

try {
  start()
} catch (error) {
  const message = error instanceof Error ? error.message : String(error)
  const notice = document.getElementById('js-required')
  if (notice !== null) {
    notice.textContent = `The file checker could not start (${message}). You can still look up a listed credential below.`
    notice.hidden = false
  }
}
