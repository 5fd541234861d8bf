/**
 * Both delivery flows across two server instances on one PostgreSQL database, one data folder
 * (the same keys) and one public base URL, as behind a load balancer: the offer is made on
 * instance A; the wallet's every request goes to instance B (the library wallet's fetch, and the
 * LCW-style client's URLs, are pointed at B as a balancer would route them). Single use holds
 * across instances: the code redeemed through B is refused on A, a claimed exchange on A. An
 * offer's Idempotency-Key sent to both at once makes one offer.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateIssuerKey } from '@certify-vc/issuer'
import type { Oauth2ClientErrorResponseError } from '@openid4vc/oauth2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, postJson, startTestServer, type TestServer } from '../helpers.js'
import { PG_SKIP_REASON, dropSchema, newDatabaseUrl } from '../storage/postgres-helpers.js'
import {
  buildBinaries,
  lcwExchange,
  libraryWallet,
  newHolderKey,
  verifyWithCli,
  type Json,
} from './wallets.js'

describe.skipIf(PG_SKIP_REASON !== undefined)(
  'wallet delivery on two instances sharing PostgreSQL',
  () => {
    let a: TestServer
    let b: TestServer
    let dataDir: string
    let schema: string
    let did: string
    /** The public origin (A's), and B's own address, where the "balancer" sends the wallet. */
    let publicUrl: string
    let bUrl: string

    beforeAll(async () => {
      await buildBinaries('examples/cli')
      dataDir = await mkdtemp(join(tmpdir(), 'certify-delivery-multi-'))
      const { url, schema: s } = newDatabaseUrl('delivery')
      schema = s
      const [portA, portB] = [await freePort(), await freePort()]
      publicUrl = `http://localhost:${portA}`
      bUrl = `http://127.0.0.1:${portB}`
      const shared = {
        dataDir,
        databaseUrl: url,
        publicBaseUrl: publicUrl,
        didMethod: 'key' as const,
      }
      a = await startTestServer({ ...shared, port: portA })
      b = await startTestServer({ ...shared, port: portB })
      did = ((await (await fetch(`${bUrl}/certify/server-info`)).json()) as { did: string }).did
    }, 180_000)

    afterAll(async () => {
      await b?.close()
      await a?.close()
      if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true })
      if (schema !== undefined) await dropSchema(schema)
    })

    /** Routes a request for the public origin to instance B. */
    const toB = (input: string) => input.replace(publicUrl, bUrl)

    it('OpenID4VCI: offer on A, metadata, token, nonce and credential through B; the code is then spent on A too', async () => {
      const made = await postJson(a, '/certify/offers', {
        program: 'CAAE',
        recipient: { name: 'Ada Lovelace' },
        txCode: true,
      })
      expect(made.status).toBe(201)
      const offer = made.body as { offerUri: string; txCode: string }
      const holder = await newHolderKey()
      const seen: string[] = []
      const realFetch = globalThis.fetch
      globalThis.fetch = (input, init) => {
        const url =
          typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
        seen.push(toB(url))
        return realFetch(toB(url), init)
      }
      let claim: Awaited<ReturnType<typeof libraryWallet>>
      try {
        claim = await libraryWallet(holder, offer.offerUri, offer.txCode)
      } finally {
        globalThis.fetch = realFetch
      }
      expect(seen.length).toBeGreaterThanOrEqual(4)
      expect(seen.every((u) => u.startsWith(bUrl))).toBe(true)
      expect((claim.credential.credentialSubject as Json).id).toBe(holder.did)
      const verified = await verifyWithCli(claim.credential, did, a.baseUrl)
      expect(verified.code, JSON.stringify(verified.result)).toBe(0)
      // Redeemed through B, spent on A.
      const again = await claim.client
        .retrievePreAuthorizedCodeAccessTokenFromOffer({
          credentialOffer: claim.credentialOffer,
          issuerMetadata: claim.issuerMetadata,
          txCode: offer.txCode,
        })
        .catch((e: unknown) => e)
      expect((again as Oauth2ClientErrorResponseError).errorResponse.error).toBe('invalid_grant')
    })

    it('VC API exchange: offer on A, the exchange through B; the claimed exchange is closed on A', async () => {
      const made = await postJson(a, '/certify/offers', {
        program: 'AIDA',
        recipient: { name: 'Grace' },
      })
      expect(made.status).toBe(201)
      const offer = made.body as { lcwDeepLink: string; exchangeUrl: string }
      const request = JSON.parse(
        new URL(offer.lcwDeepLink).searchParams.get('request') ?? '{}',
      ) as Json
      const viaB = `https://lcw.app/request.html?request=${encodeURIComponent(
        JSON.stringify({ ...request, protocols: { vcapi: toB(offer.exchangeUrl) } }),
      )}`
      const holder = await generateIssuerKey()
      // The presentation request's service endpoint names the public origin; B answers it.
      const realFetch = globalThis.fetch
      globalThis.fetch = (input, init) => {
        const url =
          typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
        return realFetch(toB(url), init)
      }
      let run: Awaited<ReturnType<typeof lcwExchange>>
      try {
        run = await lcwExchange(viaB, holder)
      } finally {
        globalThis.fetch = realFetch
      }
      expect(run.answer.status, JSON.stringify(run.answer.body)).toBe(200)
      expect(((run.credential as Json).credentialSubject as Json).id).toBe(holder.did)
      const verified = await verifyWithCli(run.credential as Json, did, bUrl)
      expect(verified.code, JSON.stringify(verified.result)).toBe(0)
      const closed = await postJson(a, new URL(offer.exchangeUrl).pathname, {})
      expect(closed.status).toBe(409)
    })

    it('an Idempotency-Key sent to both instances at once makes one offer', async () => {
      const body = JSON.stringify({ program: 'AIMA', recipient: { name: 'Grace Hopper' } })
      const send = (url: string) =>
        fetch(`${url}/certify/offers`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${a.token}`,
            'idempotency-key': 'cohort-9/grace',
          },
          body,
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as Json }))
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => send(i % 2 ? bUrl : publicUrl)),
      )
      expect(answers.map((x) => x.status).sort()).toEqual([200, 200, 200, 200, 200, 201])
      expect(new Set(answers.map((x) => x.body.offerId)).size).toBe(1)
    })
  },
)
