import {
  accessProfileSchema,
  identityProfileSchema,
  roleSchema,
  sourceSchema,
  transformDefinitionSchema,
} from './config-schemas.js'
import { governanceGroupSchema } from './governance-group-schema.js'

const byName = (v: { name?: string | undefined }): string | undefined => v.name

/**
 * The folders of a workspace, the kind of object each holds, and what an object's derived id is made from
 * (config-ids.ts). A new kind of object added here (and to WorkspaceConfig) gets ids, their warnings, the
 * duplicate check, and its place in published versions and their diffs.
 */
export const CONFIG_FOLDERS = {
  sources: { dir: 'sources', kind: 'source', schema: sourceSchema, key: byName },
  identityProfiles: {
    dir: 'identity-profiles',
    kind: 'identity profile',
    schema: identityProfileSchema,
    key: byName,
    nested: {
      kind: 'lifecycle state',
      field: 'lifecycleStates',
      key: (state: Record<string, unknown>, profileId: string) =>
        `${profileId}/${String(state['technicalName'])}`,
      label: (state: Record<string, unknown>) => String(state['technicalName']),
    },
  },
  transforms: { dir: 'transforms', kind: 'transform', schema: transformDefinitionSchema, key: byName },
  accessProfiles: {
    dir: 'access-profiles',
    kind: 'access profile',
    schema: accessProfileSchema,
    key: byName,
  },
  roles: { dir: 'roles', kind: 'role', schema: roleSchema, key: byName },
  governanceGroups: {
    dir: 'governance-groups',
    kind: 'governance group',
    schema: governanceGroupSchema,
    key: byName,
  },
} as const

export type ConfigFolderName = keyof typeof CONFIG_FOLDERS
