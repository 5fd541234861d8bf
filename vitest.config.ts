import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (name: string, entry = 'index.ts') =>
  fileURLToPath(new URL(`./packages/${name}/src/${entry}`, import.meta.url))

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources: no build step is needed before `vitest`.
    // The verifier resolves to its Node entry, as Node's `node` export condition does.
    alias: [
      { find: /^@certify-vc\/context$/, replacement: src('context') },
      { find: /^@certify-vc\/core$/, replacement: src('core') },
      { find: /^@certify-vc\/issuer$/, replacement: src('issuer') },
      { find: /^@certify-vc\/verifier$/, replacement: src('verifier', 'index.node.ts') },
      {
        find: /^@certify-vc\/example-wallet$/,
        replacement: fileURLToPath(new URL('./examples/wallet/src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
