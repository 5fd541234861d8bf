/**
 * The programs' SVG badges: self-contained (no script, no external resource), accessible (a
 * named image with title and description, contrast of at least 4.5:1 with the white text, WCAG
 * 2.2 SC 1.4.3), and distinct per program.
 */
import { CATALOG, PROGRAM_CODES, createCatalog, programBadgeSvg } from '@certify-vc/context'
import { describe, expect, it } from 'vitest'

/** WCAG 2.2 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

describe('programBadgeSvg', () => {
  it.each(PROGRAM_CODES)(
    '%s: self-contained, accessible SVG naming the program and the Institute',
    (code) => {
      const svg = programBadgeSvg(code)
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" ')).toBe(true)
      expect(svg).not.toMatch(/<script|href|<image|<foreignObject|@import|url\(|on[a-z]+=/i)
      // The only URL is the SVG namespace.
      expect(svg.match(/https?:\/\/[^"]*/g)).toEqual(['http://www.w3.org/2000/svg'])
      expect(svg).toContain('role="img"')
      const id = `badge-${code.toLowerCase()}`
      expect(svg).toContain(`aria-labelledby="${id}-title ${id}-desc"`)
      expect(svg).toContain(
        `<title id="${id}-title">${CATALOG.programs[code].name.replace(/&/g, '&#38;')}, Production AI Institute</title>`,
      )
      expect(svg).toContain(`<desc id="${id}-desc">`)
      expect(svg).toContain(`>${code}</text>`)
      expect(svg).toContain('>Production AI Institute</text>')
      for (const fill of svg.match(/fill="#[0-9a-f]{6}"/g) ?? []) {
        const hex = fill.slice(6, 13)
        if (hex === '#ffffff') continue
        expect(1.05 / (luminance(hex) + 0.05), `${code} ${hex}`).toBeGreaterThanOrEqual(4.5)
      }
    },
  )

  it('draws each program differently, the same way every time', () => {
    const svgs = PROGRAM_CODES.map((code) => programBadgeSvg(code))
    expect(new Set(svgs).size).toBe(3)
    const shapes = svgs.map((s) => /<(circle|polygon|path) /.exec(s)?.[1])
    expect(new Set(shapes).size).toBe(3)
    expect(programBadgeSvg('AIDA')).toBe(programBadgeSvg('AIDA'))
  })

  it('escapes catalog text and refuses unknown codes', () => {
    const catalog = createCatalog({
      institute: {
        name: 'A & B <Institute>',
        url: 'https://example.org',
        image: 'https://example.org/i.png',
      },
    })
    expect(programBadgeSvg('AIMA', catalog)).toContain('>A &#38; B &#60;Institute&#62;</text>')
    expect(() => programBadgeSvg('XYZ' as 'AIDA')).toThrow(TypeError)
  })
})
