/**
 * CPU profile of one operation: `node src/profile.mjs [verify|sign] [--side certify|baseline]
 * [--seconds 5]`. It re-runs itself under `node --cpu-prof`, then prints where the time went:
 * self time by function, and by package / file.
 *
 * @module
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createBaseline } from './lib/baseline.mjs'
import { createCertify } from './lib/certify.mjs'
import { CREATED, createFixtures } from './lib/fixtures.mjs'
import { runBatch } from './lib/measure.mjs'
import { assertBuilt } from './lib/modules.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    side: { type: 'string', default: 'certify' },
    format: { type: 'string', default: 'vc2' },
    seconds: { type: 'string', default: '5' },
    child: { type: 'string' },
    top: { type: 'string', default: '25' },
  },
})
const operation = positionals[0] ?? 'verify'
if (operation !== 'verify' && operation !== 'sign') throw new TypeError('verify or sign')

if (values.child !== undefined) {
  assertBuilt()
  const fixtures = await createFixtures()
  const impl =
    values.side === 'baseline' ? await createBaseline(fixtures) : await createCertify(fixtures)
  const format = values.format
  const texts = fixtures.signed[format].map((credential) => JSON.stringify(credential))
  const op =
    operation === 'sign'
      ? (i) => impl.sign(fixtures.unsigned[format][i % 3], format, CREATED)
      : (i) => impl.verify(texts[i % 3])
  await runBatch(op, { ms: 1000 }) // warm-up, in the profile too but small
  const rate = await runBatch(op, { ms: Number(values.seconds) * 1000 })
  console.log(
    `${values.side} ${operation} ${format}: ${rate.wall.toFixed(0)}/s under the profiler (${rate.cpu.toFixed(0)} per CPU-second)`,
  )
} else {
  const dir = resolve(
    here,
    '..',
    'profiles',
    `${values.side}-${operation}-${values.format}-${Date.now()}`,
  )
  mkdirSync(dir, { recursive: true })
  const args = process.argv.slice(2)
  const run = spawnSync(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      fileURLToPath(import.meta.url),
      ...args,
      '--child',
      '1',
    ],
    { stdio: 'inherit' },
  )
  if (run.status !== 0) process.exit(run.status ?? 1)
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')), Number(values.top))
  console.log(`\nProfile: ${join(dir, file)} (open in Chrome DevTools → Performance)`)
}

/** Prints self time by function and by package/file. */
function summarize(profile, top) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map()
  profile.samples.forEach((id, i) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  )
  let total = 0
  const byFunction = new Map()
  const byFile = new Map()
  for (const [id, t] of self) {
    total += t
    const { functionName, url, lineNumber } = byId.get(id).callFrame
    const file = shorten(url)
    const fn = `${functionName || '(anonymous)'} ${file}${url ? `:${lineNumber + 1}` : ''}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + t)
    const group = url ? file.replace(/\/[^/]*$/, '') || file : functionName
    byFile.set(group, (byFile.get(group) ?? 0) + t)
  }
  const show = (title, map, n) => {
    console.log(`\n${title}`)
    for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      console.log(`${((100 * v) / total).toFixed(1).padStart(6)}%  ${k}`)
    }
  }
  console.log(`\n${(total / 1e6).toFixed(1)} s sampled`)
  show('Self time by function', byFunction, top)
  show('Self time by package / folder', byFile, 15)
}

function shorten(url) {
  if (!url) return ''
  const path = url.replace(/^file:\/\//, '')
  const nm = path.lastIndexOf('/node_modules/')
  if (nm !== -1) return path.slice(nm + '/node_modules/'.length)
  const pk = path.indexOf('/packages/')
  if (pk !== -1) return path.slice(pk + 1)
  return path.startsWith('node:') ? path : path.split('/').slice(-2).join('/')
}
