import { accountEntitlements } from '../domain/config/account-entitlements.js'
import { entitlementAttributesOf } from '../domain/config/workspace-config.js'
import type { Identity } from '../domain/model.js'
import type { PlanReason } from '../domain/plan/plan-item.js'
import { listAccounts } from '../store/accounts.js'
import { listSourceRows } from '../store/sources.js'
import type { EngineContext } from './engine-context.js'
import { explainAssignments, type ExplainedAssignment } from './assignments.js'
import { planIdentities, type PlanRun } from './plan-identities.js'
import { findIdentity } from './queries/get-identity.js'

/** One source's part of an identity's access: its accounts, and each entitlement granted or held. */
export interface SourceAccess {
  readonly source: { readonly id: string | null; readonly name: string }
  readonly accounts: readonly { nativeIdentity: string; disabled: boolean }[]
  readonly entitlements: readonly {
    attribute: string
    value: string
    /** `held` (granted and present), `missing` (granted, not yet present), `notGranted` (present only). */
    status: 'held' | 'missing' | 'notGranted'
    reasons: readonly PlanReason[]
  }[]
}

/** Everything about why an identity has, or will have, its access. */
export interface IdentityExplanation {
  readonly identity: Identity
  readonly lifecycleState: {
    readonly technicalName: string | null
    /** The configured state's name; null when there is no enabled state with the identity's technical name. */
    readonly name: string | null
    readonly identityState: string | null
    readonly removeAllAccess: boolean
  }
  readonly rolesSuspended: boolean
  readonly roles: readonly {
    readonly name: string
    readonly matched: boolean
    readonly detail: string
    /** How each criterion of the role evaluated, one line each (empty when the role cannot say). */
    readonly criteria: readonly string[]
  }[]
  /** Access the identity was given (docs/assignments.md), with what each does now. */
  readonly assignments: readonly ExplainedAssignment[]
  /** Per configured source the identity has an account on or is granted something on, in configuration order. */
  readonly access: readonly SourceAccess[]
  /** The identity's plan. */
  readonly plan: PlanRun
}

/** Explains an identity (by id or name): its state, roles, desired versus actual access, and its plan. */
export async function explainIdentity(ctx: EngineContext, idOrName: string): Promise<IdentityExplanation> {
  const identity = await findIdentity(ctx, idOrName)
  const plan = await planIdentities(ctx, { identity: identity.id, explain: true })
  const accounts = await listAccounts(ctx.db, { identityIds: [identity.id] })
  const sourceIds = new Map((await listSourceRows(ctx.db)).map((s) => [s.name, s.id]))
  const desired = plan.identities.get(identity.id)?.desired
  const state = desired?.state
  const access: SourceAccess[] = []
  for (const { value: source } of ctx.config.sources) {
    const sourceId = sourceIds.get(source.name)
    const mine = accounts.filter((a) => a.sourceName === source.name)
    const wanted = (desired?.grants ?? []).filter((g) => g.kind === 'ENTITLEMENT' && g.sourceId === sourceId)
    if (mine.length === 0 && wanted.length === 0) continue
    const held = new Map(
      mine.flatMap((a) =>
        accountEntitlements(entitlementAttributesOf(source), a.attributes).map(
          (e) => [`${e.attribute}=${e.value}`, e] as const,
        ),
      ),
    )
    const wantedKeys = new Set(wanted.map((g) => `${g.attribute}=${g.value}`))
    access.push({
      source: { id: sourceId ?? null, name: source.name },
      accounts: mine.map((a) => ({ nativeIdentity: a.nativeIdentity, disabled: a.disabled })),
      entitlements: [
        ...wanted.map((g) => ({
          attribute: g.attribute ?? '',
          value: g.value ?? '',
          status: held.has(`${g.attribute}=${g.value}`) ? ('held' as const) : ('missing' as const),
          reasons: g.reasons,
        })),
        ...[...held]
          .filter(([key]) => !wantedKeys.has(key))
          .map(([, e]) => ({
            attribute: e.attribute,
            value: e.value,
            status: 'notGranted' as const,
            reasons: [],
          })),
      ],
    })
  }
  return {
    identity,
    lifecycleState: {
      technicalName: identity.lifecycleState ?? null,
      name: state?.name ?? null,
      identityState: state ? (state.identityState ?? 'ACTIVE') : null,
      removeAllAccess: state?.removeAllAccess === true,
    },
    rolesSuspended: desired?.rolesSuspended === true,
    roles: (desired?.roles ?? []).map((r) => ({
      name: r.name,
      matched: r.matched,
      detail: r.detail,
      criteria: (r.explain?.() ?? '').split('\n').filter(Boolean),
    })),
    assignments: await explainAssignments(ctx, identity.id, desired),
    access,
    plan,
  }
}
