/**
 * Loads the packages the benchmark compares. Bare names are tried first (once `test/bench` is a
 * workspace member with its dependencies installed); until then, the same installed copies are
 * found under `test/` and `packages/context/`, so that both sides share one jsonld.js.
 *
 * @module
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'

/** The monorepo root. */
export const repoRoot = new URL('../../../../', import.meta.url)

const SEARCH = ['test/', 'packages/context/', 'packages/issuer/', 'packages/verifier/', ''].map(
  (dir) => new URL(dir, repoRoot),
)

function entryOf(pkg) {
  const { exports } = pkg
  if (typeof exports === 'string') return exports
  const dot = exports?.['.']
  if (typeof dot === 'string') return dot
  if (dot !== undefined) return dot.import ?? dot.node ?? dot.default
  return pkg.module ?? pkg.main ?? 'index.js'
}

/**
 * Imports `name`, by bare specifier or from the installed copies in the workspace.
 *
 * @param {string} name
 */
export async function load(name) {
  try {
    return await import(name)
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(name)) {
      throw error
    }
  }
  for (const dir of SEARCH) {
    const pkgDir = new URL(`node_modules/${name}/`, dir)
    const pkgFile = new URL('package.json', pkgDir)
    if (!existsSync(pkgFile)) continue
    const pkg = JSON.parse(await readFile(pkgFile, 'utf8'))
    return import(new URL(entryOf(pkg), pkgDir).href)
  }
  throw new Error(`Cannot find ${name}: run pnpm install at the repository root.`)
}

/** Checks that the certify-vc packages are built (the benchmark imports their `dist`). */
export function assertBuilt() {
  for (const name of ['context', 'issuer', 'verifier']) {
    if (!existsSync(new URL(`packages/${name}/dist/index.js`, repoRoot))) {
      throw new Error(
        `packages/${name} is not built: run \`npx tsc -b\` (or \`pnpm build\`) first.`,
      )
    }
  }
}
