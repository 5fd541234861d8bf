/** Loads attack fixtures and verifies them with the options their manifest entry names. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createDocumentLoader } from '@certify-vc/context'
import {
  createDefaultDidResolver,
  createOfflineStatusListSource,
  verifyCredential,
  verifyPresentation,
  type DidResolver,
  type StatusListSource,
  type VerifyCredentialOptions,
  type VerifyCredentialResult,
  type VerifyPresentationResult,
} from '@certify-vc/verifier'
import type { FixtureEntry, FixtureManifest } from './manifest.js'

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/attacks/', import.meta.url))

export function readFixture(file: string): Buffer {
  return readFileSync(FIXTURE_DIR + file)
}

export function readJsonFixture(file: string): unknown {
  return JSON.parse(readFixture(file).toString('utf8'))
}

export function loadManifest(): FixtureManifest {
  return readJsonFixture('manifest.json') as FixtureManifest
}

/** The fixture as the verifier gets it (value, text or bytes). */
export function fixtureInput(entry: FixtureEntry): unknown {
  const raw = readFixture(entry.file)
  if (entry.input === 'bytes') return new Uint8Array(raw)
  if (entry.input === 'text') return raw.toString('utf8')
  return JSON.parse(raw.toString('utf8'))
}

/** A resolver that serves fixed DID documents and falls back to did:key. */
export function staticDidResolver(documents: Record<string, unknown>): DidResolver {
  const fallback = createDefaultDidResolver()
  return {
    resolve(did) {
      if (Object.hasOwn(documents, did)) {
        return Promise.resolve({
          didDocument: structuredClone(documents[did]),
          didResolutionMetadata: {},
        })
      }
      return fallback.resolve(did)
    },
  }
}

/** A status source that records the URLs asked for. */
export function recording(source: StatusListSource): StatusListSource & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    get(url, options) {
      calls.push(url)
      return source.get(url, options)
    },
  }
}

/** The verification options of a manifest entry (plus a recording status source). */
export function fixtureOptions(
  entry: FixtureEntry,
  overrides: Partial<VerifyCredentialOptions> = {},
): { options: VerifyCredentialOptions; statusCalls: string[] } {
  const o = entry.options
  let statusCalls: string[] = []
  let status: VerifyCredentialOptions['status'] = false
  if (o.status !== false) {
    const lists: Record<string, unknown> = {}
    for (const [url, file] of Object.entries(o.status.lists)) lists[url] = readJsonFixture(file)
    const source = recording(createOfflineStatusListSource(lists))
    statusCalls = source.calls
    status = { source, cache: false }
  }
  const didDocuments: Record<string, unknown> = {}
  for (const [did, file] of Object.entries(o.didDocuments ?? {})) {
    didDocuments[did] = readJsonFixture(file)
  }
  const contexts: Record<string, unknown> = {}
  for (const [url, file] of Object.entries(o.additionalContexts ?? {})) {
    contexts[url] = readJsonFixture(file)
  }
  const options: VerifyCredentialOptions = {
    ...(o.unknownOptions ?? {}),
    trustedIssuers: o.trustedIssuers,
    now: new Date(o.now),
    ...(o.maxClockSkewSeconds === undefined ? {} : { maxClockSkewSeconds: o.maxClockSkewSeconds }),
    ...(o.limits === undefined ? {} : { limits: o.limits }),
    status,
    ...(o.didDocuments === undefined ? {} : { didResolver: staticDidResolver(didDocuments) }),
    ...(o.additionalContexts === undefined
      ? {}
      : {
          additionalContexts: Object.keys(contexts),
          documentLoader: createDocumentLoader({
            documents: contexts,
            fallback: createDocumentLoader(),
          }),
        }),
    ...overrides,
  }
  return { options, statusCalls }
}

/** Verifies a manifest entry's fixture. */
export async function verifyFixture(
  entry: FixtureEntry,
  overrides: Partial<VerifyCredentialOptions> = {},
): Promise<{
  result: VerifyCredentialResult | VerifyPresentationResult
  statusCalls: string[]
}> {
  const { options, statusCalls } = fixtureOptions(entry, overrides)
  const vp = entry.options.presentation
  const result =
    vp === undefined
      ? await verifyCredential(fixtureInput(entry), options)
      : await verifyPresentation(fixtureInput(entry), {
          ...options,
          domain: vp.domain,
          ...(vp.challenge === undefined ? {} : { challenge: vp.challenge }),
          ...(vp.unsignedPresentation === undefined
            ? {}
            : { unsignedPresentation: vp.unsignedPresentation }),
          ...(vp.holderBinding === undefined ? {} : { holderBinding: vp.holderBinding }),
        })
  return { result, statusCalls }
}
