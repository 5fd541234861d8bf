/**
 * The wallets of the delivery tests, none of them the server's own code:
 *
 * - {@link libraryWallet}: `@openid4vc/openid4vci` (OpenWallet Foundation, the OpenID4VCI client
 *   Credo and its EU wallets build on), with `jose` signing its JWTs: resolves the offer and the
 *   metadata, redeems the pre-authorized code (with `tx_code`), takes a nonce, proves a did:key,
 *   receives the credential.
 * - {@link lcwExchange}: a VC API exchange client written to the Learner Credential Wallet's
 *   behaviour (its deep-link handler and `handleVcApiExchangeComplete`): parse the
 *   `request=` deep link, POST `{}` to `protocols.vcapi`, answer a `DIDAuthentication` request
 *   with a VC 1.1 presentation signed `Ed25519Signature2020` for its challenge and domain (what
 *   the LCW signs), POST it to `interact.service[0].serviceEndpoint`, and read the credential at
 *   `verifiablePresentation.verifiableCredential[0]`.
 * - {@link verifyWithCli}: the built `certify-vc verify` binary, the status lists fetched from the
 *   server into a folder.
 *
 * @module
 */
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { encodeEd25519PublicKeyMultibase } from '@certify-vc/context'
import { createPresentation, signPresentation } from '@certify-vc/core'
import type { IssuerKey } from '@certify-vc/issuer'
import {
  HashAlgorithm,
  clientAuthenticationAnonymous,
  type CallbackContext,
  type Jwk,
} from '@openid4vc/oauth2'
import { Openid4vciClient, setGlobalConfig } from '@openid4vc/openid4vci'
import { SignJWT, base64url, exportJWK, generateKeyPair, type CryptoKey } from 'jose'

export type Json = Record<string, unknown>

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url))
const CLI = join(REPO, 'examples/cli/dist/main.js')

// The test servers are http on loopback; the library refuses http unless told.
setGlobalConfig({ allowInsecureUrls: true })

/** An Ed25519 holder key made with jose: its did:key, verification method and JWK. */
export interface HolderKey {
  readonly did: string
  readonly kid: string
  readonly publicJwk: Jwk
  readonly privateKey: CryptoKey
}

export async function newHolderKey(): Promise<HolderKey> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true })
  const publicJwk = (await exportJWK(publicKey)) as Jwk
  const multibase = encodeEd25519PublicKeyMultibase(base64url.decode(String(publicJwk.x)))
  return {
    did: `did:key:${multibase}`,
    kid: `did:key:${multibase}#${multibase}`,
    publicJwk,
    privateKey,
  }
}

/** Signs a proof JWT as a wallet would, with any header and payload (for the negative cases). */
export function signProof(key: HolderKey, header: Json, payload: Json): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'openid4vci-proof+jwt', ...header })
    .sign(key.privateKey)
}

/** The library's client with jose behind its callbacks, signing as `key`. */
export function libraryClient(key: HolderKey): Openid4vciClient {
  const callbacks: Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> = {
    hash: (data, alg) =>
      createHash(
        alg === HashAlgorithm.Sha256
          ? 'sha256'
          : alg === HashAlgorithm.Sha384
            ? 'sha384'
            : 'sha512',
      )
        .update(data)
        .digest(),
    generateRandom: (bytes) => randomBytes(bytes),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt: async (_signer, { header, payload }) => ({
      jwt: await new SignJWT(payload as Json)
        .setProtectedHeader(header as Json & { alg: string })
        .sign(key.privateKey),
      signerJwk: key.publicJwk,
    }),
    fetch: (url, init) => fetch(url, init),
  }
  return new Openid4vciClient({ callbacks })
}

/** What the library wallet did, step by step. */
export interface LibraryClaim {
  readonly client: Openid4vciClient
  readonly credentialOffer: Awaited<ReturnType<Openid4vciClient['resolveCredentialOffer']>>
  readonly issuerMetadata: Awaited<ReturnType<Openid4vciClient['resolveIssuerMetadata']>>
  readonly accessToken: string
  readonly nonce: string
  readonly credential: Json
}

/** Claims `offerUri` with the library: metadata, token (with `txCode`), nonce, proof, credential. */
export async function libraryWallet(
  key: HolderKey,
  offerUri: string,
  txCode?: string,
): Promise<LibraryClaim> {
  const client = libraryClient(key)
  const credentialOffer = await client.resolveCredentialOffer(offerUri)
  const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer)
  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer,
    issuerMetadata,
    ...(txCode === undefined ? {} : { txCode }),
  })
  const { c_nonce: nonce } = await client.requestNonce({ issuerMetadata })
  const configurationId = credentialOffer.credential_configuration_ids[0] ?? ''
  const { jwt } = await client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId: configurationId,
    signer: { method: 'did', didUrl: key.kid, alg: 'EdDSA' },
    nonce,
  })
  const { credentialResponse } = await client.retrieveCredentials({
    issuerMetadata,
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId: configurationId,
    proofs: { jwt: [jwt] },
  })
  // 1.0: `credentials: [{credential}]`.
  const first: unknown = credentialResponse.credentials?.[0]
  const credential =
    typeof first === 'object' && first !== null && 'credential' in first
      ? first.credential
      : undefined
  if (typeof credential !== 'object' || credential === null) {
    throw new Error(`no credential in ${JSON.stringify(credentialResponse)}`)
  }
  return {
    client,
    credentialOffer,
    issuerMetadata,
    accessToken: accessTokenResponse.access_token,
    nonce,
    credential: credential as Json,
  }
}

async function postJson(url: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Json }
}

/** The LCW's reading of a deep link: the `request` parameter's `protocols.vcapi`. */
export function lcwExchangeUrl(deepLink: string): string {
  const request = JSON.parse(new URL(deepLink).searchParams.get('request') ?? 'null') as {
    credentialRequestOrigin?: string
    protocols?: { vcapi?: string }
  } | null
  if (request?.credentialRequestOrigin === undefined || request.protocols?.vcapi === undefined) {
    throw new Error('not an LCW credential request link')
  }
  return request.protocols.vcapi
}

/** The LCW-style exchange: every HTTP answer, and the credential when one came. */
export interface LcwRun {
  readonly request: { status: number; body: Json }
  readonly answer: { status: number; body: Json }
  readonly presentation: Json
  readonly credential?: Json
}

/**
 * Drives the exchange of `deepLink` as the LCW does, signing with `holder`. `tamper` may change
 * the presentation request before it is answered (negative cases).
 */
export async function lcwExchange(
  deepLink: string,
  holder: IssuerKey,
  tamper: (vpr: { challenge: string; domain: string }) => { challenge: string; domain: string } = (
    x,
  ) => x,
): Promise<LcwRun> {
  const url = lcwExchangeUrl(deepLink)
  const request = await postJson(url, {})
  const vpr = request.body.verifiablePresentationRequest as {
    query: { type: string }[] | { type: string }
    challenge: string
    domain: string
    interact?: { service: { serviceEndpoint: string }[] }
  }
  const queries = Array.isArray(vpr.query) ? vpr.query : [vpr.query]
  if (!queries.some((q) => q.type === 'DIDAuthentication' || q.type === 'DIDAuth')) {
    throw new Error('the exchange did not ask for DID authentication')
  }
  const { challenge, domain } = tamper({ challenge: vpr.challenge, domain: vpr.domain })
  const presentation = (await signPresentation(
    createPresentation({ holder: holder.did, verifiableCredential: [], format: 'vc1.1' }),
    { signer: holder.signer(), challenge, domain },
  )) as unknown as Json
  const next = vpr.interact?.service[0]?.serviceEndpoint ?? url
  const answer = await postJson(next, { verifiablePresentation: presentation })
  const vcs = (answer.body.verifiablePresentation as Json | undefined)?.verifiableCredential
  const credential = Array.isArray(vcs) ? (vcs[0] as Json | undefined) : undefined
  return { request, answer, presentation, ...(credential === undefined ? {} : { credential }) }
}

/**
 * `certify-vc verify <file> --trust <did> --status-dir <dir> --json` (the built binary), the
 * credential's status lists fetched from `serverUrl` (the instance to ask) into the folder.
 */
export async function verifyWithCli(
  credential: Json | string,
  trust: string,
  serverUrl: string,
): Promise<{ code: number; result: Json }> {
  const dir = await mkdtemp(join(tmpdir(), 'certify-delivery-verify-'))
  try {
    const lists = join(dir, 'lists')
    await mkdir(lists)
    // A VC-JWT's credential is its payload's `vc` claim.
    const content =
      typeof credential === 'string'
        ? (
            JSON.parse(Buffer.from(credential.split('.')[1] ?? '', 'base64url').toString()) as {
              vc: Json
            }
          ).vc
        : credential
    const entries = [content.credentialStatus].flat() as { statusListCredential: string }[]
    for (const [i, entry] of entries.entries()) {
      const path = new URL(entry.statusListCredential).pathname
      const res = await fetch(`${serverUrl}${path}`)
      if (!res.ok) throw new Error(`status list ${path}: ${res.status}`)
      await writeFile(join(lists, `list-${i}.json`), await res.text())
    }
    const file = join(dir, typeof credential === 'string' ? 'credential.jwt' : 'credential.json')
    await writeFile(file, typeof credential === 'string' ? credential : JSON.stringify(credential))
    const run = await promisify(execFile)(
      process.execPath,
      [CLI, 'verify', file, '--trust', trust, '--status-dir', lists, '--json'],
      { cwd: dir },
    ).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code?: number; stdout?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? '' }),
    )
    return { code: run.code, result: JSON.parse(run.stdout) as Json }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Builds the CLI (and the server, for instances started from `dist/`) once. */
export async function buildBinaries(...projects: string[]): Promise<void> {
  await promisify(execFile)(
    'flock',
    ['/tmp/certify-tsc.lock', 'pnpm', 'exec', 'tsc', '-b', ...projects],
    { cwd: REPO },
  )
}
