/**
 * Baked badges (Open Badges 3.0 §5.3): a PNG or SVG image that carries the credential. A baked
 * badge is only a container: the verifier unbakes it and verifies the credential inside exactly
 * as if it were the JSON file (docs/design.md §10; the rules, with citations, are in
 * docs/ob-v3p0-data-model.md, "Baking").
 *
 * @module
 */
import { imageError, imageTooLarge, resolveBakingLimits, type BakingLimits } from './limits.js'
import { isPng, unbakePng } from './png.js'
import { looksLikeXml, unbakeSvg } from './svg.js'

export {
  DEFAULT_MAX_BAKED_CREDENTIAL_BYTES,
  DEFAULT_MAX_IMAGE_BYTES,
  PNG_CREDENTIAL_KEYWORD,
  SVG_CREDENTIAL_NAMESPACE,
  type BakeOptions,
  type BakingLimits,
} from './limits.js'
export { PNG_SIGNATURE, bakePng, isPng, unbakePng } from './png.js'
export { bakeSvg, looksLikeXml, unbakeSvg } from './svg.js'

/** The image kinds a credential can be baked into. */
export type BakedImageFormat = 'png' | 'svg'

/** What {@link unbakeImage} found in an image. */
export interface UnbakedImage {
  readonly format: BakedImageFormat
  /** The credential text (JSON or a compact JWS), or `undefined` when none is baked in. */
  readonly credential: string | undefined
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true })

/**
 * Recognises a baked image and takes the credential out of it: PNG bytes (by their signature),
 * or SVG given as text or as UTF-8 bytes (anything that starts with `<`, which JSON never does).
 * Returns `undefined` for any other input, which is then read as JSON.
 *
 * @throws {CertifyError} as {@link unbakePng} and {@link unbakeSvg} do (`ERR_INPUT_BAKED_INVALID`,
 *   `ERR_INPUT_TOO_LARGE`).
 */
export function unbakeImage(input: unknown, limits?: BakingLimits): UnbakedImage | undefined {
  if (input instanceof Uint8Array) {
    if (isPng(input)) return { format: 'png', credential: unbakePng(input, limits) }
    // Only the first bytes are decoded to decide; the whole is decoded only for an SVG.
    const head = new TextDecoder('utf-8').decode(input.subarray(0, 64))
    if (!looksLikeXml(head)) return undefined
    const { maxImageBytes } = resolveBakingLimits(limits)
    if (input.byteLength > maxImageBytes) {
      throw imageTooLarge('unbake', input.byteLength, maxImageBytes)
    }
    let text: string
    try {
      text = utf8Strict.decode(input)
    } catch {
      throw imageError('unbake', 'The SVG is not valid UTF-8.')
    }
    return { format: 'svg', credential: unbakeSvg(text, limits) }
  }
  if (typeof input === 'string' && looksLikeXml(input)) {
    return { format: 'svg', credential: unbakeSvg(input, limits) }
  }
  return undefined
}
