/**
 * The W3C VC API routes: issue (one path per suite, plus the Institute's `/credentials/issue`
 * and `/status/credentials/issue`, the path the W3C Bitstring Status List suite's configuration
 * names; the ECDSA suites per curve, `/{cryptosuite}/{curve}/credentials/issue`, signed with the
 * server's P-256 / P-384 key), verify credentials and presentations, and status changes. Writes need the bearer
 * token. Verification is `@certify-vc/verifier`'s pipeline (see `services.ts`).
 *
 * @see https://w3c-ccg.github.io/vc-api/
 * @module
 */
import { randomUUID } from 'node:crypto'
import {
  CONTEXT_URLS,
  asArray,
  hasType,
  idOf,
  isPlainObject,
  parseDateTimeStamp,
  problem,
  type Problem,
} from '@certify-vc/context'
import { deriveCredential, topLevelPointers, type SuiteName } from '@certify-vc/core'
import { checkGenericCredential, signGenericCredential, type IssuerKey } from '@certify-vc/issuer'
import { PROFILE_NAMES, verifyCredential, type ProfileName } from '@certify-vc/verifier'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { EcdsaCurve } from '../ecdsa-keys.js'
import { errorBody, problemOf } from '../errors.js'
import { programOf, type ApiVerifyOptions, type Services } from '../services.js'

const ISSUE_OPTIONS = new Set(['publicDirectory', 'suspension'])
const STATUS_ACTIONS = new Set(['revoke', 'suspend', 'unsuspend', 'message'])

/** Options of {@link registerVcApi}. */
export interface VcApiOptions {
  services: Services
  /** Rejects the request (401) unless it carries the write token; `true` when authorized. */
  authorize(
    this: void,
    request: FastifyRequest,
    reply: FastifyReply,
    what: 'issue' | 'status',
  ): boolean
}

/** What an issue route signs with: a suite, and for the ECDSA routes the key of a curve. */
interface IssueRoute {
  readonly suite?: SuiteName
  readonly curve?: EcdsaCurve
  /**
   * A managed status also carries a message entry (`statusSize` 2) with these four messages,
   * one per value 0x0–0x3 (Bitstring Status List: 2^statusSize messages).
   */
  readonly messages?: readonly string[]
}

/** The messages of the status route's message entries (the W3C Bitstring Status List suite's door). */
const STATUS_ROUTE_MESSAGES = ['valid', 'renewal pending', 'renewal overdue', 'under review']

/** `options.mandatoryPointers` of an ecdsa-sd-2023 issue request: strings, at most 256. */
function mandatoryPointersOption(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length > 256) return undefined
  return value.every((p) => typeof p === 'string' && p.length <= 1024)
    ? (value as string[])
    : undefined
}

function withContext(contexts: unknown[], url: string): unknown[] {
  return contexts.includes(url) ? contexts : [...contexts, url]
}

async function issue(
  services: Services,
  body: unknown,
  route: IssueRoute,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const routeSuite = route.suite
  const key: IssuerKey =
    route.curve === undefined ? services.ring.current.key : services.ecdsaKeys[route.curve]
  if (!isPlainObject(body) || !isPlainObject(body.credential)) {
    return reply
      .code(400)
      .send(
        errorBody(
          'ERR_SERVER_BAD_REQUEST',
          'The body must be {"credential": {...}, "options": {...}}.',
        ),
      )
  }
  const options = body.options ?? {}
  if (!isPlainObject(options)) {
    return reply.code(400).send(errorBody('ERR_SERVER_BAD_REQUEST', '"options" must be an object.'))
  }
  let mandatoryPointers: string[] | undefined
  for (const [name, value] of Object.entries(options)) {
    if (name === 'mandatoryPointers' && routeSuite === 'ecdsa-sd-2023') {
      mandatoryPointers = mandatoryPointersOption(value)
      if (mandatoryPointers !== undefined) continue
      return reply
        .code(400)
        .send(
          errorBody(
            'ERR_SERVER_BAD_REQUEST',
            '"options.mandatoryPointers" must be an array of JSON Pointer strings.',
          ),
        )
    }
    if (!ISSUE_OPTIONS.has(name) || typeof value !== 'boolean') {
      return reply
        .code(400)
        .send(
          errorBody(
            'ERR_SERVER_BAD_REQUEST',
            `Unknown or malformed option "${name}" (known: publicDirectory, suspension: booleans).`,
          ),
        )
    }
  }
  const input = body.credential
  // The data model and safe mode before anything else, so that bad input never uses the
  // registry (the status entry added below is of a shape that always passes).
  try {
    await checkGenericCredential(input, { documentLoader: services.documentLoader })
  } catch (error) {
    const p = problemOf(error)
    if (p === undefined) throw error
    return reply.code(422).send({ errors: [p] })
  }
  const issuer = idOf(input.issuer)
  if (issuer !== key.did) {
    return reply
      .code(422)
      .send(
        errorBody('ERR_SERVER_ISSUER_MISMATCH', `This route signs only as ${key.did}.`, '/issuer'),
      )
  }
  const credential: Record<string, unknown> = structuredClone(input)
  let contexts = asArray(credential['@context']) as unknown[]
  const v1 = contexts[0] === CONTEXT_URLS.credentialsV1
  const suite: SuiteName = routeSuite ?? (v1 ? 'Ed25519Signature2020' : 'eddsa-rdfc-2022')
  if (suite === 'eddsa-jcs-2022' && hasType(credential.type, 'OpenBadgeCredential')) {
    // The Institute's badges are verified under the institute profile, which does not accept
    // eddsa-jcs-2022 (see @certify-vc/verifier's profiles): a jcs-signed badge would be refused.
    return reply
      .code(422)
      .send(
        errorBody(
          'ERR_ISSUE_INVALID_INPUT',
          'Open Badges are signed with eddsa-rdfc-2022 or Ed25519Signature2020, not eddsa-jcs-2022.',
          '/type',
        ),
      )
  }
  if (suite !== 'Ed25519Signature2020' && v1) {
    // VC 1.1 does not define DataIntegrityProof; the Data Integrity context does.
    contexts = withContext(contexts, CONTEXT_URLS.dataIntegrityV2)
  }
  if (suite === 'Ed25519Signature2020') {
    contexts = withContext(contexts, CONTEXT_URLS.ed25519Signature2020V1)
  }
  credential['@context'] = contexts
  if (credential.id === undefined) credential.id = `urn:uuid:${randomUUID()}`
  const credentialId = credential.id as string
  if (services.store.getIssued(credentialId) !== undefined) {
    return reply
      .code(422)
      .send(
        errorBody(
          'ERR_ISSUE_INVALID_INPUT',
          'A credential with this id was issued already.',
          '/id',
        ),
      )
  }
  // VC 2.0 defines BitstringStatusListEntry in its base context. VC 1.1 needs the status context,
  // which generic VC 1.1 clients may not have: there the entry is added for Open Badges (the
  // Institute's VC 1.1 format) and on request (`suspension`) only.
  // Status lists are signed as the server's DID, so only credentials issued as that DID (every
  // key with did:web; the ECDSA keys are DIDs of their own with did:key) get a managed status.
  const managedStatus =
    key.did === services.did &&
    credential.credentialStatus === undefined &&
    (!v1 || options.suspension === true || hasType(credential.type, 'OpenBadgeCredential'))
  if (managedStatus) {
    if (v1) credential['@context'] = withContext(contexts, CONTEXT_URLS.bitstringStatusListV1)
    const subject = credential.credentialSubject
    const subjectId = isPlainObject(subject) ? subject.id : undefined
    const suspension = options.suspension === true
    let allocation
    try {
      allocation = await services.registry.allocateStatus({
        credentialId,
        program: programOf(credential),
        recipient:
          typeof subjectId === 'string' && subjectId.startsWith('did:') ? { did: subjectId } : {},
        suspension,
        messages: route.messages !== undefined,
      })
    } catch (error) {
      const p = problemOf(error)
      if (p === undefined) throw error
      return reply.code(422).send({ errors: [p] })
    }
    const entry = (purpose: 'revocation' | 'suspension' | 'message') => {
      const url = `${services.statusLists.baseUrl}/${purpose}/${allocation.listNumber}`
      return {
        id: `${url}#${allocation.index}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: purpose,
        statusListIndex: String(allocation.index),
        statusListCredential: url,
        // Where a person can check and read about this status (Bitstring Status List §2.1:
        // "material related to the status"): the public verification page.
        statusReference: `${services.config.publicBaseUrl}/certify/verify`,
        ...(purpose === 'message'
          ? {
              statusSize: 2,
              statusMessage: (route.messages ?? []).map((message, value) => ({
                status: `0x${value.toString(16)}`,
                message,
              })),
            }
          : {}),
      }
    }
    const entries = [entry('revocation')]
    if (suspension) entries.push(entry('suspension'))
    if (route.messages !== undefined) entries.push(entry('message'))
    credential.credentialStatus = entries.length === 1 ? entries[0] : entries
  }
  let signed: Record<string, unknown>
  try {
    signed = await signGenericCredential(credential, {
      key,
      suite,
      documentLoader: services.documentLoader,
      ...(suite === 'ecdsa-sd-2023' ? { mandatoryPointers: mandatoryPointers ?? [] } : {}),
    })
  } catch (error) {
    if (managedStatus) {
      await services.registry.voidCredential(credentialId, 'signing failed').catch(() => undefined)
    }
    const p = problemOf(error)
    if (p === undefined) throw error
    return reply.code(422).send({ errors: [p] })
  }
  // Never release what does not verify: check the new proof and its key against the DID
  // document verifiers will resolve, with the verifier every door uses. A base proof
  // (ecdsa-sd-2023) is the holder's: what is checked is a credential derived from it that
  // discloses everything.
  const checked =
    suite === 'ecdsa-sd-2023'
      ? await deriveCredential(signed, {
          selectivePointers: topLevelPointers(signed),
          documentLoader: services.documentLoader,
        }).catch(() => undefined)
      : signed
  const check = await verifyCredential(checked ?? {}, {
    ...services.verifierOptions('vc'),
    trustedIssuers: [services.did],
    status: false,
  })
  const unsound = check.checks
    .filter((c) => (c.id === 'proof' || c.id === 'key-binding') && c.outcome !== 'passed')
    .flatMap((c) => c.problems)
  if (unsound.length > 0 || check.checks.find((c) => c.id === 'proof')?.outcome !== 'passed') {
    if (managedStatus) {
      await services.registry
        .voidCredential(credentialId, 'self-check failed')
        .catch(() => undefined)
    }
    reply.log.error(
      { credentialId, problems: unsound },
      'a freshly signed credential did not verify',
    )
    return reply
      .code(422)
      .send(
        errorBody(
          'ERR_ISSUE_SIGNING_FAILED',
          'The signed credential did not verify; nothing was issued.',
        ),
      )
  }
  const until = parseDateTimeStamp(v1 ? signed.expirationDate : signed.validUntil)
  services.store.recordIssued(
    {
      credentialId,
      verificationMethod: key.verificationMethodId,
      issuedAt: new Date().toISOString(),
      validUntil: until === undefined ? null : until.toISOString(),
      managedStatus,
    },
    options.publicDirectory === true ? signed : undefined,
  )
  // Audit trail: what was signed, never by whom (the token) nor the credential's content.
  reply.log.info(
    { audit: 'issue', credentialId, verificationMethod: key.verificationMethodId, suite },
    'credential issued',
  )
  return reply.code(201).send({ verifiableCredential: signed })
}

/**
 * The verify options of the VC API: `domain` and `challenge` (the proofs must carry them), and
 * `profile` (certify-vc's, not the VC API's: which rules apply; default `vc`).
 */
function verifyOptions(value: unknown): ApiVerifyOptions | Problem {
  if (value === undefined) return {}
  if (!isPlainObject(value))
    return problem('ERR_SERVER_BAD_REQUEST', '"options" must be an object.')
  const out: ApiVerifyOptions = {}
  for (const name of ['domain', 'challenge'] as const) {
    const v = value[name]
    if (v === undefined) continue
    if (typeof v !== 'string' || v === '' || v.length > 1024)
      return problem('ERR_SERVER_BAD_REQUEST', `"options.${name}" must be a non-empty string.`)
    out[name] = v
  }
  if (value.profile !== undefined) {
    if (!(PROFILE_NAMES as readonly unknown[]).includes(value.profile)) {
      return problem(
        'ERR_SERVER_BAD_REQUEST',
        `"options.profile" must be one of ${PROFILE_NAMES.join(', ')}.`,
      )
    }
    out.profile = value.profile as ProfileName
  }
  return out
}

/** Registers the VC API routes. */
export function registerVcApi(app: FastifyInstance, options: VcApiOptions): void {
  const { services } = options
  const authorize = options.authorize
  const issuePaths: [string, IssueRoute][] = [
    ['/credentials/issue', {}],
    // The path the shared bitstring-suite configuration names (always adds a status entry, and
    // a message entry with statusSize 2).
    ['/status/credentials/issue', { messages: STATUS_ROUTE_MESSAGES }],
    ['/eddsa-rdfc-2022/credentials/issue', { suite: 'eddsa-rdfc-2022' }],
    ['/eddsa-jcs-2022/credentials/issue', { suite: 'eddsa-jcs-2022' }],
    ['/Ed25519Signature2020/credentials/issue', { suite: 'Ed25519Signature2020' }],
    // The W3C ECDSA suites, one path per curve (the vc-di-ecdsa test suite's issuers).
    ['/ecdsa-rdfc-2019/P-256/credentials/issue', { suite: 'ecdsa-rdfc-2019', curve: 'P-256' }],
    ['/ecdsa-rdfc-2019/P-384/credentials/issue', { suite: 'ecdsa-rdfc-2019', curve: 'P-384' }],
    ['/ecdsa-sd-2023/P-256/credentials/issue', { suite: 'ecdsa-sd-2023', curve: 'P-256' }],
  ]
  for (const [path, route] of issuePaths) {
    app.post(path, async (request, reply) => {
      if (!authorize(request, reply, 'issue')) return reply
      return issue(services, request.body, route, reply)
    })
  }

  app.post('/credentials/verify', async (request, reply) => {
    const body = request.body
    if (!isPlainObject(body) || !isPlainObject(body.verifiableCredential)) {
      return reply.code(400).send({
        verified: false,
        ...errorBody(
          'ERR_SERVER_BAD_REQUEST',
          'The body must be {"verifiableCredential": {...}} with the credential as an object.',
          '/verifiableCredential',
        ),
      })
    }
    const opts = verifyOptions(body.options)
    if ('code' in opts) return reply.code(400).send({ verified: false, errors: [opts] })
    const result = await services.verifyForApi(body.verifiableCredential, opts)
    return reply.code(result.verified ? 200 : 422).send(result)
  })

  app.post('/presentations/verify', async (request, reply) => {
    const body = request.body
    if (!isPlainObject(body) || !isPlainObject(body.verifiablePresentation)) {
      return reply.code(400).send({
        verified: false,
        ...errorBody(
          'ERR_SERVER_BAD_REQUEST',
          'The body must be {"verifiablePresentation": {...}} with the presentation as an object.',
          '/verifiablePresentation',
        ),
      })
    }
    const opts = verifyOptions(body.options)
    if ('code' in opts) return reply.code(400).send({ verified: false, errors: [opts] })
    const result = await services.verifyPresentationForApi(body.verifiablePresentation, opts)
    return reply.code(result.verified ? 200 : 422).send(result)
  })

  app.post('/credentials/status', async (request, reply) => {
    if (!authorize(request, reply, 'status')) return reply
    const body = request.body
    if (
      !isPlainObject(body) ||
      typeof body.credentialId !== 'string' ||
      typeof body.action !== 'string' ||
      !STATUS_ACTIONS.has(body.action) ||
      (body.reason !== undefined && typeof body.reason !== 'string') ||
      (body.action === 'message') !== (body.value !== undefined)
    ) {
      return reply
        .code(400)
        .send(
          errorBody(
            'ERR_SERVER_BAD_REQUEST',
            'The body must be {"credentialId": "...", "action": "revoke" | "suspend" | "unsuspend", "reason"?: "..."} or {"credentialId": "...", "action": "message", "value": 0-3, "reason"?: "..."}.',
          ),
        )
    }
    const record = services.store.getIssued(body.credentialId)
    if (record === undefined || !record.managedStatus) {
      return reply
        .code(404)
        .send(
          errorBody('ERR_SERVER_NOT_FOUND', 'This server manages no status for that credential.'),
        )
    }
    const reason =
      typeof body.reason === 'string' && body.reason.trim() !== ''
        ? body.reason
        : `${body.action} via the VC API`
    const registry = services.registry
    let result:
      | Awaited<ReturnType<typeof registry.revoke>>
      | Awaited<ReturnType<typeof registry.setStatusMessage>>
    try {
      result =
        body.action === 'revoke'
          ? await registry.revoke(body.credentialId, reason)
          : body.action === 'suspend'
            ? await registry.suspend(body.credentialId, reason)
            : body.action === 'unsuspend'
              ? await registry.unsuspend(body.credentialId, reason)
              : await registry.setStatusMessage(body.credentialId, body.value as number, reason)
      await services.statusLists.publish()
    } catch (error) {
      if (error instanceof TypeError) {
        return reply.code(400).send(errorBody('ERR_SERVER_BAD_REQUEST', error.message))
      }
      const p = problemOf(error)
      if (p === undefined) throw error
      return reply.code(p.code === 'ERR_REGISTRY_STORAGE' ? 503 : 422).send({ errors: [p] })
    }
    reply.log.info(
      {
        audit: 'status',
        credentialId: body.credentialId,
        action: body.action,
        ...('status' in result ? { status: result.status } : { value: result.value }),
      },
      'credential status changed',
    )
    return reply.code(200).send({ ...result, action: body.action })
  })
}
