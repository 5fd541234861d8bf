/**
 * The badge image of each program, drawn as SVG from the catalog: the program code large, its
 * name, and the Institute's name on a ribbon, in a shape and colour of the program's own (AIDA a
 * teal circle, CAAE an indigo hexagon, AIMA a rust-red shield), so that the three tell apart at a
 * glance and without colour.
 *
 * The SVG is self-contained: no script, no external image, font or stylesheet (text uses the
 * reader's sans-serif fonts), no `href` at all. It is accessible: `role="img"` with a `<title>`
 * and `<desc>` named by `aria-labelledby`, and white text on colours with a contrast ratio of at
 * least 4.5:1 (WCAG 2.2 SC 1.4.3). The issuer bakes credentials into it (Open Badges 3.0 §5.3.2),
 * and a PNG rendering of it for PNG baking.
 *
 * @module
 */
import { CATALOG, type Catalog, type ProgramCode } from './catalog.js'

/** The side of the square badge, in SVG user units (and pixels at scale 1). */
export const BADGE_SIZE = 512

interface BadgeStyle {
  /** Main fill, and a darker shade for the rim and ribbon. */
  readonly fill: string
  readonly rim: string
  /** The outline of the badge in the 512 × 512 box. */
  readonly shape: (attributes: string) => string
  /** In words, for the `<desc>`. */
  readonly shapeName: string
}

const STYLES: Readonly<Record<ProgramCode, BadgeStyle>> = {
  // Contrast with white text (WCAG 2.2 relative luminance): #0f766e 5.47:1, #134e4a 9.48:1.
  AIDA: {
    fill: '#0f766e',
    rim: '#134e4a',
    shapeName: 'a teal circle',
    shape: (a) => `<circle cx="256" cy="240" r="216" ${a}/>`,
  },
  // #3730a3 9.93:1, #1e1b4b 15.99:1.
  CAAE: {
    fill: '#3730a3',
    rim: '#1e1b4b',
    shapeName: 'an indigo hexagon',
    shape: (a) => `<polygon points="256,16 450,128 450,352 256,464 62,352 62,128" ${a}/>`,
  },
  // #9a3412 7.31:1, #7c2d12 9.37:1.
  AIMA: {
    fill: '#9a3412',
    rim: '#7c2d12',
    shapeName: 'a rust-red shield',
    shape: (a) =>
      `<path d="M256 20 L448 84 L448 236 C448 356 364 428 256 468 C148 428 64 356 64 236 L64 84 Z" ${a}/>`,
  },
}

const FONT = `font-family="'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif"`

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The program's name without its trailing "(CODE)". */
function plainName(name: string, code: string): string {
  return name.endsWith(` (${code})`) ? name.slice(0, -(code.length + 3)) : name
}

/** `text` in one or two lines, broken at the space that best balances them. */
function twoLines(text: string, max = 20): string[] {
  if (text.length <= max) return [text]
  let best: [string, string] = [text, '']
  for (let i = text.indexOf(' '); i !== -1; i = text.indexOf(' ', i + 1)) {
    const split: [string, string] = [text.slice(0, i), text.slice(i + 1)]
    if (Math.max(...split.map((s) => s.length)) < Math.max(...best.map((s) => s.length))) {
      best = split
    }
  }
  return best[1] === '' ? [best[0]] : best
}

/**
 * The SVG badge of a program, as text (UTF-8, no XML declaration needed). The same code and
 * catalog give the same bytes.
 *
 * @example
 * await writeFile('aida.svg', programBadgeSvg('AIDA'))
 *
 * @throws {TypeError} for a code that is not AIDA, CAAE or AIMA.
 */
export function programBadgeSvg(code: ProgramCode, catalog: Catalog = CATALOG): string {
  const style = (STYLES as Partial<Record<string, BadgeStyle>>)[code]
  const program = catalog.programs[code] as Catalog['programs'][ProgramCode] | undefined
  if (style === undefined || program === undefined) {
    throw new TypeError(`"code" must be one of AIDA, CAAE, AIMA (got ${JSON.stringify(code)}).`)
  }
  const id = `badge-${code.toLowerCase()}`
  const name = plainName(program.name, code)
  const institute = catalog.institute.name
  const lines = twoLines(name)
  const nameText = lines
    .map(
      (line, i) =>
        `<text x="256" y="${(lines.length === 1 ? 318 : 304) + i * 34}" font-size="28" ${FONT} fill="#ffffff" text-anchor="middle">${escapeXml(line)}</text>`,
    )
    .join('')
  const title = `${program.name}, ${institute}`
  const desc =
    `Badge of the ${institute}: ${style.shapeName} with the program code ${code}, the ` +
    `program name ${name}, and the name of the Institute on a ribbon.`
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${BADGE_SIZE}" height="${BADGE_SIZE}" viewBox="0 0 ${BADGE_SIZE} ${BADGE_SIZE}" role="img" aria-labelledby="${id}-title ${id}-desc">` +
    `<title id="${id}-title">${escapeXml(title)}</title>` +
    `<desc id="${id}-desc">${escapeXml(desc)}</desc>` +
    style.shape(`fill="${style.rim}"`) +
    `<g transform="translate(256 240) scale(0.9) translate(-256 -240)">${style.shape(`fill="${style.fill}" stroke="#ffffff" stroke-width="6"`)}</g>` +
    // textLength keeps the code inside the shape whatever font the reader has.
    `<text x="256" y="248" font-size="112" font-weight="bold" ${FONT} fill="#ffffff" text-anchor="middle" textLength="296" lengthAdjust="spacingAndGlyphs">${escapeXml(code)}</text>` +
    nameText +
    `<path d="M36 404 L476 404 L456 436 L476 468 L36 468 L56 436 Z" fill="${style.rim}" stroke="#ffffff" stroke-width="4"/>` +
    `<text x="256" y="445" font-size="24" font-weight="bold" ${FONT} fill="#ffffff" text-anchor="middle">${escapeXml(institute)}</text>` +
    `</svg>\n`
  )
}
