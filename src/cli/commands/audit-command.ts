import { auditEventJson } from '../../api/presenters/audit-event-json.js'
import { withEngine } from '../../app/open-engine.js'
import { listAudit } from '../../engine/queries/list-audit-events.js'
import { formatTable, printJson } from '../print-table.js'
import { wholeNumberOption } from '../whole-number-option.js'

/** `provisio audit`: the audit log, newest first (docs/api.md); `--filters` in the API's grammar. */
export async function auditCommand(
  workspace: string,
  o: { filters?: string; limit?: string; offset?: string; json?: boolean },
): Promise<void> {
  const limit = o.limit === undefined ? 50 : wholeNumberOption('--limit', o.limit, 1)
  const offset = o.offset === undefined ? 0 : wholeNumberOption('--offset', o.offset)
  const { rows } = await withEngine(workspace, (e) =>
    listAudit(e, { limit, offset, ...(o.filters !== undefined ? { filters: o.filters } : {}) }),
  )
  if (o.json) return printJson(rows.map(auditEventJson))
  if (rows.length === 0) {
    process.stdout.write('no audit events\n')
    return
  }
  process.stdout.write(
    formatTable(
      ['AT', 'ACTION', 'CLIENT', 'IDENTITY', 'ADDRESS', 'STATUS', 'TARGET'],
      rows.map((e) => [
        e.at,
        e.action,
        e.clientId ?? '',
        e.identityId ?? '',
        e.sourceAddress ?? '',
        e.status === null ? '' : String(e.status),
        [e.targetType, e.targetName ?? e.targetId].filter((x) => x !== null).join(' '),
      ]),
    ) + '\n',
  )
}
