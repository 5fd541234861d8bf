/**
 * The offline folder source: status list credentials read from `*.json` files in a directory
 * and matched by their `id`, whatever the file names (`certify-vc verify --status-dir`).
 * Node-only.
 *
 * @module
 */
import { readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { isPlainObject } from '@certify-vc/context'
import type { StatusListSource, StatusListSourceGetOptions } from '../status/source.js'

/** Options of {@link createDirectoryStatusListSource}. */
export interface DirectoryStatusListSourceOptions {
  /** Files larger than this are ignored, in bytes. Default 4 MiB. */
  readonly maxFileBytes?: number
}

/**
 * A source that reads status list credentials from the `*.json` files of `directory` (not its
 * subdirectories) and serves the one whose `id` is the requested URL. The folder is read again
 * on every `get`, so lists written later are seen (the verifier's cache avoids repeated reads).
 * Files that are not JSON objects are ignored; two different files with the same `id` make that
 * URL fail (the source does not pick one). Node-only.
 *
 * @example
 * import { createDirectoryStatusListSource, verifyCredential } from '@certify-vc/verifier'
 * const source = createDirectoryStatusListSource('./status-lists')
 * await verifyCredential(credential, { trustedIssuers, status: { source } })
 *
 * @throws {TypeError} for a malformed directory or options.
 */
export function createDirectoryStatusListSource(
  directory: string,
  options: DirectoryStatusListSourceOptions = {},
): StatusListSource {
  if (typeof directory !== 'string' || directory === '') {
    throw new TypeError('"directory" must be a path.')
  }
  const maxFileBytes = options.maxFileBytes ?? 4 * 1024 * 1024
  if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1) {
    throw new TypeError('"maxFileBytes" must be a positive integer.')
  }
  return {
    async get(url: string, getOptions: StatusListSourceGetOptions = {}): Promise<unknown> {
      getOptions.signal?.throwIfAborted()
      const names = (await readdir(directory)).filter((n) => n.endsWith('.json')).sort()
      const matches = new Map<string, { file: string; document: unknown }>()
      for (const name of names) {
        getOptions.signal?.throwIfAborted()
        const file = join(directory, name)
        const info = await stat(file).catch(() => undefined)
        if (info === undefined || !info.isFile() || info.size > maxFileBytes) continue
        let document: unknown
        try {
          document = JSON.parse(await readFile(file, 'utf8')) as unknown
        } catch {
          continue
        }
        if (isPlainObject(document) && document.id === url) {
          matches.set(JSON.stringify(document), { file: name, document })
        }
      }
      const found = [...matches.values()]
      if (found.length > 1) {
        throw new Error(
          `Several different files in ${directory} claim the id ${url}: ${found.map((f) => f.file).join(', ')}.`,
        )
      }
      if (found[0] === undefined) {
        throw new Error(`No status list with the id ${url} in ${directory}.`)
      }
      return found[0].document
    },
  }
}
