/**
 * Reading the credential to verify from a file or stdin, never more than the verifier's byte
 * limit plus one byte (enough for it to report `ERR_INPUT_TOO_LARGE` without reading a huge file).
 *
 * @module
 */
import { open } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { CliIo } from './io.js'
import { UsageError, describeFileError } from './usage.js'

/** Reads at most `limit` bytes from `stdin`. */
export async function readStdin(stdin: CliIo['stdin'], limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk
    chunks.push(bytes.subarray(0, limit - total))
    total += Math.min(bytes.byteLength, limit - total)
    if (total >= limit) break
  }
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

/** Reads at most `limit` bytes of the regular file at `path`. */
export async function readFileLimited(path: string, limit: number): Promise<Uint8Array> {
  const handle = await open(path, 'r')
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' })
    const buffer = new Uint8Array(Math.min(limit, stat.size === 0 ? limit : stat.size + 1))
    let total = 0
    while (total < buffer.byteLength) {
      const { bytesRead } = await handle.read(buffer, total, buffer.byteLength - total, null)
      if (bytesRead === 0) break
      total += bytesRead
    }
    return buffer.subarray(0, total)
  } finally {
    await handle.close()
  }
}

/**
 * The bytes of the credential named on the command line: a path relative to `cwd`, or `-` for
 * stdin.
 *
 * @throws {UsageError} when the file cannot be read (missing, a directory, no permission).
 */
export async function readCredentialInput(
  source: string,
  io: Pick<CliIo, 'stdin' | 'cwd'>,
  limit: number,
): Promise<Uint8Array> {
  if (source === '-') return readStdin(io.stdin, limit)
  try {
    return await readFileLimited(resolve(io.cwd, source), limit)
  } catch (error) {
    throw new UsageError(`Cannot read ${source}: ${describeFileError(error)}.`, { cause: error })
  }
}
