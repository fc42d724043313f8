import type { z } from 'zod'
import { InputError } from '../domain/errors.js'
import { joinPath } from '../domain/config/zod-problems.js'

/**
 * A source's `connectorAttributes` parsed by its connector's schema. InputError names the source and
 * every bad field by its path (`connectorAttributes.auth.token: …`); `provisio validate` reports the same
 * problems with the source's file (engine/workspace/check-connector-settings.ts).
 */
export function parseConnectorAttributes<S extends z.ZodType>(
  schema: S,
  sourceName: string,
  attributes: Record<string, unknown>,
): z.infer<S> {
  const parsed = schema.safeParse(attributes)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((i) => `${joinPath('connectorAttributes', i.path)}: ${i.message}`)
  throw new InputError(`source ${sourceName}: ${problems.join('; ')}`)
}
