/**
 * The learner a credential is for: checked, and turned into the Open Badges 3.0 subject's `id`
 * (a DID) and `identifier`s (a salted SHA-256 of the email, never the address; the name when
 * there is nothing else, as OB 3.0 requires an `id` or an `identifier`); and what the status
 * registry keeps of them.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto'
import {
  CertifyError,
  type OpenBadgeAchievementSubject,
  type OpenBadgeIdentityObject,
} from '@certify-vc/context'
import {
  checkOptionBag,
  hasControlCharacter,
  hasLoneSurrogate,
  isDid,
  optionalString,
} from './option-checks.js'
import type { RecipientSummary } from './registry/types.js'

/**
 * Who the credential is for. At least one of `name`, `did` or `email` is needed. A `did` becomes
 * `credentialSubject.id`; an `email` becomes a salted SHA-256 `identityHash` (never the address).
 *
 * @example
 * const recipient: Recipient = { name: 'Ada Lovelace', email: 'ada@example.org' }
 */
export interface Recipient {
  /** The learner's name as shown on the credential. */
  name?: string
  /** The learner's DID (`did:key:…`, `did:web:…`), not a DID URL. */
  did?: string
  /** The learner's email address: only its salted hash goes into the credential. */
  email?: string
}

const MAX_NAME_LENGTH = 512
const MAX_EMAIL_LENGTH = 254
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/

/** A trimmed text of at most 512 characters, without control characters or lone surrogates. */
export function checkText(
  value: string,
  what: string,
  code: 'ERR_ISSUE_RECIPIENT_INVALID' | 'ERR_ISSUE_INVALID_INPUT',
): string {
  const text = value.trim()
  if (text.length === 0) throw new CertifyError(code, `"${what}" must not be empty.`)
  if (text.length > MAX_NAME_LENGTH) {
    throw new CertifyError(code, `"${what}" must be at most ${MAX_NAME_LENGTH} characters.`)
  }
  if (hasControlCharacter(text) || hasLoneSurrogate(text)) {
    throw new CertifyError(code, `"${what}" holds control characters or unpaired surrogates.`)
  }
  return text
}

/** The normalized form of an email address that gets hashed: trimmed, NFC, lower case. */
function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase()
}

/** An OB 3.0 IdentityObject for an email: `sha256$` + hex SHA-256 of (address + salt). */
function emailIdentity(email: string): OpenBadgeIdentityObject {
  // 128 random bits per credential, so the address cannot be found by guessing (docs/attacks.md G8).
  const salt = randomBytes(16).toString('hex')
  const hash = createHash('sha256')
    .update(email + salt, 'utf8')
    .digest('hex')
  return {
    type: 'IdentityObject',
    identityHash: `sha256$${hash}`,
    identityType: 'emailAddress',
    hashed: true,
    salt,
  }
}

export function checkRecipient(value: unknown): {
  name?: string
  did?: string
  identifier?: OpenBadgeIdentityObject[]
} {
  checkOptionBag(value, 'recipient', ['name', 'did', 'email'])
  const name = optionalString(value.name, 'recipient.name')
  const did = optionalString(value.did, 'recipient.did')
  const email = optionalString(value.email, 'recipient.email')
  if (name === undefined && did === undefined && email === undefined) {
    throw new CertifyError(
      'ERR_ISSUE_RECIPIENT_INVALID',
      'The recipient needs a name, a DID or an email address.',
    )
  }
  const out: { name?: string; did?: string; identifier?: OpenBadgeIdentityObject[] } = {}
  if (name !== undefined)
    out.name = checkText(name, 'recipient.name', 'ERR_ISSUE_RECIPIENT_INVALID')
  if (did !== undefined) {
    const malformedKey = did.startsWith('did:key:') && !/^did:key:z[1-9A-HJ-NP-Za-km-z]+$/.test(did)
    if (!isDid(did) || malformedKey) {
      throw new CertifyError(
        'ERR_ISSUE_RECIPIENT_INVALID',
        '"recipient.did" is not a DID (did:<method>:<id>, without path, query or fragment).',
      )
    }
    out.did = did
  }
  if (email !== undefined) {
    const normalized = normalizeEmail(email)
    if (
      normalized.length > MAX_EMAIL_LENGTH ||
      !EMAIL.test(normalized) ||
      hasControlCharacter(normalized) ||
      hasLoneSurrogate(normalized)
    ) {
      throw new CertifyError(
        'ERR_ISSUE_RECIPIENT_INVALID',
        '"recipient.email" is not an email address.',
      )
    }
    out.identifier = [emailIdentity(normalized)]
  }
  if (out.did === undefined && out.identifier === undefined && out.name !== undefined) {
    // OB 3.0: "Either id or at least one identifier MUST be supplied" on an AchievementSubject.
    out.identifier = [
      { type: 'IdentityObject', identityHash: out.name, identityType: 'name', hashed: false },
    ]
  }
  return out
}

/** What the registry keeps about the learner: name, DID, the email hash without its salt. */
export function recipientSummary(subject: OpenBadgeAchievementSubject): RecipientSummary {
  const email = subject.identifier?.find((i) => i.identityType === 'emailAddress' && i.hashed)
  return {
    ...(subject.name === undefined ? {} : { name: subject.name }),
    ...(subject.id === undefined ? {} : { did: subject.id }),
    ...(email === undefined ? {} : { identityHash: email.identityHash }),
  }
}
