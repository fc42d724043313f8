import type { FastifyRequest } from 'fastify'
import { CONFIG_FOLDERS, type ConfigFolderName } from '../../../domain/config/config-kinds.js'
import type { Located, WorkspaceConfig } from '../../../domain/config/workspace-config.js'
import { ConfigError, ConflictError, NotFoundError, type ConfigProblem } from '../../../domain/errors.js'
import { removeConfigObject, writeConfigObject } from '../../../engine/config/change-config.js'
import type { PublishedVersion } from '../../../engine/config/publish-config.js'
import type { ApiContext } from '../../api-context.js'

type Identified = { readonly id?: string | undefined; readonly name?: string | undefined }

/** Who changed the configuration, as the published version records it. */
export function changeAuthor(request: FastifyRequest): string {
  const p = request.principal
  if (!p) return 'api'
  return p.identityId !== null ? `api: identity ${p.identityId}` : `api: client ${p.clientId}`
}

/**
 * A settings section's problems at their place in the request body that set it: `section.x` of
 * provisio.yaml becomes `body.x`; problems elsewhere keep their file and path.
 */
export function problemsInBody(err: unknown, section: string): unknown {
  if (!(err instanceof ConfigError)) return err
  const moved = (p: ConfigProblem): ConfigProblem =>
    p.file === 'provisio.yaml' && (p.path === section || p.path.startsWith(`${section}.`))
      ? { ...p, path: `body${p.path.slice(section.length)}` }
      : p
  return new ConfigError(err.problems.map(moved), err.warnings)
}

/** The object of a kind with this id in the configuration the engine runs with; NotFoundError when none. */
export function objectById<F extends ConfigFolderName>(
  config: WorkspaceConfig,
  folder: F,
  id: string,
): WorkspaceConfig[F][number]['value'] {
  const found = (config[folder] as readonly Located<Identified>[]).find((o) => o.value.id === id)
  if (!found) throw new NotFoundError(`no ${CONFIG_FOLDERS[folder].kind} with id "${id}"`)
  return found.value as WorkspaceConfig[F][number]['value']
}

/** A new object's id and name must be free: a POST never replaces an object. */
export function checkNew(config: WorkspaceConfig, folder: ConfigFolderName, object: Identified): void {
  const kind = CONFIG_FOLDERS[folder].kind
  for (const { value } of config[folder] as readonly Located<Identified>[]) {
    if (object.id !== undefined && value.id === object.id) {
      throw new ConflictError(`a ${kind} with id "${object.id}" exists already ("${value.name ?? ''}")`)
    }
    if (object.name !== undefined && value.name === object.name) {
      throw new ConflictError(`a ${kind} named "${object.name}" exists already (id ${value.id ?? ''})`)
    }
  }
}

/** How a write is recorded in the audit log: the object before (absent when new) and after, never a secret. */
export interface AuditOf {
  readonly action: string
  readonly targetType: string
  readonly before?: unknown
}

/**
 * Where a problem of the written object itself points in the request body: `body.` and its path, unless
 * the route maps Provisio's path to its body's (a source's `schemas` is its body's `provisio.schemas`).
 * Undefined leaves the problem as validation named it.
 */
export type BodyPath = (path: string) => string | undefined

/**
 * Writes an object through the configuration repository (validate's rules; nothing written when they
 * fail), publishes it and runs with it; records before and after in the audit log. Returns the object as
 * the new configuration holds it (defaults filled in).
 */
export async function writeObject<F extends ConfigFolderName>(
  ctx: ApiContext,
  request: FastifyRequest,
  folder: F,
  object: Readonly<Record<string, unknown>>,
  audit: AuditOf,
  bodyPath: BodyPath = (p) => (p === '' ? 'body' : `body.${p}`),
): Promise<{
  readonly value: WorkspaceConfig[F][number]['value']
  readonly created: boolean
  readonly version: PublishedVersion
}> {
  const name = typeof object['name'] === 'string' ? object['name'] : undefined
  const detail = { action: audit.action, targetType: audit.targetType, before: audit.before }
  request.auditDetail = {
    ...detail,
    ...(typeof object['id'] === 'string' ? { targetId: object['id'] } : {}),
    ...(name !== undefined ? { targetName: name } : {}),
  }
  const label = `${CONFIG_FOLDERS[folder].kind} "${name ?? ''}"`
  const written = await writeConfigObject(ctx.engine, folder, object, changeAuthor(request)).catch(
    (err: unknown) => {
      throw err instanceof ConfigError ? inBody(err, label, bodyPath) : err
    },
  )
  const value = objectById(written.workspace.config, folder, written.id)
  request.auditDetail = { ...detail, targetId: written.id, targetName: value.name, after: value }
  return { value, created: written.created, version: written.version }
}

/** Removes an object (the repository refuses while others refer to it), recording what it was. */
export async function removeObject(
  ctx: ApiContext,
  request: FastifyRequest,
  folder: ConfigFolderName,
  id: string,
  audit: AuditOf,
): Promise<PublishedVersion> {
  const before = objectById(ctx.engine.config, folder, id)
  request.auditDetail = {
    action: audit.action,
    targetType: audit.targetType,
    targetId: id,
    targetName: before.name,
    before,
  }
  return (await removeConfigObject(ctx.engine, folder, id, changeAuthor(request))).version
}

/** The written object's own problems at their place in the request body; others' (who refers to it) as they are. */
function inBody(err: ConfigError, label: string, bodyPath: BodyPath): ConfigError {
  const moved = (p: ConfigProblem): ConfigProblem => {
    if (p.object !== label) return p
    const path = bodyPath(p.path)
    return path === undefined ? p : { ...p, path }
  }
  return new ConfigError(err.problems.map(moved), err.warnings)
}
