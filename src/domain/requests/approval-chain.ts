/**
 * An access request's approval chain: the schemes of the item's `accessRequestConfig` in order, each
 * resolved when the request is made to the identities who may decide it (a person, or the members of a
 * governance group, the first of whom to act decides). Pure: the engine persists each transition.
 */

export const APPROVER_TYPES = ['MANAGER', 'OWNER', 'SOURCE_OWNER', 'APP_OWNER', 'GOVERNANCE_GROUP'] as const
export type ApproverType = (typeof APPROVER_TYPES)[number]

export interface ChainStep {
  readonly approverType: ApproverType
  /** A governance group's id (GOVERNANCE_GROUP). */
  readonly approverId: string | null
  /** The identities who may decide this step (ids); for a person, one. */
  readonly owners: readonly string[]
  /** Whom the step goes to, in words: `manager ada.lamarr`, `governance group "Security Approvers"`. */
  readonly label: string
}

export type ChainPosition =
  | { readonly kind: 'PENDING'; readonly step: number; readonly autoApproved: readonly number[] }
  | { readonly kind: 'APPROVED'; readonly autoApproved: readonly number[] }

/**
 * Where the chain stands from step `from` on: the first step the requester does not approve by themselves.
 * With auto-approval enabled, a step whose approvers include the requester is approved as they asked
 * (the reference: "if the requester and reviewer are the same, the request is automatically approved");
 * without it, the requester approves their own step like any approver. No step left: approved.
 */
export function advance(
  steps: readonly ChainStep[],
  from: number,
  requesterId: string | null,
  autoApproval: boolean,
): ChainPosition {
  const autoApproved: number[] = []
  for (let step = from; step < steps.length; step++) {
    const owners = (steps[step] as ChainStep).owners
    if (autoApproval && requesterId !== null && owners.includes(requesterId)) autoApproved.push(step)
    else return { kind: 'PENDING', step, autoApproved }
  }
  return { kind: 'APPROVED', autoApproved }
}

export type ChainOutcome = ChainPosition | { readonly kind: 'REJECTED' }

/** The chain after step `step` is decided: a rejection ends it; an approval moves on to the next step. */
export function decide(
  steps: readonly ChainStep[],
  step: number,
  decision: 'APPROVE' | 'REJECT',
  requesterId: string | null,
  autoApproval: boolean,
): ChainOutcome {
  if (decision === 'REJECT') return { kind: 'REJECTED' }
  return advance(steps, step + 1, requesterId, autoApproval)
}
