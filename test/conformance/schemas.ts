/**
 * The two Open Badges 3.0 AchievementCredential JSON Schemas the conformance and interop tests
 * validate against, compiled once with ajv's Draft 2019-09 build:
 *
 * - **ours** (`ob-v3p0-achievementcredential.schema.json`): both editions (VC 2.0 and the legacy
 *   VC 1.1 one), the compacted JSON-LD form, the prose MUSTs;
 * - **official** (`vendor/achievementcredential.json`, 1EdTech's generated file, byte for byte):
 *   the VC 2.0 edition, uncompacted form, with its `date-time` / `date` formats checked
 *   (ajv-formats).
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import { Ajv2019, type ErrorObject } from 'ajv/dist/2019.js'
import addFormats from 'ajv-formats'

/** An error as the tests compare them: where, which keyword, its parameters. */
export type SchemaError = Pick<ErrorObject, 'instancePath' | 'keyword' | 'params'>

const read = (file: string) =>
  JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as Record<string, unknown>

/** Our schema, parsed. */
export const OUR_SCHEMA = read('./ob-v3p0-achievementcredential.schema.json')
/** 1EdTech's schema, parsed (the file is never changed). */
export const OFFICIAL_SCHEMA = read('./vendor/achievementcredential.json')

// Strict, except: strictTuples (@context is an open tuple: VC context, OB context, then more)
// and strictRequired (conditional `required` lists name properties declared at the top).
const ours = new Ajv2019({
  allErrors: true,
  strict: true,
  strictTuples: false,
  strictRequired: false,
}).compile(OUR_SCHEMA)

// The official file needs the same two exceptions (its @context tuple, its required lists).
const officialAjv = new Ajv2019({
  allErrors: true,
  strict: true,
  strictTuples: false,
  strictRequired: false,
})
addFormats.default(officialAjv, ['date-time', 'date'])
const official = officialAjv.compile(OFFICIAL_SCHEMA)

function errorsWith(validate: typeof ours, document: unknown): SchemaError[] {
  const valid = validate(document)
  const errors = (validate.errors ?? []).map(({ instancePath, keyword, params }) => ({
    instancePath,
    keyword,
    params,
  }))
  if (valid !== (errors.length === 0)) throw new Error('ajv: verdict and errors disagree')
  return errors
}

/** The errors of `document` against our schema (empty: valid). */
export const errorsAgainstOurs = (document: unknown): SchemaError[] => errorsWith(ours, document)

/** The errors of `document` against 1EdTech's schema (empty: valid). */
export const errorsAgainstOfficial = (document: unknown): SchemaError[] =>
  errorsWith(official, document)

/** `instancePath:keyword` of each error, once each, for compact assertions. */
export const pathsOf = (errors: readonly SchemaError[]): string[] => [
  ...new Set(errors.map((e) => `${e.instancePath}:${e.keyword}`)),
]
