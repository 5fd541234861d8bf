/**
 * Canonicalization within bounds, on the fast path or the reference (internal to the package:
 * the public parts are re-exported by the package index).
 *
 * @module
 */
export { isDeepFrozen, setFastPathCacheLimit } from './active-context.js'
export {
  adoptUnsecuredExpansion,
  canonizeFast,
  expandFast,
  expandFastSecured,
  fastPathStats,
  type FastCanonizeOptions,
  type UnsecuredExpansion,
} from './fast-path.js'
export {
  DEFAULT_CANONICALIZATION_LIMITS,
  canonizeLimitError,
  rdfCanonizeOptions,
  resolveCanonicalizationLimits,
  type CanonicalizationLimits,
} from './limits.js'
export { resolveCanonicalizationPath, type CanonicalizationPath } from './path.js'
