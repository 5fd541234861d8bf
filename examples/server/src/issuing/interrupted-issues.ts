/**
 * Interrupted issues: an instance that dies between allocating a status index and recording the
 * signed credential leaves a pending claim and an `active` allocation nobody received. A retry
 * of the same request takes it over (see `idempotent-issue.ts`); when none comes within the
 * abandon time, this sweep marks the claim abandoned and voids its allocation in the registry
 * (status `void`, a history entry saying why, its revocation bit set when the list is
 * published), so that no index stays active unexplained. Every instance runs it; each step is
 * conditional, so running it twice at once does no harm.
 *
 * @module
 */
import { isCertifyError } from '@certify-vc/context'
import type { StatusRegistry } from '@certify-vc/issuer'
import type { CredentialStore } from '../storage/types.js'

/** The reason written into the registry's history of a voided allocation. */
export const INTERRUPTED_REASON = 'issue interrupted before delivery (no retry came)'

/** Options of {@link createIssueSweeper}. */
export interface IssueSweeperOptions {
  readonly store: CredentialStore
  readonly registry: StatusRegistry
  /** Claims pending longer than this are abandoned. */
  readonly abandonAfterSeconds: number
  /** Where failures to void are reported (the next sweep tries again). */
  readonly onError: (error: unknown) => void
  /** The clock, ms since the epoch. */
  readonly now?: () => number
}

/** What one sweep did. */
export interface SweepResult {
  abandoned: number
  voided: number
}

/** A sweeper: `sweep()` once, or `start(intervalMs)` / `stop()` on a timer. */
export interface IssueSweeper {
  sweep(): Promise<SweepResult>
  start(intervalMs: number): void
  stop(): void
}

/** Creates the sweep of abandoned issue claims. */
export function createIssueSweeper(options: IssueSweeperOptions): IssueSweeper {
  const { store, registry } = options
  const clock = options.now ?? Date.now
  let timer: NodeJS.Timeout | undefined
  let running: Promise<SweepResult> | undefined

  async function sweepOnce(): Promise<SweepResult> {
    const abandoned = await store.abandonStale(clock() - options.abandonAfterSeconds * 1000)
    let voided = 0
    // Also claims abandoned by an earlier sweep that could not void them.
    for (const claim of await store.abandonedToVoid(500)) {
      try {
        await registry.voidCredential(claim.credentialId, INTERRUPTED_REASON)
      } catch (error) {
        // Nothing allocated yet (NOT_FOUND) or no longer just allocated (TRANSITION): nothing
        // to void. Anything else is retried by the next sweep.
        const code = isCertifyError(error) ? error.code : undefined
        if (code !== 'ERR_REGISTRY_NOT_FOUND' && code !== 'ERR_REGISTRY_TRANSITION') {
          options.onError(error)
          continue
        }
      }
      await store.markVoided(claim.credentialId)
      voided++
    }
    return { abandoned: abandoned.length, voided }
  }

  function sweep(): Promise<SweepResult> {
    running ??= sweepOnce().finally(() => {
      running = undefined
    })
    return running
  }

  return {
    sweep,
    start(intervalMs) {
      if (timer !== undefined) return
      timer = setInterval(() => {
        sweep().catch(options.onError)
      }, intervalMs)
      timer.unref()
    },
    stop() {
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
    },
  }
}
