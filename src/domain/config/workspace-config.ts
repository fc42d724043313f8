import type {
  IdentityProfileConfig,
  SourceConfig,
  TransformConfig,
  WorkspaceSettings,
} from './config-schemas.js'

/** Where a configuration object was read from, so problems can name the file. */
export interface Located<T> {
  readonly file: string
  readonly value: T
}

/** The whole validated configuration of a workspace. */
export interface WorkspaceConfig {
  /** Absolute path of the workspace folder. */
  readonly dir: string
  readonly settings: WorkspaceSettings
  readonly sources: readonly Located<SourceConfig>[]
  readonly identityProfiles: readonly Located<IdentityProfileConfig>[]
  readonly transforms: readonly Located<TransformConfig>[]
}

export function findSource(config: WorkspaceConfig, nameOrId: string): SourceConfig | undefined {
  return config.sources.find((s) => s.value.name === nameOrId || s.value.id === nameOrId)?.value
}

/** The account schema of a source (the one named `account`, else the first). */
export function accountSchemaOf(source: SourceConfig): SourceConfig['schemas'][number] {
  const schema = source.schemas.find((s) => s.name === 'account') ?? source.schemas[0]
  if (!schema) throw new Error(`source "${source.name}" has no account schema`)
  return schema
}
