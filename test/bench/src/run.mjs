/**
 * `pnpm bench`: certify-vc against the plain Digital Bazaar stack, in one run.
 *
 * 1. The same Open Badges 3.0 credentials (AIDA, CAAE, AIMA; VC 2.0 + eddsa-rdfc-2022,
 *    VC 1.1 + Ed25519Signature2020, and VC 2.0 + ecdsa-rdfc-2019 with a P-256 key) are signed
 *    and verified by the baseline and by certify-vc
 *    (fast path, and with `--reference` also the reference path, chosen per call), after a
 *    warm-up, in alternating timed batches; the table shows the median ops/s of each side.
 * 2. A batch of credentials is issued on all cores and written as JSON Lines, then verified
 *    streamed from the file in a child process, on one thread and on all cores (worker threads),
 *    with each child's peak RSS.
 *
 * Results go to stdout (a table) and to `results/latest.json`.
 *
 * @module
 */
import { spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import { Worker } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { parseOptions } from './lib/args.mjs'
import { createBaseline } from './lib/baseline.mjs'
import { createCertify } from './lib/certify.mjs'
import { CREATED, DETERMINISTIC, FORMATS, SUITE_OF, createFixtures } from './lib/fixtures.mjs'
import {
  machine,
  median,
  pairedRatios,
  peakRssMb,
  runBatch,
  runPaired,
  spread,
} from './lib/measure.mjs'
import { assertBuilt, load } from './lib/modules.mjs'
import { createJwtBench } from './lib/jwt.mjs'
import { createStatusBench } from './lib/status.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const benchDir = resolve(here, '..')
const options = parseOptions()
assertBuilt()

const log = (...args) => console.error(...args)

// ---------------------------------------------------------------------------------------------
// Set-up and cross-checks: both sides must agree before anything is timed.
// ---------------------------------------------------------------------------------------------
const fixtures = await createFixtures()
const baseline = await createBaseline(fixtures)
const certify = await createCertify(fixtures)

const sides = [
  { id: 'baseline', label: 'baseline (DB stack)', impl: baseline, path: undefined },
  { id: 'certify', label: 'certify-vc', impl: certify, path: 'fast' },
]
if (options.reference) {
  const reference = await createCertify(fixtures, { canonicalization: 'reference' })
  sides.push({
    id: 'certifyReference',
    label: 'certify-vc ref',
    impl: reference,
    path: 'reference',
  })
}

for (const format of FORMATS) {
  for (const [i, credential] of fixtures.unsigned[format].entries()) {
    const ours = fixtures.signed[format][i]
    const theirs = await baseline.sign(credential, format, CREATED)
    // ECDSA signatures are randomized: there the two sides must agree on everything but the
    // signature bytes, and each must verify the other's.
    const comparable = (signed) =>
      DETERMINISTIC[format] ? signed : { ...signed, proof: { ...signed.proof, proofValue: '' } }
    if (!isDeepStrictEqual(comparable(ours), comparable(theirs))) {
      throw new Error(`${format} #${i}: certify-vc and the baseline sign differently.`)
    }
    for (const side of sides) {
      for (const signed of DETERMINISTIC[format] ? [ours] : [ours, theirs]) {
        const ok = await side.impl.verify(signed)
        if (!ok) throw new Error(`${side.label} does not verify ${format} #${i}.`)
      }
    }
  }
}
log(
  'Cross-check passed: identical signatures (identical proofs but for the randomized ECDSA signature), every side verifies every credential.',
)

// ---------------------------------------------------------------------------------------------
// Sign and verify, alternating sides in every round.
// ---------------------------------------------------------------------------------------------
const cases = FORMATS.flatMap((format) => {
  const suite = SUITE_OF[format]
  const unsigned = fixtures.unsigned[format]
  // Verifiers receive credentials as JSON text (an HTTP body, a file): both sides get the text.
  const signed = fixtures.signed[format].map((credential) => JSON.stringify(credential))
  return [
    {
      operation: 'sign',
      suite,
      op: (impl) => (i) => impl.sign(unsigned[i % unsigned.length], format, CREATED),
    },
    {
      operation: 'verify',
      suite,
      op: (impl) => async (i) => {
        if (!(await impl.verify(signed[i % signed.length]))) throw new Error('not verified')
      },
    },
  ]
})

const samples = new Map(cases.map((c) => [c, new Map(sides.map((s) => [s.id, []]))]))
const started = new Date()
const loadBefore = machine().loadAverage
log(`Warm-up: ${options.warmupMs} ms per operation and side…`)
for (const c of cases) {
  for (const side of sides) {
    await runBatch(c.op(side.impl), { ms: options.warmupMs })
  }
}
for (let round = 0; round < options.rounds; round++) {
  log(`Round ${round + 1}/${options.rounds}…`)
  for (const c of cases) {
    // Alternate which side goes first, so that drift (GC, thermal, neighbours) hits both alike.
    const order = round % 2 === 0 ? sides : [...sides].reverse()
    for (const side of order) {
      const ops = await runBatch(c.op(side.impl), { ms: options.batchMs })
      samples.get(c).get(side.id).push(ops)
    }
  }
}
const mainPeakRss = peakRssMb()
const summary = (values) => ({ median: median(values), spread: spread(values), samples: values })

// ---------------------------------------------------------------------------------------------
// The status check (certify-vc only: the baseline has no status list implementation installed).
// ---------------------------------------------------------------------------------------------
log('Status: a SQLite registry, credentials with status entries, the lists published…')
const statusBench = await createStatusBench(fixtures)
const withStatus = async (i) => {
  if (!(await statusBench.verifyWithStatus(statusBench.credentials[i % 6]))) {
    throw new Error('status bench: not verified with the status check')
  }
}
const withoutStatus = async (i) => {
  if (!(await statusBench.verifyWithoutStatus(statusBench.credentials[i % 6]))) {
    throw new Error('status bench: not verified without the status check')
  }
}
// Paired: the two variants alternate call by call, so that drift hits both alike.
await runPaired(withStatus, withoutStatus, { ms: options.warmupMs })
const statusSamples = { withStatus: [], withoutStatus: [] }
for (let round = 0; round < options.rounds; round++) {
  const { a, b } = await runPaired(withStatus, withoutStatus, { ms: options.batchMs })
  statusSamples.withStatus.push(a)
  statusSamples.withoutStatus.push(b)
}
const statusRow = {
  listLength: statusBench.listLength,
  lists: statusBench.lists,
  withStatus: summary(statusSamples.withStatus),
  withoutStatus: summary(statusSamples.withoutStatus),
}
statusRow.ratio = statusRow.withStatus.median / statusRow.withoutStatus.median
// Each round pairs the two variants call by call: its own ratio is the steadier figure.
statusRow.paired = pairedRatios(statusSamples.withStatus, statusSamples.withoutStatus)
log(`Status: issuing ${options.sqlite} credentials with SQLite status allocation…`)
const sqliteIssue = options.sqlite > 0 ? await statusBench.issueBatch(options.sqlite) : undefined
await statusBench.close()

// ---------------------------------------------------------------------------------------------
// JWT (vc+jwt, EdDSA): certify-vc against jose used directly, paired call by call.
// ---------------------------------------------------------------------------------------------
log('JWT: certify-vc (gate + signer; whole pipeline) against jose (CompactSign; jwtVerify)…')
const jwtBench = await createJwtBench(fixtures)
const jwtRows = []
for (const operation of ['sign', 'verify']) {
  const { certify: ours, baseline: theirs } = jwtBench[operation]
  await runPaired(ours, theirs, { ms: options.warmupMs })
  const values = { certify: [], jose: [] }
  for (let round = 0; round < options.rounds; round++) {
    const { a, b } = await runPaired(ours, theirs, { ms: options.batchMs })
    values.certify.push(a)
    values.jose.push(b)
  }
  const row = {
    operation,
    format: 'vc+jwt EdDSA',
    certify: summary(values.certify),
    jose: summary(values.jose),
  }
  row.ratio = row.certify.median / row.jose.median
  row.paired = pairedRatios(values.certify, values.jose)
  jwtRows.push(row)
}

const rows = cases.map((c) => {
  const row = { operation: c.operation, suite: c.suite }
  for (const side of sides) {
    const values = samples.get(c).get(side.id)
    row[side.id] = {
      wall: summary(values.map((v) => v.wall)),
      cpu: summary(values.map((v) => v.cpu)),
    }
  }
  row.ratio = row.certify.wall.median / row.baseline.wall.median
  row.cpuRatio = row.certify.cpu.median / row.baseline.cpu.median
  // Each round's two batches ran back to back: their ratio cancels slow drift (other load on
  // the machine, CPU steal), which the ratio of the two medians does not.
  const paired = (kind) =>
    pairedRatios(
      samples
        .get(c)
        .get('certify')
        .map((v) => v[kind]),
      samples
        .get(c)
        .get('baseline')
        .map((v) => v[kind]),
    )
  row.paired = { wall: paired('wall'), cpu: paired('cpu') }
  if (row.certifyReference !== undefined) {
    row.referenceRatio = row.certifyReference.wall.median / row.baseline.wall.median
  }
  return row
})

// ---------------------------------------------------------------------------------------------
// Batch issuance on all cores, then streamed verification of the file in child processes.
// ---------------------------------------------------------------------------------------------
async function issueBatch(count, workers) {
  const start = performance.now()
  const parts = await Promise.all(
    Array.from(
      { length: workers },
      (_, index) =>
        new Promise((resolvePart, reject) => {
          const worker = new Worker(new URL('./worker.mjs', import.meta.url), {
            workerData: { mode: 'issue', index, stride: workers, count, seed: [...fixtures.seed] },
          })
          worker.once('message', resolvePart)
          worker.once('error', reject)
        }),
    ),
  )
  const ms = performance.now() - start
  const lines = []
  for (let n = 0; n < count; n++) lines.push(parts[n % workers].lines[Math.floor(n / workers)])
  return { lines, ms }
}

function runChild(args, nodeFlags = []) {
  return new Promise((resolveChild, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeFlags, resolve(here, 'stream-verify.mjs'), ...args],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.once('error', reject)
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`stream-verify exited with ${code}`))
      else resolveChild(JSON.parse(out.trim().split('\n').at(-1)))
    })
  })
}

/** V8 flag for the memory-lean run: small young-generation semi-spaces (default 16 MB). */
const LEAN = ['--max-semi-space-size=1']

let stream
if (options.stream > 0) {
  log(`Issuing ${options.stream} credentials on ${options.workers} worker threads…`)
  const { lines, ms } = await issueBatch(options.stream, options.workers)
  const file = resolve(benchDir, '.cache', `credentials-${options.stream}.jsonl`)
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, lines.join('\n') + '\n')
  const issue = {
    count: options.stream,
    workers: options.workers,
    ms,
    opsPerSec: (options.stream * 1000) / ms,
  }
  const did = fixtures.key.did
  log(`Verifying them streamed from ${file}: 1 thread…`)
  const single = await runChild([file, did, '1'])
  log(`… 1 thread with ${LEAN.join(' ')}…`)
  const lean = await runChild([file, did, '1'], LEAN)
  log(`… ${options.workers} worker threads fed by one reading thread…`)
  const multi =
    options.workers > 1 ? await runChild([file, did, String(options.workers)]) : undefined
  for (const r of [single, lean, multi]) {
    if (r !== undefined && r.verified !== r.count) {
      throw new Error(`Streamed verify: only ${r.verified} of ${r.count} verified.`)
    }
  }
  stream = { issue, single, lean, multi }
}

/** The repository's Prettier style when Prettier is installed (so the file passes its check). */
async function formatJson(file, text) {
  try {
    const prettier = await load('prettier')
    const config = (await prettier.resolveConfig(file)) ?? {}
    return await prettier.format(text, { ...config, parser: 'json' })
  } catch {
    return JSON.stringify(JSON.parse(text), null, 2) + '\n'
  }
}

// ---------------------------------------------------------------------------------------------
// Report.
// ---------------------------------------------------------------------------------------------

const fmt = (n, digits = 0) => (n === undefined ? '—' : n.toFixed(digits))
const pct = (x) => `±${Math.round((x * 100) / 2)}%`
const pad = (s, n, right = false) => (right ? String(s).padStart(n) : String(s).padEnd(n))
const m = machine()
const lines = []
lines.push(
  `certify-vc vs the Digital Bazaar stack — ${m.cpu}, ${m.cores} cores, ${m.node}, ${started.toISOString()}`,
)
lines.push(
  `medians of ${options.rounds} alternating rounds × ${options.batchMs} ms; load average ${loadBefore.join(' ')} before, ${m.loadAverage.join(' ')} after`,
)
lines.push(
  'ops/s = wall clock; per CPU-s = per second of this process’s CPU time (robust to other load); noise = half the min–max spread of the wall-clock rounds',
)
lines.push(
  `paired = the median (min–max) of each round's certify-vc/baseline ratio, wall clock, the two batches back to back`,
)
lines.push(
  'sign: the same unsigned credentials; verify: the same signed credentials, given as JSON text to both sides',
)
lines.push('')
const head = [
  pad('operation', 8),
  pad('suite', 22),
  pad('baseline/s', 11, true),
  pad('certify-vc/s', 13, true),
  pad('ratio', 7, true),
  pad('per CPU-s b / c', 16, true),
  pad('ratio', 7, true),
  pad('paired (min–max)', 20, true),
]
if (sides.length === 3) head.push(pad('ref path/s', 11, true), pad('ratio', 7, true))
head.push('  noise b / c')
lines.push(head.join(' '))
for (const r of rows) {
  const cells = [
    pad(r.operation, 8),
    pad(r.suite, 22),
    pad(fmt(r.baseline.wall.median), 11, true),
    pad(fmt(r.certify.wall.median), 13, true),
    pad(`${fmt(r.ratio, 1)}×`, 7, true),
    pad(`${fmt(r.baseline.cpu.median)} / ${fmt(r.certify.cpu.median)}`, 16, true),
    pad(`${fmt(r.cpuRatio, 1)}×`, 7, true),
    pad(
      `${fmt(r.paired.wall.median, 1)}× (${fmt(r.paired.wall.min, 1)}–${fmt(r.paired.wall.max, 1)})`,
      20,
      true,
    ),
  ]
  if (r.certifyReference !== undefined) {
    cells.push(
      pad(fmt(r.certifyReference.wall.median), 11, true),
      pad(`${fmt(r.referenceRatio, 2)}×`, 7, true),
    )
  }
  cells.push(`  ${pct(r.baseline.wall.spread)} / ${pct(r.certify.wall.spread)}`)
  lines.push(cells.join(' '))
}
lines.push('')
lines.push(`peak RSS of this process (all of the above): ${fmt(mainPeakRss)} MB`)
if (stream !== undefined) {
  const { issue, single, lean, multi } = stream
  const cores = (r) => `${fmt(r.coresUsed, 2)} cores busy`
  lines.push(
    `issue ${issue.count} (build + check + sign, no status) on ${issue.workers} worker threads: ${fmt(issue.opsPerSec)}/s`,
  )
  lines.push(
    `verify ${single.count} streamed from JSON Lines, 1 thread: ${fmt(single.opsPerSec)}/s, peak RSS ${fmt(single.peakRssMb)} MB (${cores(single)})`,
  )
  lines.push(
    `  same, node ${LEAN.join(' ')}: ${fmt(lean.opsPerSec)}/s, peak RSS ${fmt(lean.peakRssMb)} MB`,
  )
  if (multi !== undefined) {
    lines.push(
      `verify ${multi.count} streamed, ${multi.workers} worker threads + reader: ${fmt(multi.opsPerSec)}/s aggregate (${fmt(multi.opsPerSec / single.opsPerSec, 2)}× one thread; ${cores(multi)}), peak RSS ${fmt(multi.peakRssMb)} MB`,
    )
  }
}
lines.push(
  `verify with the status check (${statusRow.lists} lists of ${statusRow.listLength} entries, offline source, shared cache), paired call by call with status: false: ${fmt(statusRow.withStatus.median)}/s vs ${fmt(statusRow.withoutStatus.median)}/s — ${fmt(statusRow.ratio, 2)}×; per round ${fmt(statusRow.paired.median, 3)}× (${fmt(statusRow.paired.min, 3)}–${fmt(statusRow.paired.max, 3)})`,
)
for (const r of jwtRows) {
  lines.push(
    `JWT ${r.operation} (${r.format}), certify-vc vs jose directly, paired: ${fmt(r.certify.median)}/s vs ${fmt(r.jose.median)}/s — ${fmt(r.ratio, 3)}×; per round ${fmt(r.paired.median, 3)}× (${fmt(r.paired.min, 3)}–${fmt(r.paired.max, 3)})`,
  )
}
if (sqliteIssue !== undefined) {
  lines.push(
    `issue ${sqliteIssue.count} one after the other with SQLite status allocation (durable writes): ${fmt(sqliteIssue.opsPerSec)}/s`,
  )
}
console.log(lines.join('\n'))

const out = resolve(benchDir, options.out)
await mkdir(dirname(out), { recursive: true })
await writeFile(
  out,
  await formatJson(
    out,
    JSON.stringify({
      date: started.toISOString(),
      machine: m,
      loadAverageBefore: loadBefore,
      options,
      sides: sides.map(({ id, label, path }) => ({ id, label, path: path ?? null })),
      rows,
      peakRssMb: mainPeakRss,
      stream: stream ?? null,
      status: statusRow,
      jwt: jwtRows,
      sqliteIssue: sqliteIssue ?? null,
    }),
  ),
)
log(`Results written to ${out}`)
