/**
 * Keys of PlanContext.revokedBy for access a decision removed from a role's definition (a role composition
 * campaign), beside the assignment ids a revoked assignment is named by: what a member loses because of
 * the change is removed for the decision's reason (and process type), not as "no longer granted".
 */

/** An access profile taken out of a role: its entitlements' reasons name the access profile, via the role. */
export function removedAccessProfileKey(accessProfileId: string): string {
  return `AP:${accessProfileId}`
}

/** An entitlement taken out of a role's own entitlements: its reason names the role. */
export function removedRoleEntitlementKey(roleId: string, entitlementKey: string): string {
  return `R:${roleId}\u0000E:${entitlementKey}`
}
