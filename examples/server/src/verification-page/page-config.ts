/**
 * What the server tells the browser code of the page, as a JSON data block
 * (`<script type="application/json" id="certify-verify-config">`, never executed).
 *
 * @module
 */
import { isProgramCode, type Catalog, type ProgramCode } from '@certify-vc/context'

/** The page configuration. */
export interface PageConfig {
  /** Issuer DIDs the page may call genuine (the server's trust list). */
  readonly trustedIssuers: readonly string[]
  /** The server's public base URL: did:web documents and status lists are fetched from it only. */
  readonly publicBaseUrl: string
  /** The catalog the server verifies against (programs are decided from it). */
  readonly catalog: Catalog
  /** Display names of trusted issuers, by DID. */
  readonly issuerNames: Readonly<Record<string, string>>
  /** Input size cap in bytes (the verifier's ingress limit) for JSON and for a baked credential. */
  readonly maxBytes: number
  /**
   * Size cap in bytes of a badge image (PNG or SVG) with a credential baked in (the verifier's
   * `maxImageBytes`); the credential taken out of it then meets `maxBytes`. Default the
   * verifier's, 4 MiB.
   */
  readonly maxImageBytes?: number
  /** The badge images this server serves, by program (paths on this origin; see badge-image.ts). */
  readonly badgeImages?: Readonly<Partial<Record<ProgramCode, string>>>
}

/** The id of the data block. */
export const PAGE_CONFIG_ELEMENT_ID = 'certify-verify-config'

/** The id of the data block holding a shared credential (JSON, never executed). */
export const SHARED_CREDENTIAL_ELEMENT_ID = 'certify-shared-credential'

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the JavaScript line
 * terminators are escaped, so no value can close the element or start markup.
 */
export function serializePageConfig(config: PageConfig): string {
  return JSON.stringify(config).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  )
}

/**
 * Checks a parsed configuration.
 *
 * @throws {TypeError} when a member is missing or has the wrong type.
 */
export function parsePageConfig(value: unknown): PageConfig {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError('The page configuration is not an object.')
  }
  const c = value as Record<string, unknown>
  if (!Array.isArray(c.trustedIssuers) || !c.trustedIssuers.every((d) => typeof d === 'string')) {
    throw new TypeError('"trustedIssuers" must be an array of strings.')
  }
  if (typeof c.publicBaseUrl !== 'string' || !URL.canParse(c.publicBaseUrl)) {
    throw new TypeError('"publicBaseUrl" must be a URL.')
  }
  const catalog = c.catalog as Record<string, unknown> | null | undefined
  if (
    typeof catalog !== 'object' ||
    catalog === null ||
    typeof catalog.baseUrl !== 'string' ||
    typeof catalog.programs !== 'object' ||
    typeof catalog.institute !== 'object'
  ) {
    throw new TypeError('"catalog" must be a catalog.')
  }
  if (!isStringRecord(c.issuerNames)) {
    throw new TypeError('"issuerNames" must map DIDs to names.')
  }
  if (!Number.isSafeInteger(c.maxBytes) || (c.maxBytes as number) < 1) {
    throw new TypeError('"maxBytes" must be a positive integer.')
  }
  if (
    c.maxImageBytes !== undefined &&
    (!Number.isSafeInteger(c.maxImageBytes) || (c.maxImageBytes as number) < 1)
  ) {
    throw new TypeError('"maxImageBytes" must be a positive integer.')
  }
  const images = c.badgeImages
  if (
    images !== undefined &&
    (!isStringRecord(images) ||
      !Object.entries(images).every(([code, path]) => isProgramCode(code) && /^\/[^/]/.test(path)))
  ) {
    throw new TypeError('"badgeImages" must map program codes to paths on this site.')
  }
  return {
    ...(images === undefined ? {} : { badgeImages: images }),
    trustedIssuers: c.trustedIssuers,
    publicBaseUrl: c.publicBaseUrl,
    catalog: catalog as unknown as Catalog,
    issuerNames: c.issuerNames,
    maxBytes: c.maxBytes as number,
    ...(c.maxImageBytes === undefined ? {} : { maxImageBytes: c.maxImageBytes as number }),
  }
}
