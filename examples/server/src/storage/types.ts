/**
 * The server's storage, one interface per concern: issued credentials (with the issue claims
 * that make issuing idempotent and crash-safe, and the public directory), presentation
 * challenges, and the signed status lists. SQLite (`sqlite-storage.ts`, the default) and
 * PostgreSQL (`postgres-storage.ts`, for several instances) implement the same interfaces and
 * pass the same test suite. Every write has committed durably when its promise resolves.
 *
 * @module
 */
import type { StoredChallenge } from '@certify-vc/verifier'

/** One issued credential, as the server remembers it. */
export interface IssuedRecord {
  readonly credentialId: string
  readonly verificationMethod: string
  /** ISO 8601 UTC. */
  readonly issuedAt: string
  /** ISO date-time or null (no end of validity). */
  readonly validUntil: string | null
  /** Whether the registry manages its status (the server added the status entry). */
  readonly managedStatus: boolean
}

/**
 * Where an issue request stands.
 * - `pending`: an instance is issuing it (or died doing so: see `claimedAt`).
 * - `issued`: done; the signed credential is stored and is what every retry gets.
 * - `abandoned`: pending for too long; its status index is voided (`voided`), nothing was
 *   delivered.
 */
export type IssueState = 'pending' | 'issued' | 'abandoned'

/** The claim an issue request takes before it allocates anything. */
export interface IssueClaim {
  /** The id the credential gets: given by the caller, or generated when the claim was made. */
  readonly credentialId: string
  /** The caller's `Idempotency-Key`, if it sent one. */
  readonly idempotencyKey: string | null
  /** SHA-256 of the route and the request body: a retry must send the same request. */
  readonly fingerprint: string
  readonly state: IssueState
  /** A random token of the attempt that holds the claim. */
  readonly owner: string
  /** When the current owner claimed it, ms since the epoch. */
  readonly claimedAt: number
  /** For `abandoned`: whether its status allocation has been voided in the registry. */
  readonly voided: boolean
}

/** A claim to make. */
export interface NewIssueClaim {
  readonly credentialId: string
  readonly idempotencyKey?: string
  readonly fingerprint: string
  readonly owner: string
  /** ms since the epoch. */
  readonly now: number
}

/** Issued credentials, issue claims and the public directory. */
export interface CredentialStore {
  /**
   * Makes a pending claim, unless a claim already holds this credential id or idempotency key
   * (the database's uniqueness decides between concurrent callers, on any instance). Returns
   * `{ claimed: true }` with the new claim, or `{ claimed: false }` with the one that exists
   * (the one with the idempotency key first).
   */
  claim(input: NewIssueClaim): Promise<{ claimed: boolean; claim: IssueClaim }>
  /**
   * Takes over the pending claim of `credentialId` when it was claimed before `staleBefore`
   * (its owner died or hangs), in one conditional update. The claim, or `undefined` when it is
   * no longer pending or is fresh.
   */
  takeOver(
    credentialId: string,
    owner: string,
    staleBefore: number,
    now: number,
  ): Promise<IssueClaim | undefined>
  /** Points `owner`'s pending claim at another credential id. `false` when not the owner. */
  reassign(credentialId: string, owner: string, newCredentialId: string): Promise<boolean>
  /** Drops `owner`'s pending claim (the issue failed; nothing was delivered). */
  release(credentialId: string, owner: string): Promise<void>
  /**
   * Records the signed credential (and, with `listed`, its public-directory entry) and marks
   * `owner`'s claim issued, in one transaction. `false`, with nothing written, when `owner` no
   * longer holds a pending claim (another attempt took it over): the caller must not deliver.
   */
  complete(
    owner: string,
    record: IssuedRecord,
    document: unknown,
    listed: boolean,
  ): Promise<boolean>
  /** The claim of a credential id, if any. */
  getClaim(credentialId: string): Promise<IssueClaim | undefined>
  /** Marks every pending claim claimed before `before` as abandoned; returns them. */
  abandonStale(before: number): Promise<IssueClaim[]>
  /** Abandoned claims whose status allocation is not yet voided (at most `limit`). */
  abandonedToVoid(limit: number): Promise<IssueClaim[]>
  /** Records that the abandoned claim's allocation is voided. */
  markVoided(credentialId: string): Promise<void>
  getIssued(credentialId: string): Promise<IssuedRecord | undefined>
  /** The signed credential as delivered, or `undefined` (unknown, or issued before it was kept). */
  getCredential(credentialId: string): Promise<unknown>
  /** The public-directory copy of a credential, or `undefined` when not listed. */
  directoryCredential(credentialId: string): Promise<unknown>
  /**
   * Lists (`listed: true`) or unlists a credential issued here in the public directory, at once
   * for every instance: the learner's choice (issue 16 item 2, issue 19). Listing copies the
   * stored signed credential with its index entry (`directory-index.ts`); listing again keeps
   * the first listing, unlisting what is not listed does nothing. `false`, with nothing
   * written, when no signed credential with this id is stored here.
   */
  setListed(credentialId: string, listed: boolean, at: Date): Promise<boolean>
  /**
   * The listed credentials whose holder's name key (`directoryNameKey`) and achievement id are
   * exactly these, at most `limit`, in the order they were listed. Nothing unlisted is ever
   * read.
   */
  searchDirectory(query: DirectoryQuery): Promise<DirectoryEntry[]>
  /** Credential ids signed by `verificationMethod`, still valid at `now`. */
  outstandingCredentials(verificationMethod: string, now: Date): Promise<string[]>
}

/** A search of the public directory: whole-name key and achievement, exactly. */
export interface DirectoryQuery {
  readonly nameKey: string
  readonly achievementId: string
  readonly limit: number
}

/** One listed credential. */
export interface DirectoryEntry {
  readonly credentialId: string
  readonly document: unknown
}

/**
 * Who asked for a challenge, at two widths: the client (an IPv4 address, an IPv6 /64) and its
 * network (an IPv4 /24, an IPv6 /48), so that caps can be shared out per population.
 */
export interface ClientBuckets {
  readonly client: string
  readonly network: string
}

/**
 * Presentation challenges, shared by every instance (what a `ChallengeStorage` of
 * `@certify-vc/verifier` runs on). `markUsed` is one atomic statement.
 */
export interface ChallengeRecords {
  insert(record: StoredChallenge, buckets: ClientBuckets): Promise<void>
  /**
   * Marks the challenge used if it is stored and unused; returns the record as it was before
   * (with `usedAt` when it had been used already), or `undefined` when not stored.
   */
  markUsed(challenge: string, usedAt: number): Promise<StoredChallenge | undefined>
  /** Unused challenges that expire after `now`. */
  countOutstanding(now: number): Promise<number>
  /** Unused challenges that expire after `now`, of this client and of its network. */
  countOutstandingFor(
    buckets: ClientBuckets,
    now: number,
  ): Promise<{ client: number; network: number }>
  /** Forgets challenges that expired at or before `before`. */
  deleteExpired(before: number): Promise<void>
}

/** A signed status list as stored for every instance to serve. */
export interface StoredStatusList {
  /** The list's URL (its `id`). */
  readonly url: string
  /** The registry revision of the list and purpose that was signed. */
  readonly revision: number
  /** A fingerprint of the signing settings (key, ttl, validity). */
  readonly settings: string
  /** `validUntil` of the signed list, ms since the epoch. */
  readonly validUntil: number
  /** The signed `BitstringStatusListCredential`. */
  readonly document: unknown
}

/** The signed status lists, so that every instance serves the newest one signed. */
export interface StatusListDocuments {
  get(url: string): Promise<StoredStatusList | undefined>
  /** Stores `list` unless a list of a higher revision is stored for its URL already. */
  put(list: StoredStatusList): Promise<void>
}

/** Which protocol claimed an offer. */
export type OfferProtocol = 'oid4vci' | 'vc-api'

/**
 * A credential offer as stored: one program for one learner, claimable once, by one holder, until
 * it expires. Nothing is allocated in the status registry until it is claimed.
 */
export interface OfferRecord {
  /** 128 random bits, base64url: names the offer (claim page, VC API exchange). */
  readonly offerId: string
  readonly program: string
  /** The issue request (recipient, format, suspension, directory) as JSON, checked when made. */
  readonly request: Readonly<Record<string, unknown>>
  /** The OpenID4VCI pre-authorized code (256 random bits, base64url), single use. */
  readonly preAuthorizedCode: string
  /** SHA-256 of the transaction code (salted with the offer id), or null when none is asked. */
  readonly txCodeHash: string | null
  /** Wrong transaction codes sent so far. */
  readonly txCodeFailures: number
  /** ms since the epoch. */
  readonly createdAt: number
  readonly expiresAt: number
  /** When the pre-authorized code was redeemed for an access token. */
  readonly codeRedeemedAt: number | null
  /** The challenge of the VC API exchange's current presentation request. */
  readonly exchangeChallenge: string | null
  /** The holder DID the credential is (being) issued to: set once, never changed. */
  readonly holder: string | null
  readonly claimedVia: OfferProtocol | null
  /** The issued credential's id, once claimed. */
  readonly credentialId: string | null
  readonly claimedAt: number | null
  /** The `Idempotency-Key` it was made with, or null. */
  readonly idempotencyKey: string | null
  /** SHA-256 of the route and body of the request that made it (with a key), or null. */
  readonly fingerprint: string | null
}

/** An offer to store. */
export type NewOffer = Pick<
  OfferRecord,
  'offerId' | 'program' | 'request' | 'preAuthorizedCode' | 'txCodeHash' | 'createdAt' | 'expiresAt'
> &
  Partial<Pick<OfferRecord, 'idempotencyKey' | 'fingerprint'>>

/** What {@link OfferStore.create} did. */
export type CreateOfferOutcome =
  | { readonly created: true }
  /** An offer with the same idempotency key exists already (made by this or another request). */
  | { readonly created: false; readonly existing: OfferRecord }

/** The outcome of {@link OfferStore.redeemCode}. */
export type RedeemOutcome =
  | { readonly outcome: 'redeemed'; readonly offer: OfferRecord }
  | {
      readonly outcome:
        | 'unknown'
        | 'expired'
        | 'used'
        | 'tx-code-missing'
        | 'tx-code-unexpected'
        | 'tx-code-mismatch'
        | 'tx-code-locked'
    }

/**
 * Credential offers (OpenID4VCI and VC API exchanges), their access tokens and the OpenID4VCI
 * nonces, shared by every instance: each single-use step is decided by the database.
 */
export interface OfferStore {
  /**
   * Stores an offer, unless one with the same `idempotencyKey` exists: then nothing is stored and
   * the existing one is returned (the database's unique key decides between concurrent requests
   * on any instance).
   */
  create(offer: NewOffer): Promise<CreateOfferOutcome>
  /**
   * Replaces the transaction code hash of an offer that asks for one, is unexpired at `now`,
   * unredeemed and bound to no holder (a retry of the request that made it: the code is shown
   * only once and the server keeps only its hash). `false`, with nothing changed, otherwise.
   * Wrong codes already counted stay counted.
   */
  replaceTxCode(offerId: string, txCodeHash: string, now: number): Promise<boolean>
  get(offerId: string): Promise<OfferRecord | undefined>
  /**
   * Redeems a pre-authorized code, in one transaction (row-locked on PostgreSQL): the code must
   * be known, unexpired at `now`, not redeemed, its offer not bound to a holder, and its
   * transaction code hash must match (`txCodeHashOf` gives the hash of what the wallet sent, or
   * `undefined` when it sent none). A wrong code counts; at `maxTxCodeFailures` the offer is
   * locked. A transaction code sent for an offer that asks none is refused too. On success the access token (its SHA-256) is stored with its expiry.
   */
  redeemCode(input: {
    readonly preAuthorizedCode: string
    readonly txCodeHashOf: (offerId: string) => string | undefined
    readonly maxTxCodeFailures: number
    readonly accessTokenHash: string
    readonly accessTokenExpiresAt: number
    readonly now: number
  }): Promise<RedeemOutcome>
  /** The offer of an unexpired access token (by its SHA-256), or `undefined`. */
  offerForAccessToken(accessTokenHash: string, now: number): Promise<OfferRecord | undefined>
  /** Records the challenge of the exchange's presentation request (an unclaimed offer only). */
  setExchangeChallenge(offerId: string, challenge: string): Promise<boolean>
  /**
   * Binds the offer to `holder` (once: a second call with the same holder and protocol succeeds
   * again, any other fails) unless it is claimed. `vc-api` also requires the pre-authorized code
   * to be unredeemed (a wallet is in the middle of OpenID4VCI otherwise).
   */
  bindHolder(offerId: string, holder: string, via: OfferProtocol): Promise<boolean>
  /** Records the issued credential of a bound offer. */
  markClaimed(offerId: string, credentialId: string, now: number): Promise<void>
  /** Stores an OpenID4VCI `c_nonce`. */
  putNonce(nonce: string, expiresAt: number): Promise<void>
  /** Uses a nonce once: `true` only for a stored, unused nonce unexpired at `now`. */
  useNonce(nonce: string, now: number): Promise<boolean>
  /** Forgets nonces and access tokens that expired before `before`. */
  deleteExpired(before: number): Promise<void>
}

/** Everything the server keeps. */
export interface ServerStorage {
  readonly backend: 'sqlite' | 'postgres'
  readonly credentials: CredentialStore
  readonly challenges: ChallengeRecords
  readonly statusLists: StatusListDocuments
  readonly offers: OfferStore
  /** Releases the storage. Idempotent. */
  close(): Promise<void>
}

/** A failure of the server's database (HTTP 503: the request may be retried). */
export class StorageError extends Error {
  readonly statusCode = 503
  constructor(doing: string, cause: unknown) {
    const code = (cause as { code?: unknown } | null)?.code
    super(
      `The server's storage could not ${doing}${typeof code === 'string' ? ` (${code})` : ''}.`,
      { cause },
    )
    this.name = 'StorageError'
  }
}
