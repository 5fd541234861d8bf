/**
 * What the dependencies load, and that the two halves of the canonicalization pipeline we call
 * directly are the ones jsonld.js itself calls.
 */
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)))
const require = createRequire(`${packageDir}/package.json`)

describe('dependencies', () => {
  it('rdf-canonize is the very copy jsonld 9.0.0 uses (the fast path calls it directly)', () => {
    const jsonldDir = dirname(require.resolve('jsonld/package.json'))
    const fromJsonld = createRequire(`${jsonldDir}/package.json`)
    expect(require.resolve('rdf-canonize')).toBe(fromJsonld.resolve('rdf-canonize'))
    expect((require('jsonld/package.json') as { version: string }).version).toBe('9.0.0')
    expect((require('rdf-canonize/package.json') as { version: string }).version).toBe('5.0.0')
  })

  it('loading jsonld does not load its HTTP client (patches/jsonld@9.0.0.patch)', () => {
    // A fresh process: which CommonJS modules does `import 'jsonld'` bring in?
    const script = `
      import { createRequire } from 'node:module'
      const jsonld = (await import('jsonld')).default
      const cache = Object.keys(createRequire(import.meta.url).cache)
      console.log(JSON.stringify({
        loaded: cache.some((k) => k.includes('jsonld')),
        http: cache.filter((k) => /http-client|undici|[\\\\/]ky[\\\\/]/.test(k)).length,
        node: typeof jsonld.documentLoaders.node,
      }))`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
      encoding: 'utf8',
    })
    expect(JSON.parse(out)).toEqual({ loaded: true, http: 0, node: 'function' })
  })
})
