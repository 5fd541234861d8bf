/**
 * `certify-vc revoke | suspend | unsuspend <credential-id|file> --reason <text>`: changes a
 * credential's status in the registry. The change reaches verifiers with the next
 * `certify-vc status publish`.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { isPlainObject } from '@certify-vc/context'
import type { StatusRegistry } from '@certify-vc/issuer'
import { sanitize } from '../format.js'
import { EXIT, type CliIo, type Command } from '../io.js'
import { DEFAULT_REGISTRY, loadStatusSettings, withRegistry } from '../status-config.js'
import {
  UsageError,
  describeFileError,
  parseCommandArgs,
  reportError,
  required,
  systemErrorCode,
} from '../usage.js'

type Action = 'revoke' | 'suspend' | 'unsuspend'

const WHAT: Record<Action, string> = {
  revoke: 'Revoke a credential for good (revocation is final).',
  suspend:
    'Suspend a credential (for example while a renewal is pending); unsuspend reinstates it.',
  unsuspend: 'Reinstate a suspended credential.',
}

function help(action: Action): string {
  return `Usage: certify-vc ${action} <credential-id | credential file> --reason <text> [--registry <file>]

${WHAT[action]}
The change is written to the status registry before the command returns; verifiers see it once
the lists are republished with 'certify-vc status publish'. Repeating the command is harmless.

Options:
  -r, --reason <text>   Why (kept in the registry's history; required).
      --registry <file> Status registry (default: "registry" in the config file, else ./${DEFAULT_REGISTRY}).
  -h, --help            Show this help.

Exit status: 0 done (or already so), 1 unknown credential or change not allowed, 2 usage error.
`
}

/**
 * The credential id named by `target`: an existing file holding a credential (its `id`), else
 * the text itself when it looks like an IRI.
 */
export async function credentialIdOf(target: string, cwd: string): Promise<string> {
  let text: string | undefined
  try {
    text = await readFile(resolve(cwd, target), 'utf8')
  } catch (error) {
    const code = systemErrorCode(error)
    if (code !== 'ENOENT' && code !== 'ENAMETOOLONG') {
      throw new UsageError(`Cannot read ${target}: ${describeFileError(error)}.`, { cause: error })
    }
  }
  if (text !== undefined) {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      throw new UsageError(`${target} is not a JSON credential.`)
    }
    if (!isPlainObject(json) || typeof json.id !== 'string') {
      throw new UsageError(`${target} holds no credential "id".`)
    }
    return json.id
  }
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(target)) {
    throw new UsageError(`${target} is neither a credential file nor a credential id (urn:uuid:…).`)
  }
  return target
}

function statusChange(action: Action): Command {
  return async function run(argv: readonly string[], io: CliIo): Promise<number> {
    try {
      const { values, positionals } = parseCommandArgs({
        args: [...argv],
        allowPositionals: true,
        options: {
          reason: { type: 'string', short: 'r' },
          registry: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      })
      if (values.help === true) {
        io.stdout.write(help(action))
        return EXIT.ok
      }
      if (positionals.length !== 1) {
        throw new UsageError(`Name exactly one credential (its id or its file).`)
      }
      const reason = required(values.reason, '--reason')
      const id = await credentialIdOf(positionals[0] ?? '', io.cwd)
      const settings = await loadStatusSettings({ registry: values.registry }, io)
      const result = await withRegistry(settings, (registry: StatusRegistry) =>
        registry[action](id, reason),
      )
      const verb = { revoke: 'revoked', suspend: 'suspended', unsuspend: 'reinstated' }[action]
      io.stdout.write(
        result.changed
          ? `${sanitize(id)} ${verb} (was ${result.previous}, now ${result.status}).\n`
          : `${sanitize(id)} was already ${result.status}; nothing changed.\n`,
      )
      io.stdout.write(
        `Run 'certify-vc status publish --out <dir> --key <file>' so verifiers see it.\n`,
      )
      return EXIT.ok
    } catch (error) {
      return reportError(action, error, io)
    }
  }
}

export const revoke: Command = statusChange('revoke')
export const suspend: Command = statusChange('suspend')
export const unsuspend: Command = statusChange('unsuspend')
