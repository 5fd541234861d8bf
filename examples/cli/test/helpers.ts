/**
 * Test helpers: an in-memory {@link CliIo}, temp folders, and a key plus credentials made with the
 * libraries directly.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { ProgramCode } from '@certify-vc/context'
import {
  generateIssuerKey,
  issueCredential,
  saveIssuerKey,
  type IssuerKey,
} from '@certify-vc/issuer'
import type { CliIo } from '../src/io.js'

/** A fixed time after any credential issued by the tests. */
export const LATER = new Date(Date.now() + 24 * 3600 * 1000)

/** A {@link CliIo} whose output is collected in memory. */
export interface TestIo extends CliIo {
  /** Everything written to stdout so far. */
  out(): string
  /** Everything written to stderr so far. */
  err(): string
}

/** Options of {@link testIo}. */
export interface TestIoOptions {
  cwd: string
  /** The whole environment (nothing is inherited from the test process). */
  env?: Record<string, string>
  stdin?: string | Uint8Array
  /** Pretend stdout is a terminal. */
  tty?: boolean
}

export function testIo(options: TestIoOptions): TestIo {
  let out = ''
  let err = ''
  const input = options.stdin ?? ''
  return {
    stdout: {
      isTTY: options.tty === true,
      write(chunk: string) {
        out += chunk
        return true
      },
    },
    stderr: {
      write(chunk: string) {
        err += chunk
        return true
      },
    },
    stdin: Readable.from([typeof input === 'string' ? new TextEncoder().encode(input) : input]),
    env: options.env ?? {},
    cwd: options.cwd,
    out: () => out,
    err: () => err,
  }
}

/** A fresh folder under the OS temp dir; remove it with {@link removeTempDir}. */
export function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'certify-vc-cli-'))
}

export function removeTempDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true })
}

/** A key saved as `<dir>/<name>` (mode 0600). */
export async function savedKey(
  dir: string,
  name = 'issuer-key.json',
): Promise<{ key: IssuerKey; path: string }> {
  const key = await generateIssuerKey()
  const path = join(dir, name)
  await saveIssuerKey(path, key)
  return { key, path }
}

/** A signed credential for Ada Lovelace. */
export async function credentialFor(
  key: IssuerKey,
  program: ProgramCode = 'AIDA',
  format: 'vc2' | 'vc1.1' = 'vc2',
): Promise<Record<string, unknown>> {
  const credential = await issueCredential({
    program,
    recipient: {
      name: 'Ada Lovelace',
      did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    },
    key,
    format,
  })
  return credential as unknown as Record<string, unknown>
}

/** `credential` with its subject renamed, proof untouched. */
export function tampered(credential: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(credential)
  ;(copy.credentialSubject as Record<string, unknown>).name = 'Mallory Mallet'
  return copy
}

/** JSON text as the CLI writes it. */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`

/** True when `text` holds an ANSI escape sequence. */
// eslint-disable-next-line no-control-regex
export const hasAnsi = (text: string): boolean => /\u001b\[/.test(text)
