import type { Located } from '../domain/config/workspace-config.js'
import { refKeys, refLabel, type ObjectRef } from '../domain/config/schema-primitives.js'
import type { ConfigProblem } from '../domain/errors.js'
import { findIdentityKeys } from '../store/identities.js'
import type { EngineContext } from './engine-context.js'
import { isManualSource } from './source-connector.js'

/** What an owner check covers: every owner, or only the owners manual tasks go to (flat-file sources). */
export type OwnerScope = 'all' | 'manual-sources'

/**
 * Owners must be identities: a manual task or an approval goes to a person who can act on it. So must a
 * governance group's members and the fallback approver of escalated approvals. Identities
 * exist only once the authoritative source has been aggregated, so before that nothing is checked
 * (`checked: false`); after it, every owner that names no identity is a problem with its file and path.
 */
export async function checkOwners(
  ctx: Pick<EngineContext, 'db' | 'config' | 'connectors'>,
  scope: OwnerScope = 'all',
): Promise<{ readonly checked: boolean; readonly problems: ConfigProblem[] }> {
  const { db, config } = ctx
  const owned: { file: string; object: string; path?: string; owner: ObjectRef }[] = []
  const add = (items: readonly Located<{ name: string; owner?: ObjectRef }>[], kind: string): void => {
    for (const { file, value } of items) {
      if (value.owner) owned.push({ file, object: `${kind} "${value.name}"`, owner: value.owner })
    }
  }
  add(
    config.sources.filter((s) => scope === 'all' || isManualSource(ctx, s.value)),
    'source',
  )
  if (scope === 'all') {
    add(config.roles, 'role')
    add(config.accessProfiles, 'access profile')
    add(config.governanceGroups, 'governance group')
    // A governance group's members decide its approvals, and escalations go to the fallback approver.
    for (const { file, value } of config.governanceGroups) {
      value.members.forEach((member, i) =>
        owned.push({
          file,
          object: `governance group "${value.name}"`,
          path: `members[${i}]`,
          owner: member,
        }),
      )
    }
    const fallback =
      config.settings.accessRequestConfig.approvalReminderAndEscalationConfig.fallbackApproverRef
    if (fallback) {
      owned.push({
        file: 'provisio.yaml',
        object: 'workspace',
        path: 'accessRequestConfig.approvalReminderAndEscalationConfig.fallbackApproverRef',
        owner: fallback,
      })
    }
  }
  if (owned.length === 0) return { checked: true, problems: [] }
  const { found, any } = await findIdentityKeys(db, [...new Set(owned.flatMap((o) => refKeys(o.owner)))])
  if (!any) return { checked: false, problems: [] }
  const problems = owned
    .filter((o) => !refKeys(o.owner).some((k) => found.has(k)))
    .map((o) => ({
      file: o.file,
      object: o.object,
      path: o.path ?? 'owner',
      message: `"${refLabel(o.owner)}" is not an identity: name an identity (by name or id) that can act on its tasks`,
    }))
  return { checked: true, problems }
}
