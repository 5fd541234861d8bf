/**
 * One status change (revoke, suspend, unsuspend) of a credential this server issued, shared by
 * `POST /credentials/status` (W3C VC API) and `POST /certify/credentials/{id}/{action}`, and the
 * status message value of one (the VC API's `message` action): the registry changes, the changed
 * lists are signed before the reply, and an audit line is logged.
 *
 * @module
 */
import { problem, type Problem } from '@certify-vc/context'
import type { StatusChangeResult, StatusMessageChangeResult } from '@certify-vc/issuer'
import type { FastifyBaseLogger } from 'fastify'
import { problemOf } from '../errors.js'
import type { Services } from '../services.js'

/** The status actions. */
export const STATUS_ACTIONS = ['revoke', 'suspend', 'unsuspend'] as const
/** One of {@link STATUS_ACTIONS}. */
export type StatusAction = (typeof STATUS_ACTIONS)[number]

/** The outcome: 200 with the registry's result, or an error status with its problem. */
export type StatusChangeAnswer =
  | { readonly status: 200; readonly body: StatusChangeResult & { action: StatusAction } }
  | { readonly status: number; readonly body: { errors: Problem[] } }

/** 404 unless this server issued `credentialId` with a status it manages. */
async function managedOrNotFound(
  services: Services,
  credentialId: string,
): Promise<{ status: 404; body: { errors: Problem[] } } | undefined> {
  const record = await services.store.getIssued(credentialId)
  if (record !== undefined && record.managedStatus) return undefined
  return {
    status: 404,
    body: {
      errors: [
        problem('ERR_SERVER_NOT_FOUND', 'This server manages no status for that credential.'),
      ],
    },
  }
}

/** A registry failure as an answer: 400 for bad arguments, 503 for storage, else 422. */
function failureAnswer(error: unknown): { status: number; body: { errors: Problem[] } } {
  if (error instanceof TypeError) {
    return { status: 400, body: { errors: [problem('ERR_SERVER_BAD_REQUEST', error.message)] } }
  }
  const p = problemOf(error)
  if (p === undefined) throw error
  return { status: p.code === 'ERR_REGISTRY_STORAGE' ? 503 : 422, body: { errors: [p] } }
}

/** Changes the status of `credentialId`; `reason` defaults to "<action> via <via>". */
export async function changeStatus(
  services: Services,
  credentialId: string,
  action: StatusAction,
  reason: string | undefined,
  via: string,
  log: FastifyBaseLogger,
): Promise<StatusChangeAnswer> {
  const missing = await managedOrNotFound(services, credentialId)
  if (missing !== undefined) return missing
  const why = reason !== undefined && reason.trim() !== '' ? reason : `${action} via ${via}`
  const registry = services.registry
  let result: StatusChangeResult
  try {
    result =
      action === 'revoke'
        ? await registry.revoke(credentialId, why)
        : action === 'suspend'
          ? await registry.suspend(credentialId, why)
          : await registry.unsuspend(credentialId, why)
    await services.statusLists.publish()
  } catch (error) {
    return failureAnswer(error)
  }
  log.info(
    { audit: 'status', credentialId, action, status: result.status },
    'credential status changed',
  )
  return { status: 200, body: { ...result, action } }
}

/**
 * Sets the status message value (0–3) of `credentialId`, issued with a message entry
 * (`statusSize` 2); `reason` defaults to "message via <via>". A value out of range is a 400.
 */
export async function changeStatusMessage(
  services: Services,
  credentialId: string,
  value: unknown,
  reason: string | undefined,
  via: string,
  log: FastifyBaseLogger,
): Promise<
  | { readonly status: 200; readonly body: StatusMessageChangeResult & { action: 'message' } }
  | { readonly status: number; readonly body: { errors: Problem[] } }
> {
  const missing = await managedOrNotFound(services, credentialId)
  if (missing !== undefined) return missing
  const why = reason !== undefined && reason.trim() !== '' ? reason : `message via ${via}`
  let result: StatusMessageChangeResult
  try {
    result = await services.registry.setStatusMessage(credentialId, value as number, why)
    await services.statusLists.publish()
  } catch (error) {
    return failureAnswer(error)
  }
  log.info(
    { audit: 'status', credentialId, action: 'message', value: result.value },
    'credential status message changed',
  )
  return { status: 200, body: { ...result, action: 'message' } }
}
