/**
 * certify-vc-jose-cose (the W3C vc-jose-cose suite's CLI) and the VC 1.1 generator's JWT flags,
 * with keys made here: every format issues a token that verifies with the same key, and a
 * changed token or a wrong media type fails.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runJoseCose } from '../src/jose-cose/run.js'
import { runVc11Generator } from '../src/vc11-generator.js'
import { makeTempDir, removeTempDir, testIo } from './helpers.js'

let dir: string
beforeAll(async () => {
  dir = await makeTempDir()
})
afterAll(async () => {
  await removeTempDir(dir)
})

const ISSUER = 'https://example.issuer/vc-jose-cose'
const credential = {
  '@context': [
    'https://www.w3.org/ns/credentials/v2',
    'https://www.w3.org/ns/credentials/examples/v2',
  ],
  id: 'http://university.example/credentials/1872',
  type: ['VerifiableCredential', 'ExampleAlumniCredential'],
  issuer: ISSUER,
  validFrom: '2010-01-01T19:23:24Z',
  credentialSubject: { id: 'did:example:123', firstName: 'Ada', lastName: 'Lovelace' },
}

async function keyFile(alg: 'ES256' | 'ES384' | 'EdDSA', name: string): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
  })
  const kid = `${name}-kid`
  const file = join(dir, `${name}.json`)
  await writeFile(
    file,
    JSON.stringify({
      id: `${ISSUER}#${name}`,
      type: 'JsonWebKey',
      controller: ISSUER,
      publicKeyJwk: { ...(await exportJWK(publicKey)), kid, alg },
      secretKeyJwk: { ...(await exportJWK(privateKey)), kid, alg },
    }),
  )
  return file
}

async function run(args: string[]): Promise<{ result: string; data: string }> {
  const output = join(dir, 'out.json')
  expect(await runJoseCose([...args, '--output', output], testIo({ cwd: dir }))).toBe(0)
  return JSON.parse(await readFile(output, 'utf8')) as { result: string; data: string }
}

describe('certify-vc-jose-cose', () => {
  for (const [feature, alg] of [
    ['credential_jose', 'ES256'],
    ['credential_jose', 'EdDSA'],
    ['credential_sdjwt', 'ES384'],
    ['credential_cose', 'EdDSA'],
  ] as const) {
    it(`${feature} (${alg}): issues, verifies, refuses a changed token`, async () => {
      const key = await keyFile(alg, `${feature}-${alg}`)
      const input = join(dir, 'in.json')
      await writeFile(input, JSON.stringify(credential))
      const sd = feature === 'credential_sdjwt' ? ['--sd', '["credentialSubject.firstName"]'] : []
      const issued = await run([
        'issue',
        '--input',
        input,
        '--key',
        key,
        '--feature',
        feature,
        ...sd,
      ])
      expect(issued.result).toBe('success')
      const token = join(dir, 'token.txt')
      await writeFile(token, issued.data)
      expect(
        (await run(['verify', '--input', token, '--key', key, '--feature', feature])).result,
      ).toBe('success')
      // One character of the signature changed.
      const data = issued.data
      const i = feature === 'credential_sdjwt' ? data.indexOf('~') - 5 : data.length - 5
      await writeFile(token, data.slice(0, i) + (data[i] === 'A' ? 'B' : 'A') + data.slice(i + 1))
      expect(
        (await run(['verify', '--input', token, '--key', key, '--feature', feature])).result,
      ).toBe('failure')
    })
  }

  it('refuses unknown top-level members at issue, and plain JSON at verify', async () => {
    const key = await keyFile('ES256', 'strict')
    const input = join(dir, 'in.json')
    await writeFile(input, JSON.stringify({ ...credential, badExtension: 1 }))
    const args = ['--input', input, '--key', key, '--feature', 'credential_jose']
    expect((await run(['issue', ...args])).result).toBe('failure')
    await writeFile(input, JSON.stringify(credential))
    expect((await run(['verify', ...args])).result).toBe('failure')
  })
})

describe('vc11-generator JWT flags', () => {
  it('encodes a VC 1.1 credential as a VC-JWT (RS256) and decodes one back', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    const keys = Buffer.from(
      JSON.stringify({ rs256PrivateKeyJwk: { ...(await exportJWK(privateKey)), kid: 'k1' } }),
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
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: 'k1' })
    expect(decodeJwt(jwt)).toMatchObject({
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
