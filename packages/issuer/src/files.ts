/**
 * Atomic file replacement (internal): write a temporary file in the same directory, flush it,
 * rename it over the target, flush the directory. Readers see the old file or the new one,
 * never a half-written one.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Replaces `path` with `text` atomically. Errors propagate (the temporary file is removed).
 * `syncDirectory: false` leaves the directory flush to the caller (a batch writing many files
 * into one directory flushes it once).
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  options: { readonly mode?: number; readonly syncDirectory?: boolean } = {},
): Promise<void> {
  const { mode = 0o644 } = options
  const directory = dirname(path)
  const temporary = join(directory, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`)
  try {
    const handle = await open(temporary, 'wx', mode)
    try {
      await handle.writeFile(text, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    throw error
  }
  if (options.syncDirectory !== false) await syncDirectory(directory)
}

/** Flushes a directory entry change (best effort: not every file system can). */
export async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return
  try {
    const handle = await open(directory, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Some file systems cannot fsync a directory.
  }
}
