import type { PlanReason } from '../../domain/plan/plan-item.js'

/**
 * "Create account on source 'Badge System'", "Modify account 'B1002' on source 'Badge System'"; a
 * certification's revocation says who revoked it: "Certification items revoked by Ada Lovelace (campaign
 * 'Q3 review'): Modify account 'B1002' on source 'Badge System'".
 */
export function describeTask(
  a: { operation: string; nativeIdentity: string | null; reasons?: readonly PlanReason[] },
  sourceName: string,
): string {
  const account =
    a.operation === 'Create' || a.nativeIdentity === null ? 'account' : `account '${a.nativeIdentity}'`
  const task = `${a.operation} ${account} on source '${sourceName}'`
  const cert = a.reasons?.find((r) => r.kind === 'CERTIFICATION')
  if (cert === undefined) return task
  const by = cert.reviewer?.name ?? 'the campaign'
  return `Certification items revoked by ${by} (campaign '${cert.name}'): ${task}`
}
