/**
 * The W3C VC API routes: issue (one path per suite, plus the Institute's `/credentials/issue`
 * and `/status/credentials/issue`, the path the W3C Bitstring Status List suite's configuration
 * names), verify credentials and presentations, and status changes. Writes need the bearer
 * token. Verification is `@certify-vc/verifier`'s pipeline (see `services.ts`).
 *
 * @see https://w3c-ccg.github.io/vc-api/
 * @module
 */
import { randomUUID } from 'node:crypto'
import {
  CONTEXT_URLS,
  asArray,
  findProgramByAchievementId,
  hasType,
  idOf,
  isPlainObject,
  parseDateTimeStamp,
  problem,
  type Problem,
} from '@certify-vc/context'
import {
  deriveCredential,
  topLevelPointers,
  type JwtEncoding,
  type SuiteName,
} from '@certify-vc/core'
import { checkGenericCredential, signGenericCredential, type IssuerKey } from '@certify-vc/issuer'
import {
  PROFILE_NAMES,
  relatedResourceProblems,
  verifyCredential,
  type ProfileName,
} from '@certify-vc/verifier'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { EcdsaCurve } from '../ecdsa-keys.js'
import { errorBody, problemOf } from '../errors.js'
import {
  DEFAULT_ISSUE_LEASE_SECONDS,
  idempotencyKeyOf,
  issueOnce,
  type IssueContext,
  type IssueOutcome,
} from '../issuing/idempotent-issue.js'
import {
  STATUS_ACTIONS,
  changeStatus,
  changeStatusMessage,
  type StatusAction,
} from '../issuing/status-change.js'
import type { Services } from '../services.js'
import { jwtFormatOption, signEnveloped } from './jwt-format.js'
import { heldResource } from './related-resources.js'
import { verifyForApi, verifyPresentationForApi, type ApiVerifyOptions } from './verification.js'

const ISSUE_OPTIONS = new Set(['publicDirectory', 'suspension'])
const STATUS_ACTION_SET = new Set<string>([...STATUS_ACTIONS, 'message'])

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
  /** How long an issue attempt may take before a retry may take it over. Default 30 s. */
  leaseSeconds?: number
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
  request: FastifyRequest,
  route: IssueRoute,
  reply: FastifyReply,
  leaseSeconds: number,
): Promise<FastifyReply> {
  const body = request.body
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
  const jwt = jwtFormatOption(options.format)
  if (jwt === null || (jwt !== undefined && routeSuite !== undefined)) {
    return reply
      .code(400)
      .send(
        errorBody(
          'ERR_SERVER_BAD_REQUEST',
          '"options.format" must be "di", "vc+jwt" or "vc-jwt" (a JWT only on /credentials/issue).',
        ),
      )
  }
  for (const [name, value] of Object.entries(options)) {
    if (name === 'format') continue
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
  const idempotencyKey = idempotencyKeyOf(request.headers['idempotency-key'])
  if (typeof idempotencyKey === 'object') return reply.code(400).send({ errors: [idempotencyKey] })
  const input = body.credential
  // The data model and safe mode before anything else, so that bad input never uses the
  // registry (the status entry added later is of a shape that always passes).
  try {
    await checkGenericCredential(input, { documentLoader: services.documentLoader })
  } catch (error) {
    const p = problemOf(error)
    if (p === undefined) throw error
    return reply.code(422).send({ errors: [p] })
  }
  // A digest this server can check (a resource it holds) must match before anything is signed
  // or allocated; resources it does not hold are the issuer's word (VC 2.0 §5.3).
  const mismatched = (await relatedResourceProblems(input, heldResource)).filter(
    (p) => p.code === 'ERR_STRUCTURE_DIGEST_MISMATCH',
  )
  if (mismatched.length > 0) return reply.code(422).send({ errors: mismatched })
  const issuer = idOf(input.issuer)
  if (issuer !== key.did) {
    return reply
      .code(422)
      .send(
        errorBody('ERR_SERVER_ISSUER_MISMATCH', `This route signs only as ${key.did}.`, '/issuer'),
      )
  }
  const prepared: Record<string, unknown> = structuredClone(input)
  let contexts = asArray(prepared['@context']) as unknown[]
  const v1 = contexts[0] === CONTEXT_URLS.credentialsV1
  const suite: SuiteName = routeSuite ?? (v1 ? 'Ed25519Signature2020' : 'eddsa-rdfc-2022')
  if (suite === 'eddsa-jcs-2022' && hasType(prepared.type, 'OpenBadgeCredential')) {
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
  prepared['@context'] = contexts
  // The caller's id makes a retry of the same request idempotent; otherwise one is generated
  // when the request is claimed.
  const givenId = typeof prepared.id === 'string' ? prepared.id : undefined
  prepared.id ??= `urn:uuid:${randomUUID()}`

  const answer = await issueOnce(
    { store: services.store, leaseSeconds },
    {
      route: request.routeOptions.url ?? request.url,
      body,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      ...(givenId === undefined ? {} : { credentialId: givenId }),
    },
    (credentialId, context) =>
      signOnce(services, { ...structuredClone(prepared), id: credentialId }, context, {
        suite,
        v1,
        contexts,
        suspension: options.suspension === true,
        listed: options.publicDirectory === true,
        log: reply.log,
        key,
        ...(jwt === undefined ? {} : { jwt }),
        ...(route.messages === undefined ? {} : { messages: route.messages }),
        ...(mandatoryPointers === undefined ? {} : { mandatoryPointers }),
      }),
  )
  if (answer.status === 201) {
    const signed = answer.body.verifiableCredential as Record<string, unknown>
    // Audit trail: what was signed, never by whom (the token) nor the credential's content.
    reply.log.info(
      {
        audit: 'issue',
        credentialId: jwt === undefined ? signed.id : prepared.id,
        verificationMethod: key.verificationMethodId,
        suite: jwt ?? suite,
      },
      'credential issued',
    )
  }
  return reply
    .code(answer.status)
    .headers(answer.headers ?? {})
    .send(answer.body)
}

/** What {@link signOnce} needs besides the credential. */
interface SignPlan {
  readonly suite: SuiteName
  readonly v1: boolean
  readonly contexts: unknown[]
  readonly suspension: boolean
  readonly listed: boolean
  readonly log: FastifyReply['log']
  /** The key to sign with: the server's current key, or an ECDSA route's key. */
  readonly key: IssuerKey
  /** The messages of a message status entry (see {@link IssueRoute}); none without. */
  readonly messages?: readonly string[]
  /** Secure as a JWT (`options.format`) instead of a Data Integrity proof. */
  readonly jwt?: JwtEncoding
  /** ecdsa-sd-2023: the caller's mandatory pointers. */
  readonly mandatoryPointers?: readonly string[]
}

function refused(status: number, errors: Problem[], keepClaim = false): IssueOutcome {
  return { kind: 'refused', status, body: { errors }, keepClaim }
}

/**
 * The status index of the credential: allocated now, or, when an earlier attempt of the same
 * request died after allocating it (`context.resumed`), that allocation, reused: it was never
 * delivered, and it belongs to this very credential id.
 */
async function allocationFor(
  services: Services,
  credential: Record<string, unknown>,
  suspension: boolean,
  messages: boolean,
  context: IssueContext,
): Promise<{ listNumber: number; index: number } | Problem> {
  const credentialId = credential.id as string
  const subject = credential.credentialSubject
  const subjectId = isPlainObject(subject) ? subject.id : undefined
  try {
    return await services.registry.allocateStatus({
      credentialId,
      program: programOf(credential),
      recipient:
        typeof subjectId === 'string' && subjectId.startsWith('did:') ? { did: subjectId } : {},
      suspension,
      messages,
      // Recorded with the list: the list is always published exactly where this points.
      statusBaseUrl: services.statusLists.baseUrl,
    })
  } catch (error) {
    const p = problemOf(error)
    if (p === undefined) throw error
    if (p.code !== 'ERR_ISSUE_INVALID_INPUT' || !context.resumed) return p
    const earlier = await services.registry.getCredentialStatus(credentialId)
    if (earlier.status === 'active' && earlier.suspension === suspension) return earlier
    return problem(
      'ERR_ISSUE_INTERRUPTED',
      'An earlier attempt of this request was interrupted and its status index voided; send it again with a new id.',
    )
  }
}

/** Allocates (when the server manages the status), signs and self-checks one credential. */
async function signOnce(
  services: Services,
  credential: Record<string, unknown>,
  context: IssueContext,
  plan: SignPlan,
): Promise<IssueOutcome> {
  const credentialId = credential.id as string
  if ((await services.store.getIssued(credentialId)) !== undefined) {
    // Issued before issue requests were recorded: the id is taken.
    return refused(422, [
      problem('ERR_ISSUE_INVALID_INPUT', 'A credential with this id was issued already.', '/id'),
    ])
  }
  // VC 2.0 defines BitstringStatusListEntry in its base context. VC 1.1 needs the status context,
  // which generic VC 1.1 clients may not have: there the entry is added for Open Badges (the
  // Institute's VC 1.1 format) and on request (`suspension`) only.
  // Status lists are signed as the server's DID, so only credentials issued as that DID (every
  // key with did:web; the ECDSA keys are DIDs of their own with did:key) get a managed status.
  const key = plan.key
  const managedStatus =
    key.did === services.did &&
    credential.credentialStatus === undefined &&
    (!plan.v1 || plan.suspension || hasType(credential.type, 'OpenBadgeCredential'))
  if (managedStatus) {
    if (plan.v1) {
      credential['@context'] = withContext(plan.contexts, CONTEXT_URLS.bitstringStatusListV1)
    }
    const allocation = await allocationFor(
      services,
      credential,
      plan.suspension,
      plan.messages !== undefined,
      context,
    )
    if ('code' in allocation) {
      return refused(allocation.code === 'ERR_ISSUE_INTERRUPTED' ? 409 : 422, [allocation])
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
              statusMessage: (plan.messages ?? []).map((message, value) => ({
                status: `0x${value.toString(16)}`,
                message,
              })),
            }
          : {}),
      }
    }
    const entries = [entry('revocation')]
    if (plan.suspension) entries.push(entry('suspension'))
    if (plan.messages !== undefined) entries.push(entry('message'))
    credential.credentialStatus = entries.length === 1 ? entries[0] : entries
  }
  /** Voids the allocation of a credential that will not be issued; false when that failed. */
  const voided = async (reason: string): Promise<boolean> =>
    !managedStatus ||
    (await services.registry.voidCredential(credentialId, reason).then(
      () => true,
      () => false,
    ))
  let signed: Record<string, unknown>
  try {
    signed =
      plan.jwt !== undefined
        ? await signEnveloped(credential, key, plan.jwt, services.documentLoader)
        : await signGenericCredential(credential, {
            key,
            suite: plan.suite,
            documentLoader: services.documentLoader,
            ...(plan.suite === 'ecdsa-sd-2023'
              ? { mandatoryPointers: [...(plan.mandatoryPointers ?? [])] }
              : {}),
          })
  } catch (error) {
    const kept = !(await voided('signing failed'))
    const p = problemOf(error)
    if (p === undefined) throw error
    return refused(422, [p], kept)
  }
  // Never release what does not verify (a credential that fails for every verifier once
  // delivered): check the new proof and its key against the DID document verifiers will
  // resolve, with the verifier every door uses. (Dates and status are the credential's own
  // business: the VC API issues a validUntil in the past when asked, VC 2.0 §4.9.) A base proof
  // (ecdsa-sd-2023) is the holder's: what is checked is a credential derived from it that
  // discloses everything.
  const checked =
    plan.suite === 'ecdsa-sd-2023'
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
    const kept = !(await voided('self-check failed'))
    plan.log.error(
      { credentialId, problems: unsound },
      'a freshly signed credential did not verify',
    )
    return refused(
      422,
      [
        problem(
          'ERR_ISSUE_SIGNING_FAILED',
          'The signed credential did not verify; nothing was issued.',
        ),
      ],
      kept,
    )
  }
  const until = parseDateTimeStamp(plan.v1 ? credential.expirationDate : credential.validUntil)
  return {
    kind: 'issued',
    signed,
    listed: plan.listed,
    record: {
      credentialId,
      verificationMethod: key.verificationMethodId,
      issuedAt: new Date().toISOString(),
      validUntil: until === undefined ? null : until.toISOString(),
      managedStatus,
    },
  }
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
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_ISSUE_LEASE_SECONDS
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
      return issue(services, request, route, reply, leaseSeconds)
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
    const result = await verifyForApi(services, body.verifiableCredential, opts)
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
    const result = await verifyPresentationForApi(services, body.verifiablePresentation, opts)
    return reply.code(result.verified ? 200 : 422).send(result)
  })

  app.post('/credentials/status', async (request, reply) => {
    if (!authorize(request, reply, 'status')) return reply
    const body = request.body
    if (
      !isPlainObject(body) ||
      typeof body.credentialId !== 'string' ||
      typeof body.action !== 'string' ||
      !STATUS_ACTION_SET.has(body.action) ||
      (body.reason !== undefined && typeof body.reason !== 'string') ||
      (body.action === 'message') !== (body.value !== undefined)
    ) {
      return reply
        .code(400)
        .send(
          errorBody(
            'ERR_SERVER_BAD_REQUEST',
            'The body must be {"credentialId": "...", "action": "revoke" | "suspend" | "unsuspend" | "message", "value"?: 0-3 (with "message" only), "reason"?: "..."}.',
          ),
        )
    }
    const reason = typeof body.reason === 'string' ? body.reason : undefined
    const answer =
      body.action === 'message'
        ? await changeStatusMessage(
            services,
            body.credentialId,
            body.value,
            reason,
            'the VC API',
            reply.log,
          )
        : await changeStatus(
            services,
            body.credentialId,
            body.action as StatusAction,
            reason,
            'the VC API',
            reply.log,
          )
    return reply.code(answer.status).send(answer.body)
  })
}

/** The program code to record for a credential: the catalog's for our achievements, else VC. */
export function programOf(doc: Record<string, unknown>): string {
  const subject = doc.credentialSubject
  const achievement = isPlainObject(subject) ? subject.achievement : undefined
  const id = isPlainObject(achievement) ? achievement.id : undefined
  if (typeof id === 'string') {
    const program = findProgramByAchievementId(id)
    if (program !== undefined) return program.code
  }
  return 'VC'
}
