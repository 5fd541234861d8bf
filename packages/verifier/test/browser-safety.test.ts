/**
 * docs/design.md §1: the verifier core runs in a browser. Everything outside `src/node/` and
 * `src/index.node.ts` must type-check without Node's types and import no Node module.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const root = join(pkg, '../..')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  )
}

const isNodeOnly = (file: string) => {
  const rel = relative(join(pkg, 'src'), file)
  return rel.startsWith('node/') || rel === 'index.node.ts'
}
const core = sources(join(pkg, 'src')).filter((f) => !isNodeOnly(f))

describe('the verifier core is browser-safe', () => {
  it('imports no Node built-in module', () => {
    expect(core.length).toBeGreaterThan(10)
    for (const file of core) {
      const text = readFileSync(file, 'utf8')
      const specifiers = [...text.matchAll(/from '([^']+)'|import\('([^']+)'\)/g)].map(
        (m) => m[1] ?? m[2] ?? '',
      )
      for (const s of specifiers) {
        expect(
          s.startsWith('node:') || /^(fs|net|http|https|dns|path|os|child_process|tls)$/.test(s),
          `${relative(pkg, file)} imports ${s}`,
        ).toBe(false)
        expect(
          s.includes('/node/') || s.includes('index.node'),
          `${relative(pkg, file)} imports ${s}`,
        ).toBe(false)
      }
    }
  })

  it('type-checks without @types/node (lib ES2022 + DOM only)', () => {
    const program = ts.createProgram({
      rootNames: [...core, ...sources(join(root, 'types')).filter((f) => f.endsWith('.d.ts'))],
      options: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
        types: [],
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: true,
        noEmit: true,
        resolveJsonModule: true,
        verbatimModuleSyntax: true,
        baseUrl: root,
        paths: { '@certify-vc/context': ['packages/context/src/index.ts'] },
      },
    })
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    expect(diagnostics).toEqual([])
  }, 60_000)
})
