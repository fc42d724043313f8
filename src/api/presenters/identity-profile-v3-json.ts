import type { IdentityProfileConfig, LifecycleStateConfig } from '../../domain/config/config-schemas.js'
import { objectRefJson, type ConfigRefs } from './config-refs.js'

/**
 * An identity profile in the reference's shape (`IdentityProfile`). Provisio's profiles have no owner and
 * nothing that needs a refresh flag; their lifecycle states are served under the profile, as in the reference.
 */
export function identityProfileV3Json(p: IdentityProfileConfig, refs: ConfigRefs): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    description: p.description ?? null,
    owner: null,
    priority: p.priority,
    authoritativeSource: objectRefJson('SOURCE', p.authoritativeSource, (k) => refs.source(k)),
    identityRefreshRequired: false,
    identityAttributeConfig: {
      enabled: p.identityAttributeConfig.enabled,
      attributeTransforms: p.identityAttributeConfig.attributeTransforms.map((t) => ({
        identityAttributeName: t.identityAttributeName,
        transformDefinition: t.transformDefinition,
      })),
    },
    hasTimeBasedAttr: false,
  }
}

/**
 * A lifecycle state in the reference's shape (`LifecycleState`): the sources and access profiles it names by
 * their ids, as the reference does (Provisio's YAML may name them), and Provisio's `priority` and
 * `accessActionConfiguration`, which carry the reference's names.
 */
export function lifecycleStateV3Json(s: LifecycleStateConfig, refs: ConfigRefs): Record<string, unknown> {
  const sourceId = (k: string): string => refs.source(k)?.id ?? k
  return {
    id: s.id,
    name: s.name,
    technicalName: s.technicalName,
    ...(s.description !== undefined ? { description: s.description } : {}),
    enabled: s.enabled,
    emailNotificationOption: {
      notifyManagers: s.emailNotificationOption?.notifyManagers ?? false,
      notifyAllAdmins: s.emailNotificationOption?.notifyAllAdmins ?? false,
      notifySpecificUsers: s.emailNotificationOption?.notifySpecificUsers ?? false,
      emailAddressList: s.emailNotificationOption?.emailAddressList ?? [],
    },
    accountActions: s.accountActions.map((a) => ({
      action: a.action,
      ...(a.sourceIds !== undefined ? { sourceIds: a.sourceIds.map(sourceId) } : {}),
      ...(a.excludeSourceIds !== undefined ? { excludeSourceIds: a.excludeSourceIds.map(sourceId) } : {}),
      ...(a.allSources !== undefined ? { allSources: a.allSources } : {}),
    })),
    accessProfileIds: s.accessProfileIds.map((k) => refs.accessProfile(k)?.id ?? k),
    identityState: s.identityState,
    ...(s.priority !== undefined ? { priority: s.priority } : {}),
    accessActionConfiguration: s.accessActionConfiguration,
  }
}
