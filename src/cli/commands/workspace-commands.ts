import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import type { WorkspaceConfig } from '../../domain/config/workspace-config.js'
import {
  ConfigError,
  type ConfigProblem,
  ConflictError,
  formatConfigProblem,
  InputError,
} from '../../domain/errors.js'
import { compileTransform } from '../../domain/transforms/compile-transform.js'
import type {
  TransformAccount,
  TransformContext,
  TransformDefinition,
} from '../../domain/transforms/transform-types.js'
import { loadWorkspace, loadWorkspaceWithWarnings } from '../../engine/workspace/load-workspace.js'
import { writeDemoWorkspace } from '../../demo/demo-workspace.js'
import { addDemoLdap, startDemoLdap, stopDemoLdap } from '../../demo/demo-ldap.js'

export async function initCommand(
  dir: string,
  options: { force?: boolean; withLdap?: boolean },
): Promise<void> {
  const files = await writeDemoWorkspace(dir, options)
  if (options.withLdap) files.push(...(await addDemoLdap(dir)))
  process.stdout.write(
    `created a demo workspace in ${dir}:\n${files.map((f) => `  ${f}`).join('\n')}\n` +
      `next: provisio -w ${dir} aggregate HR && provisio -w ${dir} identities\n` +
      (options.withLdap
        ? `then: provisio -w ${dir} plan, provisio -w ${dir} apply --wait, provisio -w ${dir} aggregate "LDAP Directory"\n` +
          `the directory server keeps running: provisio -w ${dir} ldap stop (and ldap start)\n`
        : ''),
  )
}

/** `provisio ldap start|stop`: the local directory server of a workspace made with `init --with-ldap`. */
export async function ldapCommand(workspace: string, action: 'start' | 'stop'): Promise<void> {
  const message = action === 'start' ? await startDemoLdap(workspace) : await stopDemoLdap(workspace)
  process.stdout.write(`${message}\n`)
}

/** Errors throw (a ConfigError, exit 3); warnings are printed, on stderr, and the workspace is valid. */
export async function validateCommand(workspace: string): Promise<void> {
  const { config, warnings } = await loadWorkspaceWithWarnings(workspace)
  for (const w of warnings) process.stderr.write(`${formatConfigProblem(w)}\n`)
  const warned =
    warnings.length === 0 ? '' : ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})`
  const owners = await checkOwnersIfStored(config)
  if (owners.problems.length > 0) throw new ConfigError(owners.problems, warnings)
  process.stdout.write(
    `workspace ${config.dir} is valid${warned}: ${config.sources.length} sources, ${config.identityProfiles.length} identity profiles, ` +
      `${config.transforms.length} transforms, ${config.accessProfiles.length} access profiles, ${config.roles.length} roles, ` +
      `${config.governanceGroups.length} governance groups\n`,
  )
  if (owners.unchecked !== undefined) {
    process.stdout.write(`owners not checked against identities: ${owners.unchecked}\n`)
  }
}

/**
 * Owners are identities, which exist in the store once the authoritative source is aggregated: checked
 * then, and said so when they cannot be checked yet (no store, no identities, or the store is in use).
 */
async function checkOwnersIfStored(
  config: WorkspaceConfig,
): Promise<{ readonly problems: readonly ConfigProblem[]; readonly unchecked?: string }> {
  const note = (why: string) => ({ problems: [], unchecked: why })
  if (!process.env['DATABASE_URL'] && !existsSync(join(config.dir, '.provisio', 'db'))) {
    return note('no identities yet (aggregate the authoritative source first)')
  }
  // Loaded only here: a workspace without a store is validated without a database driver.
  const { openEngineFor } = await import('../../app/open-engine.js')
  const { checkOwners } = await import('../../engine/check-owners.js')
  let engine
  try {
    engine = await openEngineFor(config)
  } catch (err) {
    if (err instanceof ConflictError) return note(err.message)
    throw err
  }
  try {
    const owners = await checkOwners(engine)
    return owners.checked ? owners : note('no identities yet (aggregate the authoritative source first)')
  } finally {
    await engine.close()
  }
}

/** Reads a JSON or YAML file into a value, with the file named in the error. */
export async function readDataFile(path: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new InputError(`cannot read ${path}`)
  }
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text)
  } catch (err) {
    throw new InputError(
      `${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
    )
  }
}

/**
 * `transform preview FILE --context CONTEXT.json`: evaluates one transform and prints its value as
 * JSON. Named transforms of the workspace resolve `reference`, when a workspace is there.
 */
export async function transformPreviewCommand(
  file: string,
  options: { context?: string; workspace: string },
): Promise<void> {
  const def = (await readDataFile(file)) as TransformDefinition
  if (def === null || typeof def !== 'object' || typeof def.type !== 'string') {
    throw new InputError(`${file}: not a transform (an object with a "type")`)
  }
  const raw = (options.context ? await readDataFile(options.context) : {}) as Record<string, unknown>
  const named = await namedTransforms(options.workspace)
  const compiled = compileTransform(def, { resolve: (id) => named.get(id) })
  const value = compiled.evaluate(toContext(raw))
  process.stdout.write(JSON.stringify(value) + '\n')
}

async function namedTransforms(workspace: string): Promise<Map<string, TransformDefinition>> {
  try {
    const config = await loadWorkspace(workspace)
    return new Map(config.transforms.map((t) => [t.value.name ?? t.value.id ?? '', t.value]))
  } catch (err) {
    // Previewing a transform file must work outside a workspace, and even in a broken one.
    if (err instanceof InputError || err instanceof ConfigError) return new Map()
    throw err
  }
}

function toContext(raw: Record<string, unknown>): TransformContext {
  const obj = (v: unknown): Record<string, unknown> | undefined =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  const accounts: TransformAccount[] = Object.entries(obj(raw['accounts']) ?? {}).map(
    ([sourceName, attrs]) => {
      const entitlements = obj(attrs)?.['entitlements']
      return {
        sourceName,
        nativeIdentity: String(obj(attrs)?.['nativeIdentity'] ?? sourceName),
        attributes: obj(attrs) ?? {},
        ...(Array.isArray(entitlements) ? { entitlements: entitlements.map(String) } : {}),
      }
    },
  )
  const identity = obj(raw['identity']) ?? {}
  const byUid = new Map<string, Record<string, unknown>>()
  const manager = obj(raw['manager'])
  if (manager && typeof manager['uid'] === 'string') byUid.set(manager['uid'], manager)
  return {
    ...('input' in raw ? { input: raw['input'] } : {}),
    identity,
    accounts,
    manager: manager ?? null,
    findIdentity: (uid) => byUid.get(uid),
  }
}
