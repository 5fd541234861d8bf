#!/usr/bin/env node
/**
 * The `certify-vc-jose-cose` executable (for the W3C vc-jose-cose test suite): runs
 * {@link runJoseCose} and sets the exit code.
 *
 * @module
 */
import { processIo } from './io.js'
import { runJoseCose } from './jose-cose/run.js'

try {
  process.exitCode = await runJoseCose(process.argv.slice(2), processIo())
} catch (error) {
  process.stderr.write(
    `certify-vc-jose-cose: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exitCode = 1
}
