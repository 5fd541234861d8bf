/**
 * The status lists the server hosts: signed from the registry with the current key, kept in
 * memory, re-signed after every status change and whenever older than their `ttl`.
 *
 * @module
 */
import {
  publishStatusLists,
  type BitstringStatusListCredential,
  type IssuerKey,
  type StatusRegistry,
} from '@certify-vc/issuer'

/** How long a verifier may cache a list (seconds): short, so that revocations show quickly. */
export const STATUS_TTL_SECONDS = 300
/** How long a published list stays valid (seconds). */
export const STATUS_VALID_FOR_SECONDS = 7 * 86_400

/** The hosted lists. */
export interface StatusLists {
  /** `<publicBaseUrl>/status` */
  readonly baseUrl: string
  /** The signed list credential at `url`, (re)published when needed; undefined if none. */
  get(url: string): Promise<BitstringStatusListCredential | undefined>
  /** Re-signs every list now (after a status change; before replying). */
  publish(): Promise<void>
}

/** Creates the hosted lists over `registry`; `key()` gives the current signing key. */
export function createStatusLists(
  registry: StatusRegistry,
  key: () => IssuerKey,
  publicBaseUrl: string,
): StatusLists {
  const baseUrl = `${publicBaseUrl}/status`
  let published = new Map<string, BitstringStatusListCredential>()
  let publishedAt = 0
  let pending: Promise<void> | undefined

  async function publish(): Promise<void> {
    const lists = await publishStatusLists({
      registry,
      key: key(),
      baseUrl,
      ttlSeconds: STATUS_TTL_SECONDS,
      validForSeconds: STATUS_VALID_FOR_SECONDS,
    })
    published = new Map(lists.map((l) => [l.url, l.credential]))
    publishedAt = Date.now()
  }

  async function fresh(): Promise<void> {
    if (Date.now() - publishedAt < (STATUS_TTL_SECONDS * 1000) / 2) return
    pending ??= publish().finally(() => {
      pending = undefined
    })
    await pending
  }

  async function get(url: string): Promise<BitstringStatusListCredential | undefined> {
    await fresh()
    if (!published.has(url)) {
      // A list created since the last publication (a new list number)? Re-sign only then, so
      // that requests for absent lists cannot make the server sign over and over.
      const match = /\/(revocation|suspension|message)\/(\d+)$/.exec(url)
      const lists = match === null ? [] : await registry.readStatusLists()
      const exists = lists.some(
        (l) =>
          String(l.listNumber) === match?.[2] &&
          l.purposes.includes(match[1] as 'revocation' | 'suspension' | 'message'),
      )
      if (exists) await publish()
    }
    return published.get(url)
  }

  return {
    baseUrl,
    get,
    async publish() {
      await (pending ?? Promise.resolve())
      await publish()
    },
  }
}
