import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (name: string) =>
  fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url))

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources: no build step is needed before `vitest`.
    alias: [
      { find: /^@certify-vc\/context$/, replacement: src('context') },
      { find: /^@certify-vc\/issuer$/, replacement: src('issuer') },
      { find: /^@certify-vc\/verifier$/, replacement: src('verifier') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
