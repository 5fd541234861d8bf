/**
 * The JWT attack fixtures (docs/attacks.md A17): tokens securing the Institute's credential that
 * a verifier must refuse, each with the code it must give, and one that must verify. Ed25519
 * signatures are deterministic, so these regenerate byte for byte.
 */
import { credentialJwtPayload, signJws } from '@certify-vc/core'
import type { CheckId, PresentationCheckId } from '@certify-vc/verifier'
import { createHmac } from 'node:crypto'
import type { AttackKeys } from './keys.js'
import type { FixtureExpectation, FixtureInput, FixtureOptions } from './manifest.js'

type Json = Record<string, unknown>
type Add = (
  file: string,
  attack: string,
  description: string,
  content: unknown,
  expected: FixtureExpectation,
  options?: Partial<FixtureOptions>,
  input?: FixtureInput,
) => void
type Fail = (
  check: CheckId | PresentationCheckId,
  codes: string[],
  extra?: Partial<FixtureExpectation>,
) => FixtureExpectation

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** Adds the A17 fixtures; `credential(n, patch)` is an unsigned Institute credential. */
export async function addJwtFixtures(
  keys: AttackKeys,
  credential: (n: number, patch?: (c: Json) => void) => Json,
  add: Add,
  fail: Fail,
): Promise<void> {
  const { institute, foreign } = keys
  const kid = institute.verificationMethodId
  const vc = credential(1)
  const sign = (payload: Json, header: Record<string, string>, key = institute) =>
    signJws(payload, { header, signer: key.signer() })
  const joseHeader = { kid, typ: 'vc+jwt', cty: 'vc' }

  add(
    'A17-vc-jwt-valid.pass.txt',
    'A17',
    'Control: the credential as a vc+jwt (EdDSA, kid = the issuer key) verifies as the DI one does.',
    await sign(credentialJwtPayload(vc, 'vc-jose-cose'), joseHeader),
    { verified: true },
    {},
    'text',
  )
  add(
    'A17-vc-jwt-alg-none.fail.txt',
    'A17',
    'An unsecured JWT (alg "none", empty signature): never accepted, whatever it says.',
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64(credentialJwtPayload(vc, 'vc-jwt'))}.`,
    fail('proof', ['ERR_JWT_ALG_NOT_ALLOWED']),
    {},
    'text',
  )
  {
    // Algorithm confusion (CVE-2022-23540 class): an HMAC keyed with the issuer's public key,
    // which anyone can compute. The allow-list refuses HS* before any key is looked up.
    const input = `${b64({ alg: 'HS256', kid, typ: 'vc+jwt' })}.${b64(credentialJwtPayload(vc, 'vc-jose-cose'))}`
    const mac = createHmac('sha256', institute.publicKeyMultibase).update(input).digest('base64url')
    add(
      'A17-vc-jwt-hs256-public-key.fail.txt',
      'A17',
      'Algorithm confusion: HS256 with the public key as the HMAC secret.',
      `${input}.${mac}`,
      fail('proof', ['ERR_JWT_ALG_NOT_ALLOWED']),
      {},
      'text',
    )
  }
  add(
    'A17-vc-jwt-typ-vp.fail.txt',
    'A17',
    'A correctly signed credential whose typ says it is a presentation (vp+jwt).',
    await sign(credentialJwtPayload(vc, 'vc-jose-cose'), { ...joseHeader, typ: 'vp+jwt' }),
    fail('proof', ['ERR_JWT_TYPE_INVALID']),
    {},
    'text',
  )
  add(
    'A17-vc-jwt-iss-mismatch.fail.txt',
    'A17',
    'Signed by the issuer, but the "iss" claim names another party than the credential\'s issuer.',
    await sign({ ...credentialJwtPayload(vc, 'vc-jwt'), iss: foreign.did }, { kid, typ: 'JWT' }),
    fail('proof', ['ERR_JWT_ISS_MISMATCH'], { skipped: ['issuer-trust', 'status'] }),
    {},
    'text',
  )
  {
    const expired = credential(2, (c) => (c.validUntil = '2026-11-15T00:00:00Z'))
    add(
      'A17-vc-jwt-exp-past.fail.txt',
      'A17',
      'A VC-JWT 1.1 whose "exp" (and validUntil) is past: expired, as the DI credential would be.',
      await sign(credentialJwtPayload(expired, 'vc-jwt'), { kid, typ: 'JWT' }),
      fail('validity', ['ERR_VALIDITY_EXPIRED'], { passed: ['proof', 'key-binding'] }),
      {},
      'text',
    )
  }
  add(
    'A17-vc-jwt-kid-other-did.fail.txt',
    'A17',
    "The Institute's credential signed by another DID's key, its kid naming that key: never resolved.",
    await sign(
      credentialJwtPayload(vc, 'vc-jose-cose'),
      { ...joseHeader, kid: foreign.verificationMethodId },
      foreign,
    ),
    fail('key-binding', ['ERR_KEY_NOT_ISSUER'], { skipped: ['issuer-trust', 'status'] }),
    {},
    'text',
  )
}
