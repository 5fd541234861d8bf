/**
 * Baking a credential into an SVG and reading it back (Open Badges 3.0 §5.3.2): the `<svg>` root
 * declares `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`, and one
 * `<openbadges:credential>` element directly after the `<svg>` start tag holds the credential's
 * JSON in a CDATA section, or a compact JWS in its `verify` attribute. There must be only one.
 *
 * No XML parser is used: a general parser would expand entities (the "billion laughs") or fetch
 * external ones. {@link scanSvg} is a small lexical scan of the whole document that finds
 * elements, attributes, comments, CDATA sections and processing instructions, refuses any
 * `<!DOCTYPE>` or other markup declaration (so no entity can be declared), allows only the five
 * predefined entity references and character references, and tracks namespace declarations so
 * that the credential element is found by namespace, whatever its prefix. Browser-safe.
 *
 * @see https://www.w3.org/TR/xml/ (XML 1.0, 5th edition: §2.4 character data, §2.7 CDATA,
 *   §2.11 end-of-line handling, §4.1 references)
 * @see https://www.w3.org/TR/xml-names/ (namespaces)
 * @module
 */
import {
  SVG_CREDENTIAL_NAMESPACE,
  credentialText,
  imageError,
  imageTooLarge,
  isCompactJws,
  resolveBakingLimits,
  utf8LengthOver,
  type BakeOptions,
  type BakingLimits,
  type CodecSide,
} from './limits.js'
import { CertifyError } from '@certify-vc/context'

/** The `<openbadges:credential>` element found in an SVG. */
interface CredentialElement {
  /** Offset of its `<` and just after its end (end tag or `/>`). */
  readonly start: number
  readonly end: number
  /** The `verify` attribute, decoded, if any. */
  readonly verify: string | undefined
  /** Its character data: CDATA sections apart from the text around them. */
  readonly cdata: string[]
  readonly text: string[]
  readonly hasChildElement: boolean
}

/** The root `<svg>` start tag and the credential elements, from one scan. */
interface SvgScan {
  /** The root element's qualified name (`svg`, or `svg:svg` with a prefix). */
  readonly rootName: string
  /** Offset of the `>` (or the `/` of `/>`) closing the root start tag. */
  readonly rootTagClose: number
  readonly rootSelfClosing: boolean
  /** The root's own `xmlns:openbadges` value, if declared there. */
  readonly rootOpenbadgesNamespace: string | undefined
  readonly credentials: CredentialElement[]
}

const NAME = /[A-Za-z_:\u00c0-\uffff][-A-Za-z0-9._:\u00b7\u00c0-\uffff]*/y
const WHITESPACE = /[ \t\r\n]*/y
const PREDEFINED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
}
/** XML 1.0 §2.2 Char: no C0 control except tab, newline and carriage return; no U+FFFE / U+FFFF. */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/
/** XML 1.0 §2.11: every CR LF pair and lone CR reads as LF. */
const normalizeNewlines = (text: string): string => text.replace(/\r\n?/g, '\n')

interface OpenElement {
  readonly name: string
  readonly namespaces: ReadonlyMap<string, string>
  readonly credential: MutableCredential | undefined
}

type MutableCredential = {
  start: number
  end: number
  verify: string | undefined
  cdata: string[]
  text: string[]
  hasChildElement: boolean
}

class Scanner {
  private i = 0
  private readonly stack: OpenElement[] = []
  private readonly credentials: MutableCredential[] = []
  private rootName = 'svg'
  private rootTagClose = -1
  private rootSelfClosing = false
  private rootOpenbadgesNamespace: string | undefined

  constructor(
    private readonly text: string,
    private readonly side: CodecSide,
  ) {}

  private fail(message: string): never {
    throw imageError(this.side, message)
  }

  private startsWith(token: string): boolean {
    return this.text.startsWith(token, this.i)
  }

  /** Moves past the next `token`, or fails with `what` unterminated. */
  private skipPast(token: string, what: string): string {
    const end = this.text.indexOf(token, this.i)
    if (end === -1) this.fail(`The SVG has an unterminated ${what}.`)
    const skipped = this.text.slice(this.i, end)
    this.i = end + token.length
    return skipped
  }

  private whitespace(): boolean {
    WHITESPACE.lastIndex = this.i
    WHITESPACE.test(this.text)
    const moved = WHITESPACE.lastIndex > this.i
    this.i = WHITESPACE.lastIndex
    return moved
  }

  private name(what: string): string {
    NAME.lastIndex = this.i
    const match = NAME.exec(this.text)
    if (match === null) this.fail(`The SVG has a malformed ${what} at offset ${this.i}.`)
    this.i = NAME.lastIndex
    return match[0]
  }

  /** Decodes the references in raw character data or an attribute value. */
  private decode(raw: string): string {
    if (raw.includes('<')) this.fail('The SVG has a "<" inside an attribute value.')
    return raw.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
      if (!whole.endsWith(';')) this.fail('The SVG has an unterminated "&" reference.')
      const predefined = PREDEFINED[ref]
      if (predefined !== undefined) return predefined
      const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref)
      if (numeric !== null) {
        const code = parseInt(numeric[1] ?? numeric[2] ?? '', numeric[1] === undefined ? 10 : 16)
        if (code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) {
          const char = String.fromCodePoint(code)
          if (!NOT_XML_CHAR.test(char)) return char
        }
        this.fail(`The SVG has a character reference to an invalid character (&${ref};).`)
      }
      this.fail(
        `The SVG uses the entity &${ref};; only the five predefined entities are allowed (no DTD).`,
      )
    })
  }

  /** Comments, processing instructions and whitespace (outside the root, or inside content). */
  private misc(): boolean {
    if (this.startsWith('<!--')) {
      this.i += 4
      this.skipPast('-->', 'comment')
      return true
    }
    if (this.startsWith('<?')) {
      this.i += 2
      this.skipPast('?>', 'processing instruction')
      return true
    }
    if (this.startsWith('<!') && !this.startsWith('<![CDATA[')) {
      this.fail(
        'The SVG has a DOCTYPE or another markup declaration; they are refused, so that no entity can be declared.',
      )
    }
    return false
  }

  scan(): SvgScan {
    if (this.text.charCodeAt(0) === 0xfeff) this.i = 1
    // Prolog: XML declaration, comments, processing instructions (a DOCTYPE fails in misc()).
    for (;;) {
      this.whitespace()
      if (!this.misc()) break
    }
    if (!this.startsWith('<') || this.startsWith('</')) {
      this.fail('The image is not an SVG: no root element.')
    }
    this.element(true)
    while (this.stack.length > 0) this.content()
    for (;;) {
      this.whitespace()
      if (this.i >= this.text.length) break
      if (!this.misc()) this.fail('The SVG has content after its root element.')
    }
    return {
      rootName: this.rootName,
      rootTagClose: this.rootTagClose,
      rootSelfClosing: this.rootSelfClosing,
      rootOpenbadgesNamespace: this.rootOpenbadgesNamespace,
      credentials: this.credentials,
    }
  }

  /** One piece of element content: text, CDATA, comment, PI, end tag or child element. */
  private content(): void {
    const top = this.stack[this.stack.length - 1] as OpenElement
    if (this.i >= this.text.length) this.fail(`The SVG ends inside <${top.name}>.`)
    if (this.startsWith('<![CDATA[')) {
      this.i += 9
      const data = this.skipPast(']]>', 'CDATA section')
      top.credential?.cdata.push(normalizeNewlines(data))
      return
    }
    if (this.misc()) return
    if (this.startsWith('</')) {
      this.i += 2
      const name = this.name('end tag')
      this.whitespace()
      if (!this.startsWith('>')) this.fail(`The SVG has a malformed end tag </${name}.`)
      this.i += 1
      if (name !== top.name) this.fail(`The SVG closes <${top.name}> with </${name}>.`)
      this.stack.pop()
      if (top.credential !== undefined) top.credential.end = this.i
      return
    }
    if (this.startsWith('<')) {
      if (top.credential !== undefined) top.credential.hasChildElement = true
      this.element(false)
      return
    }
    const next = this.text.indexOf('<', this.i)
    const raw = this.text.slice(this.i, next === -1 ? this.text.length : next)
    this.i += raw.length
    if (raw.includes(']]>')) this.fail('The SVG has "]]>" in character data.')
    const decoded = this.decode(normalizeNewlines(raw))
    top.credential?.text.push(decoded)
  }

  /** A start tag (and, when empty, its end); pushes the element when it has content. */
  private element(root: boolean): void {
    const start = this.i
    this.i += 1
    const name = this.name('element name')
    const attributes = new Map<string, string>()
    let selfClosing = false
    for (;;) {
      const spaced = this.whitespace()
      if (this.startsWith('/>')) {
        selfClosing = true
        break
      }
      if (this.startsWith('>')) break
      if (!spaced) this.fail(`The SVG has a malformed start tag <${name}.`)
      const attribute = this.name('attribute name')
      this.whitespace()
      if (!this.startsWith('=')) this.fail(`The SVG's attribute ${attribute} has no value.`)
      this.i += 1
      this.whitespace()
      const quote = this.text[this.i]
      if (quote !== '"' && quote !== "'") this.fail(`The SVG's attribute ${attribute} is unquoted.`)
      this.i += 1
      const raw = this.skipPast(quote, `attribute value (${attribute})`)
      if (attributes.has(attribute)) this.fail(`The SVG repeats the attribute ${attribute}.`)
      // §3.3.3: whitespace characters in a value read as spaces.
      attributes.set(attribute, this.decode(normalizeNewlines(raw)).replace(/[\t\n]/g, ' '))
    }
    const close = this.i
    this.i += selfClosing ? 2 : 1

    const parent = this.stack[this.stack.length - 1]
    const namespaces = new Map(parent?.namespaces ?? [])
    for (const [attribute, value] of attributes) {
      if (attribute === 'xmlns') namespaces.set('', value)
      else if (attribute.startsWith('xmlns:')) namespaces.set(attribute.slice(6), value)
    }
    const colon = name.indexOf(':')
    const prefix = colon === -1 ? '' : name.slice(0, colon)
    const local = colon === -1 ? name : name.slice(colon + 1)
    const namespace = namespaces.get(prefix)
    if (prefix !== '' && namespace === undefined) {
      this.fail(`The SVG uses the prefix ${prefix}: without declaring its namespace.`)
    }
    if (root) {
      if (local !== 'svg') this.fail(`The image is not an SVG: its root element is <${name}>.`)
      this.rootName = name
      this.rootTagClose = close
      this.rootSelfClosing = selfClosing
      this.rootOpenbadgesNamespace = attributes.get('xmlns:openbadges')
    }
    let credential: MutableCredential | undefined
    if (local === 'credential' && namespace === SVG_CREDENTIAL_NAMESPACE) {
      credential = {
        start,
        end: this.i,
        verify: attributes.get('verify'),
        cdata: [],
        text: [],
        hasChildElement: false,
      }
      this.credentials.push(credential)
    } else if (name === 'openbadges:credential') {
      this.fail(
        `The SVG's openbadges prefix is bound to ${JSON.stringify(namespace)}, not ${SVG_CREDENTIAL_NAMESPACE} (Open Badges 3.0 §5.3.2).`,
      )
    }
    if (!selfClosing) this.stack.push({ name, namespaces, credential })
  }
}

/** Scans an SVG document (see the module comment). @throws {CertifyError} */
function scanSvg(text: string, side: CodecSide): SvgScan {
  return new Scanner(text, side).scan()
}

/** True when `text`, after a byte order mark and whitespace, starts with `<` (XML, not JSON). */
export function looksLikeXml(text: string): boolean {
  return /^\ufeff?[ \t\r\n]*</.test(text)
}

function checkSize(svg: string, side: CodecSide, maxImageBytes: number): void {
  const bytes = utf8LengthOver(svg, maxImageBytes)
  if (bytes !== undefined) throw imageTooLarge(side, bytes, maxImageBytes)
}

/** The credential text held by one element: its `verify` JWS, else its CDATA (else its text). */
function credentialOfElement(element: CredentialElement): string {
  if (element.hasChildElement) {
    throw imageError('unbake', 'The <openbadges:credential> element has child elements.')
  }
  const text = element.text.join('')
  const body = element.cdata.length > 0 ? element.cdata.join('') : text.trim()
  if (element.cdata.length > 0 && text.trim() !== '') {
    throw imageError(
      'unbake',
      'The <openbadges:credential> element has text outside its CDATA section.',
    )
  }
  if (element.verify !== undefined) {
    if (body.trim() !== '') {
      throw imageError(
        'unbake',
        'The <openbadges:credential> element has both a verify attribute and a body.',
      )
    }
    return element.verify
  }
  if (body.trim() === '')
    throw imageError('unbake', 'The <openbadges:credential> element is empty.')
  return body
}

/**
 * The credential baked into `svg`: the JWS in the `verify` attribute of its
 * `<openbadges:credential>` element, or the JSON in the element's CDATA body (CDATA sections
 * split around `]]>` are joined; line ends read as XML parsers read them, §2.11), or `undefined`
 * when the SVG has no such element.
 *
 * @example
 * const text = unbakeSvg(await readFile('badge.svg', 'utf8'))
 *
 * @throws {CertifyError} `ERR_INPUT_BAKED_INVALID` for a document that is not a well-formed SVG
 *   by the rules above, that has a DOCTYPE or an entity other than the five predefined ones, or
 *   more than one credential element, or an element with both or neither form; and
 *   `ERR_INPUT_TOO_LARGE` for an image or text over the caps.
 * @throws {TypeError} when `svg` is not a string.
 * @see https://www.imsglobal.org/spec/ob/v3p0/#baking (§5.3.2 SVG)
 */
export function unbakeSvg(svg: string, limits?: BakingLimits): string | undefined {
  if (typeof svg !== 'string') throw new TypeError('"svg" must be a string.')
  const caps = resolveBakingLimits(limits)
  checkSize(svg, 'unbake', caps.maxImageBytes)
  const { credentials } = scanSvg(svg, 'unbake')
  if (credentials.length > 1) {
    throw imageError(
      'unbake',
      `The SVG holds ${credentials.length} <openbadges:credential> elements; Open Badges 3.0 §5.3.2 allows one.`,
    )
  }
  const [element] = credentials
  if (element === undefined) return undefined
  const text = credentialOfElement(element)
  const bytes = utf8LengthOver(text, caps.maxCredentialBytes)
  if (bytes !== undefined) {
    throw new CertifyError(
      'ERR_INPUT_TOO_LARGE',
      `The baked credential is ${bytes} bytes; the limit is ${caps.maxCredentialBytes}.`,
    )
  }
  return text
}

/** `text` in CDATA sections: each `]]>` is split across two sections (XML 1.0 §2.7). */
export function toCdata(text: string): string {
  return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`
}

/** Escapes an attribute value for double quotes. */
function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}

/**
 * `svg` with `credential` baked in: `xmlns:openbadges` on the `<svg>` root (added when missing)
 * and one `<openbadges:credential>` element directly after the root start tag, holding a JSON
 * credential in CDATA (split around any `]]>`) or a compact JWS in `verify`. A string is
 * embedded as given except that its line ends become LF, as every XML parser reads them (XML 1.0
 * §2.11); an object is serialised with `JSON.stringify`. The rest of the SVG is kept as it was.
 *
 * @example
 * const badge = bakeSvg(programBadgeSvg('AIDA'), signedCredential)
 *
 * @throws {CertifyError} `ERR_BAKE_IMAGE_INVALID` when `svg` is not an SVG by the rules of
 *   {@link unbakeSvg}, binds `openbadges` to another namespace, or already holds a credential
 *   (unless `replace`); `ERR_BAKE_CREDENTIAL_INVALID` for a credential that is not JSON or a JWS,
 *   has characters XML cannot hold, or is over the cap.
 * @throws {TypeError} for arguments of the wrong type.
 * @see https://www.imsglobal.org/spec/ob/v3p0/#baking (§5.3.2 SVG)
 */
export function bakeSvg(
  svg: string,
  credential: string | object,
  options: BakeOptions = {},
): string {
  if (typeof svg !== 'string') throw new TypeError('"svg" must be a string.')
  const caps = resolveBakingLimits(options)
  const text = normalizeNewlines(credentialText(credential, caps.maxCredentialBytes))
  if (NOT_XML_CHAR.test(text)) {
    throw new CertifyError(
      'ERR_BAKE_CREDENTIAL_INVALID',
      'The credential text holds a character that XML 1.0 cannot carry.',
    )
  }
  checkSize(svg, 'bake', caps.maxImageBytes)
  const scan = scanSvg(svg, 'bake')
  if (scan.credentials.length > 0 && options.replace !== true) {
    throw imageError('bake', 'The SVG already holds a baked credential.')
  }
  const declared = scan.rootOpenbadgesNamespace
  if (declared !== undefined && declared !== SVG_CREDENTIAL_NAMESPACE) {
    throw imageError(
      'bake',
      `The SVG binds the openbadges prefix to ${JSON.stringify(declared)}, not ${SVG_CREDENTIAL_NAMESPACE}.`,
    )
  }
  const jws = isCompactJws(text.trim())
  const element = jws
    ? `<openbadges:credential verify="${escapeAttribute(text.trim())}"></openbadges:credential>`
    : `<openbadges:credential>${toCdata(text)}</openbadges:credential>`
  // Splice from the end so that earlier offsets stay valid: the old elements come after the root
  // start tag.
  let out = svg
  for (const old of [...scan.credentials].reverse()) {
    out = out.slice(0, old.start) + out.slice(old.end)
  }
  const namespace = declared === undefined ? ` xmlns:openbadges="${SVG_CREDENTIAL_NAMESPACE}"` : ''
  const close = scan.rootTagClose
  const tail = scan.rootSelfClosing
    ? `>${element}</${scan.rootName}>${out.slice(close + 2)}`
    : `>${element}${out.slice(close + 1)}`
  return `${out.slice(0, close)}${namespace}${tail}`
}
