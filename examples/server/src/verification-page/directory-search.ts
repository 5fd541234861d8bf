/**
 * The public verification directory's search (issue 19): an employer who has a name and a
 * program from a CV finds the credentials whose learners chose to list them, each verified live
 * by the server with the same verdict as everywhere else. The privacy rules, all here:
 *
 * - Only listed credentials are read (the storage's `public_directory`, the learner's opt-in);
 *   unlisting removes a credential from the next search on every instance.
 * - A search needs the holder's whole name (folded by `directoryNameKey`: case, accents,
 *   punctuation and spacing aside) of at least {@link MIN_SEARCH_NAME_LENGTH} letters or digits, and one
 *   program; no prefix, substring or wildcard matches, so the directory cannot be walked by
 *   trying "a", "b", "c" … (an exact credential id is the other way in, `?id=`).
 * - At most {@link MAX_SEARCH_RESULTS} results are verified and shown.
 * - Every search (refused ones too) spends a token of the client's own bucket, far tighter than
 *   the verify routes' (10 a minute, 5 at once by default): 429 with `Retry-After` beyond it.
 * - "Nothing listed matches" is one answer, whether the credential does not exist, is not
 *   listed, or was unlisted: the page's words and status are the same.
 *
 * @module
 */
import { isProgramCode, type Catalog } from '@certify-vc/context'
import type { VerifyCredentialResult } from '@certify-vc/verifier'
import type { RateDecision } from '../hardening/rate-limit.js'
import { directoryNameKey } from '../storage/directory-index.js'
import type { DirectoryEntry, DirectoryQuery } from '../storage/types.js'
import { MAX_SEARCH_RESULTS, MIN_SEARCH_NAME_LENGTH, type SearchView } from './templates.js'

/** The longest name accepted in a search, in characters. */
export const MAX_SEARCH_NAME_LENGTH = 200

/** What a search needs. */
export interface DirectorySearchDeps {
  readonly catalog: Catalog
  /** Spends one token of the client's search bucket. */
  take(): RateDecision
  search(query: DirectoryQuery): Promise<readonly DirectoryEntry[]>
  /** The server's verification (`undefined` when it could not run). */
  verify(document: unknown): Promise<VerifyCredentialResult | undefined>
}

/** A search's outcome: what the page shows, or that the storage or verifier failed. */
export type DirectorySearchOutcome = SearchView | { readonly kind: 'unavailable' }

/** Runs one search of the directory under the rules above. */
export async function searchDirectory(
  input: { readonly name: string | undefined; readonly program: string | undefined },
  deps: DirectorySearchDeps,
): Promise<DirectorySearchOutcome> {
  const decision = deps.take()
  if (!decision.allowed) return { kind: 'limited', retryAfterSeconds: decision.retryAfterSeconds }
  const program = input.program
  if (!isProgramCode(program)) {
    return { kind: 'refused', message: 'Choose the program the credential is for.' }
  }
  const name = input.name ?? ''
  const nameKey = directoryNameKey(name)
  if (
    name.length > MAX_SEARCH_NAME_LENGTH ||
    nameKey.replaceAll(' ', '').length < MIN_SEARCH_NAME_LENGTH
  ) {
    return {
      kind: 'refused',
      message: `Enter the holder’s full name as on the credential: at least ${MIN_SEARCH_NAME_LENGTH} letters, at most ${MAX_SEARCH_NAME_LENGTH}.`,
    }
  }
  let found: readonly DirectoryEntry[]
  try {
    found = await deps.search({
      nameKey,
      achievementId: deps.catalog.programs[program].achievementId,
      limit: MAX_SEARCH_RESULTS + 1,
    })
  } catch {
    return { kind: 'unavailable' }
  }
  const entries: { credentialId: string; result: VerifyCredentialResult }[] = []
  for (const entry of found.slice(0, MAX_SEARCH_RESULTS)) {
    const result = await deps.verify(entry.document)
    if (result === undefined) return { kind: 'unavailable' }
    entries.push({ credentialId: entry.credentialId, result })
  }
  return {
    kind: 'results',
    programCode: program,
    entries,
    more: found.length > MAX_SEARCH_RESULTS,
    checkedAt: new Date(),
  }
}
