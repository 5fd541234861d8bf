/**
 * The learner-to-employer scenario end to end, with the real packages: the learner receives AIDA
 * then CAAE into the wallet, presents CAAE to an employer's challenge, the employer verifies it
 * with `verifyPresentation` ✓; a replay ✗ `ERR_CHALLENGE_REUSED`; the same presentation sent to
 * another site ✗; a revoked CAAE presented ✗ `ERR_STATUS_REVOKED`. Also through a QR code.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createChallengeStore,
  verifyPresentation,
  type ChallengeStore,
  type StatusCheckOptions,
  type VerifyPresentationResult,
} from '@certify-vc/verifier'
import { initWallet, presentationFromQr, presentationToQr, type Wallet } from '../src/index.js'
import { removeDir, startInstitute, tempDir, type TestInstitute } from './helpers.js'

const EMPLOYER = 'hiring.example.com'
let dir: string
let institute: TestInstitute
let wallet: Wallet
let challenges: ChallengeStore
let aidaId: string
let caaeId: string

beforeAll(async () => {
  dir = await tempDir()
  institute = await startInstitute(dir)
  wallet = await initWallet(join(dir, 'ada-wallet'), { trustedIssuers: [institute.key.did] })
  challenges = createChallengeStore()
})
afterAll(async () => {
  await institute.close()
  await removeDir(dir)
})

/** The employer's side: its trusted issuer, its domain, its single-use challenges. */
function employerVerifies(
  vp: unknown,
  challenge: string,
  status: StatusCheckOptions,
  options: { domain?: string; store?: ChallengeStore } = {},
): Promise<VerifyPresentationResult> {
  return verifyPresentation(vp, {
    trustedIssuers: [institute.key.did],
    challenge,
    domain: options.domain ?? EMPLOYER,
    challengeStore: options.store ?? challenges,
    status,
  })
}

const codes = (r: VerifyPresentationResult) => r.problems.map((p) => p.code)

describe('learner → wallet → employer', () => {
  it('1. the learner receives AIDA, then CAAE, into the wallet', async () => {
    const aida = await institute.issue('AIDA', { did: wallet.holder })
    const a = await wallet.importCredential(aida, { status: await institute.status() })
    expect(a).toMatchObject({ imported: true, problems: [] })
    const caae = await institute.issue('CAAE', { did: wallet.holder })
    const c = await wallet.importCredential(caae, { status: await institute.status() })
    expect(c).toMatchObject({ imported: true, problems: [] })
    aidaId = aida.id
    caaeId = caae.id
    const listed = await wallet.list({ status: await institute.status() })
    expect(listed.map((e) => [e.program?.code, e.standing])).toEqual([
      ['AIDA', 'valid'],
      ['CAAE', 'valid'],
    ])
  })

  let presented: unknown
  let firstChallenge: string

  it('2. presents CAAE (only) to the employer’s challenge; the employer verifies ✓', async () => {
    const { challenge } = await challenges.issue({ domain: EMPLOYER })
    const vp = await wallet.present({ challenge, domain: EMPLOYER, credentials: ['CAAE'] })
    expect(vp.holder).toBe(wallet.holder)
    expect(vp.verifiableCredential?.map((c) => c.id)).toEqual([caaeId])
    expect(vp.proof).toMatchObject({
      proofPurpose: 'authentication',
      challenge,
      domain: EMPLOYER,
      verificationMethod: `${wallet.holder}#${wallet.holder.slice('did:key:'.length)}`,
    })
    const result = await employerVerifies(vp, challenge, await institute.status())
    expect(result.problems).toEqual([])
    expect(result.verified).toBe(true)
    expect(result.holderProven).toBe(true)
    expect(result.presentation.holder).toBe(wallet.holder)
    expect(
      result.credentials.map((c) => [c.id, c.verified, c.result.credential.program?.code]),
    ).toEqual([[caaeId, true, 'CAAE']])
    presented = vp
    firstChallenge = challenge
  })

  it('3. a replay of that presentation ✗ ERR_CHALLENGE_REUSED', async () => {
    const result = await employerVerifies(presented, firstChallenge, await institute.status())
    expect(result.verified).toBe(false)
    expect(result.holderProven).toBe(false)
    expect(codes(result)).toEqual(['ERR_CHALLENGE_REUSED'])
  })

  it('4. the same presentation sent to another site ✗ ERR_DOMAIN_MISMATCH', async () => {
    const elsewhere = createChallengeStore()
    const result = await employerVerifies(presented, firstChallenge, await institute.status(), {
      domain: 'other-employer.example',
      store: elsewhere,
    })
    expect(result.verified).toBe(false)
    // The other site never issued that challenge, and the proof names our domain, not theirs.
    expect(codes(result)).toEqual(['ERR_CHALLENGE_UNKNOWN', 'ERR_DOMAIN_MISMATCH'])
  })

  it('5. a tampered presentation (AIDA swapped in) ✗ ERR_PROOF_INVALID', async () => {
    const { challenge } = await challenges.issue({ domain: EMPLOYER })
    const vp = await wallet.present({ challenge, domain: EMPLOYER, credentials: ['CAAE'] })
    const aida = (await wallet.find('AIDA')).credential
    const swapped = { ...vp, verifiableCredential: [aida] }
    const result = await employerVerifies(swapped, challenge, await institute.status())
    expect(result.verified).toBe(false)
    expect(codes(result)).toEqual(['ERR_PROOF_INVALID'])
  })

  it('6. through a QR code: decoded by the employer, verified ✓', async () => {
    const { challenge } = await challenges.issue({ domain: EMPLOYER })
    const vp = await wallet.present({ challenge, domain: EMPLOYER, credentials: ['AIDA'] })
    const qr = await presentationToQr(vp)
    const decoded = await presentationFromQr(qr.payload)
    expect(decoded).toEqual(vp)
    const result = await employerVerifies(decoded, challenge, await institute.status())
    expect(result.problems).toEqual([])
    expect(result.verified).toBe(true)
    expect(result.credentials.map((c) => c.id)).toEqual([aidaId])
  })

  it('7. CAAE is revoked: presenting it again ✗ ERR_STATUS_REVOKED', async () => {
    await institute.registry.revoke(caaeId, 'assessment misconduct')
    const status = await institute.status()
    expect((await wallet.list({ status })).map((e) => [e.program?.code, e.standing])).toEqual([
      ['AIDA', 'valid'],
      ['CAAE', 'revoked'],
    ])
    const { challenge } = await challenges.issue({ domain: EMPLOYER })
    const vp = await wallet.present({ challenge, domain: EMPLOYER, credentials: ['CAAE'] })
    const result = await employerVerifies(vp, challenge, status)
    expect(result.verified).toBe(false)
    // The holder did prove possession; the credential itself is revoked.
    expect(result.holderProven).toBe(true)
    expect(result.credentials.map((c) => [c.id, c.verified])).toEqual([[caaeId, false]])
    expect(codes(result)).toEqual(['ERR_PRESENTATION_CREDENTIAL_INVALID', 'ERR_STATUS_REVOKED'])
    expect(result.credentials[0]?.result.problems.map((p) => p.code)).toEqual([
      'ERR_STATUS_REVOKED',
    ])
  })
})
