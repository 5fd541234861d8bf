/**
 * certify-vc-jose-cose (the W3C vc-jose-cose suite's CLI), with keys made here: every format issues a token that verifies with the same key, and a
 * changed token or a wrong media type fails.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { exportJWK, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { runJoseCose } from '../src/run.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certify-vc-jose-cose-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
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
  expect(
    await runJoseCose([...args, '--output', output], { cwd: dir, stderr: process.stderr }),
  ).toBe(0)
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
