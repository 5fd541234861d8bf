/**
 * The client side of the Institute's `POST /certify/offers`, shared by `certify-vc offer` (one
 * learner) and its roster mode (a cohort): the server option, the request, and the answer or
 * refusal read back as plain data.
 *
 * @module
 */
import { isPlainObject } from '@certify-vc/context'
import { UsageError } from './usage.js'

/** The environment variables read for the server and its token. */
export const OFFER_SERVER_ENV = 'CERTIFY_VC_SERVER'
export const OFFER_TOKEN_ENV = 'CERTIFY_VC_SERVER_TOKEN'

/** `--server`: https, or http on this machine; without a trailing slash. */
export function serverUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`--server ${value} is not a URL.`)
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new UsageError('--server must be https (http only for a server on this machine).')
  }
  return url.href.replace(/\/+$/, '')
}

/** The body of `POST /certify/offers`. */
export interface OfferRequestBody {
  readonly program: string
  readonly recipient: { readonly name?: string; readonly email?: string }
  readonly txCode?: true
  readonly expiresInSeconds?: number
  readonly suspension?: true
}

/** What the server answered, or that it could not be reached. */
export type OfferResponse =
  | {
      readonly kind: 'answer'
      readonly status: number
      /** The JSON body, when it was an object. */
      readonly body: Record<string, unknown> | undefined
      /** `Idempotent-Replayed: true`: the offer an earlier request with this key made. */
      readonly replayed: boolean
      /** `Retry-After` in seconds, when sent. */
      readonly retryAfterSeconds: number | undefined
    }
  | { readonly kind: 'unreachable'; readonly message: string }

/** Sends one offer request (with an `Idempotency-Key` when given). Never throws for the network. */
export async function postOffer(
  server: string,
  token: string,
  body: OfferRequestBody,
  idempotencyKey?: string,
): Promise<OfferResponse> {
  let response: Response
  try {
    response = await fetch(`${server}/certify/offers`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      },
      body: JSON.stringify(body),
      redirect: 'error',
    })
  } catch (error) {
    return { kind: 'unreachable', message: String(error) }
  }
  const answer: unknown = await response.json().catch(() => undefined)
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN)
  return {
    kind: 'answer',
    status: response.status,
    body: isPlainObject(answer) ? answer : undefined,
    replayed: response.headers.get('idempotent-replayed') === 'true',
    retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
  }
}

/** The `{code, message}` problems of a refusal's body (`{errors: [...]}`). */
export function refusalProblems(
  body: Record<string, unknown> | undefined,
): { code: string; message: string }[] {
  const errors = body !== undefined && Array.isArray(body.errors) ? body.errors : []
  return errors.filter(isPlainObject).map((e) => ({
    code: String(e.code),
    message: String(e.message),
  }))
}
