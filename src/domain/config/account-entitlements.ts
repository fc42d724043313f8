/** An entitlement an account holds: a value of one of its source's entitlement attributes. */
export interface HeldEntitlement {
  readonly attribute: string
  readonly value: string
}

/** The entitlements in an account's attributes, given its source's entitlement attribute names. */
export function accountEntitlements(
  entitlementAttributes: readonly string[],
  attributes: Readonly<Record<string, unknown>>,
): HeldEntitlement[] {
  const held: HeldEntitlement[] = []
  for (const attribute of entitlementAttributes) {
    const v = attributes[attribute]
    if (v === null || v === undefined) continue
    for (const value of Array.isArray(v) ? v : [v]) held.push({ attribute, value: String(value) })
  }
  return held
}
