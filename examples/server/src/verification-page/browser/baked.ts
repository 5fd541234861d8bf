/**
 * Baked badge images on the page (Open Badges 3.0 §5.3): a PNG with an `iTXt` chunk
 * `openbadgecredential`, or an SVG with an `<openbadges:credential>` element. The page does not
 * verify what it finds here: it gives the verifier the image itself, which takes the credential
 * out and verifies it exactly as the JSON file (the same verdict as every other door). This
 * module only tells the page how much of a file to read (the image limit for images, the JSON
 * limit for anything else), whether a PNG is a baked badge or maybe a wallet QR code, and what to
 * say about where the credential came from.
 *
 * @module
 */
import { isPng, looksLikeXml, unbakeImage, type BakingLimits } from '@certify-vc/core'
import { isImage } from './qr.js'

/** How many leading bytes {@link isImageFile} needs. */
export const HEAD_BYTES = 64

/**
 * True when a file starting with `head` is an image (PNG, JPEG, GIF, WebP, or SVG text, which
 * starts with `<`, as JSON never does): it is read up to the image limit, not the JSON one.
 */
export function isImageFile(head: Uint8Array): boolean {
  return (
    isImage(head) || looksLikeXml(new TextDecoder('utf-8').decode(head.subarray(0, HEAD_BYTES)))
  )
}

/** What a file holds, as far as baking goes. */
export type BakedContent =
  /** A PNG or SVG with a credential baked in: the verifier reads it. */
  | { readonly kind: 'baked'; readonly format: 'png' | 'svg' }
  /** A PNG with no credential, or one the codec refuses: maybe a wallet QR code. */
  | { readonly kind: 'png' }
  /** An SVG with no credential, or one the codec refuses: the verifier says why. */
  | { readonly kind: 'svg' }
  /** Anything else (JSON, text, another image format). */
  | { readonly kind: 'other' }

/** Looks for a baked credential in `input` with the verifier's limits. Never throws. */
export function bakedContent(
  input: Uint8Array | string,
  limits: Required<Pick<BakingLimits, 'maxImageBytes' | 'maxCredentialBytes'>>,
): BakedContent {
  const png = typeof input !== 'string' && isPng(input)
  try {
    const image = unbakeImage(input, limits)
    if (image === undefined) return { kind: 'other' }
    if (image.credential !== undefined) return { kind: 'baked', format: image.format }
    return { kind: image.format }
  } catch {
    // Malformed or too large: the verifier, given the same image, reports the code.
    return png ? { kind: 'png' } : { kind: 'svg' }
  }
}

/** The line added to "Checked in this browser: …" for a baked badge. */
export function bakedSourceNote(format: 'png' | 'svg'): string {
  return `The credential was read from this ${format.toUpperCase()} badge image, where it is baked in, and checked as its JSON would be.`
}
