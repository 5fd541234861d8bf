/**
 * Where status lists live: `<baseUrl>/<purpose>/<listNumber>`, and the
 * `BitstringStatusListEntry` objects that point into them (internal).
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistentry
 * @module
 */
import { CertifyError, type BitstringStatusListEntry } from '@certify-vc/context'
import { MESSAGE_STATUS_SIZE } from './registry/sqlite-migrations.js'
import type { StatusPurpose } from './registry/types.js'

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])
const MAX_BASE_URL_LENGTH = 1024

/**
 * Checks a status base URL and returns it without a trailing slash: https (plain http only on a
 * loopback host, for local tests), no credentials, query or fragment.
 *
 * @throws {TypeError} when `value` is not a string.
 * @throws {CertifyError} `ERR_ISSUE_INVALID_INPUT` for any other URL.
 */
export function checkBaseUrl(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`"${what}" must be a string.`)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new CertifyError('ERR_ISSUE_INVALID_INPUT', `"${what}" is not a URL.`)
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
  if (
    (url.protocol !== 'https:' && !loopbackHttp) ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== '' ||
    value.includes('?') ||
    value.includes('#') ||
    value.length > MAX_BASE_URL_LENGTH
  ) {
    throw new CertifyError(
      'ERR_ISSUE_INVALID_INPUT',
      `"${what}" must be an https URL without credentials, query or fragment (http only on localhost).`,
    )
  }
  return url.href.replace(/\/+$/, '')
}

/** The URL of one status list credential. */
export function statusListUrl(baseUrl: string, purpose: StatusPurpose, listNumber: number): string {
  return `${baseUrl}/${purpose}/${listNumber}`
}

/**
 * Checks a program's status messages: exactly 2^statusSize (4) one-line texts, one per status
 * value 0x0–0x3, as the Bitstring Status List requires ("the length of [statusMessage] MUST equal
 * the number of possible status messages indicated by statusSize").
 *
 * @throws {TypeError} otherwise.
 */
export function checkStatusMessages(value: unknown, what: string): string[] {
  const count = 2 ** MESSAGE_STATUS_SIZE
  if (
    !Array.isArray(value) ||
    value.length !== count ||
    !value.every((m) => typeof m === 'string' && m.trim() !== '' && m.length <= 200)
  ) {
    throw new TypeError(
      `"${what}" must be ${count} messages (1 to 200 characters), one per status value 0x0–0x${(count - 1).toString(16)}.`,
    )
  }
  return value as string[]
}

/**
 * The credential's status entries: revocation, then suspension when enabled, then the message
 * entry (`statusSize` 2, the program's `messages`) when given; all at the same index.
 */
export function statusEntries(
  baseUrl: string,
  listNumber: number,
  index: number,
  suspension: boolean,
  messages?: readonly string[],
): BitstringStatusListEntry | BitstringStatusListEntry[] {
  const entry = (purpose: StatusPurpose): BitstringStatusListEntry => {
    const listUrl = statusListUrl(baseUrl, purpose, listNumber)
    return {
      id: `${listUrl}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: purpose,
      statusListIndex: String(index),
      statusListCredential: listUrl,
      ...(purpose === 'message'
        ? {
            statusSize: MESSAGE_STATUS_SIZE,
            statusMessage: (messages ?? []).map((message, value) => ({
              status: `0x${value.toString(16)}`,
              message,
            })),
          }
        : {}),
    }
  }
  const entries = [entry('revocation')]
  if (suspension) entries.push(entry('suspension'))
  if (messages !== undefined) entries.push(entry('message'))
  return entries.length === 1 ? (entries[0] as BitstringStatusListEntry) : entries
}
