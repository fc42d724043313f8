import { accountKeyOf, type CertificationItem } from '../../domain/certifications/certification-item.js'
import {
  grantCoversAccount,
  grantsRecreatingAccount,
  recreatedBy,
} from '../../domain/certifications/review-items.js'
import { describeReason } from '../../domain/plan/describe-reason.js'
import { entitlementKey } from '../../domain/plan/entitlement-key.js'
import type { PlanReason } from '../../domain/plan/plan-item.js'
import type { Grant } from '../../domain/plan/planning-model.js'
import { InputError } from '../../domain/errors.js'
import { listCertificationItems } from '../../store/certification-items.js'
import type { EngineContext } from '../engine-context.js'
import { planIdentities, planningSourceIds } from '../plan-identities.js'
import type { CampaignActor } from './campaign-actor.js'
import { certificationFor } from './certification-access.js'
import { previewRoleComposition } from './preview-role-composition.js'
import { roleHolders } from './role-holders.js'

/** What revoking one item would do, planned now and changing nothing. */
export interface RevocationPreview {
  readonly itemId: string
  readonly itemName: string
  /**
   * REMOVED: revoking removes access (changes); KEPT: something else still grants it (keptBy), so nothing
   * of it is removed; NOT_REVOCABLE: acknowledge-only (why); NOTHING_TO_REMOVE: the access is gone already.
   */
  readonly outcome: 'REMOVED' | 'KEPT' | 'NOT_REVOCABLE' | 'NOTHING_TO_REMOVE'
  /** What still grants it, described. */
  readonly keptBy: readonly string[]
  /** The account changes the revocation would make. */
  readonly changes: readonly {
    /** Whose account (a role composition item's preview: the role's members who lose it). */
    readonly identity?: string
    readonly operation: string
    readonly source: string
    readonly nativeIdentity: string | null
    readonly attribute?: string
    readonly value?: string | readonly string[] | null
  }[]
  /** One sentence for the reviewer. */
  readonly message: string
}

/** Items previewed per call: the page a reviewer looks at. */
export const MAX_PREVIEW = 250

const PREVIEW_REASON: PlanReason = {
  kind: 'CERTIFICATION',
  name: 'preview',
  detail: 'revoked in this review',
}

/**
 * What a REVOKE of each item would do if signed off now, as the planner sees it, so that a reviewer knows
 * before signing: given access (an assignment) is planned without its assignment and the removals shown,
 * or KEPT with what still grants it; an unmanaged entitlement is one removal from its account (unless it
 * is granted meanwhile); an account is disabled or deleted as the campaign says.
 */
export async function previewRevocations(
  ctx: EngineContext,
  actor: CampaignActor,
  certificationId: string,
  itemIds?: readonly string[],
): Promise<RevocationPreview[]> {
  const { campaign } = await certificationFor(ctx, actor, certificationId)
  if (itemIds !== undefined && itemIds.length > MAX_PREVIEW) {
    throw new InputError(`at most ${MAX_PREVIEW} items per preview, not ${itemIds.length}`)
  }
  const items = await listCertificationItems(
    ctx.db,
    { certificationIds: [certificationId], ...(itemIds ? { ids: itemIds } : {}) },
    { limit: MAX_PREVIEW, offset: 0 },
  )
  if (itemIds) {
    const missing = itemIds.filter((id) => !items.some((i) => i.id === id))
    if (missing.length > 0) throw new InputError(`no item ${missing.join(', ')} in this certification`)
  }
  const accountRevocation = campaign.spec.accountRevocation ?? 'DISABLE'
  const deleted =
    accountRevocation === 'DELETE' ? await accountsRevoked(ctx, certificationId, items) : new Set<string>()
  const names = new Map([...(await planningSourceIds(ctx, ctx.config))].map(([name, id]) => [id, name]))
  const out: RevocationPreview[] = []
  const composition = campaign.type === 'ROLE_COMPOSITION'
  const { holders } = composition
    ? await roleHolders(ctx, new Set(items.map((i) => i.identityId)))
    : { holders: new Map() }
  for (const item of items) {
    const source = names.get(item.sourceId ?? '') ?? item.sourceId ?? ''
    out.push(
      composition && item.revocable
        ? await previewRoleComposition(ctx, item, PREVIEW_REASON, holders)
        : await previewOne(ctx, item, source, accountRevocation, deleted),
    )
  }
  return out
}

async function previewOne(
  ctx: EngineContext,
  item: CertificationItem,
  source: string,
  accountRevocation: 'DISABLE' | 'DELETE',
  deleted: ReadonlySet<string>,
): Promise<RevocationPreview> {
  const base = { itemId: item.id, itemName: item.itemName }
  if (!item.revocable) {
    return {
      ...base,
      outcome: 'NOT_REVOCABLE',
      keptBy: [],
      changes: [],
      message: item.acknowledgeOnly ?? 'acknowledge-only',
    }
  }
  const without = new Set(item.assignmentIds)
  const revokedBy = new Map([...without].map((id) => [id, PREVIEW_REASON]))
  const run = await planIdentities(ctx, {
    identityIds: [item.identityId],
    withoutAssignments: without,
    revokedBy,
  })
  const planned = run.identities.get(item.identityId)
  const desired = planned?.desired
  if (item.assignmentIds.length > 0) {
    const still = desired?.grants.find((g) => g.kind === item.itemType && g.id === item.itemId)
    if (still) {
      const keptBy = still.reasons.map(describeReason)
      return {
        ...base,
        outcome: 'KEPT',
        keptBy,
        changes: [],
        message: `stays: still granted by ${keptBy.join('; ')}`,
      }
    }
    const changes = run.items
      .filter((p) => p.reasons.some((r) => r.kind === 'CERTIFICATION'))
      .map((p) => ({
        operation: p.attributeOperation ? `${p.operation} ${p.attributeOperation}` : p.operation,
        source: p.sourceName,
        nativeIdentity: p.nativeIdentity,
        ...(p.attribute !== undefined ? { attribute: p.attribute } : {}),
        ...(p.value !== undefined ? { value: p.value } : {}),
      }))
    return changes.length > 0
      ? {
          ...base,
          outcome: 'REMOVED',
          keptBy: [],
          changes,
          message: `removes ${changes.map(describeChange).join('; ')}`,
        }
      : {
          ...base,
          outcome: 'REMOVED',
          keptBy: [],
          changes,
          message: 'ends the assignment; no account holds anything of it that nothing else grants',
        }
  }
  const recreating = (): readonly Grant[] =>
    planned
      ? grantsRecreatingAccount(
          planned.desired,
          planned.accounts,
          item.sourceId ?? '',
          item.nativeIdentity ?? '',
        )
      : []
  if (item.itemType === 'ACCOUNT') {
    const operation = accountRevocation === 'DELETE' ? 'Delete' : 'Disable'
    const still = operation === 'Delete' ? recreating() : []
    if (still.length > 0) {
      const { by, message } = recreatedBy(still)
      return { ...base, outcome: 'KEPT', keptBy: by, changes: [], message: `stays: ${message}` }
    }
    return {
      ...base,
      outcome: 'REMOVED',
      keptBy: [],
      changes: [{ operation, source, nativeIdentity: item.nativeIdentity }],
      message: `${operation === 'Delete' ? 'deletes' : 'disables'} the account "${item.nativeIdentity ?? ''}"`,
    }
  }
  const key = entitlementKey(item.sourceId ?? '', item.attribute ?? '', item.value ?? '')
  const granted = desired?.entitlements.get(key)
  if (granted && grantCoversAccount(granted, item.nativeIdentity ?? '')) {
    const keptBy = granted.reasons.map(describeReason)
    return {
      ...base,
      outcome: 'KEPT',
      keptBy,
      changes: [],
      message: `stays: granted by ${keptBy.join('; ')}`,
    }
  }
  // The account it is on is revoked here too, and deleted: the value goes with it (as remediation does it).
  if (deleted.has(accountKeyOf(item)) && recreating().length === 0) {
    return {
      ...base,
      outcome: 'REMOVED',
      keptBy: [],
      changes: [{ operation: 'Delete', source, nativeIdentity: item.nativeIdentity }],
      message: `removed with the account "${item.nativeIdentity ?? ''}", whose deletion is revoked here too`,
    }
  }
  return {
    ...base,
    outcome: 'REMOVED',
    keptBy: [],
    changes: [
      {
        operation: 'Modify Remove',
        source,
        nativeIdentity: item.nativeIdentity,
        attribute: item.attribute ?? '',
        value: item.value,
      },
    ],
    message: `removes ${item.value ?? ''} from ${item.attribute ?? ''} of account "${item.nativeIdentity ?? ''}"`,
  }
}

/** The accounts of the previewed items' identities decided REVOKE in this certification. */
async function accountsRevoked(
  ctx: EngineContext,
  certificationId: string,
  items: readonly CertificationItem[],
): Promise<Set<string>> {
  const onAccounts = items.filter((i) => i.itemType === 'ENTITLEMENT' && i.assignmentIds.length === 0)
  if (onAccounts.length === 0) return new Set()
  const accounts = await listCertificationItems(ctx.db, {
    certificationIds: [certificationId],
    identityIds: [...new Set(onAccounts.map((i) => i.identityId))],
    itemTypes: ['ACCOUNT'],
  })
  return new Set(accounts.filter((a) => a.decision === 'REVOKE').map(accountKeyOf))
}

function describeChange(c: RevocationPreview['changes'][number]): string {
  const where = `"${c.nativeIdentity ?? 'a new account'}" on ${c.source}`
  if (c.attribute === undefined) return `${c.operation} of ${where}`
  const value = Array.isArray(c.value) ? c.value.join(', ') : String(c.value ?? '')
  return `${value} from ${c.attribute} of ${where}`
}
