import type { ReviewItemType } from '../../domain/certifications/review-items.js'
import { InputError } from '../../domain/errors.js'
import { entitlementKey } from '../../domain/plan/entitlement-key.js'
import type { CertificationItemFilter } from '../../store/certification-items.js'
import { loadEntitlementsById } from '../../store/entitlements.js'
import type { EngineContext } from '../engine-context.js'

/** The reference's narrowing of a certification's items by their access: comma-separated ids, one kind. */
export interface ReviewedAccess {
  readonly roles?: string | undefined
  readonly accessProfiles?: string | undefined
  readonly entitlements?: string | undefined
}

const PARAMETERS = [
  ['roles', 'roles', 'ROLE'],
  ['accessProfiles', 'access-profiles', 'ACCESS_PROFILE'],
  ['entitlements', 'entitlements', 'ENTITLEMENT'],
] as const satisfies readonly (readonly [keyof ReviewedAccess, string, ReviewItemType])[]

/**
 * The item filter of the reference's `roles`, `access-profiles` or `entitlements` parameter: items of that
 * access. Only one of them at a time (the reference refuses two); an id that names nothing matches nothing.
 * An entitlement is named by its catalog id, and an item keeps the entitlement's key: the catalog says which.
 */
export async function reviewedAccessFilter(
  ctx: EngineContext,
  access: ReviewedAccess,
): Promise<Pick<CertificationItemFilter, 'itemTypes' | 'itemIds'>> {
  const given = PARAMETERS.filter(([key]) => access[key] !== undefined)
  if (given.length > 1) {
    throw new InputError(
      `${given.map(([, name]) => name).join(' and ')}: name access by one of roles, access-profiles and entitlements at a time`,
    )
  }
  const [param] = given
  if (param === undefined) return {}
  const [key, name, itemType] = param
  const ids = (access[key] ?? '').split(',').map((s) => s.trim())
  if (ids.some((id) => id === '')) throw new InputError(`${name}: a comma-separated list of ids, none empty`)
  if (itemType !== 'ENTITLEMENT') return { itemTypes: [itemType], itemIds: ids }
  const parts = await loadEntitlementsById(ctx.db, ids)
  const keys = [...parts.values()].map((p) => entitlementKey(p.sourceId, p.attribute, p.value))
  return { itemTypes: [itemType], itemIds: keys }
}
