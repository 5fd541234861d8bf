/**
 * Presentation fixtures: holders with did:key (or a did:example resolved by a test resolver),
 * credentials issued to them, and presentations signed with the shared `signPresentation`.
 */
import {
  createPresentation,
  createSuite,
  signDocument,
  signPresentation,
  type PresentationFormat,
} from '@certify-vc/core'
import {
  createDefaultDidResolver,
  type DidResolver,
  type VerifyPresentationOptions,
  type VerifyPresentationResult,
} from '@certify-vc/verifier'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'
import { expect } from 'vitest'
import { NOW, loader, signedCredential, type TestIssuer } from '../helpers.js'

export const DOMAIN = 'employer.example'
export const CHALLENGE = 'uQ0hBTExFTkdFLTEyOC1iaXQ'

/** An OB credential from `issuer` about `subjectId`. */
export async function credentialFor(
  issuer: TestIssuer,
  subjectId: string,
  extra: { format?: 'vc2' | 'vc1.1'; patch?: (c: Record<string, unknown>) => void } = {},
): Promise<Record<string, unknown>> {
  return signedCredential(issuer, {
    ...(extra.format === undefined ? {} : { format: extra.format }),
    patch: (c) => {
      ;(c.credentialSubject as Record<string, unknown>).id = subjectId
      extra.patch?.(c)
    },
  })
}

/** A presentation by `holder` of `credentials`, signed for `challenge` / `domain`. */
export async function presentationBy(
  holder: TestIssuer,
  credentials: readonly Record<string, unknown>[],
  options: { challenge?: string; domain?: string; format?: PresentationFormat } = {},
): Promise<Record<string, unknown>> {
  const vp = await signPresentation(
    createPresentation({
      holder: holder.did,
      verifiableCredential: credentials,
      ...(options.format === undefined ? {} : { format: options.format }),
    }),
    {
      signer: holder.signer,
      challenge: options.challenge ?? CHALLENGE,
      domain: options.domain ?? DOMAIN,
      date: '2026-11-29T11:59:00Z',
    },
  )
  return vp
}

/** Signs any presentation document as-is with `signer` (bypassing signPresentation's checks). */
export async function signRaw(
  document: Record<string, unknown>,
  signer: TestIssuer,
  purpose:
    { term: 'authentication'; challenge: string; domain?: string } | { term: 'assertionMethod' } = {
    term: 'authentication',
    challenge: CHALLENGE,
    domain: DOMAIN,
  },
): Promise<Record<string, unknown>> {
  return signDocument(document, {
    suite: createSuite('eddsa-rdfc-2022', { signer: signer.signer, date: '2026-11-29T11:59:00Z' }),
    documentLoader: loader,
    purpose,
  })
}

/**
 * A presentation by `holder` of `credentials`, signed for `authentication` with the proof
 * members `signPresentation` does not set: a chosen `created`, an `expires`, and a `domain` that
 * names several domains. Data Integrity allows `domain` to be a string or an array of strings,
 * but the jsonld-signatures purpose writes only a string: an array goes through the suite's proof
 * template, the way `createSuite` writes `expires`.
 */
export async function presentationWithProof(
  holder: TestIssuer,
  credentials: readonly Record<string, unknown>[],
  proof: {
    created: string
    expires?: string
    challenge?: string
    domain?: string | readonly string[]
  },
): Promise<Record<string, unknown>> {
  const suite = createSuite('eddsa-rdfc-2022', {
    signer: holder.signer,
    date: proof.created,
    ...(proof.expires === undefined ? {} : { expires: proof.expires }),
  })
  const domain = proof.domain ?? DOMAIN
  if (typeof domain !== 'string') {
    const template = suite.implementation as { proof?: Record<string, unknown> }
    template.proof = { ...template.proof, domain: [...domain] }
  }
  return signDocument(
    createPresentation({ holder: holder.did, verifiableCredential: credentials }),
    {
      suite,
      documentLoader: loader,
      purpose: {
        term: 'authentication',
        challenge: proof.challenge ?? CHALLENGE,
        ...(typeof domain === 'string' ? { domain } : {}),
      },
    },
  )
}

/** A holder whose DID is `did:example:<name>`, its key listed under the given relationships. */
export async function exampleHolder(
  name: string,
  relationships: readonly ('authentication' | 'assertionMethod')[],
  seedByte: number,
): Promise<{ holder: TestIssuer; didDocument: Record<string, unknown> }> {
  const did = `did:example:${name}`
  const vmId = `${did}#key-1`
  const key = await Ed25519Multikey.generate({
    seed: new Uint8Array(32).fill(seedByte),
    id: vmId,
    controller: did,
  })
  const vm = {
    id: vmId,
    type: 'Multikey',
    controller: did,
    publicKeyMultibase: key.publicKeyMultibase,
  }
  const didDocument: Record<string, unknown> = {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [vm],
  }
  for (const r of relationships) didDocument[r] = [vmId]
  return { holder: { did, vmId, signer: key.signer() }, didDocument }
}

/** did:key locally, plus the given DID documents. */
export function resolverWith(documents: Record<string, unknown>[]): DidResolver {
  const base = createDefaultDidResolver()
  return {
    async resolve(did) {
      const doc = documents.find((d) => d.id === did)
      if (doc !== undefined) return { didDocument: structuredClone(doc), didResolutionMetadata: {} }
      return base.resolve(did)
    },
  }
}

/** Options for a certify-vc employer flow. */
export function vpOptions(
  issuer: TestIssuer,
  extra: { [K in keyof VerifyPresentationOptions]?: VerifyPresentationOptions[K] | undefined } = {},
): VerifyPresentationOptions {
  // `challenge: undefined` in `extra` removes the default challenge (exactOptionalPropertyTypes).
  return {
    challenge: CHALLENGE,
    domain: DOMAIN,
    trustedIssuers: [issuer.did],
    now: NOW,
    status: false,
    ...extra,
  } as VerifyPresentationOptions
}

export function check(result: VerifyPresentationResult, id: string) {
  const c = result.checks.find((x) => x.id === id)
  if (c === undefined) throw new Error(`no check ${id}`)
  return c
}

/** Asserts `verified: false` and that check `id` failed with `code` at `path`. */
export function expectFailure(
  result: VerifyPresentationResult,
  id: string,
  code: string,
  path?: string,
) {
  expect(result.verified).toBe(false)
  const c = check(result, id)
  expect(c.outcome).toBe('failed')
  expect(c.problems).toContainEqual(
    expect.objectContaining(path === undefined ? { code } : { code, path }),
  )
  expect(result.problems).toContainEqual(
    expect.objectContaining(path === undefined ? { code } : { code, path }),
  )
}

export function outcomes(result: VerifyPresentationResult): Record<string, string> {
  return Object.fromEntries(result.checks.map((c) => [c.id, c.outcome]))
}
