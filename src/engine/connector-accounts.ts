import type { Attributes, ConnectorAccount } from '../connectors/connector.js'
import { unstorableText, wellFormed } from '../domain/aggregation/unstorable-text.js'
import type { SourceConfig } from '../domain/config/config-schemas.js'
import { accountSchemaOf } from '../domain/config/workspace-config.js'
import type { AttributeValue, Attributes as StoredAttributes, SourceAccount } from '../domain/model.js'

/** A system's attribute values as the store keeps them: text, numbers, booleans, lists of text. */
export function storedAttributes(attributes: Attributes): StoredAttributes {
  const out: Record<string, AttributeValue> = {}
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) out[k] = storedValue(v)
  return out
}

function storedValue(v: unknown): AttributeValue {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))
  return JSON.stringify(v)
}

/**
 * A connector's account as aggregation reads it: only the attributes of the source's account schema
 * (a system may hand back more, such as a password, which is not the engine's to keep), named by the
 * schema's display attribute. The same account read twice gives the same value whatever order the
 * system listed it in, and provisioning stores exactly this, so that the next aggregation finds it
 * unchanged.
 */
export function toSourceAccount(source: SourceConfig, account: ConnectorAccount): SourceAccount {
  // Not made storable here: aggregation reports what the store cannot hold, and keeps the account.
  const attributes = schemaAttributes(source, account.attributes)
  const display = attributes[accountSchemaOf(source).displayAttribute ?? '']
  return {
    nativeIdentity: account.nativeIdentity,
    displayName: typeof display === 'string' ? display : null,
    attributes,
    disabled: account.disabled ?? false,
    locked: account.locked ?? false,
  }
}

/**
 * The attributes of the source's account schema, as the store keeps them; the rest is dropped.
 * Values are normalised as the delimited-file reader normalises a multi-valued cell: an empty value is
 * no value (a connector that reports `groups: [""]` for an account without groups would otherwise hold
 * the entitlement "", which the planner then removes on every run); the values of a multi-valued
 * attribute are distinct and sorted (a system's listing order carries no meaning and must not make an
 * account look changed); attributes are in name order (the order the store serialises them in).
 */
export function schemaAttributes(source: SourceConfig, attributes: Attributes): StoredAttributes {
  const schema = new Map(accountSchemaOf(source).attributes.map((a) => [a.name, a]))
  const out: Record<string, AttributeValue> = {}
  for (const name of Object.keys(attributes).sort()) {
    const a = schema.get(name)
    if (a === undefined || attributes[name] === undefined) continue
    const v = storedValue(attributes[name])
    if (Array.isArray(v)) {
      const values = v.filter((x) => x.trim() !== '')
      out[name] = a.isMulti || a.isEntitlement ? [...new Set(values)].sort() : values
    } else if (a.isEntitlement && typeof v === 'string' && v.trim() === '') continue
    else out[name] = v
  }
  return out
}

/**
 * An account as provisioning stores it: a NUL or a lone surrogate the system handed back becomes U+FFFD.
 * Stored as it is, it would break every later query of the attribute; the next aggregation reads the
 * system's real value and reports it as an account error.
 */
export function storableAccount(account: SourceAccount): SourceAccount {
  const attributes: Record<string, AttributeValue> = {}
  for (const [k, v] of Object.entries(account.attributes)) {
    attributes[k] = typeof v === 'string' ? storable(v) : Array.isArray(v) ? v.map(storable) : v
  }
  const displayName = account.displayName === null ? null : storable(account.displayName)
  return { ...account, displayName, attributes }
}

function storable(value: string): string {
  return unstorableText(value) === undefined ? value : wellFormed(value).replaceAll('\u0000', '\ufffd')
}
