/**
 * The fast expansion: a port of jsonld.js 9.0.0's expansion algorithm (`lib/expand.js`
 * `api.expand`, `_expandObject`, `_expandValue`), restricted to what credentials use, over
 * processed contexts (`active-context.ts`), without cloning anything. Whatever it does not
 * cover, it steps aside (`StepAside`) and the caller runs the reference path.
 *
 * @module
 */
import type { Ctx } from './active-context.js'
import { StepAside } from './step-aside.js'
import {
  addValue,
  asArray,
  expandIri,
  isAbsoluteIri,
  isKeyword,
  isObject,
  type Expanded,
} from './jsonld-port.js'

export interface Walk {
  /** The active context after the document's own `@context`, prepared before the walk. */
  readonly top: Ctx
  readonly root: Ctx
}

/**
 * The document's top-level node expanded a second time without one of its keys, at no extra
 * cost: every other key's expanded value is the same (JSON-LD expands each key of a node on its
 * own, in the node's active context, which the omitted key does not change unless it is a
 * keyword or `@type` alias: those are not split).
 */
export interface Split {
  readonly omit: string
  /** The node without `omit`, or `undefined` when it could not be split. */
  rval?: Expanded | undefined
}

export function expandElement(
  walk: Walk,
  ctx: Ctx,
  activeProperty: string | null,
  element: unknown,
  insideList: boolean,
  typeScopedCtx: Ctx | null,
  split?: Split,
): unknown {
  if (element === null || element === undefined) return null
  if (typeof element === 'string' || typeof element === 'boolean' || typeof element === 'number') {
    if (typeof element === 'number' && !Number.isFinite(element)) throw new StepAside('number')
    if (!insideList && (activeProperty === null || ctx.term(activeProperty).iri === '@graph')) {
      throw new StepAside('free-floating scalar')
    }
    return expandValue(ctx, activeProperty, element)
  }
  if (Array.isArray(element)) {
    let rval: unknown[] = []
    const isList =
      insideList ||
      (activeProperty !== null && ctx.term(activeProperty).container.includes('@list'))
    for (const item of element) {
      if (Array.isArray(item)) throw new StepAside('nested array')
      let e = expandElement(walk, ctx, activeProperty, item, false, typeScopedCtx)
      if (isList && Array.isArray(e)) e = { '@list': e }
      if (e === null) continue
      if (Array.isArray(e)) rval = rval.concat(e)
      else rval.push(e)
    }
    return rval
  }
  if (!isObject(element)) throw new StepAside('not JSON')
  const proto: unknown = Object.getPrototypeOf(element)
  if (proto !== Object.prototype && proto !== null) throw new StepAside('not a plain object')

  const activeTerm = activeProperty === null ? undefined : ctx.term(activeProperty)
  const expandedActiveProperty = activeTerm === undefined ? null : activeTerm.iri
  const propertyScopedCtx = activeTerm?.scoped
  typeScopedCtx = typeScopedCtx ?? (ctx.revertTo !== null ? ctx : null)
  const keys = Object.keys(element).sort()
  // jsonld.js copies the input first (`util.clone`), which turns an own `__proto__` key into a
  // prototype: not something to reproduce.
  if (keys.includes('__proto__')) throw new StepAside('__proto__')
  let mustRevert = true
  if (typeScopedCtx !== null && keys.length <= 2 && !keys.includes('@context')) {
    for (const key of keys) {
      const expandedProperty = typeScopedCtx.term(key).iri
      if (expandedProperty === '@value') {
        mustRevert = false
        ctx = typeScopedCtx
        break
      }
      if (expandedProperty === '@id' && keys.length === 1) {
        mustRevert = false
        break
      }
    }
  }
  if (mustRevert) ctx = ctx.revertTo ?? ctx
  if (propertyScopedCtx !== undefined) ctx = ctx.derive('property', propertyScopedCtx)
  if ('@context' in element) {
    // Only the document's own context list, prepared (and checked against the loader) up front.
    if (ctx !== walk.root || activeProperty !== null) throw new StepAside('embedded @context')
    ctx = walk.top
  }
  typeScopedCtx = ctx

  let typeKey: string | null = null
  for (const key of keys) {
    if (ctx.term(key).iri !== '@type') continue
    typeKey ??= key
    const value = element[key]
    const types: unknown[] = Array.isArray(value)
      ? value.length > 1
        ? [...(value as unknown[])].sort()
        : value
      : [value]
    for (const type of types) {
      if (typeof type !== 'string') throw new StepAside('@type value')
      const scoped = typeScopedCtx.term(type).scoped
      if (scoped !== undefined) ctx = ctx.derive('type', scoped)
    }
  }

  const rval: Expanded = {}
  // Only a non-keyword key (not `@context`, not an alias of `@type`/`@id`) is split off.
  const without =
    split !== undefined &&
    Object.hasOwn(element, split.omit) &&
    split.omit !== '@context' &&
    split.omit !== typeKey &&
    !isKeyword(ctx.term(split.omit).iri ?? '@')
      ? ({} as Expanded)
      : undefined
  expandObject(
    walk,
    ctx,
    expandedActiveProperty,
    element,
    keys,
    rval,
    typeKey,
    typeScopedCtx,
    without === undefined ? undefined : { parent: without, omit: (split as Split).omit },
  )

  finishNode(rval, activeProperty, expandedActiveProperty, ctx, insideList)
  if (split !== undefined && without !== undefined) {
    try {
      finishNode(without, activeProperty, expandedActiveProperty, ctx, insideList)
      split.rval = without
    } catch (error) {
      if (!(error instanceof StepAside)) throw error
    }
  }
  return rval
}

/** The end of jsonld.js `_expandObject`'s caller for a node: `@type` as an array, drop checks. */
function finishNode(
  rval: Expanded,
  activeProperty: string | null,
  expandedActiveProperty: string | null,
  ctx: Ctx,
  insideList: boolean,
): void {
  if ('@type' in rval && !Array.isArray(rval['@type'])) rval['@type'] = [rval['@type']]
  const count = Object.keys(rval).length
  if (
    !insideList &&
    (activeProperty === null ||
      expandedActiveProperty === '@graph' ||
      ctx.term(activeProperty).container.includes('@graph')) &&
    (count === 0 || (count === 1 && '@id' in rval))
  ) {
    throw new StepAside('dropped object')
  }
}

function expandObject(
  walk: Walk,
  ctx: Ctx,
  expandedActiveProperty: string | null,
  element: Record<string, unknown>,
  keys: readonly string[],
  expandedParent: Expanded,
  typeKey: string | null,
  typeScopedCtx: Ctx,
  /** A second parent that gets every key's value but `omit`'s (see {@link Split}). */
  also?: { readonly parent: Expanded; readonly omit: string },
): void {
  const second = (key: string): Expanded | undefined =>
    also !== undefined && key !== also.omit ? also.parent : undefined
  if (typeKey !== null && element[typeKey]) {
    const t = element[typeKey]
    const first = Array.isArray(t) ? (t as unknown[])[0] : t
    if (typeof first === 'string' && ctx.term(first).iri === '@json') {
      throw new StepAside('@json node')
    }
  }
  for (const key of keys) {
    if (key === '@context') continue
    const value = element[key]
    const term = ctx.term(key)
    const expandedProperty = term.iri
    if (
      expandedProperty === null ||
      !(isAbsoluteIri(expandedProperty) || isKeyword(expandedProperty))
    ) {
      throw new StepAside('invalid property')
    }
    if (isKeyword(expandedProperty)) {
      if (expandedActiveProperty === '@reverse') throw new StepAside('@reverse')
      if (expandedProperty in expandedParent && expandedProperty !== '@type') {
        throw new StepAside('colliding keywords')
      }
      if (expandedProperty === '@id') {
        if (typeof value !== 'string') throw new StepAside('@id value')
        const id = expandIri(ctx.js, value, false, true)
        if (id === null || !isAbsoluteIri(id)) throw new StepAside('@id reference')
        addValue(expandedParent, '@id', [id], false)
        const other = second(key)
        if (other !== undefined) addValue(other, '@id', [id], false)
        continue
      }
      if (expandedProperty === '@type') {
        const values = asArray(value)
        if (!values.every((v): v is string => typeof v === 'string')) {
          throw new StepAside('@type value')
        }
        const types = values.map((v) => {
          const t = typeScopedCtx.typeIri(v)
          if (t === null || t === '@json' || !isAbsoluteIri(t)) throw new StepAside('@type')
          return t
        })
        addValue(expandedParent, '@type', types, false)
        const other = second(key)
        if (other !== undefined) addValue(other, '@type', types, false)
        continue
      }
      throw new StepAside(expandedProperty)
    }

    const termCtx = term.scoped === undefined ? ctx : ctx.derive('property', term.scoped)
    const container = term.container
    if (
      container.some((c) => c === '@language' || c === '@index' || c === '@id' || c === '@type') &&
      isObject(value)
    ) {
      throw new StepAside('map container')
    }
    if (term.type === '@json') throw new StepAside('@json')
    let expandedValue = expandElement(walk, termCtx, key, value, false, null)
    if (expandedValue === null) continue
    if (container.includes('@list') && !(isObject(expandedValue) && '@list' in expandedValue)) {
      expandedValue = { '@list': asArray(expandedValue) }
    }
    if (container.includes('@graph') && !container.some((c) => c === '@id' || c === '@index')) {
      const items = asArray(expandedValue)
      for (const v of items) {
        const count = Object.keys(v as object).length
        const o = v as Expanded
        if (count === 0 || '@value' in o || '@list' in o || (count === 1 && '@id' in o)) {
          throw new StepAside('dropped graph item')
        }
      }
      if (items.length === 0) continue
      expandedValue = items.map((v) => ({ '@graph': asArray(v) }))
    }
    if (termCtx.term(key).reverse) throw new StepAside('reverse property')
    addValue(expandedParent, expandedProperty, expandedValue, true)
    const other = second(key)
    if (other !== undefined) addValue(other, expandedProperty, expandedValue, true)
  }
}

function expandValue(ctx: Ctx, activeProperty: string | null, value: string | number | boolean) {
  if (activeProperty === null) throw new StepAside('value without property')
  const term = ctx.term(activeProperty)
  if (term.iri === null || isKeyword(term.iri)) throw new StepAside('keyword value')
  const { type } = term
  if ((type === '@id' || type === '@vocab') && typeof value === 'string') {
    const id = expandIri(ctx.js, value, type === '@vocab', true)
    if (id === null || !isAbsoluteIri(id)) throw new StepAside('relative IRI')
    return { '@id': id }
  }
  const rval: Expanded = {}
  if (typeof type === 'string' && type !== '' && !['@id', '@vocab', '@none'].includes(type)) {
    rval['@type'] = type
  } else if (typeof value === 'string') {
    if (term.language !== null) rval['@language'] = term.language
    if (term.direction !== null) rval['@direction'] = term.direction
  }
  rval['@value'] = value
  return rval
}
