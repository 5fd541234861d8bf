import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { MAIN_HELP, runCli } from '../src/cli.js'
import { VERIFY_HELP } from '../src/commands/verify.js'
import { testIo } from './helpers.js'

describe('certify-vc (dispatch)', () => {
  const io = () => testIo({ cwd: tmpdir() })

  it('--help prints the overview (exit 0); no arguments prints it to stderr (exit 2)', async () => {
    const help = io()
    expect(await runCli(['--help'], help)).toBe(0)
    expect(help.out()).toBe(MAIN_HELP)

    const none = io()
    expect(await runCli([], none)).toBe(2)
    expect(none.out()).toBe('')
    expect(none.err()).toBe(MAIN_HELP)
  })

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string }
    const out = io()
    expect(await runCli(['--version'], out)).toBe(0)
    expect(out.out()).toBe(`${version}\n`)
  })

  it('<command> --help and help <command> print the command help', async () => {
    for (const argv of [
      ['verify', '--help'],
      ['help', 'verify'],
    ]) {
      const out = io()
      expect(await runCli(argv, out)).toBe(0)
      expect(out.out()).toBe(VERIFY_HELP)
    }
    for (const command of ['keygen', 'issue', 'demo']) {
      const out = io()
      expect(await runCli([command, '-h'], out)).toBe(0)
      expect(out.out()).toContain(`Usage: certify-vc ${command}`)
    }
  })

  it('exits 2 for an unknown command, and passes usage errors through', async () => {
    const unknown = io()
    expect(await runCli(['sign'], unknown)).toBe(2)
    expect(unknown.err()).toContain('Unknown command "sign"')
    expect(await runCli(['verify'], io())).toBe(2)
    expect(await runCli(['toString'], io())).toBe(2)
  })
})
