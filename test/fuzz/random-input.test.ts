/**
 * Random JSON values, strings and bytes into verifyCredential and verifyPresentation: nothing is
 * ever thrown, every result is well formed with known codes, and nothing random verifies.
 */
import { verifyCredential, verifyPresentation } from '@certify-vc/verifier'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SEED, expectWellFormed, params, timeout } from './fuzz-helpers.js'

const NOW = new Date('2026-11-29T12:00:00Z')
const credentialOptions = {
  trustedIssuers: ['did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
  now: NOW,
  status: false,
} as const
const presentationOptions = {
  ...credentialOptions,
  challenge: 'fuzz-challenge',
  domain: 'employer.example',
}

/** JSON values that look a little like credentials some of the time. */
const credentialish = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 6 }) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        '@context': fc.oneof(
          fc.constant(['https://www.w3.org/ns/credentials/v2']),
          fc.array(fc.oneof(fc.webUrl(), fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }),
        ),
        id: fc.oneof(fc.webUrl(), fc.string(), fc.constant('urn:uuid:1')),
        type: fc.oneof(
          fc.constant(['VerifiableCredential', 'OpenBadgeCredential']),
          fc.constant(['VerifiablePresentation']),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        issuer: fc.jsonValue({ maxDepth: 3 }),
        validFrom: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
        ),
        credentialSubject: fc.jsonValue({ maxDepth: 4 }),
        verifiableCredential: fc.jsonValue({ maxDepth: 4 }),
        holder: fc.oneof(fc.string(), fc.webUrl()),
        proof: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: [] },
    ),
  },
)

const text = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 5 }),
)
const bytes = fc.uint8Array({ maxLength: 2000 })

describe(`fuzz: random input (seed ${SEED})`, () => {
  it(
    'verifyCredential: random JSON values never throw, never verify, always well formed',
    async () => {
      await fc.assert(
        fc.asyncProperty(credentialish, async (value) => {
          const r = await verifyCredential(value, credentialOptions)
          expectWellFormed(r, 'credential')
          expect(r.verified).toBe(false)
        }),
        params(400),
      )
    },
    timeout(),
  )

  it(
    'verifyCredential: random strings (JSON text or not) and random bytes never throw',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(text, bytes), async (value) => {
          const r = await verifyCredential(value, credentialOptions)
          expectWellFormed(r, 'credential')
          expect(r.verified).toBe(false)
        }),
        params(400),
      )
    },
    timeout(),
  )

  it(
    'verifyPresentation: random JSON values, strings and bytes never throw, never verify',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(credentialish, text, bytes), async (value) => {
          const r = await verifyPresentation(value, presentationOptions)
          expectWellFormed(r, 'presentation')
          expect(r.verified).toBe(false)
          expect(r.holderProven).toBe(false)
        }),
        params(300),
      )
    },
    timeout(),
  )
})
