import type { PlanReason } from '../../domain/plan/plan-item.js'

type Described = { operation: string; nativeIdentity: string | null; reasons?: readonly PlanReason[] }

// A long sign-off's task names its first accounts; its remediation items list them all.
const NAMED_ACCOUNTS = 10

/**
 * "Create account on source 'Badge System'", "Modify account 'B1002' on source 'Badge System'"; a
 * certification's revocations say who revoked them: "Certification items revoked by Ada Lovelace (campaign
 * 'Q3 review'): Modify account 'B1002', Disable account 'B1007' on source 'Badge System'".
 */
export function describeTask(activities: readonly Described[], sourceName: string): string {
  const changes = activities.slice(0, NAMED_ACCOUNTS).map((a) => {
    const account =
      a.operation === 'Create' || a.nativeIdentity === null ? 'account' : `account '${a.nativeIdentity}'`
    return `${a.operation} ${account}`
  })
  const more = activities.length > NAMED_ACCOUNTS ? ` and ${activities.length - NAMED_ACCOUNTS} more` : ''
  const task = `${changes.join(', ')}${more} on source '${sourceName}'`
  const certs = activities.flatMap((a) => a.reasons?.find((r) => r.kind === 'CERTIFICATION') ?? [])
  const [cert] = certs
  if (cert === undefined) return task
  const by = [...new Set(certs.map((c) => c.reviewer?.name ?? 'the campaign'))].join(', ')
  return `Certification items revoked by ${by} (campaign '${cert.name}'): ${task}`
}
