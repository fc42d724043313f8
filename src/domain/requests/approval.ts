import type { ApproverType } from './approval-chain.js'

/** An approval's state in the reference's words (`PENDING`…), from its work item's state. */
export type ApprovalStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'CANCELLED'

/** One step of a request's approval chain: a work item of type `Approval`. */
export interface Approval {
  readonly id: string
  readonly requestItemId: string
  readonly step: number
  readonly scheme: ApproverType
  /** The identity it is assigned to; null when a governance group holds it (`ownerGroup`). */
  readonly owner: string | null
  readonly ownerGroup: string | null
  /** Whom it was first assigned to (before forwards and escalation). */
  readonly originalOwner: string | null
  readonly status: ApprovalStatus
  readonly decidedBy: string | null
  readonly comment: string | null
  readonly reminders: number
  readonly lastReminded: string | null
  readonly escalated: string | null
  readonly created: string
  readonly modified: string
  readonly completed: string | null
}

/** What happened to a work item, by whom and when (`work_item_events`). */
export interface WorkItemEvent {
  readonly workItemId: string
  readonly at: string
  readonly actor: string | null
  readonly action:
    | 'CREATED'
    | 'FORWARDED'
    | 'APPROVED'
    | 'REJECTED'
    | 'AUTO_APPROVED'
    | 'REMINDED'
    | 'ESCALATED'
    | 'CANCELLED'
    | 'REASSIGNED'
    | 'SIGNED_OFF'
  readonly fromOwner: string | null
  readonly toOwner: string | null
  readonly comment: string | null
}
