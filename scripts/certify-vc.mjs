#!/usr/bin/env node
/**
 * `pnpm certify-vc <command> …` at the repository root: the command line, run in the folder pnpm
 * was called from (pnpm runs scripts in the root and passes that folder as INIT_CWD), so relative
 * paths mean what they do in the shell. Builds the command line first when it has not been built
 * (a fresh clone); after changing its sources, `pnpm run build` (or `pnpm demo`) rebuilds it.
 * `pnpm -s certify-vc …` leaves out pnpm's own two header lines, for `--json` output.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const main = join(root, 'examples/cli/dist/main.js')
if (!existsSync(main)) {
  process.stderr.write(
    'certify-vc: building the command line first (tsc -b examples/cli; a minute or two)…\n',
  )
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '-b', 'examples/cli'], { cwd: root, stdio: 'inherit' })
}
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD)
// What `certify-vc demo` prints its commands with (see examples/cli/src/commands/demo.ts).
process.env.CERTIFY_VC_INVOCATION ??= 'pnpm certify-vc'
await import(pathToFileURL(main).href)
