import { MASK } from '../domain/config/secret-ref.js'
import { describeReason } from '../domain/plan/describe-reason.js'
import type { AccountSelection, PlanError, PlanItem, PlanReason } from '../domain/plan/plan-item.js'

export { describeReason }

function reasons(rs: readonly PlanReason[]): string {
  return rs.length > 0 ? ` — ${rs.map(describeReason).join('; ')}` : ''
}

function show(item: PlanItem): string {
  if (item.secret) return `${MASK} (generated when executed)`
  const v = item.value
  return Array.isArray(v) ? v.join(', ') : String(v ?? '')
}

/**
 * The plan as people read it: per identity, per source, one line per change with its reasons.
 * Secret values are never printed.
 */
export function formatPlan(
  items: readonly PlanItem[],
  selections: readonly AccountSelection[],
  errors: readonly PlanError[],
  names: ReadonlyMap<string, string>,
): string {
  const lines: string[] = []
  const identities = [
    ...new Set([
      ...items.map((i) => i.identityId),
      ...selections.map((s) => s.identityId),
      ...errors.map((e) => e.identityId),
    ]),
  ]
  for (const id of identities) {
    lines.push(`${names.get(id) ?? id}`)
    const mine = items.filter((i) => i.identityId === id)
    for (const source of [...new Set(mine.map((i) => i.sourceName))]) {
      lines.push(`  on "${source}"`)
      const here = mine.filter((i) => i.sourceName === source)
      const creates = here.filter((i) => i.operation === 'Create')
      for (const account of [...new Set(creates.map((i) => i.nativeIdentity))]) {
        const fields = creates.filter((i) => i.nativeIdentity === account)
        const why = fields.find((f) => f.attributeOperation === 'Add')?.reasons ?? fields[0]?.reasons ?? []
        lines.push(`    + create account "${account}"${reasons(why)}`)
        for (const f of fields) {
          lines.push(`        ${f.attributeOperation === 'Add' ? '+ ' : ''}${f.attribute} = ${show(f)}`)
        }
      }
      for (const i of here.filter((x) => x.operation !== 'Create')) {
        const account = `account "${i.nativeIdentity}"`
        if (i.operation === 'Modify') {
          const sign = i.attributeOperation === 'Add' ? '+' : i.attributeOperation === 'Remove' ? '-' : '~'
          lines.push(`    ${sign} ${i.attribute} = ${show(i)} on ${account}${reasons(i.reasons)}`)
        } else lines.push(`    ! ${i.operation.toLowerCase()} ${account}${reasons(i.reasons)}`)
      }
    }
    for (const s of selections.filter((x) => x.identityId === id)) {
      lines.push(
        `  ? choose the account on "${s.sourceName}" for access profile "${s.accessProfile}": ${s.candidates.join(', ')}${reasons(s.reasons)}`,
      )
    }
    for (const e of errors.filter((x) => x.identityId === id)) {
      lines.push(`  error${e.sourceName ? ` on "${e.sourceName}"` : ''}: ${e.message}`)
    }
  }
  return lines.join('\n')
}
