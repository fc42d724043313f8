import type { z } from 'zod'
import { InputError } from './errors.js'

/**
 * Parses input against a strict schema, or throws one InputError listing every problem with its path
 * under `where` (`campaign.searchCampaignInfo.querry: Unrecognized key`): nothing wrong or misspelled is
 * ignored, and the caller sees all of it at once.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  throw new InputError(
    parsed.error.issues
      .map((i) => `${where}${i.path.length > 0 ? `.${i.path.join('.')}` : ''}: ${i.message}`)
      .join('; '),
  )
}
