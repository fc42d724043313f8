import { describe, expect, it } from 'vitest'
import { InputError } from '../errors.js'
import { campaignTemplateSchema, nextRun, scheduleSchema } from './campaign-template.js'

const NOW = new Date('2027-03-01T10:00:00Z')
const at9 = { type: 'LIST', values: ['9'] }

/** What nextRun makes of a schedule as the API receives it: an InputError, never another error (a 500). */
function refusal(input: unknown): string {
  try {
    nextRun(scheduleSchema.parse(input), NOW)
  } catch (err) {
    expect(err).toBeInstanceOf(InputError)
    return (err as Error).message
  }
  throw new Error('the schedule was accepted')
}

describe('nextRun refuses impossible schedules by name', () => {
  it.each<[name: string, schedule: object, message: RegExp]>([
    [
      'a CALENDAR day that is not in its month',
      { type: 'CALENDAR', days: { type: 'LIST', values: ['2031-02-31'] }, hours: at9 },
      /schedule\.days: "2031-02-31" is not a date/,
    ],
    [
      'an hour in hexadecimal',
      { type: 'MONTHLY', days: { type: 'LIST', values: ['1'] }, hours: { type: 'LIST', values: ['0x9'] } },
      /schedule\.hours: "0x9" is not 0–23/,
    ],
    [
      'a CALENDAR hour that is not a number as written',
      {
        type: 'CALENDAR',
        days: { type: 'LIST', values: ['2031-01-01'] },
        hours: { type: 'LIST', values: ['9.0'] },
      },
      /schedule\.hours: "9\.0" is not 0–23/,
    ],
    [
      'an interval on a LIST',
      {
        type: 'MONTHLY',
        days: { type: 'LIST', values: ['1'] },
        hours: { type: 'LIST', values: ['9'], interval: 2 },
      },
      /schedule\.hours\.interval: an interval goes with a RANGE/,
    ],
    [
      'a CALENDAR month 13',
      { type: 'CALENDAR', days: { type: 'LIST', values: ['2031-13-01'] }, hours: at9 },
      /schedule\.days: "2031-13-01" is not a date/,
    ],
    [
      'a CALENDAR day 0',
      { type: 'CALENDAR', days: { type: 'LIST', values: ['2031-01-00'] }, hours: at9 },
      /schedule\.days: "2031-01-00" is not a date/,
    ],
    [
      'an unknown time zone on a CALENDAR schedule',
      {
        type: 'CALENDAR',
        days: { type: 'LIST', values: ['2031-01-01'] },
        hours: at9,
        timeZoneId: 'Nowhere/Land',
      },
      /schedule\.timeZoneId: "Nowhere\/Land" is not a time zone/,
    ],
    [
      'an unknown time zone on a MONTHLY schedule',
      { type: 'MONTHLY', days: { type: 'LIST', values: ['1'] }, hours: at9, timeZoneId: 'Mars/Olympus' },
      /schedule\.timeZoneId: "Mars\/Olympus" is not a time zone/,
    ],
    [
      'a WEEKLY RANGE of three days',
      { type: 'WEEKLY', days: { type: 'RANGE', values: ['MON', 'FRI', 'SUN'] }, hours: at9 },
      /schedule\.days: a RANGE has two values/,
    ],
  ])('%s', (_, schedule, message) => {
    expect(refusal(schedule)).toMatch(message)
  })

  it('still reads a time zone as the reference names it', () => {
    const next = nextRun(
      scheduleSchema.parse({
        type: 'MONTHLY',
        days: { type: 'LIST', values: ['1'] },
        hours: at9,
        timeZoneId: 'Europe/Paris',
      }),
      NOW,
    )
    expect(next?.toISOString()).toBe('2027-04-01T07:00:00.000Z')
  })
})

describe('campaignTemplateSchema', () => {
  const template = { name: 't', campaign: { name: 'c', type: 'MANAGER' } }
  it.each(['P0D', 'PT0H', 'P0Y0M', 'P99999999Y'])(
    'refuses deadlineDuration %s: no campaign generated with it could be created',
    (deadlineDuration) => {
      const parsed = campaignTemplateSchema.safeParse({ ...template, deadlineDuration })
      expect(parsed.success).toBe(false)
      expect(parsed.error?.issues[0]?.path).toEqual(['deadlineDuration'])
    },
  )
  it.each(['P2W', 'P30D', 'P1M', 'PT36H', 'P1Y'])('takes deadlineDuration %s', (deadlineDuration) => {
    expect(campaignTemplateSchema.safeParse({ ...template, deadlineDuration }).success).toBe(true)
  })
  it('refuses a campaign name that grows past 255 characters once its placeholders are filled in', () => {
    // 120 × "%B" is 240 characters as written; every September it would be 1,080.
    const grows = campaignTemplateSchema.safeParse({
      ...template,
      campaign: { name: '%B'.repeat(120), type: 'MANAGER' },
    })
    expect(grows.success).toBe(false)
    expect(grows.error?.issues[0]).toMatchObject({
      path: ['campaign', 'name'],
      message: /1080 characters, over 255/,
    })
    // 28 × "%B" fills in to 252 at most: taken.
    const fits = { ...template, campaign: { name: '%B'.repeat(28), type: 'MANAGER' } }
    expect(campaignTemplateSchema.safeParse(fits).success).toBe(true)
  })
})
