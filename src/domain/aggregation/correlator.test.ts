import { describe, expect, it } from 'vitest'
import { Correlator } from './correlator.js'

describe('Correlator', () => {
  const identities = [
    { id: 'i1', attributes: { employeeNumber: '1', email: 'Ada@x.io' } },
    { id: 'i2', attributes: { employeeNumber: '2', email: 'bob@x.io' } },
    { id: 'i3', attributes: { employeeNumber: '3', email: 'bob@x.io' } },
  ]
  const c = new Correlator(
    [
      { property: 'employeeNumber', value: 'empNo' },
      { property: 'email', value: 'mail', ignoreCase: true },
    ],
    identities,
  )

  it('uses the first rule that finds exactly one identity', () => {
    expect(c.correlate({ empNo: '2', mail: 'ada@x.io' })).toBe('i2')
    expect(c.correlate({ empNo: '9', mail: 'ADA@X.IO' })).toBe('i1')
  })

  it('does not guess when a value matches several identities or none', () => {
    expect(c.correlate({ mail: 'bob@x.io' })).toBeNull()
    expect(c.correlate({ empNo: '', mail: null })).toBeNull()
    expect(new Correlator([], identities).correlate({ empNo: '1' })).toBeNull()
  })
})
