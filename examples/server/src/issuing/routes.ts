/**
 * The Institute's own issuing routes (bearer token, like every write):
 *
 * - `POST /certify/credentials` `{ program, recipient: { name?, did?, email? }, format?,
 *   validFrom?, suspension?, publicDirectory? }`: an AIDA / CAAE / AIMA credential built from the
 *   catalog by `issueCredential`, recorded in the registry with its status entries under this
 *   server's `/status/…` → `201 { verifiableCredential }`. Idempotent with `Idempotency-Key`
 *   (see `idempotent-issue.ts`).
 * - `POST /certify/credentials/{id}/revoke|suspend|unsuspend` `{ reason? }` → the registry's
 *   result, lists re-signed before the reply (as `POST /credentials/status`).
 * - `POST /certify/credentials/{id}/publish|unpublish` (no body): lists or unlists the credential
 *   on its shared page and in the public directory, on the learner's request (publishing.ts).
 * - `GET /credentials/{id}` (W3C VC API): the credential as issued, from any instance.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import {
  isCertifyError,
  isPlainObject,
  parseDateTimeStamp,
  problem,
  type Problem,
} from '@certify-vc/context'
import { buildCredential, issueCredential, type Recipient } from '@certify-vc/issuer'
import { verifyCredential } from '@certify-vc/verifier'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { problemOf } from '../errors.js'
import { methodNotAllowed, sendError, type RouteIndex } from '../hardening/http-errors.js'
import type { Services } from '../services.js'
import {
  idempotencyKeyOf,
  issueOnce,
  type IssueContext,
  type IssueOutcome,
} from './idempotent-issue.js'
import { PUBLISH_ACTIONS, publishAction, type PublishAction } from './publishing.js'
import { STATUS_ACTIONS, changeStatus, type StatusAction } from './status-change.js'

/** Where program credentials are issued. */
export const PROGRAM_ISSUE_PATH = '/certify/credentials'

const MEMBERS = new Set([
  'program',
  'recipient',
  'format',
  'validFrom',
  'suspension',
  'publicDirectory',
])
const RECIPIENT_MEMBERS = new Set(['name', 'did', 'email'])

/** Options of {@link registerIssuingRoutes}. */
export interface IssuingRoutesOptions {
  readonly services: Services
  readonly leaseSeconds: number
  /** The registered routes, for 405 on `GET /credentials/issue` and the like. */
  readonly routes: RouteIndex
}

/** A program issue request, checked. */
export interface ProgramRequest {
  readonly program: string
  readonly recipient: Recipient
  readonly format: 'vc2' | 'vc1.1'
  readonly validFrom?: Date
  readonly suspension: boolean
  readonly listed: boolean
}

function badRequest(message: string, path?: string): Problem {
  return problem('ERR_SERVER_BAD_REQUEST', message, path)
}

/** Checks the body's shape; the issuer package checks the values (program, recipient). */
function programRequestOf(body: unknown): ProgramRequest | Problem {
  if (!isPlainObject(body)) return badRequest('The body must be an object.')
  const unknown = Object.keys(body).find((k) => !MEMBERS.has(k))
  if (unknown !== undefined) return badRequest(`Unknown member "${unknown}".`, `/${unknown}`)
  if (typeof body.program !== 'string') return badRequest('"program" must be a string.', '/program')
  const recipient = body.recipient
  if (!isPlainObject(recipient)) return badRequest('"recipient" must be an object.', '/recipient')
  for (const [name, value] of Object.entries(recipient)) {
    if (!RECIPIENT_MEMBERS.has(name) || typeof value !== 'string') {
      return badRequest('"recipient" takes name, did and email, as strings.', `/recipient/${name}`)
    }
  }
  const format = body.format ?? 'vc2'
  if (format !== 'vc2' && format !== 'vc1.1') {
    return badRequest('"format" must be "vc2" or "vc1.1".', '/format')
  }
  let validFrom: Date | undefined
  if (body.validFrom !== undefined) {
    validFrom = parseDateTimeStamp(body.validFrom)
    if (validFrom === undefined) {
      return badRequest('"validFrom" must be a date-time with a time zone.', '/validFrom')
    }
  }
  for (const name of ['suspension', 'publicDirectory'] as const) {
    if (body[name] !== undefined && typeof body[name] !== 'boolean') {
      return badRequest(`"${name}" must be a boolean.`, `/${name}`)
    }
  }
  return {
    program: body.program,
    recipient: recipient,
    format,
    ...(validFrom === undefined ? {} : { validFrom }),
    suspension: body.suspension === true,
    listed: body.publicDirectory === true,
  }
}

function refused(status: number, errors: Problem[], keepClaim = false): IssueOutcome {
  return { kind: 'refused', status, body: { errors }, keepClaim }
}

/** Issues one program credential for `credentialId` (a new one when resuming). */
export async function issueProgram(
  services: Services,
  request: ProgramRequest,
  givenId: string,
  context: IssueContext,
): Promise<IssueOutcome> {
  let credentialId = givenId
  if (context.resumed) {
    // An earlier attempt died, maybe after `issueCredential` allocated an index for this id
    // (it allocates for the id it is given, so that index cannot be handed to it again): void
    // that allocation, undelivered, and issue under a new id.
    try {
      await services.registry.voidCredential(credentialId, 'retried after an interrupted attempt')
    } catch (error) {
      const code = isCertifyError(error) ? error.code : undefined
      if (code !== 'ERR_REGISTRY_NOT_FOUND' && code !== 'ERR_REGISTRY_TRANSITION') {
        const p = problemOf(error)
        if (p === undefined) throw error
        return refused(503, [p], true)
      }
    }
    credentialId = `urn:uuid:${randomUUID()}`
    if (!(await context.reassign(credentialId))) {
      return refused(409, [
        problem('ERR_ISSUE_IN_PROGRESS', 'Another attempt took this request over; retry.'),
      ])
    }
  }
  const key = services.ring.current.key
  let signed: Record<string, unknown>
  try {
    signed = (await issueCredential({
      program: request.program,
      recipient: request.recipient,
      key,
      format: request.format,
      id: credentialId,
      ...(request.validFrom === undefined ? {} : { validFrom: request.validFrom }),
      documentLoader: services.documentLoader,
      status: {
        registry: services.registry,
        baseUrl: services.statusLists.baseUrl,
        suspension: request.suspension,
      },
    })) as unknown as Record<string, unknown>
  } catch (error) {
    const p = problemOf(error)
    if (p === undefined) throw error
    // A registry failure may leave an allocation behind: the claim stays for the sweep.
    return refused(
      p.code === 'ERR_REGISTRY_STORAGE' ? 503 : 422,
      [p],
      p.code === 'ERR_REGISTRY_STORAGE',
    )
  }
  // Never release what does not verify: a credential signed from bad input or with a key its
  // DID document does not list would be delivered and then fail for every verifier. The full
  // pipeline, but the status (its list may not be signed yet), against that DID document.
  const check = await verifyCredential(signed, {
    trustedIssuers: [services.did],
    didResolver: services.didResolver,
    documentLoader: services.documentLoader,
    status: false,
  })
  if (!check.verified) {
    const kept = await services.registry.voidCredential(credentialId, 'self-check failed').then(
      () => false,
      () => true,
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
  const until = parseDateTimeStamp(
    request.format === 'vc1.1' ? signed.expirationDate : signed.validUntil,
  )
  return {
    kind: 'issued',
    signed,
    listed: request.listed,
    record: {
      credentialId,
      verificationMethod: key.verificationMethodId,
      issuedAt: new Date().toISOString(),
      validUntil: until === undefined ? null : until.toISOString(),
      managedStatus: true,
    },
  }
}

/** Registers the program issuing, status and read-back routes. */
export function registerIssuingRoutes(app: FastifyInstance, options: IssuingRoutesOptions): void {
  const { services, leaseSeconds, routes } = options

  app.post(PROGRAM_ISSUE_PATH, async (request, reply) => {
    const checked = programRequestOf(request.body)
    if ('code' in checked) return reply.code(400).send({ errors: [checked] })
    const idempotencyKey = idempotencyKeyOf(request.headers['idempotency-key'])
    if (typeof idempotencyKey === 'object')
      return reply.code(400).send({ errors: [idempotencyKey] })
    // Program, recipient and dates are checked before anything is claimed or allocated.
    try {
      buildCredential({
        program: checked.program,
        recipient: checked.recipient,
        issuerDid: services.did,
        format: checked.format,
        ...(checked.validFrom === undefined ? {} : { validFrom: checked.validFrom }),
      })
    } catch (error) {
      const p = problemOf(error)
      if (p !== undefined) return reply.code(422).send({ errors: [p] })
      if (error instanceof TypeError) {
        return reply.code(400).send({ errors: [badRequest(error.message)] })
      }
      throw error
    }
    const answer = await issueOnce(
      { store: services.store, leaseSeconds },
      {
        route: PROGRAM_ISSUE_PATH,
        body: request.body,
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      },
      (credentialId, context) => issueProgram(services, checked, credentialId, context),
    )
    if (answer.status === 201) {
      const signed = answer.body.verifiableCredential as Record<string, unknown>
      // Audit trail: what was signed, never by whom (the token) nor the learner's data.
      reply.log.info(
        { audit: 'issue', credentialId: signed.id, program: checked.program },
        'credential issued',
      )
    }
    return reply
      .code(answer.status)
      .headers(answer.headers ?? {})
      .send(answer.body)
  })

  app.post<{ Params: { id: string; action: string } }>(
    `${PROGRAM_ISSUE_PATH}/:id/:action`,
    async (request, reply) => {
      const { id, action } = request.params
      const body: unknown = request.body ?? {}
      if ((PUBLISH_ACTIONS as readonly string[]).includes(action)) {
        if (!isPlainObject(body) || Object.keys(body).length > 0) {
          return reply.code(400).send({ errors: [badRequest('The body must be empty.')] })
        }
        const answer = await publishAction(services, id, action as PublishAction, reply.log)
        return reply.code(answer.status).send(answer.body)
      }
      if (!(STATUS_ACTIONS as readonly string[]).includes(action)) {
        return sendError(request, reply, 404, 'ERR_SERVER_NOT_FOUND', 'Not found.')
      }
      if (
        !isPlainObject(body) ||
        Object.keys(body).some((k) => k !== 'reason') ||
        (body.reason !== undefined && typeof body.reason !== 'string')
      ) {
        return reply
          .code(400)
          .send({ errors: [badRequest('The body must be {"reason"?: "..."}.')] })
      }
      const answer = await changeStatus(
        services,
        id,
        action as StatusAction,
        body.reason,
        PROGRAM_ISSUE_PATH,
        reply.log,
      )
      return reply.code(answer.status).send(answer.body)
    },
  )

  app.get<{ Params: { id: string } }>('/credentials/:id', async (request, reply) => {
    // Credential ids are absolute IRIs: `issue`, `verify`, `status` are other routes' paths.
    if (!request.params.id.includes(':')) return notFound(request, reply, routes)
    const signed = await services.store.getCredential(request.params.id)
    if (signed !== undefined) {
      return reply.header('cache-control', 'no-store').type('application/json').send(signed)
    }
    return notFound(request, reply, routes)
  })
}

/** 404, or 405 when another route owns the path (`GET /credentials/verify`). */
function notFound(request: FastifyRequest, reply: FastifyReply, routes: RouteIndex): FastifyReply {
  const path = (request.raw.url ?? '').split('?')[0] ?? ''
  const others = routes.methodsFor(path, '/credentials/:id')
  if (others.length > 0) return methodNotAllowed(request, reply, others)
  return sendError(
    request,
    reply,
    404,
    'ERR_SERVER_NOT_FOUND',
    'No credential with this id was issued here.',
  )
}
