/**
 * `certify-vc-jose-cose`: the command the W3C vc-jose-cose test suite runs (through its Docker
 * call, which the harness maps to this program):
 *
 *   issue|verify --input FILE --key FILE --feature FEATURE [--sd JSON] --output FILE
 *
 * It writes `{"result": "success" | "failure" | "indeterminate", "data": "…"}` to the output
 * file. Every issued token is verified again before it is reported as a success (the suite never
 * checks what an issuer returns).
 *
 * @module
 */
import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { JwtDocumentKind } from '@certify-vc/core'
import {
  checkDocument,
  issueCose,
  issueJose,
  issueSdJwt,
  verifyCose,
  verifyJoseCredential,
  verifyJosePresentation,
  verifySdJwt,
  type Outcome,
} from './formats.js'
import { readSuiteKey, type SuiteKey } from './keys.js'

const FEATURES = {
  credential_jose: ['credential', 'jose'],
  presentation_jose: ['presentation', 'jose'],
  credential_sdjwt: ['credential', 'sdjwt'],
  presentation_sdjwt: ['presentation', 'sdjwt'],
  credential_cose: ['credential', 'cose'],
  presentation_cose: ['presentation', 'cose'],
} as const satisfies Record<string, readonly [JwtDocumentKind, string]>

const MAX_INPUT_BYTES = 1024 * 1024

/** What the adapter needs of its process: the folder paths are read against, and stderr. */
export interface AdapterIo {
  readonly cwd: string
  readonly stderr: { write(chunk: string): unknown }
}

async function verify(
  text: string,
  key: SuiteKey,
  kind: JwtDocumentKind,
  format: string,
): Promise<Outcome> {
  if (text.startsWith('{')) {
    return { result: 'failure', data: 'ERR_PROOF_MISSING: an unsecured document (plain JSON).' }
  }
  if (format === 'cose') return verifyCose(text, key, kind)
  if (format === 'sdjwt') return verifySdJwt(text, key, kind)
  return kind === 'credential' ? verifyJoseCredential(text, key) : verifyJosePresentation(text, key)
}

async function issue(
  text: string,
  key: SuiteKey,
  kind: JwtDocumentKind,
  format: string,
  sd: readonly string[],
): Promise<Outcome> {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    return { result: 'failure', data: 'ERR_INPUT_NOT_JSON' }
  }
  const refused = checkDocument(doc, kind)
  if (refused !== undefined)
    return { result: 'failure', data: `ERR_ISSUE_INVALID_INPUT: ${refused}` }
  const d = doc as Record<string, unknown>
  const data =
    format === 'cose'
      ? issueCose(d, key, kind)
      : format === 'sdjwt'
        ? await issueSdJwt(d, key, kind, sd)
        : await issueJose(d, key, kind)
  // Self-check: what is issued must verify with the same key.
  const check = await verify(data, key, kind, format)
  return check.result === 'success'
    ? { result: 'success', data }
    : { result: 'failure', data: `issued, but it does not verify: ${check.data}` }
}

/** Runs the adapter; returns the exit code (0 once an output file is written). */
export async function runJoseCose(argv: readonly string[], io: AdapterIo): Promise<number> {
  const [command, ...rest] = argv
  const { values } = parseArgs({
    args: rest,
    options: {
      input: { type: 'string' },
      key: { type: 'string' },
      feature: { type: 'string' },
      sd: { type: 'string' },
      output: { type: 'string' },
    },
  })
  if (
    (command !== 'issue' && command !== 'verify') ||
    !values.input ||
    !values.key ||
    !values.output
  ) {
    io.stderr.write(
      'usage: certify-vc-jose-cose issue|verify --input FILE --key FILE --feature F [--sd JSON] --output FILE\n',
    )
    return 2
  }
  const feature = FEATURES[values.feature as keyof typeof FEATURES] as
    readonly [JwtDocumentKind, string] | undefined
  let outcome: Outcome
  if (feature === undefined) {
    outcome = { result: 'indeterminate', data: `unknown feature ${String(values.feature)}` }
  } else {
    try {
      const key = readSuiteKey(JSON.parse(await readFile(resolve(io.cwd, values.key), 'utf8')))
      const input = await readFile(resolve(io.cwd, values.input))
      if (input.length > MAX_INPUT_BYTES) throw new TypeError('The input is too large.')
      const text = input.toString('utf8').trim()
      const sd = values.sd === undefined ? [] : (JSON.parse(values.sd) as string[])
      outcome =
        command === 'issue'
          ? await issue(text, key, feature[0], feature[1], sd)
          : await verify(text, key, feature[0], feature[1])
    } catch (error) {
      outcome = { result: 'failure', data: error instanceof Error ? error.message : String(error) }
    }
  }
  await writeFile(resolve(io.cwd, values.output), JSON.stringify(outcome) + '\n')
  return 0
}
