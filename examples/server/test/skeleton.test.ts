import { describe, expect, it } from 'vitest'
import { buildServer } from '../src/app.js'
import { loadConfig } from '../src/config.js'

describe('skeleton', () => {
  it('serves the placeholder page', async () => {
    const app = await buildServer({
      ...loadConfig({ LOG_LEVEL: 'silent' }),
      writeToken: 'x'.repeat(32),
    })
    const res = await app.inject({ method: 'GET', url: '/certify/verify' })
    expect(res.statusCode).toBe(200)
    await app.close()
  })
})
