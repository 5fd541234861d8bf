import {
  CertifyError,
  ERROR_CODES,
  ERROR_CODE_LIST,
  explainErrorCode,
  findCertifyError,
  isCertifyError,
  isErrorCode,
  problem,
} from '@certify-vc/context'
import { describe, expect, it } from 'vitest'

describe('errors', () => {
  it('every code is ERR_<AREA>_<WHAT> with a one-line explanation', () => {
    for (const code of ERROR_CODE_LIST) {
      expect(code).toMatch(/^ERR_[A-Z]+(_[A-Z0-9]+)+$/)
      const text = explainErrorCode(code)
      expect(text.length).toBeGreaterThan(10)
      expect(text).not.toContain('\n')
    }
    expect(ERROR_CODE_LIST).toEqual(Object.keys(ERROR_CODES))
  })

  it('problem() is plain JSON with the spec type filled in', () => {
    const p = problem('ERR_PROOF_INVALID', 'bad', '/proof')
    expect(p).toEqual({
      code: 'ERR_PROOF_INVALID',
      message: 'bad',
      type: 'PROOF_VERIFICATION_ERROR',
      path: '/proof',
    })
    expect(problem('ERR_ISSUER_UNTRUSTED', 'x')).toEqual({
      code: 'ERR_ISSUER_UNTRUSTED',
      message: 'x',
    })
  })

  it('CertifyError carries a code, a path and converts to a problem', () => {
    const e = new CertifyError('ERR_KEY_INVALID', 'nope', { path: '/a' })
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe('CertifyError')
    expect(e.toProblem()).toEqual({
      code: 'ERR_KEY_INVALID',
      message: 'nope',
      type: 'MALFORMED_VALUE_ERROR',
      path: '/a',
    })
    expect(isCertifyError(e)).toBe(true)
    expect(isCertifyError(new Error('x'))).toBe(false)
  })

  it('findCertifyError walks cause chains, bounded', () => {
    const inner = new CertifyError('ERR_DOCUMENT_NOT_FOUND', 'x')
    const outer = new Error('wrapped', { cause: new Error('again', { cause: inner }) })
    expect(findCertifyError(outer)).toBe(inner)
    expect(findCertifyError(new Error('plain'))).toBeUndefined()
    const loop: { cause?: unknown } = {}
    loop.cause = loop
    expect(findCertifyError(loop)).toBeUndefined()
  })

  it('isErrorCode accepts only listed codes', () => {
    expect(isErrorCode('ERR_PROOF_INVALID')).toBe(true)
    expect(isErrorCode('ERR_NOPE')).toBe(false)
    expect(isErrorCode('toString')).toBe(false)
  })
})
