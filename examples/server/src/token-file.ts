/**
 * The generated write token file (`DATA_DIR/write-token`, mode 0600).
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { checkWriteToken } from './auth.js'

/** The token in `path`, checked, or undefined when there is no file (yet). */
async function readToken(path: string): Promise<string | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined
    throw error
  }
  // An empty file is one another instance has just created and not written yet.
  if (text === '') return undefined
  return checkWriteToken(text.trim(), path)
}

/**
 * The write token: `CERTIFY_WRITE_TOKEN`, else `DATA_DIR/write-token` (created on first start
 * with 32 random bytes, mode 0600; instances sharing DATA_DIR and starting together share the
 * first one written). Returns the token and, when created, the file's path.
 *
 * @throws {TypeError} for a token that is shorter than 16 characters or holds anything but
 *   visible ASCII (see `checkWriteToken`).
 */
export async function ensureWriteToken(
  dataDir: string,
  fromEnv: string,
): Promise<{ token: string; created?: string }> {
  if (fromEnv !== '') return { token: checkWriteToken(fromEnv, 'CERTIFY_WRITE_TOKEN') }
  const path = join(dataDir, 'write-token')
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const existing = await readToken(path)
  if (existing !== undefined) return { token: existing }
  const token = randomBytes(32).toString('base64url')
  let handle
  try {
    handle = await open(path, 'wx', 0o600)
  } catch (error) {
    // Another instance sharing DATA_DIR created it first: use that one.
    if ((error as { code?: string }).code === 'EEXIST') {
      for (let i = 0; i < 50; i++) {
        const theirs = await readToken(path).catch(() => undefined)
        if (theirs !== undefined) return { token: theirs }
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
    throw error
  }
  try {
    await handle.writeFile(token + '\n', 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  return { token, created: path }
}
