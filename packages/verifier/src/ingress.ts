/**
 * Ingress limits, applied before any JSON-LD work (docs/attacks.md B2, B3, B6, B7, B8): byte size, valid
 * Unicode, nesting depth, duplicate keys, forbidden keys and ids, array, string and `@context`
 * lengths, and the number of objects that would become blank nodes.
 *
 * JSON text and bytes are scanned by a small validating scanner (no values built) before
 * `JSON.parse`, because `JSON.parse` silently keeps the last of two equal keys and accepts lone
 * surrogates. A parsed value is serialised first and scanned the same way, so every input kind
 * meets the same rules.
 *
 * @module
 */
import { isCertifyError, pointer, problem, type ErrorCode, type Problem } from '@certify-vc/context'
import { DEFAULT_MAX_IMAGE_BYTES, unbakeImage } from '@certify-vc/core'
import type { InputLimits } from './types.js'

export const DEFAULT_MAX_BYTES = 512 * 1024
export const DEFAULT_MAX_DEPTH = 32
export const DEFAULT_MAX_ARRAY_LENGTH = 1000
export const DEFAULT_MAX_STRING_LENGTH = 256 * 1024
export const DEFAULT_MAX_CONTEXTS = 16
export const DEFAULT_MAX_BLANK_NODES = 100
export const DEFAULT_MAX_PROOFS = 8
export const DEFAULT_MAX_WORK_FACTOR = 1
export const DEFAULT_CANONICALIZATION_TIMEOUT_MS = 5000
export { DEFAULT_MAX_IMAGE_BYTES }

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
const FORBIDDEN_IDS = new Set([
  ...FORBIDDEN_KEYS,
  ...[...FORBIDDEN_KEYS].map((name) => `_:${name}`),
])

function positiveInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new TypeError(
      max === Number.MAX_SAFE_INTEGER
        ? `"limits.${name}" must be a positive integer.`
        : `"limits.${name}" must be an integer from 1 to ${max}.`,
    )
  }
  return value
}

/** Validated limits with defaults applied. @throws {TypeError} */
export function resolveLimits(limits: InputLimits | undefined): Required<InputLimits> {
  if (limits !== undefined && (typeof limits !== 'object' || limits === null)) {
    throw new TypeError('"limits" must be an object.')
  }
  const maxWorkFactor = limits?.maxWorkFactor ?? DEFAULT_MAX_WORK_FACTOR
  if (!Number.isSafeInteger(maxWorkFactor) || maxWorkFactor < 0 || maxWorkFactor > 3) {
    throw new TypeError('"limits.maxWorkFactor" must be an integer from 0 to 3.')
  }
  return {
    maxBytes: positiveInteger('maxBytes', limits?.maxBytes ?? DEFAULT_MAX_BYTES),
    maxDepth: positiveInteger('maxDepth', limits?.maxDepth ?? DEFAULT_MAX_DEPTH, 1000),
    maxArrayLength: positiveInteger(
      'maxArrayLength',
      limits?.maxArrayLength ?? DEFAULT_MAX_ARRAY_LENGTH,
    ),
    maxStringLength: positiveInteger(
      'maxStringLength',
      limits?.maxStringLength ?? DEFAULT_MAX_STRING_LENGTH,
    ),
    maxContexts: positiveInteger('maxContexts', limits?.maxContexts ?? DEFAULT_MAX_CONTEXTS),
    maxBlankNodes: positiveInteger(
      'maxBlankNodes',
      limits?.maxBlankNodes ?? DEFAULT_MAX_BLANK_NODES,
    ),
    maxProofs: positiveInteger('maxProofs', limits?.maxProofs ?? DEFAULT_MAX_PROOFS),
    maxWorkFactor,
    canonicalizationTimeoutMs: positiveInteger(
      'canonicalizationTimeoutMs',
      limits?.canonicalizationTimeoutMs ?? DEFAULT_CANONICALIZATION_TIMEOUT_MS,
    ),
    maxImageBytes: positiveInteger(
      'maxImageBytes',
      limits?.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
    ),
  }
}

/** The result of reading an input: a fresh JSON copy, or the problems that stopped it. */
export type ReadInputResult =
  | { readonly ok: true; readonly document: unknown }
  | { readonly ok: false; readonly problems: Problem[] }

/** Stops the scan at the first problem. */
class Stop extends Error {
  constructor(readonly problem: Problem | undefined) {
    super('stop')
  }
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d])
/** Keys of one object checked for duplicates by a linear scan; a set beyond. */
const SMALL_OBJECT_KEYS = 16
/** Characters inside a JSON string that need no attention: not quote, backslash, control, surrogate. */
// eslint-disable-next-line no-control-regex
const PLAIN_RUN = /[^"\\\u0000-\u001f\ud800-\udfff]*/y

/**
 * A validating scan of JSON text. Syntax errors stop it with `undefined` (then `JSON.parse`
 * gives the message); limit breaches stop it with the problem and its JSON Pointer.
 */
class Scanner {
  private i = 0
  private readonly path: (string | number)[] = []
  private blankNodes = 0
  /** Depth of `@context` values being scanned (their objects are not graph nodes). */
  private inContext = 0
  /** Where the depth count starts: 0, or the path length of the embedded credential being scanned. */
  private depthBase = 0

  constructor(
    private readonly text: string,
    private readonly limits: Required<InputLimits>,
    /** Presentations: each embedded credential has its own blank-node budget. */
    private readonly perCredential: boolean,
  ) {}

  /** True at the root object of a credential embedded in a presentation. */
  private atEmbeddedCredential(): boolean {
    const { path } = this
    return (
      path[0] === 'verifiableCredential' &&
      (path.length === 1 || (path.length === 2 && typeof path[1] === 'number'))
    )
  }

  scan(): void {
    this.value()
    this.whitespace()
    if (this.i !== this.text.length) throw new Stop(undefined)
  }

  private fail(code: ErrorCode, message: string, at: readonly (string | number)[]): never {
    throw new Stop(problem(code, message, pointer(...at)))
  }

  private whitespace(): void {
    const { text } = this
    while (this.i < text.length && WHITESPACE.has(text.charCodeAt(this.i))) this.i++
  }

  private value(): void {
    this.whitespace()
    const c = this.text.charCodeAt(this.i)
    if (c === 0x7b) this.object()
    else if (c === 0x5b) this.array(false)
    else if (c === 0x22) this.string(false)
    else this.literal()
  }

  /** Numbers, `true`, `false`, `null`: only skipped here, `JSON.parse` validates them. */
  private literal(): void {
    const { text } = this
    const start = this.i
    while (this.i < text.length) {
      const c = text.charCodeAt(this.i)
      // Letters, digits, '+', '-', '.'.
      if (
        (c >= 0x30 && c <= 0x39) ||
        (c >= 0x61 && c <= 0x7a) ||
        (c >= 0x41 && c <= 0x5a) ||
        c === 0x2b ||
        c === 0x2d ||
        c === 0x2e
      ) {
        this.i++
      } else break
    }
    if (this.i === start) throw new Stop(undefined)
  }

  private enter(): void {
    if (this.path.length - this.depthBase >= this.limits.maxDepth) {
      this.fail('ERR_INPUT_TOO_DEEP', `Nesting deeper than ${this.limits.maxDepth} levels.`, [
        ...this.path,
      ])
    }
  }

  private object(): void {
    // An embedded credential counts its blank nodes apart from the presentation's, and its depth
    // from its own root, so that it meets exactly the limits it meets on its own (and each one
    // will be checked again, on its own, by the credential pipeline).
    const embedded = this.perCredential && this.atEmbeddedCredential()
    const outer = embedded ? this.blankNodes : undefined
    const outerBase = this.depthBase
    if (embedded) {
      this.blankNodes = 0
      this.depthBase = this.path.length
    }
    this.enter()
    this.i++ // '{'
    // Duplicate detection: a list while small (most objects), a set beyond (no quadratic cost).
    let few: string[] | undefined = []
    let many: Set<string> | undefined
    let hasId = false
    let isValue = false
    this.whitespace()
    if (this.text.charCodeAt(this.i) === 0x7d) {
      this.i++
    } else {
      for (;;) {
        this.whitespace()
        if (this.text.charCodeAt(this.i) !== 0x22) throw new Stop(undefined)
        const key = this.string(true)
        if (FORBIDDEN_KEYS.has(key)) {
          this.fail('ERR_INPUT_FORBIDDEN_KEY', `Key "${key}" is not allowed.`, [...this.path, key])
        }
        if (few !== undefined ? few.includes(key) : (many as Set<string>).has(key)) {
          this.fail(
            'ERR_INPUT_DUPLICATE_KEY',
            `Key ${JSON.stringify(key.slice(0, 100))} appears twice in the same object.`,
            [...this.path, key],
          )
        }
        if (few === undefined) {
          ;(many as Set<string>).add(key)
        } else if (few.length < SMALL_OBJECT_KEYS) {
          few.push(key)
        } else {
          many = new Set(few)
          many.add(key)
          few = undefined
        }
        this.whitespace()
        if (this.text.charCodeAt(this.i) !== 0x3a) throw new Stop(undefined)
        this.i++
        this.whitespace()
        this.path.push(key)
        const isContext = key === '@context'
        if (isContext) this.inContext++
        if ((key === 'id' || key === '@id') && this.text.charCodeAt(this.i) === 0x22) {
          hasId = true
          const id = this.string(true)
          if (this.inContext === 0 && FORBIDDEN_IDS.has(id)) {
            this.fail('ERR_INPUT_FORBIDDEN_ID', `The id ${JSON.stringify(id)} is not allowed.`, [
              ...this.path,
            ])
          }
        } else if (isContext && this.text.charCodeAt(this.i) === 0x5b) {
          this.array(true)
        } else {
          if (key === '@value' || key === '@list' || key === '@set') isValue = true
          this.value()
        }
        if (isContext) this.inContext--
        this.path.pop()
        this.whitespace()
        const c = this.text.charCodeAt(this.i)
        this.i++
        if (c === 0x7d) break
        if (c !== 0x2c) throw new Stop(undefined)
      }
    }
    if (!hasId && !isValue && this.inContext === 0) {
      if (++this.blankNodes > this.limits.maxBlankNodes) {
        this.fail(
          'ERR_INPUT_TOO_MANY_BLANK_NODES',
          `More than ${this.limits.maxBlankNodes} objects without an id (blank nodes).`,
          [...this.path],
        )
      }
    }
    if (outer !== undefined) this.blankNodes = outer
    this.depthBase = outerBase
  }

  private array(isContext: boolean): void {
    this.enter()
    this.i++ // '['
    let count = 0
    this.whitespace()
    if (this.text.charCodeAt(this.i) === 0x5d) {
      this.i++
      return
    }
    for (;;) {
      count++
      if (isContext && count > this.limits.maxContexts) {
        this.fail(
          'ERR_INPUT_TOO_MANY_CONTEXTS',
          `More than ${this.limits.maxContexts} @context entries.`,
          [...this.path],
        )
      }
      if (count > this.limits.maxArrayLength) {
        this.fail(
          'ERR_INPUT_ARRAY_TOO_LONG',
          `An array has more than ${this.limits.maxArrayLength} items.`,
          [...this.path],
        )
      }
      this.path.push(count - 1)
      this.value()
      this.path.pop()
      this.whitespace()
      const c = this.text.charCodeAt(this.i)
      this.i++
      if (c === 0x5d) return
      if (c !== 0x2c) throw new Stop(undefined)
    }
  }

  /**
   * Scans a string at `"`: escapes, control characters, surrogate pairing (raw or escaped, as
   * the parsed string will hold them) and length. Returns the decoded string when `decode`.
   */
  private string(decode: boolean): string {
    const { text } = this
    this.i++ // '"'
    const start = this.i
    let length = 0
    let escaped = false
    let highPending = false
    const parts: string[] = []
    let chunk = start
    for (;;) {
      // Skip a run of plain characters in one step (most of any credential).
      PLAIN_RUN.lastIndex = this.i
      if (PLAIN_RUN.test(text)) {
        length += PLAIN_RUN.lastIndex - this.i
        if (highPending && PLAIN_RUN.lastIndex > this.i) this.loneSurrogate()
        this.i = PLAIN_RUN.lastIndex
      }
      if (this.i >= text.length) throw new Stop(undefined)
      let c = text.charCodeAt(this.i)
      if (c === 0x22) break
      if (c < 0x20) throw new Stop(undefined)
      if (c === 0x5c) {
        escaped = true
        const e = text.charCodeAt(this.i + 1)
        if (decode) parts.push(text.slice(chunk, this.i))
        if (e === 0x75) {
          const hex = text.slice(this.i + 2, this.i + 6)
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw new Stop(undefined)
          c = parseInt(hex, 16)
          this.i += 6
        } else {
          const simple = '"\\/bfnrt'.indexOf(String.fromCharCode(e))
          if (simple === -1) throw new Stop(undefined)
          c = '"\\/\b\f\n\r\t'.charCodeAt(simple)
          this.i += 2
        }
        if (decode) parts.push(String.fromCharCode(c))
        chunk = this.i
      } else {
        this.i++
      }
      length++
      if (highPending) {
        if (c < 0xdc00 || c > 0xdfff) this.loneSurrogate()
        highPending = false
      } else if (c >= 0xd800 && c <= 0xdbff) {
        highPending = true
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        this.loneSurrogate()
      }
    }
    if (highPending) this.loneSurrogate()
    const end = this.i
    this.i++ // closing '"'
    if (length > this.limits.maxStringLength) {
      this.fail(
        'ERR_INPUT_STRING_TOO_LONG',
        `A string is ${length} characters long; the limit is ${this.limits.maxStringLength}.`,
        [...this.path],
      )
    }
    if (!decode) return ''
    if (!escaped) return text.slice(start, end)
    parts.push(text.slice(chunk, end))
    return parts.join('')
  }

  private loneSurrogate(): never {
    this.fail('ERR_INPUT_INVALID_UNICODE', 'A string holds a lone UTF-16 surrogate.', [
      ...this.path,
    ])
  }
}

const utf8 = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

function failed(code: ErrorCode, message: string): ReadInputResult {
  return { ok: false, problems: [problem(code, message, '')] }
}

/**
 * The credential inside a baked badge (Open Badges 3.0 §5.3): its text when `input` is PNG bytes
 * or SVG text or bytes that hold one, a problem when the image is too large, malformed or holds
 * none, `undefined` when `input` is no image. A baked badge is only a container: the text then
 * goes through every limit as JSON input does (docs/design.md §10).
 */
function unbaked(input: unknown, limits: Required<InputLimits>): string | Problem | undefined {
  let image
  try {
    image = unbakeImage(input, {
      maxImageBytes: limits.maxImageBytes,
      maxCredentialBytes: limits.maxBytes,
    })
  } catch (error) {
    if (isCertifyError(error)) return problem(error.code, error.message, '')
    throw error
  }
  if (image === undefined || image.credential !== undefined) return image?.credential
  return problem(
    'ERR_INPUT_BAKED_NOT_FOUND',
    image.format === 'png'
      ? 'The PNG holds no iTXt chunk with the keyword "openbadgecredential": no credential is baked into it.'
      : 'The SVG holds no <openbadges:credential> element: no credential is baked into it.',
    '',
  )
}

/**
 * Reads a credential given as JSON text, UTF-8 bytes or an already parsed value, applying the
 * limits (see {@link InputLimits}); with `baked`, also a baked PNG or SVG badge, whose credential
 * is then read the same way. Never throws. Problems carry a JSON Pointer (`''` for the whole
 * input).
 */
export function readInput(
  input: unknown,
  limits: Required<InputLimits>,
  options: {
    /**
     * A presentation: the blank-node limit applies to the envelope and to each embedded
     * credential apart, so that a presentation may carry as many credentials as a verifier
     * accepts (each is limited again when it is verified).
     */
    readonly perCredentialBlankNodes?: boolean
    /** Recognise a baked PNG or SVG badge and read the credential inside it. */
    readonly baked?: boolean
  } = {},
): ReadInputResult {
  if (options.baked === true) {
    const inside = unbaked(input, limits)
    if (typeof inside === 'object') return { ok: false, problems: [inside] }
    if (inside !== undefined) input = inside
  }
  let text: string
  if (typeof input === 'string') {
    text = input
  } else if (input instanceof Uint8Array) {
    if (input.byteLength > limits.maxBytes) {
      return failed(
        'ERR_INPUT_TOO_LARGE',
        `Input is ${input.byteLength} bytes; the limit is ${limits.maxBytes}.`,
      )
    }
    try {
      text = utf8Decoder.decode(input)
    } catch {
      return failed('ERR_INPUT_INVALID_UNICODE', 'Input is not valid UTF-8.')
    }
  } else {
    try {
      const serialised: unknown = JSON.stringify(input)
      if (typeof serialised !== 'string') {
        return failed('ERR_INPUT_NOT_JSON', 'Input is not a JSON value.')
      }
      text = serialised
    } catch {
      return failed('ERR_INPUT_NOT_JSON', 'Input cannot be serialised as JSON (cycle or BigInt).')
    }
  }
  // A leading byte order mark is ignored whatever the input form (RFC 8259 §8.1 allows it; the
  // UTF-8 decoder already drops it from bytes, so text must agree).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  // Cheap upper bound first (3 bytes per UTF-16 unit), exact count only when needed.
  const bytes = text.length * 3 <= limits.maxBytes ? text.length : utf8.encode(text).byteLength
  if (bytes > limits.maxBytes) {
    return failed(
      'ERR_INPUT_TOO_LARGE',
      `Input is ${bytes} bytes; the limit is ${limits.maxBytes}.`,
    )
  }
  let syntaxError = false
  try {
    new Scanner(text, limits, options.perCredentialBlankNodes === true).scan()
  } catch (error) {
    if (!(error instanceof Stop)) throw error
    if (error.problem !== undefined) return { ok: false, problems: [error.problem] }
    syntaxError = true
  }
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    const why = error instanceof Error ? error.message : 'parse error'
    return failed('ERR_INPUT_NOT_JSON', `Input is not JSON: ${why}`)
  }
  // The scanner is stricter than JSON.parse nowhere on purpose; if they ever disagree, refuse.
  if (syntaxError) return failed('ERR_INPUT_NOT_JSON', 'Input is not JSON.')
  return { ok: true, document }
}

/** Options of {@link parseJsonStrictly}. */
export interface ParseJsonStrictlyOptions {
  /** Largest accepted input in bytes (UTF-8). */
  readonly maxBytes: number
  /** Deepest accepted nesting of objects and arrays. */
  readonly maxDepth: number
  /** Longest accepted array; default {@link DEFAULT_MAX_ARRAY_LENGTH}. */
  readonly maxArrayLength?: number
  /** Longest accepted string; default {@link DEFAULT_MAX_STRING_LENGTH}. */
  readonly maxStringLength?: number
}

/**
 * Parses JSON (text or UTF-8 bytes) as strictly as the verifier's input check does, with the
 * same error codes: `ERR_INPUT_NOT_JSON`, `ERR_INPUT_DUPLICATE_KEY`, `ERR_INPUT_FORBIDDEN_KEY`,
 * `ERR_INPUT_TOO_DEEP`, `ERR_INPUT_TOO_LARGE`, `ERR_INPUT_INVALID_UNICODE`. For envelopes that
 * carry credentials (an HTTP body, a file of several): a refused envelope then reads as the
 * credential inside it would. The JSON-LD limits (contexts, proofs, blank nodes) are not applied
 * here; they are the verifier's, per credential. Never throws for bad input.
 *
 * @throws {TypeError} for bad options.
 */
export function parseJsonStrictly(
  input: string | Uint8Array,
  options: ParseJsonStrictlyOptions,
): ReadInputResult {
  const limits = resolveLimits({
    maxBytes: options.maxBytes,
    maxDepth: options.maxDepth,
    maxArrayLength: options.maxArrayLength ?? DEFAULT_MAX_ARRAY_LENGTH,
    maxStringLength: options.maxStringLength ?? DEFAULT_MAX_STRING_LENGTH,
    maxContexts: Number.MAX_SAFE_INTEGER,
    maxBlankNodes: Number.MAX_SAFE_INTEGER,
    maxProofs: Number.MAX_SAFE_INTEGER,
  })
  return readInput(input, limits)
}
