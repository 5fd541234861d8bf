/**
 * The page's side of the employer ↔ wallet flow: asks this site for a single-use challenge, and
 * sends a presentation answering it back so that the server consumes the challenge and gives the
 * holder-binding verdict. Both requests go to this page's own origin only.
 *
 * @module
 */
import {
  asHolderBinding,
  asPresentationRequest,
  type HolderBindingView,
  type PresentationRequestView,
} from '../presentation-request-view.js'

/** The challenge endpoint. */
export const CHALLENGES_URL = '/presentations/challenges'
/** The endpoint verifying a presentation against a challenge of this site. */
export const PRESENTATION_URL = '/certify/verify/presentation'
const TIMEOUT_MS = 30_000

async function postJson(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS)
  try {
    const response = await fetch(new URL(path, window.location.origin).href, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      redirect: 'error',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
      signal: controller.signal,
    })
    let json: unknown
    try {
      json = await response.json()
    } catch {
      json = undefined
    }
    return { status: response.status, json }
  } finally {
    clearTimeout(timer)
  }
}

function firstError(json: unknown): string | undefined {
  const errors = (json as { errors?: unknown } | undefined)?.errors
  if (!Array.isArray(errors)) return undefined
  const e = errors[0] as { code?: unknown; message?: unknown } | undefined
  return typeof e?.message === 'string'
    ? `${e.message}${typeof e.code === 'string' ? ` (${e.code})` : ''}`
    : undefined
}

/**
 * Asks this site for a challenge bound to its own domain.
 *
 * @throws {Error} with a plain message when the server refuses or answers something else.
 */
export async function requestPresentation(): Promise<PresentationRequestView> {
  const { status, json } = await postJson(CHALLENGES_URL, {})
  const request = status === 201 ? asPresentationRequest(json) : undefined
  if (request === undefined) {
    throw new Error(firstError(json) ?? `The server answered HTTP ${status}.`)
  }
  return request
}

/**
 * Sends `presentation` (parsed JSON) to be checked against `request`: the server consumes the
 * challenge (once) and answers the holder binding.
 */
export async function submitPresentation(
  presentation: unknown,
  request: PresentationRequestView,
): Promise<HolderBindingView | { error: string }> {
  try {
    const { status, json } = await postJson(PRESENTATION_URL, {
      verifiablePresentation: presentation,
      challenge: request.challenge,
      domain: request.domain,
    })
    if (status !== 200 && status !== 422) {
      return { error: firstError(json) ?? `HTTP ${status}.` }
    }
    const binding = asHolderBinding(
      (json as { holderBinding?: unknown } | undefined)?.holderBinding,
    )
    return binding ?? { error: 'The server gave an unexpected answer.' }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}
