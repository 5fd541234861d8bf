#!/usr/bin/env node
// The `certify-vc` executable: the compiled command line, dist/main.js. This small file is in
// the repository so that package managers can link the command before the first build; until
// then it says how to build.
try {
  await import('../dist/main.js')
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/main.js')) {
    throw error
  }
  console.error('certify-vc: the command line is not built yet: run `pnpm run build` first.')
  process.exitCode = 2
}
