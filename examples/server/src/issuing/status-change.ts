/**
 * One status change (revoke, suspend, unsuspend) of a credential this server issued, shared by
 * `POST /credentials/status` (W3C VC API) and `POST /certify/credentials/{id}/{action}`: the
 * registry changes, the changed lists are signed before the reply, and an audit line is logged.
 *
 * @module
 */
import { problem, type Problem } from '@certify-vc/context'
import type { StatusChangeResult } from '@certify-vc/issuer'
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

/** Changes the status of `credentialId`; `reason` defaults to "<action> via <via>". */
export async function changeStatus(
  services: Services,
  credentialId: string,
  action: StatusAction,
  reason: string | undefined,
  via: string,
  log: FastifyBaseLogger,
): Promise<StatusChangeAnswer> {
  const record = await services.store.getIssued(credentialId)
  if (record === undefined || !record.managedStatus) {
    return {
      status: 404,
      body: {
        errors: [
          problem('ERR_SERVER_NOT_FOUND', 'This server manages no status for that credential.'),
        ],
      },
    }
  }
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
    if (error instanceof TypeError) {
      return { status: 400, body: { errors: [problem('ERR_SERVER_BAD_REQUEST', error.message)] } }
    }
    const p = problemOf(error)
    if (p === undefined) throw error
    return { status: p.code === 'ERR_REGISTRY_STORAGE' ? 503 : 422, body: { errors: [p] } }
  }
  log.info(
    { audit: 'status', credentialId, action, status: result.status },
    'credential status changed',
  )
  return { status: 200, body: { ...result, action } }
}
