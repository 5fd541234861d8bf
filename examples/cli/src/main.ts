#!/usr/bin/env node
/**
 * The `certify-vc` executable: runs the command line and sets the exit code. The only module
 * that touches `process`.
 *
 * @module
 */
import { runCli } from './cli.js'
import { processIo } from './io.js'

try {
  // exitCode rather than exit(): lets piped stdout drain before the process ends.
  process.exitCode = await runCli(process.argv.slice(2), processIo())
} catch (error) {
  process.stderr.write(
    `certify-vc: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exitCode = 1
}
