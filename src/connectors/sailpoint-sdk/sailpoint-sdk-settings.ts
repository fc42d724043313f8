import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { parseConnectorAttributes } from '../connector-settings.js'
import { nonEmpty } from '../../domain/config/schema-primitives.js'
import { InputError } from '../../domain/errors.js'

/** A `sailpoint-sdk` source's `connectorAttributes`. */
export const sailpointSdkConnectorAttributesSchema = z.looseObject({
  /**
   * The connector, relative to the workspace folder: an ncc bundle file (`dist/index.js`), a folder holding
   * one (`index.js`, as a deployed connector zip unpacks), or a built package (its package.json `main`).
   */
  module: nonEmpty,
  /**
   * The source configuration the connector reads with `readConfig()` (its connector-spec.json `sourceConfig`
   * keys). String values written `${env:NAME}` are resolved at each invocation.
   */
  config: z.record(z.string(), z.unknown()).default({}),
  /** The `type` asked of `std:entitlement:list`. */
  entitlementType: nonEmpty.default('group'),
  /** The account attribute the connector reports group membership in (the schema's groupAttribute). */
  groupsAttribute: nonEmpty.default('groups'),
  /** How long one command may go without sending anything (a record or a keepAlive) before it is stopped. */
  timeoutMs: z.number().int().positive().default(120_000),
  /** More of the engine's environment variables the connector may see (it gets none but the basics). */
  passEnv: z.array(nonEmpty).default([]),
  /** Messages the source's failures worth retrying carry, besides network errors (as every source has). */
  retryableErrors: z.array(z.string()).default([]),
})

export type SailPointSdkSettings = z.infer<typeof sailpointSdkConnectorAttributesSchema> & {
  readonly sourceName: string
  /** The module's absolute path, resolved from `module`. */
  readonly modulePath: string
}

/** Builds the settings from a source's connectorAttributes; InputError names the bad field. */
export function sailpointSdkSettings(
  sourceName: string,
  attributes: Record<string, unknown>,
  workspaceDir: string,
): SailPointSdkSettings {
  const parsed = parseConnectorAttributes(sailpointSdkConnectorAttributesSchema, sourceName, attributes)
  const modulePath = connectorModulePath(resolve(workspaceDir, parsed.module))
  if (modulePath === undefined) {
    throw new InputError(`source ${sourceName}: connectorAttributes.module: ${noConnectorAt(parsed.module)}`)
  }
  return { ...parsed, sourceName, modulePath }
}

export function noConnectorAt(module: string): string {
  return `no connector at ${module} (a bundle file, or a folder with package.json "main", dist/index.js or index.js)`
}

/**
 * The file a connector path designates: itself, its package's `main`, or a build's index.js; undefined when
 * there is none (`provisio validate` reports it, as a run would).
 */
export function connectorModulePath(path: string): string | undefined {
  if (!existsSync(path)) return undefined
  if (statSync(path).isFile()) return path
  const pkg = join(path, 'package.json')
  if (existsSync(pkg)) {
    const main = packageMain(pkg)
    if (typeof main === 'string') {
      // `main` may omit the extension or name a folder, as require() allows.
      for (const candidate of [main, `${main}.js`, join(main, 'index.js')]) {
        const file = resolve(path, candidate)
        if (existsSync(file) && statSync(file).isFile()) return file
      }
    }
  }
  return ['dist/index.js', 'index.js'].map((f) => join(path, f)).find((f) => existsSync(f))
}

function packageMain(pkg: string): unknown {
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { main?: unknown }).main
  } catch {
    return undefined
  }
}
