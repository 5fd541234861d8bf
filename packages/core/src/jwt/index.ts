/**
 * JWT envelopes for credentials and presentations (VC-JOSE-COSE `application/vc+jwt`, VC-JWT 1.1
 * / Open Badges 3.0 §8.2): decoding with the header rules, the claims against the document, the
 * signature through `jose`, signing with certify-vc's signers, and enveloped credentials.
 *
 * @module
 */
export {
  JWS_ALGORITHMS,
  JWS_ALGORITHM_KEY_TYPES,
  KEY_TYPE_ALGORITHMS,
  decodeJwt,
  looksLikeCompactJws,
  type DecodeJwtOptions,
  type DecodeJwtResult,
  type DecodedJwt,
  type JwsAlgorithm,
  type JwtDocumentKind,
  type JwtEncoding,
} from './compact.js'
export { REGISTERED_CLAIMS, credentialOfJwt, type JwtDocument } from './claims.js'
export {
  JWT_MEDIA_TYPES,
  credentialJwtPayload,
  envelopeJwt,
  isEnvelope,
  openEnvelope,
  type OpenedEnvelope,
} from './envelope.js'
export { keyTypeOfJwk, multibaseOfPublicJwk, publicJwkOfMultibase, type PublicJwk } from './jwk.js'
export { signJws, verifyJwsSignature, type SignJwsOptions } from './signature.js'
