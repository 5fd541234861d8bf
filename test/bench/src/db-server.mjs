/**
 * The baseline server of the HTTP benchmark: a minimal Fastify 5 server of the same shape as the
 * Institute's `POST /credentials/verify` (a JSON body `{ verifiableCredential }`, 1 MiB body
 * limit, answer `{ verified, checks, warnings, errors }`, 200 when verified and 422 when not),
 * verifying on the Digital Bazaar stack used the plain, documented way: `vc.verifyCredential`
 * from `@digitalbazaar/vc` with `DataIntegrityProof` + the eddsa-rdfc-2022 cryptosuite and
 * `Ed25519Signature2020`, and a static document loader serving the same bundled contexts and
 * resolving `did:key` (results tagged `static`, as in `lib/baseline.mjs`). No logging.
 *
 *   node src/db-server.mjs <port>     prints "listening <port>" once it accepts connections
 *
 * @module
 */
import { load } from './lib/modules.mjs'

const port = Number(process.argv[2] ?? '0')
const { default: Fastify } = await load('fastify')
const vc = await load('@digitalbazaar/vc')
const { DataIntegrityProof } = await load('@digitalbazaar/data-integrity')
const { cryptosuite } = await load('@digitalbazaar/eddsa-rdfc-2022-cryptosuite')
const { Ed25519Signature2020 } = await load('@digitalbazaar/ed25519-signature-2020')
const { contexts, resolveDidKey } = await load('@certify-vc/context')

const didDocuments = new Map()
async function documentLoader(url) {
  const context = contexts.get(url)
  if (context !== undefined) {
    return { contextUrl: null, documentUrl: url, document: context, tag: 'static' }
  }
  if (url.startsWith('did:key:')) {
    // A verification method URL resolves to the method, a DID to its document.
    let document = didDocuments.get(url)
    if (document === undefined) didDocuments.set(url, (document = resolveDidKey(url)))
    return { contextUrl: null, documentUrl: url, document }
  }
  throw new Error(`Not available offline: ${url}`)
}

// Verification suites are created once, as the documentation shows.
const suite = [new DataIntegrityProof({ cryptosuite }), new Ed25519Signature2020()]

const app = Fastify({ logger: false, bodyLimit: 1_048_576 })
app.post('/credentials/verify', async (request, reply) => {
  const body = request.body
  const credential = body?.verifiableCredential
  if (typeof credential !== 'object' || credential === null || Array.isArray(credential)) {
    return reply
      .code(400)
      .send({ verified: false, errors: ['"verifiableCredential" is required.'] })
  }
  const result = await vc.verifyCredential({ credential, suite, documentLoader })
  const errors = result.error === undefined ? [] : [String(result.error.message ?? result.error)]
  return reply.code(result.verified === true ? 200 : 422).send({
    verified: result.verified === true,
    checks: result.verified === true ? ['proof'] : [],
    warnings: [],
    errors,
  })
})
await app.listen({ port, host: '127.0.0.1' })
process.stdout.write(`listening ${app.server.address().port}\n`)
process.once('SIGTERM', () => app.close().then(() => process.exit(0)))
