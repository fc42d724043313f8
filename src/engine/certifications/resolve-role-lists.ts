import { roleSchema } from '../../domain/config/access-schemas.js'
import type { WorkspaceConfig } from '../../domain/config/workspace-config.js'
import type { ResolvedRoleLists } from '../../domain/certifications/role-composition.js'
import { entitlementKey } from '../../domain/plan/entitlement-key.js'
import type { EngineContext } from '../engine-context.js'
import { planningModelOf } from '../plan-identities.js'

/**
 * What each entry of a role's `accessProfiles` and `entitlements` (as its file writes them: by name, by id,
 * by value with or without the attribute) resolves to, as the planner resolves them: each entry is put in
 * a one-entry probe role of an otherwise unchanged configuration and read back from the planner's model,
 * so a revocation removes exactly the entries that grant the revoked access.
 */
export async function resolveRoleLists(
  ctx: EngineContext,
  config: WorkspaceConfig,
  raw: Readonly<Record<string, unknown>>,
): Promise<ResolvedRoleLists> {
  const parsed = roleSchema.safeParse(raw)
  if (!parsed.success) return { accessProfileIds: [], entitlementKeys: [] }
  const role = parsed.data
  const probe = (kind: 'a' | 'e', n: number) => `\u0000probe-${kind}${n}`
  const probes = [
    ...role.accessProfiles.map((ref, n) => ({
      ...role,
      id: probe('a', n),
      name: probe('a', n),
      enabled: true,
      membership: undefined,
      accessProfiles: [ref],
      entitlements: [],
    })),
    ...role.entitlements.map((e, n) => ({
      ...role,
      id: probe('e', n),
      name: probe('e', n),
      enabled: true,
      membership: undefined,
      accessProfiles: [],
      entitlements: [e],
    })),
  ]
  const model = await planningModelOf(ctx, {
    ...config,
    roles: probes.map((value) => ({ file: '', value })),
  })
  return {
    accessProfileIds: role.accessProfiles.map(
      (_, n) => model.assignableRoles?.get(probe('a', n))?.accessProfileIds[0],
    ),
    entitlementKeys: role.entitlements.map((_, n) => {
      const e = model.assignableRoles?.get(probe('e', n))?.entitlements[0]
      return e ? entitlementKey(e.sourceId, e.attribute, e.value) : undefined
    }),
  }
}
