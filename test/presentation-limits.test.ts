/**
 * The documented maximum of credentials in one presentation, with credentials from the real
 * issuer: 32 Institute credentials (AIDA, CAAE and AIMA, recipients with a DID and a hashed email,
 * the most blank nodes an Institute credential has) verify in one signed presentation, in both
 * data models; a 33rd fails with the presentation-size code, not an input-limit code. The
 * blank-node limit counts each embedded credential apart, as it would count it on its own.
 */
import { PROGRAM_CODES } from '@certify-vc/context'
import { createPresentation, signPresentation } from '@certify-vc/core'
import { generateIssuerKey, issueCredential, type IssuerKey } from '@certify-vc/issuer'
import {
  DEFAULT_MAX_BLANK_NODES,
  MAX_PRESENTATION_CREDENTIALS,
  verifyCredential,
  verifyPresentation,
  type VerifyPresentationOptions,
} from '@certify-vc/verifier'
import { beforeAll, describe, expect, it } from 'vitest'

const NOW = new Date('2026-11-29T12:00:00Z')
const CHALLENGE = 'uQ0hBTExFTkdFLTEyOC1iaXQ'
const DOMAIN = 'employer.example'
type Json = Record<string, unknown>
type Format = 'vc2' | 'vc1.1'

let institute: IssuerKey
let learner: IssuerKey
const issued: Record<Format, Json[]> = { vc2: [], 'vc1.1': [] }

beforeAll(async () => {
  institute = await generateIssuerKey()
  learner = await generateIssuerKey()
  for (const format of ['vc2', 'vc1.1'] as const) {
    for (let i = 0; i <= MAX_PRESENTATION_CREDENTIALS; i++) {
      issued[format].push(
        (await issueCredential({
          program: PROGRAM_CODES[i % PROGRAM_CODES.length] as string,
          format,
          key: institute,
          recipient: { name: 'Ada Lovelace', did: learner.did, email: `ada.${i}@example.com` },
          now: new Date('2026-11-01T00:00:00Z'),
        })) as unknown as Json,
      )
    }
  }
})

const options = (extra: Partial<VerifyPresentationOptions> = {}): VerifyPresentationOptions => ({
  challenge: CHALLENGE,
  domain: DOMAIN,
  trustedIssuers: [institute.did],
  now: NOW,
  status: false,
  ...extra,
})

function presentation(credentials: readonly Json[], format: Format): Promise<Json> {
  return signPresentation(
    createPresentation({ holder: learner.did, verifiableCredential: credentials, format }),
    { signer: learner.signer(), challenge: CHALLENGE, domain: DOMAIN, date: NOW },
  )
}

describe(`the documented maximum of ${MAX_PRESENTATION_CREDENTIALS} credentials in one presentation`, () => {
  it.each(['vc2', 'vc1.1'] as const)(
    '%s: 32 Institute credentials (AIDA, CAAE, AIMA, the heaviest recipients) verify in one signed presentation',
    async (format) => {
      const credentials = issued[format].slice(0, MAX_PRESENTATION_CREDENTIALS)
      // Together they hold far more objects without an id (6 to 8 each) than the default limit:
      // only a count per credential lets the documented maximum through.
      expect(6 * MAX_PRESENTATION_CREDENTIALS).toBeGreaterThan(DEFAULT_MAX_BLANK_NODES)
      const r = await verifyPresentation(await presentation(credentials, format), options())
      expect(r.problems).toEqual([])
      expect(r.verified).toBe(true)
      expect(r.holderProven).toBe(true)
      expect(r.credentials).toHaveLength(MAX_PRESENTATION_CREDENTIALS)
      expect(new Set(r.credentials.map((c) => c.result.credential.program?.code))).toEqual(
        new Set(PROGRAM_CODES),
      )
    },
    60_000,
  )

  it.each(['vc2', 'vc1.1'] as const)(
    '%s: 33 credentials fail the structure check with ERR_PRESENTATION_TOO_MANY_CREDENTIALS, not an input-limit code',
    async (format) => {
      const r = await verifyPresentation(await presentation(issued[format], format), options())
      expect(r.verified).toBe(false)
      expect(r.checks.find((c) => c.id === 'input')?.outcome).toBe('passed')
      const structure = r.checks.find((c) => c.id === 'structure')
      expect(structure?.outcome).toBe('failed')
      expect(structure?.problems).toEqual([
        expect.objectContaining({
          code: 'ERR_PRESENTATION_TOO_MANY_CREDENTIALS',
          path: '/verifiableCredential',
        }),
      ])
      expect(r.problems.map((p) => p.code)).toEqual(['ERR_PRESENTATION_TOO_MANY_CREDENTIALS'])
      expect(r.credentials).toEqual([])
    },
    60_000,
  )

  it('the blank-node limit still holds for each credential: one over it fails as it would alone', async () => {
    // An AIDA with a hashed email has 8 objects without an id; a limit of 7 refuses it.
    const [aida] = issued.vc2
    const limits = { maxBlankNodes: 7 }
    const alone = await verifyCredential(aida, {
      trustedIssuers: [institute.did],
      now: NOW,
      limits,
    })
    expect(alone.problems.map((p) => p.code)).toEqual(['ERR_INPUT_TOO_MANY_BLANK_NODES'])
    const r = await verifyPresentation(
      await presentation([aida as Json], 'vc2'),
      options({ limits }),
    )
    expect(r.verified).toBe(false)
    const input = r.checks.find((c) => c.id === 'input')
    expect(input?.outcome).toBe('failed')
    expect(input?.problems).toEqual([
      expect.objectContaining({
        code: 'ERR_INPUT_TOO_MANY_BLANK_NODES',
        path: expect.stringMatching(/^\/verifiableCredential\/0\//) as unknown,
      }),
    ])
  })
})
