/**
 * Selective disclosure (ecdsa-sd-2023): what every derived credential of a program must disclose,
 * chosen by the Institute per program. The mandatory members are those an Open Badges 3.0
 * `AchievementCredential` requires, so that every derived credential is still a valid badge (the
 * verifier's structure check passes on it), plus what binds it to the Institute, the program,
 * the validity period, the status lists and the holder:
 *
 * | member                              | AIDA | CAAE | AIMA | why mandatory                                              |
 * | ----------------------------------- | ---- | ---- | ---- | ---------------------------------------------------------- |
 * | `/id`, `/type`, `/name`             | ✓    | ✓    | ✓    | OB 3.0: an id and the type; the name is the program's      |
 * | `/issuer`                           | ✓    | ✓    | ✓    | trust: the issuer DID and its Profile                      |
 * | `/validFrom`, `/validUntil`         | ✓    | ✓    | ✓    | the validity period (`validUntil` when the program expires) |
 * | `/credentialStatus`                 | ✓    | ✓    | ✓    | revocation and suspension stay checkable                   |
 * | `/credentialSubject/type`           | ✓    | ✓    | ✓    | OB 3.0: an AchievementSubject                              |
 * | `/credentialSubject/achievement`    | ✓    | ✓    | ✓    | the program binding (its id) and OB 3.0's required fields  |
 * | `/credentialSubject/id`             | ✓    | ✓    | ✓    | the holder binding a presentation checks (when present)    |
 * | `/credentialSubject/identifier`     | (✓)  | (✓)  | (✓)  | only without `id`: OB 3.0 needs an id or an identifier     |
 * | `/credentialSubject/name`           |      | ✓    |      | CAAE is a professional certification: it names its holder  |
 *
 * Everything else is the holder's to reveal or withhold: the learner's name on AIDA and AIMA (the
 * free awareness programs), the salted email hash (`identifier`) whenever the subject has a DID,
 * and any extension member (`description`, `awardedDate`, `evidence`, `result`, activity dates …).
 *
 * @see https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-sd-2023
 * @module
 */
import type { ProgramCode } from '@certify-vc/context'
import { isPlainObject } from '@certify-vc/context'

/** Pointers every program's derived credentials disclose, when the member exists. */
const COMMON: readonly string[] = [
  '/id',
  '/type',
  '/name',
  '/issuer',
  '/validFrom',
  '/validUntil',
  '/credentialStatus',
  '/credentialSubject/type',
  '/credentialSubject/achievement',
  '/credentialSubject/id',
]

/** The mandatory pointers of each program (see the table above), when the member exists. */
export const SD_MANDATORY_POINTERS: Readonly<Record<ProgramCode, readonly string[]>> = {
  AIDA: COMMON,
  CAAE: [...COMMON, '/credentialSubject/name'],
  AIMA: COMMON,
}

/**
 * The mandatory pointers for `credential` of `program`: the program's list (see
 * {@link SD_MANDATORY_POINTERS}), keeping only members the credential has, plus
 * `/credentialSubject/identifier` when the subject has no `id` (OB 3.0 needs one of the two).
 *
 * @example
 * mandatoryPointersFor(credential, 'CAAE') // ['/id', '/type', …, '/credentialSubject/name']
 */
export function mandatoryPointersFor(
  credential: Readonly<Record<string, unknown>>,
  program: ProgramCode,
): string[] {
  const subject = isPlainObject(credential.credentialSubject) ? credential.credentialSubject : {}
  const has = (pointer: string): boolean => {
    const [, first, second] = pointer.split('/')
    if (first === undefined) return false
    if (second === undefined) return credential[first] !== undefined
    return first === 'credentialSubject' && subject[second] !== undefined
  }
  const pointers = SD_MANDATORY_POINTERS[program].filter(has)
  if (subject.id === undefined && subject.identifier !== undefined) {
    pointers.push('/credentialSubject/identifier')
  }
  return pointers
}
