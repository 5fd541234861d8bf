/**
 * The Institute and its three programs (AIDA, CAAE, AIMA) as data, in one place.
 *
 * The verifier decides a credential's program only from (trusted issuer, achievement id) looked
 * up here, and shows display text from here, never from the credential (docs/design.md §3).
 *
 * @module
 */
import { CertifyError } from './errors.js'

/** The three programs. */
export type ProgramCode = 'AIDA' | 'CAAE' | 'AIMA'

/** Every program code, in catalog order. */
export const PROGRAM_CODES: readonly ProgramCode[] = ['AIDA', 'CAAE', 'AIMA']

/** The Institute's public base URL: achievement ids, images and the context live under it. */
export const INSTITUTE_BASE_URL = 'https://production-ai.institute'

/** The Institute as it appears in a credential's issuer Profile. */
export interface InstituteProfile {
  readonly name: string
  readonly url: string
  readonly image: string
}

/** The default issuer Profile display data. */
export const INSTITUTE: InstituteProfile = {
  name: 'Production AI Institute',
  url: INSTITUTE_BASE_URL,
  image: `${INSTITUTE_BASE_URL}/images/institute-logo.png`,
}

/** One control area the Institute teaches, usable as an OB 3.0 `alignment`. */
export interface ControlArea {
  readonly slug: string
  readonly name: string
  readonly description: string
}

/** The control areas the Institute teaches. */
export const CONTROL_AREAS: readonly ControlArea[] = [
  {
    slug: 'input-boundaries',
    name: 'Input boundaries',
    description:
      'Constraining and validating what reaches an AI system: prompts, files, tools and context.',
  },
  {
    slug: 'output-validation',
    name: 'Output validation',
    description: 'Checking what an AI system produces before it is shown, stored or acted on.',
  },
  {
    slug: 'observability',
    name: 'Observability',
    description: 'Logging, tracing and measuring AI behaviour in production so failures are seen.',
  },
  {
    slug: 'human-oversight',
    name: 'Human oversight',
    description:
      'Keeping accountable people in the loop for decisions an AI system informs or makes.',
  },
  {
    slug: 'deployment-safety',
    name: 'Deployment safety',
    description: 'Releasing, rolling back and retiring AI systems without harm to users or data.',
  },
]

/** How long a program's credentials stay valid. */
export type ProgramValidity =
  { readonly expires: false } | { readonly expires: true; readonly days: number }

/** One program in the catalog. */
export interface Program {
  readonly code: ProgramCode
  /** The OB 3.0 achievement id: an https URL under the Institute's base URL. */
  readonly achievementId: string
  readonly name: string
  readonly description: string
  readonly criteriaNarrative: string
  /** OB 3.0 `achievementType` vocabulary value. */
  readonly achievementType: 'Certificate' | 'Certification'
  readonly image: string
  readonly fee: 'free' | 'paid'
  /** Programs that must be held first. */
  readonly prerequisites: readonly ProgramCode[]
  /** Control areas used as `alignment` (slugs from {@link CONTROL_AREAS}). */
  readonly alignment: readonly string[]
  readonly validity: ProgramValidity
}

/** A catalog: the Institute plus its programs. */
export interface Catalog {
  readonly baseUrl: string
  readonly institute: InstituteProfile
  readonly programs: Readonly<Record<ProgramCode, Program>>
}

/** Options of {@link createCatalog}. */
export interface CreateCatalogOptions {
  /** Base URL for achievement ids and images. Default {@link INSTITUTE_BASE_URL}. */
  readonly baseUrl?: string
  /** Per-program validity; every program defaults to `{ expires: false }`. */
  readonly validity?: Partial<Readonly<Record<ProgramCode, ProgramValidity>>>
  /** Issuer display data. Default {@link INSTITUTE} (with `baseUrl` applied). */
  readonly institute?: InstituteProfile
}

function checkBaseUrl(baseUrl: string): string {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw new TypeError('"baseUrl" must be an absolute https URL.')
  }
  if (url.protocol !== 'https:' || url.search !== '' || url.hash !== '') {
    throw new TypeError('"baseUrl" must be an absolute https URL without query or fragment.')
  }
  return baseUrl.replace(/\/+$/, '')
}

function checkValidity(code: ProgramCode, v: ProgramValidity | undefined): ProgramValidity {
  if (v === undefined) return { expires: false }
  if (v.expires === false) return { expires: false }
  if (v.expires === true && Number.isInteger(v.days) && v.days > 0 && v.days <= 36600) {
    return { expires: true, days: v.days }
  }
  throw new TypeError(
    `"validity.${code}" must be { expires: false } or { expires: true, days: 1..36600 }.`,
  )
}

/**
 * Builds the catalog for a base URL and per-program validity.
 *
 * @example
 * const catalog = createCatalog({ validity: { CAAE: { expires: true, days: 730 } } })
 * catalog.programs.CAAE.achievementId // 'https://production-ai.institute/certify/caae'
 *
 * @throws {TypeError} for a base URL that is not https, or a malformed validity.
 */
export function createCatalog(options: CreateCatalogOptions = {}): Catalog {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('"options" must be an object.')
  }
  const baseUrl = checkBaseUrl(options.baseUrl ?? INSTITUTE_BASE_URL)
  const validity = options.validity ?? {}
  const institute =
    options.institute ??
    (baseUrl === INSTITUTE_BASE_URL
      ? INSTITUTE
      : { ...INSTITUTE, url: baseUrl, image: `${baseUrl}/images/institute-logo.png` })
  const page = (code: string) => `${baseUrl}/certify/${code.toLowerCase()}`
  const image = (code: string) => `${baseUrl}/images/badges/${code.toLowerCase()}.png`
  const allAreas = CONTROL_AREAS.map((a) => a.slug)
  const programs: Record<ProgramCode, Program> = {
    AIDA: {
      code: 'AIDA',
      achievementId: page('AIDA'),
      name: 'AI Deployment Awareness (AIDA)',
      description:
        'Foundational credential. The holder understands what production AI systems involve, how ' +
        'AI applications are built and maintained at a professional standard, the core vocabulary ' +
        'of AI literacy, and the governance and risk considerations of deploying AI. No prior ' +
        'technical experience is required.',
      criteriaNarrative:
        'Completed the AIDA curriculum and passed its assessment, covering production AI systems, ' +
        'professional AI application practice, AI-literacy vocabulary, and governance and risk.',
      achievementType: 'Certificate',
      image: image('AIDA'),
      fee: 'free',
      prerequisites: [],
      alignment: allAreas,
      validity: checkValidity('AIDA', validity.AIDA),
    },
    CAAE: {
      code: 'CAAE',
      achievementId: page('CAAE'),
      name: 'Certified AI Application Engineer (CAAE)',
      description:
        'Professional certification that builds on AIDA with deeper technical, production-focused ' +
        'content: the holder can engineer, operate and maintain AI applications with input ' +
        'boundaries, output validation, observability, human oversight and safe deployment.',
      criteriaNarrative:
        'Held AIDA, completed the CAAE curriculum and passed its technical assessment on building ' +
        'and operating AI applications in production across the five control areas.',
      achievementType: 'Certification',
      image: image('CAAE'),
      fee: 'paid',
      prerequisites: ['AIDA'],
      alignment: allAreas,
      validity: checkValidity('CAAE', validity.CAAE),
    },
    AIMA: {
      code: 'AIMA',
      achievementId: page('AIMA'),
      name: 'AI Management Awareness (AIMA)',
      description:
        'The management path: a verifiable AI-governance baseline for non-engineering leaders who ' +
        'decide on, buy or oversee AI systems.',
      criteriaNarrative:
        'Completed the AIMA curriculum and passed its assessment on AI governance, risk, human ' +
        'oversight and accountable deployment decisions for non-engineering leaders.',
      achievementType: 'Certificate',
      image: image('AIMA'),
      fee: 'free',
      prerequisites: [],
      alignment: ['human-oversight', 'deployment-safety', 'observability'],
      validity: checkValidity('AIMA', validity.AIMA),
    },
  }
  return { baseUrl, institute, programs }
}

/** The default catalog: the Institute's base URL, no program expires. */
export const CATALOG: Catalog = createCatalog()

/** Type guard for {@link ProgramCode}. */
export function isProgramCode(value: unknown): value is ProgramCode {
  return typeof value === 'string' && (PROGRAM_CODES as readonly string[]).includes(value)
}

/**
 * The program with this code.
 *
 * @throws {CertifyError} `ERR_ISSUE_PROGRAM_UNKNOWN` for anything but AIDA, CAAE or AIMA.
 */
export function getProgram(code: string, catalog: Catalog = CATALOG): Program {
  if (!isProgramCode(code)) {
    throw new CertifyError(
      'ERR_ISSUE_PROGRAM_UNKNOWN',
      `Unknown program ${JSON.stringify(code)}; expected one of ${PROGRAM_CODES.join(', ')}.`,
    )
  }
  return catalog.programs[code]
}

/** The program whose achievement id is exactly `achievementId`, or `undefined`. */
export function findProgramByAchievementId(
  achievementId: string,
  catalog: Catalog = CATALOG,
): Program | undefined {
  return Object.values(catalog.programs).find((p) => p.achievementId === achievementId)
}

/** The control area with this slug, or `undefined`. */
export function getControlArea(slug: string): ControlArea | undefined {
  return CONTROL_AREAS.find((a) => a.slug === slug)
}

/** The alignment target URL of a control area under a catalog's base URL. */
export function controlAreaUrl(slug: string, catalog: Catalog = CATALOG): string {
  return `${catalog.baseUrl}/certify/controls/${slug}`
}
