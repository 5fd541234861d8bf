/**
 * Command-line options of the benchmark.
 *
 * @module
 */
import { availableParallelism } from 'node:os'
import { parseArgs } from 'node:util'

const HELP = `Usage: node src/run.mjs [options]

  --rounds <n>       timed rounds per operation and side, alternating (default 7)
  --batch-ms <ms>    length of one timed batch (default 1000)
  --warmup-ms <ms>   warm-up per operation and side before the rounds (default 1500)
  --stream <n>       credentials in the streamed-verify file; 0 skips it (default 10000)
  --sqlite <n>       credentials issued with SQLite status allocation; 0 skips (default 10000)
  --workers <n>      worker threads for the aggregate run (default: available cores)
  --no-reference     skip the certify-vc reference-path column
  --out <file>       JSON results (default results/latest.json)
  --quick            3 rounds of 400 ms, 300 ms warm-up, 1000 streamed, 500 SQLite-issued
  --help`

export function parseOptions(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      rounds: { type: 'string' },
      'batch-ms': { type: 'string' },
      'warmup-ms': { type: 'string' },
      stream: { type: 'string' },
      sqlite: { type: 'string' },
      workers: { type: 'string' },
      'no-reference': { type: 'boolean', default: false },
      out: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(HELP)
    process.exit(0)
  }
  const quick = values.quick
  const int = (value, fallback, name) => {
    if (value === undefined) return fallback
    const n = Number(value)
    if (!Number.isInteger(n) || n < 0) throw new TypeError(`--${name} must be a whole number.`)
    return n
  }
  return {
    rounds: Math.max(1, int(values.rounds, quick ? 3 : 7, 'rounds')),
    batchMs: int(values['batch-ms'], quick ? 400 : 1000, 'batch-ms'),
    warmupMs: int(values['warmup-ms'], quick ? 300 : 1500, 'warmup-ms'),
    stream: int(values.stream, quick ? 1000 : 10_000, 'stream'),
    sqlite: int(values.sqlite, quick ? 500 : 10_000, 'sqlite'),
    workers: Math.max(1, int(values.workers, availableParallelism(), 'workers')),
    reference: !values['no-reference'],
    out: values.out ?? 'results/latest.json',
    quick,
  }
}
