/**
 * XML Schema dateTime parsing as the VC data model requires it: a time zone is mandatory.
 *
 * @module
 */

const DATE_TIME_STAMP =
  /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/**
 * Parsed timestamps by their text (`NaN` for refused ones): one credential's dates are read by
 * several checks, and a verifier sees the same issuance dates often. Bounded: cleared when full.
 */
const parsed = new Map<string, number>()
const MAX_PARSED = 4096

/**
 * Parses an XSD `dateTimeStamp` (`2026-11-29T12:00:00Z`, `2026-11-29T13:00:00+01:00`).
 * Returns `undefined` for anything else: no time zone, out-of-range fields, not a string.
 *
 * @see https://www.w3.org/TR/xmlschema11-2/#dateTimeStamp
 */
export function parseDateTimeStamp(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined
  let time = parsed.get(value)
  if (time === undefined) {
    time = parseTime(value)
    if (parsed.size >= MAX_PARSED) parsed.clear()
    parsed.set(value, time)
  }
  return Number.isNaN(time) ? undefined : new Date(time)
}

/** The epoch milliseconds of an XSD dateTimeStamp, or `NaN`. */
function parseTime(value: string): number {
  const m = DATE_TIME_STAMP.exec(value)
  if (m === null) return NaN
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN
  if (hour > 24 || minute > 59 || second > 59) return NaN
  if (hour === 24 && (minute !== 0 || second !== 0 || (m[7] !== undefined && /[1-9]/.test(m[7]))))
    return NaN
  if (m[9] !== undefined && (Number(m[9]) > 14 || Number(m[10]) > 59)) return NaN
  return Date.parse(value)
}

/** Formats a date as an XSD dateTimeStamp in UTC without milliseconds: `2026-11-29T12:00:00Z`. */
export function formatDateTimeStamp(date: Date): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new TypeError('"date" must be a valid Date.')
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** How a date field reads: the date, or why it is refused. */
export type DateReading =
  | { readonly ok: true; readonly date: Date }
  | { readonly ok: false; readonly reason: 'malformed' | 'hour-24' }

/**
 * Reads a date field of a credential, a presentation or a proof: an XSD `dateTimeStamp`
 * ({@link parseDateTimeStamp}) that does not use the hour 24. XSD allows `24:00:00` for the end
 * of a day, but readers disagree on which day it names, so certify-vc refuses it everywhere.
 */
export function readDateTimeStamp(value: unknown): DateReading {
  const date = parseDateTimeStamp(value)
  if (date === undefined) return { ok: false, reason: 'malformed' }
  if ((value as string).includes('T24:')) return { ok: false, reason: 'hour-24' }
  return { ok: true, date }
}

/** Why a date field was refused, in words (`what` names the field: `"validFrom"`, `The proof "created"`). */
export function dateReadingProblem(what: string, reason: 'malformed' | 'hour-24'): string {
  return reason === 'hour-24'
    ? `${what} uses the hour 24, which readers interpret differently; use 00:00:00 of the next day.`
    : `${what} must be an XML Schema dateTime with a time zone.`
}
