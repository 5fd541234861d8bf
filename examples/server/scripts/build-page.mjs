#!/usr/bin/env node
/**
 * Builds the verification page's browser assets with esbuild:
 *   src/verification-page/browser/main.ts → dist/page/verify.js  (ESM, minified; verify.js.map beside it)
 *   src/verification-page/verify.css      → dist/page/verify.css
 *
 * The bundle holds the browser-safe verifier core (`@certify-vc/verifier`'s `index.ts`, never
 * `index.node.ts`), `@certify-vc/core` (the proof machinery and the baked-badge codec) and
 * `@certify-vc/context` with its pinned contexts and offline document loader, all taken from their
 * TypeScript sources, so it does not depend on `tsc -b` having run.
 *
 * Usage: node scripts/build-page.mjs [--outdir <dir>] [--if-stale]
 *   --if-stale (alias --if-missing): do nothing when both outputs exist and are newer than every
 *   file under src/verification-page, packages/context/src, packages/core/src and
 *   packages/verifier/src.
 * Also importable: `import { buildPage } from './build-page.mjs'`.
 */
import { existsSync } from 'node:fs'
import { mkdir, readdir, stat } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
export const PACKAGE_DIR = resolve(here, '..')
const REPO_DIR = resolve(PACKAGE_DIR, '../..')
export const DEFAULT_OUTDIR = join(PACKAGE_DIR, 'dist/page')

/** Workspace packages, from source; the verifier through its browser entry. */
const SOURCES = {
  '@certify-vc/context': join(REPO_DIR, 'packages/context/src/index.ts'),
  '@certify-vc/core': join(REPO_DIR, 'packages/core/src/index.ts'),
  '@certify-vc/verifier': join(REPO_DIR, 'packages/verifier/src/index.ts'),
}

/**
 * Node built-ins must never reach the browser bundle. Bare names (`crypto`) are left to esbuild,
 * which honours packages' `browser` maps and fails on any other built-in for `platform: 'browser'`.
 */
const NODE_BUILTIN = /^node:/

const workspaceSources = {
  name: 'certify-vc-workspace-sources',
  setup(b) {
    b.onResolve({ filter: /^@certify-vc\/(context|core|verifier)$/ }, (args) => ({
      path: SOURCES[args.path],
    }))
    b.onResolve({ filter: NODE_BUILTIN }, (args) => ({
      errors: [
        {
          text: `Node built-in "${args.path}" imported by ${args.importer} in the browser bundle.`,
        },
      ],
    }))
  },
}

/**
 * Builds the assets. Returns the output files with their sizes in bytes.
 *
 * @param {{ outdir?: string, minify?: boolean, logLevel?: import('esbuild').LogLevel }} [options]
 */
export async function buildPage(options = {}) {
  const outdir = options.outdir ?? DEFAULT_OUTDIR
  await mkdir(outdir, { recursive: true })
  const result = await build({
    entryPoints: {
      verify: join(PACKAGE_DIR, 'src/verification-page/browser/main.ts'),
    },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'firefox115', 'safari16.4'],
    minify: options.minify ?? true,
    // The map is written next to the bundle for debugging but not referenced (it is not served);
    // licence comments stay in the served bundle.
    sourcemap: 'external',
    legalComments: 'eof',
    charset: 'utf8',
    metafile: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [workspaceSources],
    logLevel: options.logLevel ?? 'warning',
  })
  const css = await build({
    entryPoints: { verify: join(PACKAGE_DIR, 'src/verification-page/verify.css') },
    outdir,
    bundle: true,
    minify: options.minify ?? true,
    charset: 'utf8',
    metafile: true,
    logLevel: options.logLevel ?? 'warning',
  })
  const outputs = { ...result.metafile.outputs, ...css.metafile.outputs }
  return Object.entries(outputs)
    .filter(([file]) => !file.endsWith('.map'))
    .map(([file, info]) => ({ file: resolve(file), bytes: info.bytes }))
}

/** Newest modification time (ms) of the files under `dir` (0 when none). */
async function newestMtime(dir) {
  let newest = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const { mtimeMs } = await stat(join(entry.parentPath ?? entry.path, entry.name))
    if (mtimeMs > newest) newest = mtimeMs
  }
  return newest
}

/** True when both outputs exist and are newer than every source they are built from. */
export async function isUpToDate(outdir = DEFAULT_OUTDIR) {
  const outputs = [join(outdir, 'verify.js'), join(outdir, 'verify.css')]
  if (!outputs.every((f) => existsSync(f))) return false
  const built = Math.min(...(await Promise.all(outputs.map(async (f) => (await stat(f)).mtimeMs))))
  const sources = [
    join(PACKAGE_DIR, 'src/verification-page'),
    join(REPO_DIR, 'packages/context/src'),
    join(REPO_DIR, 'packages/verifier/src'),
    join(REPO_DIR, 'packages/core/src'),
  ]
  const newest = Math.max(...(await Promise.all(sources.map(newestMtime))))
  return built >= newest
}

async function main(argv) {
  let outdir = DEFAULT_OUTDIR
  let ifStale = false
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--outdir') outdir = resolve(argv[++i] ?? '')
    else if (argv[i] === '--if-stale' || argv[i] === '--if-missing') ifStale = true
    else throw new TypeError(`Unknown argument ${argv[i]}`)
  }
  if (ifStale && (await isUpToDate(outdir))) return
  const files = await buildPage({ outdir })
  for (const { file, bytes } of files) {
    console.log(`${relative(process.cwd(), file)}  ${(bytes / 1024).toFixed(1)} KiB`)
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
}
