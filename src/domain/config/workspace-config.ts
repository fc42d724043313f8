import type {
  AccessProfileConfig,
  GovernanceGroupConfig,
  IdentityProfileConfig,
  LifecycleStateConfig,
  RoleConfig,
  SourceConfig,
  TransformConfig,
  WorkspaceSettings,
} from './config-schemas.js'
import type { WorkspaceTemplate } from '../notifications/notification-template.js'

/** Where a configuration object was read from, so problems can name the file. */
export interface Located<T> {
  readonly file: string
  readonly value: T
}

/** The whole validated configuration of a workspace. */
export interface WorkspaceConfig {
  /** Absolute path of the workspace folder. */
  readonly dir: string
  readonly settings: WorkspaceSettings
  readonly sources: readonly Located<SourceConfig>[]
  readonly identityProfiles: readonly Located<IdentityProfileConfig>[]
  readonly transforms: readonly Located<TransformConfig>[]
  readonly accessProfiles: readonly Located<AccessProfileConfig>[]
  readonly roles: readonly Located<RoleConfig>[]
  readonly governanceGroups: readonly Located<GovernanceGroupConfig>[]
  /** The workspace's notification templates (`notification-templates/<KIND>.yaml`), each replacing a default. */
  readonly notificationTemplates?: readonly Located<WorkspaceTemplate>[]
}

/** Objects are referred to by name or by id; our YAML usually writes names, an export writes ids. */
function findByNameOrId<T extends { name: string; id?: string | undefined }>(
  objects: readonly Located<T>[],
  nameOrId: string,
): T | undefined {
  return objects.find((o) => o.value.name === nameOrId || o.value.id === nameOrId)?.value
}

export function findSource(config: WorkspaceConfig, nameOrId: string): SourceConfig | undefined {
  return findByNameOrId(config.sources, nameOrId)
}

export function findAccessProfile(
  config: WorkspaceConfig,
  nameOrId: string,
): AccessProfileConfig | undefined {
  return findByNameOrId(config.accessProfiles, nameOrId)
}

export function findRole(config: WorkspaceConfig, nameOrId: string): RoleConfig | undefined {
  return findByNameOrId(config.roles, nameOrId)
}

/** A governance group by name or id (an approval scheme's `approverId`, a `workgroup:{id}` scheme). */
export function findGovernanceGroup(
  config: WorkspaceConfig,
  nameOrId: string,
): GovernanceGroupConfig | undefined {
  return findByNameOrId(config.governanceGroups, nameOrId)
}

/** The profile's state with this technical name (the identity's `cloudLifecycleState`); case matters. */
export function findLifecycleState(
  profile: IdentityProfileConfig,
  technicalName: string,
): LifecycleStateConfig | undefined {
  return profile.lifecycleStates.find((s) => s.technicalName === technicalName)
}

/** The account schema of a source (the one named `account`, else the first). */
export function accountSchemaOf(
  source: Pick<SourceConfig, 'name' | 'schemas'>,
): SourceConfig['schemas'][number] {
  const schema = source.schemas.find((s) => s.name === 'account') ?? source.schemas[0]
  if (!schema) throw new Error(`source "${source.name}" has no account schema`)
  return schema
}

/** The names of the account schema's entitlement attributes (`isEntitlement`). */
export function entitlementAttributesOf(source: SourceConfig): string[] {
  return accountSchemaOf(source)
    .attributes.filter((a) => a.isEntitlement)
    .map((a) => a.name)
}

/**
 * The attribute an entitlement reference names: its own, else the source's only entitlement attribute;
 * undefined when the source has none or several (checkReferences reports it).
 */
export function entitlementAttributeOf(
  source: SourceConfig,
  ref: { attribute?: string },
): string | undefined {
  if (ref.attribute !== undefined) return ref.attribute
  const attrs = entitlementAttributesOf(source)
  return attrs.length === 1 ? attrs[0] : undefined
}
