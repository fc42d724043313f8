import { z } from 'zod'
import { parseConnectorAttributes } from '../connector-settings.js'
import { nonEmpty } from '../../domain/config/schema-primitives.js'
import { parseScimPath } from './scim-path.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

/**
 * The account attributes a SCIM source has unless its `attributeMap` says otherwise: engine attribute
 * name → SCIM User attribute path. A given map replaces this one whole.
 */
export const DEFAULT_SCIM_ATTRIBUTE_MAP: Readonly<Record<string, string>> = {
  uid: 'userName',
  displayName: 'displayName',
  givenName: 'name.givenName',
  familyName: 'name.familyName',
  mail: 'emails[type eq "work"].value',
  employeeNumber: `${ENTERPRISE}:employeeNumber`,
  department: `${ENTERPRISE}:department`,
}

/** Where a path is invalid, zod's issue says why; the map's key is in the issue's path. */
const scimPath = z.string().superRefine((text, ctx) => {
  try {
    parseScimPath(text)
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message })
  }
})

/** A SCIM source's `connectorAttributes`. */
export const scimConnectorAttributesSchema = z.looseObject({
  /** The service provider's base URL, e.g. `https://scim.example.com/scim/v2`. */
  baseUrl: z.string().regex(/^https?:\/\/[^/]/, 'must be an http:// or https:// URL'),
  /** Secrets are `${env:NAME}` references. */
  auth: z.discriminatedUnion('type', [
    z.object({ type: z.literal('bearer'), token: nonEmpty }),
    z.object({ type: z.literal('basic'), username: nonEmpty, password: nonEmpty }),
  ]),
  timeoutMs: z.number().int().positive().default(30_000),
  pageSize: z.number().int().positive().max(1000).default(100),
  /** The account attribute that lists the account's groups (by group id); the entitlement attribute. */
  groupsAttribute: nonEmpty.default('groups'),
  attributeMap: z.record(nonEmpty, scimPath).default({ ...DEFAULT_SCIM_ATTRIBUTE_MAP }),
  /** The SCIM attribute an account's nativeIdentity is (`userName`, `externalId`, or `id`). */
  idAttribute: scimPath
    .refine((text) => parseScimPath(text).filter === undefined, 'must name one value, without a filter')
    .default('userName'),
  /** How many times one call waits out a 429 Too Many Requests before failing (retryable). */
  rateLimitRetries: z.number().int().nonnegative().max(10).default(2),
  /** A Retry-After longer than this is not waited for inside a call: the engine's retry schedule takes over. */
  rateLimitMaxWaitMs: z.number().int().nonnegative().default(60_000),
})
export type ScimConnectorAttributes = z.infer<typeof scimConnectorAttributesSchema>

/** Builds the settings from a source's connectorAttributes; InputError names the bad field. */
export function scimSettings(
  sourceName: string,
  attributes: Record<string, unknown>,
): ScimConnectorAttributes {
  return parseConnectorAttributes(scimConnectorAttributesSchema, sourceName, attributes)
}
