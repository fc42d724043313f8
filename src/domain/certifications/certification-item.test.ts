import { describe, expect, it } from 'vitest'
import { InputError } from '../errors.js'
import type { CampaignSpec } from './campaign.js'
import {
  checkDecisions,
  decisionProblem,
  type CertificationItem,
  type ItemDecision,
} from './certification-item.js'

const NOW = new Date('2026-03-01T12:00:00.000Z')
const LATER = '2026-06-30T00:00:00Z'

type Item = Pick<CertificationItem, 'id' | 'itemName' | 'revocable' | 'acknowledgeOnly'>
type Spec = Pick<CampaignSpec, 'mandatoryCommentRequirement' | 'sunsetCommentsRequired'>

const revocable: Item = { id: 'c1', itemName: 'VPN', revocable: true, acknowledgeOnly: null }
const byCriteria: Item = {
  id: 'c2',
  itemName: 'Engineering',
  revocable: false,
  acknowledgeOnly: 'a member of role "Engineering" by its criteria (department EQUALS "Engineering")',
}
const unexplained: Item = { id: 'c3', itemName: 'Lobby', revocable: false, acknowledgeOnly: null }

const approve = (over: Partial<ItemDecision> = {}): ItemDecision => ({
  id: 'c1',
  decision: 'APPROVE',
  ...over,
})
const revoke = (over: Partial<ItemDecision> = {}): ItemDecision => ({ id: 'c1', decision: 'REVOKE', ...over })

const ALL: Spec = { mandatoryCommentRequirement: 'ALL_DECISIONS' }
const REVOKES: Spec = { mandatoryCommentRequirement: 'REVOKE_ONLY_DECISIONS' }
const NONE: Spec = { mandatoryCommentRequirement: 'NO_DECISIONS' }

describe('decisionProblem', () => {
  it.each<[name: string, item: Item, decision: ItemDecision, spec: Spec, problem: string | null]>([
    ['approve, no comment, default options: accepted', revocable, approve(), {}, null],
    ['revoke, no comment, default options: accepted', revocable, revoke(), {}, null],
    [
      'revoke of acknowledge-only access: refused, saying why',
      byCriteria,
      revoke({ id: 'c2' }),
      {},
      'item c2 ("Engineering") cannot be revoked here: a member of role "Engineering" by its criteria (department EQUALS "Engineering")',
    ],
    [
      'revoke of access not revocable without a reason: refused as acknowledge-only',
      unexplained,
      revoke({ id: 'c3' }),
      {},
      'item c3 ("Lobby") cannot be revoked here: it is acknowledge-only',
    ],
    ['approve of acknowledge-only access: accepted', byCriteria, approve({ id: 'c2' }), {}, null],
    [
      'revoke of acknowledge-only access with a comment where comments are required: still refused for what it is',
      byCriteria,
      revoke({ id: 'c2', comments: 'gone' }),
      ALL,
      'item c2 ("Engineering") cannot be revoked here: a member of role "Engineering" by its criteria (department EQUALS "Engineering")',
    ],
    [
      'ALL_DECISIONS, approve without a comment: refused',
      revocable,
      approve(),
      ALL,
      'item c1 ("VPN"): a comment is required for every decision in this campaign',
    ],
    [
      'ALL_DECISIONS, revoke without a comment: refused, naming the revocation',
      revocable,
      revoke(),
      ALL,
      'item c1 ("VPN"): a comment is required for a revocation in this campaign',
    ],
    [
      'ALL_DECISIONS, a blank comment is no comment',
      revocable,
      approve({ comments: ' \n\t ' }),
      ALL,
      'item c1 ("VPN"): a comment is required for every decision in this campaign',
    ],
    [
      'ALL_DECISIONS, a null comment is no comment',
      revocable,
      approve({ comments: null }),
      ALL,
      'item c1 ("VPN"): a comment is required for every decision in this campaign',
    ],
    [
      'ALL_DECISIONS, approve with a comment: accepted',
      revocable,
      approve({ comments: 'needed' }),
      ALL,
      null,
    ],
    [
      'ALL_DECISIONS, revoke with a comment: accepted',
      revocable,
      revoke({ comments: 'left the team' }),
      ALL,
      null,
    ],
    ['REVOKE_ONLY_DECISIONS, approve without a comment: accepted', revocable, approve(), REVOKES, null],
    [
      'REVOKE_ONLY_DECISIONS, revoke without a comment: refused',
      revocable,
      revoke(),
      REVOKES,
      'item c1 ("VPN"): a comment is required for a revocation in this campaign',
    ],
    [
      'REVOKE_ONLY_DECISIONS, revoke with a comment: accepted',
      revocable,
      revoke({ comments: 'x' }),
      REVOKES,
      null,
    ],
    ['NO_DECISIONS, revoke without a comment: accepted', revocable, revoke(), NONE, null],
    [
      'an end date with an approval: refused',
      revocable,
      approve({ proposedEndDate: LATER, comments: 'until June' }),
      {},
      'item c1 ("VPN"): proposedEndDate goes with REVOKE only',
    ],
    [
      'a null end date with an approval: no end date, accepted',
      revocable,
      approve({ proposedEndDate: null }),
      {},
      null,
    ],
    [
      'an end date that is not a date-time: refused, quoting it',
      revocable,
      revoke({ proposedEndDate: 'soon', comments: 'x' }),
      {},
      'item c1 ("VPN"): proposedEndDate "soon" is not a date-time',
    ],
    [
      'an end date in the past: refused',
      revocable,
      revoke({ proposedEndDate: '2026-02-01T00:00:00Z', comments: 'x' }),
      {},
      'item c1 ("VPN"): proposedEndDate must be in the future',
    ],
    [
      'an end date at this very moment: refused',
      revocable,
      revoke({ proposedEndDate: NOW.toISOString(), comments: 'x' }),
      {},
      'item c1 ("VPN"): proposedEndDate must be in the future',
    ],
    [
      'an end date ahead, with a comment: accepted',
      revocable,
      revoke({ proposedEndDate: LATER, comments: 'x' }),
      {},
      null,
    ],
    [
      'an end date ahead without a comment, sunset comments by default: refused',
      revocable,
      revoke({ proposedEndDate: LATER }),
      {},
      'item c1 ("VPN"): a comment is required with a proposed end date (sunsetCommentsRequired)',
    ],
    [
      'an end date ahead without a comment, sunsetCommentsRequired true: refused',
      revocable,
      revoke({ proposedEndDate: LATER, comments: '  ' }),
      { sunsetCommentsRequired: true },
      'item c1 ("VPN"): a comment is required with a proposed end date (sunsetCommentsRequired)',
    ],
    [
      'an end date ahead without a comment, sunsetCommentsRequired false: accepted',
      revocable,
      revoke({ proposedEndDate: LATER }),
      { sunsetCommentsRequired: false },
      null,
    ],
    [
      'REVOKE_ONLY_DECISIONS and an end date without a comment: the revocation comment is asked first',
      revocable,
      revoke({ proposedEndDate: LATER }),
      { ...REVOKES, sunsetCommentsRequired: false },
      'item c1 ("VPN"): a comment is required for a revocation in this campaign',
    ],
    [
      'an end date on acknowledge-only access: refused for what it is',
      byCriteria,
      revoke({ id: 'c2', proposedEndDate: LATER, comments: 'x' }),
      {},
      'item c2 ("Engineering") cannot be revoked here: a member of role "Engineering" by its criteria (department EQUALS "Engineering")',
    ],
  ])('%s', (_name, item, decision, spec, problem) => {
    expect(decisionProblem(item, decision, spec, NOW)).toBe(problem)
  })
})

describe('checkDecisions', () => {
  const items = new Map<string, Item>([
    ['c1', revocable],
    ['c2', byCriteria],
    ['c4', { id: 'c4', itemName: 'cn=x', revocable: true, acknowledgeOnly: null }],
  ])

  it.each<[name: string, decisions: ItemDecision[], spec: Spec]>([
    ['no decisions', [], ALL],
    ['one decision per item, each valid', [approve(), approve({ id: 'c2' }), revoke({ id: 'c4' })], {}],
    [
      'valid under ALL_DECISIONS with comments everywhere',
      [approve({ comments: 'ok' }), revoke({ id: 'c4', comments: 'unused', proposedEndDate: LATER })],
      ALL,
    ],
  ])('accepts %s', (_name, decisions, spec) => {
    expect(() => checkDecisions(items, decisions, spec, NOW)).not.toThrow()
  })

  it.each<[name: string, decisions: ItemDecision[], spec: Spec, message: string]>([
    ['an item decided twice in one call', [approve(), revoke()], {}, 'item c1 is decided twice in one call'],
    ['an item not in the certification', [approve({ id: 'c9' })], {}, 'no item c9 in this certification'],
    [
      'an unknown item decided twice: both said, each time',
      [approve({ id: 'c9' }), approve({ id: 'c9' })],
      {},
      'no item c9 in this certification; item c9 is decided twice in one call; no item c9 in this certification',
    ],
    [
      'every problem of the call, in order, joined',
      [revoke({ id: 'c2' }), approve(), revoke({ id: 'c4' }), approve({ id: 'c9' })],
      REVOKES,
      'item c2 ("Engineering") cannot be revoked here: a member of role "Engineering" by its criteria (department EQUALS "Engineering"); ' +
        'item c4 ("cn=x"): a comment is required for a revocation in this campaign; ' +
        'no item c9 in this certification',
    ],
    [
      'a duplicate whose second decision is also invalid: both problems',
      [approve(), revoke({ proposedEndDate: '2020-01-01T00:00:00Z', comments: 'x' })],
      {},
      'item c1 is decided twice in one call; item c1 ("VPN"): proposedEndDate must be in the future',
    ],
  ])('refuses %s, as one InputError', (_name, decisions, spec, message) => {
    const check = () => checkDecisions(items, decisions, spec, NOW)
    expect(check).toThrow(InputError)
    expect(check).toThrow(new InputError(message))
  })
})
