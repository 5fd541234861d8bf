/**
 * `certify-vc bake <credential> --out <badge.png|badge.svg>` and `certify-vc unbake <badge>`:
 * a signed credential into its program's badge image and back (Open Badges 3.0 §5.3). The image
 * is only a container: `certify-vc verify badge.png` verifies the credential inside exactly as the
 * JSON file (docs/design.md §10).
 *
 * @module
 */
import { extname, resolve } from 'node:path'
import { CertifyError, isPlainObject } from '@certify-vc/context'
import { isPng, looksLikeXml, unbakeImage } from '@certify-vc/core'
import { bakeCredential, type BakeFormat } from '@certify-vc/issuer'
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_IMAGE_BYTES } from '@certify-vc/verifier'
import { sanitize } from '../format.js'
import { readCredentialInput } from '../input.js'
import { EXIT, type CliIo } from '../io.js'
import { writeOutputFile } from '../output.js'
import { UsageError, parseCommandArgs, reportError, required } from '../usage.js'

/** `certify-vc bake --help`. */
export const BAKE_HELP = `Usage: certify-vc bake <credential.json|-> --out <badge.png|badge.svg> [options]

Bake a signed credential into a badge image (Open Badges 3.0 §5.3): a PNG with one uncompressed
iTXt chunk "openbadgecredential", or an SVG with one <openbadges:credential> element. The image
is the badge of the credential's program (AIDA, CAAE, AIMA) unless --image names another. The
credential file's text is embedded exactly as it is. Anyone can take it out again
('certify-vc unbake') or verify the badge as it would the JSON ('certify-vc verify badge.png').

Options:
  -o, --out <file>    The badge to write; its extension, .png or .svg, picks the format
                      (required). Written in full or not at all.
      --image <file>  The PNG or SVG to bake into, instead of the program's badge.
      --replace       Replace a credential already baked into --image.
  -h, --help          Show this help.

Exit status: 0 baked, 1 the credential or image is refused (unsigned, not a credential, an
image already baked), 2 usage error or unreadable input.
`

/** `certify-vc unbake --help`. */
export const UNBAKE_HELP = `Usage: certify-vc unbake <badge.png|badge.svg|-> [--out <file>]

Take the credential out of a baked badge and print it (or write it to --out) exactly as it was
baked: its JSON, or a compact JWS. This does not verify it: 'certify-vc verify <badge>' does.

Options:
  -o, --out <file>  Write the credential here instead of stdout (byte for byte).
  -h, --help        Show this help.

Exit status: 0 written, 1 the image holds no credential or breaks the baking rules, 2 usage
error or unreadable input.
`

/** The image format named by a file's extension. */
function formatOf(path: string): BakeFormat {
  const ext = extname(path).toLowerCase()
  if (ext === '.png') return 'png'
  if (ext === '.svg') return 'svg'
  throw new UsageError(
    `--out must end in .png or .svg (the format of the badge), not ${JSON.stringify(path)}.`,
  )
}

/** The credential's id, for the one-line note, when the text is a JSON object with one. */
function idOf(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text)
    return isPlainObject(parsed) && typeof parsed.id === 'string' ? `${parsed.id} ` : ''
  } catch {
    return ''
  }
}

/** Runs `certify-vc bake`; returns the exit code. */
export async function bake(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        image: { type: 'string' },
        replace: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help === true) {
      io.stdout.write(BAKE_HELP)
      return EXIT.ok
    }
    const [source, ...extra] = positionals
    if (source === undefined)
      throw new UsageError('Name the credential file to bake, or - for stdin.')
    if (extra.length > 0)
      throw new UsageError(`Bake one credential at a time (got ${positionals.length}).`)
    const out = required(values.out, '--out')
    const format = formatOf(out)
    const outPath = resolve(io.cwd, out)
    if (source !== '-' && resolve(io.cwd, source) === outPath) {
      throw new UsageError('--out names the credential file; that would destroy it.')
    }
    const bytes = await readCredentialInput(source, io, DEFAULT_MAX_BYTES + 1)
    if (bytes.byteLength > DEFAULT_MAX_BYTES) {
      throw new CertifyError(
        'ERR_BAKE_CREDENTIAL_INVALID',
        `${source} is larger than ${DEFAULT_MAX_BYTES} bytes, the verifier's input limit.`,
      )
    }
    if (isPng(bytes)) {
      throw new UsageError(`${source} is an image; name the credential's JSON file to bake.`)
    }
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      throw new CertifyError('ERR_BAKE_CREDENTIAL_INVALID', `${source} is not UTF-8 text.`)
    }
    if (looksLikeXml(text)) {
      throw new UsageError(`${source} is an image; name the credential's JSON file to bake.`)
    }
    const image =
      values.image === undefined
        ? undefined
        : await readCredentialInput(values.image, io, DEFAULT_MAX_IMAGE_BYTES + 1)
    const badge = await bakeCredential({
      credential: text.replace(/^\ufeff/, ''),
      format,
      ...(image === undefined ? {} : { image }),
      replace: values.replace === true,
    })
    await writeOutputFile(outPath, badge)
    const size =
      typeof badge === 'string' ? new TextEncoder().encode(badge).byteLength : badge.byteLength
    io.stderr.write(
      `Baked ${sanitize(idOf(text))}into ${outPath} (${format.toUpperCase()}, ${size} bytes).\n` +
        `Verify it as the JSON file: certify-vc verify ${sanitize(out)} --trust <issuer DID>\n`,
    )
    return EXIT.ok
  } catch (error) {
    return reportError('bake', error, io)
  }
}

/** Runs `certify-vc unbake`; returns the exit code. */
export async function unbake(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help === true) {
      io.stdout.write(UNBAKE_HELP)
      return EXIT.ok
    }
    const [source, ...extra] = positionals
    if (source === undefined)
      throw new UsageError('Name the badge image to unbake, or - for stdin.')
    if (extra.length > 0)
      throw new UsageError(`Unbake one badge at a time (got ${positionals.length}).`)
    const bytes = await readCredentialInput(source, io, DEFAULT_MAX_IMAGE_BYTES + 1)
    const image = unbakeImage(bytes)
    if (image === undefined) throw new UsageError(`${source} is neither a PNG nor an SVG image.`)
    if (image.credential === undefined) {
      throw new CertifyError(
        'ERR_INPUT_BAKED_NOT_FOUND',
        `${source} is a ${image.format.toUpperCase()} image with no credential baked into it.`,
      )
    }
    if (values.out === undefined || values.out === '-') {
      io.stdout.write(image.credential.endsWith('\n') ? image.credential : `${image.credential}\n`)
      return EXIT.ok
    }
    const outPath = resolve(io.cwd, values.out)
    await writeOutputFile(outPath, image.credential)
    io.stderr.write(`Wrote the credential baked into ${sanitize(source)} to ${outPath}\n`)
    return EXIT.ok
  } catch (error) {
    return reportError('unbake', error, io)
  }
}
