import { applyPlan } from '../../engine/apply-plan.js'
import { explainIdentity } from '../../engine/explain-identity.js'
import { planIdentities } from '../../engine/plan-identities.js'
import { describeAssignedItem, describeAssignment } from '../../domain/plan/assignment.js'
import { runUntilSettled } from '../../engine/run-until-settled.js'
import { loadWorkspace } from '../../engine/workspace/load-workspace.js'
import type { PlanSummary } from '../../domain/plan/plan-summary.js'
import { explanationJson } from '../../api/presenters/explanation-json.js'
import { applyJson, planJson, planSummary } from '../../api/presenters/plan-json.js'
import { withEngine } from '../../app/open-engine.js'
import { describeReason, formatPlan } from '../format-plan.js'
import { printJson } from '../print-table.js'
import { terminalProgress } from '../progress.js'
import { settledLine } from './execution-commands.js'
import { seconds } from './aggregate-command.js'

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
      summaryLine(planSummary(plan), plan.durationMs) +
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
  if (options.json) return printJson(applyJson(result, settled))
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`)
  const names = new Map(result.identityNames)
  const text = formatPlan([], result.selections, result.errors, names)
  process.stdout.write(
    (text ? text + '\n' : '') +
      `applied${options.source !== undefined ? ` (source "${options.source}" only)` : ''}: ${result.accountRequests} account requests; ${summaryLine(result.summary, result.durationMs)}\n` +
      (settled ? `executed: ${settledLine(settled)}\n` : ''),
  )
}

/** Everything about why an identity has, or will have, its access. */
export async function explainCommand(
  workspace: string,
  idOrName: string,
  options: { json?: boolean } = {},
): Promise<void> {
  const explanation = await withEngine(workspace, (e) => explainIdentity(e, idOrName))
  if (options.json) return printJson(explanationJson(explanation))
  const { identity, lifecycleState: state, access, plan, assignments } = explanation
  const lines: string[] = [`${identity.name}  (${identity.id})`, '  attributes']
  for (const [k, v] of Object.entries(identity.attributes).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`    ${k.padEnd(22)} ${v ?? ''}`)
  }
  lines.push(
    `  lifecycle state: ${identity.lifecycleState ?? '(none)'}` +
      (state.name !== null
        ? ` — "${state.name}", identity state ${state.identityState ?? 'ACTIVE'}${state.removeAllAccess ? ', removes all access' : ''}`
        : identity.lifecycleState
          ? ' — no enabled lifecycle state with this technical name'
          : ''),
  )
  if (explanation.rolesSuspended) lines.push('  roles grant nothing while the identity is in this state')
  lines.push('  roles')
  for (const r of explanation.roles) {
    lines.push(`    ${r.matched ? '✓' : '✗'} ${r.name} — ${r.detail}`)
    for (const l of r.criteria) lines.push(`        ${l}`)
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
