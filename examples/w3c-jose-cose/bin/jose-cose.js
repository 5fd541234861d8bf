#!/usr/bin/env node
// The `certify-vc-jose-cose` executable: the compiled dist/main.js (see
// bin/certify-vc.js for why this file exists).
try {
  await import('../dist/main.js')
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/main.js')) {
    throw error
  }
  console.error('certify-vc-jose-cose: not built yet: run `pnpm run build` first.')
  process.exitCode = 2
}
