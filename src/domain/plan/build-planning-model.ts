import {
  compileCriteriaBatch,
  compileProvisioningCriteria,
  compileRoleCriteria,
  describeCriteria,
  formatExplanation,
  type CriteriaAccount,
  type CriteriaEntitlement,
  type CriteriaSubject,
  type ProvisioningCriteria,
  type RoleCriteria,
} from '../access/index.js'
import { accountEntitlements } from '../config/account-entitlements.js'
import type { SourceConfig } from '../config/config-schemas.js'
import { isEmptyTransform } from '../config/provisioning-policy-schema.js'
import {
  entitlementAttributeOf,
  entitlementAttributesOf,
  findAccessProfile,
  findSource,
  accountSchemaOf,
  type WorkspaceConfig,
} from '../config/workspace-config.js'
import { compileTransform } from '../transforms/compile-transform.js'
import type { TransformDefinition } from '../transforms/transform-types.js'
import { roleGrants, stateGrants } from './desired-access.js'
import type {
  AssignableRole,
  MembershipSubject,
  PlanAccessProfile,
  PlanEntitlement,
  PlanField,
  PlanLifecycleState,
  PlanningModel,
  PlanRole,
  PlanSource,
  StoredEntitlement,
} from './planning-model.js'

/**
 * Builds the planner's model from a validated workspace: references resolved to stored source ids,
 * criteria and Create Account fields compiled once. `sourceIds` maps source names to stored ids.
 */
export function buildPlanningModel(
  config: WorkspaceConfig,
  sourceIds: ReadonlyMap<string, string>,
  /** Stored entitlements, by id, for references that give only an id. */
  entitlementsById: ReadonlyMap<string, StoredEntitlement> = new Map(),
): PlanningModel {
  const unresolved: string[] = []
  // A reference by value (or name) is the entitlement; one by id alone is looked up among the stored ones.
  const entitlementOf = (
    e: { id?: string | undefined; value?: string | undefined; name?: string | undefined },
    attribute: string | undefined,
    sid: string | undefined,
    where: string,
  ): PlanEntitlement | undefined => {
    const value = e.value ?? e.name
    if (attribute !== undefined && value !== undefined) return { attribute, value }
    const stored = e.id !== undefined ? entitlementsById.get(e.id) : undefined
    if (stored && stored.sourceId === sid) return { attribute: stored.attribute, value: stored.value }
    unresolved.push(
      `${where}: entitlement ${e.id ?? '?'} is not an entitlement of its source (aggregate the source first?)`,
    )
    return undefined
  }
  const named = new Map<string, TransformDefinition>()
  for (const t of config.transforms) named.set(t.value.name ?? t.value.id ?? '', t.value)
  const resolve = (id: string): TransformDefinition | undefined => named.get(id)
  const sourceId = (ref: string | { id?: string; name?: string } | undefined): string | undefined => {
    const key = typeof ref === 'string' ? ref : (ref?.name ?? ref?.id)
    const source = key === undefined ? undefined : findSource(config, key)
    return source ? sourceIds.get(source.name) : undefined
  }
  const sourceById = new Map<string, SourceConfig>()
  for (const { value: s } of config.sources) {
    const id = sourceIds.get(s.name)
    if (id) sourceById.set(id, s)
  }

  const authoritative = new Set(
    config.identityProfiles.map((p) => p.value.authoritativeSource.name ?? p.value.authoritativeSource.id),
  )
  const sources = new Map<string, PlanSource>()
  for (const [id, s] of sourceById) {
    const plan = planSource(id, s, resolve)
    const isAuthoritative =
      s.authoritative || authoritative.has(s.name) || (s.id !== undefined && authoritative.has(s.id))
    sources.set(id, isAuthoritative ? { ...plan, authoritative: true } : plan)
  }

  const accessProfiles = new Map<string, PlanAccessProfile>()
  const apIds = new Map<string, string>()
  for (const { value: ap } of config.accessProfiles) {
    if (!ap.enabled) continue
    const src = findSource(config, ap.source.name ?? ap.source.id ?? '')
    const sid = sourceId(ap.source)
    if (!src || !sid) continue
    const id = configId(ap)
    apIds.set(ap.name, id)
    if (ap.id) apIds.set(ap.id, id)
    const entitlements: PlanEntitlement[] = []
    for (const e of ap.entitlements) {
      const found = entitlementOf(e, entitlementAttributeOf(src, e), sid, `access profile "${ap.name}"`)
      if (found) entitlements.push(found)
    }
    const criteria = ap.provisioningCriteria
      ? compileProvisioningCriteria(ap.provisioningCriteria as unknown as ProvisioningCriteria)
      : undefined
    accessProfiles.set(id, {
      id,
      name: ap.name,
      sourceId: sid,
      entitlements,
      ...(criteria ? { selectAccount: (a) => criteria.matches(a) } : {}),
    })
  }
  const apId = (ref: string | { id?: string; name?: string }): string | undefined => {
    const key = typeof ref === 'string' ? ref : (ref.name ?? ref.id ?? '')
    const ap = findAccessProfile(config, key)
    return ap ? apIds.get(ap.name) : undefined
  }

  const entitlementAttributes = new Map([...sourceById].map(([id, s]) => [id, entitlementAttributesOf(s)]))
  const entitlementsOf = (a: CriteriaAccount): CriteriaEntitlement[] =>
    accountEntitlements(entitlementAttributes.get(a.sourceId) ?? [], a.attributes)
  const names = new Map([...sourceById].map(([id, s]) => [id, s.name]))
  // For explanations: accounts with their source's name, to print `account[AD]`.
  const explained = (s: MembershipSubject): CriteriaSubject => ({
    identity: s.identity,
    accounts: s.accounts.map((a) => ({
      ...a,
      ...(names.has(a.sourceId) ? { sourceName: names.get(a.sourceId) } : {}),
      entitlements: entitlementsOf(a),
    })),
  })

  const roles: PlanRole[] = []
  // Criteria roles are checked together (compileCriteriaBatch); identity lists by lookup.
  const criteriaRoles: { position: number; criteria: RoleCriteria }[] = []
  const listRoles: { position: number; members: ReadonlySet<string> }[] = []
  const assignableRoles = new Map<string, AssignableRole>()
  for (const { value: r } of config.roles) {
    if (!r.enabled) continue
    const granted = {
      id: configId(r),
      name: r.name,
      accessProfileIds: r.accessProfiles.flatMap((ref) => apId(ref) ?? []),
      entitlements: r.entitlements.flatMap((e) => {
        const src = findSource(config, e.source.name ?? e.source.id ?? '')
        const sid = sourceId(e.source)
        const found = src
          ? entitlementOf(e, entitlementAttributeOf(src, e), sid, `role "${r.name}"`)
          : undefined
        return sid && found ? [{ sourceId: sid, ...found }] : []
      }),
    }
    assignableRoles.set(granted.id, granted)
    if (!r.membership) continue
    const position = roles.length
    let membership: PlanRole['membership']
    // The explanation is built only when someone asks for it (explain), not for every plan.
    let explain: PlanRole['explain']
    let detail: string
    if (r.membership.type === 'STANDARD' && r.membership.criteria) {
      const criteria = withSourceIds(r.membership.criteria, sourceId) as unknown as RoleCriteria
      const compiled = compileRoleCriteria(criteria)
      detail = describeCriteria(criteria, { sourceName: (id) => names.get(id) })
      const result = { true: { matched: true, detail }, false: { matched: false, detail } }
      membership = (s) => (compiled.evaluate(explained(s)).matched ? result.true : result.false)
      explain = (s) => formatExplanation(compiled.evaluate(explained(s)).explanation)
      criteriaRoles.push({ position, criteria })
    } else {
      detail = 'identity list'
      const members = new Set(
        (r.membership.identities ?? []).flatMap((i) => [i.id, i.name].filter((x): x is string => !!x)),
      )
      const yes = { matched: true, detail }
      const no = { matched: false, detail }
      membership = (s) => (isListed(members, s) ? yes : no)
      listRoles.push({ position, members })
    }
    const role = {
      ...granted,
      detail,
      origin: r.membership.type === 'STANDARD' ? ('ROLE_CRITERIA' as const) : ('IDENTITY_LIST' as const),
      membership,
      ...(explain ? { explain } : {}),
    }
    roles.push({ ...role, grants: roleGrants(role, accessProfiles) })
  }
  const batch = compileCriteriaBatch(
    criteriaRoles.map((r) => r.criteria),
    { entitlementsOf },
  )
  const memberOf = (s: MembershipSubject): PlanRole[] => {
    const matched = batch(s).map((i) => (criteriaRoles[i] as { position: number }).position)
    if (listRoles.length > 0) {
      for (const l of listRoles) if (isListed(l.members, s)) matched.push(l.position)
      matched.sort((a, b) => a - b)
    }
    return matched.map((p) => roles[p] as PlanRole)
  }

  const lifecycleStates = new Map<string, Map<string, PlanLifecycleState>>()
  for (const { value: profile } of config.identityProfiles) {
    const states = new Map<string, PlanLifecycleState>()
    // A disabled state does nothing, as in the reference.
    for (const s of profile.lifecycleStates.filter((x) => x.enabled)) {
      states.set(s.technicalName, {
        technicalName: s.technicalName,
        name: s.name,
        accessProfileIds: s.accessProfileIds.flatMap((ref) => apId(ref) ?? []),
        accountActions: s.accountActions.map((a) => ({
          action: a.action,
          sourceIds: a.allSources ? 'all' : (a.sourceIds ?? []).flatMap((ref) => sourceId(ref) ?? []),
          excludeSourceIds: (a.excludeSourceIds ?? []).flatMap((ref) => sourceId(ref) ?? []),
        })),
        removeAllAccess: s.accessActionConfiguration.removeAllAccessEnabled,
        identityState: s.identityState,
        grants: stateGrants(
          { ...s, accessProfileIds: s.accessProfileIds.flatMap((ref) => apId(ref) ?? []) },
          accessProfiles,
        ),
      })
    }
    lifecycleStates.set(profile.name, states)
  }
  return { sources, accessProfiles, roles, memberOf, lifecycleStates, assignableRoles, unresolved }
}

/**
 * The id the planner knows a role or access profile by (its configured id, else its name): what
 * grants, stored grant sets and assignments refer to.
 */
export function configId(object: { readonly id?: string | undefined; readonly name: string }): string {
  return object.id ?? object.name
}

function planSource(
  id: string,
  s: SourceConfig,
  resolve: (id: string) => TransformDefinition | undefined,
): PlanSource {
  const create = s.provisioningPolicies.find((p) => p.usageType === 'CREATE')
  const update = s.provisioningPolicies.find((p) => p.usageType === 'UPDATE')
  const planFields = (fields: NonNullable<typeof create>['fields']): PlanField[] =>
    fields.map((f) => ({
      name: f.name,
      transform: isEmptyTransform(f.transform)
        ? null
        : compileTransform(f.transform as TransformDefinition, {
            resolve,
            fieldAttributes: f.attributes ?? {},
          }),
      isRequired: f.isRequired,
      secret: f.type === 'secret',
      multiValued: f.isMultiValued,
      ...(f.attributes?.cloudMaxSize !== undefined ? { maxSize: f.attributes.cloudMaxSize } : {}),
    }))
  const createFields = create ? planFields(create.fields) : undefined
  const updateFields = update ? planFields(update.fields) : undefined
  // Sync targets: the configured one, else the Create Account field mapped straight from that identity attribute.
  const direct = (name: string): string | undefined =>
    [...(create?.fields ?? []), ...(update?.fields ?? [])].find((f) => {
      const t = f.transform as { type?: string; attributes?: { name?: unknown } }
      return !f.isMultiValued && t.type === 'identityAttribute' && t.attributes?.name === name
    })?.name
  const syncedAttributes = (s.attributeSyncConfig?.attributes ?? []).flatMap((a) => {
    const target = a.enabled ? (a.target ?? direct(a.name)) : undefined
    return target ? [{ identityAttribute: a.name, accountAttribute: target }] : []
  })
  return {
    id,
    name: s.name,
    accountIdAttribute: accountSchemaOf(s).identityAttribute,
    entitlementAttributes: entitlementAttributesOf(s),
    ...(createFields ? { createFields } : {}),
    ...(updateFields && update
      ? { updatePolicy: { name: update.name ?? 'Update Account', fields: updateFields } }
      : {}),
    syncedAttributes,
  }
}

function isListed(members: ReadonlySet<string>, s: MembershipSubject): boolean {
  return members.has(s.identityId) || members.has(String(s.identity['uid'] ?? ''))
}

/** Criteria name sources by name or id; the compiled criteria compare stored ids. */
function withSourceIds(value: unknown, sourceId: (ref: string) => string | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => withSourceIds(v, sourceId))
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === 'sourceId' && typeof v === 'string' ? (sourceId(v) ?? v) : withSourceIds(v, sourceId)
  }
  return out
}
