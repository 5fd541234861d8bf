import {
  CATALOG,
  CONTROL_AREAS,
  INSTITUTE_BASE_URL,
  PROGRAM_CODES,
  achievementFor,
  createCatalog,
  findProgramByAchievementId,
  getProgram,
} from '@certify-vc/context'
import { describe, expect, it } from 'vitest'

function thrownCode(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return (error as { code?: unknown }).code
  }
  return 'did not throw'
}

describe('catalog', () => {
  it('holds AIDA, CAAE and AIMA with https achievement ids under the base URL', () => {
    expect(PROGRAM_CODES).toEqual(['AIDA', 'CAAE', 'AIMA'])
    for (const code of PROGRAM_CODES) {
      const p = CATALOG.programs[code]
      expect(p.code).toBe(code)
      expect(p.achievementId).toBe(`${INSTITUTE_BASE_URL}/certify/${code.toLowerCase()}`)
      expect(p.name).toContain(`(${code})`)
      expect(p.description.length).toBeGreaterThan(40)
      expect(p.criteriaNarrative.length).toBeGreaterThan(40)
      expect(p.validity).toEqual({ expires: false })
    }
    expect(CATALOG.programs.AIDA.fee).toBe('free')
    expect(CATALOG.programs.CAAE.fee).toBe('paid')
    expect(CATALOG.programs.CAAE.prerequisites).toEqual(['AIDA'])
    expect(CATALOG.programs.AIMA.fee).toBe('free')
  })

  it('has the five control areas as alignments', () => {
    expect(CONTROL_AREAS.map((a) => a.slug)).toEqual([
      'input-boundaries',
      'output-validation',
      'observability',
      'human-oversight',
      'deployment-safety',
    ])
    const a = achievementFor(CATALOG.programs.CAAE, CATALOG)
    expect(a.alignment).toHaveLength(5)
    expect(a.alignment?.[0]).toMatchObject({ type: ['Alignment'], targetName: 'Input boundaries' })
  })

  it('builds an OB 3.0 Achievement from a program', () => {
    expect(achievementFor(CATALOG.programs.AIDA, CATALOG)).toMatchObject({
      id: CATALOG.programs.AIDA.achievementId,
      type: ['Achievement'],
      achievementType: 'Certificate',
      criteria: { narrative: CATALOG.programs.AIDA.criteriaNarrative },
      image: { id: CATALOG.programs.AIDA.image, type: 'Image' },
      programCode: 'AIDA',
    })
  })

  it('expiry is configurable per program', () => {
    const c = createCatalog({ validity: { CAAE: { expires: true, days: 730 } } })
    expect(c.programs.CAAE.validity).toEqual({ expires: true, days: 730 })
    expect(c.programs.AIDA.validity).toEqual({ expires: false })
  })

  it('a custom base URL moves every id', () => {
    const c = createCatalog({ baseUrl: 'https://certs.example.org/' })
    expect(c.programs.AIMA.achievementId).toBe('https://certs.example.org/certify/aima')
    expect(c.institute.url).toBe('https://certs.example.org')
  })

  it('looks programs up by code and by exact achievement id', () => {
    expect(getProgram('CAAE').code).toBe('CAAE')
    expect(findProgramByAchievementId(CATALOG.programs.AIMA.achievementId)?.code).toBe('AIMA')
    expect(findProgramByAchievementId(CATALOG.programs.AIMA.achievementId + '/')).toBeUndefined()
  })

  it('rejects bad input', () => {
    expect(thrownCode(() => getProgram('PHD'))).toBe('ERR_ISSUE_PROGRAM_UNKNOWN')
    expect(thrownCode(() => getProgram('aida'))).toBe('ERR_ISSUE_PROGRAM_UNKNOWN')
    expect(() => createCatalog({ baseUrl: 'http://insecure.example' })).toThrow(TypeError)
    expect(() => createCatalog({ baseUrl: 'not a url' })).toThrow(TypeError)
    expect(() => createCatalog({ validity: { AIDA: { expires: true, days: 0 } } })).toThrow(
      TypeError,
    )
    expect(() => createCatalog(null as never)).toThrow(TypeError)
  })
})
