import { withEngine } from '../../app/open-engine.js'
import { InputError } from '../../domain/errors.js'
import type { OpenEngine } from '../../app/open-engine.js'
import { resolveItem } from '../../engine/assignments.js'
import { findIdentity } from '../../engine/queries/get-identity.js'
import type { RequestActor } from '../../engine/requests/access-request-actor.js'
import {
  approvalsByIds,
  approveApprovals,
  forwardApproval,
  rejectApproval,
} from '../../engine/requests/decide-approval.js'
import { listOwnApprovals } from '../../engine/requests/list-approvals.js'
import { previewAccessRequest } from '../../engine/requests/preview-access-request.js'
import { listRequestStatuses, type RequestStatus } from '../../engine/requests/request-status.js'
import { submitAccessRequest } from '../../engine/requests/submit-access-request.js'
import { approvalV3Json, requestStatusV3Json } from '../../api/presenters/access-request-v3-json.js'
import { planItemJson } from '../../api/presenters/plan-json.js'
import { formatTable, printJson } from '../print-table.js'
import { itemOf, type ItemOptions } from './assign-commands.js'

/**
 * The CLI acts as the workspace's administrator (ORG_ADMIN); `--as NAME` names the person it acts as —
 * the requester of a request, the approver deciding an approval.
 */
export async function actorOf(e: OpenEngine, as: string | undefined): Promise<RequestActor> {
  const identity = as === undefined ? null : await findIdentity(e, as)
  return { identityId: identity?.id ?? null, clientId: 'cli', capabilities: ['ORG_ADMIN'] }
}

export interface RequestOptions extends ItemOptions {
  readonly comment?: string
  readonly start?: string
  readonly end?: string
  readonly account?: string
  readonly as?: string
  readonly preview?: boolean
  readonly json?: boolean
}

/** `provisio request grant|revoke IDENTITY --access-profile NAME …`: makes (or previews) an access request. */
export async function requestCommand(
  workspace: string,
  kind: 'grant' | 'revoke',
  identities: readonly string[],
  o: RequestOptions,
): Promise<void> {
  await withEngine(workspace, async (e) => {
    const item = await resolveItem(e, itemOf(o))
    const ids = await Promise.all(identities.map(async (i) => (await findIdentity(e, i)).id))
    const input = {
      requestedFor: ids,
      requestType: kind === 'grant' ? ('GRANT_ACCESS' as const) : ('REVOKE_ACCESS' as const),
      requestedItems: [
        {
          type: item.type,
          id: item.id,
          ...(o.comment !== undefined ? { comment: o.comment } : {}),
          ...(o.start !== undefined ? { startDate: isoDate(o.start, 'start') } : {}),
          ...(o.end !== undefined ? { removeDate: isoDate(o.end, 'end') } : {}),
          ...(o.account !== undefined ? { nativeIdentity: o.account } : {}),
        },
      ],
    }
    const actor = await actorOf(e, o.as)
    if (o.preview) {
      const previewed = await previewAccessRequest(e, actor, input)
      if (o.json) return printJson(previewed.map((p) => ({ ...p, changes: p.changes.map(planItemJson) })))
      for (const p of previewed) {
        process.stdout.write(`${p.item.name} for ${p.identity.name}: ${p.outcome}\n`)
        if (p.approvers.length === 0 && p.outcome === 'NEW') process.stdout.write('  no approval needed\n')
        p.approvers.forEach((a, n) => process.stdout.write(`  approval ${n + 1}: ${a.label}\n`))
        for (const c of p.changes) {
          const what =
            c.attribute === undefined
              ? ''
              : ` ${c.attributeOperation ?? ''} ${c.attribute}=${JSON.stringify(c.secret ? '(secret)' : c.value)}`
          process.stdout.write(
            `  ${c.operation} ${c.sourceName} account ${c.nativeIdentity ?? '(new)'}${what}\n`,
          )
        }
      }
      return
    }
    const made = await submitAccessRequest(e, actor, input)
    const statuses = (await listRequestStatuses(e, { filters: { requestIds: [made.requestId] } })).rows
    if (o.json) {
      return printJson({
        accessRequestId: made.requestId,
        items: statuses.map(requestStatusV3Json),
        ignored: made.ignored,
      })
    }
    for (const s of statuses) process.stdout.write(`${describe(s)}\n`)
    for (const i of made.ignored) {
      process.stdout.write(`${item.name} for ${i.identityId}: ${i.reason}, not requested\n`)
    }
    if (statuses.length > 0) process.stdout.write(`access request ${made.requestId}\n`)
  })
}

export function isoDate(text: string, which: string): string {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text)
  if (Number.isNaN(t) || !calendarDay(text)) {
    throw new InputError(`--${which}: "${text}" is not a date (YYYY-MM-DD or an ISO time)`)
  }
  return new Date(t).toISOString()
}

/** Whether a text's leading YYYY-MM-DD, if it has one, is a day of the calendar (Date.parse rolls 02-31 into March). */
function calendarDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text)
  if (!m) return true
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const day = new Date(Date.UTC(y, mo - 1, d))
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d
}

function describe(s: RequestStatus): string {
  const who = s.identities.get(s.item.identityId)?.name ?? s.item.identityId
  const pending = s.approvals.find((a) => a.status === 'PENDING')
  const waiting = pending
    ? `, waiting for ${s.item.schemes[pending.step]?.label ?? 'approval'} (step ${pending.step + 1} of ${s.item.schemes.length})`
    : ''
  return `${s.item.requestType === 'GRANT_ACCESS' ? 'grant' : 'revoke'} ${s.item.itemName} for ${who}: ${s.state}${waiting}`
}

/** `provisio requests [--identity X] [--json]`: access requests with their states, newest first. */
export async function requestsCommand(
  workspace: string,
  o: { identity?: string; limit?: string; json?: boolean },
): Promise<void> {
  await withEngine(workspace, async (e) => {
    const identity = o.identity !== undefined ? await findIdentity(e, o.identity) : undefined
    const limit = o.limit !== undefined ? Number(o.limit) : 50
    const { rows } = await listRequestStatuses(e, {
      limit,
      filters: identity ? { regarding: [identity.id] } : {},
    })
    if (o.json) return printJson(rows.map(requestStatusV3Json))
    process.stdout.write(
      formatTable(
        ['request', 'type', 'item', 'for', 'state', 'created'],
        rows.map((s) => [
          s.item.requestId,
          s.item.requestType === 'GRANT_ACCESS' ? 'grant' : 'revoke',
          s.item.itemName,
          s.identities.get(s.item.identityId)?.name ?? s.item.identityId,
          s.state,
          s.item.created,
        ]),
      ),
    )
  })
}

/** `provisio approvals [--as NAME] [--completed] [--json]`: pending (or decided) approvals. */
export async function approvalsCommand(
  workspace: string,
  o: { as?: string; completed?: boolean; json?: boolean },
): Promise<void> {
  await withEngine(workspace, async (e) => {
    const actor = await actorOf(e, o.as)
    const { rows } = await listOwnApprovals(e, actor, {
      completed: o.completed === true,
      ...(actor.identityId !== null ? { ownerId: actor.identityId } : {}),
    })
    if (o.json) return printJson(rows.map((r) => approvalV3Json(r.status, r.approval)))
    process.stdout.write(
      formatTable(
        ['approval', 'item', 'for', 'requested by', 'step', 'approver', 'status'],
        rows.map(({ status: s, approval: a }) => [
          a.id,
          s.item.itemName,
          s.identities.get(s.item.identityId)?.name ?? s.item.identityId,
          s.item.requesterId
            ? (s.identities.get(s.item.requesterId)?.name ?? s.item.requesterId)
            : `client ${s.item.requesterClient ?? ''}`,
          `${a.step + 1} of ${s.item.schemes.length}`,
          s.item.schemes[a.step]?.label ?? '',
          a.status,
        ]),
      ),
    )
  })
}

/** `provisio approve|reject ID --as NAME [--comment TEXT]`: decides an approval as its approver. */
export async function decideCommand(
  workspace: string,
  decision: 'approve' | 'reject',
  ids: readonly string[],
  o: { as?: string; comment?: string; json?: boolean },
): Promise<void> {
  if (o.as === undefined) {
    throw new InputError('--as NAME: name the approver who decides (the approval is theirs)')
  }
  await withEngine(workspace, async (e) => {
    const actor = await actorOf(e, o.as)
    const comment = o.comment ?? null
    if (decision === 'approve') await approveApprovals(e, actor, ids, comment)
    else for (const id of ids) await rejectApproval(e, actor, id, comment)
    const approvals = (await approvalsByIds(e, ids)).map((f) => f.approval)
    const itemIds = [...new Set(approvals.map((a) => a.requestItemId))]
    const statuses = (await listRequestStatuses(e, { filters: { ids: itemIds } })).rows
    if (o.json) {
      const shown = statuses.map(requestStatusV3Json)
      return printJson(ids.length === 1 ? (shown[0] ?? {}) : shown)
    }
    const done = decision === 'approve' ? 'approved' : 'rejected'
    for (const a of approvals) {
      const status = statuses.find((st) => st.item.id === a.requestItemId)
      process.stdout.write(`${done} ${a.id}; ${status ? describe(status) : ''}\n`)
    }
  })
}

/** `provisio forward ID --to NAME --comment TEXT [--as NAME]`: hands an approval to someone else. */
export async function forwardCommand(
  workspace: string,
  id: string,
  o: { to: string; comment: string; as?: string; json?: boolean },
): Promise<void> {
  await withEngine(workspace, async (e) => {
    const target = await findIdentity(e, o.to)
    const { item } = await forwardApproval(e, await actorOf(e, o.as), id, target.id, o.comment)
    const [status] = (await listRequestStatuses(e, { filters: { ids: [item.id] } })).rows
    if (o.json) return printJson(status ? requestStatusV3Json(status) : {})
    process.stdout.write(`forwarded ${id} to ${target.name}; ${status ? describe(status) : ''}\n`)
  })
}
