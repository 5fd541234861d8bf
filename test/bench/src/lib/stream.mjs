/**
 * Streamed verification of a JSON-Lines file, one credential per line, never holding more than
 * one line: memory stays flat whatever the file size.
 *
 * @module
 */
import { createReadStream } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'

/**
 * Verifies the selected lines of `file` one after the other.
 *
 * @param {string} file
 * @param {{ select?: (n: number) => boolean, verify: (text: string) => Promise<boolean> }} options
 */
export async function verifyLines(file, { select = () => true, verify }) {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity })
  let n = -1
  let count = 0
  let verified = 0
  const start = performance.now()
  for await (const line of lines) {
    n += 1
    if (line.length === 0 || !select(n)) continue
    count += 1
    // The verifier's ingress takes the raw JSON text (byte and depth limits before parsing).
    if (await verify(line)) verified += 1
  }
  return { count, verified, ms: performance.now() - start }
}
