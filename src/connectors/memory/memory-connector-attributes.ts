import { isAbsolute, resolve } from 'node:path'
import { z } from 'zod'
import { parseConnectorAttributes } from '../connector-settings.js'
import { nonEmpty } from '../../domain/config/schema-primitives.js'
import type { MemoryConnectorOptions } from './memory-connector.js'

/** Settings of a `memory` source, in its `connectorAttributes`. */
export const memoryConnectorAttributesSchema = z.looseObject({
  /** The state file, relative to the workspace folder; without it the accounts live as long as the process. */
  file: nonEmpty.optional(),
  idAttribute: nonEmpty.optional(),
  entitlementAttributes: z.array(nonEmpty).optional(),
  /** A delay before every operation, to stand in for a remote system. */
  latencyMs: z.number().nonnegative().optional(),
})

export type MemoryConnectorAttributes = z.infer<typeof memoryConnectorAttributesSchema>

/** The memory connector's options from a source's `connectorAttributes`. */
export function memoryConnectorOptions(
  sourceName: string,
  connectorAttributes: Record<string, unknown>,
  workspaceDir: string,
): MemoryConnectorOptions {
  const { file, idAttribute, entitlementAttributes, latencyMs } = parseConnectorAttributes(
    memoryConnectorAttributesSchema,
    sourceName,
    connectorAttributes,
  )
  return {
    ...(file === undefined ? {} : { file: isAbsolute(file) ? file : resolve(workspaceDir, file) }),
    ...(idAttribute === undefined ? {} : { idAttribute }),
    ...(entitlementAttributes === undefined ? {} : { entitlementAttributes }),
    ...(latencyMs === undefined ? {} : { latencyMs }),
  }
}
