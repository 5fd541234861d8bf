/**
 * signGenericCredential: generic VC 1.1 / 2.0 credentials for the VC API, with inline contexts.
 */
import { CONTEXT_URLS, createDocumentLoader } from '@certify-vc/context'
import { verifyDocumentProofs, createSuite } from '@certify-vc/core'
import { describe, expect, it } from 'vitest'
import { generateIssuerKey, signGenericCredential } from '../src/index.js'

const key = await generateIssuerKey({ seed: new Uint8Array(32).fill(9) })

function vc(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': [
      CONTEXT_URLS.credentialsV2,
      {
        '@context': {
          ExampleCredential: 'https://example.org/ExampleCredential',
          shoe: 'https://example.org/shoe',
        },
      },
    ],
    type: ['VerifiableCredential', 'ExampleCredential'],
    issuer: { id: key.did, name: 'Example' },
    credentialSubject: { id: 'did:example:1', shoe: 'red' },
    ...overrides,
  }
}

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
    return undefined
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).name
  }
}

describe('signGenericCredential', () => {
  it('signs a VC 2.0 credential with an inline context (eddsa-rdfc-2022) that verifies', async () => {
    const signed = await signGenericCredential(vc(), { key, created: '2026-11-29T12:00:00Z' })
    expect(signed.proof).toMatchObject({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      created: '2026-11-29T12:00:00Z',
      verificationMethod: key.verificationMethodId,
      proofPurpose: 'assertionMethod',
    })
    const { outcomes } = await verifyDocumentProofs(signed, {
      suites: [createSuite('eddsa-rdfc-2022')],
      documentLoader: createDocumentLoader(),
      purpose: { term: 'assertionMethod' },
    })
    expect(outcomes.map((o) => o.verified)).toEqual([true])
    expect(vc()).not.toHaveProperty('proof')
  })

  it('signs VC 1.1 with Ed25519Signature2020 by default', async () => {
    const signed = await signGenericCredential(
      {
        '@context': [CONTEXT_URLS.credentialsV1, CONTEXT_URLS.ed25519Signature2020V1],
        type: ['VerifiableCredential'],
        issuer: key.did,
        issuanceDate: '2026-01-01T00:00:00Z',
        credentialSubject: { id: 'did:example:1' },
      },
      { key },
    )
    expect((signed.proof as { type: string }).type).toBe('Ed25519Signature2020')
  })

  it.each([
    ['another issuer', vc({ issuer: 'did:example:other' }), 'ERR_ISSUE_INVALID_INPUT'],
    ['a proof already', vc({ proof: {} }), 'ERR_ISSUE_INVALID_INPUT'],
    ['no subject', (({ credentialSubject: _s, ...rest }) => rest)(vc()), 'ERR_STRUCTURE_INVALID'],
    ['a wrong first context', vc({ '@context': [CONTEXT_URLS.didV1] }), 'ERR_CONTEXT_ORDER'],
    [
      'an undefined term',
      vc({ '@context': [CONTEXT_URLS.credentialsV1], issuanceDate: '2026-01-01T00:00:00Z' }),
      'ERR_JSONLD_UNDEFINED_TERM',
    ],
    [
      'an inline @import',
      vc({ '@context': [CONTEXT_URLS.credentialsV2, { '@import': 'https://evil.example/ctx' }] }),
      'ERR_CONTEXT_UNKNOWN',
    ],
    [
      'a remote context',
      vc({ '@context': [CONTEXT_URLS.credentialsV2, 'https://evil.example/ctx'] }),
      'ERR_DOCUMENT_NOT_FOUND',
    ],
    [
      'a redefined protected term',
      vc({
        '@context': [
          CONTEXT_URLS.credentialsV2,
          { VerifiableCredential: 'https://evil.example/VC' },
        ],
      }),
      'ERR_JSONLD_INVALID',
    ],
    [
      'a __proto__ key',
      JSON.parse(
        '{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"issuer":"' +
          key.did +
          '","credentialSubject":{"__proto__":{"a":1}}}',
      ) as Record<string, unknown>,
      'ERR_INPUT_FORBIDDEN_KEY',
    ],
    [
      'VC 1.1 without issuanceDate',
      vc({ '@context': [CONTEXT_URLS.credentialsV1] }),
      'ERR_STRUCTURE_INVALID',
    ],
  ])('refuses %s', async (_name, credential, expected) => {
    expect(await code(signGenericCredential(credential, { key }))).toBe(expected)
  })

  it('throws TypeError for bad options', async () => {
    await expect(signGenericCredential(vc(), { key, suite: 'Foo' as never })).rejects.toThrow(
      TypeError,
    )
    await expect(signGenericCredential(vc(), { key, extra: 1 } as never)).rejects.toThrow(TypeError)
    await expect(signGenericCredential('x' as never, { key })).rejects.toThrow(TypeError)
  })
})
