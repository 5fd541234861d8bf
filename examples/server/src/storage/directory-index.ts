/**
 * What the public directory indexes of a listed credential, so that an employer can find it by
 * the holder's name and program (issue 19): the holder's name folded to a search key, and the
 * achievement id. Both backends store the same values (`name_key`, `achievement_id`), computed
 * here, in code, so that SQLite and PostgreSQL fold names identically.
 *
 * The index is only a way in: every search result is verified live before it is shown, and the
 * program shown is the verifier's (trusted issuer + achievement id, docs/design.md §3), never
 * this column.
 *
 * @module
 */
import { isPlainObject } from '@certify-vc/context'

/**
 * A name as the directory compares it: Unicode NFKC, accents removed, lower case, every run of
 * anything but letters and digits one space, trimmed. "  Adá  LOVELACE " and "ada lovelace"
 * give the same key; "Ada" and "Ada Lovelace" do not (whole names only).
 */
export function directoryNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** The index entry of a credential document: its holder's name key and achievement id. */
export function directoryEntryOf(document: unknown): { nameKey: string; achievementId: string } {
  const subject = isPlainObject(document) ? document.credentialSubject : undefined
  const s = isPlainObject(subject) ? subject : {}
  const achievement = isPlainObject(s.achievement) ? s.achievement : {}
  return {
    nameKey: typeof s.name === 'string' ? directoryNameKey(s.name) : '',
    achievementId: typeof achievement.id === 'string' ? achievement.id : '',
  }
}
