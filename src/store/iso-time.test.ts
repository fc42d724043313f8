import { describe, expect, it } from 'vitest'
import { iso, isoOrNull } from './iso-time.js'

describe('iso', () => {
  it('gives what Date gives for every form the store returns', () => {
    for (const text of [
      '2026-12-07T05:28:18.123456+00:00',
      '2026-12-07T05:28:18.1239+00:00',
      '2026-12-07T05:28:18.999999+00:00',
      '2026-12-07T05:28:18.5+00:00',
      '2026-12-07T05:28:18+00:00',
      '2026-12-07T05:28:18.123Z',
      '2026-12-07T05:28:18Z',
      // Not UTC, or not in the database's form: parsed as a date.
      '2026-12-07T06:28:18.123+01:00',
      '2026-12-07 05:28:18.123+00',
    ]) {
      expect(iso(text), text).toBe(new Date(text).toISOString())
    }
    expect(iso(new Date(Date.UTC(2026, 11, 7, 5, 28, 18, 7)))).toBe('2026-12-07T05:28:18.007Z')
    expect(isoOrNull(null)).toBeNull()
  })
})
