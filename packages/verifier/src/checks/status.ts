/**
 * Status: every `credentialStatus` entry is checked against its status list, and the status list
 * credential is itself verified with the same machinery as the credential (pinned contexts in
 * JSON-LD safe mode, every proof valid, key bound to the credential's issuer, validity window),
 * then decoded with a capped inflate. Anything that cannot be checked fails closed.
 *
 * Reads `BitstringStatusListEntry` (purposes `revocation`, `suspension`, `message`), the legacy
 * `StatusList2021Entry` (`revocation`, `suspension`) and `RevocationList2020Status` (only when
 * the caller supplies its context, which is not bundled). Any other type is
 * `ERR_STATUS_UNSUPPORTED`.
 *
 * @see https://www.w3.org/TR/vc-bitstring-status-list/#validate-algorithm
 * @see https://www.w3.org/community/reports/credentials/CG-FINAL-vc-status-list-2021-20230102/
 * @see https://w3c-ccg.github.io/vc-status-rl-2020/
 * @module
 */
import {
  CertifyError,
  asArray,
  credentialFormatOf,
  idOf,
  isPlainObject,
  isAbsoluteIri,
  parseDateTimeStamp,
  pointer,
  problem,
  type ErrorCode,
  type Problem,
} from '@certify-vc/context'
import {
  MIN_STATUS_LIST_ENTRIES,
  decodeStatusList,
  getStatus,
  parseStatusListIndex,
  suiteOfProof,
  type SuiteName,
} from '@certify-vc/core'
import { readInput, resolveLimits } from '../ingress.js'
import type { StatusListCache, StatusListKind, VerifiedStatusList } from '../status/cache.js'
import type { StatusListSource } from '../status/source.js'
import type { PipelineOptions } from '../options.js'
import type { CheckResult, StatusEntrySummary, TrustedIssuer } from '../types.js'
import { checkResult } from './common.js'
import { allowedContextUrls, checkContexts } from './contexts.js'
import { checkCredentialProofs } from './proof.js'

/** More entries than this in one credential are refused (each may cost a fetch). */
export const MAX_STATUS_ENTRIES = 8

/** Everything the status check needs from the verification options. */
export interface StatusCheckContext {
  /** The credential's issuer: status lists must be issued and signed by it. */
  readonly issuerId: string
  /** The issuer's trust-list entry, when it pins its status-list signer or URLs. */
  readonly trustEntry?: TrustedIssuer | undefined
  readonly source: StatusListSource
  readonly cache: StatusListCache | undefined
  readonly maxListBytes: number
  readonly timeoutMs: number
  readonly now: Date
  readonly maxClockSkewSeconds: number
  /** The credential's verification options: a list is verified like the credential. */
  readonly pipeline: PipelineOptions
}

/** The outcome of the status check: the check result and what was read per entry. */
export interface StatusCheckOutcome {
  readonly result: CheckResult
  readonly entries: StatusEntrySummary[]
}

interface EntryFormat {
  readonly kind: StatusListKind
  readonly urlKey: string
  readonly indexKey: string
  readonly purposes: readonly string[]
}

const ENTRY_FORMATS: Readonly<Record<string, EntryFormat>> = {
  BitstringStatusListEntry: {
    kind: 'BitstringStatusList',
    urlKey: 'statusListCredential',
    indexKey: 'statusListIndex',
    purposes: ['revocation', 'suspension', 'message'],
  },
  StatusList2021Entry: {
    kind: 'StatusList2021',
    urlKey: 'statusListCredential',
    indexKey: 'statusListIndex',
    purposes: ['revocation', 'suspension'],
  },
  RevocationList2020Status: {
    kind: 'RevocationList2020',
    urlKey: 'revocationListCredential',
    indexKey: 'revocationListIndex',
    purposes: ['revocation'],
  },
}

const LIST_TYPES: Readonly<Record<StatusListKind, { credential: string; subject: string }>> = {
  BitstringStatusList: {
    credential: 'BitstringStatusListCredential',
    subject: 'BitstringStatusList',
  },
  StatusList2021: { credential: 'StatusList2021Credential', subject: 'StatusList2021' },
  RevocationList2020: {
    credential: 'RevocationList2020Credential',
    subject: 'RevocationList2020',
  },
}

/** A `credentialStatus` entry that passed the entry checks. */
interface ParsedEntry {
  readonly path: string
  readonly type: string
  readonly format: EntryFormat
  readonly purpose: string
  readonly url: string
  readonly index: number
  readonly statusSize: number
  /** status value → message, when the entry has `statusMessage`. */
  readonly messages: ReadonlyMap<number, string> | undefined
}

type Parsed = { ok: true; entry: ParsedEntry } | { ok: false; problem: Problem }

const fail = (code: ErrorCode, message: string, path: string): Parsed => ({
  ok: false,
  problem: problem(code, message, path),
})

function parseStatusMessages(
  value: unknown,
  statusSize: number,
  at: string,
): { ok: true; messages: Map<number, string> } | { ok: false; problem: Problem } {
  const bad = (message: string) => ({
    ok: false as const,
    problem: problem('ERR_STATUS_ENTRY_INVALID', message, at),
  })
  // Bitstring Status List §2.1: "the length of which MUST equal the number of possible status
  // messages indicated by statusSize" (2 for 1 bit, 4 for 2 bits …), one per value.
  if (!Array.isArray(value) || value.length !== 2 ** statusSize) {
    return bad(
      `"statusMessage" must be an array of exactly ${2 ** statusSize} items (one per status value of ${statusSize} bit${statusSize === 1 ? '' : 's'}).`,
    )
  }
  const messages = new Map<number, string>()
  for (const item of value as unknown[]) {
    if (
      !isPlainObject(item) ||
      typeof item.status !== 'string' ||
      !/^0x[0-9a-fA-F]{1,2}$/.test(item.status) ||
      typeof item.message !== 'string'
    ) {
      return bad('Each "statusMessage" item needs a hex "status" ("0x…") and a "message".')
    }
    const status = parseInt(item.status.slice(2), 16)
    if (status >= 2 ** statusSize || messages.has(status)) {
      return bad(`"statusMessage" status ${item.status} is out of range or repeated.`)
    }
    messages.set(status, item.message)
  }
  return { ok: true, messages }
}

function parseEntry(raw: unknown, path: string): Parsed {
  const at = (key: string) => path + '/' + key
  if (!isPlainObject(raw)) {
    return fail('ERR_STATUS_ENTRY_INVALID', 'A credentialStatus entry must be an object.', path)
  }
  const types = asArray(raw.type)
  if (types.length === 0 || !types.every((t) => typeof t === 'string')) {
    return fail('ERR_STATUS_ENTRY_INVALID', 'The status entry has no "type".', at('type'))
  }
  const type = types[0] as string
  const format = types.length === 1 ? ENTRY_FORMATS[type] : undefined
  if (format === undefined || !Object.hasOwn(ENTRY_FORMATS, type)) {
    return fail(
      'ERR_STATUS_UNSUPPORTED',
      `Status type ${JSON.stringify(types.length === 1 ? type : types)} is not supported, so the status cannot be checked.`,
      at('type'),
    )
  }
  let purpose: string
  if (format.kind === 'RevocationList2020') {
    purpose = 'revocation'
  } else {
    if (typeof raw.statusPurpose !== 'string') {
      return fail(
        'ERR_STATUS_ENTRY_INVALID',
        'The status entry has no "statusPurpose".',
        at('statusPurpose'),
      )
    }
    purpose = raw.statusPurpose
    if (!format.purposes.includes(purpose)) {
      return fail(
        'ERR_STATUS_UNSUPPORTED',
        `Status purpose ${JSON.stringify(purpose.slice(0, 100))} is not supported for ${type}.`,
        at('statusPurpose'),
      )
    }
  }
  const url = raw[format.urlKey]
  if (!isAbsoluteIri(url)) {
    return fail(
      'ERR_STATUS_ENTRY_INVALID',
      `"${format.urlKey}" must be the absolute URL of the status list.`,
      at(format.urlKey),
    )
  }
  if (raw.id !== undefined && raw.id === url) {
    return fail(
      'ERR_STATUS_ENTRY_INVALID',
      'The status entry "id" must not be the status list URL.',
      at('id'),
    )
  }
  const index = parseStatusListIndex(raw[format.indexKey])
  if (index === undefined) {
    return fail(
      'ERR_STATUS_ENTRY_INVALID',
      `"${format.indexKey}" must be a string of base-10 digits (got ${JSON.stringify(raw[format.indexKey] ?? null)?.slice(0, 40)}).`,
      at(format.indexKey),
    )
  }
  let statusSize = 1
  let messages: Map<number, string> | undefined
  if (format.kind === 'BitstringStatusList') {
    if (raw.statusSize !== undefined) {
      if (
        typeof raw.statusSize !== 'number' ||
        !Number.isSafeInteger(raw.statusSize) ||
        raw.statusSize < 1
      ) {
        return fail(
          'ERR_STATUS_ENTRY_INVALID',
          '"statusSize" must be a positive integer.',
          at('statusSize'),
        )
      }
      if (raw.statusSize > 8) {
        return fail(
          'ERR_STATUS_UNSUPPORTED',
          `"statusSize" ${raw.statusSize} is not supported (at most 8 bits).`,
          at('statusSize'),
        )
      }
      statusSize = raw.statusSize
    }
    if (raw.statusMessage !== undefined) {
      const parsed = parseStatusMessages(raw.statusMessage, statusSize, at('statusMessage'))
      if (!parsed.ok) return parsed
      messages = parsed.messages
    } else if (statusSize > 1) {
      return fail(
        'ERR_STATUS_ENTRY_INVALID',
        '"statusMessage" is required when "statusSize" is greater than 1.',
        at('statusMessage'),
      )
    }
  }
  return {
    ok: true,
    entry: { path, type, format, purpose, url, index, statusSize, messages },
  }
}

// -- status list credentials ------------------------------------------------------------------

type Loaded =
  { ok: true; list: VerifiedStatusList } | { ok: false; code: ErrorCode; message: string }

const refuse = (code: ErrorCode, message: string): Loaded => ({ ok: false, code, message })

/** Every `@context` URL used anywhere in `value`. */
function contextUrls(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value as unknown[]) contextUrls(v, out)
  } else if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '@context') {
        for (const c of asArray(child)) if (typeof c === 'string') out.add(c)
      } else {
        contextUrls(child, out)
      }
    }
  }
  return out
}

/** `undefined` when the list is usable at `now`, else why not. */
function windowProblem(list: VerifiedStatusList, ctx: StatusCheckContext): string | undefined {
  const skew = ctx.maxClockSkewSeconds * 1000
  const now = ctx.now.getTime()
  if (list.validFrom !== undefined && list.validFrom - skew > now) {
    return `The status list is not valid before ${new Date(list.validFrom).toISOString()}.`
  }
  if (list.validUntil !== undefined && list.validUntil + skew < now) {
    return `The status list expired at ${new Date(list.validUntil).toISOString()}.`
  }
  return undefined
}

function allowedContexts(ctx: StatusCheckContext): ReadonlySet<string> {
  return allowedContextUrls(ctx.pipeline)
}

/** A problem when the list's signers are not the ones the trust list pins (docs/attacks.md D4, D5). */
function signerProblem(
  verificationMethods: readonly string[],
  ctx: StatusCheckContext,
): string | undefined {
  const pins = ctx.trustEntry?.statusListVerificationMethods
  const stray =
    pins === undefined ? undefined : verificationMethods.find((vm) => !pins.includes(vm))
  return stray === undefined
    ? undefined
    : `The status list is signed by ${stray}, not by a status-list key the trust list names for ${ctx.issuerId}.`
}

/** A cached list may be reused only if this call would have accepted it just the same. */
function reusable(list: VerifiedStatusList, ctx: StatusCheckContext): boolean {
  const allowed = allowedContexts(ctx)
  return (
    list.contexts.every((c) => allowed.has(c)) &&
    list.suites.every((s) => ctx.pipeline.suites.includes(s)) &&
    list.bitstring.byteLength <= ctx.maxListBytes &&
    signerProblem(list.verificationMethods, ctx) === undefined &&
    windowProblem(list, ctx) === undefined
  )
}

function describe(problems: readonly Problem[]): string {
  const first = problems[0]
  if (first === undefined) return 'unknown problem'
  return `${first.code}${first.path === undefined ? '' : ` at ${first.path}`}: ${first.message}`
}

function toMillis(value: unknown): number | 'invalid' | undefined {
  if (value === undefined) return undefined
  const date = parseDateTimeStamp(value)
  return date === undefined ? 'invalid' : date.getTime()
}

/** Verifies a fetched status list credential for `url`. Never throws. */
async function verifyStatusListCredential(
  raw: unknown,
  url: string,
  ctx: StatusCheckContext,
): Promise<Loaded> {
  const documentCap = Math.max(4 * 1024 * 1024, Math.ceil(ctx.maxListBytes / 3) * 4 + 65_536)
  // The encoded list is one long string: allow it the whole document cap.
  const read = readInput(
    raw,
    resolveLimits({ maxBytes: documentCap, maxStringLength: documentCap, maxDepth: 32 }),
  )
  if (!read.ok) {
    return refuse(
      'ERR_STATUS_LIST_INVALID',
      `The status list is unusable: ${describe(read.problems)}`,
    )
  }
  const doc = read.document
  if (!isPlainObject(doc)) {
    return refuse('ERR_STATUS_LIST_INVALID', 'The status list is not a JSON object.')
  }
  if (doc.id !== url) {
    return refuse(
      'ERR_STATUS_LIST_INVALID',
      `The status list's id ${JSON.stringify(doc.id ?? null)} is not the URL it was fetched from (${url}).`,
    )
  }
  const types = asArray(doc.type)
  const kinds = (Object.keys(LIST_TYPES) as StatusListKind[]).filter((k) =>
    types.includes(LIST_TYPES[k].credential),
  )
  const kind = kinds[0]
  if (!types.includes('VerifiableCredential') || kind === undefined || kinds.length !== 1) {
    return refuse(
      'ERR_STATUS_LIST_INVALID',
      'The document is not a status list credential (its "type" must include VerifiableCredential and one status list credential type).',
    )
  }
  const format = credentialFormatOf(doc)
  if (format === undefined) {
    return refuse(
      'ERR_STATUS_LIST_INVALID',
      'The status list credential does not start with a VC base context.',
    )
  }
  const listIssuer = idOf(doc.issuer)
  if (listIssuer !== ctx.issuerId) {
    return refuse(
      'ERR_STATUS_LIST_ISSUER_MISMATCH',
      `The status list is issued by ${JSON.stringify(listIssuer ?? null)}, not by the credential's issuer ${ctx.issuerId}.`,
    )
  }

  // Contexts: pinned only, JSON-LD safe mode.
  const { result: contextCheck, unsecuredExpansion } = await checkContexts(doc, ctx.pipeline)
  if (contextCheck.outcome !== 'passed') {
    return refuse(
      'ERR_STATUS_LIST_INVALID',
      `The status list's JSON-LD is not acceptable: ${describe(contextCheck.problems)}`,
    )
  }

  // Proofs: every proof by a key of the credential's issuer, under its assertionMethod.
  const proofs = asArray(doc.proof)
  for (const p of proofs) {
    const vm = isPlainObject(p) ? p.verificationMethod : undefined
    if (typeof vm === 'string' && vm.split('#')[0] !== ctx.issuerId) {
      return refuse(
        'ERR_STATUS_LIST_ISSUER_MISMATCH',
        `The status list is signed by ${JSON.stringify(vm.slice(0, 200))}, not by the credential's issuer ${ctx.issuerId}.`,
      )
    }
  }
  // The credential's proof rules, for a status list: every proof by the issuer (no co-signer,
  // no caller challenge or domain, which are about the credential's own proofs).
  const { proof, keyBinding, issuerKeys } = await checkCredentialProofs(
    doc,
    { issuerId: ctx.issuerId, unsecuredExpansion },
    {
      ...ctx.pipeline,
      profile: { ...ctx.pipeline.profile, coSigners: false },
      proofChallenge: undefined,
      proofDomain: undefined,
    },
    'status list',
  )
  if (keyBinding.problems.some((p) => p.code === 'ERR_KEY_NOT_ISSUER')) {
    return refuse(
      'ERR_STATUS_LIST_ISSUER_MISMATCH',
      `The status list is not signed by the credential's issuer: ${describe(keyBinding.problems)}`,
    )
  }
  if (proof.problems.some((p) => p.code === 'ERR_PROOF_MISSING')) {
    return refuse('ERR_STATUS_LIST_INVALID', 'The status list credential is not signed.')
  }
  if (proof.outcome !== 'passed' || keyBinding.outcome !== 'passed') {
    return refuse(
      'ERR_STATUS_LIST_INVALID',
      `The status list's proof does not verify: ${describe([...proof.problems, ...keyBinding.problems])}`,
    )
  }
  const pinnedSigner = signerProblem(issuerKeys, ctx)
  if (pinnedSigner !== undefined) return refuse('ERR_STATUS_LIST_ISSUER_MISMATCH', pinnedSigner)

  // Validity window.
  const [fromKey, untilKey] =
    format === 'vc2' ? ['validFrom', 'validUntil'] : ['issuanceDate', 'expirationDate']
  const validFrom = toMillis(doc[fromKey])
  const validUntil = toMillis(doc[untilKey])
  if (validFrom === 'invalid' || validUntil === 'invalid') {
    return refuse(
      'ERR_STATUS_LIST_INVALID',
      `The status list's "${fromKey}" / "${untilKey}" is not a dateTime with a time zone.`,
    )
  }

  // The list itself.
  const subject = doc.credentialSubject
  if (!isPlainObject(subject) || !asArray(subject.type).includes(LIST_TYPES[kind].subject)) {
    return refuse(
      'ERR_STATUS_LIST_INVALID',
      `The status list's credentialSubject must be one ${LIST_TYPES[kind].subject}.`,
    )
  }
  let purposes: string[] = []
  if (kind !== 'RevocationList2020') {
    const declared = asArray(subject.statusPurpose)
    if (
      declared.length === 0 ||
      !declared.every((p) => typeof p === 'string') ||
      (kind === 'StatusList2021' && Array.isArray(subject.statusPurpose))
    ) {
      return refuse('ERR_STATUS_LIST_INVALID', 'The status list has no valid "statusPurpose".')
    }
    purposes = declared as string[]
  }
  let ttl: number | undefined
  if (kind === 'BitstringStatusList' && subject.ttl !== undefined) {
    if (typeof subject.ttl !== 'number' || !Number.isFinite(subject.ttl) || subject.ttl < 0) {
      return refuse('ERR_STATUS_LIST_INVALID', 'The status list "ttl" must be a number ≥ 0 (ms).')
    }
    ttl = subject.ttl
  }
  // StatusList2021 and RevocationList2020 lists are plain base64url (no multibase prefix); a
  // gzip stream always encodes as "H4sI…", so prefix those with the multibase "u".
  let encoded = subject.encodedList
  if (kind !== 'BitstringStatusList' && typeof encoded === 'string' && encoded.startsWith('H')) {
    encoded = 'u' + encoded
  }
  let bitstring: Uint8Array
  try {
    bitstring = decodeStatusList(encoded, { maxBytes: ctx.maxListBytes })
  } catch (error) {
    if (error instanceof CertifyError) return refuse(error.code, error.message)
    return refuse('ERR_STATUS_LIST_INVALID', 'The status list "encodedList" cannot be decoded.')
  }

  const suites: SuiteName[] = [
    ...new Set(proofs.map((p) => suiteOfProof(p)).filter((s) => s !== undefined)),
  ]
  const list: VerifiedStatusList = {
    url,
    kind,
    issuer: listIssuer,
    purposes,
    bitstring,
    ...(validFrom === undefined ? {} : { validFrom }),
    ...(validUntil === undefined ? {} : { validUntil }),
    ...(ttl === undefined ? {} : { ttl }),
    suites,
    contexts: [...contextUrls(doc)],
    verificationMethods: issuerKeys,
  }
  const outside = windowProblem(list, ctx)
  if (outside !== undefined) return refuse('ERR_STATUS_LIST_EXPIRED', outside)
  return { ok: true, list }
}

async function getWithTimeout(
  source: StatusListSource,
  url: string,
  timeoutMs: number,
): Promise<unknown> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`No answer within ${timeoutMs} ms.`)
      controller.abort(error)
      reject(error)
    }, timeoutMs)
  })
  try {
    return await Promise.race([source.get(url, { signal: controller.signal }), timeout])
  } finally {
    clearTimeout(timer)
  }
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.length > 300 ? message.slice(0, 300) + '…' : message
}

/** The list for `url` from the cache, when fresh and reusable by this call; else `undefined`. */
function fromCache(url: string, ctx: StatusCheckContext): Loaded | undefined {
  const cache = ctx.cache
  const cached = cache?.get(url)
  if (
    cached !== undefined &&
    cache !== undefined &&
    cache.now() < cached.expiresAt &&
    reusable(cached.list, ctx)
  ) {
    return { ok: true, list: cached.list }
  }
  return undefined
}

/**
 * The verified list for `url`, fetched and verified (and then cached), for a `url`
 * {@link fromCache} had no usable copy of. A failed fetch is `ERR_STATUS_UNKNOWN`, whatever the
 * cache holds: a stale copy is never used.
 */
async function loadList(url: string, ctx: StatusCheckContext): Promise<Loaded> {
  const cached = ctx.cache?.get(url)
  let raw: unknown
  try {
    raw = await getWithTimeout(ctx.source, url, ctx.timeoutMs)
  } catch (error) {
    return refuse(
      'ERR_STATUS_UNKNOWN',
      `The status list ${url} could not be retrieved${cached === undefined ? '' : ' (the cached copy is stale)'}: ${reason(error)}`,
    )
  }
  const loaded = await verifyStatusListCredential(raw, url, ctx)
  if (!loaded.ok) return loaded
  const seenFrom = cached?.list.validFrom
  if (
    seenFrom !== undefined &&
    (loaded.list.validFrom === undefined || loaded.list.validFrom < seenFrom)
  ) {
    return refuse(
      'ERR_STATUS_UNKNOWN',
      `The status list ${url} served is older than a copy already verified (a replayed list?).`,
    )
  }
  ctx.cache?.set(url, loaded.list)
  return loaded
}

function evaluate(
  entry: ParsedEntry,
  list: VerifiedStatusList,
  ctx: StatusCheckContext,
  out: Problem[],
  summaries: StatusEntrySummary[],
): void {
  const listPath = `${entry.path}/${entry.format.urlKey}`
  if (list.kind !== entry.format.kind) {
    out.push(
      problem(
        'ERR_STATUS_LIST_INVALID',
        `The status list is a ${list.kind}, but the entry is a ${entry.type}.`,
        listPath,
      ),
    )
    return
  }
  if (list.issuer !== ctx.issuerId) {
    out.push(
      problem(
        'ERR_STATUS_LIST_ISSUER_MISMATCH',
        `The status list is issued by ${list.issuer}, not by the credential's issuer.`,
        listPath,
      ),
    )
    return
  }
  if (list.kind !== 'RevocationList2020' && !list.purposes.includes(entry.purpose)) {
    out.push(
      problem(
        'ERR_STATUS_PURPOSE_MISMATCH',
        `The entry's purpose is "${entry.purpose}", the list's is ${JSON.stringify(list.purposes)}.`,
        `${entry.path}/statusPurpose`,
      ),
    )
    return
  }
  const bits = list.bitstring.byteLength * 8
  if (Math.floor(bits / entry.statusSize) < MIN_STATUS_LIST_ENTRIES) {
    out.push(
      problem(
        'ERR_STATUS_LIST_TOO_SHORT',
        `The status list has ${Math.floor(bits / entry.statusSize)} entries; at least ${MIN_STATUS_LIST_ENTRIES} are required.`,
        listPath,
      ),
    )
    return
  }
  if ((entry.index + 1) * entry.statusSize > bits) {
    out.push(
      problem(
        'ERR_STATUS_INDEX_OUT_OF_RANGE',
        `Index ${entry.index} is beyond the status list (${Math.floor(bits / entry.statusSize)} entries).`,
        `${entry.path}/${entry.format.indexKey}`,
      ),
    )
    return
  }
  const value = getStatus(list.bitstring, entry.index, entry.statusSize)
  const message =
    entry.messages !== undefined
      ? entry.messages.get(value)
      : entry.statusSize === 1
        ? value === 0
          ? 'unset'
          : 'set'
        : undefined
  summaries.push({
    path: entry.path,
    type: entry.type,
    purpose: entry.purpose,
    statusListCredential: entry.url,
    statusListIndex: entry.index,
    value,
    ...(message === undefined ? {} : { message }),
  })
  if (message === undefined) {
    out.push(
      problem(
        'ERR_STATUS_ENTRY_INVALID',
        `The entry's "statusMessage" has no message for status 0x${value.toString(16)}.`,
        `${entry.path}/statusMessage`,
      ),
    )
  }
  if (value !== 0 && entry.purpose === 'revocation') {
    out.push(problem('ERR_STATUS_REVOKED', 'The issuer has revoked this credential.', entry.path))
  } else if (value !== 0 && entry.purpose === 'suspension') {
    out.push(
      problem('ERR_STATUS_SUSPENDED', 'The issuer has suspended this credential.', entry.path),
    )
  }
}

/**
 * Runs the status check on a credential whose proof, key binding and issuer trust passed (status
 * lists are fetched only for those, so unverified input never drives a request). Never throws,
 * never rejects. The outcome comes back directly when every list is fresh in the cache, else as
 * a promise.
 */
export function checkStatus(
  document: Record<string, unknown>,
  ctx: StatusCheckContext,
): StatusCheckOutcome | Promise<StatusCheckOutcome> {
  const raw = document.credentialStatus
  const problems: Problem[] = []
  const summaries: StatusEntrySummary[] = []
  const many = Array.isArray(raw)
  const rawEntries = asArray(raw)
  if (raw === null || rawEntries.length === 0 || rawEntries.length > MAX_STATUS_ENTRIES) {
    problems.push(
      problem(
        'ERR_STATUS_ENTRY_INVALID',
        `"credentialStatus" must be one entry or an array of 1 to ${MAX_STATUS_ENTRIES} entries.`,
        pointer('credentialStatus'),
      ),
    )
    return { result: checkResult('status', problems), entries: summaries }
  }
  const entries: ParsedEntry[] = []
  const prefixes = ctx.trustEntry?.statusListUrlPrefixes
  rawEntries.forEach((e, i) => {
    const parsed = parseEntry(
      e,
      many ? pointer('credentialStatus', i) : pointer('credentialStatus'),
    )
    if (!parsed.ok) {
      problems.push(parsed.problem)
    } else if (prefixes !== undefined && !prefixes.some((p) => parsed.entry.url.startsWith(p))) {
      // Refused before anything is fetched (docs/attacks.md D9).
      problems.push(
        problem(
          'ERR_STATUS_LIST_URL_NOT_ALLOWED',
          `The status list ${parsed.entry.url.slice(0, 200)} is outside the URLs the trust list allows for ${ctx.issuerId}.`,
          `${parsed.entry.path}/${parsed.entry.format.urlKey}`,
        ),
      )
    } else {
      entries.push(parsed.entry)
    }
  })

  // Lists fresh in the cache are used at once (the usual case: the outcome is returned without
  // a promise); the others are fetched and verified concurrently.
  const loads = new Map<string, Loaded | Promise<Loaded>>()
  let pending = false
  for (const entry of entries) {
    if (!loads.has(entry.url)) {
      const load = fromCache(entry.url, ctx) ?? loadList(entry.url, ctx)
      if (load instanceof Promise) pending = true
      loads.set(entry.url, load)
    }
  }
  const outcome = (loaded: ReadonlyMap<string, Loaded>): StatusCheckOutcome => {
    for (const entry of entries) {
      const list = loaded.get(entry.url) as Loaded
      if (list.ok) {
        evaluate(entry, list.list, ctx, problems, summaries)
      } else {
        problems.push(problem(list.code, list.message, `${entry.path}/${entry.format.urlKey}`))
      }
    }
    return { result: checkResult('status', problems), entries: summaries }
  }
  if (!pending) return outcome(loads as Map<string, Loaded>)
  return Promise.all(
    [...loads].map(async ([url, load]): Promise<[string, Loaded]> => [url, await load]),
  ).then((settled) => outcome(new Map(settled)))
}
