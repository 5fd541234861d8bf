/**
 * `certify-vc status publish --out <dir> --key <file>` writes every signed status list
 * credential, one JSON file per list, ready to host at its URL; `certify-vc status show <id|file>`
 * prints a credential's status and history from the registry.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises'
import { relative, resolve } from 'node:path'
import { publishStatusLists } from '@certify-vc/issuer'
import { sanitize } from '../format.js'
import { EXIT, type CliIo } from '../io.js'
import { keyPathOption, loadKeyOption } from '../key-option.js'
import {
  DEFAULT_REGISTRY,
  DEFAULT_STATUS_BASE_URL,
  loadStatusSettings,
  withRegistry,
} from '../status-config.js'
import { UsageError, parseCommandArgs, reportError, required } from '../usage.js'
import { credentialIdOf } from './status-change.js'

/** `certify-vc status --help`. */
export const STATUS_HELP = `Usage: certify-vc status publish --out <dir> --key <file> [options]
       certify-vc status show <credential-id | credential file> [--registry <file>]

publish  Sign every status list in the registry as a BitstringStatusListCredential (VC 2.0,
         eddsa-rdfc-2022) and write one JSON file per list to <dir>, to be hosted at each list's
         URL: the URL recorded when the list's first credential was issued (what the
         credentials point to), never one recomputed from the configuration. Verifiers match
         lists by their id, so file names do not matter. Only lists that
         changed since the last publish into <dir> are re-signed, and those with less than half
         of their validity left (run it at least every --valid-days / 2); --all re-signs all.
show     Print a credential's current status and its history.

Options:
  -o, --out <dir>         Folder for the list files (publish; created if missing).
  -k, --key <file>        The issuer key file that signs the lists (publish).
      --registry <file|url>
                          Status registry: a SQLite file or a postgres:// URL (default:
                          "registry" in the config file, else ./${DEFAULT_REGISTRY}).
      --base-url <url>    publish: the base URL you expect the lists at; a list recorded under
                          another one is refused (ERR_REGISTRY_URL_MISMATCH, naming its URL)
                          and nothing is written. Without it, every list goes to its recorded
                          URL, and lists recorded before URLs were recorded go under
                          "statusBaseUrl" in the config file, else ${DEFAULT_STATUS_BASE_URL}.
      --valid-days <n>    How long a published list stays valid (default 7).
      --ttl-hours <n>     How long verifiers may cache a list (default 24).
      --all               Re-sign every list, changed or not (publish).
  -h, --help              Show this help.

Exit status: 0 done, 1 failure (registry, key, unknown credential), 2 usage error.
`

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number.`)
  return n
}

/** Runs `certify-vc status …`; returns the exit code. */
export async function status(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        key: { type: 'string', short: 'k' },
        registry: { type: 'string' },
        'base-url': { type: 'string' },
        'valid-days': { type: 'string' },
        'ttl-hours': { type: 'string' },
        all: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help === true) {
      io.stdout.write(STATUS_HELP)
      return EXIT.ok
    }
    const [sub, ...rest] = positionals
    const settings = await loadStatusSettings(
      { registry: values.registry, baseUrl: values['base-url'] },
      io,
    )
    if (sub === 'publish') {
      if (rest.length > 0) throw new UsageError('status publish takes no positional arguments.')
      const outDir = resolve(io.cwd, required(values.out, '--out'))
      const keyPath = keyPathOption(values.key, io)
      const validDays = positiveNumber(values['valid-days'], '--valid-days')
      const ttlHours = positiveNumber(values['ttl-hours'], '--ttl-hours')
      const key = await loadKeyOption(keyPath, values.key ?? '')
      await mkdir(outDir, { recursive: true })
      const lists = await withRegistry(settings, (registry) =>
        publishStatusLists({
          registry,
          key,
          // The recorded URLs decide; an explicit --base-url is checked against them, and the
          // configured one only serves lists recorded without a URL.
          ...(values['base-url'] === undefined
            ? { legacyBaseUrl: settings.baseUrl }
            : { baseUrl: settings.baseUrl }),
          outDir,
          incremental: values.all !== true,
          ...(validDays === undefined ? {} : { validForSeconds: Math.round(validDays * 86400) }),
          ...(ttlHours === undefined ? {} : { ttlSeconds: Math.round(ttlHours * 3600) }),
        }),
      )
      for (const list of lists) {
        const where =
          list.file === undefined ? '' : ` → ${relative(io.cwd, list.file) || list.file}`
        const kept = list.resigned ? '' : ' (unchanged)'
        io.stdout.write(`${list.purpose} list ${list.listNumber}: ${list.url}${where}${kept}\n`)
      }
      const resigned = lists.filter((l) => l.resigned).length
      io.stdout.write(
        `${resigned} status list(s) signed by ${key.did}, ${lists.length - resigned} unchanged.\n`,
      )
      return EXIT.ok
    }
    if (sub === 'show') {
      if (rest.length !== 1) throw new UsageError('status show takes one credential id or file.')
      const id = await credentialIdOf(rest[0] ?? '', io.cwd)
      const record = await withRegistry(settings, (registry) => registry.getCredentialStatus(id))
      io.stdout.write(
        `${sanitize(record.credentialId)}: ${record.status} (${record.program}, list ${record.listNumber}, index ${record.index})\n`,
      )
      for (const h of record.history) {
        io.stdout.write(
          `  ${h.at}  ${h.action}${h.reason === null ? '' : `: ${sanitize(h.reason)}`}\n`,
        )
      }
      return EXIT.ok
    }
    throw new UsageError(
      sub === undefined
        ? 'Name a subcommand: publish or show.'
        : `Unknown subcommand ${JSON.stringify(sub)}.`,
    )
  } catch (error) {
    return reportError('status', error, io)
  }
}
