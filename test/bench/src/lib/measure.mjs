/**
 * Timing helpers: batches timed with `performance.now()`, medians, and peak RSS from
 * `process.resourceUsage()`.
 *
 * @module
 */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { performance } from 'node:perf_hooks'

/**
 * Runs `op(i)` sequentially until `ms` milliseconds have passed (and at least `minOps` times).
 * Returns operations per second of wall-clock time, and per second of CPU time used by this
 * process (all its threads, GC included): the second stays meaningful on a shared machine where
 * other processes take turns on the cores.
 *
 * @param {(i: number) => Promise<unknown>} op
 * @param {{ ms: number, minOps?: number }} budget
 */
export async function runBatch(op, { ms, minOps = 5 }) {
  let n = 0
  const cpu = process.cpuUsage()
  const start = performance.now()
  let elapsed = 0
  while (elapsed < ms || n < minOps) {
    await op(n)
    n += 1
    elapsed = performance.now() - start
  }
  const used = process.cpuUsage(cpu)
  const cpuMs = (used.user + used.system) / 1000
  return { wall: (n * 1000) / elapsed, cpu: (n * 1000) / cpuMs }
}

/**
 * Runs `a(i)` and `b(i)` alternately, one call each, for `ms` milliseconds, timing every call:
 * for two variants of the same operation, drift (JIT, GC, other load) then hits both alike.
 * Returns operations per second of each, over the time spent in its own calls.
 *
 * @param {(i: number) => Promise<unknown>} a
 * @param {(i: number) => Promise<unknown>} b
 * @param {{ ms: number }} budget
 */
export async function runPaired(a, b, { ms }) {
  let n = 0
  let timeA = 0
  let timeB = 0
  const start = performance.now()
  while (performance.now() - start < ms || n < 5) {
    // Which goes first alternates too (the second call of a pair may pay for the first's GC).
    const [first, second] = n % 2 === 0 ? [a, b] : [b, a]
    const t0 = performance.now()
    await first(n)
    const t1 = performance.now()
    await second(n)
    const t2 = performance.now()
    if (n % 2 === 0) {
      timeA += t1 - t0
      timeB += t2 - t1
    } else {
      timeB += t1 - t0
      timeA += t2 - t1
    }
    n += 1
  }
  return { a: (n * 1000) / timeA, b: (n * 1000) / timeB }
}

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * Per-round ratios `numerators[i] / denominators[i]` (two measurements taken back to back) with
 * their median and range: drift from other load hits both sides of a round alike and cancels.
 *
 * @param {number[]} numerators
 * @param {number[]} denominators
 */
export function pairedRatios(numerators, denominators) {
  const ratios = numerators.map((n, i) => n / denominators[i])
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), ratios }
}

/**
 * Relative spread of the samples, (max - min) / median: the run-to-run noise.
 *
 * @param {number[]} values
 */
export function spread(values) {
  const m = median(values)
  return m === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / m
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb() {
  return process.resourceUsage().maxRSS / 1024
}

/** The machine the numbers come from. */
export function machine() {
  const cpu = cpus()
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  }
}
