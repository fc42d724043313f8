import { advance, type ChainPosition, type ChainStep } from '../../domain/requests/approval-chain.js'
import type { Identity } from '../../domain/model.js'
import type { RequestItem } from '../../domain/requests/access-request.js'
import { approveRequestItems, changeRequestItem } from '../../store/access-requests.js'
import { insertApprovals, insertAutoApproval, type NewApproval } from '../../store/approvals.js'
import type { Db } from '../../store/db.js'
import type { NotificationMessage, NotifyContext } from '../notifications/queue-notification.js'
import { notify, requestMessage, requestParties, type NotifiedItem } from './request-notifications.js'

type ChainItem = NotifiedItem & Pick<RequestItem, 'schemes' | 'step'>

/** The approver's decision that moved the chain on, for the requester's message when it was the last. */
export interface StepDecision {
  readonly by: string | null
  readonly comment: string | null
}

/** A chain to move on: the item, the step it moves on from, and the decision that moved it (if one did). */
export interface ChainMove {
  readonly item: ChainItem
  readonly from: number
  readonly decision?: StepDecision
}

/** The approval work item of one step: to its person, or to its governance group (any member decides). */
function approvalOf(item: ChainItem, step: number): NewApproval {
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

/** Where a new item's chain stands before anything is written: the phase and step to store it with. */
export function chainStart(
  item: Pick<RequestItem, 'schemes' | 'requesterId'>,
  autoApproval: boolean,
): { phase: 'APPROVED' | 'APPROVAL'; step: number } {
  const position = advance(item.schemes, 0, item.requesterId, autoApproval)
  return position.kind === 'APPROVED'
    ? { phase: 'APPROVED', step: 0 }
    : { phase: 'APPROVAL', step: position.step }
}

/**
 * Moves request items' chains on, in a few statements however many: the steps each requester approves by
 * themselves are recorded as approved automatically, the next step gets its approval work item and its
 * approvers (the person, or each member of the group) are told, in the transaction `tx`. An item with no
 * step left is approved; when an approver's decision ended it, its requester and recipient are told. New
 * items (`fresh`) were written with the phase and step of `chainStart` already. `known`: identities the
 * caller has read already, which the messages do not read again. Returns the ids of the items approved,
 * for the caller to provision once the transaction is committed.
 */
export async function moveChains(
  ctx: NotifyContext,
  tx: Db,
  moves: readonly ChainMove[],
  autoApproval: boolean,
  fresh = false,
  known: readonly Identity[] = [],
): Promise<string[]> {
  const now = ctx.now()
  const approved: string[] = []
  const opened: { item: ChainItem; approval: NewApproval }[] = []
  const messages: NotificationMessage[] = []
  for (const { item, from, decision } of moves) {
    const position: ChainPosition = advance(item.schemes, from, item.requesterId, autoApproval)
    for (const step of position.autoApproved) {
      await insertAutoApproval(tx, approvalOf(item, step), item.requesterId ?? '', now)
    }
    if (position.kind === 'APPROVED') {
      approved.push(item.id)
      if (decision !== undefined) {
        const extra = { approver: decision.by, approverComment: decision.comment }
        messages.push(requestMessage('REQUEST_APPROVED', item, requestParties(item), extra))
      }
      continue
    }
    opened.push({ item, approval: approvalOf(item, position.step) })
    if (!fresh && position.step !== item.step) {
      await changeRequestItem(tx, item.id, { phase: 'APPROVAL' }, { step: position.step }, now)
    }
  }
  if (!fresh) await approveRequestItems(tx, approved, now)
  const ids = await insertApprovals(
    tx,
    opened.map((o) => o.approval),
    now,
  )
  opened.forEach(({ item, approval }, i) => {
    const extra = { approvalId: ids[i] as string }
    messages.push(requestMessage('APPROVAL_REQUESTED', item, approversOf(item, approval), extra))
  })
  await notify(ctx, tx, messages, known)
  return approved
}
