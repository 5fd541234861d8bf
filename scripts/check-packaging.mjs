#!/usr/bin/env node
/**
 * Packaging checks for the three published packages (jose's `check:packaging`):
 * publint (strict) and @arethetypeswrong/cli on the packed tarball, ESM-only profile.
 * Run after `tsc -b`.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => join(root, 'node_modules/.bin', name)
let failed = false
for (const pkg of ['context', 'core', 'issuer', 'verifier']) {
  const cwd = join(root, 'packages', pkg)
  for (const [cmd, args] of [
    [bin('publint'), ['--strict']],
    [bin('attw'), ['--pack', '.', '--profile', 'esm-only', '--format', 'ascii']],
  ]) {
    try {
      const out = execFileSync(cmd, args, {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      console.log(`@certify-vc/${pkg}: ${cmd.split('/').pop()} ok\n${out.trim()}`)
    } catch (error) {
      failed = true
      console.error(
        `@certify-vc/${pkg}: ${cmd.split('/').pop()} FAILED\n${error.stdout ?? ''}${error.stderr ?? ''}`,
      )
    }
  }
}

// No `any` may leak into the public API: scan every declaration file reachable from the
// package's index.d.ts (internal modules that no public type imports are not API).
function reachableDeclarations(entry) {
  const seen = new Set()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.pop()
    if (seen.has(file)) continue
    seen.add(file)
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/from\s+'(\.{1,2}\/[^']+)\.js'/g)) {
      queue.push(join(dirname(file), `${m[1]}.d.ts`))
    }
  }
  return [...seen]
}
for (const pkg of ['context', 'core', 'issuer', 'verifier']) {
  const dist = join(root, 'packages', pkg, 'dist')
  const entries = readdirSync(dist).filter((f) => /^index(\.node)?\.d\.ts$/.test(f))
  for (const file of entries.flatMap((e) => reachableDeclarations(join(dist, e)))) {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
    if (/\bany\b/.test(text)) {
      failed = true
      console.error(`${file}: the public types mention \`any\``)
    }
    if (/@digitalbazaar|jsonld-signatures|from 'jsonld'|did-resolver/.test(text)) {
      failed = true
      console.error(`${file}: the public types import an untyped dependency`)
    }
  }
}
console.log('declaration files: no any, no untyped dependency types')
process.exit(failed ? 1 : 0)
