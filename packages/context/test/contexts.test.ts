import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  CERTIFY_CONTEXT_URL,
  CONTEXT_URLS,
  EARLIER_OPEN_BADGES_CONTEXT_URLS,
  contextSources,
  contexts,
} from '@certify-vc/context'
import { describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const require = createRequire(join(root, 'packages/context/package.json'))

function packageDir(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name)
    if (existsSync(join(dir, 'package.json'))) return dir
  }
  throw new Error(`not installed: ${name}`)
}

describe('bundled contexts', () => {
  it('bundles every context the credentials and proofs use', () => {
    const urls = [...Object.values(CONTEXT_URLS), ...EARLIER_OPEN_BADGES_CONTEXT_URLS]
    for (const url of urls) expect(contexts.has(url), url).toBe(true)
    expect(contexts.size).toBe(urls.length)
  })

  it.each(contextSources.map((s) => [s.url, s] as const))(
    '%s: the file in contexts/ has the pinned SHA-256 and equals the bundled document',
    (url, source) => {
      const text = readFileSync(join(root, 'contexts', source.file), 'utf8')
      expect(createHash('sha256').update(text, 'utf8').digest('hex')).toBe(source.sha256)
      expect(contexts.get(url)).toEqual(JSON.parse(text))
    },
  )

  it.each(
    contextSources.filter((s) => s.url !== CERTIFY_CONTEXT_URL).map((s) => [s.url, s] as const),
  )('%s: the copy is identical to its npm package', (_url, source) => {
    const [pkgAtVersion, inner] = source.source.split(' ') as [string, string]
    const name = pkgAtVersion.slice(0, pkgAtVersion.lastIndexOf('@'))
    const version = pkgAtVersion.slice(pkgAtVersion.lastIndexOf('@') + 1)
    const dir = packageDir(name)
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }
    expect(pkg.version).toBe(version)
    const upstream: unknown = inner.endsWith('.js')
      ? require(join(dir, inner))
      : JSON.parse(readFileSync(join(dir, inner), 'utf8'))
    expect(contexts.get(source.url)).toEqual(upstream)
  })

  it('documents are deeply frozen, so no caller can alter a shared context', () => {
    const v2 = contexts.get(CONTEXT_URLS.credentialsV2) as Record<string, Record<string, unknown>>
    expect(Object.isFrozen(v2)).toBe(true)
    expect(Object.isFrozen(v2['@context'])).toBe(true)
    expect(() => {
      v2['@context']!.VerifiableCredential = 'x'
    }).toThrow(TypeError)
  })

  it("the Institute's context is @protected, flat and has no @vocab", () => {
    const ctx = (contexts.get(CERTIFY_CONTEXT_URL) as { '@context': Record<string, unknown> })[
      '@context'
    ]
    expect(ctx['@protected']).toBe(true)
    expect(ctx['@vocab']).toBeUndefined()
    expect(ctx.programCode).toBeDefined()
    for (const [term, def] of Object.entries(ctx)) {
      if (term.startsWith('@')) continue
      expect(def, term).not.toHaveProperty('@context')
    }
  })
})
