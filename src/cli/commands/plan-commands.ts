import { accountEntitlements } from '../../domain/config/account-entitlements.js'
import { entitlementAttributesOf } from '../../domain/config/workspace-config.js'
import { NotFoundError } from '../../domain/errors.js'
import { applyPlan } from '../../engine/apply-plan.js'
import { explainAssignments, type ExplainedAssignment } from '../../engine/assignments.js'
import { describeAssignedItem, describeAssignment } from '../../domain/plan/assignment.js'
import { planIdentities, type PlanRun } from '../../engine/plan-identities.js'
import { loadWorkspace } from '../../engine/workspace/load-workspace.js'
import { listAccounts } from '../../store/accounts.js'
import { findIdentity } from '../../store/identities.js'
import { listSourceRows } from '../../store/sources.js'
import { summarizePlan, type PlanSummary } from '../../domain/plan/plan-summary.js'
import type { PlanReason } from '../../domain/plan/plan-item.js'
import { describeReason, formatPlan } from '../format-plan.js'
import { runUntilSettled } from '../../engine/run-until-settled.js'
import { withEngine } from '../open-engine.js'
import { settledLine } from './execution-commands.js'
import { printJson } from '../print-table.js'
import { terminalProgress } from '../progress.js'
import { seconds } from './aggregate-command.js'

/** The stable `plan --json` shape (docs/plan.md). Secret values are never included. */
export function planJson(plan: PlanRun): object {
  return {
    items: plan.items.map((i) => ({
      identity: { id: i.identityId, name: i.identityName },
      source: { id: i.sourceId, name: i.sourceName },
      account:
        i.operation === 'Create'
          ? { nativeIdentity: i.nativeIdentity, new: true }
          : { nativeIdentity: i.nativeIdentity },
      operation: i.operation,
      ...(i.attributeOperation ? { attributeOperation: i.attributeOperation } : {}),
      ...(i.attribute !== undefined ? { attribute: i.attribute } : {}),
      ...(i.attribute !== undefined ? { value: i.secret ? null : (i.value ?? null) } : {}),
      ...(i.secret ? { secret: true } : {}),
      reasons: i.reasons,
    })),
    accountSelections: plan.selections,
    errors: plan.errors,
    warnings: plan.warnings,
    summary: summary(plan),
  }
}

function summary(plan: PlanRun): PlanSummary {
  return summarizePlan(plan.items, plan.selections, plan.errors, plan.identities.size)
}

function summaryLine(s: PlanSummary, durationMs: number): string {
  return (
    `plan: ${s.identitiesWithChanges} of ${s.identities} identities change — creates ${s.creates}, adds ${s.adds}, ` +
    `removes ${s.removes}, sets ${s.sets}, enables ${s.enables}, disables ${s.disables}, deletes ${s.deletes}, ` +
    `account selections ${s.accountSelections}, errors ${s.errors}; ${seconds(durationMs)}`
  )
}

export async function planCommand(
  workspace: string,
  options: { identity?: string; source?: string; json?: boolean; config?: string },
): Promise<void> {
  const simulated = options.config !== undefined ? await loadWorkspace(options.config) : undefined
  const plan = await withEngine(
    workspace,
    (e) =>
      planIdentities(e, {
        ...(options.identity !== undefined ? { identity: options.identity } : {}),
        ...(options.source !== undefined ? { source: options.source } : {}),
        ...(simulated ? { config: simulated } : {}),
      }),
    terminalProgress(),
  )
  if (options.json) return printJson(planJson(plan))
  for (const w of plan.warnings) process.stderr.write(`warning: ${w}\n`)
  const names = new Map([...plan.identities.values()].map(({ identity }) => [identity.id, identity.name]))
  const text = formatPlan(plan.items, plan.selections, plan.errors, names)
  process.stdout.write(
    (text ? text + '\n' : '') +
      (simulated ? `(simulated with the configuration in ${simulated.dir})\n` : '') +
      summaryLine(summary(plan), plan.durationMs) +
      '\n' +
      (options.source !== undefined ? sourceNote(options.source) : ''),
  )
}

/** `plan --source` shows one source; `apply` without `--source` would apply every source's plan. */
function sourceNote(source: string): string {
  return (
    `note: this is the plan of source "${source}" only; \`apply\` applies every source's plan — ` +
    `\`apply --source ${JSON.stringify(source)}\` applies only this one\n`
  )
}

export async function applyCommand(
  workspace: string,
  options: { identity?: string; source?: string; wait?: boolean; json?: boolean },
): Promise<void> {
  const progress = terminalProgress()
  const { result, settled } = await withEngine(
    workspace,
    async (e) => {
      const result = await applyPlan(e, {
        ...(options.identity !== undefined ? { identity: options.identity } : {}),
        ...(options.source !== undefined ? { source: options.source } : {}),
      })
      const settled = options.wait
        ? await runUntilSettled(e, result.activityIds, {
            ...(options.source !== undefined ? { sources: [options.source] } : {}),
            onProgress: (c) => {
              const done = ['FINISHED', 'FAILED', 'UNVERIFIABLE', 'CANCELED'].reduce(
                (n, k) => n + (c[k] ?? 0),
                0,
              )
              progress?.('execute', done, result.activityIds.length)
            },
          })
        : undefined
      return { result, settled }
    },
    progress,
  )
  if (options.json) {
    return printJson({
      accountRequests: result.accountRequests,
      accountSelections: result.selections,
      errors: result.errors,
      warnings: result.warnings,
      summary: result.summary,
      ...(settled ? { execution: settled } : {}),
    })
  }
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`)
  const names = new Map(result.identityNames)
  const text = formatPlan([], result.selections, result.errors, names)
  process.stdout.write(
    (text ? text + '\n' : '') +
      `applied${options.source !== undefined ? ` (source "${options.source}" only)` : ''}: ${result.accountRequests} account requests; ${summaryLine(result.summary, result.durationMs)}\n` +
      (settled ? `executed: ${settledLine(settled)}\n` : ''),
  )
}

/** The stable `explain --json` shape (docs/plan.md). */
export interface Explanation {
  readonly identity: {
    readonly id: string
    readonly name: string
    readonly attributes: Readonly<Record<string, unknown>>
  }
  readonly lifecycleState: {
    readonly technicalName: string | null
    readonly name: string | null
    readonly identityState: string | null
    readonly removeAllAccess: boolean
  }
  readonly rolesSuspended: boolean
  readonly roles: readonly { name: string; matched: boolean; detail: string }[]
  /** Access the identity was given (docs/assignments.md), with what each does now. */
  readonly assignments: readonly ExplainedAssignment[]
  readonly access: readonly {
    readonly source: { readonly id: string | null; readonly name: string }
    readonly accounts: readonly { nativeIdentity: string; disabled: boolean }[]
    readonly entitlements: readonly {
      attribute: string
      value: string
      /** `held` (granted and present), `missing` (granted, not yet present), `notGranted` (present only). */
      status: 'held' | 'missing' | 'notGranted'
      reasons: readonly PlanReason[]
    }[]
  }[]
  readonly plan: object
}

/** Everything about why an identity has, or will have, its access. */
export async function explainCommand(
  workspace: string,
  idOrName: string,
  options: { json?: boolean } = {},
): Promise<void> {
  const out = await withEngine(workspace, async (e) => {
    const identity = await findIdentity(e.db, idOrName)
    if (!identity) throw new NotFoundError(`no identity with id or name "${idOrName}"`)
    const plan = await planIdentities(e, { identity: identity.id, explain: true })
    const accounts = await listAccounts(e.db, { identityIds: [identity.id] })
    const sourceIds = new Map((await listSourceRows(e.db)).map((s) => [s.name, s.id]))
    const assignments = await explainAssignments(e, identity.id, plan.identities.get(identity.id)?.desired)
    return { identity, plan, accounts, config: e.config, sourceIds, assignments }
  })
  const { identity, plan, accounts, config, sourceIds, assignments } = out
  const desired = plan.identities.get(identity.id)?.desired
  const state = desired?.state
  const access: Explanation['access'][number][] = []
  for (const { value: source } of config.sources) {
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
  const explanation: Explanation = {
    identity: { id: identity.id, name: identity.name, attributes: identity.attributes },
    lifecycleState: {
      technicalName: identity.lifecycleState ?? null,
      name: state?.name ?? null,
      identityState: state ? (state.identityState ?? 'ACTIVE') : null,
      removeAllAccess: state?.removeAllAccess === true,
    },
    rolesSuspended: desired?.rolesSuspended === true,
    roles: (desired?.roles ?? []).map((r) => ({ name: r.name, matched: r.matched, detail: r.detail })),
    assignments,
    access,
    plan: planJson(plan),
  }
  if (options.json) return printJson(explanation)

  const lines: string[] = [`${identity.name}  (${identity.id})`, '  attributes']
  for (const [k, v] of Object.entries(identity.attributes).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`    ${k.padEnd(22)} ${v ?? ''}`)
  }
  lines.push(
    `  lifecycle state: ${identity.lifecycleState ?? '(none)'}` +
      (state
        ? ` — "${state.name}", identity state ${state.identityState ?? 'ACTIVE'}${state.removeAllAccess ? ', removes all access' : ''}`
        : identity.lifecycleState
          ? ' — no enabled lifecycle state with this technical name'
          : ''),
  )
  if (desired?.rolesSuspended) lines.push('  roles grant nothing while the identity is in this state')
  lines.push('  roles')
  for (const r of desired?.roles ?? []) {
    lines.push(`    ${r.matched ? '✓' : '✗'} ${r.name} — ${r.detail}`)
    for (const l of (r.explain?.() ?? '').split('\n').filter(Boolean)) lines.push(`        ${l}`)
  }
  lines.push(`  assignments${assignments.length === 0 ? ': none' : ''}`)
  for (const a of assignments) {
    lines.push(
      `    ${a.status === 'ACTIVE' ? '✓' : '✗'} ${describeAssignedItem({ itemType: a.item.type, itemName: a.item.name })} — ` +
        `${describeAssignment(a)}, ${a.status}${a.detail ? `: ${a.detail}` : ''}`,
    )
  }
  lines.push('  access, desired versus actual')
  for (const a of access) {
    const accountList = a.accounts.map((x) => x.nativeIdentity + (x.disabled ? ' (disabled)' : '')).join(', ')
    lines.push(`    ${a.source.name}: ${accountList || 'no account'}`)
    for (const g of a.entitlements) {
      const key = `${g.attribute}=${g.value}`
      lines.push(
        g.status === 'notGranted'
          ? `      · ${key} — not granted by policy`
          : `      ${g.status === 'held' ? '=' : '+'} ${key} — ${g.reasons.map(describeReason).join('; ')}`,
      )
    }
  }
  const names = new Map([[identity.id, identity.name]])
  const text = formatPlan(plan.items, plan.selections, plan.errors, names)
  lines.push(
    '  plan',
    text
      ? text
          .split('\n')
          .slice(1)
          .map((l) => '  ' + l)
          .join('\n')
      : '    nothing to change',
  )
  process.stdout.write(lines.join('\n') + '\n')
}
