/**
 * The generated write token file (`DATA_DIR/write-token`, mode 0600).
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * The write token: `CERTIFY_WRITE_TOKEN`, else `DATA_DIR/write-token` (created on first start
 * with 32 random bytes, mode 0600). Returns the token and, when created, the file's path.
 */
export async function ensureWriteToken(
  dataDir: string,
  fromEnv: string,
): Promise<{ token: string; created?: string }> {
  if (fromEnv !== '') return { token: fromEnv }
  const path = join(dataDir, 'write-token')
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  try {
    const token = (await readFile(path, 'utf8')).trim()
    if (token.length < 16) throw new Error(`${path} holds no usable token (16+ characters).`)
    return { token }
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error
  }
  const token = randomBytes(32).toString('base64url')
  const handle = await open(path, 'wx', 0o600)
  try {
    await handle.writeFile(token + '\n', 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  return { token, created: path }
}
