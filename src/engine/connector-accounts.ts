import type { Attributes, ConnectorAccount } from '../connectors/connector.js'
import type { SourceConfig } from '../domain/config/config-schemas.js'
import { accountSchemaOf } from '../domain/config/workspace-config.js'
import type { AttributeValue, Attributes as StoredAttributes, SourceAccount } from '../domain/model.js'

/** A system's attribute values as the store keeps them: text, numbers, booleans, lists of text. */
export function storedAttributes(attributes: Attributes): StoredAttributes {
  const out: Record<string, AttributeValue> = {}
  for (const [k, v] of Object.entries(attributes)) {
    if (v === undefined) continue
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v
    else if (Array.isArray(v)) out[k] = v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))
    else out[k] = JSON.stringify(v)
  }
  return out
}

/**
 * A connector's account as aggregation reads it: only the attributes of the source's account schema
 * (a system may hand back more, such as a password, which is not the engine's to keep), named by the
 * schema's display attribute.
 */
export function toSourceAccount(source: SourceConfig, account: ConnectorAccount): SourceAccount {
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

/** The attributes of the source's account schema, as the store keeps them; the rest is dropped. */
export function schemaAttributes(source: SourceConfig, attributes: Attributes): StoredAttributes {
  const listed = new Set(accountSchemaOf(source).attributes.map((a) => a.name))
  return storedAttributes(Object.fromEntries(Object.entries(attributes).filter(([name]) => listed.has(name))))
}
