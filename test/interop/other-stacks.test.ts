/**
 * The interop corpus (other-stacks.ts): Open Badges 3.0 credentials signed live by code certify-vc
 * did not write. Each is well formed (shape, contexts, proof, and both OB schemas with their
 * expected differences), was made offline, and is verified by the stack that signed it and by the
 * other stack. Nothing here asks certify-vc's verifier anything: the corpus is for the
 * verification pipeline to be run against. Also pinned: SpruceID's own `@spruceid/didkit-wasm-node`
 * 0.2.1 cannot sign an OB 3.0 credential.
 */
import * as didkitNode from '@spruceid/didkit-wasm-node'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { CONTEXT_URLS } from '@certify-vc/context'
import {
  errorsAgainstOfficial,
  errorsAgainstOurs,
  pathsOf,
  type SchemaError,
} from '../conformance/schemas.js'
import { INTEROP_ACHIEVEMENT, LEARNER_DID, VALID_FROM, contextsFor } from './ob-template.js'
import {
  corpus,
  verifyWithDigitalBazaar,
  verifyWithOwnStack,
  verifyWithSsi,
  type InteropCredential,
} from './other-stacks.js'

/** Every entry of the corpus, in its order. */
const EXPECTED = [
  'digitalbazaar eddsa-rdfc-2022 vc2 uri issuer, no name',
  'digitalbazaar eddsa-rdfc-2022 vc2 profile issuer, named',
  'digitalbazaar Ed25519Signature2020 vc1.1 uri issuer, no name',
  'digitalbazaar Ed25519Signature2020 vc1.1 profile issuer, named',
  'digitalbazaar eddsa-jcs-2022 vc2 uri issuer, no name',
  'spruceid-ssi eddsa-rdfc-2022 vc2 uri issuer, no name',
  'spruceid-ssi eddsa-rdfc-2022 vc2 profile issuer, named',
  'spruceid-ssi Ed25519Signature2020 vc1.1 uri issuer, no name',
  'spruceid-ssi Ed25519Signature2020 vc1.1 profile issuer, named',
]

/** Records every `fetch` and refuses it: the corpus must be made offline. */
function stubFetch(): string[] {
  const fetched: string[] = []
  vi.stubGlobal('fetch', (input: unknown) => {
    fetched.push(input instanceof Request ? input.url : String(input))
    return Promise.reject(new TypeError('offline: the interop tests use no network'))
  })
  return fetched
}
afterEach(() => {
  vi.unstubAllGlobals()
})

let entries: InteropCredential[]
let fetchedWhileSigning: string[]
beforeAll(async () => {
  fetchedWhileSigning = stubFetch()
  entries = await corpus()
  vi.unstubAllGlobals()
})
const entry = (name: string): InteropCredential => {
  const found = entries.find((e) => e.name === name)
  if (found === undefined) throw new Error(`no corpus entry ${name}`)
  return found
}

describe('the corpus', () => {
  it('has every stack, suite and variant, each with its own fresh did:key, made offline', () => {
    expect(entries.map((e) => e.name)).toEqual(EXPECTED)
    expect(new Set(entries.map((e) => e.issuer)).size).toBe(entries.length)
    for (const e of entries) expect(e.issuer).toMatch(/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]+$/)
    expect(fetchedWhileSigning).toEqual([])
  })
})

// docs/ob-v3p0-data-model.md: proof is [0..*] array-compacted, so a single object is allowed in
// the compacted form; 1EdTech's generated schema (uncompacted) wants an array.
const PROOF_NOT_ARRAY: SchemaError = {
  instancePath: '/proof',
  keyword: 'type',
  params: { type: 'array' },
}

describe('each credential is a well-formed OB 3.0 credential', () => {
  for (const name of EXPECTED) {
    it(name, () => {
      const { credential: vc, format, issuer, issuerKind, hasName, suite } = entry(name)
      // Only the VC context and the OB 3.0.3 context (and, for VC 1.1, the suite context).
      expect(vc['@context']).toEqual(contextsFor(format))
      expect(vc.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential'])
      expect(vc.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/)
      if (issuerKind === 'uri') {
        expect(vc.issuer).toBe(issuer)
      } else {
        const profile = vc.issuer as Record<string, unknown>
        expect(Object.keys(profile).sort()).toEqual(['id', 'name', 'type'])
        expect([profile.id, profile.type, typeof profile.name]).toEqual([
          issuer,
          ['Profile'],
          'string',
        ])
      }
      expect('name' in vc).toBe(hasName)
      if (format === 'vc2') {
        expect(vc.validFrom).toBe(VALID_FROM)
        expect(vc).not.toHaveProperty('issuanceDate')
      } else {
        expect(vc.issuanceDate).toBe(VALID_FROM)
        expect(vc).not.toHaveProperty('validFrom')
      }
      expect(vc.credentialSubject).toEqual({
        id: LEARNER_DID,
        type: ['AchievementSubject'],
        achievement: INTEROP_ACHIEVEMENT,
      })
      // One embedded proof, by the issuer's did:key, for assertionMethod.
      const proof = vc.proof as Record<string, unknown>
      expect(Array.isArray(proof)).toBe(false)
      expect(proof).toMatchObject({
        type: suite === 'Ed25519Signature2020' ? suite : 'DataIntegrityProof',
        ...(suite === 'Ed25519Signature2020' ? {} : { cryptosuite: suite }),
        proofPurpose: 'assertionMethod',
        verificationMethod: `${issuer}#${issuer.slice('did:key:'.length)}`,
      })
      expect(proof.proofValue).toMatch(/^z[1-9A-HJ-NP-Za-km-z]+$/)
      expect(Number.isNaN(Date.parse(String(proof.created)))).toBe(false)
      // eddsa-jcs-2022 copies the document's @context into the proof (vc-di-eddsa §3.3.1).
      if (suite === 'eddsa-jcs-2022') expect(proof['@context']).toEqual(vc['@context'])
      else expect(proof).not.toHaveProperty('@context')
    })
  }
})

describe('each credential against the two OB 3.0 schemas', () => {
  for (const name of EXPECTED) {
    it(name, () => {
      const { credential: vc, format, issuerKind } = entry(name)
      if (format === 'vc2') {
        // The VC 2.0 edition: URI issuer and no name are allowed; only the compacted proof differs.
        expect(errorsAgainstOurs(vc)).toEqual([])
        expect(errorsAgainstOfficial(vc)).toEqual([PROOF_NOT_ARRAY])
        expect(errorsAgainstOfficial({ ...vc, proof: [vc.proof] })).toEqual([])
        return
      }
      // The legacy VC 1.1 edition (AchievementCredentialv1p1) wants a name and a Profile issuer:
      // the URI-issuer, unnamed VC 1.1 credentials are VC 1.1 conformant but not OB 3.0 ones.
      expect(pathsOf(errorsAgainstOurs(vc))).toEqual(
        issuerKind === 'uri' ? [':required', '/issuer:type', ':if'] : [],
      )
      // 1EdTech's file covers only the VC 2.0 edition.
      expect(pathsOf(errorsAgainstOfficial(vc))).toEqual([
        ':required',
        '/@context/0:enum',
        '/proof:type',
      ])
    })
  }
})

describe('each credential is verified by the stack that signed it (cross-check, not certify-vc)', () => {
  for (const name of EXPECTED) {
    it(name, async () => {
      const e = entry(name)
      const fetched = stubFetch()
      expect(await verifyWithOwnStack(e)).toEqual({ verified: true })
      // Not vacuous: the same stack refuses the credential once the achievement is renamed.
      const tampered = structuredClone(e.credential)
      const subject = tampered.credentialSubject as { achievement: { name: string } }
      subject.achievement.name = 'Something else'
      expect((await verifyWithOwnStack({ ...e, credential: tampered })).verified).toBe(false)
      expect(fetched).toEqual([])
    })
  }
})

describe('and by the other stack', () => {
  it('the Digital Bazaar libraries verify every credential ssi signed', async () => {
    for (const e of entries.filter((x) => x.stack === 'spruceid-ssi')) {
      expect(await verifyWithDigitalBazaar(e.credential, e.suite), e.name).toEqual({
        verified: true,
      })
    }
  })
  it('ssi verifies every credential the Digital Bazaar libraries signed, but eddsa-jcs-2022', async () => {
    for (const e of entries.filter((x) => x.stack === 'digitalbazaar')) {
      if (e.suite === 'eddsa-jcs-2022') {
        // DIDKit 0.4.0 predates the name: it knows `json-eddsa-2022`, not `eddsa-jcs-2022`, and
        // fails while reading this proof.
        await expect(verifyWithSsi(e.credential), e.name).rejects.toThrow(/OneOrMany/)
        continue
      }
      expect(await verifyWithSsi(e.credential), e.name).toEqual({ verified: true, errors: [] })
    }
  })
})

describe("SpruceID's own build, @spruceid/didkit-wasm-node 0.2.1, cannot sign OB 3.0", () => {
  const unsigned = (context: string[], date: Record<string, string>) => ({
    '@context': context,
    id: 'urn:uuid:9b1b4c5e-3f0a-4c59-9a57-6f3c2f3f2d10',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    ...date,
    credentialSubject: { id: LEARNER_DID },
  })
  async function sign(credential: Record<string, unknown>): Promise<Record<string, unknown>> {
    const jwk = didkitNode.generateEd25519Key()
    const did = didkitNode.keyToDID('key', jwk)
    const verificationMethod = (await didkitNode.keyToVerificationMethod('key', jwk)) as string
    const options = {
      proofPurpose: 'assertionMethod',
      verificationMethod,
      type: 'Ed25519Signature2020',
    }
    const signed = (await didkitNode.issueCredential(
      JSON.stringify({ ...credential, issuer: did }),
      JSON.stringify(options),
      jwk,
    )) as string
    return JSON.parse(signed) as Record<string, unknown>
  }

  it('it works: a VC 1.1 credential with only its built-in contexts is signed', async () => {
    const vc = await sign(unsigned([CONTEXT_URLS.credentialsV1], { issuanceDate: VALID_FROM }))
    expect(vc.proof).toMatchObject({ type: 'Ed25519Signature2020' })
  })

  it('it refuses the VC 2.0 context', async () => {
    await expect(sign(unsigned(contextsFor('vc2'), { validFrom: VALID_FROM }))).rejects.toThrow(
      /Invalid context/,
    )
  })

  it('it fails on the OB 3.0 context, which it neither bundles nor fetches, and takes no loader', async () => {
    const fetched = stubFetch()
    await expect(
      sign(unsigned(contextsFor('vc1.1'), { issuanceDate: VALID_FROM })),
    ).rejects.toThrow(/loading remote context failed/)
    expect(fetched).toEqual([])
    expect(didkitNode.issueCredential).toHaveLength(3) // credential, proof options, key
  })
})
