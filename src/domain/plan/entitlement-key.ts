/** An entitlement as its parts: where it is, the account attribute that holds it, and its value. */
export interface EntitlementParts {
  readonly sourceId: string
  readonly attribute: string
  readonly value: string
}

// NUL cannot occur in a source id, an attribute name or a value stored in PostgreSQL text, so the
// parts never run into each other.
const SEPARATOR = '\u0000'

/**
 * The one identity of an entitlement: source, attribute and value. The planner merges grants on it,
 * applied grants are stored under it, and the store keys entitlements and entitlement assignments
 * with it, so a granted, an assigned and an aggregated entitlement are recognised as the same thing.
 */
export function entitlementKey(sourceId: string, attribute: string, value: string): string {
  return `${sourceId}${SEPARATOR}${attribute}${SEPARATOR}${value}`
}

/** The parts of a key made by entitlementKey. */
export function entitlementParts(key: string): EntitlementParts {
  const first = key.indexOf(SEPARATOR)
  const second = key.indexOf(SEPARATOR, first + 1)
  return {
    sourceId: key.slice(0, first),
    attribute: key.slice(first + 1, second),
    value: key.slice(second + 1),
  }
}
