/**
 * The committed attack fixtures are exactly what the generator produces from the test keys.
 * `pnpm fixtures:attacks` runs this file with CERTIFY_WRITE_ATTACK_FIXTURES=1 to (re)write them.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildAttackFixtures } from './build-fixtures.js'
import { FIXTURE_DIR } from './run-fixture.js'

const WRITE = process.env.CERTIFY_WRITE_ATTACK_FIXTURES === '1'

describe('attack fixtures (test/fixtures/attacks)', () => {
  it.runIf(WRITE)('are written from the deterministic test keys', async () => {
    const files = await buildAttackFixtures()
    mkdirSync(FIXTURE_DIR, { recursive: true })
    for (const name of readdirSync(FIXTURE_DIR)) {
      if (!files.has(name)) rmSync(FIXTURE_DIR + name)
    }
    for (const [name, content] of files) writeFileSync(FIXTURE_DIR + name, content)
    console.log(`wrote ${files.size} files to ${FIXTURE_DIR}`)
  })

  it.skipIf(WRITE)(
    'regenerate byte for byte (run `pnpm fixtures:attacks` after changing the generator)',
    async () => {
      const files = await buildAttackFixtures()
      expect(readdirSync(FIXTURE_DIR).sort()).toEqual([...files.keys()].sort())
      for (const [name, content] of files) {
        const committed = readFileSync(FIXTURE_DIR + name)
        const expected = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
        expect(Buffer.compare(committed, Buffer.from(expected)), `${name} differs`).toBe(0)
      }
    },
  )
})
