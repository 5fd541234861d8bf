/**
 * The presentation envelope (VC Data Model 2.0 §4.13, 1.1 §4.10) and its contexts. The
 * embedded credentials are checked by the credential pipeline, each on its own.
 *
 * @module
 */
import {
  asArray,
  isAbsoluteIri,
  isPlainObject,
  pointer,
  problem,
  type Problem,
} from '@certify-vc/context'
import { checkDocumentBase, expandSafely, toJsonLdError } from '@certify-vc/core'
import { allowedContextUrls } from '../checks/contexts.js'
import type { PresentationOptions } from './options.js'
import type { PresentationCheckId, PresentationCheckResult } from './types.js'

/** Most credentials verified in one presentation; more fail the structure check. */
export const MAX_PRESENTATION_CREDENTIALS = 32

/** A presentation check result from its problems: failed when there is any. */
export function checkOf(
  id: PresentationCheckId,
  problems: readonly Problem[],
): PresentationCheckResult {
  return { id, outcome: problems.length > 0 ? 'failed' : 'passed', problems }
}

/** The embedded credentials with their paths (`verifiableCredential` may be one object). */
export function embeddedCredentials(
  document: Readonly<Record<string, unknown>>,
): { value: unknown; path: string }[] {
  const raw = document.verifiableCredential
  if (raw === undefined) return []
  if (!Array.isArray(raw)) return [{ value: raw, path: pointer('verifiableCredential') }]
  return raw.map((value: unknown, i) => ({ value, path: pointer('verifiableCredential', i) }))
}

/** The envelope without its credentials. */
function envelopeOf(document: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const envelope = { ...document }
  delete envelope.verifiableCredential
  return envelope
}

/** The structure check of a presentation. */
export function checkEnvelope(
  document: unknown,
  opts: PresentationOptions,
): PresentationCheckResult {
  if (!isPlainObject(document)) {
    return checkOf('structure', [
      problem('ERR_PRESENTATION_INVALID', 'A presentation must be a JSON object.', ''),
    ])
  }
  // As for credentials (a null or empty-array member is dropped by JSON-LD, so it is not signed);
  // `proof` has a check (and codes) of its own, and `verifiableCredential` is each credential's.
  const out = checkDocumentBase(envelopeOf(document), {
    requiredType: 'VerifiablePresentation',
    code: 'ERR_PRESENTATION_INVALID',
    checkedApart: ['proof'],
  })
  if ('holder' in document) {
    const holder = document.holder
    if (isPlainObject(holder)) {
      if (!isAbsoluteIri(holder.id)) {
        out.push(
          problem(
            'ERR_STRUCTURE_RELATIVE_IRI',
            '"holder.id" must be an absolute IRI.',
            pointer('holder', 'id'),
          ),
        )
      }
    } else if (!isAbsoluteIri(holder)) {
      out.push(
        problem(
          'ERR_STRUCTURE_RELATIVE_IRI',
          '"holder" must be an absolute IRI or an object with one as "id".',
          pointer('holder'),
        ),
      )
    }
  }
  const credentials = embeddedCredentials(document)
  if (Array.isArray(document.verifiableCredential) && credentials.length === 0) {
    out.push(
      problem(
        'ERR_PRESENTATION_INVALID',
        '"verifiableCredential" must not be an empty array.',
        pointer('verifiableCredential'),
      ),
    )
  }
  if (credentials.length > MAX_PRESENTATION_CREDENTIALS) {
    out.push(
      problem(
        'ERR_PRESENTATION_TOO_MANY_CREDENTIALS',
        `The presentation embeds ${credentials.length} credentials; at most ${MAX_PRESENTATION_CREDENTIALS} are verified at once.`,
        pointer('verifiableCredential'),
      ),
    )
  } else {
    for (const { value, path } of credentials) {
      if (!isPlainObject(value)) {
        out.push(
          problem(
            'ERR_PRESENTATION_INVALID',
            'An embedded credential must be an object (never a string, number or URL).',
            path,
          ),
        )
      }
    }
  }
  if (opts.requireCredentials && document.verifiableCredential === undefined) {
    out.push(
      problem(
        'ERR_PRESENTATION_INVALID',
        'The presentation carries no credential.',
        pointer('verifiableCredential'),
      ),
    )
  }
  return checkOf('structure', out)
}

/** The contexts check of the envelope: pinned URLs (inline only when allowed), safe mode. */
export async function checkEnvelopeContexts(
  document: Readonly<Record<string, unknown>>,
  opts: PresentationOptions,
): Promise<PresentationCheckResult> {
  const out: Problem[] = []
  const raw = document['@context']
  if (raw === undefined) {
    return checkOf('contexts', [
      problem('ERR_CONTEXT_ORDER', '"@context" is required.', pointer('@context')),
    ])
  }
  const allowed = allowedContextUrls(opts.pipeline)
  const many = Array.isArray(raw)
  asArray(raw).forEach((entry: unknown, i) => {
    const at = many ? pointer('@context', i) : pointer('@context')
    if (typeof entry === 'string') {
      if (!allowed.has(entry)) {
        out.push(
          problem(
            'ERR_CONTEXT_UNKNOWN',
            `Context ${JSON.stringify(entry.slice(0, 200))} is not a pinned context.`,
            at,
          ),
        )
      }
    } else if (!isPlainObject(entry) || !opts.allowInlineContexts) {
      out.push(
        problem(
          isPlainObject(entry) ? 'ERR_CONTEXT_INLINE' : 'ERR_CONTEXT_UNKNOWN',
          isPlainObject(entry)
            ? 'Inline (embedded) contexts are not accepted.'
            : 'A context must be a URL or (when allowed) an object.',
          at,
        ),
      )
    }
  })
  if (out.length > 0) return checkOf('contexts', out)
  // Safe-mode expansion of the envelope alone: every term of the presentation is defined.
  try {
    await expandSafely(envelopeOf(document), opts.pipeline.documentLoader, {
      canonicalization: opts.pipeline.canonicalization,
    })
  } catch (error) {
    const e = toJsonLdError(error)
    out.push(problem(e.code, e.message, e.path))
  }
  return checkOf('contexts', out)
}
