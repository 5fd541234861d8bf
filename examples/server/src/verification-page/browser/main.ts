/**
 * The browser side of the public pages. On `/certify/verify`, a dropped, chosen, pasted or
 * camera-scanned credential or presentation, or a badge image (PNG or SVG) with a credential baked
 * in, is verified here, with the same verifier core as the server, and never leaves the machine. On a shared credential page
 * (`/certify/credential/<id>`), the published credential is verified again here, live, and the
 * holder's share actions (copy link, print) come to life. Only the Institute's DID document and
 * status lists are fetched, from the server's own origin.
 *
 * Bundled by `scripts/build-page.mjs` (esbuild) into `dist/page/verify.js`.
 *
 * @module
 */
import {
  DEFAULT_MAX_IMAGE_BYTES,
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
import {
  PAGE_CONFIG_ELEMENT_ID,
  SHARED_CREDENTIAL_ELEMENT_ID,
  parsePageConfig,
  type PageConfig,
} from '../page-config.js'
import { h } from '../view.js'
import { HEAD_BYTES, bakedContent, bakedSourceNote, isImageFile } from './baked.js'
import { cameraProblem, startCameraScan, type CameraScan } from './camera.js'
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
    ...(config.badgeImages === undefined ? {} : { badgeImages: config.badgeImages }),
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
    limits: {
      maxBytes: config.maxBytes,
      maxImageBytes: config.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
    },
  }
  const shared = document.getElementById(SHARED_CREDENTIAL_ELEMENT_ID)
  if (shared !== null) startSharedPage(shared, display, options)
  else startChecker(config, display, options)
}

/**
 * The shared page of a published credential: the server rendered its verdict; this browser now
 * verifies the credential itself (live status included) and shows its own verdict, with "Check
 * again"; copy link and print need the script, so they appear only now.
 */
function startSharedPage(
  block: HTMLElement,
  display: DisplayContext,
  options: VerifyCredentialOptions,
): void {
  const credential = JSON.parse(block.textContent ?? '') as unknown
  const output = byId('result', HTMLElement)
  const announcer = byId('announcer', HTMLElement)
  let run = 0
  async function verify(): Promise<void> {
    const mine = ++run
    output.setAttribute('aria-busy', 'true')
    announcer.textContent = 'Checking again in this browser…'
    const result = await verifyCredential(credential, options)
    if (mine !== run) return
    const verdict = verdictOf(result, display)
    output.removeAttribute('aria-busy')
    output.replaceChildren(
      toDom(
        renderResult(result, display, {
          checkedAt: new Date(),
          checkedBy: 'this browser',
          checkAgain: { button: true },
        }),
      ),
    )
    announcer.textContent = `${verdict.title}. ${verdict.summary}`
  }
  output.addEventListener('click', (event) => {
    const target = event.target
    if (target instanceof HTMLElement && target.closest('.check-again') !== null) {
      event.preventDefault()
      void verify()
    }
  })
  const copy = byId('share-copy', HTMLButtonElement)
  const url = byId('share-url', HTMLInputElement)
  copy.hidden = false
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(url.value).then(
      () => {
        copy.textContent = 'Link copied ✓'
        announcer.textContent = 'Link copied.'
      },
      () => {
        url.select()
        announcer.textContent =
          'Copying is not allowed here; the link is selected, copy it yourself.'
      },
    )
  })
  const print = byId('share-print', HTMLButtonElement)
  print.hidden = false
  print.addEventListener('click', () => window.print())
  void verify().catch((error: unknown) => {
    output.removeAttribute('aria-busy')
    announcer.textContent = `This browser could not check it: ${error instanceof Error ? error.message : String(error)}`
  })
}

/** The checker of `/certify/verify`. */
function startChecker(
  config: PageConfig,
  display: DisplayContext,
  options: VerifyCredentialOptions,
): void {
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

  const maxImageBytes = config.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES
  const bakingLimits = { maxImageBytes, maxCredentialBytes: config.maxBytes }

  /**
   * Turns a QR image or QR text into the presentation's JSON; anything else as it is. A badge
   * image with a credential baked in is given to the verifier as it is (`baked`: its format), and
   * so is a PNG in which no QR code can be read: the verifier then says what it holds (no baked
   * credential, a malformed chunk …), as the CLI and the library do for the same bytes.
   */
  async function unwrapQr(
    input: Uint8Array | string,
  ): Promise<{ input: Uint8Array | string; qr: boolean; baked?: 'png' | 'svg' }> {
    const content = bakedContent(input, bakingLimits)
    if (content.kind === 'baked') return { input, qr: false, baked: content.format }
    if (content.kind === 'svg') return { input, qr: false }
    if (typeof input !== 'string' && isImage(input)) {
      let text: string
      try {
        text = await readQrImage(input)
      } catch (error) {
        if (content.kind === 'png') return { input, qr: false }
        throw error
      }
      return { input: await presentationFromQrText(text), qr: true }
    }
    if (typeof input === 'string' && isQrText(input)) {
      return { input: await presentationFromQrText(input), qr: true }
    }
    return { input, qr: false }
  }

  let run = 0
  // What was checked last, for "Check again" (a fresh status list is fetched each time).
  let last: { input: Uint8Array | string; source: string } | undefined
  output.addEventListener('click', (event) => {
    const target = event.target
    if (
      target instanceof HTMLElement &&
      target.closest('.check-again') !== null &&
      last !== undefined
    ) {
      void check(last.input, last.source)
    }
  })
  async function check(input: Uint8Array | string, source: string): Promise<void> {
    last = { input, source }
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
      if (unwrapped.baked !== undefined) source = `${source} ${bakedSourceNote(unwrapped.baked)}`
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
            checkedAt: new Date(),
            ...(binding === undefined ? {} : { request: { binding } }),
          }),
          title: verdict.title,
          summary: `${verdict.summary} ${holderWords}`,
        }
      } else {
        const result = await verifyCredential(input, options)
        const verdict = verdictOf(result, display)
        rendered = {
          view: renderResult(result, display, {
            source,
            checkedAt: new Date(),
            checkedBy: 'this browser',
            checkAgain: { button: true },
          }),
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
            h('p', { class: 'verdict-summary' }, failure ?? 'Unknown error.'),
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
    // An image (a baked badge, a QR code) may be as large as the image limit, anything else as
    // the JSON limit. Never read more than one byte past it: the verifier then reports
    // ERR_INPUT_TOO_LARGE.
    const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer())
    const limit = isImageFile(head) ? maxImageBytes : config.maxBytes
    const blob = file.size > limit ? file.slice(0, limit + 1) : file
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

  // The camera scan of a wallet QR code, and its fallback: a photo of the code.
  const scanSection = byId('scan-section', HTMLElement)
  const scanStart = byId('scan-start', HTMLButtonElement)
  const scanStop = byId('scan-stop', HTMLButtonElement)
  const video = byId('scan-video', HTMLVideoElement)
  const scanStatus = byId('scan-status', HTMLElement)
  const qrFile = byId('qr-file', HTMLInputElement)
  scanSection.hidden = false
  let scan: CameraScan | undefined
  const scanning = (on: boolean) => {
    video.hidden = !on
    scanStop.hidden = !on
    scanStart.disabled = on
  }
  scanStart.addEventListener('click', () => {
    scanStatus.textContent = 'Starting the camera…'
    startCameraScan(video)
      .then((started) => {
        scan = started
        scanning(true)
        scanStatus.textContent = 'Point the camera at the QR code.'
        return started.result
      })
      .then(
        (text) => {
          scanning(false)
          scanStatus.textContent = 'QR code read.'
          void check(text, 'Checked in this browser: scanned with the camera.')
        },
        (error: unknown) => {
          scanning(false)
          if (error instanceof Error && error.message === 'stopped') {
            scanStatus.textContent = 'Camera stopped.'
            return
          }
          scanStatus.textContent = `${cameraProblem(error)} Choose a photo of the QR code instead.`
          qrFile.focus()
        },
      )
      .finally(() => {
        scan = undefined
      })
  })
  scanStop.addEventListener('click', () => scan?.stop())
  qrFile.addEventListener('change', () => {
    const file = qrFile.files?.[0]
    if (file !== undefined) void checkFile(file)
    qrFile.value = ''
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
    notice.textContent = `The file checker could not start (${message}). You can still search the directory of listed credentials below.`
    notice.hidden = false
  }
}
