/**
 * Renders the page's element tree (`../view.ts`) to DOM nodes with `createElement`,
 * `setAttribute` and text nodes only: no `innerHTML`, so credential text stays text.
 *
 * @module
 */
import type { ViewNode } from '../view.js'

/** Builds DOM nodes for `node` in `doc`. */
export function toDom(node: ViewNode, doc: Document = document): Node {
  if (typeof node === 'string') return doc.createTextNode(node)
  const element = doc.createElement(node.tag)
  for (const [name, value] of Object.entries(node.attrs)) element.setAttribute(name, value)
  for (const child of node.children) element.appendChild(toDom(child, doc))
  return element
}
