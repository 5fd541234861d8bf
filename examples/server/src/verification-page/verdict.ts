/**
 * The verdict the page gives a verifier result: one word for people ("Genuine", "Not genuine",
 * "Revoked" …), its tone, a sentence, and the plain-words label of every check. Shared by the
 * browser (files dropped on the page) and the server (the no-JavaScript lookup page), so both give
 * the same verdict for the same result. Pure and browser-safe.
 *
 * Display rules (docs/attacks.md G1, G2, G5, E4): the program comes from the catalog (the verifier's
 * `credential.program`, set only for a trusted issuer and a known achievement id), the issuer's
 * name from the trust list, never from the credential; the only credential-supplied text shown
 * is the holder's name, and only when the signature and key binding held. Everything is text.
 *
 * @module
 */
import {
  CHECK_IDS,
  explainErrorCode,
  type CheckId,
  type CheckResult,
  type ErrorCode,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import { isErrorCode, type Catalog, type ProgramCode } from '@certify-vc/context'

/** The verdicts the page can give. */
export type VerdictKind =
  | 'genuine'
  /**
   * Verified under a profile that accepts any issuer (`?profile=open-badges` or `vc`): signed and
   * unaltered, by an issuer that is not on the trusted list.
   */
  | 'genuine-unlisted-issuer'
  /**
   * The input could not be read as a document at all (not JSON, too large, too deep …): nothing
   * was checked, so nothing is said about anyone's honesty (issue 16: "not JSON" must not read
   * as an accusation).
   */
  | 'unreadable'
  | 'not-genuine'
  | 'untrusted-issuer'
  | 'revoked'
  | 'suspended'
  | 'expired'
  | 'not-yet-valid'
  | 'status-unknown'
  /** A presentation answering a request of this page whose holder binding failed. */
  | 'holder-not-proven'

/** How a verdict is coloured: good (green), bad (red), caution (amber). */
export type VerdictTone = 'good' | 'bad' | 'caution'

/** The verdict of a credential result. */
export interface Verdict {
  readonly kind: VerdictKind
  readonly tone: VerdictTone
  /** One or two words: "Genuine", "Not genuine", "Revoked" … */
  readonly title: string
  /** One sentence for people. */
  readonly summary: string
}

/** What the page needs besides the result. */
export interface DisplayContext {
  /** The catalog the verifier used (institute name for trusted issuers). */
  readonly catalog: Catalog
  /** Display names of trusted issuers by DID; default: the catalog's institute name. */
  readonly issuerNames?: Readonly<Record<string, string>>
  readonly trustedIssuers: readonly string[]
  /**
   * The badge image of each program as this server serves it (a path on this origin, see
   * badge-image.ts); a program without one gets a text badge. Never an image named by a
   * credential (docs/attacks.md E4, G5).
   */
  readonly badgeImages?: Readonly<Partial<Record<ProgramCode, string>>>
}

/** Plain-words label of each check, as it reads when the check passed (or was not needed). */
export const CHECK_LABELS: Readonly<Record<CheckId, string>> = {
  input: 'The file is a readable JSON document',
  structure: 'It has the shape of a verifiable credential (an Open Badge where required)',
  contexts: 'It uses only the pinned vocabularies (JSON-LD contexts)',
  proof: 'The signature verifies: nothing was altered',
  'key-binding': 'The signing key belongs to the issuer',
  validity: 'Today is within its validity dates',
  'related-resources': 'The resources it links to are the ones it was signed with',
  'issuer-trust': 'The issuer is on the trusted-issuer list',
  program: "The achievement is one of the Institute's programs",
  status: 'It has not been revoked or suspended',
}

/** The title of each check when it failed: it says what failed, never the positive claim. */
export const CHECK_FAILED_LABELS: Readonly<Record<CheckId, string>> = {
  input: 'The file could not be read as a JSON document',
  structure: 'It does not have the shape of a verifiable credential (an Open Badge where required)',
  contexts: 'It uses a vocabulary (JSON-LD context) that is not one of the pinned ones',
  proof: 'The signature does not verify: the file was altered, or not signed by this key',
  'key-binding': 'The signing key does not belong to the issuer',
  validity: 'Today is outside its validity dates',
  'related-resources': 'A resource it links to is not the one it was signed with',
  'issuer-trust': 'The issuer is not on the trusted-issuer list',
  program: "The achievement is not one of the Institute's programs",
  status: 'It has been revoked or suspended, or its status could not be confirmed',
}

/** A short name of each check, for the one line that lists the checks not reached. */
export const CHECK_SHORT_NAMES: Readonly<Record<CheckId, string>> = {
  input: 'reading the file',
  structure: 'its shape',
  contexts: 'its vocabularies',
  proof: 'the signature',
  'key-binding': 'the signing key',
  validity: 'the validity dates',
  'related-resources': 'the linked resources',
  'issuer-trust': 'the issuer',
  program: 'the program',
  status: 'revocation and suspension',
}

/** What each check does and why it matters, in plain words (the "What this means" help). */
export const CHECK_HELP: Readonly<Record<CheckId, string>> = {
  input:
    'The file must be a JSON document of reasonable size, or a badge image (PNG or SVG) with the credential baked into it. A PDF, a plain picture of a certificate or a damaged download cannot be checked: ask for the credential file (.json) itself.',
  structure:
    'A verifiable credential has required parts: who issued it, when, to whom, and a signature. An Open Badge also names its achievement. Without them there is nothing to check.',
  contexts:
    'Credentials define their words through published vocabularies. This page accepts only a fixed set of them, copied in advance, so that a file cannot change what its words mean or make the page fetch anything.',
  proof:
    'The issuer signed the credential with a private key. If any character of what was signed changed afterwards, the signature no longer verifies. This is what shows the file is unaltered.',
  'key-binding':
    'The key that made the signature must be one the issuer has published as its own (in its DID document). Otherwise anyone could sign with their own key and put the issuer’s name on it.',
  validity:
    'A credential may have a start date and an end date. Outside them it does not stand, even if everything else is in order.',
  'related-resources':
    'A credential may name other files with a fingerprint of their content. If a named file changed, the fingerprint no longer matches.',
  'issuer-trust':
    'A valid signature shows only that someone signed. This check shows who: the issuer must be on the list of issuers this site trusts, which for the Institute’s credentials is the Institute itself.',
  program:
    'The achievement must be one of the Institute’s programs (AIDA, CAAE, AIMA), decided from the trusted issuer and the achievement’s identifier, never from the title written in the file.',
  status:
    'The issuer publishes signed lists of revoked and suspended credentials. This page reads the current list from the issuer’s site each time it checks, so a revocation shows at once.',
}

/**
 * The title of a check as the result has it: the positive label when it passed, what failed when
 * it failed (for status and validity, which of the possible failures it was).
 */
export function checkTitle(check: CheckResult): string {
  if (check.outcome !== 'failed') return CHECK_LABELS[check.id]
  const codes = new Set(check.problems.map((p) => p.code))
  if (check.id === 'status') {
    if (codes.has('ERR_STATUS_REVOKED')) return 'The issuer has revoked it'
    if (codes.has('ERR_STATUS_SUSPENDED')) return 'The issuer has suspended it'
    return 'Whether it was revoked or suspended could not be confirmed'
  }
  if (check.id === 'validity') {
    if (codes.has('ERR_VALIDITY_EXPIRED')) return 'It has expired'
    if (codes.has('ERR_VALIDITY_NOT_YET_VALID')) return 'Its validity period has not started yet'
  }
  return CHECK_FAILED_LABELS[check.id]
}

const INTEGRITY: readonly CheckId[] = ['input', 'structure', 'contexts']
const SIGNATURE: readonly CheckId[] = ['proof', 'key-binding']

/** The outcome of one check of a result (`undefined` when the result has no such check). */
export function outcomeOf(
  result: VerifyCredentialResult,
  id: CheckId,
): CheckResult['outcome'] | undefined {
  return result.checks.find((c) => c.id === id)?.outcome
}

function hasCode(result: VerifyCredentialResult, code: ErrorCode): boolean {
  return result.problems.some((p) => p.code === code)
}

/** True when the signature and the key binding held: what the credential says is as signed. */
export function isAuthentic(result: VerifyCredentialResult): boolean {
  return SIGNATURE.every((id) => outcomeOf(result, id) === 'passed')
}

function firstExplanation(result: VerifyCredentialResult, ids: readonly CheckId[]): string {
  for (const id of ids) {
    const p = result.checks.find((c) => c.id === id)?.problems[0]
    if (p !== undefined) return explainCode(p.code)
  }
  const p = result.problems[0]
  return p === undefined ? 'A required check did not pass.' : explainCode(p.code)
}

/** The plain-words reason for an error code (also for codes this page does not know). */
export function explainCode(code: string): string {
  return isErrorCode(code) ? explainErrorCode(code) : `Unknown problem code ${code}.`
}

/**
 * The verdict of a verifier result. The most serious finding wins: an unreadable or altered
 * document, then a foreign issuer, then an unknown program, then revocation, suspension, expiry,
 * not-yet-valid, and last an unknown status.
 */
export function verdictOf(result: VerifyCredentialResult, context: DisplayContext): Verdict {
  const institute = context.catalog.institute.name
  if (result.verified) {
    const statusChecked = outcomeOf(result, 'status') === 'passed'
    const listed = issuerDisplayName(result, context)
    if (listed === undefined) {
      // Never name the Institute for an issuer that is not on the list.
      return {
        kind: 'genuine-unlisted-issuer',
        tone: 'caution',
        title: 'Genuine, from an issuer not on the trusted list',
        summary: `Signed by ${result.credential.issuer ?? 'its issuer'} and unaltered${statusChecked ? ', and neither revoked nor suspended' : ''}. That issuer is not one ${institute} lists as trusted: the credential is only as good as its issuer.`,
      }
    }
    return {
      kind: 'genuine',
      tone: 'good',
      title: 'Genuine',
      summary: statusChecked
        ? `Issued by ${listed}, unaltered, and neither revoked nor suspended.`
        : `Issued by ${listed} and unaltered. It carries no revocation status to check.`,
    }
  }
  const failed = (id: CheckId) => outcomeOf(result, id) === 'failed'
  if (outcomeOf(result, 'input') !== 'passed') {
    return {
      kind: 'unreadable',
      tone: 'caution',
      title: 'Could not be read',
      summary: `This is not a credential file this page can read, so nothing in it was checked: it does not mean anyone altered anything. ${firstExplanation(result, ['input'])} Ask for the credential file (.json) again.`,
    }
  }
  if (INTEGRITY.some(failed)) {
    return notGenuine(firstExplanation(result, INTEGRITY))
  }
  // Not on the trust list, whether or not its key could be resolved: a did:web of another host is
  // never fetched by the page (so its key binding fails), and no signature makes it genuine.
  const issuer = result.credential.issuer
  const untrusted =
    failed('issuer-trust') ||
    (issuer !== undefined && !context.trustedIssuers.includes(issuer) && !failed('proof'))
  if (untrusted) {
    return {
      kind: 'untrusted-issuer',
      tone: 'bad',
      title: 'Untrusted issuer',
      summary: `This credential was not issued by ${institute} or another trusted issuer, whatever it says about itself.`,
    }
  }
  if (SIGNATURE.some(failed) || !isAuthentic(result)) {
    return notGenuine(firstExplanation(result, SIGNATURE))
  }
  if (failed('program')) return notGenuine(firstExplanation(result, ['program']))
  if (hasCode(result, 'ERR_STATUS_REVOKED')) {
    return {
      kind: 'revoked',
      tone: 'bad',
      title: 'Revoked',
      summary: 'The issuer has revoked this credential: it no longer stands.',
    }
  }
  if (hasCode(result, 'ERR_STATUS_SUSPENDED')) {
    return {
      kind: 'suspended',
      tone: 'caution',
      title: 'Suspended',
      summary: 'The issuer has suspended this credential for now: it does not stand at present.',
    }
  }
  if (hasCode(result, 'ERR_VALIDITY_EXPIRED')) {
    return {
      kind: 'expired',
      tone: 'caution',
      title: 'Expired',
      summary: 'The credential was issued as shown, but it has expired.',
    }
  }
  if (hasCode(result, 'ERR_VALIDITY_NOT_YET_VALID')) {
    return {
      kind: 'not-yet-valid',
      tone: 'caution',
      title: 'Not yet valid',
      summary: 'The credential was issued as shown, but its validity period has not started.',
    }
  }
  if (failed('status')) {
    return {
      kind: 'status-unknown',
      tone: 'caution',
      title: 'Status unknown',
      summary: `The credential is authentic, but whether it still stands could not be confirmed: ${firstExplanation(result, ['status'])}`,
    }
  }
  return notGenuine(firstExplanation(result, CHECK_IDS))
}

/** The "not genuine" verdict with its reason. */
export function notGenuine(reason: string): Verdict {
  return {
    kind: 'not-genuine',
    tone: 'bad',
    title: 'Not genuine',
    summary: `This is not a credential as its issuer signed it. ${reason}`,
  }
}

/** The trusted issuer's display name, or `undefined` for an issuer not on the trust list. */
export function issuerDisplayName(
  result: VerifyCredentialResult,
  context: DisplayContext,
): string | undefined {
  const did = result.credential.issuer
  if (did === undefined || !context.trustedIssuers.includes(did)) return undefined
  const names = context.issuerNames
  return names !== undefined && Object.hasOwn(names, did)
    ? names[did]
    : context.catalog.institute.name
}
