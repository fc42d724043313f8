import type { Campaign } from '../../domain/certifications/campaign.js'
import { accountKeyOf, type Remediation } from '../../domain/certifications/certification-item.js'
import {
  grantCoversAccount,
  grantsRecreatingAccount,
  recreatedBy,
} from '../../domain/certifications/review-items.js'
import { entitlementKey } from '../../domain/plan/entitlement-key.js'
import type { PlanReason } from '../../domain/plan/plan-item.js'
import type { Grant, PlanAccount } from '../../domain/plan/planning-model.js'
import type { NewActivity } from '../../store/activities.js'
import { deleteAssignments, endAssignmentsOn } from '../../store/assignments.js'
import {
  listUnremediatedItems,
  recordRemediation,
  writeClaimedOutcomes,
  type RemediationItem,
} from '../../store/certification-items.js'
import { claimQueuedCertifications, markCertificationsRemediated } from '../../store/remediation-queue.js'
import { loadIdentityNames } from '../../store/identities.js'
import { applyPlan } from '../apply-plan.js'
import type { EngineContext } from '../engine-context.js'
import { describeReason } from '../../domain/plan/describe-reason.js'

type Result = { id: string; remediation: Remediation; detail: string | null; activityIds?: string[] }

/** What remediation did with a batch of revoked items, by outcome. */
export type RemediationCounts = Partial<Record<Remediation, number>>

/**
 * Carries out the REVOKE decisions of a campaign's certifications queued for remediation, in one pass and
 * one transaction however many:
 * - given access (an access request's or an administrator's assignment) loses its assignment, or gets the
 *   proposed end date as its remove date; the identities' plans are then applied with the certification as
 *   the reason of what only that assignment granted (process type CERTIFICATION), also with
 *   `provisioning: review` — the review was the reviewer's;
 * - an unmanaged entitlement is removed from the account, an account disabled or deleted (the campaign's
 *   `accountRevocation`), each an account activity of type CERTIFICATION;
 * - what something else still grants is KEPT, and the item says what grants it.
 * Flat-file sources get their manual tasks from the executor, as for any activity.
 *
 * The transaction first locks the certifications still queued (another run's are left to it), and ends
 * with their items' outcomes and the certifications taken off the queue: a process that stops in between
 * leaves them queued, for the next run. When provisioning cannot be started, nothing is written, the
 * revoked items say why (PENDING without activities) and the certifications stay queued.
 */
export async function remediateItems(
  ctx: EngineContext,
  campaign: Campaign,
  certificationIds: readonly string[],
): Promise<RemediationCounts> {
  let items: RemediationItem[] = []
  try {
    const done = await ctx.db.transaction(async (tx) => {
      const claimed = await claimQueuedCertifications(tx, certificationIds)
      if (claimed.length === 0) return []
      items = await listUnremediatedItems(tx, claimed)
      const out = await remediateClaimed({ ...ctx, db: tx }, campaign, items)
      const earlier = items.filter((i) => i.remediation !== null).map((i) => i.id)
      await writeClaimedOutcomes(tx, out, earlier)
      await markCertificationsRemediated(tx, claimed, ctx.now())
      return out
    })
    return count(done)
  } catch (err) {
    // Nothing was written: the revoked items are pending without activities, and their certifications
    // still queued for the next run.
    const message = `provisioning could not be started: ${err instanceof Error ? err.message : String(err)}`
    const failed = items.map((i): Result =>
      i.decision === 'REVOKE'
        ? { id: i.id, remediation: 'PENDING', detail: message }
        : { id: i.id, remediation: 'NONE', detail: null },
    )
    await recordRemediation(ctx.db, failed, { ifUnremediated: true })
    return count(failed)
  }
}

/** What an identity holds and is granted once the revoked assignments are gone, as the apply plans it. */
interface Seen {
  readonly grants: readonly Grant[]
  readonly entitlements: { get(k: string): Grant | undefined }
  readonly entitlementsBySource: ReadonlyMap<string, readonly Grant[]>
  readonly accounts: readonly PlanAccount[]
}

/** The outcomes of claimed items, their assignments ended and their identities' plans applied (in `ctx.db`'s transaction). */
async function remediateClaimed(
  ctx: EngineContext,
  campaign: Campaign,
  items: readonly RemediationItem[],
): Promise<Result[]> {
  const revoked = items.filter((i) => i.decision === 'REVOKE')
  const out: Result[] = items
    .filter((i) => i.decision !== 'REVOKE')
    .map((i) => ({ id: i.id, remediation: 'NONE', detail: null }))
  if (revoked.length === 0) return out
  const names = await reviewerNames(ctx, revoked)
  const reasonOf = (i: RemediationItem): PlanReason => {
    const reviewer = i.decidedBy ?? 'the campaign'
    const name = names.get(reviewer) ?? reviewer
    return {
      kind: 'CERTIFICATION',
      id: campaign.id,
      name: campaign.name,
      detail: `revoked by ${name} in campaign "${campaign.name}"${i.comments ? `: ${i.comments}` : ''}`,
      reviewer: { id: reviewer, name },
      certificationId: i.certificationId,
    }
  }
  const later = revoked.filter((i) => i.assignmentIds.length > 0 && i.proposedEndDate !== null)
  const given = revoked.filter((i) => i.assignmentIds.length > 0 && i.proposedEndDate === null)
  const direct = revoked.filter((i) => i.assignmentIds.length === 0)
  const revokedBy = new Map<string, PlanReason>()
  for (const i of given) for (const a of i.assignmentIds) revokedBy.set(a, reasonOf(i))
  const identityIds = [...new Set([...given, ...direct].map((i) => i.identityId))].sort()

  const directByIdentity = new Map<string, RemediationItem[]>()
  for (const i of direct) {
    const mine = directByIdentity.get(i.identityId)
    if (mine) mine.push(i)
    else directByIdentity.set(i.identityId, [i])
  }

  await endAssignmentsOn(
    ctx.db,
    later.flatMap((i) => i.assignmentIds.map((id) => ({ id, removeDate: i.proposedEndDate as string }))),
  )
  for (const i of later) {
    out.push({ id: i.id, remediation: 'SCHEDULED', detail: `removed on ${i.proposedEndDate as string}` })
  }
  await deleteAssignments(ctx.db, [...revokedBy.keys()])

  const seen = new Map<string, Seen>()
  // Each activity with the items it carries out: an account's deletion also removes what the account holds.
  const directActivities: { items: RemediationItem[]; activity: NewActivity }[] = []
  const deleting = new Map<string, { items: RemediationItem[] }>()
  const remediate = (i: RemediationItem, now: Seen | undefined): void => {
    const withAccount = deleting.get(accountKeyOf(i))
    if (withAccount !== undefined && i.itemType !== 'ACCOUNT') {
      withAccount.items.push(i)
      return
    }
    const r = remediateDirect(campaign, i, now, reasonOf(i))
    if ('remediation' in r) out.push(r)
    else {
      const entry = { items: [i], activity: r }
      directActivities.push(entry)
      if (r.operation === 'Delete') deleting.set(accountKeyOf(i), entry)
    }
  }
  // The removals of unmanaged access are written with the plan's own requests.
  const applied = await applyPlan(ctx, { identityIds, revokedBy }, (batch) => {
    const from = directActivities.length
    for (const p of batch.identities) {
      const now = {
        grants: p.desired.grants,
        entitlements: p.desired.entitlements,
        entitlementsBySource: p.desired.entitlementsBySource,
        accounts: p.accounts,
      }
      seen.set(p.identity.id, now)
      for (const i of accountsFirst(directByIdentity.get(p.identity.id) ?? [])) remediate(i, now)
    }
    return directActivities.slice(from).map((a) => a.activity)
  })

  for (const i of given) {
    const now = seen.get(i.identityId)
    const still = now?.grants.find((g) => grantKeyOf(g) === keyOf(i))
    if (still) {
      out.push({
        id: i.id,
        remediation: 'KEPT',
        detail: `still granted by ${still.reasons.map(describeReason).join('; ')}`,
      })
      continue
    }
    const activityIds = [...(applied.activitiesByIdentity.get(i.identityId) ?? [])]
    out.push(
      activityIds.length > 0
        ? { id: i.id, remediation: 'PENDING', detail: null, activityIds }
        : { id: i.id, remediation: 'DONE', detail: 'nothing held to remove', activityIds },
    )
  }
  // An identity the plan did not see (no longer stored) has no account to remove anything from.
  for (const i of direct) if (!seen.has(i.identityId)) remediate(i, undefined)
  directActivities.forEach((a, n) => {
    const activityIds = [applied.addedActivityIds[n] as string]
    for (const i of a.items) {
      const detail = i === a.items[0] ? null : 'removed with its account'
      out.push({ id: i.id, remediation: 'PENDING', detail, activityIds })
    }
  })
  return out
}

/**
 * What removing an unmanaged entitlement or an account takes, against the identity as planned once the
 * revoked assignments are gone: an account activity, or an outcome at once (nothing to remove, or KEPT).
 */
function remediateDirect(
  campaign: Campaign,
  i: RemediationItem,
  now: Seen | undefined,
  reason: PlanReason,
): Result | NewActivity {
  const account = now?.accounts.find(
    (a) => a.sourceId === i.sourceId && a.nativeIdentity === i.nativeIdentity,
  )
  if (!account) {
    return { id: i.id, remediation: 'DONE', detail: `account "${i.nativeIdentity ?? ''}" no longer exists` }
  }
  const base = {
    type: 'CERTIFICATION' as const,
    identityId: i.identityId,
    sourceId: i.sourceId as string,
    nativeIdentity: account.nativeIdentity,
    reasons: [reason],
  }
  if (i.itemType === 'ACCOUNT') {
    const operation = campaign.spec.accountRevocation === 'DELETE' ? 'Delete' : 'Disable'
    if (operation === 'Disable' && account.disabled) {
      return { id: i.id, remediation: 'DONE', detail: 'the account is disabled already' }
    }
    // A deletion the next plan would undo (it creates the account again) is no removal: KEPT, saying why.
    const still =
      operation === 'Delete' && now !== undefined
        ? grantsRecreatingAccount(now, now.accounts, base.sourceId, account.nativeIdentity)
        : []
    if (still.length > 0) return { id: i.id, remediation: 'KEPT', detail: recreatedBy(still).message }
    return { ...base, operation, items: [] }
  }
  const key = entitlementKey(i.sourceId as string, i.attribute as string, i.value as string)
  const grant = now?.entitlements.get(key)
  if (grant !== undefined && grantCoversAccount(grant, account.nativeIdentity)) {
    return {
      id: i.id,
      remediation: 'KEPT',
      detail: 'granted since the campaign was generated: the grant keeps it',
    }
  }
  if (!holds(account, i.attribute as string, i.value as string)) {
    return { id: i.id, remediation: 'DONE', detail: 'the account no longer holds it' }
  }
  return {
    ...base,
    operation: 'Modify',
    items: [{ operation: 'Remove', attribute: i.attribute as string, value: i.value as string }],
  }
}

/** Accounts before what is on them: an entitlement on an account being deleted goes with it. */
function accountsFirst(items: readonly RemediationItem[]): RemediationItem[] {
  return [...items.filter((i) => i.itemType === 'ACCOUNT'), ...items.filter((i) => i.itemType !== 'ACCOUNT')]
}

function count(results: readonly Result[]): RemediationCounts {
  const out: RemediationCounts = {}
  for (const r of results) out[r.remediation] = (out[r.remediation] ?? 0) + 1
  return out
}

/** The names of the reviewers who decided, for the reasons the removals carry. */
async function reviewerNames(
  ctx: EngineContext,
  items: readonly RemediationItem[],
): Promise<Map<string, string>> {
  const ids = [...new Set(items.flatMap((i) => (i.decidedBy !== null ? [i.decidedBy] : [])))]
  return loadIdentityNames(ctx.db, ids)
}

function keyOf(i: Pick<RemediationItem, 'itemType' | 'itemId'>): string {
  return `${i.itemType}:${i.itemId}`
}
function grantKeyOf(g: Grant): string {
  return `${g.kind}:${g.id}`
}

function holds(account: PlanAccount, attribute: string, value: string): boolean {
  const held = account.attributes[attribute]
  return Array.isArray(held) ? held.includes(value) : held === value
}
