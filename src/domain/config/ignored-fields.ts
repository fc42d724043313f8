/**
 * The one list of the reference product's fields that Provisio reads past on purpose, so that objects
 * exported from a tenant (GET /v3/sources/{id}, /roles/{id}, …) load: read-only bookkeeping (`created`,
 * `modified`, `identityCount`), infrastructure Provisio has no use for (`cluster`, `connectorClass`), and
 * features it does not implement (rules, password policies, dimensions). `provisio validate` reports each as
 * a warning ("ignored"); any other field that is not part of Provisio's configuration is an unknown field.
 *
 * Keys are the object kind, then the place within the object as a path with `[]` for list items ('' is the
 * object itself). Names come from the reference's v3 API document (Source, Schema, AttributeDefinition,
 * IdentityProfile, LifecycleState, AccessProfile, Role, TransformRead).
 */

/** The kinds of configuration object whose fields are checked, as problems name them. */
export type ConfigObjectKind =
  | 'workspace'
  | 'source'
  | 'identity profile'
  | 'transform'
  | 'access profile'
  | 'role'
  | 'governance group'
  | 'connector settings'

const BOOKKEEPING = ['created', 'modified'] as const

export const IGNORED_FIELDS: Readonly<Record<ConfigObjectKind, Readonly<Record<string, readonly string[]>>>> =
  {
    workspace: {
      // The reference's IdentityReferenceWithNameAndEmail: the email is the identity's, read-only.
      'accessRequestConfig.approvalReminderAndEscalationConfig.fallbackApproverRef': ['email'],
    },
    source: {
      '': [
        ...BOOKKEEPING,
        'cluster',
        'accountCorrelationRule',
        'managerCorrelationRule',
        'beforeProvisioningRule',
        'passwordPolicies',
        'type',
        'connectorClass',
        'managementWorkgroup',
        'healthy',
        'status',
        'since',
        'connectorId',
        'connectorName',
        'connectorImplementationId',
        'credentialProviderEnabled',
        'category',
      ],
      // The reference's correlation config is a reference {type, id, name} to a separate object.
      accountCorrelationConfig: ['type', 'id'],
      'schemas[]': [
        ...BOOKKEEPING,
        'id',
        'type',
        'hierarchyAttribute',
        'includePermissions',
        'features',
        'configuration',
      ],
      'schemas[].attributes[]': ['nativeName', 'schema'],
    },
    'identity profile': {
      '': [
        ...BOOKKEEPING,
        'owner',
        'identityRefreshRequired',
        'identityCount',
        'identityExceptionReportReference',
        'hasTimeBasedAttr',
      ],
      'lifecycleStates[]': [...BOOKKEEPING, 'identityCount'],
    },
    transform: { '': ['internal'] },
    'access profile': { '': [...BOOKKEEPING, 'accessModelMetadata', 'additionalOwners'] },
    role: {
      '': [
        ...BOOKKEEPING,
        'additionalOwners',
        'legacyMembershipInfo',
        'dimensional',
        'dimensionRefs',
        'accessModelMetadata',
        'privilegeLevel',
      ],
      'membership.identities[]': ['aliasName'],
    },
    // The reference's WorkgroupDto counts (read-only) and a member's email (ListWorkgroupMembers).
    'governance group': { '': [...BOOKKEEPING, 'memberCount', 'connectionCount'], 'members[]': ['email'] },
    'connector settings': {},
  }

/**
 * Places where an unknown field is a warning, not an error: the reference leaves these maps open (a
 * provisioning field's `attributes` carries connector- and rule-specific keys), so an exported policy
 * may hold keys Provisio has never heard of. Everywhere else an unknown field is an error: a misspelt field
 * would otherwise be dropped and its default would silently apply.
 */
export const OPEN_FIELDS: Readonly<Record<ConfigObjectKind, readonly string[]>> = {
  workspace: [],
  source: ['provisioningPolicies[].fields[].attributes'],
  'identity profile': [],
  transform: [],
  'access profile': [],
  role: [],
  'governance group': [],
  'connector settings': [],
}
