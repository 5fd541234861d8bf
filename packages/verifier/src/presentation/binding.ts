/**
 * What binds a presentation to its holder and to this verifier (docs/attacks.md F1–F3): the holder
 * controls every proof key, the proofs answer the expected challenge (single use through a
 * challenge store) and domain, and every credential is about the holder.
 *
 * @module
 */
import { asArray, isPlainObject, pointer, problem, type Problem } from '@certify-vc/context'
import type { ChallengeState } from '../challenges.js'
import type { KeyedProof } from '../proofs/verify-proofs.js'

/**
 * What the binding checks read of a presentation proof: a Data Integrity proof, or the JWS of a
 * vp+jwt (its `nonce` read as the challenge, its `aud` as the domain).
 */
export type BindingProof = Pick<KeyedProof, 'path' | 'proof' | 'verificationMethod' | 'did' | 'key'>
import type { PresentationOptions } from './options.js'

/** Every proof is by a key the holder controls. */
export function holderKeyProblems(holder: string, proofs: readonly BindingProof[]): Problem[] {
  const out: Problem[] = []
  for (const p of proofs) {
    const controller = p.key?.controller ?? p.did
    if (p.did !== holder || controller !== holder) {
      out.push(
        problem(
          'ERR_HOLDER_KEY_MISMATCH',
          `The presentation is signed by ${p.verificationMethod} (controlled by ${controller}), not by the holder ${holder}.`,
          p.path + '/verificationMethod',
        ),
      )
    }
  }
  return out
}

const CHALLENGE_CODES = {
  unknown: 'ERR_CHALLENGE_UNKNOWN',
  expired: 'ERR_CHALLENGE_EXPIRED',
  used: 'ERR_CHALLENGE_REUSED',
} as const

/** Consumes the challenge; a failing store fails closed (`'unknown'`). */
async function consume(opts: PresentationOptions, challenge: string): Promise<ChallengeState> {
  if (opts.store === undefined) return 'unknown'
  try {
    const state = await opts.store.consume(
      challenge,
      opts.domain === null ? {} : { domain: opts.domain },
    )
    return state === 'ok' || state === 'expired' || state === 'used' ? state : 'unknown'
  } catch {
    return 'unknown'
  }
}

/** Challenge equality on every proof (the single-use consumption is {@link consumeChallenge}). */
export function challengeProblems(
  proofs: readonly BindingProof[],
  expected: string | undefined,
): Problem[] {
  const out: Problem[] = []
  const seen = new Set<string>()
  for (const p of proofs) {
    const value = p.proof.challenge
    if (typeof value !== 'string' || value.length === 0) {
      out.push(
        problem(
          'ERR_CHALLENGE_MISSING',
          'The presentation proof carries no challenge.',
          p.path + '/challenge',
        ),
      )
    } else if (expected !== undefined && value !== expected) {
      out.push(
        problem(
          'ERR_CHALLENGE_MISMATCH',
          'The presentation answers another challenge than the one expected.',
          p.path + '/challenge',
        ),
      )
    } else {
      seen.add(value)
    }
  }
  if (out.length === 0 && seen.size > 1) {
    out.push(
      problem(
        'ERR_CHALLENGE_MISMATCH',
        'The proofs of the presentation answer different challenges.',
        pointer('proof'),
      ),
    )
  }
  return out
}

/** Consumes the proofs' challenge in the store: problems when it is unknown, expired or used. */
export async function consumeChallenge(
  proofs: readonly BindingProof[],
  opts: PresentationOptions,
): Promise<Problem[]> {
  const at = (proofs[0]?.path ?? '/proof') + '/challenge'
  const state = await consume(opts, String(proofs[0]?.proof.challenge))
  if (state === 'ok') return []
  return [
    problem(
      CHALLENGE_CODES[state],
      state === 'used'
        ? 'The challenge was already used: this presentation is a replay.'
        : state === 'expired'
          ? 'The challenge has expired.'
          : 'This verifier did not issue the challenge (or not for this domain).',
      at,
    ),
  ]
}

/**
 * The domain on every proof. A proof may name several domains (Data Integrity allows an
 * unordered set); it is accepted when the expected one is among them: the holder made it for
 * each, and the single-use challenge keeps it from being replayed to another.
 */
export function domainProblems(proofs: readonly BindingProof[], expected: string): Problem[] {
  const out: Problem[] = []
  for (const p of proofs) {
    const value = p.proof.domain
    const at = p.path + '/domain'
    if (value === undefined) {
      out.push(
        problem(
          'ERR_DOMAIN_MISSING',
          `The presentation proof names no domain; expected ${JSON.stringify(expected)}.`,
          at,
        ),
      )
    } else if (!(
      value === expected ||
      (Array.isArray(value) && (value as unknown[]).includes(expected))
    )) {
      out.push(
        problem(
          'ERR_DOMAIN_MISMATCH',
          `The presentation was made for ${JSON.stringify(value).slice(0, 200)}, not ${JSON.stringify(expected)}.`,
          at,
        ),
      )
    }
  }
  return out
}

/** Every credential is about the holder (its `credentialSubject.id`). */
export function subjectProblems(
  credentials: readonly { value: unknown; path: string }[],
  holder: string,
): Problem[] {
  const out: Problem[] = []
  credentials.forEach(({ value, path }, index) => {
    if (!isPlainObject(value)) return
    const name = typeof value.id === 'string' ? `${index} (${value.id})` : String(index)
    const raw = value.credentialSubject
    const subjects = asArray(raw)
    if (subjects.length === 0) {
      out.push(
        problem(
          'ERR_HOLDER_SUBJECT_MISMATCH',
          `Credential ${name} names no subject, so it cannot be the holder's.`,
          path + '/credentialSubject',
        ),
      )
    }
    subjects.forEach((s: unknown, i) => {
      const at =
        path + (Array.isArray(raw) ? pointer('credentialSubject', i) : pointer('credentialSubject'))
      const id = isPlainObject(s) ? s.id : undefined
      if (id !== holder) {
        out.push(
          problem(
            'ERR_HOLDER_SUBJECT_MISMATCH',
            typeof id === 'string'
              ? `Credential ${name} is about ${id}, not the holder ${holder}.`
              : `Credential ${name} names no subject id, so it cannot be bound to the holder ${holder}.`,
            at + '/id',
          ),
        )
      }
    })
  })
  return out
}
