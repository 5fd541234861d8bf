/**
 * What the PNG and SVG codecs share: the Open Badges 3.0 names, the size caps, the check of the
 * text to bake, and the errors they throw.
 *
 * @module
 */
import { CertifyError, isPlainObject, type ErrorCode } from '@certify-vc/context'

/** The keyword of the PNG `iTXt` chunk holding the credential (OB 3.0 §5.3.1; lower case). */
export const PNG_CREDENTIAL_KEYWORD = 'openbadgecredential'

/** The XML namespace of `<openbadges:credential>` in an SVG (OB 3.0 §5.3.2; no `/spec/`). */
export const SVG_CREDENTIAL_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0'

/** Default cap on the bytes of a baked image: 4 MiB, far above any badge image. */
export const DEFAULT_MAX_IMAGE_BYTES = 4 * 1024 * 1024

/**
 * Default cap on the UTF-8 bytes of the credential inside an image: 1 MiB. The verifier applies
 * its own, smaller, input limit to the unbaked text afterwards, exactly as to a JSON file.
 */
export const DEFAULT_MAX_BAKED_CREDENTIAL_BYTES = 1024 * 1024

/** Size caps of the codecs. */
export interface BakingLimits {
  /** Maximum size of the image in bytes (PNG) or UTF-8 bytes (SVG). Default 4 MiB. */
  readonly maxImageBytes?: number
  /** Maximum UTF-8 bytes of the credential text in the image. Default 1 MiB. */
  readonly maxCredentialBytes?: number
}

/** Options of `bakePng` and `bakeSvg`. */
export interface BakeOptions extends BakingLimits {
  /**
   * An image that already holds a credential: `true` replaces it; default `false` refuses it
   * (`ERR_BAKE_IMAGE_INVALID`). OB 3.0 §5.3.1 leaves this choice to the implementer.
   */
  readonly replace?: boolean
}

/** The caps with their defaults, checked. @throws {TypeError} */
export function resolveBakingLimits(limits: BakingLimits | undefined): Required<BakingLimits> {
  if (limits !== undefined && (typeof limits !== 'object' || limits === null)) {
    throw new TypeError('"options" must be an object.')
  }
  const cap = (name: keyof BakingLimits, fallback: number): number => {
    const value = limits?.[name] ?? fallback
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`"${name}" must be a positive integer.`)
    }
    return value
  }
  return {
    maxImageBytes: cap('maxImageBytes', DEFAULT_MAX_IMAGE_BYTES),
    maxCredentialBytes: cap('maxCredentialBytes', DEFAULT_MAX_BAKED_CREDENTIAL_BYTES),
  }
}

/** A compact JWS (RFC 7515 §7.1): what OB 3.0 bakes for a VC-JWT credential. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/

/** True when `text` is a compact JWS. */
export function isCompactJws(text: string): boolean {
  return COMPACT_JWS.test(text)
}

const utf8 = new TextEncoder()

/** UTF-8 byte length of `text`, or `undefined` when it is surely within `limit` (3 bytes per unit). */
export function utf8LengthOver(text: string, limit: number): number | undefined {
  if (text.length * 3 <= limit) return undefined
  const bytes = utf8.encode(text).byteLength
  return bytes > limit ? bytes : undefined
}

/** A lone UTF-16 surrogate: it has no UTF-8 form, so the text could not round-trip. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * The text to bake: a string as given (it must be a JSON object or a compact JWS), or an object
 * serialised with `JSON.stringify`.
 *
 * @throws {CertifyError} `ERR_BAKE_CREDENTIAL_INVALID` for anything else, or text over the cap.
 */
export function credentialText(credential: unknown, maxCredentialBytes: number): string {
  let text: string
  if (typeof credential === 'string') {
    text = credential
    if (!isCompactJws(text.trim())) {
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        throw bakeCredentialError('The credential text is neither JSON nor a compact JWS.')
      }
      if (!isPlainObject(parsed)) {
        throw bakeCredentialError('The credential JSON is not an object.')
      }
    }
  } else if (isPlainObject(credential)) {
    text = JSON.stringify(credential)
  } else {
    throw new TypeError('"credential" must be a JSON object or its text (or a compact JWS).')
  }
  if (LONE_SURROGATE.test(text)) {
    throw bakeCredentialError('The credential text holds a lone UTF-16 surrogate.')
  }
  const bytes = utf8LengthOver(text, maxCredentialBytes)
  if (bytes !== undefined) {
    throw bakeCredentialError(
      `The credential is ${bytes} bytes; the limit is ${maxCredentialBytes}.`,
    )
  }
  return text
}

function bakeCredentialError(message: string): CertifyError {
  return new CertifyError('ERR_BAKE_CREDENTIAL_INVALID', message)
}

/** Which side of the codec failed: reading a baked image, or the image given to bake into. */
export type CodecSide = 'unbake' | 'bake'

/** The error for a malformed image, with the code of the side that met it. */
export function imageError(side: CodecSide, message: string): CertifyError {
  const code: ErrorCode = side === 'unbake' ? 'ERR_INPUT_BAKED_INVALID' : 'ERR_BAKE_IMAGE_INVALID'
  return new CertifyError(code, message)
}

/** The error for an image over the byte cap. */
export function imageTooLarge(side: CodecSide, bytes: number, limit: number): CertifyError {
  const message = `The image is ${bytes} bytes; the limit is ${limit}.`
  return new CertifyError(
    side === 'unbake' ? 'ERR_INPUT_TOO_LARGE' : 'ERR_BAKE_IMAGE_INVALID',
    message,
  )
}
