/**
 * Credential offers: one program for one learner, claimable once (by OpenID4VCI or by a VC API
 * exchange), by one holder, until the offer expires. Making an offer checks the request and
 * stores it; nothing is allocated in the status registry until the learner's wallet claims it.
 * Claiming issues through the same code path as `POST /certify/credentials` (status entries,
 * self-check), exactly once per offer on any instance (`issueOnce` with the offer as its key), to
 * the DID the wallet proved it controls.
 *
 * Possession of the claim page's URL (or of the offer URI) is what lets a wallet claim: the
 * offer is a bearer secret, delivered to the learner. An offer with a transaction code also needs
 * that code, sent out of band; such an offer has no VC API exchange (the Learner Credential Wallet
 * has no way to ask for the code), so it can only be claimed through OpenID4VCI.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto'
import {
  CATALOG,
  isPlainObject,
  problem,
  type Problem,
  type ProgramCode,
} from '@certify-vc/context'
import { buildCredential, type Recipient } from '@certify-vc/issuer'
import { problemOf } from '../errors.js'
import { issueOnce, type IssueAnswer } from '../issuing/idempotent-issue.js'
import { issueProgram } from '../issuing/routes.js'
import type { Services } from '../services.js'
import type { OfferProtocol, OfferRecord } from '../storage/types.js'

/** Where offers are made (bearer token). */
export const OFFERS_PATH = '/certify/offers'
/** The claim page of an offer: `/certify/claim/<offer id>`. */
export const CLAIM_PATH = '/certify/claim'
/** The VC API exchange of an offer: `/certify/exchanges/<offer id>`. */
export const EXCHANGES_PATH = '/certify/exchanges'
/** The OpenID4VCI endpoints. */
export const OID4VCI_PATHS = {
  token: '/oid4vci/token',
  nonce: '/oid4vci/nonce',
  credential: '/oid4vci/credential',
  /** `credential_offer_uri` targets: `/oid4vci/offers/<offer id>`. */
  offers: '/oid4vci/offers',
} as const
/** The pre-authorized code grant. */
export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code'
/** The Learner Credential Wallet's universal link for a credential request. */
export const LCW_REQUEST_URL = 'https://lcw.app/request.html'

/** How long an offer stays claimable by default (24 h), and at most (14 days). */
export const DEFAULT_OFFER_SECONDS = 86_400
export const MAX_OFFER_SECONDS = 14 * 86_400
/** How long an access token and a nonce are accepted. */
export const ACCESS_TOKEN_SECONDS = 300
export const NONCE_SECONDS = 300
/** Wrong transaction codes accepted before an offer is locked. */
export const MAX_TX_CODE_FAILURES = 5
/** Digits of a transaction code. */
export const TX_CODE_LENGTH = 6

/** The route name the claim's idempotency fingerprint uses. */
const CLAIM_ROUTE = `${OFFERS_PATH}/claim`

const MEMBERS = new Set([
  'program',
  'recipient',
  'txCode',
  'expiresInSeconds',
  'suspension',
  'publicDirectory',
])
const RECIPIENT_MEMBERS = new Set(['name', 'email'])

/** 128 (or more) random bits, base64url. */
export function randomToken(bytes = 16): string {
  return randomBytes(bytes).toString('base64url')
}

/** SHA-256 hex of `text`. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** The stored hash of a transaction code (salted with the offer id). */
export function txCodeHash(offerId: string, code: string): string {
  return sha256(`certify-vc tx_code\u0000${offerId}\u0000${code}`)
}

/** A checked `POST /certify/offers` body. */
export interface OfferRequest {
  readonly program: ProgramCode
  readonly recipient: { readonly name?: string; readonly email?: string }
  readonly txCode: boolean
  readonly expiresInSeconds: number
  readonly suspension: boolean
  readonly publicDirectory: boolean
}

function bad(message: string, path?: string): Problem {
  return problem('ERR_SERVER_BAD_REQUEST', message, path)
}

/**
 * Checks an offer request's shape and values (program, recipient; the DID comes from the wallet
 * at claim time), before anything is stored. A problem with the HTTP status to answer, or the
 * request.
 */
export function checkOfferRequest(
  body: unknown,
  issuerDid: string,
): OfferRequest | { status: number; problem: Problem } {
  const refuse = (message: string, path?: string) => ({ status: 400, problem: bad(message, path) })
  if (!isPlainObject(body)) return refuse('The body must be an object.')
  const unknown = Object.keys(body).find((k) => !MEMBERS.has(k))
  if (unknown !== undefined) {
    return refuse(
      unknown === 'did' || unknown === 'format'
        ? `"${unknown}" is not taken: the holder's DID comes from the wallet, and offers are VC 2.0.`
        : `Unknown member "${unknown}".`,
      `/${unknown}`,
    )
  }
  if (typeof body.program !== 'string') return refuse('"program" must be a string.', '/program')
  const recipient = body.recipient
  if (!isPlainObject(recipient)) return refuse('"recipient" must be an object.', '/recipient')
  for (const [name, value] of Object.entries(recipient)) {
    if (!RECIPIENT_MEMBERS.has(name) || typeof value !== 'string') {
      return refuse(
        name === 'did'
          ? '"recipient.did" is not taken: the credential is issued to the DID the wallet proves.'
          : '"recipient" takes name and email, as strings.',
        `/recipient/${name}`,
      )
    }
  }
  if (recipient.name === undefined && recipient.email === undefined) {
    return refuse(
      '"recipient" needs a name or an email (to know who the offer is for).',
      '/recipient',
    )
  }
  for (const name of ['txCode', 'suspension', 'publicDirectory'] as const) {
    if (body[name] !== undefined && typeof body[name] !== 'boolean') {
      return refuse(`"${name}" must be a boolean.`, `/${name}`)
    }
  }
  const seconds = body.expiresInSeconds ?? DEFAULT_OFFER_SECONDS
  if (
    !Number.isSafeInteger(seconds) ||
    (seconds as number) < 60 ||
    (seconds as number) > MAX_OFFER_SECONDS
  ) {
    return refuse(
      `"expiresInSeconds" must be an integer from 60 to ${MAX_OFFER_SECONDS} (14 days).`,
      '/expiresInSeconds',
    )
  }
  // The values the issuer checks (program code, name, email), with a stand-in for the DID the
  // wallet will prove: a bad request is refused now, not when the learner claims.
  try {
    buildCredential({
      program: body.program,
      recipient: { ...(recipient as Recipient), did: issuerDid },
      issuerDid,
    })
  } catch (error) {
    const p = problemOf(error)
    if (p !== undefined) return { status: 422, problem: p }
    if (error instanceof TypeError) return refuse(error.message)
    throw error
  }
  return {
    program: body.program as ProgramCode,
    recipient,
    txCode: body.txCode === true,
    expiresInSeconds: seconds as number,
    suspension: body.suspension === true,
    publicDirectory: body.publicDirectory === true,
  }
}

/** The credential offer object (OpenID4VCI 1.0 §4.1.1; draft 13 reads the same members). */
export function credentialOfferOf(
  offer: Pick<OfferRecord, 'program' | 'preAuthorizedCode' | 'txCodeHash'>,
  issuer: string,
): Record<string, unknown> {
  return {
    credential_issuer: issuer,
    credential_configuration_ids: [offer.program, jwtConfigurationId(offer.program)],
    grants: {
      [PRE_AUTHORIZED_GRANT]: {
        'pre-authorized_code': offer.preAuthorizedCode,
        ...(offer.txCodeHash === null
          ? {}
          : {
              tx_code: {
                input_mode: 'numeric',
                length: TX_CODE_LENGTH,
                description: 'The code the Production AI Institute sent you with this offer.',
              },
            }),
      },
    },
  }
}

/** Everything a learner (or the Institute's mail) needs to claim an offer. */
export interface OfferLinks {
  readonly offerId: string
  readonly program: string
  /** `openid-credential-offer://?credential_offer=…` (the offer by value). */
  readonly offerUri: string
  /** The same offer by reference: `openid-credential-offer://?credential_offer_uri=…`. */
  readonly offerByReferenceUri: string
  readonly credentialOffer: Record<string, unknown>
  /** The VC API exchange (absent when a transaction code is required). */
  readonly exchangeUrl?: string
  /** The Learner Credential Wallet's deep link to the exchange (absent likewise). */
  readonly lcwDeepLink?: string
  /** The learner's page: program, issuer, QR codes and same-device links. */
  readonly claimUrl: string
  /** ISO 8601. */
  readonly expiresAt: string
}

/** The links of an offer, under the server's public base URL. */
export function offerLinks(offer: OfferRecord, base: string): OfferLinks {
  const credentialOffer = credentialOfferOf(offer, base)
  const id = encodeURIComponent(offer.offerId)
  const byReference = `${base}${OID4VCI_PATHS.offers}/${id}`
  const exchangeUrl = offer.txCodeHash === null ? `${base}${EXCHANGES_PATH}/${id}` : undefined
  return {
    offerId: offer.offerId,
    program: offer.program,
    offerUri: `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(credentialOffer))}`,
    offerByReferenceUri: `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(byReference)}`,
    credentialOffer,
    ...(exchangeUrl === undefined
      ? {}
      : { exchangeUrl, lcwDeepLink: lcwDeepLinkOf(exchangeUrl, base) }),
    claimUrl: `${base}${CLAIM_PATH}/${id}`,
    expiresAt: new Date(offer.expiresAt).toISOString(),
  }
}

/**
 * The Learner Credential Wallet's deep link: its universal link with a `request` parameter
 * holding `{credentialRequestOrigin, protocols: {vcapi}}` (the CHAPI-style request the wallet's
 * deep-link handler parses and whose `protocols.vcapi` exchange it then drives).
 */
export function lcwDeepLinkOf(exchangeUrl: string, base: string): string {
  const request = {
    credentialRequestOrigin: new URL(base).origin,
    protocols: { vcapi: exchangeUrl },
  }
  return `${LCW_REQUEST_URL}?request=${encodeURIComponent(JSON.stringify(request))}`
}

/** A new transaction code: {@link TX_CODE_LENGTH} random digits. */
function newTxCode(): string {
  return String(randomBytes(4).readUInt32BE(0) % 10 ** TX_CODE_LENGTH).padStart(TX_CODE_LENGTH, '0')
}

/** What {@link createOffer} did. */
export type CreateOfferResult =
  | {
      /** `made`: a new offer; `replayed`: the offer an earlier request with this key made. */
      readonly kind: 'made' | 'replayed'
      readonly offer: OfferRecord
      /**
       * The transaction code, shown this once. On a replay it is a new code replacing the
       * earlier one (the server keeps only a hash), absent when the offer is claimed, being
       * claimed or expired.
       */
      readonly txCode?: string
    }
  /** The idempotency key was used for a different request. */
  | { readonly kind: 'conflict' }

/**
 * Makes and stores an offer; returns its record and, once, its transaction code. With an
 * `Idempotency-Key` (checked by `idempotencyKeyOf`) the offer is made at most once per key on
 * any instance: a retry of the same request (same `fingerprint`) gets the same offer back, and a
 * different request with the key gets `conflict`. A retry of an offer with a transaction code
 * gets a new code, and the earlier one stops working: whoever retries did not get the first
 * answer, and the server cannot show a code twice.
 */
export async function createOffer(
  services: Services,
  request: OfferRequest,
  idempotency?: { readonly key: string; readonly fingerprint: string },
  now = Date.now(),
): Promise<CreateOfferResult> {
  const offerId = randomToken(16)
  const txCode = request.txCode ? newTxCode() : undefined
  const offer: OfferRecord = {
    offerId,
    program: request.program,
    request: {
      recipient: request.recipient,
      suspension: request.suspension,
      publicDirectory: request.publicDirectory,
    },
    preAuthorizedCode: randomToken(32),
    txCodeHash: txCode === undefined ? null : txCodeHash(offerId, txCode),
    txCodeFailures: 0,
    createdAt: now,
    expiresAt: now + request.expiresInSeconds * 1000,
    codeRedeemedAt: null,
    exchangeChallenge: null,
    holder: null,
    claimedVia: null,
    credentialId: null,
    claimedAt: null,
    idempotencyKey: idempotency?.key ?? null,
    fingerprint: idempotency?.fingerprint ?? null,
  }
  const stored = await services.storage.offers.create(offer)
  if (stored.created) return { kind: 'made', offer, ...(txCode === undefined ? {} : { txCode }) }
  const existing = stored.existing
  if (existing.fingerprint !== idempotency?.fingerprint) return { kind: 'conflict' }
  if (existing.txCodeHash === null) return { kind: 'replayed', offer: existing }
  const replacement = newTxCode()
  const replaced = await services.storage.offers.replaceTxCode(
    existing.offerId,
    txCodeHash(existing.offerId, replacement),
    now,
  )
  return { kind: 'replayed', offer: existing, ...(replaced ? { txCode: replacement } : {}) }
}

/** What claiming an offer gave. */
export type ClaimOutcome =
  | {
      readonly kind: 'issued'
      readonly credential: Record<string, unknown>
      readonly replayed: boolean
    }
  | { readonly kind: 'claimed-by-another' }
  | { readonly kind: 'failed'; readonly status: number; readonly problems: readonly Problem[] }

/**
 * Issues the offer's credential to `holder` (a DID the wallet proved it controls), once: the
 * offer is bound to the first holder that claims it; the same holder claiming again (its answer
 * was lost) gets the same credential; anyone else is refused. Issuing is `issueOnce` keyed by the
 * offer, so of concurrent claims on any instance one issues and a retry gets its result.
 */
export async function claimOffer(
  services: Services,
  leaseSeconds: number,
  offer: OfferRecord,
  holder: string,
  via: OfferProtocol,
): Promise<ClaimOutcome> {
  const mine = offer.holder === holder && offer.claimedVia === via
  if (!mine && !(await services.storage.offers.bindHolder(offer.offerId, holder, via))) {
    return { kind: 'claimed-by-another' }
  }
  const stored = offer.request as {
    recipient: { name?: string; email?: string }
    suspension?: boolean
    publicDirectory?: boolean
  }
  const answer: IssueAnswer = await issueOnce(
    { store: services.store, leaseSeconds },
    {
      route: CLAIM_ROUTE,
      body: { offer: offer.offerId, holder },
      idempotencyKey: `offer:${offer.offerId}`,
    },
    (credentialId, context) =>
      issueProgram(
        services,
        {
          program: offer.program,
          recipient: { ...stored.recipient, did: holder },
          format: 'vc2',
          suspension: stored.suspension === true,
          listed: stored.publicDirectory === true,
        },
        credentialId,
        context,
      ),
  )
  if (answer.status === 200 || answer.status === 201) {
    const credential = answer.body.verifiableCredential as Record<string, unknown>
    await services.storage.offers.markClaimed(offer.offerId, String(credential.id), Date.now())
    return { kind: 'issued', credential, replayed: answer.status === 200 }
  }
  const errors = answer.body.errors
  return {
    kind: 'failed',
    status: answer.status,
    problems: Array.isArray(errors) ? (errors as Problem[]) : [],
  }
}

/** The configuration id of a program's VC-JWT credential (the Data Integrity one is the code). */
export function jwtConfigurationId(program: string): string {
  return `${program}-jwt`
}

/** The catalog's display data of a program (names, description, badge image). */
export function programDisplay(code: string): {
  name: string
  description: string
  image: string
  issuer: string
  issuerLogo: string
} {
  const program = CATALOG.programs[code as ProgramCode]
  return {
    name: program.name,
    description: program.description,
    image: program.image,
    issuer: CATALOG.institute.name,
    issuerLogo: CATALOG.institute.image,
  }
}
