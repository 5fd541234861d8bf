#!/usr/bin/env node
// Prints vitest's JSON report as one plain closing line: "tests: N passed, N failed, N skipped".
import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? '.tmp/vitest-results.json'
let report
try {
  report = JSON.parse(readFileSync(file, 'utf8'))
} catch {
  console.log('tests: 0 passed, 1 failed')
  console.error(`no vitest report at ${file}`)
  process.exit(1)
}
const skipped = report.numPendingTests + report.numTodoTests
console.log(
  `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`,
)
process.exit(report.numTotalTests > 0 && report.numFailedTests === 0 ? 0 : 1)
