/**
 * A tiny element tree for the verification page, rendered two ways from one description: to
 * escaped HTML on the server (`toHtml`, the no-JavaScript lookup page) and to DOM nodes in the
 * browser (`browser/dom.ts`, with `textContent` and `setAttribute` only). Text and attribute
 * values are always data, never markup: nothing from a credential can become HTML, a link or an
 * image (docs/attacks.md G5, E4).
 *
 * @module
 */

/** An element: tag, attributes, children. Tags and attribute names come from our code only. */
export interface ViewElement {
  readonly tag: string
  readonly attrs: Readonly<Record<string, string>>
  readonly children: readonly ViewNode[]
}

/** A text node (a string) or an element. */
export type ViewNode = ViewElement | string

const NAME = /^[a-z][a-z0-9-]*$/

/**
 * Builds an element. `attrs` values that are `undefined` or `false` are left out; `true` gives
 * an empty (boolean) attribute. Children that are `undefined`, `null` or `false` are dropped.
 *
 * @throws {TypeError} for a tag or attribute name that is not lower-case ASCII (a programming
 *   error: names never come from data).
 */
export function h(
  tag: string,
  attrs: Readonly<Record<string, string | boolean | undefined>> = {},
  ...children: readonly (ViewNode | readonly ViewNode[] | undefined | null | false)[]
): ViewElement {
  if (!NAME.test(tag)) throw new TypeError(`Bad tag name ${JSON.stringify(tag)}.`)
  const clean: Record<string, string> = {}
  for (const [name, value] of Object.entries(attrs)) {
    if (!NAME.test(name) || name.startsWith('on')) {
      throw new TypeError(`Bad attribute name ${JSON.stringify(name)}.`)
    }
    if (value === undefined || value === false) continue
    clean[name] = value === true ? '' : value
  }
  const flat: ViewNode[] = []
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue
    if (Array.isArray(child)) flat.push(...(child as readonly ViewNode[]))
    else flat.push(child as ViewNode)
  }
  return { tag, attrs: clean, children: flat }
}

const VOID = new Set(['br', 'hr', 'img', 'input', 'link', 'meta'])

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;'
      case '<':
        return '&lt;'
      case '>':
        return '&gt;'
      case '"':
        return '&quot;'
      default:
        return '&#39;'
    }
  })
}

/** Serializes a node to HTML, escaping every text and attribute value. */
export function toHtml(node: ViewNode): string {
  if (typeof node === 'string') return escapeHtml(node)
  const attrs = Object.entries(node.attrs)
    .map(([name, value]) => (value === '' ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`))
    .join('')
  if (VOID.has(node.tag)) return `<${node.tag}${attrs}>`
  return `<${node.tag}${attrs}>${node.children.map(toHtml).join('')}</${node.tag}>`
}
