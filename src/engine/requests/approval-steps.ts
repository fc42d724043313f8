import { advance, type ChainStep } from '../../domain/requests/approval-chain.js'
import type { RequestItem } from '../../domain/requests/access-request.js'
import { changeRequestItem } from '../../store/access-requests.js'
import { insertApproval, insertAutoApproval } from '../../store/approvals.js'
import type { Db } from '../../store/db.js'

type ChainItem = Pick<
  RequestItem,
  'id' | 'requesterId' | 'schemes' | 'itemName' | 'identityId' | 'requestType' | 'step'
>

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
 * Moves a request item's chain on from step `from`: the steps the requester approves by themselves are
 * recorded as approved automatically, and the next step gets its approval work item. `APPROVED` when no
 * step is left (the caller provisions it once the transaction is committed).
 */
export async function continueChain(
  tx: Db,
  item: ChainItem,
  from: number,
  autoApproval: boolean,
  now: Date,
): Promise<'APPROVED' | 'PENDING'> {
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
    return 'APPROVED'
  }
  await insertApproval(tx, approvalOf(item, position.step), now)
  // A new item already stands at its first step (written with it, at the same time): nothing to change.
  if (position.step !== item.step) {
    await changeRequestItem(tx, item.id, { phase: 'APPROVAL' }, { step: position.step }, now)
  }
  return 'PENDING'
}

/** Starts a new request item's chain at its first step. */
export function startApprovals(
  tx: Db,
  item: ChainItem,
  autoApproval: boolean,
  now: Date,
): Promise<'APPROVED' | 'PENDING'> {
  return continueChain(tx, item, 0, autoApproval, now)
}
