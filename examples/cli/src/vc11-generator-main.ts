#!/usr/bin/env node
/**
 * The `vc11-generator` executable (for the W3C VC 1.1 test suite): runs
 * {@link runVc11Generator} and sets the exit code.
 *
 * @module
 */
import { processIo } from './io.js'
import { runVc11Generator } from './vc11-generator.js'

try {
  process.exitCode = await runVc11Generator(process.argv.slice(2), processIo())
} catch (error) {
  process.stderr.write(
    `vc11-generator: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exitCode = 1
}
