import { parseConnectorAttributes } from './connector-settings.js'
import { ConnectorRegistry } from './connector-registry.js'
import { delimitedFileAttributesSchema } from './delimited/delimited-file-attributes.js'
import { DelimitedFileConnector } from './delimited/delimited-file-connector.js'
import { LdapConnector, ldapConnectorAttributesSchema, ldapSettings } from './ldap/ldap-connector.js'
import { lazyConnector } from './lazy-connector.js'
import {
  memoryConnectorAttributesSchema,
  memoryConnectorOptions,
} from './memory/memory-connector-attributes.js'
import { createMemoryConnector } from './memory/memory-connector.js'
import { secretFileReader } from './read-secret-file.js'
import { SailPointSdkConnector } from './sailpoint-sdk/sailpoint-sdk-connector.js'
import {
  sailpointSdkConnectorAttributesSchema,
  sailpointSdkSettings,
} from './sailpoint-sdk/sailpoint-sdk-settings.js'
import { ScimConnector } from './scim/scim-connector.js'
import { scimConnectorAttributesSchema, scimSettings } from './scim/scim-connector-attributes.js'
import { sqlConnectorAttributesSchema, sqlSettings } from './sql/sql-connector-attributes.js'

/** The connectors Provisio ships: a delimited file, memory, LDAP, SCIM, SQL and SailPoint SDK connectors. */
export function builtInConnectors(): ConnectorRegistry {
  return (
    new ConnectorRegistry()
      // A flat file is read; people make its changes (SailPoint's flat-file sources).
      .with(
        'delimited-file',
        (config) => {
          parseConnectorAttributes(
            delimitedFileAttributesSchema,
            config.sourceName,
            config.connectorAttributes,
          )
          return new DelimitedFileConnector(
            {
              name: config.sourceName,
              connectorAttributes: config.connectorAttributes,
              schemas: config.schemas,
            },
            config.workspaceDir,
          )
        },
        { settingsSchema: delimitedFileAttributesSchema, provisioning: 'manual' },
      )
      .with(
        'memory',
        (config) =>
          createMemoryConnector(
            memoryConnectorOptions(config.sourceName, config.connectorAttributes, config.workspaceDir),
          ),
        { settingsSchema: memoryConnectorAttributesSchema },
      )
      .with(
        'ldap',
        (config) =>
          new LdapConnector(
            ldapSettings(config.sourceName, config.connectorAttributes),
            process.env,
            secretFileReader(config.workspaceDir),
          ),
        { settingsSchema: ldapConnectorAttributesSchema },
      )
      .with(
        'scim',
        (config) =>
          new ScimConnector(scimSettings(config.sourceName, config.connectorAttributes), {
            readSecretFile: secretFileReader(config.workspaceDir),
          }),
        { settingsSchema: scimConnectorAttributesSchema },
      )
      .with(
        'sailpoint-sdk',
        (config) =>
          new SailPointSdkConnector(
            sailpointSdkSettings(config.sourceName, config.connectorAttributes, config.workspaceDir),
            { readSecretFile: secretFileReader(config.workspaceDir) },
          ),
        { settingsSchema: sailpointSdkConnectorAttributesSchema },
      )
      // The SQL connector loads the PostgreSQL driver: it is loaded when a source first uses it. Its settings
      // are checked now, so that a bad one is still an error when the connector is built.
      .with(
        'sql',
        (config) => {
          const settings = sqlSettings(config.sourceName, config.connectorAttributes)
          return lazyConnector(async () => {
            const { SqlConnector } = await import('./sql/sql-connector.js')
            return new SqlConnector(settings, process.env, secretFileReader(config.workspaceDir))
          })
        },
        { settingsSchema: sqlConnectorAttributesSchema },
      )
  )
}
