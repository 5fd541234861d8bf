/**
 * Worker thread for the multi-core runs: issues a share of a batch (credential n goes to worker
 * n mod stride), or verifies the batches of lines the reading thread sends it.
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { ISSUED, NOW, PROGRAMS, recipientFor } from './lib/fixtures.mjs'
import { load } from './lib/modules.mjs'

const { mode, index, stride } = workerData

if (mode === 'issue') {
  const issuer = await load('@certify-vc/issuer')
  const key = await issuer.generateIssuerKey({ seed: new Uint8Array(workerData.seed) })
  const lines = []
  const start = performance.now()
  for (let n = index; n < workerData.count; n += stride) {
    const credential = await issuer.issueCredential({
      program: PROGRAMS[n % PROGRAMS.length],
      recipient: recipientFor(n),
      key,
      format: n % 2 === 0 ? 'vc2' : 'vc1.1',
      id: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      now: ISSUED,
    })
    lines.push(JSON.stringify(credential))
  }
  parentPort.postMessage({ lines, ms: performance.now() - start })
} else if (mode === 'verify') {
  // Fed by the reading thread: batches of JSON-text lines in, one count message out per batch.
  const verifier = await load('@certify-vc/verifier')
  const options = { trustedIssuers: [workerData.did], now: NOW }
  parentPort.on('message', async (lines) => {
    if (lines === null) {
      parentPort.close()
      return
    }
    let verified = 0
    for (const text of lines) {
      if ((await verifier.verifyCredential(text, options)).verified) verified += 1
    }
    parentPort.postMessage({ count: lines.length, verified })
  })
  parentPort.postMessage('ready')
} else {
  throw new Error(`Unknown worker mode ${String(mode)}`)
}
