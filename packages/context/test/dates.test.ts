import { formatDateTimeStamp, parseDateTimeStamp } from '@certify-vc/context'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

describe('XSD dateTimeStamp', () => {
  it.each([
    ['2026-11-29T12:00:00Z', '2026-11-29T12:00:00.000Z'],
    ['2026-11-29T13:00:00+01:00', '2026-11-29T12:00:00.000Z'],
    ['2026-11-29T12:00:00.123Z', '2026-11-29T12:00:00.123Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('parses %s', (input, iso) => {
    expect(parseDateTimeStamp(input)?.toISOString()).toBe(iso)
  })

  it.each([
    '2026-11-29T12:00:00', // no time zone
    '2026-11-29',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-11-29T25:00:00Z',
    '2026-11-29T12:60:00Z',
    '2026-11-29T12:00:00+15:00',
    '2026-11-29 12:00:00Z',
    ' 2026-11-29T12:00:00Z',
    '',
  ])('rejects %s', (input) => {
    expect(parseDateTimeStamp(input)).toBeUndefined()
  })

  it('rejects non-strings', () => {
    for (const v of [undefined, null, 0, new Date(), {}])
      expect(parseDateTimeStamp(v)).toBeUndefined()
  })

  it('format and parse round-trip (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const text = formatDateTimeStamp(d)
          expect(parseDateTimeStamp(text)?.getTime()).toBe(Math.floor(d.getTime() / 1000) * 1000)
        },
      ),
    )
  })

  it('formatDateTimeStamp rejects invalid dates', () => {
    expect(() => formatDateTimeStamp(new Date('x'))).toThrow(TypeError)
    expect(() => formatDateTimeStamp('2026' as never)).toThrow(TypeError)
  })
})
