import { NotFoundError } from '../../domain/errors.js'
import { findSource } from '../../domain/config/workspace-config.js'
import { ensureSource, listSourceRows } from '../../store/sources.js'
import type { EngineContext } from '../engine-context.js'

/** A source as the store knows it: its id, and when it was last aggregated. */
export interface StoredSource {
  readonly id: string
  readonly name: string
  readonly lastAggregatedAt: string | null
}

/** The sources the store knows (those ever aggregated or planned), by name. */
export async function listSources(ctx: EngineContext): Promise<StoredSource[]> {
  return (await listSourceRows(ctx.db)).map((s) => ({
    id: s.id,
    name: s.name,
    lastAggregatedAt: s.last_aggregated_at === null ? null : new Date(s.last_aggregated_at).toISOString(),
  }))
}

/** The stored names of the sources the store knows, by id. */
export async function sourceNamesById(ctx: EngineContext): Promise<Map<string, string>> {
  return new Map((await listSourceRows(ctx.db)).map((s) => [s.id, s.name]))
}

/** The stored id of a source the store knows, by name; NotFoundError when it knows none by that name. */
export function storedSourceId(names: ReadonlyMap<string, string>, name: string): string {
  for (const [id, n] of names) if (n === name) return id
  throw new NotFoundError(`no source named "${name}"`)
}

/** The stored id of a configured source (recorded on first use); NotFoundError when none is configured. */
export async function configuredSourceId(ctx: EngineContext, name: string): Promise<string> {
  const source = findSource(ctx.config, name)
  if (!source) throw new NotFoundError(`no source named "${name}"`)
  return ensureSource(ctx.db, source.name, source.id)
}
