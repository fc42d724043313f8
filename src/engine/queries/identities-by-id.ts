import type { Identity } from '../../domain/model.js'
import { loadIdentitiesById } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'

/** Identities by id, for presenters that name the people they refer to (an id not found is left out). */
export async function identitiesById(
  ctx: EngineContext,
  ids: readonly (string | null)[],
): Promise<Map<string, Identity>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))]
  if (wanted.length === 0) return new Map()
  return new Map((await loadIdentitiesById(ctx.db, wanted)).map((i) => [i.id, i]))
}
