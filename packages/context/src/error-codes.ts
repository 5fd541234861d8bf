/**
 * The closed list of certify-vc error codes, each with a one-line explanation for people and,
 * where the specifications define one, the matching problem type.
 *
 * Codes are API: adding one is a minor change, renaming or removing one is a major change.
 * Messages attached to individual problems are for humans and may change in any release.
 *
 * @module
 */

/** Problem types defined by the VC Data Model 2.0 / Data Integrity / Bitstring Status List specs. */
export type SpecProblemType =
  | 'PARSING_ERROR'
  | 'MALFORMED_VALUE_ERROR'
  | 'RANGE_ERROR'
  | 'CRYPTOGRAPHIC_SECURITY_ERROR'
  | 'PROOF_VERIFICATION_ERROR'
  | 'PROOF_GENERATION_ERROR'
  | 'STATUS_RETRIEVAL_ERROR'
  | 'STATUS_VERIFICATION_ERROR'
  | 'STATUS_LIST_LENGTH_ERROR'
  | 'INVALID_CHALLENGE_ERROR'
  | 'INVALID_DOMAIN_ERROR'

interface CodeInfo {
  readonly explanation: string
  readonly specType?: SpecProblemType
}

/** Every error code with its plain-words explanation. */
export const ERROR_CODES = {
  // -- input -------------------------------------------------------------------------------
  ERR_INPUT_NOT_JSON: {
    explanation: 'The input is not a JSON document.',
    specType: 'PARSING_ERROR',
  },
  ERR_INPUT_TOO_LARGE: {
    explanation: 'The input is larger than the configured byte limit.',
    specType: 'RANGE_ERROR',
  },
  ERR_INPUT_TOO_DEEP: {
    explanation: 'The input nests objects or arrays deeper than the configured limit.',
    specType: 'RANGE_ERROR',
  },
  ERR_INPUT_FORBIDDEN_KEY: {
    explanation: 'The input uses a key that is never allowed (__proto__, constructor, prototype).',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_INPUT_DUPLICATE_KEY: {
    explanation:
      'An object in the input has the same key twice, so different readers would see different values.',
    specType: 'PARSING_ERROR',
  },
  ERR_INPUT_INVALID_UNICODE: {
    explanation: 'The input is not valid UTF-8, or a string holds a lone surrogate.',
    specType: 'PARSING_ERROR',
  },
  ERR_INPUT_ARRAY_TOO_LONG: {
    explanation: 'An array in the input has more items than the configured limit.',
    specType: 'RANGE_ERROR',
  },
  ERR_INPUT_STRING_TOO_LONG: {
    explanation: 'A string in the input is longer than the configured limit.',
    specType: 'RANGE_ERROR',
  },
  ERR_INPUT_TOO_MANY_CONTEXTS: {
    explanation: 'The @context list is longer than the configured limit.',
    specType: 'RANGE_ERROR',
  },
  ERR_INPUT_TOO_MANY_BLANK_NODES: {
    explanation:
      'The input has more objects without an id (blank nodes) than the configured limit, which bounds canonicalization work.',
    specType: 'RANGE_ERROR',
  },
  ERR_INPUT_FORBIDDEN_ID: {
    explanation: 'An id is "__proto__", "constructor" or "prototype", which is never allowed.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  // Baked badges (Open Badges 3.0 §5.3): the image is a container for the credential.
  ERR_INPUT_BAKED_NOT_FOUND: {
    explanation:
      'The PNG or SVG image holds no baked credential (no iTXt chunk "openbadgecredential", no openbadges:credential element).',
    specType: 'PARSING_ERROR',
  },
  ERR_INPUT_BAKED_INVALID: {
    explanation:
      'The baked image is malformed or breaks the Open Badges baking rules (compressed or repeated credential, DOCTYPE or entities, bad chunk).',
    specType: 'PARSING_ERROR',
  },
  // -- structure ---------------------------------------------------------------------------
  ERR_STRUCTURE_INVALID: {
    explanation: 'The document does not have the shape of a verifiable credential.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_STRUCTURE_NOT_OPEN_BADGE: {
    explanation: 'A field that Open Badges 3.0 requires is missing or has the wrong form.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_STRUCTURE_RELATIVE_IRI: {
    explanation: 'A value that must be an absolute IRI is relative or not an IRI.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_STRUCTURE_DATE_INVALID: {
    explanation: 'A date is not an XML Schema dateTime with a time zone.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_STRUCTURE_DIGEST_MISMATCH: {
    explanation:
      'A relatedResource digest (digestSRI or digestMultibase) does not match the bytes of the resource.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  // -- contexts and JSON-LD ------------------------------------------------------------------
  ERR_CONTEXT_UNKNOWN: {
    explanation: 'The document uses a JSON-LD context that is not one of the pinned contexts.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_CONTEXT_ORDER: {
    explanation: 'The first @context is not the VC 1.1 or VC 2.0 base context.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_CONTEXT_INLINE: {
    explanation: 'The document embeds its own JSON-LD context instead of naming a pinned one.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_JSONLD_UNDEFINED_TERM: {
    explanation: 'A property or type is not defined by the contexts, so it would not be signed.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_JSONLD_INVALID: {
    explanation: 'JSON-LD processing failed (for example a protected term was redefined).',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_JSONLD_CANONIZE_LIMIT: {
    explanation:
      'Canonicalization exceeded its work or time limit (a graph crafted to be expensive is refused).',
    specType: 'RANGE_ERROR',
  },
  ERR_JSONLD_ISSUER_DEPENDENT_TERM: {
    explanation:
      'A field falls through to the VC 2.0 issuer-dependent vocabulary: signed, but with no defined meaning (a typo or shadow field).',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_DOCUMENT_NOT_FOUND: {
    explanation: 'A document (context, DID or key) is not available from the offline loader.',
  },
  // -- proof -----------------------------------------------------------------------------------
  ERR_PROOF_MISSING: {
    explanation: 'The credential carries no proof.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_PROOF_MALFORMED: {
    explanation: 'A proof lacks a required field or has one in the wrong form.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_PROOF_SUITE_NOT_ALLOWED: {
    explanation: 'A proof uses a signature suite that is not on the allow-list.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_PROOF_PURPOSE: {
    explanation: 'A proof was made for another purpose than asserting this credential.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_PROOF_INVALID: {
    explanation:
      'A signature does not verify: the credential was altered or not signed by this key.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_PROOF_SIGNATURE_MALLEABLE: {
    explanation:
      'A signature is not in canonical form (S not below the group order, or a bad R): a malleated copy, refused everywhere.',
    specType: 'CRYPTOGRAPHIC_SECURITY_ERROR',
  },
  ERR_PROOF_CHAIN_DANGLING: {
    explanation: 'A proof names a previousProof that is not in the document.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_PROOF_CHAIN_CYCLE: {
    explanation: 'The previousProof references of the proofs form a cycle.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_PROOF_TOO_MANY: {
    explanation: 'The document carries more proofs than the configured limit.',
    specType: 'RANGE_ERROR',
  },
  ERR_PROOF_CREATED_INVALID: {
    explanation:
      "A proof's created time is malformed, in the future, or after the credential expired.",
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_PROOF_EXPIRED: {
    explanation:
      'A proof is past its own "expires" time (Data Integrity: no longer valid), or that time is malformed.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_PROOF_BASE_NOT_DERIVED: {
    explanation:
      'An ecdsa-sd-2023 base proof was presented: it is for the holder, who derives a disclosure proof from it; a verifier accepts only a derived proof.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_PROOF_DUPLICATE: {
    explanation:
      'A warning: the proof set lists the same proof twice; it is verified and counted once (a copy adds no signature).',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  // -- JWT envelopes (VC-JOSE-COSE, VC-JWT 1.1 / Open Badges 3.0 §8.2) -------------------------
  ERR_JWT_MALFORMED: {
    explanation:
      'The text is not a compact JWS: three base64url parts whose header and payload are JSON objects.',
    specType: 'PARSING_ERROR',
  },
  ERR_JWT_ALG_NOT_ALLOWED: {
    explanation:
      'The JWS "alg" is not on the allow-list (EdDSA, ES256, ES384): "none", HMAC (HS*) and RSA are always refused.',
    specType: 'CRYPTOGRAPHIC_SECURITY_ERROR',
  },
  ERR_JWT_TYPE_INVALID: {
    explanation:
      'The JWS "typ" header is not the media type this document needs (vc+jwt or JWT for a credential, vp+jwt or JWT for a presentation).',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_JWT_CONTENT_TYPE_INVALID: {
    explanation: 'The JWS "cty" header is not vc (credential) or vp (presentation).',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_JWT_HEADER_UNSUPPORTED: {
    explanation:
      'The JWS header asks for processing certify-vc does not do ("crit", unencoded payload "b64": false), so it is refused rather than misread.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_JWT_KID_MISSING: {
    explanation:
      'The JWS header has no "kid", so no key of the issuer can be chosen (a key in the token itself is never trusted).',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_JWT_CLAIMS_INVALID: {
    explanation:
      'A registered JWT claim has the wrong form (iss, sub or jti not a string; nbf, exp or iat not a NumericDate), or a VC-JWT 1.1 payload has no "vc" / "vp" object.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_JWT_VC_CLAIM_FORBIDDEN: {
    explanation:
      'A vc+jwt / vp+jwt payload (VC-JOSE-COSE) carries a "vc" or "vp" claim: the payload is the credential itself, so these claims are not allowed.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_JWT_ISS_MISMATCH: {
    explanation:
      'The JWT "iss" claim is not the credential\'s issuer (or the presentation\'s holder).',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_JWT_SUB_MISMATCH: {
    explanation: 'The JWT "sub" claim is not the id of the credential subject.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_JWT_JTI_MISMATCH: {
    explanation: 'The JWT "jti" claim is not the credential\'s (or presentation\'s) id.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_JWT_NBF_MISMATCH: {
    explanation:
      'The JWT "nbf" claim is not the credential\'s validFrom (VC 2.0) or issuanceDate (VC 1.1), to the second.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_JWT_EXP_MISMATCH: {
    explanation:
      'The JWT "exp" claim is not the credential\'s validUntil (VC 2.0) or expirationDate (VC 1.1), to the second, or one of the two is missing.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_JWT_EMBEDDED_PROOF: {
    explanation:
      'The credential inside a JWT also carries a Data Integrity "proof": one envelope secures one document, and the two are not checked together.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_JWT_ENVELOPE_INVALID: {
    explanation:
      'An EnvelopedVerifiableCredential / EnvelopedVerifiablePresentation is not a data: URL of a supported media type (application/vc+jwt, application/vp+jwt).',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_JWT_SIGNING_FAILED: {
    explanation:
      'A JWT could not be signed: the key and the algorithm do not match, or the signer failed.',
    specType: 'PROOF_GENERATION_ERROR',
  },
  // -- key binding -----------------------------------------------------------------------------
  ERR_KEY_UNRESOLVABLE: {
    explanation: 'The signing key could not be resolved from its DID.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_KEY_NOT_ISSUER: {
    explanation: 'The signing key is not controlled by the credential issuer.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_KEY_NOT_AUTHORIZED: {
    explanation: "The signing key is not listed under the issuer's assertionMethod.",
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_KEY_INVALID: {
    explanation:
      'A key is malformed (wrong encoding, wrong length, not a point on its curve), not an Ed25519, P-256 or P-384 key, or not of the type the proof suite (or JWS alg) needs.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  // -- trust and program -----------------------------------------------------------------------
  ERR_ISSUER_UNTRUSTED: {
    explanation: 'The issuer is not on the trusted-issuer list, whatever its signature says.',
  },
  ERR_ISSUER_KEY_NOT_PINNED: {
    explanation:
      "The credential is signed by a key of the issuer's DID that the trust list does not name for this issuer (or this program).",
  },
  ERR_PROGRAM_UNKNOWN: {
    explanation: 'The achievement is not one of the programs in the catalog.',
  },
  ERR_PROGRAM_MISMATCH: {
    explanation:
      "The credential's program details contradict the catalog entry for its achievement.",
  },
  // -- related resources -----------------------------------------------------------------------
  ERR_RELATED_RESOURCE_UNCHECKED: {
    explanation:
      'The credential names a related resource whose digest this verifier cannot check (it never fetches resources a credential names), so it is not verified.',
  },
  // -- validity period -------------------------------------------------------------------------
  ERR_VALIDITY_EXPIRED: {
    explanation: 'The credential has expired.',
    specType: 'RANGE_ERROR',
  },
  ERR_VALIDITY_NOT_YET_VALID: {
    explanation: 'The credential is not valid yet.',
    specType: 'RANGE_ERROR',
  },
  // -- status ------------------------------------------------------------------------------------
  ERR_STATUS_UNSUPPORTED: {
    explanation:
      'The credential carries a status type this verifier cannot check, so it fails closed.',
    specType: 'STATUS_VERIFICATION_ERROR',
  },
  ERR_STATUS_REVOKED: {
    explanation: 'The issuer has revoked this credential.',
    specType: 'STATUS_VERIFICATION_ERROR',
  },
  ERR_STATUS_SUSPENDED: {
    explanation: 'The issuer has suspended this credential for now.',
    specType: 'STATUS_VERIFICATION_ERROR',
  },
  ERR_STATUS_UNKNOWN: {
    explanation: 'The status list could not be obtained or is stale, so the status is unknown.',
    specType: 'STATUS_RETRIEVAL_ERROR',
  },
  ERR_STATUS_ENTRY_INVALID: {
    explanation:
      'A credentialStatus entry is malformed (fields missing, index not base-10 digits).',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_STATUS_INDEX_OUT_OF_RANGE: {
    explanation: 'The status index is beyond the end of the status list.',
    specType: 'RANGE_ERROR',
  },
  ERR_STATUS_LIST_INVALID: {
    explanation: 'The status list credential is malformed, unsigned, or its proof does not verify.',
    specType: 'STATUS_VERIFICATION_ERROR',
  },
  ERR_STATUS_LIST_ISSUER_MISMATCH: {
    explanation: 'The status list was not issued (and signed) by the issuer of the credential.',
    specType: 'STATUS_VERIFICATION_ERROR',
  },
  ERR_STATUS_LIST_URL_NOT_ALLOWED: {
    explanation:
      "The status list URL is outside the prefixes the trust list allows for this issuer's lists.",
    specType: 'STATUS_VERIFICATION_ERROR',
  },
  ERR_STATUS_LIST_EXPIRED: {
    explanation: 'The status list credential has expired or is not valid yet.',
    specType: 'STATUS_VERIFICATION_ERROR',
  },
  ERR_STATUS_LIST_TOO_LARGE: {
    explanation:
      'The status list is larger than allowed once inflated (a compression bomb is refused).',
    specType: 'STATUS_LIST_LENGTH_ERROR',
  },
  ERR_STATUS_LIST_TOO_SHORT: {
    explanation:
      'The status list is shorter than the 131,072 entries the spec requires for privacy.',
    specType: 'STATUS_LIST_LENGTH_ERROR',
  },
  ERR_STATUS_PURPOSE_MISMATCH: {
    explanation: "The status list's purpose does not match the credential's status entry.",
    specType: 'STATUS_VERIFICATION_ERROR',
  },
  // -- presentations ---------------------------------------------------------------------------
  ERR_PRESENTATION_INVALID: {
    explanation: 'The document does not have the shape of a verifiable presentation.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_PRESENTATION_TOO_MANY_CREDENTIALS: {
    explanation: 'The presentation embeds more credentials than the verifier accepts at once.',
    specType: 'RANGE_ERROR',
  },
  ERR_PRESENTATION_UNSIGNED: {
    explanation:
      'The presentation carries no proof, so nothing shows that the holder presented it.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_PRESENTATION_PURPOSE: {
    explanation: 'A presentation proof was made for another purpose than authentication.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_PRESENTATION_KEY_NOT_AUTHORIZED: {
    explanation:
      "The presentation key is not listed under its DID's authentication (an assertion-only key cannot present).",
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_PRESENTATION_CREDENTIAL_INVALID: {
    explanation:
      'A credential inside the presentation did not verify (its own problems follow); a valid presentation never makes up for it.',
  },
  ERR_PRESENTATION_SIGNING_FAILED: {
    explanation: 'The signature suite failed to produce a proof for this presentation.',
    specType: 'PROOF_GENERATION_ERROR',
  },
  ERR_HOLDER_MISSING: {
    explanation: 'The presentation names no holder, so it cannot be bound to anyone.',
    specType: 'MALFORMED_VALUE_ERROR',
  },
  ERR_HOLDER_KEY_MISMATCH: {
    explanation: 'The presentation was signed with a key that the holder does not control.',
    specType: 'PROOF_VERIFICATION_ERROR',
  },
  ERR_HOLDER_SUBJECT_MISMATCH: {
    explanation: 'A presented credential is about someone other than the holder who presents it.',
  },
  ERR_CHALLENGE_MISSING: {
    explanation: 'The presentation proof carries no challenge, so it could be a replay.',
    specType: 'INVALID_CHALLENGE_ERROR',
  },
  ERR_CHALLENGE_MISMATCH: {
    explanation: 'The presentation answers another challenge than the one this verifier expects.',
    specType: 'INVALID_CHALLENGE_ERROR',
  },
  ERR_CHALLENGE_UNKNOWN: {
    explanation: 'This verifier never issued the challenge (or not for this domain).',
    specType: 'INVALID_CHALLENGE_ERROR',
  },
  ERR_CHALLENGE_EXPIRED: {
    explanation: 'The challenge expired before the presentation arrived.',
    specType: 'INVALID_CHALLENGE_ERROR',
  },
  ERR_CHALLENGE_REUSED: {
    explanation: 'The challenge was already used: this presentation is a replay.',
    specType: 'INVALID_CHALLENGE_ERROR',
  },
  ERR_CHALLENGE_LIMIT: {
    explanation: 'Too many challenges are outstanding; no new one was issued.',
  },
  ERR_DOMAIN_MISSING: {
    explanation: 'The presentation proof names no domain, so it is not bound to this verifier.',
    specType: 'INVALID_DOMAIN_ERROR',
  },
  ERR_DOMAIN_MISMATCH: {
    explanation: 'The presentation was made for another domain (another verifier or site).',
    specType: 'INVALID_DOMAIN_ERROR',
  },
  // -- issuing -----------------------------------------------------------------------------------
  ERR_ISSUE_PROGRAM_UNKNOWN: {
    explanation: 'The program to issue is not AIDA, CAAE or AIMA.',
  },
  ERR_ISSUE_RECIPIENT_INVALID: {
    explanation: 'The recipient is missing or malformed (a name, a DID or an email is needed).',
  },
  ERR_ISSUE_INVALID_INPUT: {
    explanation: 'An issuing option is malformed.',
  },
  ERR_DISCLOSURE_POINTER_INVALID: {
    explanation:
      'A JSON Pointer for selective disclosure (mandatory or revealed) is malformed or names nothing in the credential.',
  },
  ERR_ISSUE_SIGNING_FAILED: {
    explanation: 'The signature suite failed to produce a proof for this credential.',
    specType: 'PROOF_GENERATION_ERROR',
  },
  ERR_ISSUE_IDEMPOTENCY_CONFLICT: {
    explanation:
      'The Idempotency-Key (or the credential id) was already used for a different request; nothing was issued or offered.',
  },
  ERR_ISSUE_IN_PROGRESS: {
    explanation:
      'An issue request with this Idempotency-Key (or credential id) is still being processed; retry shortly.',
  },
  ERR_ISSUE_INTERRUPTED: {
    explanation:
      'An earlier attempt with this Idempotency-Key was interrupted and voided before delivery; retry with a new key.',
  },
  ERR_REGISTRY_NOT_FOUND: {
    explanation: 'The status registry has no credential with this id.',
  },
  ERR_REGISTRY_TRANSITION: {
    explanation:
      'That status change is not allowed (revocation is final; suspension must be enabled).',
  },
  ERR_REGISTRY_STORAGE: {
    explanation: 'The status registry could not read or write its storage.',
  },
  ERR_REGISTRY_FULL: {
    explanation: 'No status list index could be allocated.',
  },
  ERR_REGISTRY_URL_MISMATCH: {
    explanation:
      'A status list was recorded under another URL: lists are published only at the URL their credentials point to.',
  },
  ERR_BATCH_ROSTER_INVALID: {
    explanation:
      'The roster has bad rows (each reported with its line, field and reason); nothing was issued.',
  },
  ERR_BATCH_ROW_RECORDED: {
    explanation: 'This roster row key is already recorded in the registry for this batch.',
  },
  ERR_KEY_FILE: {
    explanation: 'A key file could not be read or written, or holds no usable key.',
  },
  // -- baking (Open Badges 3.0 §5.3) ----------------------------------------------------------
  ERR_BAKE_IMAGE_INVALID: {
    explanation:
      'The image to bake into is not a well-formed PNG or SVG, or it already holds a credential.',
  },
  ERR_BAKE_CREDENTIAL_INVALID: {
    explanation:
      "The text to bake is not a credential's JSON object or a compact JWS, or is too large.",
  },
  // -- server (examples/server) ------------------------------------------------------------------
  ERR_SERVER_UNAUTHORIZED: {
    explanation: "This write needs the server's bearer token (Authorization: Bearer <token>).",
  },
  ERR_SERVER_BAD_REQUEST: {
    explanation: 'The HTTP request is malformed: not JSON, the wrong content type, or a bad body.',
  },
  ERR_SERVER_ISSUER_MISMATCH: {
    explanation:
      "The credential's issuer is not this server's DID, so the server will not sign it.",
  },
  ERR_SERVER_NOT_FOUND: {
    explanation: 'There is nothing at this URL, or the credential is not managed by this server.',
  },
  ERR_SERVER_METHOD_NOT_ALLOWED: {
    explanation:
      'This URL exists but not for this HTTP method (the Allow header lists the methods).',
  },
  ERR_SERVER_RATE_LIMITED: {
    explanation: 'Too many requests from this client; retry after the time in Retry-After.',
  },
  ERR_SERVER_STORAGE: {
    explanation: "The server's database could not be read or written; the request may be retried.",
  },
  ERR_SERVER_TIMEOUT: {
    explanation: 'The request was not received completely within the time the server allows.',
  },
  ERR_OFFER_EXPIRED: {
    explanation: 'The credential offer has expired; the Institute can make a new one.',
  },
  ERR_OFFER_CLAIMED: {
    explanation:
      'The credential offer was already claimed (an offer is claimed once, by one wallet).',
  },
  ERR_OFFER_REQUEST_FAILED: {
    explanation:
      "The Institute's server could not be reached or gave no usable answer for this offer; running the batch again retries it safely.",
  },
  ERR_OFFER_TX_CODE_UNAVAILABLE: {
    explanation:
      'The offer exists but its transaction code cannot be shown again (claimed, being claimed or expired); offer it again under a new batch name.',
  },
  // -- wallet (examples/wallet) --------------------------------------------------------------
  ERR_WALLET_NOT_FOUND: {
    explanation: 'There is no wallet in this folder (create one with "wallet init").',
  },
  ERR_WALLET_EXISTS: {
    explanation: 'A wallet already exists in this folder.',
  },
  ERR_WALLET_CORRUPT: {
    explanation: 'A wallet file is unreadable or malformed.',
  },
  ERR_WALLET_SUBJECT_MISMATCH: {
    explanation: "The credential is not issued to this wallet's DID, so it cannot be presented.",
  },
  ERR_WALLET_CREDENTIAL_NOT_FOUND: {
    explanation: 'The wallet holds no credential matching this reference, or more than one.',
  },
  ERR_WALLET_QR_TOO_LARGE: {
    explanation: 'The presentation does not fit in one QR code (version 40).',
  },
  ERR_WALLET_QR_INVALID: {
    explanation: 'The text is not a presentation QR payload (VP1-…) or does not decode.',
  },
  ERR_WALLET_OFFER_INVALID: {
    explanation:
      'The text is not a credential offer the wallet can take (an openid-credential-offer:// URI or a Learner Credential Wallet request link).',
  },
  ERR_WALLET_RECEIVE_FAILED: {
    explanation:
      "The issuer refused the wallet's request or answered something unusable (its error is in the message).",
  },
} as const satisfies Record<string, CodeInfo>

/** A certify-vc error code. */
export type ErrorCode = keyof typeof ERROR_CODES

/** All error codes, in documentation order. */
export const ERROR_CODE_LIST: readonly ErrorCode[] = Object.keys(ERROR_CODES) as ErrorCode[]

/** The one-line human explanation of `code`. */
export function explainErrorCode(code: ErrorCode): string {
  return ERROR_CODES[code].explanation
}

/** Type guard: is `value` one of the codes in {@link ERROR_CODES}? */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value)
}
