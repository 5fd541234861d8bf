/**
 * `certify-vc demo [--out <dir>]`: the whole flow from nothing. Generates an issuer key, trusts
 * it, issues an AIDA, a CAAE and an AIMA credential, verifies each, tampers with one and shows
 * the signature check catch it, revokes, suspends and reinstates, bakes a badge, then prints the
 * commands to try by hand.
 *
 * The steps are the list returned by {@link demoSteps}; a new scenario (e.g. revocation) is one
 * more entry there.
 *
 * @module
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { PROGRAM_CODES, type ProgramCode } from '@certify-vc/context'
import {
  bakeCredential,
  generateIssuerKey,
  issueCredential,
  openSqliteRegistry,
  publishStatusLists,
  saveIssuerKey,
  type IssuerKey,
  type StatusRegistry,
} from '@certify-vc/issuer'
import {
  createDirectoryStatusListSource,
  verifyCredential,
  type VerifyCredentialResult,
} from '@certify-vc/verifier'
import { DEFAULT_STATUS_BASE_URL } from '../status-config.js'
import { createStyle, type Style } from '../format.js'
import { EXIT, type CliIo } from '../io.js'
import { CONFIG_ENV, CONFIG_FILE, type CliConfig, type TrustList } from '../trust.js'
import { parseCommandArgs, reportError } from '../usage.js'
import { renderReport } from './verify.js'

/** `certify-vc demo --help`. */
export const DEMO_HELP = `Usage: certify-vc demo [--out <dir>]

Run the whole flow from nothing, offline: generate an issuer key, issue an AIDA, a CAAE and an
AIMA credential to a sample learner (recorded in a status registry), publish the signed status
lists, verify each credential, tamper with one and watch it fail, revoke AIDA and watch the same
file fail as revoked, suspend CAAE and reinstate it, bake CAAE into its badge image (PNG and SVG)
and verify the PNG. Everything is written to the output folder,
with a ${CONFIG_FILE} that trusts the demo key, so you can try 'certify-vc verify
--status-dir <dir>/${'status'}' on the files afterwards.

Options:
  -o, --out <dir>  Output folder (default ./demo-out). Demo files in it are replaced.
  -h, --help       Show this help.

Exit status: 0 when every genuine credential verified and the tampered one failed, 1 otherwise,
2 usage error.
`

/** The default output folder, relative to the working directory. */
export const DEFAULT_DEMO_DIR = 'demo-out'
/** The demo's key file name (not `issuer-key.json`, so a real key in the folder is never replaced). */
export const DEMO_KEY_FILE = 'demo-issuer-key.json'
/** The tampered copy of the AIDA credential. */
export const TAMPERED_FILE = 'aida-tampered.json'
/** The demo's status registry, replaced on every run. */
export const DEMO_REGISTRY_FILE = 'registry.sqlite'
/** The folder the demo publishes its signed status lists to. */
export const STATUS_DIR = 'status'
/** Programs whose demo credentials also carry a suspension entry. */
export const DEMO_SUSPENSION: readonly ProgramCode[] = ['CAAE']

/** The sample learner (the DID is the did:key specification's example). */
export const SAMPLE_LEARNER = {
  name: 'Ada Lovelace',
  did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
} as const

/**
 * The environment variable naming the command that the demo's "Try it yourself" lines start
 * with: `certify-vc` by default; the repository's `pnpm demo` and `pnpm certify-vc` set it to
 * `pnpm certify-vc`, so that the lines work as printed in a clone.
 */
export const INVOCATION_ENV = 'CERTIFY_VC_INVOCATION'

/** State shared by the demo steps. */
export interface DemoContext {
  readonly io: CliIo
  /** How the reader runs the command line (`certify-vc`, or `pnpm certify-vc` in a clone). */
  readonly invocation: string
  /** The output folder (absolute). */
  readonly dir: string
  readonly style: Style
  key?: IssuerKey
  trust?: TrustList
  registry?: StatusRegistry
  /** Credential ids, by name (`aida`, `caae`, `aima`). */
  readonly ids: Map<string, string>
  /** Credential files written, by name (`aida`, `caae`, `aima`, `aida-tampered`). */
  readonly files: Map<string, string>
  /** Verification results, by the same names. */
  readonly results: Map<string, VerifyCredentialResult>
  /** What went against expectations; the demo exits 1 when this is not empty. */
  readonly failures: string[]
}

/** One step of the demo. */
export interface DemoStep {
  readonly title: string
  run(ctx: DemoContext): Promise<void>
}

/** `path` as a person in the working directory would type it. */
function display(ctx: DemoContext, path: string): string {
  const rel = relative(ctx.io.cwd, path)
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

/** Quotes `arg` for a POSIX shell when it needs it. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

function requireKey(ctx: DemoContext): IssuerKey {
  if (ctx.key === undefined) throw new Error('The demo has no issuer key yet.')
  return ctx.key
}

function requireRegistry(ctx: DemoContext): StatusRegistry {
  if (ctx.registry === undefined) throw new Error('The demo has no status registry yet.')
  return ctx.registry
}

function requireId(ctx: DemoContext, name: string): string {
  const id = ctx.ids.get(name)
  if (id === undefined) throw new Error(`The demo has no ${name} credential.`)
  return id
}

/** Signs every status list and writes it to the status folder, as a host would serve it. */
async function publish(ctx: DemoContext): Promise<void> {
  const lists = await publishStatusLists({
    registry: requireRegistry(ctx),
    key: requireKey(ctx),
    baseUrl: DEFAULT_STATUS_BASE_URL,
    outDir: join(ctx.dir, STATUS_DIR),
  })
  for (const list of lists) {
    ctx.io.stdout.write(
      `Published the ${list.purpose} list ${list.url} → ${display(ctx, list.file ?? '')}
`,
    )
  }
}

/** Records a failure unless `result` failed its status check with `code`. */
function expectStatus(
  ctx: DemoContext,
  name: string,
  result: VerifyCredentialResult,
  code: string,
) {
  const status = result.checks.find((c) => c.id === 'status')
  const caught =
    !result.verified && status?.outcome === 'failed' && status.problems.some((p) => p.code === code)
  if (!caught) ctx.failures.push(`The ${name} credential was not rejected with ${code}.`)
}

function requireTrust(ctx: DemoContext): TrustList {
  if (ctx.trust === undefined) throw new Error('The demo has no trust list yet.')
  return ctx.trust
}

/** Verifies the file recorded under `name` and prints the report. */
async function verifyFile(ctx: DemoContext, name: string): Promise<VerifyCredentialResult> {
  const path = ctx.files.get(name)
  if (path === undefined) throw new Error(`The demo has no ${name} credential.`)
  const bytes = await readFile(path)
  const trust = requireTrust(ctx)
  // Offline: the lists come from the folder the demo published them to (matched by their id).
  const source = createDirectoryStatusListSource(join(ctx.dir, STATUS_DIR))
  const result = await verifyCredential(bytes, {
    trustedIssuers: trust.dids,
    status: { source, cache: false },
  })
  ctx.results.set(name, result)
  ctx.io.stdout.write(`\n${renderReport(display(ctx, path), result, trust, ctx.style)}`)
  return result
}

const fileName = (code: ProgramCode): string => `${code.toLowerCase()}.json`

/** The demo, step by step, in order. Extend the demo by adding steps here. */
export function demoSteps(): DemoStep[] {
  return [
    {
      title: 'Generate an issuer key',
      async run(ctx) {
        const key = await generateIssuerKey()
        const path = join(ctx.dir, DEMO_KEY_FILE)
        await saveIssuerKey(path, key, { overwrite: true })
        ctx.key = key
        ctx.io.stdout.write(
          `Issuer DID: ${key.did}\nKey file:   ${display(ctx, path)} (mode 0600)\n`,
        )
      },
    },
    {
      title: 'Trust the demo issuer',
      async run(ctx) {
        const { did } = requireKey(ctx)
        const path = join(ctx.dir, CONFIG_FILE)
        const config: CliConfig = {
          trustedIssuers: [did],
          registry: DEMO_REGISTRY_FILE,
          suspension: [...DEMO_SUSPENSION],
        }
        const text = JSON.stringify(config, null, 2)
        await writeFile(path, `${text}\n`, 'utf8')
        ctx.trust = { dids: [did], source: `config file ${display(ctx, path)}` }
        ctx.io.stdout.write(`Wrote ${display(ctx, path)}:\n${text}\n`)
      },
    },
    {
      title: `Issue ${PROGRAM_CODES.join(', ')} to ${SAMPLE_LEARNER.name}, recorded in a status registry`,
      async run(ctx) {
        const key = requireKey(ctx)
        const registryPath = join(ctx.dir, DEMO_REGISTRY_FILE)
        for (const suffix of ['', '-wal', '-shm']) await rm(registryPath + suffix, { force: true })
        await rm(join(ctx.dir, STATUS_DIR), { recursive: true, force: true })
        const registry = await openSqliteRegistry(registryPath)
        ctx.registry = registry
        ctx.io.stdout.write(`Status registry: ${display(ctx, registryPath)}\n`)
        for (const program of PROGRAM_CODES) {
          const suspension = DEMO_SUSPENSION.includes(program)
          const credential = await issueCredential({
            program,
            recipient: SAMPLE_LEARNER,
            key,
            status: { registry, baseUrl: DEFAULT_STATUS_BASE_URL, suspension },
          })
          const path = join(ctx.dir, fileName(program))
          await writeFile(path, `${JSON.stringify(credential, null, 2)}\n`, 'utf8')
          ctx.files.set(program.toLowerCase(), path)
          ctx.ids.set(program.toLowerCase(), credential.id)
          const entries = suspension ? 'revocation + suspension entries' : 'a revocation entry'
          ctx.io.stdout.write(`Issued ${program} → ${display(ctx, path)} (${entries})\n`)
        }
      },
    },
    {
      title: 'Publish the signed status lists',
      run: publish,
    },
    {
      title: 'Verify each credential',
      async run(ctx) {
        for (const program of PROGRAM_CODES) {
          const result = await verifyFile(ctx, program.toLowerCase())
          if (!result.verified)
            ctx.failures.push(`The genuine ${program} credential did not verify.`)
        }
      },
    },
    {
      title: 'Tamper with the AIDA credential',
      async run(ctx) {
        const source = ctx.files.get('aida')
        if (source === undefined) throw new Error('The demo has no AIDA credential.')
        const credential = JSON.parse(await readFile(source, 'utf8')) as {
          credentialSubject: { name?: string }
        }
        const before = credential.credentialSubject.name
        credential.credentialSubject.name = 'Mallory Mallet'
        const path = join(ctx.dir, TAMPERED_FILE)
        await writeFile(path, `${JSON.stringify(credential, null, 2)}\n`, 'utf8')
        ctx.files.set('aida-tampered', path)
        ctx.io.stdout.write(
          `Copied ${display(ctx, source)} to ${display(ctx, path)}, changing credentialSubject.name ` +
            `from "${before ?? ''}" to "Mallory Mallet"; the proof is left as it was.\n`,
        )
      },
    },
    {
      title: 'Verify the tampered copy',
      async run(ctx) {
        const result = await verifyFile(ctx, 'aida-tampered')
        const proof = result.checks.find((c) => c.id === 'proof')
        const caught =
          !result.verified &&
          proof?.outcome === 'failed' &&
          proof.problems.some((p) => p.code === 'ERR_PROOF_INVALID')
        if (!caught) ctx.failures.push('The tampered credential was not rejected by its proof.')
      },
    },
    {
      title: 'Revoke the AIDA credential and republish the lists',
      async run(ctx) {
        const result = await requireRegistry(ctx).revoke(
          requireId(ctx, 'aida'),
          'Demo: exam misconduct',
        )
        ctx.io.stdout.write(`Revoked ${result.credentialId} (was ${result.previous}).\n`)
        await publish(ctx)
      },
    },
    {
      title: 'Verify the same AIDA file again',
      async run(ctx) {
        expectStatus(ctx, 'revoked AIDA', await verifyFile(ctx, 'aida'), 'ERR_STATUS_REVOKED')
      },
    },
    {
      title: 'Suspend the CAAE credential (renewal pending) and republish',
      async run(ctx) {
        const result = await requireRegistry(ctx).suspend(
          requireId(ctx, 'caae'),
          'Demo: renewal pending',
        )
        ctx.io.stdout.write(`Suspended ${result.credentialId}.\n`)
        await publish(ctx)
        expectStatus(ctx, 'suspended CAAE', await verifyFile(ctx, 'caae'), 'ERR_STATUS_SUSPENDED')
      },
    },
    {
      title: 'Reinstate the CAAE credential and republish',
      async run(ctx) {
        const result = await requireRegistry(ctx).unsuspend(requireId(ctx, 'caae'), 'Demo: renewed')
        ctx.io.stdout.write(`Reinstated ${result.credentialId} (was ${result.previous}).\n`)
        await publish(ctx)
        const again = await verifyFile(ctx, 'caae')
        if (!again.verified) ctx.failures.push('The reinstated CAAE credential did not verify.')
      },
    },
    {
      title: 'Bake the CAAE credential into its badge image, and verify the badge',
      async run(ctx) {
        const source = ctx.files.get('caae')
        if (source === undefined) throw new Error('The demo has no CAAE credential.')
        const text = await readFile(source, 'utf8')
        for (const format of ['png', 'svg'] as const) {
          const path = join(ctx.dir, `caae.${format}`)
          await writeFile(path, await bakeCredential({ credential: text, format }))
          ctx.files.set(`caae-${format}`, path)
          const where =
            format === 'png'
              ? 'an iTXt chunk "openbadgecredential"'
              : 'an <openbadges:credential> element'
          ctx.io.stdout.write(
            `Baked ${display(ctx, source)} into ${display(ctx, path)} (${where})\n`,
          )
        }
        const result = await verifyFile(ctx, 'caae-png')
        if (!result.verified) ctx.failures.push('The CAAE badge (PNG) did not verify.')
      },
    },
    {
      title: 'Try it yourself',
      run(ctx) {
        const { did } = requireKey(ctx)
        const cli = ctx.invocation
        const file = (name: string) => shellQuote(display(ctx, join(ctx.dir, name)))
        const lists = `--status-dir ${file(STATUS_DIR)}`
        const config = `${CONFIG_ENV}=${file(CONFIG_FILE)}`
        ctx.io.stdout.write(
          [
            `${cli} verify ${file('caae.json')} --trust ${did} ${lists}`,
            `${cli} verify ${file('caae.png')} --trust ${did} ${lists}   # the baked badge`,
            `${cli} unbake ${file('caae.svg')}   # the credential inside, as baked`,
            `${cli} verify ${file('aida.json')} --trust ${did} ${lists}   # revoked`,
            `${cli} verify ${file(TAMPERED_FILE)} --trust ${did} ${lists}`,
            `${cli} verify ${file('aima.json')} --json --trust ${did} ${lists}`,
            `${cli} verify ${file('aima.json')} ${lists}   # no trust given: NOT VERIFIED, with how to add it`,
            `${config} ${cli} status show ${file('aida.json')}`,
            `${config} ${cli} revoke ${file('aima.json')} --reason "issued in error"`,
            `${config} ${cli} status publish --out ${file(STATUS_DIR)} --key ${file(DEMO_KEY_FILE)}`,
            `${config} ${cli} verify ${file('aima.json')} ${lists}   # now revoked`,
          ]
            .map((line) => `  ${line}\n`)
            .join('') +
            `(${CONFIG_ENV} names the demo's ${CONFIG_FILE}: its trusted issuer, registry and suspension.)\n`,
        )
        return Promise.resolve()
      },
    },
  ]
}

/** Runs `steps` in order, printing a heading for each; stops at the first that throws. */
export async function runDemo(ctx: DemoContext, steps: readonly DemoStep[]): Promise<void> {
  for (const [i, step] of steps.entries()) {
    ctx.io.stdout.write(`\n${ctx.style.bold(`[${i + 1}/${steps.length}] ${step.title}`)}\n`)
    await step.run(ctx)
  }
}

/** Runs `certify-vc demo`; returns the exit code. */
export async function demo(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values } = parseCommandArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        out: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help === true) {
      io.stdout.write(DEMO_HELP)
      return EXIT.ok
    }
    const dir = resolve(
      io.cwd,
      values.out === undefined || values.out === '' ? DEFAULT_DEMO_DIR : values.out,
    )
    await mkdir(dir, { recursive: true })
    const style = createStyle(io.stdout, io.env)
    const invocation = io.env[INVOCATION_ENV]?.trim()
    const ctx: DemoContext = {
      io,
      invocation: invocation === undefined || invocation === '' ? 'certify-vc' : invocation,
      dir,
      style,
      files: new Map(),
      ids: new Map(),
      results: new Map(),
      failures: [],
    }
    io.stdout.write(`certify-vc demo: writing to ${display(ctx, dir)}\n`)
    try {
      await runDemo(ctx, demoSteps())
    } finally {
      await ctx.registry?.close()
    }
    io.stdout.write('\n')
    if (ctx.failures.length > 0) {
      for (const failure of ctx.failures) io.stdout.write(`${style.red('✗')} ${failure}\n`)
      io.stdout.write(style.red('Demo FAILED.\n'))
      return EXIT.failed
    }
    io.stdout.write(
      `${style.green('✓')} Demo finished: all ${PROGRAM_CODES.length} genuine credentials verified; ` +
        `the tampered copy was rejected (ERR_PROOF_INVALID); the revoked AIDA was rejected ` +
        `(ERR_STATUS_REVOKED); the suspended CAAE was rejected (ERR_STATUS_SUSPENDED) and ` +
        `verified again once reinstated; its baked badge verified as its JSON does.\n`,
    )
    return EXIT.ok
  } catch (error) {
    return reportError('demo', error, io)
  }
}
