import type { PlanReason } from './plan-item.js'

/** One reason in words: `role "Engineering" (department EQUALS "Engineering")`. */
export function describeReason(r: PlanReason): string {
  switch (r.kind) {
    case 'ASSIGNMENT':
      return r.detail ?? `assignment ${r.id ?? ''} of "${r.name}"`
    case 'ROLE':
      return `role "${r.name}"${r.detail ? ` (${r.detail})` : ''}`
    case 'ACCESS_PROFILE':
      return `access profile "${r.name}"${r.detail ? ` ${r.detail}` : ''}`
    case 'LIFECYCLE_STATE':
      return `lifecycle state "${r.name}"${r.detail && !r.detail.startsWith('lifecycle state') ? ` (${r.detail})` : ''}`
    case 'ATTRIBUTE_SYNC':
      return `attribute sync from ${r.detail ?? r.name}`
    case 'ACCESS_REQUEST':
      return `access request "${r.name}"${r.detail ? ` (${r.detail})` : ''}`
    case 'PROVISIONING_POLICY':
      return `${r.detail ?? 'provisioning policy'} "${r.name}"`
    case 'CERTIFICATION':
      return r.detail ?? `certification campaign "${r.name}"`
    case 'AUTHORITATIVE_SOURCE':
      return `the identity's record on its authoritative source "${r.name}"`
  }
}
