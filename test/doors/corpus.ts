/**
 * The one-verdict corpus: genuine and tampered credentials of both data models for every program,
 * generic VC 2.0 credentials (eddsa-rdfc-2022, eddsa-jcs-2022, an inline context), the attack
 * fixtures that need no special verifier options, and Open Badges signed live by other stacks
 * (URI issuers, no `name`, eddsa-jcs-2022).
 *
 * @module
 */
import { PROGRAM_CODES } from '@certify-vc/context'
import { envelopeJwt } from '@certify-vc/core'
import {
  generateIssuerKey,
  issueCredential,
  issueCredentialJwt,
  signGenericCredential,
} from '@certify-vc/issuer'
import { loadManifest, readJsonFixture } from '../attacks/run-fixture.js'
import { corpus as interopCorpus } from '../interop/other-stacks.js'

/** One credential to send through every door. */
export interface CorpusEntry {
  /** Unique, readable: where it comes from and what it is. */
  readonly name: string
  readonly credential: Record<string, unknown>
}

export interface Corpus {
  readonly entries: readonly CorpusEntry[]
  /** Every issuer the corpus's trusted credentials name (the doors all trust these). */
  readonly trustedIssuers: readonly string[]
  /** The did:key of the corpus's own Institute-style issuer. */
  readonly instituteDid: string
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A copy of `vc` whose learner's name was changed after signing. */
function tampered(vc: Json): Json {
  const copy = structuredClone(vc)
  const subject = copy.credentialSubject as Json
  subject.name = `${String(subject.name)} (altered)`
  return copy
}

/**
 * The attack fixtures a door can take as they are: a JSON object, verified without a status
 * check, extra DID documents or contexts, special limits, clock skew or presentation options,
 * and carrying no `credentialStatus` (status lists are served differently by each door).
 */
function attackFixtures(): { entries: CorpusEntry[]; trusted: string[] } {
  const entries: CorpusEntry[] = []
  const trusted = new Set<string>()
  for (const entry of loadManifest().fixtures) {
    const o = entry.options
    const plain =
      entry.input === 'json' &&
      o.status === false &&
      o.didDocuments === undefined &&
      o.additionalContexts === undefined &&
      o.presentation === undefined &&
      o.limits === undefined &&
      o.unknownOptions === undefined &&
      o.maxClockSkewSeconds === undefined
    if (!plain) continue
    const doc = readJsonFixture(entry.file)
    if (!isObject(doc) || 'credentialStatus' in doc) continue
    // A trust list names signing keys: the CLI refuses an X25519 did:key there (a usage error),
    // so the doors trust only the others (the fixture's verdict is a key error either way).
    for (const did of o.trustedIssuers) if (!did.startsWith('did:key:z6LS')) trusted.add(did)
    entries.push({ name: `attack ${entry.file}`, credential: doc })
  }
  return { entries, trusted: [...trusted] }
}

/** Builds the whole corpus (signs the Institute-style and generic credentials, runs the other stacks). */
export async function buildCorpus(): Promise<Corpus> {
  const key = await generateIssuerKey()
  const entries: CorpusEntry[] = []
  for (const program of PROGRAM_CODES) {
    for (const format of ['vc2', 'vc1.1'] as const) {
      const vc = (await issueCredential({
        program,
        format,
        key,
        recipient: {
          name: 'Ada Lovelace',
          did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
        },
      })) as unknown as Json
      entries.push({ name: `issued ${program} ${format}`, credential: vc })
      entries.push({ name: `issued ${program} ${format}, name altered`, credential: tampered(vc) })
    }
    // The same program secured as a JWT (VC-JOSE-COSE), as an EnvelopedVerifiableCredential,
    // and one whose payload was changed after signing.
    const { jwt } = await issueCredentialJwt({
      program,
      key,
      recipient: {
        name: 'Ada Lovelace',
        did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
      },
    })
    entries.push({ name: `issued ${program} vc+jwt`, credential: envelopeJwt(jwt) })
    const [h, p, sig] = jwt.split('.')
    const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as Json
    ;(payload.credentialSubject as Json).name = 'Eve'
    const altered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`
    entries.push({
      name: `issued ${program} vc+jwt, name altered`,
      credential: envelopeJwt(altered),
    })
  }

  const generic: Json = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: 'urn:uuid:0b4b6bd5-3b0c-4b83-9d36-2cbf4a1c9a11',
    type: ['VerifiableCredential'],
    issuer: key.did,
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: { id: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' },
  }
  for (const suite of ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const) {
    const signed = (await signGenericCredential(generic, { key, suite })) as Json
    entries.push({ name: `generic VC 2.0 ${suite}`, credential: signed })
    const altered = structuredClone(signed)
    ;(altered.credentialSubject as Json).id = 'did:example:someone-else'
    entries.push({ name: `generic VC 2.0 ${suite}, subject altered`, credential: altered })
  }
  const inline = (await signGenericCredential(
    {
      ...generic,
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        { '@vocab': 'https://example.org/vocab#' },
      ],
      credentialSubject: { ...(generic.credentialSubject as Json), skill: 'Haskell' },
    },
    { key, suite: 'eddsa-rdfc-2022' },
  )) as Json
  entries.push({ name: 'generic VC 2.0 with an inline context', credential: inline })

  const attacks = attackFixtures()
  entries.push(...attacks.entries)

  // Every other issuer is trusted, so that each profile sees both trusted and untrusted ones.
  const interopTrusted: string[] = []
  for (const [index, entry] of (await interopCorpus()).entries()) {
    if (index % 2 === 0) interopTrusted.push(entry.issuer)
    const trust = index % 2 === 0 ? 'trusted' : 'untrusted'
    entries.push({ name: `interop ${entry.name} (${trust})`, credential: entry.credential })
  }

  return {
    entries,
    trustedIssuers: [...new Set([key.did, ...attacks.trusted, ...interopTrusted])],
    instituteDid: key.did,
  }
}
