#!/usr/bin/env node
// The `vc11-generator` executable: the compiled dist/vc11-generator-main.js (see
// bin/certify-vc.js for why this file exists).
try {
  await import('../dist/vc11-generator-main.js')
} catch (error) {
  if (
    error?.code !== 'ERR_MODULE_NOT_FOUND' ||
    !String(error.message).includes('dist/vc11-generator-main.js')
  ) {
    throw error
  }
  console.error('vc11-generator: not built yet: run `pnpm run build` first.')
  process.exitCode = 2
}
