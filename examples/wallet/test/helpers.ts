/** Test helpers: an Institute (issuer key, status registry, published lists) and temp folders. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ProgramCode, SignedOpenBadgeCredential } from '@certify-vc/context'
import {
  generateIssuerKey,
  issueCredential,
  openSqliteRegistry,
  publishStatusLists,
  type IssuerKey,
  type StatusRegistry,
} from '@certify-vc/issuer'
import { createOfflineStatusListSource, type StatusCheckOptions } from '@certify-vc/verifier'

export const STATUS_BASE = 'https://production-ai.institute/status'

export function tempDir(prefix = 'certify-vc-wallet-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true })
}

/** The Institute as the tests need it: a key, a registry, and its current status lists. */
export interface TestInstitute {
  readonly key: IssuerKey
  readonly registry: StatusRegistry
  issue(
    program: ProgramCode,
    recipient: { did?: string; name?: string; email?: string },
    options?: { format?: 'vc2' | 'vc1.1'; suspension?: boolean; now?: Date; validFrom?: Date },
  ): Promise<SignedOpenBadgeCredential>
  /** The status option for the wallet / verifier: the lists as published right now, offline. */
  status(): Promise<StatusCheckOptions>
  close(): Promise<void>
}

export async function startInstitute(dir: string): Promise<TestInstitute> {
  const key = await generateIssuerKey()
  const registry = await openSqliteRegistry(join(dir, 'registry.sqlite'))
  return {
    key,
    registry,
    issue: (program, recipient, options = {}) =>
      issueCredential({
        program,
        key,
        recipient: { name: 'Ada Lovelace', ...recipient },
        ...(options.format === undefined ? {} : { format: options.format }),
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(options.validFrom === undefined ? {} : { validFrom: options.validFrom }),
        status: {
          registry,
          baseUrl: STATUS_BASE,
          ...(options.suspension === true ? { suspension: true } : {}),
        },
      }),
    async status() {
      const lists = await publishStatusLists({ registry, key, baseUrl: STATUS_BASE })
      return { source: createOfflineStatusListSource(lists.map((l) => l.credential)), cache: false }
    },
    close: () => registry.close(),
  }
}
