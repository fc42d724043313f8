import type { AttributeChange, Attributes } from './connector.js'
import { ConnectorError } from '../domain/errors.js'

/**
 * Applies an update's changes, in order, to a copy of `attributes`. Add and Remove treat the attribute as
 * multi-valued: Add appends each value it does not already hold (so repeating an Add changes nothing) and
 * Remove takes each value out. Set replaces the attribute; Set to null or undefined removes it.
 */
export function applyAttributeChanges(
  attributes: Attributes,
  changes: readonly AttributeChange[],
): Attributes {
  const out: Attributes = { ...attributes }
  for (const change of changes) {
    const { attribute } = change
    // Changes may come from JSON or an SDK connector's caller, so an op outside the type is possible.
    const op: string = change.op
    switch (op) {
      case 'Set':
        if (change.value === null || change.value === undefined) delete out[attribute]
        else out[attribute] = change.value
        break
      case 'Add': {
        const values = valuesOf(out[attribute])
        for (const v of valuesOf(change.value)) if (!values.some((held) => sameValue(held, v))) values.push(v)
        out[attribute] = values
        break
      }
      case 'Remove': {
        const removed = valuesOf(change.value)
        const values = valuesOf(out[attribute]).filter((held) => !removed.some((r) => sameValue(held, r)))
        // As in LDAP, an attribute left without values no longer exists.
        if (values.length === 0) delete out[attribute]
        else out[attribute] = values
        break
      }
      default:
        throw new ConnectorError('TERMINAL', `unknown change operation ${JSON.stringify(op)}`, {
          code: 'SCHEMA',
        })
    }
  }
  return out
}

function valuesOf(value: unknown): unknown[] {
  if (value === null || value === undefined) return []
  return Array.isArray(value) ? [...(value as unknown[])] : [value]
}

// Values are JSON data (they are persisted as JSON), so equal JSON is equal values.
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}
