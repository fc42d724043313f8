import type { AccountActivity } from '../../domain/execution/account-activity.js'
import type { RemediationItem } from '../../domain/execution/remediation-item.js'

/**
 * Which task an activity joins. A certification's revocations join their sign-off's task on the source —
 * its owner gets one list per reviewer's sign-off, fixed once made, rather than a task per account (or one
 * task that grows while they work on it). Anything else is a task of its own: a joiner's create, an access
 * request's grant come one at a time and someone waits for each; a Create's secrets are sealed to it alone.
 */
export function taskKeyOf(a: Pick<AccountActivity, 'operation' | 'reasons'>): string | null {
  if (a.operation === 'Create') return null
  const cert = a.reasons.find((r) => r.kind === 'CERTIFICATION')
  if (cert === undefined) return null
  return cert.certificationId ?? `${cert.id ?? cert.name}/${cert.reviewer?.id ?? ''}`
}

/** A grouped task's lines for one activity: each says whose account, which request, and who revoked it. */
export function remediationItemsOf(
  a: Pick<AccountActivity, 'id' | 'identityId' | 'nativeIdentity' | 'operation' | 'items' | 'reasons'>,
  identityName: string | undefined,
): RemediationItem[] {
  const reviewer = a.reasons.find((r) => r.kind === 'CERTIFICATION')?.reviewer?.name
  const about = {
    activityId: a.id,
    identityId: a.identityId,
    ...(identityName !== undefined ? { identityName } : {}),
    nativeIdentity: a.nativeIdentity,
    ...(reviewer !== undefined ? { revokedBy: reviewer } : {}),
  }
  if (a.items.length === 0 && a.operation !== 'Modify' && a.operation !== 'Create') {
    return [{ operation: a.operation, attribute: null, value: null, ...about }]
  }
  return a.items.map((i) => ({ ...i, ...(i.secret ? { value: null } : {}), ...about }))
}
