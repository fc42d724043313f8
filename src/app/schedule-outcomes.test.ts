import { describe, expect, it } from 'vitest'
import { ScheduleOutcomes } from './schedule-outcomes.js'

describe('ScheduleOutcomes', () => {
  it('lists schedules whose latest run failed, until they succeed, and keeps the last failure', () => {
    const o = new ScheduleOutcomes('/srv/provisio/ws')
    o.succeeded('HR', new Date('2026-12-01T06:00:00Z'))
    expect(o.failing()).toEqual([])
    expect(o.lastFailure()).toBeUndefined()
    o.failed('Badges', new Date('2026-12-01T06:15:00Z'), new Error('boom'))
    expect(o.failing()).toEqual([
      { schedule: 'Badges', at: '2026-12-01T06:15:00.000Z', ok: false, error: 'boom' },
    ])
    o.succeeded('Badges', new Date('2026-12-01T07:15:00Z'))
    expect(o.failing()).toEqual([])
    expect(o.lastFailure()).toMatchObject({ schedule: 'Badges', error: 'boom' })
  })

  it('never shows where the workspace is on disk', () => {
    const o = new ScheduleOutcomes('/srv/provisio/ws/')
    o.failed(
      'x',
      new Date(),
      new Error('file not found: /srv/provisio/ws/data/badges.csv (in /srv/provisio/ws)'),
    )
    expect(o.lastFailure()?.error).toBe('file not found: data/badges.csv (in .)')
  })
})
