import { advance, type ChainStep } from '../../domain/requests/approval-chain.js'
import type { RequestItem } from '../../domain/requests/access-request.js'
import { changeRequestItem } from '../../store/access-requests.js'
import { insertApproval, insertAutoApproval } from '../../store/approvals.js'
import type { Db } from '../../store/db.js'
import type { NotifyContext } from '../notifications/queue-notification.js'
import { notify, requestMessage, requestParties, type NotifiedItem } from './request-notifications.js'

type ChainItem = NotifiedItem & Pick<RequestItem, 'schemes' | 'step'>

/** The approver's decision that moved the chain on, for the requester's message when it was the last. */
export interface StepDecision {
  readonly by: string | null
  readonly comment: string | null
}

/** The approval work item of one step: to its person, or to its governance group (any member decides). */
function approvalOf(item: ChainItem, step: number) {
  const s = item.schemes[step] as ChainStep
  const group = s.approverType === 'GOVERNANCE_GROUP' && s.approverId !== null ? s.approverId : null
  return {
    requestItemId: item.id,
    step,
    scheme: s.approverType,
    owner: group === null ? (s.owners[0] ?? null) : null,
    ownerGroup: group,
    description: `${item.requestType === 'REVOKE_ACCESS' ? 'Revoke' : 'Grant'} ${item.itemName} (${s.label})`,
  }
}

/**
 * Who may decide an approval now: its person, or the members its governance group had when the request
 * was made (its step's owners).
 */
export function approversOf(
  item: Pick<RequestItem, 'schemes'>,
  approval: { step: number; owner: string | null },
): string[] {
  if (approval.owner !== null) return [approval.owner]
  return [...(item.schemes[approval.step]?.owners ?? [])]
}

/**
 * Moves a request item's chain on from step `from`: the steps the requester approves by themselves are
 * recorded as approved automatically, and the next step gets its approval work item, its approvers (the
 * person, or each member of the group) told in the same transaction. `APPROVED` when no step is left (the
 * caller provisions it once the transaction is committed); when an approver's `decision` ended it, the
 * requester and the person it is for are told.
 */
export async function continueChain(
  ctx: NotifyContext,
  tx: Db,
  item: ChainItem,
  from: number,
  autoApproval: boolean,
  decision?: StepDecision,
): Promise<'APPROVED' | 'PENDING'> {
  const now = ctx.now()
  const position = advance(item.schemes, from, item.requesterId, autoApproval)
  for (const step of position.autoApproved) {
    await insertAutoApproval(tx, approvalOf(item, step), item.requesterId ?? '', now)
  }
  if (position.kind === 'APPROVED') {
    await changeRequestItem(
      tx,
      item.id,
      { phase: 'APPROVAL' },
      { phase: 'APPROVED', decided: now.toISOString() },
      now,
    )
    if (decision !== undefined) {
      const extra = { approver: decision.by, approverComment: decision.comment }
      await notify(ctx, tx, [requestMessage('REQUEST_APPROVED', item, requestParties(item), extra)])
    }
    return 'APPROVED'
  }
  const approval = approvalOf(item, position.step)
  const approvalId = await insertApproval(tx, approval, now)
  const message = requestMessage('APPROVAL_REQUESTED', item, approversOf(item, approval), { approvalId })
  await notify(ctx, tx, [message])
  // A new item already stands at its first step (written with it, at the same time): nothing to change.
  if (position.step !== item.step) {
    await changeRequestItem(tx, item.id, { phase: 'APPROVAL' }, { step: position.step }, now)
  }
  return 'PENDING'
}

/** Starts a new request item's chain at its first step. */
export function startApprovals(
  ctx: NotifyContext,
  tx: Db,
  item: ChainItem,
  autoApproval: boolean,
): Promise<'APPROVED' | 'PENDING'> {
  return continueChain(ctx, tx, item, 0, autoApproval)
}
