import type {
  AccountSchemaConfig,
  ProvisioningPolicyConfig,
  SourceConfig,
} from '../../domain/config/config-schemas.js'
import type { SourceHealth } from '../../engine/source-health.js'
import { schemaId } from './source-v3-json.js'

/** A provisioning policy in the reference's shape (`ProvisioningPolicyDto`); Provisio's names are the same. */
export function provisioningPolicyV3Json(p: ProvisioningPolicyConfig): Record<string, unknown> {
  return {
    name: p.name,
    ...(p.description !== undefined ? { description: p.description } : {}),
    usageType: p.usageType,
    fields: p.fields.map((f) => ({
      name: f.name,
      transform: f.transform,
      attributes: f.attributes ?? {},
      isRequired: f.isRequired,
      type: f.type,
      isMultiValued: f.isMultiValued,
    })),
  }
}

/** A source's schema in the reference's shape (`Schema`), with the stable id Provisio gives it. */
export function schemaV3Json(source: SourceConfig, s: AccountSchemaConfig): Record<string, unknown> {
  return {
    id: schemaId(source, s.name),
    name: s.name,
    ...(s.nativeObjectType !== undefined ? { nativeObjectType: s.nativeObjectType } : {}),
    identityAttribute: s.identityAttribute,
    ...(s.displayAttribute !== undefined ? { displayAttribute: s.displayAttribute } : {}),
    includePermissions: false,
    features: [],
    configuration: {},
    attributes: s.attributes.map((a) => ({
      name: a.name,
      type: a.type,
      ...(a.description !== undefined ? { description: a.description } : {}),
      isMulti: a.isMulti,
      isEntitlement: a.isEntitlement,
      isGroup: a.isGroup,
    })),
  }
}

/**
 * A source's health in the reference's shape (`SourceHealthDto`), with how Provisio checked it under
 * `provisio` (a connection test just now, or the last aggregation of a file source) and the failure.
 */
export function sourceHealthV3Json(source: SourceConfig, h: SourceHealth): Record<string, unknown> {
  return {
    id: source.id,
    type: source.connector,
    name: source.name,
    isAuthoritative: source.authoritative,
    isCluster: false,
    status: h.status,
    provisio: {
      checkedBy: h.checkedBy,
      lastAggregatedAt: h.lastAggregatedAt,
      ...(h.error !== undefined ? { error: h.error } : {}),
    },
  }
}
