import type { Attributes, ConnectorAccount } from '../connectors/connector.js'
import { unstorableText, wellFormed } from '../domain/aggregation/unstorable-text.js'
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
  // Not made storable here: aggregation reports what the store cannot hold, and keeps the account.
  const attributes = storedAttributes(onlySchema(source, account.attributes))
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
 * The attributes of the source's account schema, as the store keeps them after provisioning; the rest is
 * dropped. A NUL or a lone surrogate the system hands back becomes U+FFFD: stored as it is, it would break
 * every later query of the attribute, and the next aggregation reports the system's real value.
 */
export function schemaAttributes(source: SourceConfig, attributes: Attributes): StoredAttributes {
  const out: Record<string, AttributeValue> = {}
  for (const [k, v] of Object.entries(storedAttributes(onlySchema(source, attributes)))) {
    out[k] = typeof v === 'string' ? storable(v) : Array.isArray(v) ? v.map(storable) : v
  }
  return out
}

function onlySchema(source: SourceConfig, attributes: Attributes): Attributes {
  const listed = new Set(accountSchemaOf(source).attributes.map((a) => a.name))
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => listed.has(name)))
}

function storable(value: string): string {
  return unstorableText(value) === undefined ? value : wellFormed(value).replaceAll('\u0000', '\ufffd')
}
