#!/usr/bin/env node
/**
 * The `certify-vc-jose-cose` executable (for the W3C vc-jose-cose test suite): runs
 * {@link runJoseCose} and sets the exit code.
 *
 * @module
 */
import { runJoseCose } from './run.js'

try {
  process.exitCode = await runJoseCose(process.argv.slice(2), {
    cwd: process.cwd(),
    stderr: process.stderr,
  })
} catch (error) {
  process.stderr.write(
    `certify-vc-jose-cose: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exitCode = 1
}
