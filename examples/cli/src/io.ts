/**
 * The streams, environment and working directory a command runs with. Commands take a
 * {@link CliIo} instead of touching `process`, so tests run them in-process.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'

/** Somewhere to write text: `process.stdout`, `process.stderr`, or a test buffer. */
export interface OutputStream {
  write(chunk: string): unknown
  /** `true` when the stream is a terminal (colour is only used then). */
  readonly isTTY?: boolean
}

/** What a command may use of its process. */
export interface CliIo {
  readonly stdout: OutputStream
  readonly stderr: OutputStream
  /** Read by `verify -` only. */
  readonly stdin: AsyncIterable<Uint8Array | string>
  readonly env: Readonly<Record<string, string | undefined>>
  /** The directory relative paths are resolved against. */
  readonly cwd: string
}

/** A command: parses its own arguments and returns the exit code. Never calls `process.exit`. */
export type Command = (argv: readonly string[], io: CliIo) => Promise<number>

/** Exit codes shared by every command. */
export const EXIT = {
  /** Done; for `verify`: the credential is verified. */
  ok: 0,
  /** The operation failed; for `verify`: the credential is not verified. */
  failed: 1,
  /** Usage error (bad flags or arguments) or unreadable input. */
  usage: 2,
} as const

/** The {@link CliIo} of the running process. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Lazy: process.stdin is only touched (and opened) when a command reads it.
    stdin: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() },
    env: process.env,
    cwd: process.cwd(),
  }
}

/** This package's version, read from its `package.json` (one level above `src/` and `dist/`). */
export async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../package.json', import.meta.url), 'utf8')
  const { version } = JSON.parse(text) as { version?: unknown }
  return typeof version === 'string' ? version : '0.0.0'
}
