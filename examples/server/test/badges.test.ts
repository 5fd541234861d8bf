/**
 * The badge images: stable URLs for the SVG and PNG of each program, and the catalog's
 * achievement.image path, with headers that keep an SVG opened on its own inert.
 */
import { CATALOG, PROGRAM_CODES, programBadgeSvg } from '@certify-vc/context'
import { programBadgePng } from '@certify-vc/issuer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './helpers.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server.close()
})

function expectImageHeaders(res: Response, type: string) {
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe(type)
  expect(res.headers.get('content-security-policy')).toBe(
    "default-src 'none'; style-src 'unsafe-inline'",
  )
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  expect(res.headers.get('access-control-allow-origin')).toBe('*')
}

describe('badge images', () => {
  it.each(PROGRAM_CODES)('GET /certify/badges/%s.svg and .png', async (code) => {
    const slug = code.toLowerCase()
    const svg = await fetch(`${server.baseUrl}/certify/badges/${slug}.svg`)
    expectImageHeaders(svg, 'image/svg+xml; charset=utf-8')
    expect(await svg.text()).toBe(programBadgeSvg(code))
    const png = await fetch(`${server.baseUrl}/certify/badges/${slug}.png`)
    expectImageHeaders(png, 'image/png')
    expect(new Uint8Array(await png.arrayBuffer())).toEqual(await programBadgePng(code))
  })

  it.each(PROGRAM_CODES)('serves the PNG at the path of %s achievement.image', async (code) => {
    const path = new URL(CATALOG.programs[code].image).pathname
    const res = await fetch(`${server.baseUrl}${path}`)
    expectImageHeaders(res, 'image/png')
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(await programBadgePng(code))
  })

  it('404 for anything else', async () => {
    for (const file of ['xyz.svg', 'AIDA.svg', 'aida.gif', 'aida.svg.png', '..%2Fkey.json']) {
      const res = await fetch(`${server.baseUrl}/certify/badges/${file}`)
      expect(res.status, file).toBe(404)
    }
  })
})
