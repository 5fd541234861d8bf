/**
 * Batch test helpers: both registry backends behind one factory, rosters, and reading an
 * output folder back.
 *
 * @module
 */
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { openRegistry, type StatusRegistry } from '../../src/index.js'
import { tempDir } from '../helpers.js'
import { PG_SKIP_REASON, dropSchema, newSchemaLocation } from '../registry/postgres-helpers.js'

/** A registry backend for the batch tests. */
export interface BatchBackend {
  name: string
  skip: boolean
  /** A fresh registry location and how to remove it. */
  newLocation(prefix: string): Promise<{ location: string; cleanup: () => Promise<void> }>
}

export const BACKENDS: readonly BatchBackend[] = [
  {
    name: 'SQLite',
    skip: false,
    async newLocation() {
      const { dir, cleanup } = await tempDir()
      return { location: join(dir, 'registry.sqlite'), cleanup }
    },
  },
  {
    name: 'PostgreSQL',
    skip: PG_SKIP_REASON !== undefined,
    newLocation(prefix) {
      const { location, schema } = newSchemaLocation(prefix)
      return Promise.resolve({ location, cleanup: () => dropSchema(schema) })
    },
  },
]

/** Opens the registry at `location`. */
export function open(location: string): Promise<StatusRegistry> {
  return openRegistry({ url: location })
}

/** Writes a CSV roster of `count` learners (`key` column `k<i>`); returns its path. */
export async function writeRoster(
  dir: string,
  count: number,
  name = 'roster.csv',
): Promise<string> {
  const lines = ['key,name,email,did,term']
  for (let i = 0; i < count; i++) {
    const kind = i % 3
    lines.push(
      kind === 0
        ? `k${i},Learner ${i},learner${i}@example.org,,2026-Q4`
        : kind === 1
          ? `k${i},,learner${i}@example.org,,`
          : `k${i},"Lovelace, Ada ${i}",,,2026-Q4`,
    )
  }
  const path = join(dir, name)
  await writeFile(path, lines.join('\n') + '\n')
  return path
}

/** One manifest line. */
export interface ManifestLine {
  line: number
  rowKey: string
  credentialId: string
  file: string
  listNumber: number
  statusIndex: number
  outcome: string
}

/** Reads `<outDir>/manifest.jsonl`. */
export async function readManifest(outDir: string): Promise<ManifestLine[]> {
  const text = await readFile(join(outDir, 'manifest.jsonl'), 'utf8')
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as ManifestLine)
}

/** Every credential file in `outDir` (not the manifest), parsed. */
export async function readCredentials(
  outDir: string,
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>()
  for (const name of await readdir(outDir)) {
    if (!name.endsWith('.json')) continue
    out.set(name, JSON.parse(await readFile(join(outDir, name), 'utf8')) as Record<string, unknown>)
  }
  return out
}
