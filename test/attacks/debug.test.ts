import { it } from 'vitest'
import { loadManifest, verifyFixture } from './run-fixture.js'
it('debug', async () => {
  const only = (process.env.ONLY ?? '').split(',')
  for (const e of loadManifest().fixtures) {
    if (!only.some((o) => e.file.startsWith(o))) continue
    const { result } = await verifyFixture(e)
    console.log(
      e.file,
      JSON.stringify(
        result.checks.map((c) => [
          c.id,
          c.outcome,
          c.problems.map((p) => `${p.code} ${p.path} ${p.message.slice(0, 150)}`),
        ]),
      ),
    )
  }
}, 60000)
