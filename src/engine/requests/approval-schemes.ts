import type { ObjectRef } from '../../domain/config/schema-primitives.js'
import { refLabel } from '../../domain/config/schema-primitives.js'
import { InputError } from '../../domain/errors.js'
import type { Identity } from '../../domain/model.js'
import { APPROVER_TYPES, type ApproverType, type ChainStep } from '../../domain/requests/approval-chain.js'
import type { RequestType } from '../../domain/requests/access-request.js'
import type { EngineContext } from '../engine-context.js'
import { governanceGroupOf } from './governance-group-members.js'
import { identityLookup, type IdentityLookup } from './identity-lookup.js'
import type { RequestedItem } from './requested-item.js'
import { tenantRequestConfig } from './tenant-request-config.js'

interface Scheme {
  readonly approverType: string
  readonly approverId?: string | null | undefined
}

/**
 * The approval schemes of a request for an item, in order: the item's `accessRequestConfig` (a grant) or
 * `revocationRequestConfig` (a revoke); for an entitlement, the tenant's `grantRequestApprovalSchemes`
 * (`entitlementOwner, sourceOwner, manager, workgroup:ID`). None: the request needs no approval.
 */
export function schemesOf(
  ctx: Pick<EngineContext, 'config'>,
  item: RequestedItem,
  requestType: RequestType,
): readonly Scheme[] {
  if (requestType === 'REVOKE_ACCESS') return item.revocationRequestConfig?.approvalSchemes ?? []
  if (item.type !== 'ENTITLEMENT') return item.accessRequestConfig?.approvalSchemes ?? []
  const text = tenantRequestConfig(ctx).entitlementRequestConfig.grantRequestApprovalSchemes ?? ''
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s.toLowerCase() !== 'none')
    .map((s): Scheme => {
      if (s.startsWith('workgroup:')) return { approverType: 'GOVERNANCE_GROUP', approverId: s.slice(10) }
      const type = { entitlementOwner: 'OWNER', sourceOwner: 'SOURCE_OWNER', manager: 'MANAGER' }[s]
      if (type === undefined) throw new InputError(`grantRequestApprovalSchemes: unknown scheme "${s}"`)
      return { approverType: type }
    })
}

/**
 * Resolves each scheme to the identities who may decide it, for a request for `identity`. A scheme that
 * names nobody (no manager, no owner) goes to the tenant's fallback approver; without one the request
 * cannot be approved, and is refused with the reason rather than left waiting for no one.
 */
export async function resolveChain(
  ctx: EngineContext,
  item: RequestedItem,
  requestType: RequestType,
  identity: Identity,
  people: IdentityLookup = identityLookup(ctx.db),
): Promise<ChainStep[]> {
  const fallbackRef = tenantRequestConfig(ctx).approvalReminderAndEscalationConfig.fallbackApproverRef
  const steps: ChainStep[] = []
  for (const scheme of schemesOf(ctx, item, requestType)) {
    const type = scheme.approverType as ApproverType
    if (!APPROVER_TYPES.includes(type)) {
      throw new InputError(`approval scheme ${scheme.approverType} of ${item.name} is not supported`)
    }
    const resolved = await resolveStep(ctx, item, type, scheme.approverId ?? null, identity, people)
    if ('owners' in resolved) {
      steps.push(resolved)
      continue
    }
    const fallback = fallbackRef ? await identityOfRef(people, fallbackRef) : undefined
    if (!fallback) {
      throw new InputError(
        `${item.name} cannot be approved for ${identity.name}: ${resolved.missing}, and the tenant has no ` +
          'fallback approver (accessRequestConfig.approvalReminderAndEscalationConfig.fallbackApproverRef)',
      )
    }
    steps.push({
      approverType: type,
      approverId: scheme.approverId ?? null,
      owners: [fallback.id],
      label: `fallback approver ${fallback.name} (${resolved.missing})`,
    })
  }
  return steps
}

async function resolveStep(
  ctx: EngineContext,
  item: RequestedItem,
  type: ApproverType,
  approverId: string | null,
  identity: Identity,
  people: IdentityLookup,
): Promise<ChainStep | { missing: string }> {
  const person = async (
    ref: ObjectRef | null | undefined,
    what: string,
  ): Promise<ChainStep | { missing: string }> => {
    if (!ref) return { missing: `it has no ${what}` }
    const found = await identityOfRef(people, ref)
    if (!found) return { missing: `its ${what} "${refLabel(ref)}" is not an identity` }
    return { approverType: type, approverId, owners: [found.id], label: `${what} ${found.name}` }
  }
  switch (type) {
    case 'MANAGER':
      if (identity.managerId === null) return { missing: `${identity.name} has no manager` }
      return person({ id: identity.managerId }, 'manager')
    case 'OWNER':
      return person(item.owner, 'owner')
    case 'SOURCE_OWNER':
    case 'APP_OWNER':
      // Provisio has no applications apart from sources: an application's owner is its source's.
      return person(item.source?.owner ?? null, 'source owner')
    case 'GOVERNANCE_GROUP': {
      const group = approverId !== null ? governanceGroupOf(ctx, approverId) : undefined
      if (!group) return { missing: `its governance group "${approverId ?? ''}" does not exist` }
      const members: string[] = []
      for (const m of group.members) {
        const found = await identityOfRef(people, m)
        if (found) members.push(found.id)
      }
      if (members.length === 0) {
        return { missing: `governance group "${group.name}" has no member who is an identity` }
      }
      return {
        approverType: type,
        approverId: group.id,
        owners: members,
        label: `governance group "${group.name}"`,
      }
    }
  }
}

async function identityOfRef(people: IdentityLookup, ref: ObjectRef): Promise<Identity | undefined> {
  for (const key of [ref.id, ref.name]) {
    if (key === undefined) continue
    const found = await people(key)
    if (found) return found
  }
  return undefined
}
