import { describe, expect, it } from 'vitest'
import { advance, decide, type ChainStep } from './approval-chain.js'

const step = (approverType: ChainStep['approverType'], ...owners: string[]): ChainStep => ({
  approverType,
  approverId: null,
  owners,
  label: `${approverType} ${owners.join(',')}`,
})
const chain = [step('MANAGER', 'boss'), step('OWNER', 'owner'), step('GOVERNANCE_GROUP', 'g1', 'g2')]

describe('approval chain', () => {
  it.each([
    // steps, from, requester, auto-approval → position
    [chain, 0, 'ada', false, { kind: 'PENDING', step: 0, autoApproved: [] }],
    [chain, 0, 'boss', false, { kind: 'PENDING', step: 0, autoApproved: [] }],
    [chain, 0, 'boss', true, { kind: 'PENDING', step: 1, autoApproved: [0] }],
    [chain, 1, 'g2', true, { kind: 'PENDING', step: 1, autoApproved: [] }],
    [chain, 2, 'g2', true, { kind: 'APPROVED', autoApproved: [2] }],
    [[step('OWNER', 'x'), step('MANAGER', 'x')], 0, 'x', true, { kind: 'APPROVED', autoApproved: [0, 1] }],
    [[], 0, 'ada', false, { kind: 'APPROVED', autoApproved: [] }],
    [chain, 3, null, true, { kind: 'APPROVED', autoApproved: [] }],
  ] as const)('advance %#', (steps, from, requester, auto, expected) => {
    expect(advance(steps, from, requester, auto)).toEqual(expected)
  })

  it('a rejection ends the chain at any step; an approval moves to the next', () => {
    expect(decide(chain, 1, 'REJECT', 'ada', true)).toEqual({ kind: 'REJECTED' })
    expect(decide(chain, 0, 'APPROVE', 'ada', true)).toEqual({ kind: 'PENDING', step: 1, autoApproved: [] })
    expect(decide(chain, 1, 'APPROVE', 'g1', true)).toEqual({ kind: 'APPROVED', autoApproved: [2] })
    expect(decide(chain, 2, 'APPROVE', 'ada', false)).toEqual({ kind: 'APPROVED', autoApproved: [] })
  })
})
