#!/usr/bin/env node
/**
 * The demo entry used by the root `pnpm demo` script: `certify-vc demo` with the same arguments
 * (`--out <dir>`, default ./demo-out relative to the working directory).
 *
 * @module
 */
import { INVOCATION_ENV, demo } from './commands/demo.js'
import { processIo } from './io.js'

// In a clone, the command line is run as `pnpm certify-vc` (the root package's script): the
// demo's "Try it yourself" lines then work as printed.
process.env[INVOCATION_ENV] ??= 'pnpm certify-vc'
try {
  process.exitCode = await demo(process.argv.slice(2), processIo())
} catch (error) {
  process.stderr.write(
    `certify-vc demo: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exitCode = 1
}
