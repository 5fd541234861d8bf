/**
 * The generator the W3C VC 1.1 test suite (`w3c/vc-test-suite`) drives from the command line:
 * `vc11-generator [--presentation] <file>` reads a VC Data Model 1.1 credential (or, with
 * `--presentation`, a presentation), checks the data model's MUSTs, and echoes the document as
 * JSON on stdout (exit 0). Invalid input gets one line per problem on stderr and exit 1.
 *
 * This checks the envelope only. It does not verify proofs (the suite's inputs carry placeholder
 * `RsaSignature2018` proofs) and it accepts any issuer: the suite's issuers are
 * `https://example.edu/issuers/14` and the like, not certify-vc's DID.
 *
 * @see https://www.w3.org/TR/vc-data-model-1.1/
 * @see https://github.com/w3c/vc-test-suite
 * @module
 */
import {
  CONTEXT_URLS,
  asArray,
  isAbsoluteIri,
  isPlainObject,
  parseDateTimeStamp,
  problem,
  type Problem,
} from '@certify-vc/context'
import { readCredentialInput } from './input.js'
import { EXIT, type CliIo } from './io.js'
import { vc11Jwt, type Vc11JwtFlags } from './vc11-jwt.js'
import { sanitize } from './format.js'
import { UsageError, parseCommandArgs, reportError } from './usage.js'

/** Largest input read, in bytes (the verifier's default ingress limit). */
export const VC11_MAX_INPUT_BYTES = 512 * 1024

const NAME = 'vc11-generator'

/** `vc11-generator --help`. */
export const VC11_GENERATOR_HELP = `Usage: ${NAME} [--presentation] <file|->

Checks a W3C Verifiable Credential (Data Model 1.1) against the data model's MUST rules and
writes it to stdout unchanged. For the W3C VC 1.1 test suite (w3c/vc-test-suite).

Options:
  --presentation  The input is a Verifiable Presentation (its credentials are checked too).
  -h, --help      Show this help.

Exit status: 0 valid (the document is on stdout), 1 invalid (problems on stderr), 2 usage error.
Proofs are checked for shape only (a "type" each), not verified. Any issuer is accepted.
`

/** JSON Pointer (RFC 6901) of `base` plus one more segment. */
function at(base: string, segment: string | number): string {
  return `${base}/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`
}

function checkContext(document: Record<string, unknown>, out: Problem[]): void {
  const value = document['@context']
  const contexts = asArray(value)
  if (value === undefined || contexts.length === 0) {
    out.push(
      problem('ERR_CONTEXT_ORDER', '"@context" is required and must not be empty.', '/@context'),
    )
    return
  }
  if (contexts[0] !== CONTEXT_URLS.credentialsV1) {
    out.push(
      problem(
        'ERR_CONTEXT_ORDER',
        `The first "@context" must be ${CONTEXT_URLS.credentialsV1}.`,
        '/@context/0',
      ),
    )
  }
  contexts.forEach((context, index) => {
    if (!isAbsoluteIri(context) && !isPlainObject(context)) {
      out.push(
        problem(
          'ERR_STRUCTURE_INVALID',
          'Each "@context" entry must be a URI or an object.',
          at('/@context', index),
        ),
      )
    }
  })
}

/** `type`: one or more non-empty strings, including `required` when given. */
function checkType(
  value: unknown,
  path: string,
  required: string | undefined,
  out: Problem[],
): void {
  const types = asArray(value)
  if (
    value === undefined ||
    types.length === 0 ||
    !types.every((type) => typeof type === 'string' && type.length > 0)
  ) {
    out.push(problem('ERR_STRUCTURE_INVALID', '"type" must be one or more strings.', path))
    return
  }
  if (required !== undefined && !types.includes(required)) {
    out.push(problem('ERR_STRUCTURE_INVALID', `"type" must include "${required}".`, path))
  }
}

/** An optional `id`: a single absolute URI. */
function checkOptionalId(node: Record<string, unknown>, path: string, out: Problem[]): void {
  if (!('id' in node)) return
  if (Array.isArray(node.id)) {
    out.push(problem('ERR_STRUCTURE_INVALID', '"id" must be a single URI.', at(path, 'id')))
  } else if (!isAbsoluteIri(node.id)) {
    out.push(problem('ERR_STRUCTURE_RELATIVE_IRI', '"id" must be a URI.', at(path, 'id')))
  }
}

function checkDate(
  document: Record<string, unknown>,
  key: string,
  required: boolean,
  out: Problem[],
): void {
  const value = document[key]
  if (value === undefined) {
    if (required) out.push(problem('ERR_STRUCTURE_INVALID', `"${key}" is required.`, `/${key}`))
    return
  }
  if (parseDateTimeStamp(value) === undefined) {
    out.push(
      problem(
        'ERR_STRUCTURE_DATE_INVALID',
        `"${key}" must be a single RFC 3339 date-time with a time zone.`,
        `/${key}`,
      ),
    )
  }
}

function checkIssuer(document: Record<string, unknown>, out: Problem[]): void {
  const issuer = document.issuer
  if (issuer === undefined || issuer === null) {
    out.push(problem('ERR_STRUCTURE_INVALID', '"issuer" is required.', '/issuer'))
  } else if (isPlainObject(issuer)) {
    if (!isAbsoluteIri(issuer.id)) {
      out.push(problem('ERR_STRUCTURE_RELATIVE_IRI', '"issuer.id" must be a URI.', '/issuer/id'))
    }
  } else if (Array.isArray(issuer)) {
    out.push(problem('ERR_STRUCTURE_INVALID', '"issuer" must be a single URI.', '/issuer'))
  } else if (!isAbsoluteIri(issuer)) {
    out.push(problem('ERR_STRUCTURE_RELATIVE_IRI', '"issuer" must be a URI.', '/issuer'))
  }
}

function checkSubjects(document: Record<string, unknown>, out: Problem[]): void {
  const value = document.credentialSubject
  const subjects = asArray(value)
  if (value === undefined || value === null || subjects.length === 0) {
    out.push(
      problem('ERR_STRUCTURE_INVALID', '"credentialSubject" is required.', '/credentialSubject'),
    )
    return
  }
  subjects.forEach((subject, index) => {
    const path = Array.isArray(value) ? at('/credentialSubject', index) : '/credentialSubject'
    if (!isPlainObject(subject)) {
      out.push(
        problem('ERR_STRUCTURE_INVALID', 'Each "credentialSubject" must be an object.', path),
      )
      return
    }
    checkOptionalId(subject, path, out)
  })
}

/**
 * An optional property holding one or more objects (`credentialStatus`, `credentialSchema`,
 * `refreshService`, `termsOfUse`, `evidence`): each must have a `type`, and an `id` URI when
 * `idRequired` (otherwise a present `id` must still be a URI).
 */
function checkTypedObjects(
  document: Record<string, unknown>,
  key: string,
  idRequired: boolean,
  out: Problem[],
): void {
  if (!(key in document)) return
  const value = document[key]
  const items = asArray(value)
  if (items.length === 0) {
    out.push(problem('ERR_STRUCTURE_INVALID', `"${key}" must be one or more objects.`, `/${key}`))
    return
  }
  items.forEach((item, index) => {
    const path = Array.isArray(value) ? at(`/${key}`, index) : `/${key}`
    if (!isPlainObject(item)) {
      out.push(problem('ERR_STRUCTURE_INVALID', `Each "${key}" must be an object.`, path))
      return
    }
    checkType(item.type, at(path, 'type'), undefined, out)
    if (idRequired && !('id' in item)) {
      out.push(problem('ERR_STRUCTURE_INVALID', `"${key}" must have an "id".`, at(path, 'id')))
    } else {
      checkOptionalId(item, path, out)
    }
  })
}

/** `proof`, when present: one or more objects, each with a `type` (shape only, not verified). */
function checkProofShape(node: Record<string, unknown>, path: string, out: Problem[]): void {
  if (!('proof' in node)) return
  const value = node.proof
  const proofs = asArray(value)
  if (value === null || proofs.length === 0) {
    out.push(
      problem('ERR_PROOF_MALFORMED', '"proof" must be one or more objects.', at(path, 'proof')),
    )
    return
  }
  proofs.forEach((proof, index) => {
    const proofPath = Array.isArray(value) ? at(at(path, 'proof'), index) : at(path, 'proof')
    if (!isPlainObject(proof)) {
      out.push(problem('ERR_PROOF_MALFORMED', 'Each "proof" must be an object.', proofPath))
    } else if (typeof proof.type !== 'string' || proof.type.length === 0) {
      out.push(
        problem('ERR_PROOF_MALFORMED', 'A "proof" must have a "type".', at(proofPath, 'type')),
      )
    }
  })
}

/** Prefixes the paths of `problems` found in a document embedded at `base`. */
function rebase(problems: readonly Problem[], base: string): Problem[] {
  return problems.map((p) => ({ ...p, path: `${base}${p.path ?? ''}` }))
}

/**
 * The VC Data Model 1.1 MUSTs a credential breaks, as problems (empty when it keeps them all):
 * contexts, `id`, `type`, `credentialSubject`, `issuer` (any URI), `issuanceDate`,
 * `expirationDate`, `credentialStatus` / `credentialSchema` (`id` and `type`),
 * `refreshService` / `termsOfUse` / `evidence` (`type`), and the shape of `proof`.
 */
export function checkVc11Credential(document: unknown): Problem[] {
  if (!isPlainObject(document)) {
    return [problem('ERR_STRUCTURE_INVALID', 'A credential must be a JSON object.', '')]
  }
  const out: Problem[] = []
  checkContext(document, out)
  checkOptionalId(document, '', out)
  checkType(document.type, '/type', 'VerifiableCredential', out)
  checkSubjects(document, out)
  checkIssuer(document, out)
  checkDate(document, 'issuanceDate', true, out)
  checkDate(document, 'expirationDate', false, out)
  checkTypedObjects(document, 'credentialStatus', true, out)
  checkTypedObjects(document, 'credentialSchema', true, out)
  checkTypedObjects(document, 'refreshService', true, out)
  checkTypedObjects(document, 'termsOfUse', false, out)
  checkTypedObjects(document, 'evidence', false, out)
  checkProofShape(document, '', out)
  return out
}

/**
 * The VC Data Model 1.1 MUSTs a presentation breaks: contexts, `id`, `type` with
 * `VerifiablePresentation`, `holder` (a URI when present), each embedded credential (objects
 * only, checked with {@link checkVc11Credential}), and the shape of `proof`.
 */
export function checkVc11Presentation(document: unknown): Problem[] {
  if (!isPlainObject(document)) {
    return [problem('ERR_PRESENTATION_INVALID', 'A presentation must be a JSON object.', '')]
  }
  const out: Problem[] = []
  checkContext(document, out)
  checkOptionalId(document, '', out)
  checkType(document.type, '/type', 'VerifiablePresentation', out)
  if ('holder' in document) {
    const holder = isPlainObject(document.holder) ? document.holder.id : document.holder
    if (!isAbsoluteIri(holder)) {
      out.push(problem('ERR_STRUCTURE_RELATIVE_IRI', '"holder" must be a URI.', '/holder'))
    }
  }
  if ('verifiableCredential' in document) {
    const value = document.verifiableCredential
    asArray(value).forEach((credential, index) => {
      const path = Array.isArray(value)
        ? at('/verifiableCredential', index)
        : '/verifiableCredential'
      out.push(...rebase(checkVc11Credential(credential), path))
    })
  }
  checkProofShape(document, '', out)
  return out
}

/** The JWT flags (`--jwt` given). */
function jwtFlags(values: {
  jwt?: string | undefined
  'jwt-aud'?: string | undefined
  'jwt-no-jws'?: boolean | undefined
  'jwt-presentation'?: boolean | undefined
  'jwt-decode'?: boolean | undefined
  presentation?: boolean | undefined
}): Vc11JwtFlags {
  return {
    keys: values.jwt ?? '',
    aud: values['jwt-aud'],
    noJws: values['jwt-no-jws'] === true,
    presentation: values['jwt-presentation'] === true || values.presentation === true,
    decode: values['jwt-decode'] === true,
  }
}

/**
 * Runs the generator: `argv` is `[--presentation] <file|->`. Writes the document to stdout and
 * returns 0 when it is valid; writes the problems to stderr and returns 1 when it is not;
 * returns 2 for usage errors (stderr).
 */
export async function runVc11Generator(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { values, positionals } = parseCommandArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        presentation: { type: 'boolean' },
        jwt: { type: 'string' },
        'jwt-aud': { type: 'string' },
        'jwt-no-jws': { type: 'boolean' },
        'jwt-presentation': { type: 'boolean' },
        'jwt-decode': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help === true) {
      io.stdout.write(VC11_GENERATOR_HELP)
      return EXIT.ok
    }
    if (positionals.length !== 1) {
      throw new UsageError('Expected exactly one input file (or - for stdin).')
    }
    const source = positionals[0] as string
    const bytes = await readCredentialInput(source, io, VC11_MAX_INPUT_BYTES + 1)
    let problems: Problem[]
    let document: unknown
    if (bytes.byteLength > VC11_MAX_INPUT_BYTES) {
      problems = [
        problem('ERR_INPUT_TOO_LARGE', `The input exceeds ${VC11_MAX_INPUT_BYTES} bytes.`, ''),
      ]
    } else {
      const jwt = values.jwt === undefined ? undefined : jwtFlags(values)
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
        // A JWT to decode is not JSON; JWT presentations hold JWT strings, and --jwt-no-jws
        // credentials carry a proof of a type no suite knows: their checks are the JWT's.
        document = jwt?.decode === true ? undefined : JSON.parse(text)
        problems =
          jwt !== undefined && (jwt.decode || jwt.presentation || jwt.noJws)
            ? []
            : values.presentation === true
              ? checkVc11Presentation(document)
              : checkVc11Credential(document)
        if (problems.length === 0 && jwt !== undefined) {
          const r = vc11Jwt(document, text, jwt)
          if (r.ok) {
            io.stdout.write(r.text)
            return EXIT.ok
          }
          problems = r.problems
        }
      } catch {
        problems = [problem('ERR_INPUT_NOT_JSON', 'The input is not UTF-8 JSON.', '')]
      }
    }
    if (problems.length > 0) {
      for (const p of problems) {
        const where = p.path === undefined || p.path === '' ? '' : ` at ${p.path}`
        io.stderr.write(`${NAME}: error ${p.code}${sanitize(where)}: ${sanitize(p.message)}\n`)
      }
      return EXIT.failed
    }
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`)
    return EXIT.ok
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${NAME}: ${sanitize(error.message)}\nRun '${NAME} --help' for usage.\n`)
      return EXIT.usage
    }
    return reportError(NAME, error, io)
  }
}
