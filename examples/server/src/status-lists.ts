/**
 * The status lists the server hosts, consistent across instances: a list is served only as
 * signed for the registry's current revision of it (read from the shared registry on every
 * request), so a revocation made through any instance is in the next list any instance serves.
 * The signed list is stored in the database for the other instances and re-signed when its
 * revision, the signing key or the settings change, or when less than half of its validity is
 * left. Verifiers may cache a list for its `ttl` (`Cache-Control` says the same).
 *
 * @module
 */
import { createHash } from 'node:crypto'
import {
  publishStatusLists,
  type BitstringStatusListCredential,
  type IssuerKey,
  type StatusPurpose,
  type StatusRegistry,
} from '@certify-vc/issuer'
import { isCertifyError } from '@certify-vc/context'
import type { StatusListDocuments, StoredStatusList } from './storage/types.js'

interface ListTarget {
  readonly listNumber: number
  readonly purpose: StatusPurpose
}

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
  /** Signs now every list whose revision changed (after a status change; before replying). */
  publish(): Promise<void>
}

/** Creates the hosted lists over `registry`; `key()` gives the current signing key. */
export function createStatusLists(
  registry: StatusRegistry,
  documents: StatusListDocuments,
  key: () => IssuerKey,
  publicBaseUrl: string,
): StatusLists {
  const baseUrl = `${publicBaseUrl}/status`
  // What this process served last, per URL: a second look in the database is saved while the
  // registry revision is unchanged.
  const memo = new Map<string, StoredStatusList>()
  const signing = new Map<string, Promise<StoredStatusList | undefined>>()

  const settingsOf = (): string =>
    `sha256:${createHash('sha256')
      .update(
        JSON.stringify([key().verificationMethodId, STATUS_TTL_SECONDS, STATUS_VALID_FOR_SECONDS]),
      )
      .digest('hex')}`

  /** Whether `list` shows `revision`, was signed with these settings and has time left. */
  const usable = (
    list: StoredStatusList | undefined,
    revision: number,
    settings: string,
  ): list is StoredStatusList =>
    list !== undefined &&
    list.revision === revision &&
    list.settings === settings &&
    list.validUntil - Date.now() >= (STATUS_VALID_FOR_SECONDS * 1000) / 2

  function targetOf(url: string): ListTarget | undefined {
    if (!url.startsWith(`${baseUrl}/`)) return undefined
    const match = /^(revocation|suspension|message)\/([1-9]\d{0,8})$/.exec(
      url.slice(baseUrl.length + 1),
    )
    if (match === null) return undefined
    return { purpose: match[1] as StatusPurpose, listNumber: Number(match[2]) }
  }

  async function sign(
    url: string,
    target: ListTarget,
    revision: number,
    settings: string,
  ): Promise<StoredStatusList | undefined> {
    let published
    try {
      published = await publishStatusLists({
        registry,
        key: key(),
        // The URL this server answers for: a list recorded under another one is not served here.
        baseUrl,
        only: [target],
        ttlSeconds: STATUS_TTL_SECONDS,
        validForSeconds: STATUS_VALID_FOR_SECONDS,
      })
    } catch (error) {
      if (isCertifyError(error) && error.code === 'ERR_REGISTRY_URL_MISMATCH') return undefined
      throw error
    }
    const credential = published[0]?.credential
    if (credential === undefined) return undefined
    const list: StoredStatusList = {
      url,
      // Read before the lists were: a change in between shows as a newer revision next time.
      revision,
      settings,
      validUntil: Date.parse(credential.validUntil),
      document: credential,
    }
    await documents.put(list)
    return list
  }

  /**
   * The list at `url` as of the registry's current revision: from this process, else from the
   * database (signed by any instance), else signed now and stored for the others.
   */
  async function get(url: string): Promise<BitstringStatusListCredential | undefined> {
    const target = targetOf(url)
    if (target === undefined) return undefined
    const state = (await registry.readPublicationStates()).find(
      (s) => s.listNumber === target.listNumber && s.purpose === target.purpose,
    )
    if (state === undefined) return undefined
    const settings = settingsOf()
    const known = memo.get(url)
    if (usable(known, state.revision, settings)) {
      return known.document as BitstringStatusListCredential
    }
    const stored = await documents.get(url)
    let list: StoredStatusList | undefined = usable(stored, state.revision, settings)
      ? stored
      : undefined
    if (list === undefined) {
      // Concurrent requests for one list and revision share one signature in this process.
      const job = `${url}#${state.revision}`
      let pending = signing.get(job)
      if (pending === undefined) {
        pending = sign(url, target, state.revision, settings).finally(() => signing.delete(job))
        signing.set(job, pending)
      }
      list = await pending
    }
    if (list === undefined) return undefined
    memo.set(url, list)
    return list.document as BitstringStatusListCredential
  }

  return {
    baseUrl,
    get,
    async publish() {
      // Signs now whatever changed, so that the next reader (on any instance) finds it ready.
      for (const state of await registry.readPublicationStates()) {
        await get(`${baseUrl}/${state.purpose}/${state.listNumber}`)
      }
    },
  }
}
