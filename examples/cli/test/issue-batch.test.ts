/**
 * `certify-vc issue-batch` in-process: usage, the bad-row report, a batch that verifies, re-runs,
 * and the progress display on a terminal and off it.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BatchProgress } from '@certify-vc/issuer'
import { runCli } from '../src/cli.js'
import { progressRenderer } from '../src/commands/issue-batch.js'
import { makeTempDir, removeTempDir, savedKey, testIo } from './helpers.js'

let dir: string
let keyPath: string
beforeEach(async () => {
  dir = await makeTempDir()
  keyPath = (await savedKey(dir)).path
})
afterEach(() => removeTempDir(dir))

async function roster(lines: string[], name = 'roster.csv'): Promise<string> {
  await writeFile(join(dir, name), lines.join('\n') + '\n')
  return name
}

const run = async (args: string[]) => {
  const io = testIo({ cwd: dir })
  const code = await runCli(['issue-batch', ...args], io)
  return { code, out: io.out(), err: io.err() }
}

describe('certify-vc issue-batch', () => {
  it('prints its help, and is listed in the main help', async () => {
    const help = await run(['--help'])
    expect(help.code).toBe(0)
    expect(help.out).toContain('Usage: certify-vc issue-batch --roster <file>')
    expect(help.out).toContain('--skip-invalid')
    const io = testIo({ cwd: dir })
    expect(await runCli(['--help'], io)).toBe(0)
    expect(io.out()).toContain('issue-batch --roster <csv|jsonl>')
  })

  it('usage errors exit 2', async () => {
    const file = await roster(['name', 'Ada'])
    expect((await run(['--program', 'CAAE', '--out', 'o', '--key', keyPath])).code).toBe(2)
    expect((await run(['--roster', file, '--out', 'o', '--key', keyPath])).code).toBe(2)
    const unknown = await run([
      '--roster',
      file,
      '--program',
      'XYZ',
      '--out',
      'o',
      '--key',
      keyPath,
    ])
    expect([unknown.code, unknown.err]).toEqual([
      2,
      expect.stringContaining('ERR_ISSUE_PROGRAM_UNKNOWN'),
    ])
    const txt = await roster(['name', 'Ada'], 'roster.txt')
    expect(
      (await run(['--roster', txt, '--program', 'CAAE', '--out', 'o', '--key', keyPath])).code,
    ).toBe(2)
    expect(
      (
        await run([
          '--roster',
          file,
          '--program',
          'CAAE',
          '--out',
          'o',
          '--key',
          keyPath,
          '--chunk-size',
          '0',
        ])
      ).code,
    ).toBe(2)
    expect(
      (
        await run([
          '--roster',
          file,
          '--program',
          'CAAE',
          '--out',
          'o',
          '--key',
          keyPath,
          '--batch',
          'a b',
        ])
      ).code,
    ).toBe(2)
  })

  it('lists every bad row (line, field, reason) and issues nothing; --skip-invalid issues the rest', async () => {
    const file = await roster([
      'key,name,email',
      'a,Ada,ada@example.org',
      'b,,not-an-email',
      'c,,',
      'd,Dan,',
      'd,Dup,',
    ])
    const args = ['--roster', file, '--program', 'CAAE', '--out', 'out', '--key', keyPath]
    const bad = await run(args)
    expect(bad.code).toBe(1)
    expect(bad.err).toContain(
      'error ERR_BATCH_ROSTER_INVALID: 3 problem(s) in roster.csv; nothing was issued',
    )
    expect(bad.err).toContain('line 3, email:')
    expect(bad.err).toContain('line 4, row: needs a name, an email or a DID.')
    expect(bad.err).toContain('line 6, key: repeats the key of line 5.')
    await expect(readdir(join(dir, 'out'))).rejects.toThrow()

    const skipped = await run([...args, '--skip-invalid'])
    expect(skipped.code).toBe(0)
    expect(skipped.err).toContain('skipped 3 problem(s) (--skip-invalid)')
    expect(skipped.out).toMatch(/^CAAE: 2 issued, 0 re-created, 0 already issued \(5 rows\)/)
    expect(skipped.out).toContain('Manifest: out/manifest.jsonl')
  })

  it('issues a batch that verifies, and a re-run issues nothing', async () => {
    const file = await roster([
      'key,name,email,did,term',
      'k1,Ada Lovelace,ada@example.org,,2026-Q4',
      'k2,,grace@example.org,,',
      'k3,Alan,,did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK,',
    ])
    const args = ['--roster', file, '--program', 'caae', '--out', 'out', '--key', keyPath]
    const first = await run(args)
    expect(first.code, first.err).toBe(0)
    expect(first.out).toMatch(
      /^CAAE: 3 issued, 0 re-created, 0 already issued \(3 rows\) in [\d.]+ s, \d+ credentials\/s\n/,
    )
    const manifest = (await readFile(join(dir, 'out', 'manifest.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { rowKey: string; file: string; credentialId: string })
    expect(manifest.map((m) => m.rowKey)).toEqual(['k1', 'k2', 'k3'])
    const text = await readFile(join(dir, 'out', manifest[1]?.file ?? ''), 'utf8')
    expect(text).not.toContain('grace@example.org')

    const publish = testIo({ cwd: dir })
    expect(
      await runCli(['status', 'publish', '--out', 'lists', '--key', keyPath], publish),
      publish.err(),
    ).toBe(0)
    for (const m of manifest) {
      const io = testIo({ cwd: dir })
      const code = await runCli(
        ['verify', join('out', m.file), '--trust', keyPath, '--status-dir', 'lists'],
        io,
      )
      expect(code, io.out() + io.err()).toBe(0)
    }
    const again = await run(args)
    expect(again.code).toBe(0)
    expect(again.out).toMatch(/^CAAE: 0 issued, 0 re-created, 3 already issued \(3 rows\)/)
    // Publishing again re-signs nothing: no bit changed.
    const republish = testIo({ cwd: dir })
    expect(await runCli(['status', 'publish', '--out', 'lists', '--key', keyPath], republish)).toBe(
      0,
    )
    expect(republish.out()).toContain('0 status list(s) signed by')
    expect(republish.out()).toContain('1 unchanged.')
  })
})

describe('issue-batch progress display', () => {
  const progress = (done: number, total: number, rate: number, etaMs?: number): BatchProgress => ({
    phase: 'issue',
    done,
    total,
    issued: done,
    recreated: 0,
    unchanged: 0,
    elapsedMs: 1000,
    rate,
    etaMs,
  })

  it('draws a bar with rate and ETA in place on a terminal', () => {
    let text = ''
    const renderer = progressRenderer({
      stderr: { isTTY: true, write: (chunk: string) => (text += chunk) },
    })
    renderer.update(progress(2500, 10_000, 312.4, 24_000))
    expect(text).toBe(`\r\u001b[2K[#######.....................] 2500/10000 (25%) 312/s ETA 00:24`)
    renderer.update(progress(10_000, 10_000, 300, 0))
    renderer.finish()
    expect(text.endsWith('10000/10000 (100%) 300/s ETA 00:00\n')).toBe(true)
  })

  it('writes a quiet line every 5 seconds otherwise, and one at the end', () => {
    let text = ''
    let now = 0
    const renderer = progressRenderer(
      { stderr: { isTTY: false, write: (chunk: string) => (text += chunk) } },
      () => now,
    )
    renderer.update({ ...progress(0, 10, 0), phase: 'validate' })
    renderer.update(progress(1, 10, 1, 9000))
    now = 5000
    renderer.update(progress(5, 10, 1, 5000))
    now = 6000
    renderer.update(progress(6, 10, 1, 4000))
    renderer.finish()
    expect(text).toBe(
      'issue-batch: 5/10 (50%) 1/s ETA 00:05\nissue-batch: 6/10 (60%) 1/s ETA 00:04\n',
    )
  })
})
