/**
 * Writing an output file so that a failure loses nothing: the data goes to a temporary file next
 * to the target, which is renamed over it only once complete. A reader (or a crash) sees the old
 * file or the new one, never half of one.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { describeFileError } from './usage.js'

/**
 * Replaces `path` with `data` atomically. `mode` (default 0644) is the new file's: 0600 for a
 * file that holds secrets.
 *
 * @throws {Error} naming the file and the reason when it cannot be written.
 */
export async function writeOutputFile(
  path: string,
  data: Uint8Array | string,
  mode = 0o644,
): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temporary, 'wx', mode)
    try {
      await handle.chmod(mode) // whatever the umask
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    throw new Error(`Cannot write ${path}: ${describeFileError(error)}.`, { cause: error })
  }
}
