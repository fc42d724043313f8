import { createHash } from 'node:crypto'
import { stableStringify } from '../stable-hash.js'
import type { WorkspaceSettings } from './config-schemas.js'
import { CONFIG_FOLDERS, type ConfigFolderName } from './config-kinds.js'
import type { NestedKind } from './config-ids.js'
import type { Located, WorkspaceConfig } from './workspace-config.js'
import type { WorkspaceTemplate } from '../notifications/notification-template.js'

/** One configuration object as a version holds it: validated, with its id, and the file it came from. */
export interface ConfigObjectRecord {
  readonly kind: string
  readonly id: string
  readonly name: string
  readonly file: string
  readonly value: Readonly<Record<string, unknown>>
}

/**
 * A validated configuration as plain JSON: what a published version stores and what a process without the
 * workspace folder runs from. Values are the schemas' output (defaults filled in, ids assigned), so nothing
 * is checked again when a snapshot is read back.
 */
export interface ConfigSnapshot {
  readonly settings: WorkspaceSettings
  readonly objects: readonly ConfigObjectRecord[]
  /** The workspace's notification templates; absent when it has none (so older versions keep their hash). */
  readonly notificationTemplates?: readonly Located<WorkspaceTemplate>[]
}

const FOLDER_NAMES = Object.keys(CONFIG_FOLDERS) as ConfigFolderName[]

export function configSnapshot(config: WorkspaceConfig): ConfigSnapshot {
  const objects: ConfigObjectRecord[] = []
  for (const folder of FOLDER_NAMES) {
    const { kind, key } = CONFIG_FOLDERS[folder]
    for (const { file, value } of config[folder] as readonly Located<{ id?: string; name?: string }>[]) {
      objects.push({
        kind,
        id: value.id ?? '',
        name: key(value) ?? '',
        // `/` on every platform: a version published on one machine is read on another.
        file: file.split('\\').join('/'),
        value: value as Record<string, unknown>,
      })
    }
  }
  const templates = (config.notificationTemplates ?? []).map((t) => ({
    ...t,
    file: t.file.split('\\').join('/'),
  }))
  // Through JSON, so the hash and the stored copy are of exactly what a reader gets back.
  return JSON.parse(
    JSON.stringify({
      settings: config.settings,
      objects,
      ...(templates.length > 0 ? { notificationTemplates: templates } : {}),
    }),
  ) as ConfigSnapshot
}

/** The configuration a snapshot holds, for a process running in `dir` (where relative paths resolve). */
export function configFromSnapshot(snapshot: ConfigSnapshot, dir: string): WorkspaceConfig {
  const lists = Object.fromEntries(FOLDER_NAMES.map((f) => [f, [] as Located<unknown>[]]))
  const folderOf = new Map(FOLDER_NAMES.map((f) => [CONFIG_FOLDERS[f].kind as string, f]))
  for (const o of snapshot.objects) {
    const folder = folderOf.get(o.kind)
    // A kind this version of Provisio does not know was published by a newer one: it has no use for it.
    if (folder !== undefined) lists[folder]?.push({ file: o.file, value: o.value })
  }
  const templates = snapshot.notificationTemplates ?? []
  return {
    dir,
    settings: snapshot.settings,
    ...lists,
    ...(templates.length > 0 ? { notificationTemplates: templates } : {}),
  } as unknown as WorkspaceConfig
}

/** The content hash of a snapshot: equal configurations, equal hashes, whatever the order of keys. */
export function snapshotHash(snapshot: ConfigSnapshot): string {
  return createHash('sha256').update(stableStringify(snapshot)).digest('hex')
}

/** How many objects of each kind a snapshot holds, nested ones (lifecycle states) included. */
export function objectCounts(snapshot: ConfigSnapshot): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const o of flattenSnapshot(snapshot)) {
    if (o.kind !== 'workspace') counts[o.kind] = (counts[o.kind] ?? 0) + 1
  }
  return counts
}

/**
 * Every object of a snapshot on its own, as a diff compares them: the workspace settings, each top-level
 * object, and each nested object (a lifecycle state) apart from its parent, which lists their ids instead.
 */
export function flattenSnapshot(snapshot: ConfigSnapshot): ConfigObjectRecord[] {
  const out: ConfigObjectRecord[] = [
    {
      kind: 'workspace',
      id: 'workspace',
      name: snapshot.settings.name,
      file: 'provisio.yaml',
      value: snapshot.settings,
    },
  ]
  const nestedOf = new Map<string, NestedKind<unknown> | undefined>(
    FOLDER_NAMES.map((f) => {
      const folder: { kind: string; nested?: NestedKind<never> } = CONFIG_FOLDERS[f]
      return [folder.kind, folder.nested as NestedKind<unknown> | undefined]
    }),
  )
  for (const o of snapshot.objects) {
    const nested = nestedOf.get(o.kind)
    const children = nested ? o.value[nested.field] : undefined
    if (!nested || !Array.isArray(children)) {
      out.push(o)
      continue
    }
    const states = children as Record<string, unknown>[]
    out.push({ ...o, value: { ...o.value, [nested.field]: states.map((s) => s['id']) } })
    for (const s of states) {
      out.push({ kind: nested.kind, id: String(s['id']), name: nested.label(s), file: o.file, value: s })
    }
  }
  return out
}
