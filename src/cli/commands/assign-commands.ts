import { userInfo } from 'node:os'
import { InputError } from '../../domain/errors.js'
import { describeAssignedItem, describeAssignment, type Assignment } from '../../domain/plan/assignment.js'
import { assign, parseEntitlementRef, unassign, type ItemRef } from '../../engine/assignments.js'
import { withEngine } from '../../app/open-engine.js'
import { printJson } from '../print-table.js'

/** The item options of `assign` and `unassign`: exactly one of them. */
export interface ItemOptions {
  readonly role?: string
  readonly accessProfile?: string
  readonly entitlement?: string
}

/** `provisio assign IDENTITY --access-profile NAME [--start DATE] [--end DATE]`: an administrator's assignment. */
export async function assignCommand(
  workspace: string,
  identity: string,
  options: ItemOptions & { start?: string; end?: string; json?: boolean },
): Promise<void> {
  const item = itemOf(options)
  const { assignment, replaced } = await withEngine(workspace, (e) =>
    assign(e, {
      identity,
      item,
      ...(options.start !== undefined ? { start: options.start } : {}),
      ...(options.end !== undefined ? { end: options.end } : {}),
      actor: actor(),
    }),
  )
  if (options.json) return printJson(assignment)
  process.stdout.write(
    `${replaced ? 'changed the dates of' : 'assigned'} ${describeAssignedItem(assignment)} to ${identity}: ` +
      `${describeAssignment(assignment)}\n${NEXT_PLAN}`,
  )
}

/** `provisio unassign IDENTITY --access-profile NAME`: removes an administrator's assignment. */
export async function unassignCommand(
  workspace: string,
  identity: string,
  options: ItemOptions & { json?: boolean },
): Promise<void> {
  const item = itemOf(options)
  const removed: Assignment = await withEngine(workspace, (e) => unassign(e, { identity, item }))
  if (options.json) return printJson(removed)
  process.stdout.write(
    `removed ${describeAssignment(removed)} of ${describeAssignedItem(removed)} from ${identity}; ` +
      `what only it granted is revoked\n${NEXT_PLAN}`,
  )
}

const NEXT_PLAN = 'the next `apply` (or `refresh`) plans the change; `explain` shows it now\n'

export function itemOf(o: ItemOptions): ItemRef {
  const given = [o.role, o.accessProfile, o.entitlement].filter((x) => x !== undefined)
  if (given.length !== 1) {
    throw new InputError(
      'give exactly one of --role NAME, --access-profile NAME, --entitlement SOURCE:ATTRIBUTE:VALUE',
    )
  }
  if (o.role !== undefined) return { type: 'ROLE', name: o.role }
  if (o.accessProfile !== undefined) return { type: 'ACCESS_PROFILE', name: o.accessProfile }
  return parseEntitlementRef(o.entitlement as string)
}

/** Who assigns: the operating-system user running the command (recorded with the assignment). */
function actor(): string | null {
  try {
    return `cli:${userInfo().username}`
  } catch {
    return null
  }
}
