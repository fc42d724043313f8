import { z } from 'zod'
import type { SourceConfig } from '../../../domain/config/config-schemas.js'
import { deepEqual } from '../../../domain/json-equal.js'
import type { FieldProblem } from '../../http/error-response.js'
import { PROVISIO_SOURCE_FIELDS } from '../../presenters/source-v3-json.js'
import {
  idProblems,
  readFields,
  refuse,
  unsupportedFields,
  type Existing,
} from '../config-objects/read-fields.js'

/** The reference's source features (`SourceFeature`). */
export const SOURCE_FEATURES = [
  'AUTHENTICATE',
  'COMPOSITE',
  'DIRECT_PERMISSIONS',
  'DISCOVER_SCHEMA',
  'ENABLE',
  'MANAGER_LOOKUP',
  'NO_RANDOM_ACCESS',
  'PROXY',
  'SEARCH',
  'TEMPLATE',
  'UNLOCK',
  'UNSTRUCTURED_TARGETS',
  'SHAREPOINT_TARGET',
  'PROVISIONING',
  'GROUP_PROVISIONING',
  'SYNC_PROVISIONING',
  'PASSWORD',
  'CURRENT_PASSWORD',
  'ACCOUNT_ONLY_REQUEST',
  'ADDITIONAL_ACCOUNT_REQUEST',
  'NO_AGGREGATION',
  'GROUPS_HAVE_MEMBERS',
  'NO_PERMISSIONS_PROVISIONING',
  'NO_GROUP_PERMISSIONS_PROVISIONING',
  'NO_UNSTRUCTURED_TARGETS_PROVISIONING',
  'NO_DIRECT_PERMISSIONS_PROVISIONING',
  'PREFER_UUID',
  'ARM_SECURITY_EXTRACT',
  'ARM_UTILIZATION_EXTRACT',
  'ARM_CHANGELOG_EXTRACT',
  'USES_UUID',
  'APPLICATION_DISCOVERY',
  'DELETE',
] as const

/** `{type, id, name}` of the reference, this type only. */
export function refBody<T extends string>(type: T) {
  return z.strictObject({
    type: z.literal(type).optional(),
    id: z.string().min(1).optional(),
    name: z.string().min(1).nullable().optional(),
  })
}

/** An identity as the reference names owners: `{type: IDENTITY, id, name}`. */
export const ownerBody = refBody('IDENTITY')

/** Read-only fields of the reference's Source: accepted (a client sends back what it read) and not written. */
const READ_ONLY = {
  created: z.unknown().optional(),
  modified: z.unknown().optional(),
  healthy: z.unknown().optional(),
  status: z.unknown().optional(),
  since: z.unknown().optional(),
  type: z.unknown().optional(),
  connectorClass: z.unknown().optional(),
  connectorId: z.unknown().optional(),
  connectorName: z.unknown().optional(),
  connectorImplementationId: z.unknown().optional(),
}

/** Fields of the reference Provisio has no place for, and why: refused unless empty. */
const UNSUPPORTED = {
  cluster: 'Provisio connects to systems itself, without a virtual appliance cluster',
  accountCorrelationRule: 'correlation is configured by provisio.accountCorrelationConfig, not by a rule',
  managerCorrelationRule: 'manager correlation is configured by managerCorrelationMapping, not by a rule',
  beforeProvisioningRule: 'Provisio runs no rules before provisioning',
  passwordPolicies: 'Provisio has no password policies',
  managementWorkgroup: 'Provisio has no governance groups',
  credentialProviderEnabled: 'Provisio has no credential providers',
  category: 'Provisio has no source categories',
}

/**
 * A v3 Source body, strict: a field that neither the reference's Source nor Provisio knows is a 400 naming
 * it. Provisio's own fields go under `provisio`. Deeper rules (a connector's settings, the schemas'
 * attributes) are `provisio validate`'s, applied by the configuration repository.
 */
export const sourceBody = z.strictObject({
  id: z.string().min(1).optional(),
  name: z.string(),
  description: z.string().nullable().optional(),
  owner: ownerBody.nullable().optional(),
  accountCorrelationConfig: refBody('ACCOUNT_CORRELATION_CONFIG').nullable().optional(),
  managerCorrelationMapping: z
    .strictObject({ accountAttributeName: z.string(), identityAttributeName: z.string() })
    .nullable()
    .optional(),
  schemas: z.array(refBody('CONNECTOR_SCHEMA')).nullable().optional(),
  features: z.array(z.enum(SOURCE_FEATURES)).nullable().optional(),
  connector: z.string(),
  connectorAttributes: z.record(z.string(), z.unknown()).nullable().optional(),
  deleteThreshold: z.number().int().nullable().optional(),
  authoritative: z.boolean().nullable().optional(),
  connectionType: z.enum(['file', 'direct']).nullable().optional(),
  ...Object.fromEntries(Object.keys(UNSUPPORTED).map((k) => [k, z.unknown().optional()])),
  ...READ_ONLY,
  provisio: z
    .strictObject(Object.fromEntries(PROVISIO_SOURCE_FIELDS.map((f) => [f, z.unknown().optional()])))
    .optional(),
})

export type SourceBody = z.infer<typeof sourceBody>

/** The v3 fields written to the Provisio source, under the same names. */
const SOURCE_FIELDS = {
  name: {},
  description: {},
  owner: { read: ownerIn },
  managerCorrelationMapping: {},
  features: {},
  connector: {},
  connectorAttributes: {},
  deleteThreshold: {},
  authoritative: {},
  connectionType: {},
}

/** The reference's owner as Provisio writes it. */
export function ownerIn(v: unknown): Record<string, unknown> {
  const o = v as { id?: string; name?: string | null }
  return { type: 'IDENTITY', ...(o.name ? { name: o.name } : {}), ...(o.id ? { id: o.id } : {}) }
}

/**
 * The Provisio source a v3 body describes: the v3 fields mapped (see docs/api.md, Sources), Provisio's own
 * from `provisio` when given there and else kept from the existing source, what cannot be honoured
 * refused with a 400 naming the field. `existing`: the source being replaced (PUT, PATCH), absent for a new one.
 */
export function readSourceBody(
  body: Readonly<Record<string, unknown>>,
  existing: (Existing & { readonly source: SourceConfig }) | undefined,
): Record<string, unknown> {
  const problems: FieldProblem[] = [
    ...(existing ? idProblems(body, existing.source.id ?? '') : []),
    ...unsupportedFields(body, UNSUPPORTED),
    ...schemaRefProblems(body['schemas'], existing?.presented['schemas']),
  ]
  const correlation = body['accountCorrelationConfig']
  if (
    correlation !== undefined &&
    correlation !== null &&
    !deepEqual(correlation, existing?.presented['accountCorrelationConfig'])
  ) {
    problems.push({
      path: 'body.accountCorrelationConfig',
      message:
        'Provisio keeps the correlation config inside the source, not as an object of its own: ' +
        'change provisio.accountCorrelationConfig (its attributeAssignments) instead',
    })
  }
  refuse(problems)
  const object = readFields(body, SOURCE_FIELDS, existing)
  const own = (body['provisio'] ?? {}) as Record<string, unknown>
  const presentedOwn = (existing?.presented['provisio'] ?? {}) as Record<string, unknown>
  for (const f of PROVISIO_SOURCE_FIELDS) {
    if (!Object.hasOwn(own, f)) continue
    if (existing && deepEqual(own[f], presentedOwn[f])) continue
    if (own[f] === null || own[f] === undefined) delete object[f]
    else object[f] = own[f]
  }
  return object
}

/**
 * The v3 `schemas` is a list of references; Provisio's schemas are whole objects (`provisio.schemas`). The
 * references are taken when they name exactly the source's schemas, and refused otherwise.
 */
function schemaRefProblems(given: unknown, presented: unknown): FieldProblem[] {
  if (given === undefined || given === null) return []
  const refs = given as { id?: string; name?: string | null }[]
  const known = (presented ?? []) as { id: string; name: string }[]
  const same =
    refs.length === known.length &&
    refs.every((r) =>
      known.some((k) => (r.id === undefined || r.id === k.id) && (r.name == null || r.name === k.name)),
    ) &&
    known.every((k) => refs.some((r) => r.id === k.id || r.name === k.name))
  if (same) return []
  return [
    {
      path: 'body.schemas',
      message:
        "a v3 source lists references to its schemas; Provisio's schemas are whole objects, " +
        'written in provisio.schemas (name, identityAttribute, attributes…): leave schemas as it was read, or out',
    },
  ]
}

/** Where a problem of the written source points in its v3 body: Provisio's own fields under `provisio`. */
export function sourceBodyPath(path: string): string {
  if (path === '') return 'body'
  const first = path.split(/[.[]/)[0] ?? ''
  return (PROVISIO_SOURCE_FIELDS as readonly string[]).includes(first)
    ? `body.provisio.${path}`
    : `body.${path}`
}
