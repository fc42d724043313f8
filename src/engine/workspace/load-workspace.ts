import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { parseDocument } from 'yaml'
import type { z } from 'zod'
import { checkReferences } from '../../domain/config/check-references.js'
import { IdRegistry, type IdentifiedKind } from '../../domain/config/config-ids.js'
import { workspaceSettingsSchema } from '../../domain/config/config-schemas.js'
import { CONFIG_FOLDERS } from '../../domain/config/config-kinds.js'
import type { Located, WorkspaceConfig } from '../../domain/config/workspace-config.js'
import type { ConfigObjectKind } from '../../domain/config/ignored-fields.js'
import { findUnknownFields, unknownFieldProblems, withoutFields } from '../../domain/config/unknown-fields.js'
import { zodProblems } from '../../domain/config/zod-problems.js'
import { builtInConnectors } from '../../connectors/built-in-connectors.js'
import type { ConnectorRegistry } from '../../connectors/connector-registry.js'
import { checkConnectorSettings } from './check-connector-settings.js'
import { checkSchedules } from './check-schedules.js'
import { loadNotificationTemplates } from './load-notification-templates.js'
import { ConfigError, type ConfigProblem, InputError, isConfigWarning } from '../../domain/errors.js'

export const SETTINGS_FILE = 'provisio.yaml'

/**
 * Files to read from memory instead of the disk (a path relative to the workspace, `/`-separated, and its
 * text): the configuration repository checks a change with exactly these rules before writing it.
 */
export type FileOverlay = ReadonlyMap<string, string>

/** A workspace that loaded, and what `validate` warns about in it (fields it ignores). */
export interface LoadedWorkspace {
  readonly config: WorkspaceConfig
  readonly warnings: readonly ConfigProblem[]
}

/**
 * Reads and validates a workspace folder. Every problem is collected (syntax, fields, references)
 * and thrown together as one ConfigError, each naming its file, object and field path. Warnings alone
 * do not make the workspace invalid: see loadWorkspaceWithWarnings.
 */
export async function loadWorkspace(dirArg: string, options: LoadOptions = {}): Promise<WorkspaceConfig> {
  return (await loadWorkspaceWithWarnings(dirArg, options)).config
}

export interface LoadOptions {
  /** The connector types a source may name (default: the built-in ones), as the engine will run with. */
  readonly connectors?: ConnectorRegistry
  /** Files held in memory in place of those on disk (a write checked before it is made). */
  readonly overlay?: FileOverlay
}

/**
 * loadWorkspace, also returning the warnings: the reference's fields that Provisio ignores and unknown
 * keys in open maps. Errors (unknown fields among them) throw a ConfigError that carries the warnings too.
 */
export async function loadWorkspaceWithWarnings(
  dirArg: string,
  options: LoadOptions = {},
): Promise<LoadedWorkspace> {
  const dir = resolve(dirArg)
  if (!existsSync(join(dir, SETTINGS_FILE))) {
    throw new InputError(
      `${dir} is not a Provisio workspace (no ${SETTINGS_FILE}); create one with "provisio init"`,
    )
  }
  const problems: ConfigProblem[] = []

  const files = { root: dir, overlay: options.overlay ?? new Map() }
  const settingsDocs = await readObjects(files, SETTINGS_FILE, problems)
  const settingsValue = settingsDocs[0]?.value ?? {}
  const settingsParsed = workspaceSettingsSchema.safeParse(
    withoutFields(settingsValue, findUnknownFields(settingsValue, workspaceSettingsSchema)),
  )
  if (!settingsParsed.success) problems.push(...zodProblems(settingsParsed.error, SETTINGS_FILE, 'workspace'))
  problems.push(
    ...unknownFieldProblems(settingsValue, workspaceSettingsSchema, 'workspace', {
      file: SETTINGS_FILE,
      object: 'workspace',
    }),
  )

  const ids = new IdRegistry()
  const sources = await loadFolder(files, CONFIG_FOLDERS.sources, problems, ids)
  const identityProfiles = await loadFolder(files, CONFIG_FOLDERS.identityProfiles, problems, ids)
  const transforms = await loadFolder(files, CONFIG_FOLDERS.transforms, problems, ids)
  const accessProfiles = await loadFolder(files, CONFIG_FOLDERS.accessProfiles, problems, ids)
  const roles = await loadFolder(files, CONFIG_FOLDERS.roles, problems, ids)
  const governanceGroups = await loadFolder(files, CONFIG_FOLDERS.governanceGroups, problems, ids)
  problems.push(...ids.problems)
  const notificationTemplates = await loadNotificationTemplates(files, problems)
  const config: WorkspaceConfig = {
    dir,
    settings: settingsParsed.success ? settingsParsed.data : workspaceSettingsSchema.parse({}),
    sources,
    identityProfiles,
    transforms,
    accessProfiles,
    roles,
    governanceGroups,
    ...(notificationTemplates.length > 0 ? { notificationTemplates } : {}),
  }
  problems.push(
    ...checkReferences(config),
    ...checkConnectorSettings(sources, dir, options.connectors ?? builtInConnectors()),
    ...(await checkSchedules(config.settings.schedules)),
  )
  const errors = problems.filter((p) => !isConfigWarning(p))
  const warnings = problems.filter(isConfigWarning)
  if (errors.length > 0) throw new ConfigError(errors, warnings)
  return { config, warnings }
}

interface Files {
  readonly root: string
  readonly overlay: FileOverlay
}

async function loadFolder<S extends z.ZodType<{ id?: string | undefined }>>(
  files: Files,
  folder: { dir: string; kind: ConfigObjectKind; schema: S } & IdentifiedKind<z.infer<S>>,
  problems: ConfigProblem[],
  ids: IdRegistry,
): Promise<Located<z.infer<S>>[]> {
  const dir = join(files.root, folder.dir)
  const listed = existsSync(dir) ? await readdir(dir) : []
  const added = [...files.overlay.keys()]
    .filter((f) => f.startsWith(`${folder.dir}/`) && !f.slice(folder.dir.length + 1).includes('/'))
    .map((f) => f.slice(folder.dir.length + 1))
  const names = [...new Set([...listed, ...added])].filter((f) => /\.(ya?ml|json)$/.test(f)).sort()
  const out: Located<z.infer<S>>[] = []
  for (const f of names) {
    const file = join(folder.dir, f)
    for (const { value, index } of await readObjects(files, file, problems)) {
      const name = objectName(value)
      const object = `${folder.kind} ${name !== undefined ? `"${name}"` : `#${index + 1}`}`
      // Parsed without its unknown fields (reported below), so one typo does not drop the whole object.
      const parsed = folder.schema.safeParse(withoutFields(value, findUnknownFields(value, folder.schema)))
      if (parsed.success) out.push({ file, value: parsed.data })
      else problems.push(...zodProblems(parsed.error, file, object))
      problems.push(...unknownFieldProblems(value, folder.schema, folder.kind, { file, object }))
    }
  }
  return ids.identify(folder, out)
}

/** A file holds one object or a list of objects. */
async function readObjects(
  files: Files,
  file: string,
  problems: ConfigProblem[],
): Promise<{ value: unknown; index: number }[]> {
  const root = files.root
  const path = join(root, file)
  const overlaid = files.overlay.get(file.split(sep).join('/'))
  if (overlaid === undefined && !existsSync(path)) return []
  const text = overlaid ?? (await readFile(path, 'utf8'))
  const doc = parseDocument(text)
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const line = e.linePos?.[0]
      problems.push({
        file: relative(root, path),
        path: line ? `line ${line.line}, column ${line.col}` : '',
        // The message repeats the position and ends with a colon before a code excerpt: keep the gist.
        message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
      })
    }
    return []
  }
  const value: unknown = doc.toJS()
  if (value === null || value === undefined) return []
  const list = Array.isArray(value) ? value : [value]
  return list.map((v, index) => ({ value: v, index }))
}

function objectName(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && 'name' in value) {
    const n = (value as { name: unknown }).name
    if (typeof n === 'string') return n
  }
  return undefined
}
