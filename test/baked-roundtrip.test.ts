/**
 * Issuer → baked badge → verifier: every program, both formats and both images verify exactly
 * as their JSON does; a credential altered inside the badge fails its proof (docs/design.md §10).
 */
import { PROGRAM_CODES } from '@certify-vc/context'
import { bakePng, bakeSvg, unbakePng, unbakeSvg } from '@certify-vc/core'
import {
  bakeCredential,
  generateIssuerKey,
  issueCredential,
  type IssuerKey,
} from '@certify-vc/issuer'
import { verifyCredential } from '@certify-vc/verifier'
import { beforeAll, describe, expect, it } from 'vitest'

let key: IssuerKey
beforeAll(async () => {
  key = await generateIssuerKey()
})

describe('issuer → baked badge → verifier', () => {
  for (const program of PROGRAM_CODES) {
    for (const format of ['vc2', 'vc1.1'] as const) {
      it(`${program} (${format}) in its PNG and SVG badge verifies as its JSON does`, async () => {
        const credential = await issueCredential({
          program,
          format,
          key,
          recipient: {
            name: 'Ada Lovelace',
            did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
          },
        })
        const options = { trustedIssuers: [key.did] }
        const fromJson = await verifyCredential(JSON.stringify(credential), options)
        expect(fromJson.verified).toBe(true)
        const png = await bakeCredential({ credential, format: 'png' })
        const svg = await bakeCredential({ credential, format: 'svg' })
        expect(await verifyCredential(png, options)).toEqual(fromJson)
        expect(await verifyCredential(svg, options)).toEqual(fromJson)

        // Altered inside the (otherwise well-formed) image: the proof catches it.
        const altered = unbakePng(png)!.replace('"Ada Lovelace"', '"Mallory Mallet"')
        for (const image of [
          bakePng(png, altered, { replace: true }),
          bakeSvg(svg, unbakeSvg(svg)!.replace('"Ada Lovelace"', '"Mallory Mallet"'), {
            replace: true,
          }),
        ]) {
          const result = await verifyCredential(image, options)
          expect(result.verified).toBe(false)
          expect(result.checks.find((c) => c.id === 'proof')?.problems.map((p) => p.code)).toEqual([
            'ERR_PROOF_INVALID',
          ])
        }
      })
    }
  }
})
