import { describe, expect, it } from 'vitest'
import { ConflictError, InputError } from '../errors.js'
import {
  CAMPAIGN_STATUSES,
  campaignMove,
  campaignSpecSchema,
  checkEarlyCompletion,
  type CampaignAction,
  type CampaignStatus,
} from './campaign.js'

const NOW = new Date('2026-03-01T12:00:00.000Z')
const PAST = '2026-02-28T12:00:00.000Z'
const FUTURE = '2026-03-31T12:00:00Z'

const minimal = { name: 'Q1 access review', type: 'MANAGER' }

describe('campaignSpecSchema', () => {
  it.each<[name: string, spec: Record<string, unknown>]>([
    ['a name and a type are enough', minimal],
    ['a deadline in UTC', { ...minimal, deadline: '2026-03-31T23:59:59Z' }],
    ['a deadline with an offset and milliseconds', { ...minimal, deadline: '2026-03-31T23:59:59.123+02:00' }],
    ['description and deadline may be null', { ...minimal, description: null, deadline: null }],
    ['a name of 255 characters', { ...minimal, name: 'n'.repeat(255) }],
    ['a description of 2000 characters', { ...minimal, description: 'd'.repeat(2000) }],
    [
      'every option of the reference',
      {
        ...minimal,
        description: 'Quarterly',
        emailNotificationEnabled: true,
        autoRevokeAllowed: false,
        recommendationsEnabled: true,
        sunsetCommentsRequired: false,
        mandatoryCommentRequirement: 'REVOKE_ONLY_DECISIONS',
        correlatedStatus: 'CORRELATED',
      },
    ],
    [
      "Provisio's options: owner, account revocation, auto-completion, reminders",
      {
        ...minimal,
        ownerRef: { id: 'i-1', type: 'IDENTITY', name: 'joan' },
        accountRevocation: 'DELETE',
        autoCompleteAction: 'REVOKE',
        reminderDays: [0, 7, 365],
      },
    ],
    [
      'a source owner campaign',
      { ...minimal, type: 'SOURCE_OWNER', sourceOwnerCampaignInfo: { sourceIds: ['s1'] } },
    ],
    [
      'a search campaign with a query and identities',
      {
        ...minimal,
        type: 'SEARCH',
        searchCampaignInfo: {
          type: 'IDENTITY',
          description: 'contractors',
          reviewer: { id: 'i-2' },
          query: 'attributes.type eq "contractor"',
          identityIds: ['i-3', 'i-4'],
        },
      },
    ],
    [
      'a role composition campaign with its remediator',
      {
        ...minimal,
        type: 'ROLE_COMPOSITION',
        roleCompositionCampaignInfo: { remediatorRef: { id: 'i-5' }, roleIds: ['r1'] },
      },
    ],
    [
      'read-only fields a client echoes back',
      { ...minimal, id: 'c-1', status: 'ACTIVE', created: '2026-01-01T00:00:00Z', modified: 'x' },
    ],
  ])('accepts %s', (_name, spec) => {
    expect(campaignSpecSchema.safeParse(spec).success).toBe(true)
  })

  it.each<[name: string, spec: Record<string, unknown>, path: string, message: RegExp]>([
    ['a misspelled field, named', { ...minimal, deadlin: FUTURE }, '', /deadlin/],
    [
      'an unknown field inside campaign info, named',
      { ...minimal, type: 'SEARCH', searchCampaignInfo: { query: 'x', filter: 'y' } },
      'searchCampaignInfo',
      /filter/,
    ],
    [
      'an unknown field in a reference',
      { ...minimal, ownerRef: { id: 'i-1', email: 'x@y' } },
      'ownerRef',
      /email/,
    ],
    ['no name', { type: 'MANAGER' }, 'name', /./],
    ['an empty name', { ...minimal, name: '' }, 'name', /./],
    ['a name of 256 characters', { ...minimal, name: 'n'.repeat(256) }, 'name', /./],
    ['a description of 2001 characters', { ...minimal, description: 'd'.repeat(2001) }, 'description', /./],
    ['no type', { name: 'x' }, 'type', /./],
    ['an unknown type', { ...minimal, type: 'ROLE' }, 'type', /./],
    ['a deadline without a time zone', { ...minimal, deadline: '2026-03-31T23:59:59' }, 'deadline', /./],
    ['a deadline that is a date only', { ...minimal, deadline: '2026-03-31' }, 'deadline', /./],
    ['a deadline that is not a date', { ...minimal, deadline: 'next friday' }, 'deadline', /./],
    [
      'an unknown comment requirement',
      { ...minimal, mandatoryCommentRequirement: 'SOME_DECISIONS' },
      'mandatoryCommentRequirement',
      /./,
    ],
    [
      'an auto-completion that decides nothing',
      { ...minimal, autoCompleteAction: 'SKIP' },
      'autoCompleteAction',
      /./,
    ],
    [
      'an account revocation other than disable or delete',
      { ...minimal, accountRevocation: 'LOCK' },
      'accountRevocation',
      /./,
    ],
    ['a reminder more than a year ahead', { ...minimal, reminderDays: [366] }, 'reminderDays.0', /./],
    ['a negative reminder', { ...minimal, reminderDays: [-1] }, 'reminderDays.0', /./],
    ['a reminder in part-days', { ...minimal, reminderDays: [1.5] }, 'reminderDays.0', /./],
    [
      'more than ten reminders',
      { ...minimal, reminderDays: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
      'reminderDays',
      /./,
    ],
    [
      'a source owner campaign without sources',
      { ...minimal, sourceOwnerCampaignInfo: { sourceIds: [] } },
      'sourceOwnerCampaignInfo.sourceIds',
      /./,
    ],
    [
      'a source owner campaign over 51 sources',
      { ...minimal, sourceOwnerCampaignInfo: { sourceIds: Array.from({ length: 51 }, (_, i) => `s${i}`) } },
      'sourceOwnerCampaignInfo.sourceIds',
      /./,
    ],
    [
      'a role composition campaign without its remediator',
      { ...minimal, roleCompositionCampaignInfo: { roleIds: ['r1'] } },
      'roleCompositionCampaignInfo.remediatorRef',
      /./,
    ],
    ['an owner reference without an id', { ...minimal, ownerRef: { name: 'joan' } }, 'ownerRef.id', /./],
    [
      'an empty search query',
      { ...minimal, searchCampaignInfo: { query: '' } },
      'searchCampaignInfo.query',
      /./,
    ],
    ['an option of the wrong type', { ...minimal, autoRevokeAllowed: 'yes' }, 'autoRevokeAllowed', /./],
  ])('refuses %s', (_name, spec, path, message) => {
    const result = campaignSpecSchema.safeParse(spec)
    expect(result.success).toBe(false)
    const issues = result.error?.issues ?? []
    expect(issues.map((i) => i.path.join('.'))).toContain(path)
    expect(issues.find((i) => i.path.join('.') === path)?.message).toMatch(message)
  })

  it('keeps what it accepts, and drops nothing it knows', () => {
    const spec = { ...minimal, deadline: FUTURE, reminderDays: [3, 1], ownerRef: { id: 'i-1' } }
    expect(campaignSpecSchema.parse(spec)).toEqual(spec)
  })
})

/** Every move the lifecycle allows; any other action in any other status is a conflict. */
const ALLOWED: readonly [action: CampaignAction, from: CampaignStatus, to: CampaignStatus][] = [
  ['generate', 'PENDING', 'STAGED'],
  ['fail', 'PENDING', 'ERROR'],
  ['activate', 'STAGED', 'ACTIVE'],
  ['complete', 'ACTIVE', 'COMPLETING'],
  ['finish-remediation', 'COMPLETING', 'COMPLETED'],
  ['delete', 'PENDING', 'PENDING'],
  ['delete', 'STAGED', 'STAGED'],
  ['delete', 'ERROR', 'ERROR'],
  ['delete', 'COMPLETED', 'COMPLETED'],
]
const ACTIONS: readonly CampaignAction[] = [
  'generate',
  'fail',
  'activate',
  'complete',
  'finish-remediation',
  'delete',
]
const REFUSED = ACTIONS.flatMap((action) =>
  CAMPAIGN_STATUSES.filter((from) => !ALLOWED.some(([a, f]) => a === action && f === from)).map(
    (from) => [action, from] as const,
  ),
)

describe('campaignMove', () => {
  const campaign = (status: CampaignStatus, deadline: string | null = null) => ({
    name: 'Q1',
    status,
    deadline,
  })

  it.each(ALLOWED)('%s: %s → %s', (action, from, to) => {
    expect(campaignMove(campaign(from), action, NOW)).toBe(to)
  })

  it.each(REFUSED)('%s is refused in %s, as a conflict naming the status', (action, from) => {
    const move = () => campaignMove(campaign(from), action, NOW)
    expect(move).toThrow(ConflictError)
    expect(move).toThrow(`campaign "Q1" is ${from}: `)
  })

  it.each<[name: string, status: CampaignStatus, action: CampaignAction, message: string]>([
    [
      'activating an active campaign says it needs STAGED',
      'ACTIVE',
      'activate',
      'campaign "Q1" is ACTIVE: activating it needs it STAGED',
    ],
    [
      'deleting an active campaign says to complete it first',
      'ACTIVE',
      'delete',
      'campaign "Q1" is ACTIVE: deleting it (an active campaign cannot be deleted: complete it first) needs it STAGED or ERROR or COMPLETED or PENDING',
    ],
    [
      'completing a staged campaign says it needs ACTIVE',
      'STAGED',
      'complete',
      'campaign "Q1" is STAGED: completing it needs it ACTIVE',
    ],
    [
      'generating twice says it needs PENDING',
      'STAGED',
      'generate',
      'campaign "Q1" is STAGED: generating it needs it PENDING',
    ],
  ])('%s', (_name, status, action, message) => {
    expect(() => campaignMove(campaign(status), action, NOW)).toThrow(message)
  })

  it.each<[name: string, deadline: string | null, expected: CampaignStatus | RegExp]>([
    ['no deadline: activates', null, 'ACTIVE'],
    ['a deadline ahead: activates', FUTURE, 'ACTIVE'],
    ['a deadline one millisecond ahead: activates', '2026-03-01T12:00:00.001Z', 'ACTIVE'],
    [
      'a deadline at this very moment: refused',
      NOW.toISOString(),
      /has its deadline \(2026-03-01T12:00:00.000Z\) in the past/,
    ],
    [
      'a deadline past: refused, saying to change it',
      PAST,
      /^campaign "Q1" has its deadline \(2026-02-28T12:00:00.000Z\) in the past: change the deadline before activating it$/,
    ],
    ['a deadline past in another time zone: refused', '2026-03-01T13:00:00+02:00', /in the past/],
  ])('activate with %s', (_name, deadline, expected) => {
    const move = () => campaignMove(campaign('STAGED', deadline), 'activate', NOW)
    if (typeof expected === 'string') expect(move()).toBe(expected)
    else {
      expect(move).toThrow(InputError)
      expect(move).toThrow(expected)
    }
  })

  it.each<[action: CampaignAction, from: CampaignStatus, to: CampaignStatus]>([
    ['complete', 'ACTIVE', 'COMPLETING'],
    ['finish-remediation', 'COMPLETING', 'COMPLETED'],
    ['generate', 'PENDING', 'STAGED'],
    ['delete', 'STAGED', 'STAGED'],
  ])('a past deadline does not stop %s (%s → %s)', (action, from, to) => {
    expect(campaignMove(campaign(from, PAST), action, NOW)).toBe(to)
  })

  it('a campaign in the wrong status with a past deadline is a conflict first', () => {
    expect(() => campaignMove(campaign('ACTIVE', PAST), 'activate', NOW)).toThrow(ConflictError)
  })
})

describe('checkEarlyCompletion', () => {
  it.each<[name: string, deadline: string | null, refused: string | null]>([
    [
      'no deadline: refused, saying it has none',
      null,
      'campaign "Q1" is not past due (it has no deadline): it completes when every reviewer has signed off',
    ],
    [
      'a deadline ahead: refused, naming it',
      FUTURE,
      `campaign "Q1" is not past due (deadline ${FUTURE}): it completes when every reviewer has signed off`,
    ],
    [
      'a deadline one millisecond ahead: refused',
      '2026-03-01T12:00:00.001Z',
      'campaign "Q1" is not past due (deadline 2026-03-01T12:00:00.001Z): it completes when every reviewer has signed off',
    ],
    ['a deadline at this very moment: past due', NOW.toISOString(), null],
    ['a deadline past: past due', PAST, null],
  ])('%s', (_name, deadline, refused) => {
    const check = () => checkEarlyCompletion({ name: 'Q1', deadline }, NOW)
    if (refused === null) expect(check).not.toThrow()
    else {
      expect(check).toThrow(InputError)
      expect(check).toThrow(refused)
    }
  })
})
