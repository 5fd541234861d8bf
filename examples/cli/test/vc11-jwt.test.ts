/**
 * The VC 1.1 generator's JWT flags (the W3C VC 1.1 suite's JWT section), with a key made here.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runVc11Generator } from '../src/vc11-generator.js'
import { makeTempDir, removeTempDir, testIo } from './helpers.js'

let dir: string
beforeAll(async () => {
  dir = await makeTempDir()
})
afterAll(async () => {
  await removeTempDir(dir)
})

function jwtPart(token: string, i: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[i] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
}

describe('vc11-generator JWT flags', () => {
  it('encodes a VC 1.1 credential as a VC-JWT (RS256) and decodes one back', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const keys = Buffer.from(
      JSON.stringify({
        rs256PrivateKeyJwk: { ...privateKey.export({ format: 'jwk' }), kid: 'k1' },
      }),
    ).toString('base64')
    const vc = {
      '@context': [
        'https://www.w3.org/2018/credentials/v1',
        'https://www.w3.org/2018/credentials/examples/v1',
      ],
      id: 'http://example.edu/credentials/58473',
      type: 'VerifiableCredential',
      issuer: 'https://example.edu/issuers/14',
      issuanceDate: '2010-01-01T19:23:24Z',
      expirationDate: '2020-01-01T19:23:24Z',
      credentialSubject: { id: 'did:example:ebfeb1f712ebc6f1c276e12ec21', alumniOf: 'Example' },
    }
    const file = join(dir, 'vc11.jsonld')
    await writeFile(file, JSON.stringify(vc))
    const io = testIo({ cwd: dir })
    const code = await runVc11Generator(
      ['--jwt', keys, '--jwt-aud', 'did:example:0xcafe', file],
      io,
    )
    expect(io.err()).toBe('')
    expect(code).toBe(0)
    const jwt = io.out().trim()
    expect(jwtPart(jwt, 0)).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: 'k1' })
    expect(jwtPart(jwt, 1)).toMatchObject({
      iss: vc.issuer,
      jti: vc.id,
      sub: vc.credentialSubject.id,
      nbf: 1262373804,
      exp: 1577906604,
      aud: 'did:example:0xcafe',
      vc: { type: 'VerifiableCredential' },
    })
    const tokenFile = join(dir, 'vc11.jwt')
    await writeFile(tokenFile, jwt)
    const io2 = testIo({ cwd: dir })
    expect(await runVc11Generator(['--jwt', keys, '--jwt-decode', tokenFile], io2)).toBe(0)
    expect(JSON.parse(io2.out())).toMatchObject({
      id: vc.id,
      issuer: vc.issuer,
      issuanceDate: vc.issuanceDate,
      expirationDate: vc.expirationDate,
    })
  })
})
