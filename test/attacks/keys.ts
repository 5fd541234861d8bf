/**
 * Deterministic TEST keys for the attack fixtures (fixed seeds: never use them for anything
 * real). Ed25519 signatures are deterministic, so fixtures signed with these keys regenerate
 * byte for byte.
 */
import {
  exportIssuerKeyFile,
  generateIssuerKey,
  importIssuerKey,
  type IssuerKey,
} from '@certify-vc/issuer'

const seed = (byte: number) => new Uint8Array(32).fill(byte)

/** The keys every fixture is made from. */
export interface AttackKeys {
  /** The Institute (trusted issuer), did:key. */
  readonly institute: IssuerKey
  /** A foreign issuer: valid signatures, never trusted. */
  readonly foreign: IssuerKey
  /** The learner (credential subject, presentation holder). */
  readonly learner: IssuerKey
  /** The Institute as did:web (did:web:institute.test, key #key-1), for DID-document attacks. */
  readonly instituteWeb: IssuerKey
}

export const INSTITUTE_WEB_DID = 'did:web:institute.test'

let keys: Promise<AttackKeys> | undefined

async function makeKeys(): Promise<AttackKeys> {
  const [institute, foreign, learner, web] = await Promise.all([
    generateIssuerKey({ seed: seed(0x11) }),
    generateIssuerKey({ seed: seed(0x22) }),
    generateIssuerKey({ seed: seed(0x33) }),
    generateIssuerKey({ seed: seed(0x44) }),
  ])
  const file = exportIssuerKeyFile(web)
  const instituteWeb = await importIssuerKey({
    ...file,
    id: `${INSTITUTE_WEB_DID}#key-1`,
    controller: INSTITUTE_WEB_DID,
  })
  return { institute, foreign, learner, instituteWeb }
}

/** The fixture keys (created once per process). */
export function attackKeys(): Promise<AttackKeys> {
  return (keys ??= makeKeys())
}
