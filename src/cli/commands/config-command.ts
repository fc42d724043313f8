import { configHistory, diffConfigVersions } from '../../engine/config/config-history.js'
import { publishConfig } from '../../engine/config/publish-config.js'
import { runsFromPublished } from '../../engine/config/runs-from-published.js'
import { openPublishedEngine, withEngine, type OpenEngine } from '../../app/open-engine.js'
import { formatTable, printJson } from '../print-table.js'

/** The workspace's engine (which publishes its configuration), or, without a folder, DATABASE_URL's. */
async function withConfigEngine<T>(workspace: string, fn: (e: OpenEngine) => Promise<T>): Promise<T> {
  if (!runsFromPublished(workspace, false)) return withEngine(workspace, fn)
  const engine = await openPublishedEngine(workspace)
  try {
    return await fn(engine)
  } finally {
    await engine.close()
  }
}

/** `provisio config publish`: publishes the workspace's configuration (every command does) and says which version it is. */
export async function configPublishCommand(workspace: string, options: { json?: boolean }): Promise<void> {
  const version = await withConfigEngine(workspace, (e) => publishConfig(e.db, e.config))
  if (options.json) return printJson({ number: version.number, hash: version.hash })
  process.stdout.write(
    `the configuration is published as version ${version.number} (${version.hash.slice(0, 12)})\n`,
  )
}

/** `provisio config history`: the published versions, newest first. */
export async function configHistoryCommand(workspace: string, options: { json?: boolean }): Promise<void> {
  const versions = await withConfigEngine(workspace, (e) => configHistory(e.db))
  if (options.json) return printJson(versions)
  process.stdout.write(
    formatTable(
      ['VERSION', 'PUBLISHED', 'AUTHOR', 'HASH', 'OBJECTS'],
      versions.map((v) => [
        String(v.number),
        v.created.toISOString(),
        v.author,
        v.hash.slice(0, 12),
        Object.entries(v.counts)
          .map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`)
          .join(', '),
      ]),
      120,
    ) + `\n${versions.length} version${versions.length === 1 ? '' : 's'}\n`,
  )
}

/** `provisio config diff A B`: what changed from version A to B, object by object. */
export async function configDiffCommand(
  workspace: string,
  from: string,
  to: string,
  options: { json?: boolean },
): Promise<void> {
  const diff = await withConfigEngine(workspace, (e) => diffConfigVersions(e.db, from, to))
  if (options.json) return printJson(diff)
  const label = (o: { kind: string; name: string; id: string }): string => `${o.kind} "${o.name}" (${o.id})`
  const lines = [
    ...diff.added.map((o) => `+ added    ${label(o)}`),
    ...diff.removed.map((o) => `- removed  ${label(o)}`),
    ...diff.changed.map((o) => `~ changed  ${label(o)}: ${o.fields.join(', ')}`),
  ]
  const none = lines.length === 0 ? 'no differences\n' : ''
  process.stdout.write(`version ${diff.from} → ${diff.to}\n${lines.map((l) => `${l}\n`).join('')}${none}`)
}
