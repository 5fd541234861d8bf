/**
 * `@certify-vc/verifier` on Node (the `node` export condition): everything the browser-safe
 * entry exports, with `verifyCredential` defaulting to the hardened status list fetcher, plus
 * the Node-only status list sources.
 *
 * @module
 */
export * from './index.js'
export { verifyCredential } from './node/verify-credential-node.js'
export { verifyPresentation } from './node/verify-presentation-node.js'
export {
  createHardenedStatusListSource,
  type HardenedStatusListSourceOptions,
  type ResolvedAddress,
} from './node/hardened-source.js'
export { createHardenedDidResolver, type HardenedDidResolverOptions } from './node/did-web-node.js'
export {
  createDirectoryStatusListSource,
  type DirectoryStatusListSourceOptions,
} from './node/directory-source.js'
