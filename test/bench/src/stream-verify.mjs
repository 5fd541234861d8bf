/**
 * Child process of the benchmark: verifies a JSON-Lines file of credentials, streamed, and prints
 * one JSON line with the rate, the CPU time and the peak RSS of this process (worker threads
 * included). A separate process keeps the RSS figure its own.
 *
 * With one worker the credentials are verified on the reading thread. With more, this thread
 * only reads: it hands batches of lines to a pool of worker threads, at most two batches in
 * flight per worker, so memory stays flat however large the file (see the README, "Using both
 * cores").
 *
 * Usage: node src/stream-verify.mjs <file> <issuer DID> [workers]
 *
 * @module
 */
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { NOW } from './lib/fixtures.mjs'
import { peakRssMb } from './lib/measure.mjs'
import { load } from './lib/modules.mjs'
import { readLines, verifyLines } from './lib/stream.mjs'

const BATCH = 32
const IN_FLIGHT_PER_WORKER = 2

const [file, did, workersArg = '1'] = process.argv.slice(2)
const workers = Number(workersArg)
if (file === undefined || did === undefined || !Number.isInteger(workers) || workers < 1) {
  console.error('Usage: node src/stream-verify.mjs <file> <issuer DID> [workers]')
  process.exit(2)
}

/** Starts `n` verifying workers; resolves once each has loaded the verifier. */
async function startPool(n) {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL('./worker.mjs', import.meta.url), {
            workerData: { mode: 'verify', did },
          })
          worker.once('error', reject)
          worker.once('message', () => resolve(worker))
        }),
    ),
  )
}

/** Reads `file` line by line and spreads batches over the pool, with backpressure. */
async function verifyOnPool(pool) {
  let count = 0
  let verified = 0
  const inFlight = new Map(pool.map((w) => [w, 0]))
  let wake
  for (const worker of pool) {
    worker.on('message', (result) => {
      count += result.count
      verified += result.verified
      inFlight.set(worker, inFlight.get(worker) - 1)
      wake?.()
    })
  }
  const idle = () => pool.find((w) => inFlight.get(w) < IN_FLIGHT_PER_WORKER)
  const send = async (lines) => {
    let worker = idle()
    while (worker === undefined) {
      await new Promise((resolve) => (wake = resolve))
      worker = idle()
    }
    inFlight.set(worker, inFlight.get(worker) + 1)
    worker.postMessage(lines)
  }
  let batch = []
  for await (const line of readLines(file)) {
    if (line.length === 0) continue
    batch.push(line)
    if (batch.length === BATCH) {
      await send(batch)
      batch = []
    }
  }
  if (batch.length > 0) await send(batch)
  while ([...inFlight.values()].some((n) => n > 0)) {
    await new Promise((resolve) => (wake = resolve))
  }
  for (const worker of pool) worker.postMessage(null)
  return { count, verified }
}

const cpu = process.cpuUsage()
const start = performance.now()
let result
if (workers === 1) {
  const verifier = await load('@certify-vc/verifier')
  const options = { trustedIssuers: [did], now: NOW }
  result = await verifyLines(file, {
    verify: async (text) => (await verifier.verifyCredential(text, options)).verified,
  })
} else {
  result = await verifyOnPool(await startPool(workers))
}
const ms = performance.now() - start
const used = process.cpuUsage(cpu)
const cpuMs = (used.user + used.system) / 1000
console.log(
  JSON.stringify({
    workers,
    count: result.count,
    verified: result.verified,
    ms,
    opsPerSec: (result.count * 1000) / ms,
    cpuMs,
    coresUsed: cpuMs / ms,
    peakRssMb: peakRssMb(),
    execArgv: process.execArgv,
  }),
)
