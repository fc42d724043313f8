import { derivedId } from '../../domain/config/config-ids.js'
import type { SourceConfig } from '../../domain/config/config-schemas.js'
import { identityRefJson, type ConfigRefs } from './config-refs.js'

/**
 * Provisio's own fields of a source, which the v3 Source cannot say: the whole account schemas (v3 lists
 * references to them), the correlation config inline (v3 refers to a separate object), provisioning
 * policies, attribute sync, concurrency and retry policies. The v3 presenter shows them under `provisio`;
 * a body that leaves `provisio` out keeps them.
 */
export const PROVISIO_SOURCE_FIELDS = [
  'schemas',
  'accountCorrelationConfig',
  'provisioningPolicies',
  'attributeSyncConfig',
  'concurrency',
  'retryPolicies',
] as const

/** The stable id of a source's schema (Provisio's schemas carry none of their own). */
export function schemaId(source: Pick<SourceConfig, 'id' | 'name'>, schemaName: string): string {
  return derivedId('schema', `${source.id ?? source.name}/${schemaName}`)
}

/** The stable id of a source's correlation config, which the reference keeps as an object of its own. */
export function correlationConfigId(source: Pick<SourceConfig, 'id' | 'name'>): string {
  return derivedId('account correlation config', source.id ?? source.name)
}

/**
 * A configured source in the reference's shape (`Source` of the v3 API), Provisio's own fields under
 * `provisio`. What Provisio does not have is null (a cluster, rules, password policies, a management
 * workgroup); connector settings are shown as written, secrets as the `${env:…}`/`${file:…}` references
 * the configuration holds (validation refuses a secret written as a value).
 */
export function sourceV3Json(s: SourceConfig, refs: ConfigRefs): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    ...(s.description !== undefined ? { description: s.description } : {}),
    owner: s.owner ? identityRefJson(refs, s.owner) : null,
    cluster: null,
    accountCorrelationConfig: s.accountCorrelationConfig
      ? {
          type: 'ACCOUNT_CORRELATION_CONFIG',
          id: correlationConfigId(s),
          name: s.accountCorrelationConfig.name ?? `${s.name} Account Correlation`,
        }
      : null,
    accountCorrelationRule: null,
    // The reference's document cannot say null here (its nullable sits beside a $ref): absent when none.
    ...(s.managerCorrelationMapping
      ? {
          managerCorrelationMapping: {
            accountAttributeName: s.managerCorrelationMapping.accountAttributeName,
            identityAttributeName: s.managerCorrelationMapping.identityAttributeName,
          },
        }
      : {}),
    managerCorrelationRule: null,
    beforeProvisioningRule: null,
    schemas: s.schemas.map((schema) => ({
      type: 'CONNECTOR_SCHEMA',
      id: schemaId(s, schema.name),
      name: schema.name,
    })),
    passwordPolicies: null,
    features: s.features,
    type: s.connector,
    connector: s.connector,
    connectorAttributes: s.connectorAttributes,
    deleteThreshold: s.deleteThreshold,
    authoritative: s.authoritative,
    managementWorkgroup: null,
    connectorName: s.connector,
    connectionType: s.connectionType,
    credentialProviderEnabled: false,
    category: null,
    provisio: Object.fromEntries(
      PROVISIO_SOURCE_FIELDS.filter((f) => s[f] !== undefined).map((f) => [f, s[f]]),
    ),
  }
}
