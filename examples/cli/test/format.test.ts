import { describe, expect, it } from 'vitest'
import type { VerifyCredentialResult } from '@certify-vc/verifier'
import {
  createStyle,
  explainResult,
  renderChecks,
  renderVerdict,
  sanitize,
  useColor,
} from '../src/format.js'

describe('format', () => {
  it('colours only a terminal without NO_COLOR or TERM=dumb', () => {
    expect(useColor({ write: () => true, isTTY: true }, {})).toBe(true)
    expect(useColor({ write: () => true, isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(useColor({ write: () => true, isTTY: true }, { NO_COLOR: '' })).toBe(true)
    expect(useColor({ write: () => true, isTTY: true }, { TERM: 'dumb' })).toBe(false)
    expect(useColor({ write: () => true }, {})).toBe(false)
    expect(createStyle({ write: () => true }, {}).red('x')).toBe('x')
  })

  it('neutralises terminal escapes and bidi overrides from credentials', () => {
    expect(sanitize('Ada\u001b[2J\u009b31m\u202eevil\nx')).toBe(
      'Ada\\u{1b}[2J\\u{9b}31m\\u{202e}evil\\u{a}x',
    )
    expect(sanitize('Zoë Ölçer — 李')).toBe('Zoë Ölçer — 李')
  })

  it('sanitises the recipient and issuer in the verdict', () => {
    const result: VerifyCredentialResult = {
      verified: true,
      profile: 'institute',
      checks: [],
      problems: [],
      warnings: [],
      credential: {
        issuer: 'did:key:z6Mk',
        subject: { name: 'Ada\u001b]8;;https://evil.example\u0007' },
        program: {
          code: 'AIDA',
          name: 'AI Deployment Awareness (AIDA)',
          achievementId: 'https://x',
        },
      },
    }
    const line = renderVerdict(result, createStyle({ write: () => true }, {}))
    expect(line.includes('\u001b') || line.includes('\u0007')).toBe(false)
    expect(line).toContain('issued to Ada\\u{1b}]8;;https://evil.example\\u{7} by did:key:z6Mk')
  })

  it('lists what a selectively disclosed credential shows after the verdict (ecdsa-sd-2023)', () => {
    const result: VerifyCredentialResult = {
      verified: true,
      checks: [{ id: 'input', outcome: 'passed', problems: [] }],
      problems: [],
      warnings: [],
      profile: 'institute',
      credential: {
        issuer: 'did:key:z6Mk',
        subject: { name: 'Ada' },
        disclosed: ['/credentialSubject/name', '/issuer/id'],
      },
    }
    expect(renderVerdict(result, createStyle({ write: () => true }, {}))).toBe(
      'VERIFIED: credential, issued to Ada by did:key:z6Mk\n' +
        'Selective disclosure: the holder shows 2 values; the rest is withheld.\n' +
        '  /credentialSubject/name\n  /issuer/id\n',
    )
  })

  it('names a skipped required check when nothing failed', () => {
    const result: VerifyCredentialResult = {
      verified: false,
      checks: [
        { id: 'input', outcome: 'passed', problems: [] },
        { id: 'proof', outcome: 'skipped', problems: [] },
      ],
      problems: [],
      warnings: [],
      profile: 'institute',
      credential: {},
    }
    expect(renderVerdict(result, createStyle({ write: () => true }, {}))).toBe(
      'NOT VERIFIED: proof could not be checked\n',
    )
  })

  it('lists each failure with code, explanation and pointer, and why a check was skipped', () => {
    const result: VerifyCredentialResult = {
      verified: false,
      checks: [
        {
          id: 'input',
          outcome: 'failed',
          problems: [
            { code: 'ERR_INPUT_DUPLICATE_KEY', message: 'Key "name" twice.', path: '/a/name' },
            { code: 'ERR_INPUT_INVALID_UNICODE', message: 'Not UTF-8.', path: '' },
          ],
        },
        { id: 'proof', outcome: 'skipped', problems: [], reason: 'Input\u001b refused.' },
      ],
      problems: [],
      warnings: [],
      profile: 'institute',
      credential: {},
    }
    const text = renderChecks(result, createStyle({ write: () => true }, {}))
    expect(text).toContain('ERR_INPUT_DUPLICATE_KEY: An object in the input has the same key twice')
    expect(text).toContain('Key "name" twice. (at /a/name)')
    expect(text).toContain('Not UTF-8. (at the whole input)')
    expect(text).toContain('skipped: Input\\u{1b} refused.')
    const explained = explainResult({ ...result, problems: result.checks[0]?.problems ?? [] })
    expect(explained.problems.map((p) => p.explanation)).toEqual([
      expect.stringMatching(/same key twice/),
      expect.stringMatching(/not valid UTF-8/),
    ])
  })
})
