import { z } from 'zod'
import { ownerBody, ownerIn, refBody } from '../sources/source-body.js'
import { idProblems, readFields, refuse, unsupportedFields, type Existing } from './read-fields.js'

/**
 * The v3 bodies of roles and access profiles, strict, and how each is read into Provisio's object. Deeper
 * rules (criteria trees, which entitlements a source has, approval schemes) are validate's.
 */

const openObject = z.record(z.string(), z.unknown())

/** The reference's `EntitlementRef`, with Provisio's way of naming one: its source, attribute and value. */
const entitlementRefBody = z.strictObject({
  type: z.literal('ENTITLEMENT').optional(),
  id: z.string().min(1).optional(),
  name: z.string().nullable().optional(),
  source: z.union([z.string().min(1), refBody('SOURCE')]).optional(),
  attribute: z.string().min(1).optional(),
  value: z.string().min(1).optional(),
})

const readOnly = { created: z.unknown().optional(), modified: z.unknown().optional() }

const common = {
  id: z.string().min(1).optional(),
  name: z.string(),
  description: z.string().nullable().optional(),
  owner: ownerBody.nullable().optional(),
  entitlements: z.array(entitlementRefBody).nullable().optional(),
  enabled: z.boolean().nullable().optional(),
  requestable: z.boolean().nullable().optional(),
  accessRequestConfig: openObject.nullable().optional(),
  revocationRequestConfig: openObject.nullable().optional(),
  segments: z.array(z.string()).nullable().optional(),
  additionalOwners: z.unknown().optional(),
  accessModelMetadata: z.unknown().optional(),
  ...readOnly,
}

export const accessProfileBody = z.strictObject({
  ...common,
  source: refBody('SOURCE'),
  provisioningCriteria: openObject.nullable().optional(),
})

export const roleBody = z.strictObject({
  ...common,
  accessProfiles: z.array(refBody('ACCESS_PROFILE')).nullable().optional(),
  membership: openObject.nullable().optional(),
  legacyMembershipInfo: z.unknown().optional(),
  dimensional: z.unknown().optional(),
  dimensionRefs: z.unknown().optional(),
  privilegeLevel: z.unknown().optional(),
})

const UNSUPPORTED_COMMON = {
  additionalOwners: 'Provisio has one owner, an identity',
  accessModelMetadata: 'Provisio has no access model metadata',
}

const UNSUPPORTED_ROLE = {
  ...UNSUPPORTED_COMMON,
  legacyMembershipInfo: 'Provisio has no legacy membership',
  dimensional: 'Provisio has no dimensions',
  dimensionRefs: 'Provisio has no dimensions',
  privilegeLevel: 'Provisio has no privilege levels',
}

/** A reference as written: its type, id and name, without empty ones. */
function refIn(v: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null),
  )
}

/** An entitlement as Provisio names it: by source, attribute and value when it has them (the name shown
 * beside a value is the presenter's), else by the reference's id or name. */
function entitlementIn(v: unknown): Record<string, unknown> {
  const e = refIn(v)
  delete e['type']
  if (e['value'] !== undefined) delete e['name']
  return e
}

const COMMON_FIELDS = {
  name: {},
  description: {},
  owner: { read: ownerIn },
  entitlements: { read: (v: unknown) => (v as unknown[]).map(entitlementIn) },
  enabled: {},
  requestable: {},
  accessRequestConfig: {},
  revocationRequestConfig: {},
  segments: {},
}

/** The Provisio access profile a v3 body describes (docs/api.md, Access profiles). */
export function readAccessProfileBody(
  body: Record<string, unknown>,
  existing: Existing | undefined,
): Record<string, unknown> {
  refuse([
    ...(existing ? idProblems(body, String(existing.presented['id'])) : []),
    ...unsupportedFields(body, UNSUPPORTED_COMMON),
  ])
  return readFields(body, { ...COMMON_FIELDS, source: { read: refIn }, provisioningCriteria: {} }, existing)
}

/** The Provisio role a v3 body describes (docs/api.md, Roles). */
export function readRoleBody(
  body: Record<string, unknown>,
  existing: Existing | undefined,
): Record<string, unknown> {
  refuse([
    ...(existing ? idProblems(body, String(existing.presented['id'])) : []),
    ...unsupportedFields(body, UNSUPPORTED_ROLE),
  ])
  return readFields(
    body,
    {
      ...COMMON_FIELDS,
      accessProfiles: { read: (v: unknown) => (v as unknown[]).map(refIn) },
      membership: {},
    },
    existing,
  )
}
