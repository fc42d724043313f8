import type { z } from 'zod'
import { InputError } from '../domain/errors.js'
import type { Connector } from './connector.js'
import {
  memoryConnectorAttributesSchema,
  memoryConnectorOptions,
} from './memory/memory-connector-attributes.js'
import { LdapConnector, ldapConnectorAttributesSchema, ldapSettings } from './ldap/ldap-connector.js'
import { createMemoryConnector } from './memory/memory-connector.js'
import { lazyConnector } from './lazy-connector.js'
import { secretFileReader } from './read-secret-file.js'
import { SailPointSdkConnector } from './sailpoint-sdk/sailpoint-sdk-connector.js'
import {
  sailpointSdkConnectorAttributesSchema,
  sailpointSdkSettings,
} from './sailpoint-sdk/sailpoint-sdk-settings.js'
import { ScimConnector } from './scim/scim-connector.js'
import { scimConnectorAttributesSchema, scimSettings } from './scim/scim-connector-attributes.js'
import { sqlConnectorAttributesSchema, sqlSettings } from './sql/sql-connector-attributes.js'

/** What a connector is built from: its source's name and `connectorAttributes`, and the workspace folder. */
export interface ConnectorConfig {
  readonly sourceName: string
  readonly connectorAttributes: Record<string, unknown>
  /** Relative paths in `connectorAttributes` are relative to it. */
  readonly workspaceDir: string
}

/** Builds a connector for one source; throws InputError when the source's settings are invalid. */
export type ConnectorFactory = (config: ConnectorConfig) => Connector

const factories = new Map<string, ConnectorFactory>()
const schemas = new Map<string, z.ZodType>()

/** The connector types known so far, by the name a source's `connector` field uses. */
export const connectorRegistry: ReadonlyMap<string, ConnectorFactory> = factories

/**
 * Adds a connector type; a later registration of the same name replaces the earlier (tests substitute
 * one). `schema` is its `connectorAttributes` schema, which `provisio validate` checks every source against.
 */
export function registerConnector(type: string, factory: ConnectorFactory, schema?: z.ZodType): void {
  factories.set(type, factory)
  if (schema) schemas.set(type, schema)
  else schemas.delete(type)
}

/** The `connectorAttributes` schema of a connector type, when it registered one. */
export function connectorSettingsSchema(type: string): z.ZodType | undefined {
  return schemas.get(type)
}

/** A connector of `type` for one source. */
export function createConnector(type: string, config: ConnectorConfig): Connector {
  const factory = factories.get(type)
  if (factory === undefined) {
    const known = [...factories.keys()].sort().join(', ')
    throw new InputError(`source ${config.sourceName}: unknown connector type ${type} (known: ${known})`)
  }
  return factory(config)
}

registerConnector(
  'memory',
  (config) =>
    createMemoryConnector(
      memoryConnectorOptions(config.sourceName, config.connectorAttributes, config.workspaceDir),
    ),
  memoryConnectorAttributesSchema,
)

registerConnector(
  'ldap',
  (config) =>
    new LdapConnector(
      ldapSettings(config.sourceName, config.connectorAttributes),
      process.env,
      secretFileReader(config.workspaceDir),
    ),
  ldapConnectorAttributesSchema,
)

registerConnector(
  'scim',
  (config) =>
    new ScimConnector(scimSettings(config.sourceName, config.connectorAttributes), {
      readSecretFile: secretFileReader(config.workspaceDir),
    }),
  scimConnectorAttributesSchema,
)

registerConnector(
  'sailpoint-sdk',
  (config) =>
    new SailPointSdkConnector(
      sailpointSdkSettings(config.sourceName, config.connectorAttributes, config.workspaceDir),
      { readSecretFile: secretFileReader(config.workspaceDir) },
    ),
  sailpointSdkConnectorAttributesSchema,
)

// The SQL connector loads the PostgreSQL driver: it is loaded when a source first uses it. Its settings are
// checked now, so that a bad one is still an error when the connector is built.
registerConnector(
  'sql',
  (config) => {
    const settings = sqlSettings(config.sourceName, config.connectorAttributes)
    return lazyConnector(async () => {
      const { SqlConnector } = await import('./sql/sql-connector.js')
      return new SqlConnector(settings, process.env, secretFileReader(config.workspaceDir))
    })
  },
  sqlConnectorAttributesSchema,
)
